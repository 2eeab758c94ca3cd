"""A batch in one call: a compiled graph called with numpy arrays equals eager backward row by row."""

from __future__ import annotations

import itertools
import math
import subprocess
import sys
from fractions import Fraction
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from ops import OPS
from strategies import FLOAT_INPUTS, FLOAT_OPS, Program, evaluate, programs
from test_compile import DOMAIN_ERRORS, USER_OPS, all_used

import autograd
from autograd import Value, compile, grad
from autograd.arrays import ArrayKind
from autograd.kinds import FloatKind

SPECIAL = st.sampled_from([0.0, -0.0, math.inf, -math.inf, math.nan, 1e308, -1e-320])
ROW_VALUES = FLOAT_INPUTS | SPECIAL


def eager_row(program: Program, row: list[float]) -> tuple[float, list[Any]] | Exception:
    """The program's output and gradients rebuilt eagerly at one row's numbers, or the error it raises."""
    leaves = [Value(x) for x in row]
    try:
        out = evaluate(program, leaves, float)[-1]
        return out.data, grad(out, leaves)
    except DOMAIN_ERRORS as error:
        return error


def near(a: float, b: float) -> bool:
    """Equal to 1e-12 (relative, and absolute near 0), infinities equal, NaN where the other is NaN."""
    a, b = float(a), float(b)
    return (a != a and b != b) or a == b or math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)


def agrees_row_by_row(compiled: autograd.Compiled, rows: list[list[float]], values: list[Any],
                      expected: list[Any], check_errors: bool) -> None:
    """compiled(values) equals each row's eager result, or raises an error naming a row where eager fails."""
    errors = {r: e for r, e in enumerate(expected) if isinstance(e, Exception)}
    if errors:
        if check_errors:
            with pytest.raises(DOMAIN_ERRORS) as info:
                compiled(values)
            row = int(str(info.value).rsplit("(row ", 1)[1].rstrip(")"))
            assert row in errors  # (the compiled order of nodes may meet another of the row's errors first)
        return
    out, grads = compiled(values)
    assert out.shape == (len(rows),) and grads.shape == (len(values), len(rows)) and grads.dtype == float
    for r, (eager_out, eager_grads) in enumerate(expected):
        assert near(out[r], eager_out), (r, out[r], eager_out)
        assert all(near(g[r], e) for g, e in zip(grads, eager_grads)), (r, [g[r] for g in grads], eager_grads)


@given(programs(FLOAT_OPS, FLOAT_INPUTS, False), st.data())
def test_an_array_call_equals_eager_row_by_row(program: Program, data: st.DataObject) -> None:
    """Compiled once, called with arrays of k rows for some inputs and numbers for the others: each row
    equals eager at that row's numbers (relu, abs, leaky_relu, max follow each row), NaN where eager
    gives NaN; where a row fails, the call raises that row's error and names the row."""
    leaves = [Value(x) for x in program.inputs]
    compiled = compile(evaluate(program, leaves, float)[-1], leaves)
    k = data.draw(st.integers(1, 5), label="rows")
    per_row = [data.draw(st.booleans(), label=f"input {i} an array") for i in range(len(leaves))]
    values: list[Any] = []
    for array in per_row:
        values.append(np.array(data.draw(st.lists(ROW_VALUES, min_size=k, max_size=k))) if array
                      else data.draw(ROW_VALUES))
    if not any(per_row):
        values[0] = np.full(k, values[0])
    rows = [[float(v[r]) if isinstance(v, np.ndarray) else v for v in values] for r in range(k)]
    agrees_row_by_row(compiled, rows, values, [eager_row(program, row) for row in rows], all_used(program))


