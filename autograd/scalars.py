"""What differs per kind of data (float: fast, Fraction: exact, sympy: symbolic): the functions rules use."""

from __future__ import annotations

import math
import numbers
import sys
from fractions import Fraction
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


def kind_of(x: Scalar) -> type[FloatKind]:
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


def to_float(x: numbers.Real) -> float:
    """float(x), or an OverflowError that names a number too large for a float (numpy's long double too)."""
    try:
        f = float(x)
    except OverflowError:
        f = math.inf if x > 0 else -math.inf  # type: ignore[operator]
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


class FloatKind:
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
    def pow(x: Scalar, n: Scalar) -> Scalar:
        """x ** n inside a derivative: +inf at the pole 0 ** negative (IEEE's limit), no error."""
        if x == 0 and n < 0:
            return math.inf
        try:
            return x**n
        except OverflowError:
            raise ValueError(f"pow: the derivative at {number_text(x)} overflows a float") from None

    @staticmethod
    def inverse(x: Scalar) -> Scalar:
        """1 / x inside a derivative: +inf at 0 (IEEE's limit), no error."""
        return math.inf if x == 0 else 1 / x

    @staticmethod
    def times_log(a: Scalar, x: Scalar) -> Scalar:
        """a · ln x, as in ∂(x^n)/∂n = x^n · ln x: 0 where a = 0 (its limit at x = 0), NaN for x < 0."""
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
    def sin(x: Scalar) -> Scalar:
        """sin x."""
        return math.sin(x)

    @staticmethod
    def cos(x: Scalar) -> Scalar:
        """cos x."""
        return math.cos(x)

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
    def pow(x: Scalar, n: Scalar) -> Scalar:
        """x ** n inside a derivative: exact for an integer n, +inf at 0 ** negative."""
        if x == 0 and n < 0:
            return math.inf
        return ExactKind.power(x, n)

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
    def inverse(x: Scalar) -> Scalar:
        """1 / x inside a derivative: exact, +inf at 0."""
        return math.inf if x == 0 else 1 / x

    @staticmethod
    def tanh(x: Scalar) -> Scalar:
        """tanh x as a float (±1.0 beyond the float range)."""
        return math.tanh(_saturated(x))

    @staticmethod
    def sigmoid(x: Scalar) -> Scalar:
        """The logistic of x as a float (0.0 or 1.0 beyond the float range)."""
        return FloatKind.sigmoid(_saturated(x))

    @staticmethod
    def sin(x: Scalar) -> Scalar:
        """sin x as a float (an OverflowError beyond a float's range: the period is lost there)."""
        return math.sin(to_float(x))

    @staticmethod
    def cos(x: Scalar) -> Scalar:
        """cos x as a float (an OverflowError beyond a float's range: the period is lost there)."""
        return math.cos(to_float(x))


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
    def pow(x: Scalar, n: Scalar) -> Scalar:
        """x ** n."""
        return x**n

    @staticmethod
    def inverse(x: Scalar) -> Scalar:
        """1 / x."""
        return 1 / x

    @staticmethod
    def times_log(a: Scalar, x: Scalar) -> Scalar:
        """a · log(x), 0 where a is 0 (the limit of x^n · ln x at x = 0 for n > 0)."""
        return a * 0 if a == 0 else a * _sympy().log(x)

    @staticmethod
    def exp(x: Scalar) -> Scalar:
        """exp(x)."""
        return _sympy().exp(x)

    @staticmethod
    def log(x: Scalar) -> Scalar:
        """log(x)."""
        return _sympy().log(x)

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
    def sin(x: Scalar) -> Scalar:
        """sin(x)."""
        return _sympy().sin(x)

    @staticmethod
    def cos(x: Scalar) -> Scalar:
        """cos(x)."""
        return _sympy().cos(x)

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


def _sympy() -> Any:
    import sympy  # the symbolic extra: imported only when symbolic data is used

    SymbolicKind.zero = sympy.Integer(0)
    return sympy
