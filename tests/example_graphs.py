"""Small graphs shared by the Explorer's tests."""

from __future__ import annotations

from autograd import Value


def neuron() -> tuple[Value, Value, Value]:
    """The issue's example: w = 3, x = 2, o = w·x + b = 7, loss = ½ (o - 1)² = 18, δw = 12 (w, x, loss)."""
    x, w, b = Value(2.0, "x"), Value(3.0, "w"), Value(1.0, "b")
    o = w * x + b
    o.label = "o"
    loss = 0.5 * (o - 1.0) ** 2
    loss.label = "loss"
    return w, x, loss
