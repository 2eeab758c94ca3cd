"""A rule's formulas as text: each rule traced over `FormulaKind`, a kind whose data is Python text.

`formulas(MUL)` is ("x * y", "y", "x"), `formulas(POW)[1]` is "k.times_pow(y, x, y - 1)": what the Value
operators inline (`autograd._generate`), help() and the README's op table show, compile() writes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from autograd.kinds import Kind
from autograd.rules import MANY, Op

_BINDING = {"+": 1, "-": 1, "*": 2, "/": 2}  # how tightly an operator binds; unary minus 3, ** 4, atoms 5


class Formula:
    """A formula's text as a kind's data: arithmetic on it writes Python with the brackets it needs."""

    __slots__ = ("binding", "text")

    def __init__(self, text: str, binding: int = 5) -> None:
        self.text = text
        self.binding = binding

    def _infix(self, symbol: str, left: Any, right: Any) -> Formula:
        binding = _BINDING[symbol]
        a, b = _formula(left), _formula(right)
        return Formula(f"{a.bracketed(binding)} {symbol} {b.bracketed(binding + 1)}", binding)

    def bracketed(self, binding: int) -> str:
        """The text, in brackets where it binds less tightly than `binding`."""
        return self.text if self.binding >= binding else f"({self.text})"

    def __add__(self, other: Any) -> Formula:
        return self._infix("+", self, other)

    def __radd__(self, other: Any) -> Formula:
        return self._infix("+", other, self)

    def __sub__(self, other: Any) -> Formula:
        return self._infix("-", self, other)

    def __rsub__(self, other: Any) -> Formula:
        return self._infix("-", other, self)

    def __mul__(self, other: Any) -> Formula:
        return self._infix("*", self, other)

    def __rmul__(self, other: Any) -> Formula:
        return self._infix("*", other, self)

    def __truediv__(self, other: Any) -> Formula:
        return self._infix("/", self, other)

    def __rtruediv__(self, other: Any) -> Formula:
        return self._infix("/", other, self)

    def __pow__(self, other: Any) -> Formula:
        return Formula(f"{self.bracketed(5)} ** {_formula(other).bracketed(4)}", 4)

    def __rpow__(self, other: Any) -> Formula:
        return Formula(f"{_formula(other).bracketed(5)} ** {self.bracketed(4)}", 4)

    def __neg__(self) -> Formula:
        return Formula(f"-{self.bracketed(3)}", 3)


def _formula(x: Any) -> Formula:
    """A Formula, or a number literal of a rule as one."""
    if isinstance(x, Formula):
        return x
    text = repr(x)
    return Formula(text, 3 if text.startswith("-") else 5)


def _call(name: str) -> Any:
    """`k.name(...)` as a Formula."""
    return staticmethod(lambda *args: Formula(f"k.{name}({', '.join(_formula(a).text for a in args)})"))


def _terms_call(name: str) -> Any:
    """`k.name(terms)` as a Formula (the functions of sum and max)."""
    return staticmethod(lambda terms: Formula(f"k.{name}(terms)"))


# The kind whose data is text: every function of the declaration writes its call.
FormulaKind: type[Kind] = type(
    "FormulaKind",
    (Kind,),
    {
        "__doc__": "A kind whose data is text: a rule traced over it writes its formula.",
        **{name: _call(name) for name in Kind.__abstractmethods__ - {"max", "first_max"}},
        **{name: _terms_call(name) for name in ("max", "first_max")},
    },
)


def formulas(op: Op) -> tuple[str, str, str | None]:
    """The texts of an op's value, ∂out/∂x and ∂out/∂y (None for one operand).

    For sum and max (MANY), the value over the terms x, y and the local derivative of each term.
    """
    k, x, y, out = FormulaKind, Formula("x"), Formula("y"), Formula("out")
    if op.arity == MANY:
        terms: Sequence[Any] = _Terms()
        dx = op.dx(k, terms, out)
        each = dx if isinstance(dx, Formula) else dx[0]  # sum: (1, 1, ...), the same for each term
        return _formula(op.forward(k, terms)).text, _formula(each).text, None
    if op.arity == 1:
        return _formula(op.forward(k, x)).text, _formula(op.dx(k, x, out)).text, None
    dy = None if op.dy is None else _formula(op.dy(k, x, y, out)).text
    return _formula(op.forward(k, x, y)).text, _formula(op.dx(k, x, y, out)).text, dy


class _Terms(tuple):  # type: ignore[type-arg]
    """The terms of sum or max as a formula sees them: 'terms', folded as 'x + y'."""

    def __new__(cls) -> _Terms:
        return super().__new__(cls, (Formula("x"), Formula("y")))


