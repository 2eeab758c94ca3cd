"""The registry of ops: every test of ops is driven by it, so a new op is tested everywhere by one line.

Each op says how to apply it to Values (and to the tests' Dual numbers), to floats (math), and to sympy
symbols (the reference: sympy differentiates it, to first and second order), where its float domain is
smooth, and whether Fractions stay exact through it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from functools import reduce
from operator import add
from typing import Any

import sympy

import autograd
from autograd import Value

LEAKY_SLOPE = Fraction(1, 10)  # the slope leaky_relu is applied with (exact, and unlike the default)
MARGIN = 0.1  # divisors, log and sqrt arguments, bases of Value powers stay this far above 0
KINK = 0.05  # the arguments of relu, leaky_relu and abs stay this far from their kink at 0 (floats)


def _anywhere(*args: float) -> bool:
    return True


@dataclass(frozen=True)
class Op:
    """One op: `value` applies it to Values, `real` to floats, `symbolic` to sympy symbols."""

    name: str
    arity: int
    value: Callable[..., Any]
    real: Callable[..., float]
    symbolic: Callable[..., Any]
    domain: Callable[..., bool] = _anywhere  # float arguments where it is smooth
    exact: bool = False  # Fraction arguments give a Fraction
    rational: bool = False  # a rational function: sympy's cancel decides equality


def _sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def _sum(*terms: Any) -> Any:
    """autograd.sum of Values; the same left fold of + for the tests' Duals, floats and symbols."""
    return autograd.sum(terms) if isinstance(terms[0], Value) else reduce(add, terms)


def _away_from_kink(x: float) -> bool:
    return abs(x) >= KINK


def _max(*terms: Any) -> Any:
    """autograd.max of Values; the first largest term of Duals and floats; sympy's Max of symbols."""
    if isinstance(terms[0], Value):
        return autograd.max(terms)
    if isinstance(terms[0], sympy.Basic):
        return sympy.Max(*terms)
    return max(terms, key=lambda t: getattr(t, "value", t))  # Python's max: the first largest


def _apart(*terms: float) -> bool:
    """Terms KINK apart from each other: max is smooth there (strategies pass a term taken twice once)."""
    return all(abs(a - b) >= KINK for i, a in enumerate(terms) for b in terms[i + 1 :])


def _softplus(x: float) -> float:
    return math.log1p(math.exp(x))


OPS: dict[str, Op] = {
    op.name: op
    for op in (
        Op("+", 2, lambda x, y: x + y, lambda x, y: x + y, lambda x, y: x + y, exact=True, rational=True),
        Op("sum", 3, _sum, lambda x, y, z: x + y + z, lambda x, y, z: x + y + z, exact=True, rational=True),
        Op("-", 2, lambda x, y: x - y, lambda x, y: x - y, lambda x, y: x - y, exact=True, rational=True),
        Op("*", 2, lambda x, y: x * y, lambda x, y: x * y, lambda x, y: x * y, exact=True, rational=True),
        Op("/", 2, lambda x, y: x / y, lambda x, y: x / y, lambda x, y: x / y,
           lambda x, y: abs(y) >= MARGIN, exact=True, rational=True),
        # exact and rational with an integer constant exponent: the only ** that exact programs draw
        Op("**", 2, lambda x, y: x**y, lambda x, y: x**y, lambda x, y: x**y, lambda x, y: x >= MARGIN,
           exact=True, rational=True),
        Op("neg", 1, lambda x: -x, lambda x: -x, lambda x: -x, exact=True, rational=True),
        Op("exp", 1, lambda x: x.exp(), math.exp, sympy.exp, lambda x: x <= 4),
        Op("log", 1, lambda x: x.log(), math.log, sympy.log, lambda x: x >= MARGIN),
        Op("log1p", 1, lambda x: x.log1p(), math.log1p, lambda x: sympy.log(1 + x),
           lambda x: x >= MARGIN - 1),
        Op("sqrt", 1, lambda x: x.sqrt(), math.sqrt, sympy.sqrt, lambda x: x >= MARGIN),
        Op("sin", 1, lambda x: x.sin(), math.sin, sympy.sin),
        Op("cos", 1, lambda x: x.cos(), math.cos, sympy.cos),
        Op("tan", 1, lambda x: x.tan(), math.tan, sympy.tan, lambda x: abs(math.cos(x)) >= 0.2),
        Op("tanh", 1, lambda x: x.tanh(), math.tanh, sympy.tanh),
        Op("sigmoid", 1, lambda x: x.sigmoid(), _sigmoid, lambda x: 1 / (1 + sympy.exp(-x))),
        Op("softplus", 1, lambda x: x.softplus(), _softplus, lambda x: sympy.log(1 + sympy.exp(x)),
           lambda x: x <= 4),
        Op("abs", 1, abs, abs, sympy.Abs, _away_from_kink, exact=True),
        Op("relu", 1, lambda x: x.relu(), lambda x: max(x, 0.0),
           lambda x: sympy.Piecewise((x, x >= 0), (0, True)), _away_from_kink, exact=True),
        Op("leaky_relu", 1, lambda x: x.leaky_relu(LEAKY_SLOPE),
           lambda x: x if x >= 0 else float(LEAKY_SLOPE) * x,
           lambda x: sympy.Piecewise((x, x >= 0), (LEAKY_SLOPE * x, True)), _away_from_kink, exact=True),
        Op("max", 3, _max, _max, _max, _apart, exact=True),
    )
}
assert set(OPS) == set(autograd.OPS), "every built-in op of autograd.rules has its line here, and no other"
UNARY = [op for op in OPS.values() if op.arity == 1]
BINARY = [op for op in OPS.values() if op.arity == 2]
MANY = [op for op in OPS.values() if op.arity == 3]  # sum and max, tried on three terms
