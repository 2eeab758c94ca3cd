"""ArrayKind: numpy float64 arrays as a kind, one number per row, so that a compiled graph runs a batch
of rows in one call (`compiled([xs, ys, w, b])`).

Each function gives, row by row, what FloatKind gives for that row's numbers: data-dependent
branches (relu, abs, leaky_relu, step, sign, max) are masks (`np.where`), never a Python `if`, and a
row outside an op's domain raises FloatKind's error for that row's numbers. numpy is imported on first
use (it is an optional dependency: `import autograd` does not import it).
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any

from autograd.kinds import FloatKind, Kind, Scalar, is_symbolic, number_text, to_float


@cache
def load_numpy() -> Any:
    """numpy, imported on first use."""
    import numpy  # the optional dependency of array calls: imported only when arrays are used

    return numpy


def is_array(x: object) -> bool:
    """Whether `x` is a numpy array (numpy is only looked at when the user imported it)."""
    numpy = sys.modules.get("numpy")
    return numpy is not None and isinstance(x, numpy.ndarray)


def _refuse(bad: Any, function: Callable[..., Any], *args: Any) -> None:
    """Raise FloatKind's error of `function` at the first row where `bad` holds, naming the row."""
    np = load_numpy()
    if not np.any(bad):
        return
    shaped = np.broadcast_arrays(bad, *args)
    at = np.unravel_index(np.argmax(shaped[0]), shaped[0].shape)  # (a group's node,) row
    row = int(at[-1]) if at else 0
    numbers = [float(a[at]) for a in shaped[1:]]
    try:
        function(*numbers)
    except (ArithmeticError, ValueError) as error:
        raise type(error)(f"{error} (row {row})") from None
    raise ValueError(f"{function.__name__}{tuple(numbers)} fails at row {row}")


