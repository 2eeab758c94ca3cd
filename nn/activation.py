"""Layers without weights: Input1D (the series' L1) and the activations o^k_i = f(o^{k-1}_i).

Their learning flow δ^k_i = δ^{k+1}_i · f'(o^{k-1}_i) emerges from the engine's local derivatives.
"""

from __future__ import annotations

from collections.abc import Sequence

from autograd import Value
from nn.module import Module, Scalar, as_values, check_inputs


class Input1D(Module):
    """The input layer L1(X) = X: it stores the data in its output neurons, so δ^1 = δ^2."""

    def __init__(self, n: int | None = None) -> None:
        self.n = n

    def forward(self, x: Sequence[Value | Scalar]) -> list[Value]:
        """The data as neurons o^1 (numbers wrapped in leaf Values), checked against n if given."""
        check_inputs(self, x, self.n)
        return as_values(x)

    def extra_repr(self) -> str:
        return "" if self.n is None else f"n={self.n}"


class Activation(Module):
    """An activation layer: the same function f on every neuron, o^k_i = f(o^{k-1}_i)."""

    def activate(self, x: Value) -> Value:
        """f(x) as an engine node (each activation defines it)."""
        raise NotImplementedError(f"{type(self).__name__} does not define activate")

    def forward(self, x: Sequence[Value | Scalar]) -> list[Value]:
        """f on every input neuron."""
        check_inputs(self, x)
        return list(map(self.activate, as_values(x)))


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
