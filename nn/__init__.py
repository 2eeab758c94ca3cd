"""impactgrad's layers, losses, optimisers and training loop, built on the engine's public API."""

from nn import data
from nn.activation import Activation, Input1D, LeakyReLU, ReLU, Sigmoid, Tanh
from nn.bridge import from_torch, to_torch
from nn.draw import draw
from nn.linear import MLP, Linear, Neuron
from nn.loss import binary_cross_entropy, half_squared_error, hinge, mse
from nn.module import Module, Sequential, load, save
from nn.optim import SGD, Adam, Optimizer
from nn.train import accuracy, fit

__all__ = [
    "MLP",
    "SGD",
    "Activation",
    "Adam",
    "Input1D",
    "LeakyReLU",
    "Linear",
    "Module",
    "Neuron",
    "Optimizer",
    "ReLU",
    "Sequential",
    "Sigmoid",
    "Tanh",
    "accuracy",
    "binary_cross_entropy",
    "data",
    "draw",
    "fit",
    "from_torch",
    "half_squared_error",
    "hinge",
    "load",
    "mse",
    "save",
    "to_torch",
]
