"""Rules are code: the kinds implement one declaration, the operators are generated source, and a
user's Op works wherever a built-in does."""

from __future__ import annotations

import inspect
import math
import traceback
from fractions import Fraction
from typing import Any

import pytest
import sympy

import autograd
from autograd import (
    OPS,
    Op,
    Value,
    _generate,
    compile,
    detect_anomaly,
    draw,
    explain,
    explore,
    grad,
    gradcheck,
    gradgradcheck,
    hessian,
    impacts,
    no_grad,
)
from autograd.arrays import ArrayKind
from autograd.backward import ValueKind
from autograd.formulas import FormulaKind, formulas
from autograd.kinds import KINDS, Kind

SOFTPLUS = Op("softplus", lambda k, x: k.log1p(k.exp(x)), lambda k, x, out: k.sigmoid(x))
SCALE = Op("scale", lambda k, x, y: x * y * 2, lambda k, x, y, out: 2 * y, lambda k, x, y, out: 2 * x)


@pytest.mark.parametrize("kind", [*KINDS, ValueKind, FormulaKind, ArrayKind], ids=lambda k: k.__name__)
def test_every_kind_implements_every_function_a_rule_may_ask_for(kind: type[Kind]) -> None:
    assert issubclass(kind, Kind)
    assert not kind.__abstractmethods__, f"{kind.__name__} lacks {sorted(kind.__abstractmethods__)}"


def test_a_kind_that_lacks_a_function_is_found() -> None:
    lacking = type("Lacking", (Kind,), {})
    assert "exp" in lacking.__abstractmethods__


def test_every_declared_function_says_what_it_does() -> None:
    for name in Kind.__abstractmethods__:
        assert getattr(Kind, name).__doc__, name


def test_the_committed_operators_are_what_the_generator_writes_now() -> None:
    committed = _generate.TARGET.read_text(encoding="utf-8")
    assert committed == _generate.source(), "stale: run python -m autograd._generate"


def test_the_operators_are_readable_source_with_their_formulas() -> None:
    text = inspect.getsource(Value.__mul__)
    assert "def __mul__(self, other" in text and "out = x * y" in text
    assert "∂out/∂x = y" in (Value.__mul__.__doc__ or "")
    assert "k.times_pow(y, x, y - 1)" in (Value.__pow__.__doc__ or "")


def test_a_traceback_names_the_operators_file_and_line() -> None:
    with pytest.raises(ZeroDivisionError) as info:
        Value(1.0) / 0
    frames = traceback.extract_tb(info.value.__traceback__)
    assert any(f.filename.endswith("_operators.py") and f.name == "__truediv__" for f in frames)


def test_the_built_ins_are_ops_of_the_same_constructor() -> None:
    assert all(type(op) is Op and op.name == name for name, op in OPS.items())
    assert (Value(2.0) * 3)._op is OPS["*"]
    assert formulas(OPS["*"]) == ("x * y", "y", "x")


def test_a_users_op_makes_one_node_named_after_it() -> None:
    x = Value(0.5, label="x")
    out = SOFTPLUS(x)
    assert out.op == "softplus" and out.parents == (x,) and out._op is SOFTPLUS
    assert math.isclose(out.data, math.log1p(math.exp(0.5)))
    assert OPS["softplus"] is not SOFTPLUS  # beside the built-in, registered nowhere
    assert math.isclose(out.data, x.softplus().data)


def test_a_binary_users_op_takes_a_number_either_side() -> None:
    x = Value(3.0)
    assert SCALE(x, 2).data == 12.0 and SCALE(2, x).data == 12.0
    assert grad(SCALE(x, 2), x) == 4.0 and grad(SCALE(2, x), x) == 4.0
    y = Value(5.0)
    assert grad(SCALE(x, y), [x, y]) == [10.0, 6.0]


