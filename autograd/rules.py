"""One rule per op, written once as Python: its value and its local derivative for each operand.

A rule is three functions over the kind `k` of the data (`autograd.kinds`): `forward(k, x)` or
`forward(k, x, y)` gives the node's value, `dx(k, x, out)` or `dx(k, x, y, out)` gives ∂out/∂x and
`dy(k, x, y, out)` gives ∂out/∂y. Their bodies use + - * / ** and numbers, and ask the kind for the rest
(`k.exp`, `k.step`, ...), never an `if` on the data: so one rule means the same on floats, Fractions,
sympy, Values (`create_graph`) and the expressions `compile()` traces. Every consumer is made from these
functions: the Value operators (`autograd._operators`, written by `python -m autograd._generate`), the
derivatives over Values of `backward(create_graph=True)`, compile's code and the README's op table.

Local derivatives of the series: ∂(x·y)/∂x = y, ∂tanh(x)/∂x = 1 - tanh²(x), ∂ReLU(x)/∂x = 1 for x >= 0.

`sum` and `max` take any number of terms (arity MANY): `forward(k, terms)` and `dx(k, terms, out)`, the
local derivative of each term.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from autograd.kinds import fold

if TYPE_CHECKING:
    from autograd.value import Value

MANY = -1  # the arity of sum and max: any number of terms


class Op:
    """An op defined once: `forward` = its value, `dx` = ∂out/∂x, `dy` = ∂out/∂y (None: one operand).

    `Op("softplus", lambda k, x: k.log1p(k.exp(x)), lambda k, x, out: k.sigmoid(x))(v)` makes one node
    whose `op` is "softplus". A binary forward without `dy` takes a constant as y (leaky_relu's slope).
    The name labels nodes and registers nothing.
    """

    __slots__ = ("arity", "dx", "dy", "forward", "name")

    def __init__(
        self,
        name: str,
        forward: Callable[..., Any],
        dx: Callable[..., Any],
        dy: Callable[..., Any] | None = None,
        *,
        arity: int | None = None,
    ) -> None:
        if type(name) is not str or not name:
            raise TypeError(f"an Op's name must be a non-empty str, not {name!r}")
        for part, function in (("forward", forward), ("dx", dx), ("dy", dy)):
            if not callable(function) and (function is not None or part != "dy"):
                raise TypeError(f"op {name!r}: {part} must be callable, not {type(function).__name__}")
        if arity is None:
            arity = _operands(name, forward)
        elif arity != MANY:
            raise ValueError(f"op {name!r}: arity is inferred from forward; only MANY may be given")
        if dy is not None and arity != 2:
            raise TypeError(f"op {name!r}: dy is ∂out/∂y, but forward takes {arity} operand")
        self.name = name
        self.forward = forward
        self.dx = dx
        self.dy = dy
        self.arity = arity

    def __call__(self, *operands: Any) -> Value:
        """The op applied to its operands (a Value, and for two operands a Value or a number either side)."""
        from autograd.value import apply  # value.py imports this module

        return apply(self, operands)

    def __repr__(self) -> str:
        return f"Op({self.name!r})"


def _operands(name: str, forward: Callable[..., Any]) -> int:
    """The number of operands forward(k, x) or forward(k, x, y) takes."""
    try:
        parameters = inspect.signature(forward).parameters
    except (TypeError, ValueError):
        raise TypeError(f"op {name!r}: forward's signature cannot be read") from None
    n = len(parameters) - 1
    if n not in (1, 2):
        raise TypeError(f"op {name!r}: forward must be forward(k, x) or forward(k, x, y), not take {n + 1}")
    return n


ADD = Op("+", lambda k, x, y: x + y, lambda k, x, y, out: 1, lambda k, x, y, out: 1)
SUM = Op("sum", lambda k, terms: fold(terms), lambda k, terms, out: (1,) * len(terms), arity=MANY)
SUB = Op("-", lambda k, x, y: x - y, lambda k, x, y, out: 1, lambda k, x, y, out: -1)
MUL = Op("*", lambda k, x, y: x * y, lambda k, x, y, out: y, lambda k, x, y, out: x)
DIV = Op("/", lambda k, x, y: k.divide(x, y), lambda k, x, y, out: 1 / y, lambda k, x, y, out: -out / y)
POW = Op("**", lambda k, x, y: k.power(x, y), lambda k, x, y, out: k.times_pow(y, x, y - 1),
         lambda k, x, y, out: k.times_log(out, x))
NEG = Op("neg", lambda k, x: -x, lambda k, x, out: -1)
EXP = Op("exp", lambda k, x: k.exp(x), lambda k, x, out: out)
LOG = Op("log", lambda k, x: k.log(x), lambda k, x, out: 1 / x)
LOG1P = Op("log1p", lambda k, x: k.log1p(x), lambda k, x, out: 1 / (1 + x))
SQRT = Op("sqrt", lambda k, x: k.sqrt(x), lambda k, x, out: k.inverse(2 * out))
SIN = Op("sin", lambda k, x: k.sin(x), lambda k, x, out: k.cos(x))
COS = Op("cos", lambda k, x: k.cos(x), lambda k, x, out: -k.sin(x))
TAN = Op("tan", lambda k, x: k.tan(x), lambda k, x, out: 1 + out * out)
TANH = Op("tanh", lambda k, x: k.tanh(x), lambda k, x, out: 1 - out * out)
SIGMOID = Op("sigmoid", lambda k, x: k.sigmoid(x), lambda k, x, out: out * (1 - out))
SOFTPLUS = Op("softplus", lambda k, x: k.softplus(x), lambda k, x, out: k.sigmoid(x))
ABS = Op("abs", lambda k, x: k.abs(x), lambda k, x, out: k.sign(x))
RELU = Op("relu", lambda k, x: k.relu(x), lambda k, x, out: k.step(x))
LEAKY_RELU = Op("leaky_relu", lambda k, x, y: k.leaky_relu(x, y), lambda k, x, y, out: k.step(x, y))
MAX = Op("max", lambda k, terms: k.max(terms), lambda k, terms, out: k.first_max(terms), arity=MANY)

OPS: dict[str, Op] = {  # the built-in ops, by name
    op.name: op
    for op in (ADD, SUM, SUB, MUL, DIV, POW, NEG, EXP, LOG, LOG1P, SQRT, SIN, COS, TAN, TANH, SIGMOID,
               SOFTPLUS, ABS, RELU, LEAKY_RELU, MAX)
}
