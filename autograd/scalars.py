"""What differs per kind of data: floats (fast), Fractions (exact) and sympy expressions (symbolic)."""

from __future__ import annotations

import math
import numbers
import sys
from fractions import Fraction
from typing import Any

Scalar = Any  # float | Fraction | sympy.Expr: the data a Value can hold


def coerce(data: object) -> Scalar:
    """The data a Value stores for `data`: a float, a Fraction or a sympy expression."""
    if isinstance(data, float):
        return float(data)  # numpy.float64 is a float subclass: store the plain float
    if isinstance(data, Fraction):
        return data
    if is_symbolic(data):  # before Real: sympy numbers register as Real, yet stay symbolic
        return data
    if isinstance(data, numbers.Real):  # int, bool and numpy scalars
        return float(data)
    raise TypeError(
        f"Value data must be a float, a Fraction or a sympy expression, not {type(data).__name__}"
    )


def is_constant(x: object) -> bool:
    """Whether `x` can stand as a constant operand beside a Value (a number or a sympy expression)."""
    return isinstance(x, numbers.Real) or is_symbolic(x)


def is_symbolic(x: object) -> bool:
    """Whether `x` is a sympy expression (sympy is only looked at when the user imported it)."""
    sympy = sys.modules.get("sympy")
    return sympy is not None and isinstance(x, sympy.Basic)


def math_of(x: Scalar) -> type[FloatMath]:
    """The functions that fit the kind of `x`."""
    if type(x) is float:
        return FloatMath
    if isinstance(x, Fraction):
        return ExactMath
    return SymbolicMath


class FloatMath:
    """Float data: IEEE arithmetic; a domain error or an overflow raises, naming the op and operand."""

    @staticmethod
    def exp(x: Scalar) -> Scalar:
        """e^x."""
        try:
            return math.exp(x)
        except OverflowError:
            raise ValueError(f"exp({x!r}) overflows a float") from None

    @staticmethod
    def log(x: Scalar) -> Scalar:
        """ln x, defined for x > 0."""
        if x <= 0:  # NaN passes: it propagates (IEEE)
            raise ValueError(f"log({x!r}) is undefined: log needs x > 0")
        return math.log(x)

    @staticmethod
    def tanh(x: Scalar) -> Scalar:
        """tanh x."""
        return math.tanh(x)

    @staticmethod
    def sigmoid(x: Scalar) -> Scalar:
        """The logistic 1 / (1 + e^-x), computed without overflow on either side."""
        if x >= 0:
            return 1.0 / (1.0 + math.exp(-x))
        e = math.exp(x)
        return e / (1.0 + e)

    @staticmethod
    def relu(x: Scalar) -> tuple[Scalar, Scalar]:
        """ReLU(x) and ReLU'(x) = 1 if x >= 0 else 0 (the series' convention at 0)."""
        return (type(x)(0), 0) if x < 0 else (x, 1)  # NaN passes: it propagates (IEEE)

    @staticmethod
    def leaky_relu(x: Scalar, slope: Scalar) -> tuple[Scalar, Scalar]:
        """LeakyReLU(x) = x if x >= 0 else slope * x, and its derivative (1 at 0)."""
        return (x, 1) if x >= 0 else (slope * x, slope)

    @staticmethod
    def reciprocal(y: Scalar) -> Scalar:
        """1 / y for a constant divisor y (an int divisor of exact data stays exact)."""
        return 1 / y

    @staticmethod
    def constant(c: Scalar) -> Scalar:
        """A constant operand as data of this kind."""
        return c

    @staticmethod
    def pow(x: Scalar, n: Scalar) -> Scalar:
        """x ** n, a real number or an error that names both."""
        try:
            out = x**n
        except ZeroDivisionError:
            raise ZeroDivisionError(f"pow: {x!r} ** {n!r} divides by zero") from None
        except OverflowError:
            raise ValueError(f"pow: {x!r} ** {n!r} overflows a float") from None
        if isinstance(out, complex):
            raise ValueError(f"pow: {x!r} ** {n!r} is not real (negative base, fractional exponent)")
        return out

    @staticmethod
    def pow_local(x: Scalar, n: Scalar) -> Scalar:
        """d(x ** n)/dx = n * x ** (n - 1); infinite (IEEE) where it blows up at x = 0."""
        if n == 0:
            return 0 * x
        if x == 0 and n < 1:
            return math.inf
        try:
            return n * x ** (n - 1)
        except OverflowError:
            raise ValueError(f"pow: the derivative of {x!r} ** {n!r} overflows a float") from None

    @staticmethod
    def log_base(x: Scalar) -> Scalar:
        """ln x as the factor of ∂(x ** n)/∂n = x ** n · ln x: 0 at x = 0 (where x ** n is 0), NaN below."""
        if x > 0:
            return math.log(x)
        return 0.0 if x == 0 else math.nan


