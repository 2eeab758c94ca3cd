"""gradcheck: True when backward agrees with central differences, else an error listing each mismatch."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from fractions import Fraction

import pytest
import sympy

from autograd import GradcheckError, Value, gradcheck, is_grad_enabled


def two_faced(graph: float, numeric: float) -> Callable[[Value], Value]:
    """x ↦ slope · x, whose slope is `graph` in backward and `numeric` in central differences (no_grad)."""
    return lambda x: x * (graph if is_grad_enabled() else numeric)


def reported(error: pytest.ExceptionInfo[GradcheckError]) -> dict[str, tuple[float, float]]:
    """The inputs a GradcheckError lists, each with its backward and numerical gradient."""
    lines = str(error.value).splitlines()
    assert lines[0] == "gradcheck failed for"
    found = [re.fullmatch(r"  (input .*): backward (\S+), numerical (\S+)", line) for line in lines[1:]]
    return {m[1]: (float(m[2]), float(m[3])) for m in found if m}


def test_agreement_is_true() -> None:
    x, y = Value(0.3), Value(Fraction(-2, 3))
    assert gradcheck(lambda x, y: (x * y).tanh() + (x / y).exp(), [x, y]) is True


def test_a_mismatch_lists_each_input_with_both_values() -> None:
    f, g = two_faced(2.0, 3.0), two_faced(1.0, -1.0)
    with pytest.raises(GradcheckError) as error:
        gradcheck(lambda x, y: f(x) + g(y), [Value(1.0, label="w"), Value(1.0)])
    listed = reported(error)
    assert listed.keys() == {"input 0 (w)", "input 1"}
    assert listed["input 0 (w)"][0] == 2.0 and math.isclose(listed["input 0 (w)"][1], 3.0, rel_tol=1e-6)
    assert listed["input 1"][0] == 1.0 and math.isclose(listed["input 1"][1], -1.0, rel_tol=1e-6)


def test_only_mismatching_inputs_are_listed() -> None:
    f, g = two_faced(2.0, 3.0), two_faced(5.0, 5.0)
    with pytest.raises(GradcheckError) as error:
        gradcheck(lambda x, y: f(x) + g(y), [Value(1.0), Value(1.0)])
    assert reported(error).keys() == {"input 0"}


def test_a_kink_is_a_mismatch() -> None:
    with pytest.raises(GradcheckError, match=r"input 0: backward 1\.0, numerical 0\.5"):
        gradcheck(Value.relu, [Value(0.0)])


@pytest.mark.parametrize(("rtol", "passes"), [(1e-3, True), (1e-4, False)])
def test_relative_tolerance(rtol: float, passes: bool) -> None:
    f = two_faced(1000.0, 1000.5)  # relative error 5e-4
    if passes:
        assert gradcheck(f, [Value(1.0)], rtol=rtol)
    else:
        with pytest.raises(GradcheckError):
            gradcheck(f, [Value(1.0)], rtol=rtol)


def test_gradcheck_touches_no_grad() -> None:
    x = Value(2.0)
    x.grad = 5.0
    gradcheck(lambda x: x * x, [x])
    assert x.grad == 5.0


def test_sympy_data_is_refused() -> None:
    with pytest.raises(TypeError, match=r"gradcheck needs numeric data.*sympy"):
        gradcheck(lambda x: x * x, [Value(sympy.Symbol("x"))])