class ArrayKind(Kind):
    """Data that is a numpy float64 array (one number per row) or a float shared by every row."""

    zero: Scalar = 0.0

    @staticmethod
    def constant(c: Scalar) -> Scalar:
        """A constant operand as a float (a Fraction too); a sympy expression is a TypeError."""
        if is_symbolic(c):
            raise TypeError(f"an array call runs on float64 numbers, not on the symbolic {number_text(c)}")
        return to_float(c)

    @staticmethod
    def divide(x: Scalar, y: Scalar) -> Scalar:
        """x / y, or FloatKind's ZeroDivisionError at the first row where y is 0."""
        _refuse(y == 0, FloatKind.divide, x, y)
        return load_numpy().true_divide(x, y)

    @staticmethod
    def power(x: Scalar, n: Scalar) -> Scalar:
        """x ** n, or FloatKind's error at the first row where it divides by 0, overflows or is not real."""
        np = load_numpy()
        out = np.power(np.asarray(x, dtype=float), n)
        finite = np.isfinite(x) & np.isfinite(n)
        pole = (x == 0) & (n < 0) & np.isfinite(n)  # 0 ** -inf is inf, as in Python
        not_real = (x < 0) & finite & (np.floor(n) != n)
        _refuse(pole | not_real | (np.isinf(out) & finite), FloatKind.power, x, n)
        return out

    @staticmethod
    def times_pow(a: Scalar, x: Scalar, n: Scalar) -> Scalar:
        """a · x^n: 0 where a = 0, a · +inf at the pole 0 ** negative; FloatKind's error at an overflow."""
        np = load_numpy()
        pole = (x == 0) & (n < 0)
        quiet = np.logical_or(pole, a == 0)
        p = np.power(np.where(quiet, 1.0, x), n)
        _refuse(np.isinf(p) & ~quiet & np.isfinite(x) & np.isfinite(n), FloatKind.times_pow, a, x, n)
        return np.where(a == 0, a * 0, np.where(pole, a * math.inf, a * p))

    @staticmethod
    def times_log(a: Scalar, x: Scalar) -> Scalar:
        """a · ln x: 0 where a = 0, NaN where x <= 0."""
        np = load_numpy()
        positive = x > 0
        return np.where(a == 0, a * 0, np.where(positive, a * np.log(np.where(positive, x, 1.0)), math.nan))

    @staticmethod
    def inverse(x: Scalar) -> Scalar:
        """1 / x, +inf where x is 0."""
        np, zero = load_numpy(), x == 0
        return np.where(zero, math.inf, 1 / np.where(zero, 1.0, x))

    @staticmethod
    def exp(x: Scalar) -> Scalar:
        """e^x, or FloatKind's error at the first row where it overflows."""
        np = load_numpy()
        out = np.exp(x)
        _refuse(np.isinf(out) & np.isfinite(x), FloatKind.exp, x)
        return out

    @staticmethod
    def log(x: Scalar) -> Scalar:
        """ln x, or FloatKind's error at the first row where x <= 0."""
        _refuse(x <= 0, FloatKind.log, x)
        return load_numpy().log(x)

    @staticmethod
    def log1p(x: Scalar) -> Scalar:
        """ln(1 + x), or FloatKind's error at the first row where x <= -1."""
        _refuse(x <= -1, FloatKind.log1p, x)
        return load_numpy().log1p(x)

    @staticmethod
    def sqrt(x: Scalar) -> Scalar:
        """√x, or FloatKind's error at the first row where x < 0."""
        _refuse(x < 0, FloatKind.sqrt, x)
        return load_numpy().sqrt(x)

    @staticmethod
    def sin(x: Scalar) -> Scalar:
        """sin x, or FloatKind's error at the first row where x is ±inf."""
        return _periodic(load_numpy().sin, FloatKind.sin, x)

    @staticmethod
    def cos(x: Scalar) -> Scalar:
        """cos x, or FloatKind's error at the first row where x is ±inf."""
        return _periodic(load_numpy().cos, FloatKind.cos, x)

    @staticmethod
    def tan(x: Scalar) -> Scalar:
        """tan x, or FloatKind's error at the first row where x is ±inf."""
        return _periodic(load_numpy().tan, FloatKind.tan, x)

    @staticmethod
    def tanh(x: Scalar) -> Scalar:
        """tanh x."""
        return load_numpy().tanh(x)

    @staticmethod
    def sigmoid(x: Scalar) -> Scalar:
        """1 / (1 + e^-x) where x >= 0, e^x / (1 + e^x) elsewhere: FloatKind's formulas, row by row."""
        np = load_numpy()
        e = np.exp(np.where(x >= 0, -x, x))
        return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))

    @staticmethod
    def softplus(x: Scalar) -> Scalar:
        """max(x, 0) + ln(1 + e^-|x|), as FloatKind (NaN passes)."""
        np = load_numpy()
        return np.where(x > 0, x, 0.0) + np.log1p(np.exp(-np.abs(x)))

    @staticmethod
    def abs(x: Scalar) -> Scalar:
        """|x|."""
        return load_numpy().abs(x)

    @staticmethod
    def sign(x: Scalar) -> Scalar:
        """1 where x > 0, -1 where x < 0, x · 0 elsewhere (±0, NaN passes)."""
        np = load_numpy()
        return np.where(x > 0, 1.0, np.where(x < 0, -1.0, x * 0))

    @staticmethod
    def relu(x: Scalar) -> Scalar:
        """+0.0 where x < 0, else x (-0.0 and NaN pass)."""
        return load_numpy().where(x < 0, 0.0, x)

    @staticmethod
    def leaky_relu(x: Scalar, slope: Scalar) -> Scalar:
        """slope · x where x < 0, else x."""
        return load_numpy().where(x < 0, slope * x, x)

    @staticmethod
    def step(x: Scalar, low: Scalar = 0) -> Scalar:
        """`low` where x < 0, else 1 (the series' convention at 0; NaN gives 1)."""
        return load_numpy().where(x < 0, low, 1.0)

    @staticmethod
    def max(terms: Sequence[Scalar]) -> Scalar:
        """Row by row, the first largest term, or the first NaN wherever it sits."""
        stacked, chosen = _first_max(terms)
        return load_numpy().take_along_axis(stacked, chosen[None], 0)[0]

    @staticmethod
    def first_max(terms: Sequence[Scalar]) -> tuple[Scalar, ...]:
        """Row by row, 1.0 for the first largest term (or the first NaN), 0.0 for the others."""
        _, chosen = _first_max(terms)
        return tuple((chosen == i).astype(float) for i in range(len(terms)))

    @staticmethod
    def guard(delta: Scalar, local: Scalar) -> Scalar:
        """The impact δ · local, 0 at the rows where local is exactly 0 (it passes nothing on, as eager)."""
        return load_numpy().where(local != 0, delta * local, 0.0)


def _periodic(function: Callable[[Any], Any], floats: Callable[[float], float], x: Scalar) -> Scalar:
    """sin, cos or tan of each row, or FloatKind's error (`floats`) at the first row where x is ±inf."""
    _refuse(load_numpy().isinf(x), floats, x)
    return function(x)


def _first_max(terms: Sequence[Scalar]) -> tuple[Any, Any]:
    """The terms stacked as rows (k, n), and per column the index of the first NaN, else of the first
    largest term."""
    np = load_numpy()
    stacked = np.array(np.broadcast_arrays(*terms, np.empty(1)))[:-1].astype(float)
    nan = np.isnan(stacked)
    return stacked, np.where(nan.any(axis=0), nan.argmax(axis=0), stacked.argmax(axis=0))
