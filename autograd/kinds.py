"""The kinds of data a Value holds and what a rule may ask of them, declared once (`Kind`).

A rule (`autograd.rules`) is written over a kind `k`: + - * / ** and `k.<function>(...)` only, so the
same rule means the same thing on floats (the fast path), Fractions (exact), sympy expressions
(symbolic), Values (`create_graph`), numpy arrays of rows (`autograd.arrays.ArrayKind`: a batch in
one compiled call) and any other kind that implements `Kind`.
"""

from __future__ import annotations

import math
import numbers
import sys
from abc import ABC, abstractmethod
from collections.abc import Sequence
from fractions import Fraction
from functools import reduce
from operator import add
from typing import Any

Scalar = Any  # float | Fraction | sympy.Expr: the data a Value can hold

MAX_EXACT_BITS = 200_000  # an exact result (numerator or denominator) with more bits is refused
_SHORT_DIGITS = 30  # numbers longer than this are shortened in messages and reprs


def coerce(data: object, op: str = "Value") -> Scalar:
    """The data a Value stores for `data` (made by `op`): a float, a Fraction or a sympy expression."""
    if isinstance(data, float):
        return float(data)  # numpy.float64 is a float subclass: store the plain float
    if isinstance(data, Fraction):
        return bounded(data, op)
    if is_symbolic(data):  # before Real: sympy numbers register as Real, yet stay symbolic
        return data
    if isinstance(data, numbers.Real):  # int, bool and numpy scalars
        return to_float(data)
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


def kind_of(x: Scalar) -> type[Kind]:
    """The functions that fit the kind of `x`."""
    if type(x) is float:
        return FloatKind
    if isinstance(x, Fraction):
        return ExactKind
    if is_symbolic(x):
        _sympy()
        return SymbolicKind
    return FloatKind  # an int constant met on its own


def number_text(x: object) -> str:
    """A number as a learner reads it: 2.5, -3, 3/2, x**2; huge exact numbers shortened (≈1.0e+400)."""
    if isinstance(x, Fraction | int) and not isinstance(x, bool):
        digits = _digits(x.numerator) + _digits(x.denominator)
        if digits > _SHORT_DIGITS:
            return f"≈{_short_float(x)} ({digits} digits)"
        return str(x)
    return repr(x) if isinstance(x, float) else str(x)


def _digits(n: int) -> int:
    """The number of decimal digits of |n| (roughly, without converting to text)."""
    return max(1, int(abs(n).bit_length() * 0.30103) + 1)


def _short_float(x: Fraction | int) -> str:
    """x in scientific notation, even beyond the float range."""
    x = Fraction(x)
    if x == 0:
        return "0"
    exponent = _digits(x.numerator) - _digits(x.denominator)
    mantissa = float(x / Fraction(10) ** exponent) if exponent >= 0 else float(x * Fraction(10) ** -exponent)
    while abs(mantissa) >= 10:
        mantissa, exponent = mantissa / 10, exponent + 1
    while 0 < abs(mantissa) < 1:
        mantissa, exponent = mantissa * 10, exponent - 1
    return f"{mantissa:.1f}e{exponent:+d}"


def bounded(x: Fraction, op: str) -> Fraction:
    """x itself, or a ValueError naming `op` where x needs more than MAX_EXACT_BITS bits.

    One bound for every exact result, so that each exact op on its operands takes well under a second.
    """
    bits = max(x.numerator.bit_length(), x.denominator.bit_length())
    if bits > MAX_EXACT_BITS:
        raise ValueError(
            f"{op}: an exact result of {bits} bits, over the limit of exact results "
            f"(MAX_EXACT_BITS = {MAX_EXACT_BITS}): use floats"
        )
    return x


def to_float(x: Any) -> float:
    """float(x), or an OverflowError that names a number too large for a float (numpy's long double too)."""
    try:
        f = float(x)
    except OverflowError:
        f = math.inf if x > 0 else -math.inf
    if math.isinf(f) and x != f:  # a finite number that float() could not hold
        hint = "" if isinstance(x, Fraction) else ": use a Fraction"
        raise OverflowError(f"{number_text(x)} is too large for a float{hint}")
    return f