@pytest.mark.parametrize("name", list(OPS))
def test_every_op_replays_per_row(name: str) -> None:
    """Each op on rows either side of its kinks (relu, abs, leaky_relu at ±, max's choice and ties)."""
    op = OPS[name]
    x, y = Value(0.5, "x"), Value(1.5, "y")
    build = {1: lambda a, b: op.value(a) * b, 2: op.value, 3: lambda a, b: op.value(a, b, a * 0.5)}
    compiled = compile(build[op.arity](x, y), [x, y])
    xs = np.array([-2.0, -0.5, -0.0, 0.0, 0.25, 0.5, 1.5, 3.0])
    ys = np.array([1.5, 2.0, -1.0, 0.5, 0.25, 3.0, 1.5, -2.0])
    rows = [[float(a), float(b)] for a, b in zip(xs, ys)]
    expected = []
    for row in rows:
        leaves = [Value(v) for v in row]
        try:
            out = build[op.arity](*leaves)
            expected.append((out.data, grad(out, leaves)))
        except DOMAIN_ERRORS as error:
            expected.append(error)
    agrees_row_by_row(compiled, rows, [xs, ys], expected, True)


def test_a_zero_local_derivative_passes_nothing_at_each_row() -> None:
    """The guard works per row: relu blocks an infinite δ at the rows below 0 and passes it above; a row
    whose δ is 0 meets an infinite local derivative (√ at 0) and gives NaN there, as eager does."""
    a, c = Value(-1.0, "a"), Value(1.0, "c")
    blocked = a.relu() * 1e308 * 1e308
    compiled = compile(blocked, [a])
    out, [grads] = compiled([np.array([-1.0, 2.0, 0.0, -3.0])])
    assert out.tolist() == [0.0, math.inf, 0.0, 0.0] and grads.tolist() == [0.0, math.inf, math.inf, 0.0]
    sqrt_of_relu = (a.relu().sqrt() + 1.0) * c
    compiled = compile(sqrt_of_relu, [a, c])
    rows = [[-1.0, 0.0], [0.0, 0.0], [4.0, 0.0], [0.0, 2.0], [-2.0, 2.0]]
    out, grads = compiled([np.array([r[0] for r in rows]), np.array([r[1] for r in rows])])
    for r, row in enumerate(rows):
        leaves = [Value(v) for v in row]
        eager = (leaves[0].relu().sqrt() + 1.0) * leaves[1]
        expected = grad(eager, leaves)
        assert near(out[r], eager.data) and all(near(g[r], e) for g, e in zip(grads, expected)), row
    assert math.isnan(grads[0][1]) and grads[0][0] == 0.0  # 0 · inf at √0, blocked again below 0


def test_shared_inputs_give_a_gradient_per_row_to_be_summed() -> None:
    """A weight shared by every row gets one gradient per row (the caller sums them); an input the output
    does not use, or one whose gradient does not depend on the row, gets it repeated; every array is new."""
    w, b, unused, x = Value(2.0, "w"), Value(0.5, "b"), Value(1.0, "u"), Value(1.0, "x")
    out = (w * x + b).relu() * 3
    compiled = compile(out, [w, b, unused, x])
    xs = np.array([1.0, -1.0, 2.0])
    got, grads = compiled([2.0, 0.5, 1.0, xs])
    assert got.tolist() == [7.5, 0.0, 13.5]
    assert [g.tolist() for g in grads] == [[3.0, 0.0, 6.0], [3.0, 0.0, 3.0], [0.0] * 3, [6.0, 0.0, 6.0]]
    grads[1][0] = 99.0
    assert grads[0][0] == 3.0 and xs.tolist() == [1.0, -1.0, 2.0]
    identity = compile(x, [x])
    same, _ = identity([xs])
    same[0] = 5.0
    assert xs[0] == 1.0  # the output is a new array, not the input


def test_array_calls_use_the_constants_compile_baked() -> None:
    """The array calls' plan is made on the first such call, yet a constant Value changed after compile
    stays baked as compile saw it, in array calls as in calls over numbers."""
    x, c, k = Value(1.0, "x"), Value(3.0, "c"), Value(10.0, "k")
    out = autograd.max([x * c, k]) + c
    compiled = compile(out, [x])
    c.data, k.data = 100.0, -5.0
    got, grads = compiled([np.array([1.0, 5.0])])
    assert got.tolist() == [13.0, 18.0] and grads[0].tolist() == [0.0, 3.0]
    assert compiled([5.0]) == (18.0, [3.0])


