"""Hypothesis strategies for nn models: random Linear, MLP and Sequential models with random weights.

models()   a (model, n_in) pair: every weight and bias uniform in [-1, 1], drawn from a seeded
           random.Random, so biases are not 0 and pre-activations are generic (never exactly 0)
batches()  a batch of rows for a model of n_in inputs, drawn the same way
"""

from __future__ import annotations

import random
from collections.abc import Callable

from hypothesis import strategies as st

from nn import MLP, Input1D, LeakyReLU, Linear, Module, ReLU, Sequential, Sigmoid, Tanh

MAX_WIDTH = 4
SEEDS = st.integers(0, 2**32 - 1)


def _leaky(slope: float) -> Callable[[], Module]:
    """A factory of LeakyReLU layers of one slope."""
    return lambda: LeakyReLU(slope)


ACTIVATIONS: st.SearchStrategy[Callable[[], Module]] = st.sampled_from([ReLU, Tanh, Sigmoid]) | st.builds(
    _leaky, st.floats(0.0, 0.5)
)


@st.composite
def models(draw: st.DrawFn, max_layers: int = 3) -> tuple[Module, int]:
    """A Linear (with or without bias), an MLP, or a Sequential of Input1D, Linears, MLPs and activations."""
    n_in = draw(st.integers(1, MAX_WIDTH))
    rng = random.Random(draw(SEEDS))
    kind = draw(st.sampled_from(["Linear", "MLP", "Sequential"]))
    model: Module
    if kind == "Linear":
        model = Linear(n_in, draw(st.integers(1, MAX_WIDTH)), bias=draw(st.booleans()))
    elif kind == "MLP":
        sizes = draw(st.lists(st.integers(1, MAX_WIDTH), min_size=1, max_size=max_layers))
        model = MLP(n_in, sizes, activation=draw(ACTIVATIONS))
    else:
        layers: list[Module] = [Input1D(n_in)] if draw(st.booleans()) else []
        width = n_in
        for _ in range(draw(st.integers(1, max_layers))):
            out = draw(st.integers(1, MAX_WIDTH))
            if draw(st.booleans()):
                layers.append(Linear(width, out, bias=draw(st.booleans())))
            else:
                layers.append(MLP(width, [out, out], activation=draw(ACTIVATIONS)))
            layers.append(draw(ACTIVATIONS)())
            width = out
        model = Sequential(*layers)
    model.load_state_dict({name: rng.uniform(-1, 1) for name in model.state_dict()})
    return model, n_in


def batches(n_in: int, max_rows: int = 5) -> st.SearchStrategy[list[list[float]]]:
    """Rows of n_in inputs uniform in [-3, 3] (from a seeded random.Random: generic, never exactly 0)."""

    def rows(seed: int, n: int) -> list[list[float]]:
        rng = random.Random(seed)
        return [[rng.uniform(-3, 3) for _ in range(n_in)] for _ in range(n)]

    return st.builds(rows, SEEDS, st.integers(1, max_rows))