def test_a_users_op_in_every_kind_and_to_second_order() -> None:
    s = sympy.Symbol("s")
    x = Value(s)
    (g,) = grad(SOFTPLUS(x), [x], create_graph=True)
    assert sympy.simplify(g.data - sympy.diff(sympy.log(1 + sympy.exp(s)), s)) == 0
    q = Value(Fraction(1, 3))
    assert SCALE(q, q).data == Fraction(2, 9) and grad(SCALE(q, q), q) == Fraction(4, 3)
    v = Value(0.3)
    (h,) = hessian(SOFTPLUS(v), [v])[0]
    sigma = 1 / (1 + math.exp(-0.3))
    assert math.isclose(h, sigma * (1 - sigma))
    assert gradcheck(lambda a: SOFTPLUS(a), [Value(0.2)])
    assert gradgradcheck(lambda a, b: SCALE(SOFTPLUS(a), b), [Value(0.2), Value(-1.5)])


def test_a_users_op_under_no_grad_and_detect_anomaly() -> None:
    with no_grad():
        assert SOFTPLUS(Value(1.0)).is_leaf()
    nan_op = Op("nan", lambda k, x: x * math.nan, lambda k, x, out: 1)
    with detect_anomaly(), pytest.raises(FloatingPointError, match="op 'nan'"):
        nan_op(Value(1.0))


def test_a_users_op_is_drawn_explained_explored_and_compiled() -> None:
    x = Value(0.5, label="x")
    out = SOFTPLUS(x) * 2
    assert "softplus" in draw(out).source
    assert "softplus" in str(explain(out, x))
    assert len(impacts(out, x)) == 1
    assert explore(out, wrt=x) is not None
    compiled = compile(out, [x])
    value, grads = compiled([1.5])
    assert math.isclose(value, 2 * math.log1p(math.exp(1.5)))
    assert math.isclose(grads[0], 2 / (1 + math.exp(-1.5)))


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: Op(3, lambda k, x: x, lambda k, x, out: 1), "name"),
        (lambda: Op("", lambda k, x: x, lambda k, x, out: 1), "name"),
        (lambda: Op("f", "x + 1", lambda k, x, out: 1), "forward must be callable"),
        (lambda: Op("f", lambda k, x: x, None), "dx must be callable"),
        (lambda: Op("f", lambda k, x: x, lambda k, x, out: 1, "dy"), "dy must be callable"),
        (lambda: Op("f", lambda k, x: x, lambda k, x, out: 1, lambda k, x, y, out: 1), "dy"),
        (lambda: Op("f", lambda k: 1, lambda k, out: 1), "forward"),
    ],
)
def test_a_bad_definition_is_a_clear_error_at_once(make: Any, message: str) -> None:
    with pytest.raises(TypeError, match=message):
        make()


def test_a_bad_call_is_a_clear_error_naming_the_op() -> None:
    with pytest.raises(TypeError, match="op 'scale' takes 2 operands, not 1"):
        SCALE(Value(1.0))
    with pytest.raises(TypeError, match="op 'softplus' takes a Value"):
        SOFTPLUS(1.0)
    with pytest.raises(TypeError, match="op 'scale' takes a Value as one of its operands"):
        SCALE(1.0, 2.0)
    with pytest.raises(TypeError, match="op 'scale' takes Values and numbers, not str"):
        SCALE(Value(1.0), "2")
    text = Op("text", lambda k, x: "oops", lambda k, x, out: 1)
    with pytest.raises(TypeError, match="op 'text': forward gave a str, not a number"):
        text(Value(1.0))
    slope = Op("slope", lambda k, x, y: x * y, lambda k, x, y, out: y)
    with pytest.raises(TypeError, match="no dy"):
        slope(Value(1.0), Value(2.0))


def test_sum_and_max_stay_out_of_import_star() -> None:
    assert "sum" not in autograd.__all__ and "max" not in autograd.__all__
    assert autograd.max is not max and callable(autograd.max)