def test_int_arrays_fractions_and_float32_become_float64() -> None:
    x, y = Value(1.0, "x"), Value(2.0, "y")
    compiled = compile(x * y * Value(Fraction(1, 3)), [x, y])  # a Fraction constant: its float
    out, grads = compiled([np.array([1, 2, 3]), Fraction(3, 2)])
    assert out.dtype == float and out.tolist() == [v * 1.5 * (1 / 3) for v in (1.0, 2.0, 3.0)]
    assert grads[0].tolist() == [1.5 / 3] * 3
    out32, _ = compiled([np.array([1, 2, 3], dtype=np.float32), 1.5])
    assert out32.dtype == float and out32.tolist() == out.tolist()


def test_symbolic_data_in_an_array_call_is_refused() -> None:
    sympy = pytest.importorskip("sympy")
    x = Value(1.0, "x")
    with pytest.raises(TypeError, match="symbolic"):
        compile(x * Value(sympy.Symbol("k")), [x])([np.ones(2)])
    y = Value(2.0, "y")
    with pytest.raises(TypeError, match="value 1 is symbolic"):
        compile(x * y, [x, y])([np.ones(2), sympy.Symbol("s")])


def test_a_row_outside_an_ops_domain_raises_eagers_error_naming_the_row() -> None:
    x = Value(1.0, "x")
    compiled = compile(x.log() * 2, [x])
    with pytest.raises(ValueError, match=r"log\(-2\.0\) is undefined: log needs x > 0 \(row 2\)"):
        compiled([np.array([1.0, 2.0, -2.0, -3.0])])
    divide = autograd.Op("inverse", lambda k, x: 1 / x, lambda k, x, out: -1 / (x * x))  # a rule's own /
    with pytest.raises(ZeroDivisionError, match=r"\(row 1\)"):
        compile(divide(x), [x])([np.array([1.0, 0.0])])


@pytest.mark.parametrize(
    ("values", "error", "match"),
    [
        ([np.ones(3), np.ones(2)], ValueError, r"value 1 is an array of 2 rows, value 0 of 3"),
        ([np.ones((2, 2)), 1.0], ValueError, r"value 0 is a 2-D array"),
        ([1.0, np.array([])], ValueError, r"value 1 is an empty array"),
        ([np.array([1.0, "a"], dtype=object), 1.0], TypeError, r"value 0 is an array of object"),
        ([np.array(["a", "b"]), 1.0], TypeError, r"value 0 is an array of <U1"),
        ([np.array([1j, 2j]), 1.0], TypeError, r"value 0 is an array of complex128"),
        ([np.array([True, False]), 1.0], TypeError, r"value 0 is an array of bool"),
    ],
)
def test_bad_arrays_are_refused_naming_the_value(
    values: list[Any], error: type[Exception], match: str
) -> None:
    x, y = Value(1.0, "x"), Value(2.0, "y")
    with pytest.raises(error, match=match):
        compile(x * y, [x, y])(values)


def test_eager_values_refuse_arrays_and_take_numpy_scalars() -> None:
    with pytest.raises(TypeError, match="ndarray"):
        Value(np.array([1.0, 2.0]))
    with pytest.raises(TypeError, match="Value"):
        Value(1.0) * np.ones(2)
    with pytest.raises(TypeError, match="Value"):
        np.ones(2) ** Value(2.0)
    with pytest.raises(TypeError):  # numpy's own message (it tries to concatenate)
        np.ones(2) + Value(1.0)
    for product in (np.float64(2.0) * Value(3.0), Value(3.0) * np.float32(2.0)):
        assert type(product) is Value and product.data == 6.0


