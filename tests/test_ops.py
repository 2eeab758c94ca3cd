"""Every op of the registry, to first and second order, in float, exact and symbolic data.

The reference is sympy: each op's symbolic form differentiated once (its local derivatives) and twice
(the Hessian), evaluated at the drawn point. Adding an op to `ops.OPS` tests it here.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import pytest
import sympy
from hypothesis import assume, given, reject, settings
from hypothesis import strategies as st
from ops import BINARY, OPS, UNARY, Op

from autograd import Value, grad, gradcheck, gradgradcheck, hessian

X, Y, Z = sympy.symbols("x y z", real=True)
POINTS = st.floats(-3, 3, allow_nan=False, allow_infinity=False)
FRACTIONS = st.builds(Fraction, st.integers(-12, 12), st.integers(1, 6))
ids = [op.name for op in OPS.values()]
PER_OP = settings(max_examples=min(settings().max_examples, 300))  # sympy references are slow; × every op
KINKS = ("abs", "relu", "leaky_relu")  # at 0: first derivative by the series' convention, second 0


def reference(op: Op) -> tuple[Any, list[Any]]:
    """The op's sympy expression and its symbols."""
    symbols = [X, Y, Z][: op.arity]
    return op.symbolic(*symbols), symbols


def at(expression: Any, symbols: list[Any], point: list[Any]) -> Any:
    """The expression at the point, exactly (for Fractions) or as a float."""
    return expression.subs(dict(zip(symbols, (sympy.nsimplify(p) if isinstance(p, Fraction) else p
                                              for p in point))))


def close(a: Any, b: Any) -> bool:
    return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)


def float_point(op: Op, data: st.DataObject, kink_distance: float = 0.0) -> list[float]:
    """A point of the op's domain whose value is under 1e6, each coordinate over `kink_distance` from 0.

    Drawn again (up to 20 times) rather than filtered, so narrow domains (`**`) do not trip hypothesis's
    filter_too_much health check."""
    for _ in range(20):
        point = [data.draw(POINTS) for _ in range(op.arity)]
        distinct = op.arity < 3 or len(set(point)) == 3  # three symbols: no tie between max's terms
        away = all(abs(p) > kink_distance for p in point)
        if distinct and away and op.domain(*point) and abs(op.real(*point)) < 1e6:
            return point
    reject()


@pytest.mark.parametrize("op", OPS.values(), ids=ids)
@PER_OP
@given(data=st.data())
def test_float_first_and_second_derivatives_match_sympy(op: Op, data: st.DataObject) -> None:
    point = float_point(op, data)
    inputs = [Value(p) for p in point]
    out = op.value(*inputs)
    expression, symbols = reference(op)
    assert close(out.data, at(expression, symbols, point))
    for g, s in zip(grad(out, inputs), symbols):
        assert type(g) is float and close(g, at(sympy.diff(expression, s), symbols, point))
    for row, s in zip(hessian(op.value(*inputs), inputs), symbols):
        for h, t in zip(row, symbols):
            assert type(h) is float and close(h, at(sympy.diff(expression, s, t), symbols, point))


@pytest.mark.parametrize("op", OPS.values(), ids=ids)
@PER_OP
@given(data=st.data())
def test_float_derivatives_match_central_differences(op: Op, data: st.DataObject) -> None:
    point = float_point(op, data, kink_distance=0.01)  # central differences need distance from kinks
    inputs = [Value(p) for p in point]
    assert gradcheck(op.value, inputs)
    assert gradgradcheck(op.value, inputs, atol=1e-3, rtol=1e-2)


def exact_point(op: Op, data: st.DataObject) -> list[Fraction]:
    point = [data.draw(FRACTIONS) for _ in range(op.arity)]
    if op.name == "**":
        point[1] = Fraction(data.draw(st.integers(-3, 3)))
        assume(point[0] != 0 or point[1] >= 0)
    assume(op.domain(*map(float, point)) or op.name in KINKS)  # exact data may sit on a kink
    assume(op.arity < 3 or len(set(point)) == 3)  # three symbols: no tie between max's terms
    return point


