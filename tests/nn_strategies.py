"""Hypothesis strategies for nn models: random models of every layer, with random weights.

models()       a (model, sample shape) pair of Linear, MLP, Sequential, Input1D, the activations and
               BatchNorm1D: every weight and bias uniform in [-1, 1], drawn from a seeded
               random.Random, so biases are not 0 and pre-activations are generic (never exactly 0)
conv_models()  the same for Input2D, Conv2D, BatchNorm2D, MaxPool2D, Flatten, then Linear, Softmax
batches()      a batch of samples of a shape, drawn the same way
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from hypothesis import strategies as st

from nn import (
    MLP,
    BatchNorm,
    BatchNorm1D,
    BatchNorm2D,
    Conv2D,
    Flatten,
    Input1D,
    Input2D,
    LeakyReLU,
    Linear,
    MaxPool2D,
    Module,
    ReLU,
    Sequential,
    Sigmoid,
    Softmax,
    Tanh,
)

MAX_WIDTH = 4
SEEDS = st.integers(0, 2**32 - 1)


def _leaky(slope: float) -> Callable[[], Module]:
    """A factory of LeakyReLU layers of one slope."""
    return lambda: LeakyReLU(slope)


ACTIVATIONS: st.SearchStrategy[Callable[[], Module]] = st.sampled_from([ReLU, Tanh, Sigmoid]) | st.builds(
    _leaky, st.floats(0.0, 0.5)
)


@st.composite
def models(draw: st.DrawFn, max_layers: int = 3) -> tuple[Module, tuple[int, ...]]:
    """A Linear (with or without bias), an MLP, or a Sequential of Input1D, Linears, MLPs, activations
    and BatchNorm1D."""
    n_in = draw(st.integers(1, MAX_WIDTH))
    kind = draw(st.sampled_from(["Linear", "MLP", "Sequential"]))
    model: Module
    if kind == "Linear":
        model = Linear(n_in, draw(st.integers(1, MAX_WIDTH)), bias=draw(st.booleans()))
    elif kind == "MLP":
        sizes = draw(st.lists(st.integers(1, MAX_WIDTH), min_size=1, max_size=max_layers))
        model = MLP(n_in, sizes, activation=draw(ACTIVATIONS))
    else:
        layers: list[Module] = [Input1D(n_in)] if draw(st.booleans()) else []
        normalize = not layers  # Input1D takes one sample, BatchNorm1D a batch: not both
        width = n_in
        for _ in range(draw(st.integers(1, max_layers))):
            out = draw(st.integers(1, MAX_WIDTH))
            if draw(st.booleans()):
                layers.append(Linear(width, out, bias=draw(st.booleans())))
            else:
                layers.append(MLP(width, [out, out], activation=draw(ACTIVATIONS)))
            if normalize and draw(st.booleans()):
                layers.append(BatchNorm1D(out, affine=draw(st.booleans())))
            layers.append(draw(ACTIVATIONS)())
            width = out
        model = Sequential(*layers)
    return _randomized(model, draw(SEEDS), draw(st.booleans())), (n_in,)


@st.composite
def conv_models(draw: st.DrawFn) -> tuple[Module, tuple[int, ...]]:
    """Sequential([Input2D], Conv2D, [BatchNorm2D], activation, [MaxPool2D], Flatten, Linear, [Softmax])
    over random sizes, kernels, strides, paddings and ceil modes."""
    c, h, w = draw(st.integers(1, 3)), draw(st.integers(2, 6)), draw(st.integers(2, 6))
    layers: list[Module] = [Input2D(c, h, w)] if draw(st.booleans()) else []
    kernel = (draw(st.integers(1, min(3, h))), draw(st.integers(1, min(3, w))))
    padding = (draw(st.integers(0, kernel[0] - 1)), draw(st.integers(0, kernel[1] - 1)))
    channels = draw(st.integers(1, 3))
    conv = Conv2D(c, channels, kernel, draw(st.integers(1, 2)), padding, bias=draw(st.booleans()))
    layers.append(conv)
    size = conv.output_size(h, w)
    if draw(st.booleans()):
        layers.append(BatchNorm2D(channels, affine=draw(st.booleans())))
    layers.append(draw(ACTIVATIONS)())
    if draw(st.booleans()) and min(size) >= 2:
        k = draw(st.integers(1, 2))
        pool = MaxPool2D(
            k, draw(st.none() | st.integers(1, 2)), draw(st.integers(0, k // 2)), draw(st.booleans())
        )
        layers.append(pool)
        size = pool.output_size(*size)
    layers += [Flatten(), Linear(channels * size[0] * size[1], draw(st.integers(1, MAX_WIDTH)))]
    if draw(st.booleans()):
        layers.append(Softmax())
    return _randomized(Sequential(*layers), draw(SEEDS), draw(st.booleans())), (c, h, w)


def _randomized(model: Module, seed: int, training: bool) -> Module:
    """Weights uniform in [-1, 1], running means in [-1, 1], running variances in [0.5, 2], the mode set."""
    rng = random.Random(seed)
    model.load_state_dict({name: rng.uniform(-1, 1) for name in model.state_dict()})
    for layer in _layers(model):
        if isinstance(layer, BatchNorm):
            layer.running_mean = [rng.uniform(-1, 1) for _ in range(layer.num_features)]
            layer.running_var = [rng.uniform(0.5, 2) for _ in range(layer.num_features)]
    return model.train(training)


def _layers(model: Module) -> list[Module]:
    """The model and every sub-module, depth first."""
    return [model, *(layer for _, child in model.named_children() for layer in _layers(child))]


def batches(
    shape: tuple[int, ...], min_samples: int = 2, max_samples: int = 4
) -> st.SearchStrategy[list[Any]]:
    """Samples of the given shape, numbers uniform in [-3, 3] (from a seeded random.Random: generic, never
    exactly 0); at least 2, as batch normalization in training needs."""

    def samples(seed: int, n: int) -> list[Any]:
        rng = random.Random(seed)

        def sample(dims: tuple[int, ...]) -> Any:
            if not dims:
                return rng.uniform(-3, 3)
            return [sample(dims[1:]) for _ in range(dims[0])]

        return [sample(shape) for _ in range(n)]

    return st.builds(samples, SEEDS, st.integers(min_samples, max_samples))