def test_import_autograd_and_scalar_calls_do_not_import_numpy() -> None:
    code = (
        "import sys; import autograd, nn; x = autograd.Value(2.0, 'x'); "
        "c = autograd.compile((x * x).relu(), [x]); assert c([3.0]) == (9.0, [6.0]); "
        "assert 'numpy' not in sys.modules, 'numpy imported'"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


GRID = [-math.inf, -3.0, -1.0, -0.5, -0.0, 0.0, 1e-300, 0.5, 1.0, 2.0, 3.5, 800.0, math.inf, math.nan]
FUNCTIONS = {  # each function of the kinds, with the number of operands it takes
    "divide": 2, "power": 2, "times_pow": 3, "times_log": 2, "inverse": 1, "exp": 1, "log": 1, "log1p": 1,
    "sqrt": 1, "sin": 1, "cos": 1, "tan": 1, "tanh": 1, "sigmoid": 1, "softplus": 1, "abs": 1, "sign": 1,
    "relu": 1, "leaky_relu": 2, "step": 2,
}


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_each_function_of_the_array_kind_is_floatkinds_at_every_element(name: str) -> None:
    """Over a grid of special numbers (±0, ±inf, NaN, poles, overflows): each element equals FloatKind's
    answer for its numbers, or the call raises FloatKind's error for the first failing element."""
    arity = FUNCTIONS[name]
    columns = [np.array(c) for c in zip(*itertools.product(GRID, repeat=arity))]
    for start in range(0, len(columns[0]), 7):  # slices of 7 rows: the errors of most elements are met
        part = [c[start : start + 7] for c in columns]
        expected = []
        for numbers in zip(*(c.tolist() for c in part)):
            try:
                expected.append(getattr(FloatKind, name)(*numbers))
            except DOMAIN_ERRORS as error:
                expected.append(error)
        failing = [r for r, e in enumerate(expected) if isinstance(e, Exception)]
        with np.errstate(all="ignore"):
            if failing:
                with pytest.raises(DOMAIN_ERRORS) as info:
                    getattr(ArrayKind, name)(*part)
                assert str(info.value) == f"{expected[failing[0]]} (row {failing[0]})"
                continue
            got = getattr(ArrayKind, name)(*part)
        for g, e in zip(got, expected):
            if not isinstance(e, complex):  # x^n of a negative x, n not an integer: forward's ** refuses it
                assert near(g, e) and math.copysign(1, g) == math.copysign(1, e), (name, part, got, expected)


def test_max_and_first_max_of_the_array_kind_choose_per_row_as_floatkind() -> None:
    values = [-1.0, 0.0, -0.0, 2.0, math.nan, math.inf]
    rows = list(itertools.product(values, repeat=3))
    terms = [np.array(c) for c in zip(*rows)]
    chosen = ArrayKind.first_max(terms)
    got = ArrayKind.max(terms)
    for r, row in enumerate(rows):
        assert near(got[r], FloatKind.max(row)) and [c[r] for c in chosen] == list(FloatKind.first_max(row))


@pytest.mark.parametrize("op", USER_OPS, ids=lambda op: op.name)
def test_a_users_op_runs_per_row_as_a_built_in(op: autograd.Op) -> None:
    def build(a: Value, b: Value) -> Value:
        return (op(a) if op.arity == 1 else op(a, b)) * b

    x, y = Value(0.5, "x"), Value(1.5, "y")
    compiled = compile(build(x, y), [x, y])
    xs, ys = np.array([-2.0, 0.0, 0.5, 3.0]), np.array([1.5, -1.0, 0.0, 2.0])
    rows = [[float(a), float(b)] for a, b in zip(xs, ys)]
    expected = []
    for row in rows:
        leaves = [Value(v) for v in row]
        out = build(*leaves)
        expected.append((out.data, grad(out, leaves)))
    agrees_row_by_row(compiled, rows, [xs, ys], expected, True)
