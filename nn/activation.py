"""Layers without weights: Input1D (the series' L1), the activations o^k_i = f(o^{k-1}_i) and Softmax.

Their learning flow δ^k_i = δ^{k+1}_i · f'(o^{k-1}_i) emerges from the engine's local derivatives.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import autograd
from autograd import Scalar, Value
from nn.module import Module, apply, as_value, as_values, check_inputs, depth


class Input1D(Module):
    """The input layer L1(X) = X: it stores the data in its output neurons, so δ^1 = δ^2."""

    input_layer = True

    def __init__(self, n: int | None = None) -> None:
        self.n = n

    def forward(self, x: Sequence[Value | Scalar]) -> list[Value]:
        """The data as neurons o^1 (numbers wrapped in leaf Values), checked against n if given.

        A batch (a list of rows) gives the list of each row's neurons.
        """
        if depth(x) == 2:
            return [self.forward(row) for row in x]  # type: ignore[arg-type, misc]
        check_inputs(self, x, self.n)
        return as_values(x)

    def extra_repr(self) -> str:
        return "" if self.n is None else f"n={self.n}"


class Activation(Module):
    """An activation layer: the same function f on every neuron, o^k_i = f(o^{k-1}_i)."""

    def activate(self, x: Value) -> Value:
        """f(x) as an engine node (each activation defines it)."""
        raise NotImplementedError(f"{type(self).__name__} does not define activate")

    def forward(self, x: Sequence[Any]) -> list[Any]:
        """f on every input neuron, element by element at any depth ([f], [c][i][j], a batch of them)."""
        check_inputs(self, x)
        activate = self.activate
        if all(type(v) is Value for v in x):  # one sample's neurons, the common case: no walk through nesting
            return [activate(v) for v in x]
        return apply(lambda v: activate(as_value(v)), x)  # type: ignore[no-any-return]


class ReLU(Activation):
    """ReLU(x) = x if x >= 0 else 0: δ^k = δ^{k+1} if o^{k-1} >= 0 else 0."""

    def activate(self, x: Value) -> Value:
        return x.relu()


class LeakyReLU(Activation):
    """LeakyReLU(x) = x if x >= 0 else slope·x: δ^k = δ^{k+1} if o^{k-1} >= 0 else slope·δ^{k+1}."""

    def __init__(self, slope: Scalar = 0.01) -> None:
        Value(0.0).leaky_relu(slope)  # the engine's check: a slope that is not a number is a TypeError, now
        self.slope = slope

    def activate(self, x: Value) -> Value:
        return x.leaky_relu(self.slope)

    def extra_repr(self) -> str:
        return f"slope={self.slope}"


class Tanh(Activation):
    """tanh(x): δ^k = δ^{k+1} · (1 - tanh²(o^{k-1}))."""

    def activate(self, x: Value) -> Value:
        return x.tanh()


class Sigmoid(Activation):
    """The series' logistic σ(x) = 1 / (1 + e^-x): δ^k = δ^{k+1} · σ(o^{k-1})(1 - σ(o^{k-1}))."""

    def activate(self, x: Value) -> Value:
        return x.sigmoid()


class Softmax(Module):
    """softmax(x)_i = e^{x_i - m} / Σ_j e^{x_j - m}, m = max_j x_j a max node (no overflow).

    Its learning flow emerges: δx_i = p_i·(δ_i - Σ_j p_j·δ_j). A batch (a list of rows) gives a list of rows.
    """

    def forward(self, x: Sequence[Any]) -> list[Any]:
        """The probabilities p_i of one row of logits (or of each row of a batch)."""
        if depth(x) == 2:
            return [self.forward(row) for row in x]
        if depth(x) != 1 or not x:
            raise ValueError(f"Softmax expects a non-empty list of logits [n] or a batch of them, got {x!r}")
        exps = [v.exp() for v in shifted(x)]
        total = autograd.sum(exps)
        return [e / total for e in exps]


def shifted(x: Sequence[Value | Scalar]) -> list[Value]:
    """x_i - m with m = max_j x_j a max node (m = 0 for symbolic data): the stable softmax's exponents.

    As a node, m follows each row's logits where a traced graph is replayed (compile); its gradient
    is Σ_i ∂/∂x_i = 0 (softmax is unchanged by a shift), up to rounding.
    """
    xs = as_values(x)
    if not all(isinstance(v.data, (float, Fraction)) for v in xs):
        return xs
    m = autograd.max(xs)
    return [v - m for v in xs]
