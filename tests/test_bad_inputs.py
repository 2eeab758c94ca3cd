"""One table of bad inputs: each row is a call, the exception it must raise, and a word its message names.

Every op and layer adds its rows here. Messages stay short (under 300 characters).
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import Any

import pytest

from autograd import Value, grad, hessian

BAD_INPUTS: list[tuple[str, Callable[[], Any], type[Exception], str]] = [
    ("label not a str", lambda: Value(1.0, label=123), TypeError, "label"),
    ("data a str", lambda: Value("2"), TypeError, "str"),
    ("huge int data", lambda: Value(10**4000), OverflowError, "too large"),
    ("huge int exponent", lambda: Value(0.5) ** 10**400, OverflowError, "**"),
    ("huge exact power", lambda: Value(Fraction(10)) ** 10**8, ValueError, "limit of exact powers"),
    ("exp of a huge Fraction", lambda: Value(Fraction(10**400)).exp(), ValueError, "exp"),
    ("slope a str", lambda: Value(1.0).leaky_relu("0.1"), TypeError, "slope"),
    ("slope None", lambda: Value(1.0).leaky_relu(None), TypeError, "slope"),
    ("slope a Value", lambda: Value(1.0).leaky_relu(Value(0.1)), TypeError, "slope"),
    ("sqrt below 0", lambda: Value(-1.0).sqrt(), ValueError, "sqrt"),
    ("log of 0", lambda: Value(Fraction(0)).log(), ValueError, "log"),
    ("seed a Value", lambda: Value(1.0).backward(Value(1.0)), TypeError, ".data"),
    ("seed a str", lambda: Value(1.0).backward("1"), TypeError, "seed"),
    ("grad of a number", lambda: grad(1.0, [Value(1.0)]), TypeError, "output"),  # type: ignore[call-overload]
    ("grad wrt a number", lambda: grad(Value(1.0) * 2, [1.0]), TypeError, "input 0"),  # type: ignore[list-item]
    ("hessian wrt a number", lambda: hessian(Value(1.0) * 2, [1.0]), TypeError, "input 0"),  # type: ignore[list-item]
]


@pytest.mark.parametrize(
    ("call", "error", "word"), [row[1:] for row in BAD_INPUTS], ids=[row[0] for row in BAD_INPUTS]
)
def test_bad_input_is_a_clear_error(call: Callable[[], Any], error: type[Exception], word: str) -> None:
    with pytest.raises(error) as raised:
        call()
    assert word in str(raised.value)
    assert len(str(raised.value)) < 300
