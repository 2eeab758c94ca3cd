"""Value: the data it accepts, each op's value and local derivative, reflected forms, errors, repr."""

from __future__ import annotations

import math
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import pytest
import sympy
from hypothesis import assume, given
from hypothesis import strategies as st
from ops import UNARY, Op

from autograd import Value

F = Fraction

# -- data ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("data", [3, True, np.int64(4), np.float32(0.5), np.float64(2.5)], ids=type)
def test_numbers_become_plain_floats(data: Any) -> None:
    v = Value(data)
    assert type(v.data) is float
    assert v.data == float(data)


@pytest.mark.parametrize("data", [F(1, 3), sympy.Symbol("x"), sympy.Rational(1, 3), sympy.Integer(2)])
def test_exact_and_symbolic_data_are_kept(data: Any) -> None:
    assert Value(data).data is data


@pytest.mark.parametrize(
    ("data", "name"),
    [("2", "str"), (1 + 2j, "complex"), (Decimal("1.5"), "Decimal"), ([1.0], "list"), (None, "NoneType")],
)
def test_other_data_is_a_type_error_naming_the_type(data: Any, name: str) -> None:
    with pytest.raises(TypeError, match=rf"not {name}$"):
        Value(data)


def test_a_new_value_is_a_leaf_with_zero_grad() -> None:
    v = Value(2.0, label="x")
    assert (v.grad, v.parents, v.local_grads, v.label, v.is_leaf()) == (0, (), (), "x", True)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Value(2.0, label="x"), "Value(data=2.0, grad=0, label='x')"),
        (Value(2), "Value(data=2.0, grad=0)"),
        (Value(F(1, 2), label="w"), "Value(data=1/2, grad=0, label='w')"),
        (Value(F(-3)), "Value(data=-3, grad=0)"),
        (Value(F(10**5000)), "Value(data=≈1.0e+5000 (5002 digits), grad=0)"),
    ],
)
def test_repr(value: Value, text: str) -> None:
    assert repr(value) == text


# -- ops: value and local derivatives -------------------------------------------------------------

@pytest.mark.parametrize(
    ("f", "data", "slope"),
    [
        (Value.relu, 0, 0),
        (Value.leaky_relu, -0.02, 0.01),
        (lambda v: v.leaky_relu(F(1, 4)), F(-1, 2), F(1, 4)),
    ],
)
def test_relus_below_zero(f: Any, data: Any, slope: Any) -> None:
    v = Value(F(-2))
    out = f(v)
    out.backward()
    assert (out.data, v.grad) == (data, slope)


@pytest.mark.parametrize("f", [Value.relu, Value.leaky_relu])
def test_relu_derivative_at_zero_is_one(f: Any) -> None:
    v = Value(0.0)
    f(v).backward()
    assert v.grad == 1


@pytest.mark.parametrize(
    ("f", "data", "dx", "dy"),
    [
        (lambda x, y: x + y, 5, 1, 1),
        (lambda x, y: x - y, 1, 1, -1),
        (lambda x, y: x * y, 6, 2, 3),
        (lambda x, y: x / y, F(3, 2), F(1, 2), F(-3, 4)),
    ],
)
def test_binary_ops_between_values(f: Any, data: Any, dx: Any, dy: Any) -> None:
    x, y = Value(F(3)), Value(F(2))
    out = f(x, y)
    out.backward()
    assert out.parents == (x, y)
    assert (out.data, x.grad, y.grad) == (data, dx, dy)


def test_value_to_the_power_of_a_value() -> None:
    x, y = Value(3.0), Value(2.0)
    out = x**y
    out.backward()
    assert out.parents == (x, y)
    assert (out.data, x.grad) == (9.0, 6.0)
    assert math.isclose(y.grad, 9 * math.log(3))


@pytest.mark.parametrize(
    ("f", "data", "dx"),
    [
        (lambda x: x + 2, 5, 1),
        (lambda x: 2 + x, 5, 1),
        (lambda x: x - 2, 1, 1),
        (lambda x: 2 - x, -1, -1),
        (lambda x: x * 2, 6, 2),
        (lambda x: 2 * x, 6, 2),
        (lambda x: x / 2, F(3, 2), F(1, 2)),
        (lambda x: 2 / x, F(2, 3), F(-2, 9)),
        (lambda x: x**2, 9, 6),
        (lambda x: x**-2, F(1, 9), F(-2, 27)),
        (lambda x: F(1, 2) * x, F(3, 2), F(1, 2)),
    ],
)
def test_ops_with_a_number_on_either_side_stay_exact(f: Any, data: Any, dx: Any) -> None:
    x = Value(F(3))
    out = f(x)
    out.backward()
    assert out.parents == (x,)
    assert (out.data, x.grad) == (data, dx)
    assert not isinstance(out.data, float) and not isinstance(x.grad, float)


