"""Derivatives of derivatives: backward(create_graph=True), grad(create_graph), hessian, gradgradcheck."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest
import sympy
from hypothesis import given
from strategies import Program, evaluate, float_programs, fraction_programs

from autograd import GradcheckError, Value, grad, gradgradcheck, hessian, topological_order


def test_the_issue_example() -> None:
    x = Value(2.0)
    y = x**3
    y.backward(create_graph=True)
    g = x.grad
    assert isinstance(g, Value) and g.data == 12.0  # 3x²
    x.grad = 0
    g.backward()
    assert x.grad == 12.0  # 6x


def test_after_create_graph_every_grad_is_a_value() -> None:
    x, w = Value(2.0), Value(3.0)
    out = (w * x).relu() + w * 2
    out.backward(create_graph=True)
    assert all(isinstance(node.grad, Value) for node in topological_order(out))
    assert (x.grad.data, w.grad.data) == (3.0, 4.0)


def test_without_create_graph_grads_stay_numbers_of_the_datas_kind() -> None:
    for data, kind in ((2.0, float), (Fraction(2), Fraction)):
        x = Value(data)
        (x * x + 1).backward()
        assert type(x.grad) is kind


def test_a_fresh_grad_is_the_neutral_int_zero_that_takes_the_kind_added_to_it() -> None:
    w = Value(0.5)
    assert w.grad == 0 and type(w.grad) is int
    w.data = Fraction(1, 2)  # how a user puts an exact weight in: the next gradients are exact
    (w * w).backward()
    assert w.grad == 1 and type(w.grad) is Fraction


def test_grad_with_create_graph_returns_values_and_changes_no_grad() -> None:
    x = Value(Fraction(3))
    (g,) = grad(x**3, [x], create_graph=True)
    assert isinstance(g, Value) and g.data == 27 and x.grad == 0
    assert grad(g, x) == 18  # one Value in: one gradient out


@given(fraction_programs(max_instructions=6))
def test_exact_hessian_is_symmetric_and_exact(program: Program) -> None:
    leaves = [Value(x) for x in program.inputs]
    h = hessian(evaluate(program, leaves, Fraction)[-1], leaves)
    n = len(leaves)
    assert all(type(h[i][j]) is Fraction for i in range(n) for j in range(n))
    assert all(h[i][j] == h[j][i] for i in range(n) for j in range(n))


@given(float_programs(max_instructions=5))
def test_float_hessian_matches_central_differences(program: Program) -> None:
    leaves = [Value(x) for x in program.inputs]
    assert gradgradcheck(lambda *xs: evaluate(program, xs)[-1], leaves, atol=1e-3, rtol=1e-2)


def test_symbolic_hessian_equals_sympys() -> None:
    a, b, c = sympy.symbols("a b c")
    leaves = [Value(s) for s in (a, b, c)]
    f = (leaves[0] * leaves[1]).tanh() + leaves[2] ** 3 / leaves[0] + leaves[1].exp()
    expected = sympy.hessian(sympy.tanh(a * b) + c**3 / a + sympy.exp(b), (a, b, c))
    assert sympy.simplify(sympy.Matrix(hessian(f, leaves)) - expected) == sympy.zeros(3)


@pytest.mark.parametrize(("data", "kind"), [(1.0, float), (Fraction(1), Fraction)])
def test_hessian_zeros_keep_the_inputs_kind(data: Any, kind: type) -> None:
    x, unused = Value(data), Value(data)
    h = hessian(x * 3, [x, unused])
    assert h == [[0, 0], [0, 0]] and all(type(e) is kind for row in h for e in row)


def test_second_order_through_relu_and_abs_is_zero_off_the_kink() -> None:
    x = Value(-2.0)
    assert hessian(x.relu() + abs(x) + x.leaky_relu(0.1), [x]) == [[0.0]]


def test_gradgradcheck_names_each_mismatch() -> None:
    def f(x: Value) -> Value:
        """x³ whose first derivative is right (3x²) but second is cut: two factors are detached copies."""
        return x**3 * 0.5 + x * x.detach() * x.detach() * 1.5

    with pytest.raises(GradcheckError, match=r"input 0 \(x\), input 0 \(x\): backward"):
        gradgradcheck(f, [Value(1.5, label="x")])


def test_comparisons_choose_values_and_the_gradient_flows_to_the_chosen_one() -> None:
    a, b, c = Value(1.0), Value(3.0), Value(2.0)
    best = max(a, b, c)
    assert best is b and min(a, b, c) is a and sorted([a, b, c]) == [a, c, b]
    (best * 2).backward()
    assert (a.grad, b.grad, c.grad) == (0, 2.0, 0)
    assert (a < 2) and (b >= 3.0) and not (c > b) and (c <= 2)


def test_values_as_python_numbers() -> None:
    v = Value(Fraction(7, 2))
    assert float(v) == 3.5 and int(v) == 3 and v.item() == Fraction(7, 2)
    assert f"{v:.3f}" == "3.500" and f"{Value(2.0):.1e}" == "2.0e+00"
    assert not Value(0.0) and Value(-1.0)
    assert Value(1.0) != Value(1.0) and len({Value(1.0), Value(1.0)}) == 2  # identity, hashable