def _saturated(x: Fraction) -> float:
    """x as a float, ±inf beyond the float range (for functions that saturate: tanh, sigmoid)."""
    try:
        return float(x)
    except OverflowError:
        return math.inf if x > 0 else -math.inf




class Kind(ABC):
    """What a rule may ask of a kind of data, beyond + - * / **: each kind implements all of it.

    `zero` is the kind's 0 (a gradient nothing reached). Every function is a static method.
    """

    zero: Scalar = 0

    @staticmethod
    @abstractmethod
    def constant(c: Scalar) -> Scalar:
        """A constant operand (the 2 of `x * 2`) as data of this kind."""

    @staticmethod
    @abstractmethod
    def divide(x: Scalar, y: Scalar) -> Scalar:
        """x / y as an op: an error that names both operands where y is 0."""

    @staticmethod
    @abstractmethod
    def power(x: Scalar, n: Scalar) -> Scalar:
        """x ** n as an op: a real number, or an error that names both."""

    @staticmethod
    @abstractmethod
    def times_pow(a: Scalar, x: Scalar, n: Scalar) -> Scalar:
        """a · x^n inside a derivative (∂x^y/∂x = y · x^(y-1)): 0 where a = 0, +inf where x^n has a pole."""

    @staticmethod
    @abstractmethod
    def times_log(a: Scalar, x: Scalar) -> Scalar:
        """a · ln x inside a derivative (∂x^y/∂y = x^y · ln x): 0 where a = 0, NaN for x <= 0."""

    @staticmethod
    @abstractmethod
    def inverse(x: Scalar) -> Scalar:
        """1 / x inside a derivative: +inf at 0 (IEEE's limit), no error."""

    @staticmethod
    @abstractmethod
    def exp(x: Scalar) -> Scalar:
        """e^x."""

    @staticmethod
    @abstractmethod
    def log(x: Scalar) -> Scalar:
        """ln x, for x > 0."""

    @staticmethod
    @abstractmethod
    def log1p(x: Scalar) -> Scalar:
        """ln(1 + x), for x > -1 (accurate near 0)."""

    @staticmethod
    @abstractmethod
    def sqrt(x: Scalar) -> Scalar:
        """√x, for x >= 0."""

    @staticmethod
    @abstractmethod
    def sin(x: Scalar) -> Scalar:
        """sin x, for finite x."""

    @staticmethod
    @abstractmethod
    def cos(x: Scalar) -> Scalar:
        """cos x, for finite x."""

    @staticmethod
    @abstractmethod
    def tan(x: Scalar) -> Scalar:
        """tan x, for finite x."""

    @staticmethod
    @abstractmethod
    def tanh(x: Scalar) -> Scalar:
        """tanh x."""

    @staticmethod
    @abstractmethod
    def sigmoid(x: Scalar) -> Scalar:
        """The logistic σ(x) = 1 / (1 + e^-x)."""

    @staticmethod
    @abstractmethod
    def softplus(x: Scalar) -> Scalar:
        """softplus(x) = ln(1 + e^x), without overflow for large x."""

    @staticmethod
    @abstractmethod
    def abs(x: Scalar) -> Scalar:
        """|x|."""

    @staticmethod
    @abstractmethod
    def sign(x: Scalar) -> Scalar:
        """sign x: -1, 0 or 1 (the derivative of |x|, 0 at 0); NaN passes."""

    @staticmethod
    @abstractmethod
    def relu(x: Scalar) -> Scalar:
        """ReLU(x) = max(x, 0)."""

    @staticmethod
    @abstractmethod
    def leaky_relu(x: Scalar, slope: Scalar) -> Scalar:
        """LeakyReLU(x) = x if x >= 0 else slope · x."""

    @staticmethod
    @abstractmethod
    def step(x: Scalar, low: Scalar = 0) -> Scalar:
        """The step of relu's derivative: 1 where x >= 0 (the series' convention at 0), else `low`."""

    @staticmethod
    @abstractmethod
    def max(terms: Sequence[Scalar]) -> Scalar:
        """The largest term; NaN wherever a NaN sits (as PyTorch)."""

    @staticmethod
    @abstractmethod
    def first_max(terms: Sequence[Scalar]) -> tuple[Scalar, ...]:
        """∂max/∂term: 1 for the first largest term (or the first NaN), 0 for the others."""