# -- one rule, one meaning (issue 20, item 6) ---------------------------------------------------------


def test_x_to_the_y_at_0_0_under_create_graph_gives_first_orders_gradients() -> None:
    x, y = Value(0.0), Value(0.0)
    first = grad(x**y, [x, y])
    graphed = grad(x**y, [x, y], create_graph=True)
    assert first[0] == 0.0 and math.isnan(first[1])
    assert graphed[0].data == 0.0 and math.isnan(graphed[1].data)


def test_a_value_exponent_that_happens_to_be_0_stays_in_the_graph() -> None:
    x, y = Value(2.0), Value(0.0)  # ∂/∂y (y · x^(y-1)) = 1/x at y = 0, as sympy says
    assert grad(grad(x**y, x, create_graph=True), y) == 0.5


def test_explain_reads_constants_from_the_node() -> None:
    x = Value(1e16, label="x")
    assert str(explain(x + 1.0, x)).startswith("∂x + 1/∂x")  # not rebuilt from data: 1e16 + 1.0 - 1e16 = 0
    z = Value(0.0, label="z")
    assert str(explain(z**3, z)).startswith("∂z^3/∂z = 3·z^2")
    w = Value(2.0, label="w")
    assert str(explain(2 / w, w)).startswith("∂2 / w/∂w")
    assert [str(p) for p in impacts(3 * w, w)] == [str(p) for p in impacts(w * 3, w)]


@pytest.mark.parametrize("op", ["sin", "cos", "tan"])
@pytest.mark.parametrize("x", [math.inf, -math.inf])
def test_periodic_ops_at_infinity_are_a_value_error_naming_the_op(op: str, x: float) -> None:
    with pytest.raises(ValueError, match=rf"{op}\((-)?inf\) is undefined: {op} needs a finite x"):
        getattr(Value(x), op)()
    assert math.isnan(getattr(Value(math.nan), op)().data)  # NaN passes, as everywhere


# -- assignment is checked as construction is (issue 21, item 8) -------------------------------------


def test_assigning_data_converts_and_checks_as_value_does() -> None:
    v = Value(1.0)
    v.data = 3  # an int becomes a float, as in Value(3)
    assert type(v.data) is float and v.data == 3.0
    v.data = Fraction(1, 3)
    assert v.data == Fraction(1, 3)
    with pytest.raises(TypeError, match="must be a float, a Fraction or a sympy expression, not str"):
        v.data = "oops"
    assert v.data == Fraction(1, 3)  # unchanged


def test_a_label_is_a_str_or_none() -> None:
    v = Value(1.0)
    v.label = "w"
    v.label = None
    with pytest.raises(TypeError, match="Value label must be a str, not int"):
        v.label = 5
    assert v.label is None


# -- small bumps (issue 22) ------------------------------------------------------------------------------


def test_round_rounds_the_data_to_a_number() -> None:
    assert round(Value(2.567), 2) == 2.57 and type(round(Value(2.567), 2)) is float
    assert round(Value(2.567)) == 3 and type(round(Value(2.567))) is int
    assert round(Value(Fraction(22, 7)), 1) == Fraction(31, 10)


def test_a_grad_set_to_none_counts_as_zero_in_backward() -> None:
    """PyTorch's zero_grad(set_to_none=True): backward starts such a leaf from zero."""
    w, x = Value(2.0), Value(3.0)
    w.grad = None
    (w * x).backward()
    assert w.grad == 3.0
    w.grad = None
    (w * x).backward(create_graph=True)
    assert isinstance(w.grad, Value) and w.grad.data == 3.0


def test_help_opens_with_what_a_learner_does() -> None:
    doc = Value.__doc__ or ""
    opening = doc[: doc.index("Inside")]
    for step in ("Value(2.0", "backward()", "x.grad", "tanh"):
        assert step in opening
    assert "_dx" not in opening and "slot" not in opening
