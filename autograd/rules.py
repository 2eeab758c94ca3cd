"""One rule per op: its forward value and its local derivatives, each written once as a formula.

A formula is a Python expression over the operands `x` and `y`, the node's value `out` (derivatives
only) and `k`, the kind of the data (`autograd.scalars`: float, exact or symbolic; or Values, for
`create_graph`). Whatever a formula needs beyond + - * / ** it asks the kind for: `k.exp`, `k.step`, ...
Every consumer is made from this table: the Value operators (`autograd.value`), the derivatives over
Values of `backward(create_graph=True)`, and the code that `compile()` writes. Adding an op is adding a
line here (and a line in the tests' op registry).

`sum` is + over any number of terms in one node (a neuron's Σ_i w_i·o_i + b): its value is `x + y`
folded over the terms, and the local derivative of every term is 1. Its fold and the loops over its
terms (the backward pass's, compile's) are written where the node's tuple of terms is read: the rule
holds the formulas, `autograd.value.sum` and the backward loop hold the loop.

Local derivatives of the series: ∂(x·y)/∂x = y, ∂tanh(x)/∂x = 1 - tanh²(x), ∂ReLU(x)/∂x = 1 for x >= 0.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Rule:
    """An op: `forward` = its value, `dx` = ∂out/∂x and `dy` = ∂out/∂y (None for one operand)."""

    name: str
    forward: str
    dx: str
    dy: str | None = None
    method: str | None = None  # the Value method that applies it ("__mul__", "tanh"; sum: autograd.sum)
    reflected: str | None = None  # the method for `constant op Value` ("__rmul__", ...)
    arity: int = 0  # operands: 2 where `dy` is given or for a constant `y` (a slope); MANY for sum
    local_x: Callable[..., Any] = field(init=False, repr=False, compare=False)
    local_y: Callable[..., Any] | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.arity:
            object.__setattr__(self, "arity", 1 if self.dy is None else 2)
        object.__setattr__(self, "local_x", _formula(self.dx))
        object.__setattr__(self, "local_y", None if self.dy is None else _formula(self.dy))


MANY = -1  # the arity of `sum`: any number of terms, folded with `forward` left to right


def _formula(text: str) -> Callable[..., Any]:
    """A derivative formula as a function of (k, x, y, out)."""
    function: Callable[..., Any] = eval(f"lambda k, x, y, out: {text}")  # the text is this module's own
    return function


RULES: dict[str, Rule] = {
    rule.name: rule
    for rule in (
        Rule("+", "x + y", "1", "1", "__add__", "__radd__"),
        Rule("sum", "x + y", "1", None, "sum", arity=MANY),
        Rule("-", "x - y", "1", "-1", "__sub__", "__rsub__"),
        Rule("*", "x * y", "y", "x", "__mul__", "__rmul__"),
        Rule("/", "k.divide(x, y)", "1 / y", "-out / y", "__truediv__", "__rtruediv__"),
        Rule("**", "k.power(x, y)", "k.zero if y == 0 else y * k.pow(x, y - 1)", "k.times_log(out, x)",
             "__pow__", "__rpow__"),
        Rule("neg", "-x", "-1", None, "__neg__"),
        Rule("exp", "k.exp(x)", "out", None, "exp"),
        Rule("log", "k.log(x)", "1 / x", None, "log"),
        Rule("sqrt", "k.sqrt(x)", "k.inverse(2 * out)", None, "sqrt"),
        Rule("sin", "k.sin(x)", "k.cos(x)", None, "sin"),
        Rule("cos", "k.cos(x)", "-k.sin(x)", None, "cos"),
        Rule("tanh", "k.tanh(x)", "1 - out * out", None, "tanh"),
        Rule("sigmoid", "k.sigmoid(x)", "out * (1 - out)", None, "sigmoid"),
        Rule("abs", "abs(x)", "k.sign(x)", None, "__abs__"),
        Rule("relu", "k.relu(x)", "k.step(x)", None, "relu"),
        Rule("leaky_relu", "k.leaky_relu(x, y)", "k.step(x, y)", None, "_leaky_relu", arity=2),
    )
}