def fold(terms: Sequence[Any]) -> Any:
    """terms[0] + terms[1] + ... left to right (a sum's value in every kind)."""
    return reduce(add, terms)


def _periodic(function: Any, name: str, x: Scalar) -> Scalar:
    """sin, cos or tan of a float: a ValueError that names the op at ±inf (NaN passes)."""
    try:
        return function(x)
    except ValueError:
        raise ValueError(f"{name}({number_text(x)}) is undefined: {name} needs a finite x") from None


class FloatKind(Kind):
    """Float data: IEEE arithmetic; a domain error or an overflow raises, naming the op and operand."""

    zero: Scalar = 0.0

    @staticmethod
    def constant(c: Scalar) -> Scalar:
        """A constant operand as data of this kind (numpy scalars and ints become float64)."""
        if type(c) is float or is_symbolic(c):
            return c
        return to_float(c)

    @staticmethod
    def divide(x: Scalar, y: Scalar) -> Scalar:
        """x / y, or a ZeroDivisionError that names both operands."""
        try:
            return x / y
        except ZeroDivisionError:
            if y != 0:  # a Fraction too small for a float, met with a float
                raise OverflowError(f"{number_text(x)} / {number_text(y)} is too large for a float") from None
            raise ZeroDivisionError(f"division by zero: {number_text(x)} / {number_text(y)}") from None

    @staticmethod
    def power(x: Scalar, n: Scalar) -> Scalar:
        """x ** n as an op: a real number, or an error that names both."""
        try:
            out = x**n
        except ZeroDivisionError:
            raise ZeroDivisionError(f"pow: {number_text(x)} ** {number_text(n)} divides by zero") from None
        except OverflowError:
            raise ValueError(f"pow: {number_text(x)} ** {number_text(n)} overflows a float") from None
        if isinstance(out, complex):
            raise ValueError(
                f"pow: {number_text(x)} ** {number_text(n)} is not real (negative base, fractional exponent)"
            )
        return out

    @staticmethod
    def times_pow(a: Scalar, x: Scalar, n: Scalar) -> Scalar:
        """a · x^n: 0 where a = 0, a · +inf at the pole 0 ** negative (IEEE's limit), no error."""
        if a == 0:
            return a * 0
        if x == 0 and n < 0:
            return a * math.inf
        try:
            return a * x**n
        except OverflowError:
            raise ValueError(f"pow: the derivative at {number_text(x)} overflows a float") from None

    @staticmethod
    def inverse(x: Scalar) -> Scalar:
        """1 / x inside a derivative: +inf at 0 (IEEE's limit), no error."""
        return math.inf if x == 0 else 1 / x

    @staticmethod
    def times_log(a: Scalar, x: Scalar) -> Scalar:
        """a · ln x, as in ∂(x^n)/∂n = x^n · ln x: 0 where a = 0 (its limit at x = 0), NaN for x <= 0."""
        if a == 0:
            return a * 0
        return a * math.log(x) if x > 0 else math.nan

    @staticmethod
    def exp(x: Scalar) -> Scalar:
        """e^x."""
        try:
            return math.exp(x)
        except OverflowError:
            raise ValueError(f"exp({number_text(x)}) overflows a float") from None

    @staticmethod
    def log(x: Scalar) -> Scalar:
        """ln x, defined for x > 0."""
        if x <= 0:  # NaN passes: it propagates (IEEE)
            raise ValueError(f"log({number_text(x)}) is undefined: log needs x > 0")
        return math.log(x)

    @staticmethod
    def log1p(x: Scalar) -> Scalar:
        """ln(1 + x), defined for x > -1."""
        if x <= -1:  # NaN passes
            raise ValueError(f"log1p({number_text(x)}) is undefined: log1p needs x > -1")
        return math.log1p(x)

    @staticmethod
    def sqrt(x: Scalar) -> Scalar:
        """√x, defined for x >= 0."""
        if x < 0:
            raise ValueError(f"sqrt({number_text(x)}) is undefined: sqrt needs x >= 0")
        return math.sqrt(x)

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
    def softplus(x: Scalar) -> Scalar:
        """ln(1 + e^x) as max(x, 0) + ln(1 + e^-|x|): no overflow on either side."""
        return (x if x > 0 else 0.0) + math.log1p(math.exp(-abs(x)))

    @staticmethod
    def sin(x: Scalar) -> Scalar:
        """sin x, for finite x (a ValueError at ±inf)."""
        return _periodic(math.sin, "sin", x)

    @staticmethod
    def cos(x: Scalar) -> Scalar:
        """cos x, for finite x (a ValueError at ±inf)."""
        return _periodic(math.cos, "cos", x)

    @staticmethod
    def tan(x: Scalar) -> Scalar:
        """tan x, for finite x (a ValueError at ±inf)."""
        return _periodic(math.tan, "tan", x)

    @staticmethod
    def abs(x: Scalar) -> Scalar:
        """|x|."""
        return abs(x)

    @staticmethod
    def relu(x: Scalar) -> Scalar:
        """ReLU(x) = max(x, 0): +0 of x's type for x < 0 (-inf included); -0.0 and NaN pass as they are."""
        return type(x)(0) if x < 0 else x

    @staticmethod
    def leaky_relu(x: Scalar, slope: Scalar) -> Scalar:
        """LeakyReLU(x) = x if x >= 0 else slope · x."""
        return slope * x if x < 0 else x

    @staticmethod
    def step(x: Scalar, low: Scalar = 0) -> Scalar:
        """The step of relu's derivative: 1 where x >= 0 (the series' convention at 0), else `low`."""
        return low if x < 0 else 1

    @staticmethod
    def sign(x: Scalar) -> Scalar:
        """sign x: -1, 0 or 1 (the derivative of |x|, 0 at 0); NaN passes."""
        return 1 if x > 0 else -1 if x < 0 else x * 0 if x == 0 else x

    @staticmethod
    def max(terms: Sequence[Scalar]) -> Scalar:
        """The largest term (the first of equals); the first NaN wherever it sits."""
        return terms[_first_max(terms)]

    @staticmethod
    def first_max(terms: Sequence[Scalar]) -> tuple[Scalar, ...]:
        """1 for the first largest term (or the first NaN), 0 for the others."""
        chosen = _first_max(terms)
        return tuple(int(i == chosen) for i in range(len(terms)))


