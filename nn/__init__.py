"""impactgrad's layers, losses, optimisers and training loop, built on the engine's public API."""

from nn import engine as engine  # first: refuses an `autograd` that is not impactgrad's (another package's)

# isort: split
from nn import data
from nn.activation import Activation, Input1D, LeakyReLU, ReLU, Sigmoid, Softmax, Tanh
from nn.bridge import from_torch, to_torch
from nn.conv import Conv2D, Flatten, Input2D
from nn.distributed import fit_distributed, fit_torch
from nn.draw import draw
from nn.linear import MLP, Linear, Neuron
from nn.loss import binary_cross_entropy, cross_entropy, half_squared_error, hinge, mse
from nn.module import Module, Sequential, load, save
from nn.norm import BatchNorm, BatchNorm1D, BatchNorm2D
from nn.optim import SGD, Adam, Optimizer
from nn.pool import MaxPool2D
from nn.train import accuracy, fit

__all__ = [
    "MLP",
    "SGD",
    "Activation",
    "Adam",
    "BatchNorm",
    "BatchNorm1D",
    "BatchNorm2D",
    "Conv2D",
    "Flatten",
    "Input1D",
    "Input2D",
    "LeakyReLU",
    "Linear",
    "MaxPool2D",
    "Module",
    "Neuron",
    "Optimizer",
    "ReLU",
    "Sequential",
    "Sigmoid",
    "Softmax",
    "Tanh",
    "accuracy",
    "binary_cross_entropy",
    "cross_entropy",
    "data",
    "draw",
    "fit",
    "fit_distributed",
    "fit_torch",
    "from_torch",
    "half_squared_error",
    "hinge",
    "load",
    "mse",
    "save",
    "to_torch",
]