@pytest.mark.parametrize("data", [0.0, F(0), sympy.Integer(0), sympy.Symbol("x")])
def test_power_zero_has_derivative_zero_even_at_zero(data: Any) -> None:
    x = Value(data)
    out = (x - x) ** 0  # 0 ** 0 = 1 with every kind of data
    out.backward()
    assert (out.data, x.grad) == (1, 0)


def test_number_to_the_power_of_a_value() -> None:
    x = Value(3.0)
    out = 2**x
    out.backward()
    assert out.data == 8.0
    assert math.isclose(x.grad, 8 * math.log(2))


@pytest.mark.parametrize("base", [2, F(2)])
def test_number_to_the_power_of_an_exact_value_keeps_exact_data(base: Any) -> None:
    assert (base ** Value(F(3))).data == F(8)


def test_symbolic_ops_stay_symbolic() -> None:
    x = sympy.Symbol("x")
    v = Value(x)
    out = (2**v + v / 2 + v**v).exp().log()
    out.backward()
    expression = sympy.log(sympy.exp(2**x + x / 2 + x**x))
    assert not out.data.atoms(sympy.Float) and not v.grad.atoms(sympy.Float)
    assert sympy.simplify(v.grad - sympy.diff(expression, x)) == 0


@given(st.floats(-5, 5), st.sampled_from(UNARY))
def test_symbolic_data_evaluates_to_the_float_result(x: float, op: Op) -> None:
    assume(op.domain(x))
    s = sympy.Symbol("s")
    symbolic = op.value(Value(s))
    assert math.isclose(float(symbolic.data.subs(s, x)), op.value(Value(x)).data, rel_tol=1e-9, abs_tol=1e-12)


def test_positive_returns_the_value_itself() -> None:
    x = Value(1.0)
    assert +x is x


def test_detach_is_a_new_leaf_with_the_same_data() -> None:
    x = Value(2.0)
    y = (x * 3).detach()
    z = y * y
    z.backward()
    assert (y.data, y.is_leaf(), y.grad, x.grad) == (6.0, True, 12.0, 0)


def test_is_leaf() -> None:
    x = Value(1.0)
    assert x.is_leaf() and not (x + 1).is_leaf()


# -- errors --------------------------------------------------------------------------------------

ERRORS: list[tuple[Callable[[], Any], type[Exception], str]] = [
    (lambda: Value(0.0).log(), ValueError, r"log\(0\.0\) is undefined"),
    (lambda: Value(-1.0).log(), ValueError, r"log\(-1\.0\) is undefined"),
    (lambda: Value(F(0)).log(), ValueError, r"log\(0\) is undefined"),
    (lambda: Value(1.0) / Value(0.0), ZeroDivisionError, r"division by zero: 1\.0 / 0\.0"),
    (lambda: Value(1.0) / 0, ZeroDivisionError, r"division by zero: 1\.0 / 0\.0"),
    (lambda: Value(F(1)) / 0, ZeroDivisionError, r"division by zero: 1 / 0"),
    (lambda: 2 / Value(0.0), ZeroDivisionError, r"division by zero: 2\.0 / 0\.0"),
    (lambda: Value(0.0) ** -1, ZeroDivisionError, r"pow: 0\.0 \*\* -1\.0 divides by zero"),
    (lambda: Value(F(0)) ** -2, ZeroDivisionError, r"pow: 0 \*\* -2 divides by zero"),
    (lambda: Value(0.0) ** Value(-1.0), ZeroDivisionError, r"pow: 0\.0 \*\* -1\.0 divides by zero"),
    (lambda: Value(-8.0) ** 0.5, ValueError, r"pow: -8\.0 \*\* 0\.5 is not real"),
    (lambda: Value(-8.0) ** Value(0.5), ValueError, r"pow: -8\.0 \*\* 0\.5 is not real"),
    (lambda: Value(10.0) ** 400, ValueError, r"pow: 10\.0 \*\* 400\.0 overflows"),
    (lambda: Value(1e-200) ** -1, ValueError, r"derivative at 1e-200 overflows"),
    (lambda: Value(1000.0).exp(), ValueError, r"exp\(1000\.0\) overflows"),
    (lambda: Value(F(1000)).exp(), ValueError, r"exp\(1000\) overflows"),
]


@pytest.mark.parametrize(("f", "error", "message"), ERRORS, ids=[e[2] for e in ERRORS])
def test_domain_errors_name_the_op_and_operand(
    f: Callable[[], Any], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        f()


@pytest.mark.parametrize("other", ["2", None, [1.0], 1j])
@pytest.mark.parametrize(
    "op",
    [
        lambda a, b: a + b,
        lambda a, b: b + a,
        lambda a, b: a * b,
        lambda a, b: b - a,
        lambda a, b: b / a,
        lambda a, b: a**b,
        lambda a, b: b**a,
    ],
)
def test_ops_with_non_numbers_are_type_errors(op: Any, other: Any) -> None:
    with pytest.raises(TypeError):
        op(Value(2.0), other)