@pytest.mark.parametrize("op", OPS.values(), ids=ids)
@PER_OP
@given(data=st.data())
def test_exact_first_and_second_derivatives(op: Op, data: st.DataObject) -> None:
    """Exact ops give exactly sympy's derivatives, as Fractions; the others agree as floats."""
    point = exact_point(op, data)
    inputs = [Value(p) for p in point]
    if op.name == "**":  # an integer constant exponent stays exact
        inputs, point = inputs[:1], point
        f = lambda x: op.value(x, point[1])  # noqa: E731
        expression, symbols = op.symbolic(X, sympy.Integer(int(point[1]))), [X]
    else:
        f = op.value
        expression, symbols = reference(op)
    first = grad(f(*inputs), inputs)
    second = hessian(f(*inputs), inputs)
    for g, row, s in zip(first, second, symbols):
        want = at(sympy.diff(expression, s), symbols, point)
        assert type(g) is Fraction and g == Fraction(str(want)) if op.exact else close(g, want)
        for h, t in zip(row, symbols):
            if op.name in KINKS and point[0] == 0:
                assert h == 0 and type(h) is Fraction  # the step's derivative: a constant, 0
                continue
            want = at(sympy.diff(expression, s, t), symbols, point)
            assert type(h) is Fraction and h == Fraction(str(want)) if op.exact else close(h, want)


# Points off every kink (no coordinate 0, no two equal), each coordinate the largest once (max's branches)
OFF_KINKS = [
    tuple(map(sympy.Rational, p)) for p in (("3", "1/2", "-1"), ("-1/3", "2", "1/5"), ("1/4", "-2", "5/2"))
]


def vanishes(difference: Any, symbols: list[Any]) -> bool:
    """Whether sympy simplifies `difference` to 0, or (where it cannot: Max's Heaviside) it is 0 at
    points on every side of the kinks."""
    if sympy.simplify(difference) == 0:
        return True
    return all(sympy.simplify(difference.subs(dict(zip(symbols, point)))) == 0 for point in OFF_KINKS)


@pytest.mark.parametrize("op", OPS.values(), ids=ids)
def test_symbolic_first_and_second_derivatives_equal_sympys(op: Op) -> None:
    expression, symbols = reference(op)
    inputs = [Value(s) for s in symbols]
    out = op.value(*inputs)
    assert vanishes(out.data - expression, symbols)
    for g, s in zip(grad(out, inputs), symbols):
        assert vanishes(g - sympy.diff(expression, s), symbols)
    for row, s in zip(hessian(op.value(*inputs), inputs), symbols):
        for h, t in zip(row, symbols):
            smooth = sympy.diff(expression, s, t).replace(sympy.DiracDelta, lambda *_: 0)  # 0 off the kink
            assert vanishes(h - smooth, symbols)


@pytest.mark.parametrize("op", BINARY, ids=[op.name for op in BINARY])
@PER_OP
@given(data=st.data())
def test_binary_ops_take_a_number_on_either_side(op: Op, data: st.DataObject) -> None:
    x, y = float_point(op, data)
    assert close(op.value(Value(x), y).data, op.real(x, y))
    assert close(op.value(x, Value(y)).data, op.real(x, y))
    node = op.value(x, Value(y))
    assert len(node.parents) == 1 and node.parents[0].data == y


@pytest.mark.parametrize("op", UNARY, ids=[op.name for op in UNARY])
def test_second_order_through_a_deep_graph(op: Op) -> None:
    """create_graph through 10,000 nodes: no recursion."""
    x = Value(0.5)
    y = x
    for _ in range(5000):
        y = y * 1.0 + 0.0
    out = op.value(y)
    (g,) = grad(out, [x], create_graph=True)
    (h,) = grad(g, [x])
    expression = op.symbolic(X)
    assert close(h, sympy.diff(expression, X, 2).subs(X, 0.5))