def _first_max(terms: Sequence[Scalar]) -> int:
    """The index of the first NaN, else of the first largest term."""
    best = 0
    for i, t in enumerate(terms):
        if t != t:  # NaN: it propagates, wherever it sits
            return i
        if t > terms[best]:
            best = i
    return best


class ExactKind(FloatKind):
    """Fraction data: + - * / ** (integer exponent), abs, relu and square roots of squares stay exact.

    exp, log, tanh, sigmoid, sin, cos and other roots turn to floats, computed without overflow even for
    Fractions beyond the float range.
    """

    zero: Scalar = Fraction(0)

    @staticmethod
    def constant(c: Scalar) -> Scalar:
        """An int or Fraction constant as a Fraction; a float stays a float (the result turns float)."""
        if isinstance(c, Fraction) or is_symbolic(c):
            return c
        if isinstance(c, numbers.Integral):
            return Fraction(int(c))
        return to_float(c)

    @staticmethod
    def power(x: Scalar, n: Scalar) -> Scalar:
        """x ** n: exact for an integer n (up to MAX_EXACT_BITS), else a float."""
        if isinstance(x, Fraction) and isinstance(n, Fraction) and n.denominator == 1:
            bits = max(abs(x.numerator).bit_length(), abs(x.denominator).bit_length()) * abs(n.numerator)
            if bits > MAX_EXACT_BITS and abs(x) != 1:
                raise ValueError(
                    f"pow: {number_text(x)} ** {number_text(n)} would need about {bits} bits, over the "
                    f"limit of exact results (MAX_EXACT_BITS = {MAX_EXACT_BITS})"
                )
            return FloatKind.power(x, n)
        return FloatKind.power(to_float(x), to_float(n))

    @staticmethod
    def times_pow(a: Scalar, x: Scalar, n: Scalar) -> Scalar:
        """a · x^n: exact for an integer n, 0 where a = 0, a · +inf at 0 ** negative."""
        if a == 0:
            return a * 0
        if x == 0 and n < 0:
            return a * math.inf
        return a * ExactKind.power(x, n)

    @staticmethod
    def times_log(a: Scalar, x: Scalar) -> Scalar:
        """a · ln x: an exact 0 where a = 0, else a float."""
        return a * 0 if a == 0 else float(a) * ExactKind.log(x) if x > 0 else math.nan

    @staticmethod
    def exp(x: Scalar) -> Scalar:
        """e^x as a float."""
        if x > 710:  # beyond any float's exp, however large x is
            raise ValueError(f"exp({number_text(x)}) overflows a float")
        return FloatKind.exp(_saturated(x))

    @staticmethod
    def log(x: Scalar) -> Scalar:
        """ln x as a float, defined for x > 0, for Fractions of any size (ln p - ln q)."""
        if x <= 0 or not isinstance(x, Fraction):
            return FloatKind.log(x)
        return math.log(x.numerator) - math.log(x.denominator)

    @staticmethod
    def log1p(x: Scalar) -> Scalar:
        """ln(1 + x) as a float, defined for x > -1, for Fractions of any size."""
        if x <= -1 or -1 < x < 1:
            return FloatKind.log1p(to_float(x))  # near 0 a float is as accurate as log1p needs
        return ExactKind.log(1 + x)

    @staticmethod
    def sqrt(x: Scalar) -> Scalar:
        """√x: an exact Fraction where numerator and denominator are squares, else a float."""
        if x < 0 or not isinstance(x, Fraction):
            return FloatKind.sqrt(x)
        p, q = math.isqrt(x.numerator), math.isqrt(x.denominator)
        if p * p == x.numerator and q * q == x.denominator:
            return Fraction(p, q)
        if max(x.numerator.bit_length(), x.denominator.bit_length()) > 1000:  # beyond a float: scale
            shift = max(0, 64 - (x.numerator.bit_length() - x.denominator.bit_length()) // 2)
            return to_float(Fraction(math.isqrt((x.numerator << 2 * shift) // x.denominator), 1 << shift))
        return math.sqrt(x.numerator) / math.sqrt(x.denominator) if x.denominator > 1 else math.sqrt(x)

    @staticmethod
    def tanh(x: Scalar) -> Scalar:
        """tanh x as a float (±1.0 beyond the float range)."""
        return math.tanh(_saturated(x))

    @staticmethod
    def sigmoid(x: Scalar) -> Scalar:
        """The logistic of x as a float (0.0 or 1.0 beyond the float range)."""
        return FloatKind.sigmoid(_saturated(x))

    @staticmethod
    def softplus(x: Scalar) -> Scalar:
        """ln(1 + e^x) as a float (x itself, or 0.0, beyond the float range)."""
        return FloatKind.softplus(_saturated(x))

    @staticmethod
    def sin(x: Scalar) -> Scalar:
        """sin x as a float (an OverflowError beyond a float's range: the period is lost there)."""
        return math.sin(to_float(x))

    @staticmethod
    def cos(x: Scalar) -> Scalar:
        """cos x as a float (an OverflowError beyond a float's range: the period is lost there)."""
        return math.cos(to_float(x))

    @staticmethod
    def tan(x: Scalar) -> Scalar:
        """tan x as a float."""
        return math.tan(to_float(x))


def _is_zero(a: Scalar) -> bool:
    """Whether a symbolic factor is exactly zero (sympy's Float(0.0) == 0 is False, its is_zero is True)."""
    return a == 0 or getattr(a, "is_zero", None) is True


class SymbolicKind(FloatKind):
    """sympy data: every op is symbolic, with no domain checks; relu and its step are Piecewise."""

    zero: Scalar = 0  # sympy's Integer(0), set when sympy is first used (it is imported lazily)

    @staticmethod
    def constant(c: Scalar) -> Scalar:
        """A constant operand as a sympy number."""
        return _sympy().sympify(c)

    @staticmethod
    def divide(x: Scalar, y: Scalar) -> Scalar:
        """x / y (sympy gives zoo for a zero divisor; a zero constant divisor raises, naming it)."""
        if y == 0:
            raise ZeroDivisionError(f"division by zero: {number_text(x)} / {number_text(y)}")
        return x / y

    @staticmethod
    def power(x: Scalar, n: Scalar) -> Scalar:
        """x ** n."""
        return x**n

    @staticmethod
    def times_pow(a: Scalar, x: Scalar, n: Scalar) -> Scalar:
        """a · x ** n, 0 where a is 0 (a float 0.0 too: sympy's Float(0.0) != 0)."""
        return a * 0 if _is_zero(a) else a * x**n

    @staticmethod
    def inverse(x: Scalar) -> Scalar:
        """1 / x."""
        return 1 / x

    @staticmethod
    def times_log(a: Scalar, x: Scalar) -> Scalar:
        """a · log(x), 0 where a is 0 (the limit of x^n · ln x at x = 0 for n > 0)."""
        return a * 0 if _is_zero(a) else a * _sympy().log(x)

    @staticmethod
    def exp(x: Scalar) -> Scalar:
        """exp(x)."""
        return _sympy().exp(x)

    @staticmethod
    def log(x: Scalar) -> Scalar:
        """log(x)."""
        return _sympy().log(x)

    @staticmethod
    def log1p(x: Scalar) -> Scalar:
        """log(1 + x)."""
        return _sympy().log(1 + x)

    @staticmethod
    def sqrt(x: Scalar) -> Scalar:
        """sqrt(x)."""
        return _sympy().sqrt(x)

    @staticmethod
    def tanh(x: Scalar) -> Scalar:
        """tanh(x)."""
        return _sympy().tanh(x)

    @staticmethod
    def sigmoid(x: Scalar) -> Scalar:
        """1 / (1 + exp(-x))."""
        return 1 / (1 + _sympy().exp(-x))

    @staticmethod
    def softplus(x: Scalar) -> Scalar:
        """log(1 + exp(x))."""
        return _sympy().log(1 + _sympy().exp(x))

    @staticmethod
    def sin(x: Scalar) -> Scalar:
        """sin(x)."""
        return _sympy().sin(x)

    @staticmethod
    def cos(x: Scalar) -> Scalar:
        """cos(x)."""
        return _sympy().cos(x)

    @staticmethod
    def tan(x: Scalar) -> Scalar:
        """tan(x)."""
        return _sympy().tan(x)

    @staticmethod
    def abs(x: Scalar) -> Scalar:
        """Abs(x)."""
        return _sympy().Abs(x)

    @staticmethod
    def relu(x: Scalar) -> Scalar:
        """Piecewise ReLU: x where x >= 0, else 0."""
        return SymbolicKind.leaky_relu(x, 0)

    @staticmethod
    def leaky_relu(x: Scalar, slope: Scalar) -> Scalar:
        """Piecewise LeakyReLU: x where x >= 0, else slope · x."""
        return _sympy().Piecewise((x, x >= 0), (slope * x, True))

    @staticmethod
    def step(x: Scalar, low: Scalar = 0) -> Scalar:
        """Piecewise step: 1 where x >= 0, else `low`."""
        return _sympy().Piecewise((1, x >= 0), (low, True))

    @staticmethod
    def sign(x: Scalar) -> Scalar:
        """sign(x), 0 at 0."""
        return _sympy().sign(x)

    @staticmethod
    def max(terms: Sequence[Scalar]) -> Scalar:
        """Max(terms...)."""
        return _sympy().Max(*terms)

    @staticmethod
    def first_max(terms: Sequence[Scalar]) -> tuple[Scalar, ...]:
        """Piecewise 1 where a term is above the terms before it and not below those after, else 0."""
        sympy = _sympy()
        return tuple(
            sympy.Piecewise(
                (1, sympy.And(*(t > u for u in terms[:i]), *(t >= u for u in terms[i + 1 :]))), (0, True)
            )
            for i, t in enumerate(terms)
        )


KINDS: tuple[type[Kind], ...] = (FloatKind, ExactKind, SymbolicKind)  # the data kinds (Values: backward)


def _sympy() -> Any:
    import sympy  # the symbolic extra: imported only when symbolic data is used

    SymbolicKind.zero = sympy.Integer(0)
    return sympy