class ExactMath(FloatMath):
    """Fraction data: + - * / ** (integer exponent) and ReLU stay exact; the rest turns to floats."""

    @staticmethod
    def exp(x: Scalar) -> Scalar:
        """e^x as a float."""
        return FloatMath.exp(float(x))

    @staticmethod
    def log(x: Scalar) -> Scalar:
        """ln x as a float, defined for x > 0."""
        return FloatMath.log(float(x) if x > 0 else x)

    @staticmethod
    def sigmoid(x: Scalar) -> Scalar:
        """The logistic of x as a float."""
        return FloatMath.sigmoid(float(x))

    @staticmethod
    def reciprocal(y: Scalar) -> Scalar:
        """1 / y, exact for an int or Fraction y."""
        return Fraction(1) / y

    @staticmethod
    def constant(c: Scalar) -> Scalar:
        """An int or Fraction constant as a Fraction; a float stays a float."""
        return c if isinstance(c, float) else Fraction(c)


class SymbolicMath(FloatMath):
    """sympy data: every op is symbolic, so there are no domain checks."""

    @staticmethod
    def exp(x: Scalar) -> Scalar:
        """exp(x)."""
        return _sympy().exp(x)

    @staticmethod
    def log(x: Scalar) -> Scalar:
        """log(x)."""
        return _sympy().log(x)

    @staticmethod
    def tanh(x: Scalar) -> Scalar:
        """tanh(x)."""
        return _sympy().tanh(x)

    @staticmethod
    def sigmoid(x: Scalar) -> Scalar:
        """1 / (1 + exp(-x))."""
        return 1 / (1 + _sympy().exp(-x))

    @staticmethod
    def relu(x: Scalar) -> tuple[Scalar, Scalar]:
        """Piecewise ReLU and its derivative, 1 where x >= 0."""
        return SymbolicMath.leaky_relu(x, 0)

    @staticmethod
    def leaky_relu(x: Scalar, slope: Scalar) -> tuple[Scalar, Scalar]:
        """Piecewise LeakyReLU and its derivative, 1 where x >= 0."""
        sp = _sympy()
        return sp.Piecewise((x, x >= 0), (slope * x, True)), sp.Piecewise((1, x >= 0), (slope, True))

    @staticmethod
    def reciprocal(y: Scalar) -> Scalar:
        """1 / y, as a sympy number."""
        return _sympy().Integer(1) / y

    @staticmethod
    def constant(c: Scalar) -> Scalar:
        """A constant operand as a sympy number."""
        return _sympy().sympify(c)

    @staticmethod
    def pow(x: Scalar, n: Scalar) -> Scalar:
        """x ** n."""
        return x**n

    @staticmethod
    def pow_local(x: Scalar, n: Scalar) -> Scalar:
        """n * x ** (n - 1); 0 for n = 0, even at x = 0 (where 0 * 0 ** -1 would be nan)."""
        return 0 * x if n == 0 else n * x ** (n - 1)

    @staticmethod
    def log_base(x: Scalar) -> Scalar:
        """log(x)."""
        return _sympy().log(x)


def _sympy() -> Any:
    import sympy  # the symbolic extra: imported only when symbolic data is used

    return sympy
