"""autograd.sum: Σ of Values in one node, the left fold of + bit for bit, ∂Σ/∂term = 1 for every term.

The registry (`tests/ops.py`) tests it as an op of three terms to first and second order in every kind
of data and in random graphs; here: what differs from a chain of `+` nodes, and every consumer of a node
of many parents (modes, compile, explain, draw, the explorer's formulas).
"""

from __future__ import annotations

import builtins
import math
import re
from fractions import Fraction
from functools import reduce
from operator import add

import pytest
import sympy
from hypothesis import given
from hypothesis import strategies as st

import autograd
from autograd import Value, compile, detect_anomaly, draw, explain, grad, no_grad, topological_order
from autograd.explore.steps import forward_formula
from autograd.impacts import node_names

FLOATS = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)


@given(st.lists(FLOATS, min_size=1, max_size=40))
def test_the_value_is_the_chain_of_plus_bit_for_bit(numbers: list[float]) -> None:
    terms = [Value(x) for x in numbers]
    chain = reduce(add, terms)
    total = autograd.sum(terms)
    assert total.data == chain.data and math.copysign(1, total.data) == math.copysign(1, chain.data)


@given(st.lists(st.integers(0, 5), min_size=1, max_size=12), st.lists(FLOATS, min_size=6, max_size=6))
def test_one_node_whose_gradients_are_the_chains(picks: list[int], numbers: list[float]) -> None:
    """Terms picked with repeats: each appearance passes the flow on once."""
    leaves = [Value(x) for x in numbers]
    terms = [leaves[k] * 1.5 if k % 2 else leaves[k] for k in picks]
    total = autograd.sum(terms)
    assert total.op == "sum" and total.parents == tuple(terms) and total.local_grads == (1,) * len(terms)
    assert grad(total * 2.0, leaves) == grad(reduce(add, terms) * 2.0, leaves)
    assert [picks.count(k) * (1.5 if k % 2 else 1) * 2.0 for k in range(6)] == grad(total * 2.0, leaves)


def test_a_single_term_is_a_node_too() -> None:
    x = Value(2.0)
    total = autograd.sum([x])
    assert total is not x and total.data == 2.0 and total.parents == (x,)
    total.backward()
    assert x.grad == 1.0


def test_exact_and_symbolic_terms_stay_so() -> None:
    a, b = Value(Fraction(1, 3)), Value(Fraction(1, 6))
    total = autograd.sum([a, b, a * b])
    assert total.data == Fraction(1, 2) + Fraction(1, 18) and type(total.data) is Fraction
    assert grad(total, [a, b]) == [Fraction(7, 6), Fraction(4, 3)]
    x, y = sympy.symbols("x y")
    s = autograd.sum(Value(v) for v in (x, y, x * y))  # any iterable of Values
    assert sympy.simplify(s.data - (x + y + x * y)) == 0


def test_second_derivatives_go_through_a_sum() -> None:
    x, y = Value(2.0), Value(3.0)
    f = autograd.sum([x * x * y, y * y, x])  # x²y + y² + x
    assert autograd.hessian(f, [x, y]) == [[6.0, 4.0], [4.0, 2.0]]


def test_no_grad_builds_a_leaf_and_detect_anomaly_names_the_sum() -> None:
    x = Value(1.0)
    with no_grad():
        total = autograd.sum([x, x])
    assert total.data == 2.0 and total.is_leaf()
    with detect_anomaly(), pytest.raises(FloatingPointError, match="'sum' produced NaN") as error:
        autograd.sum([Value(math.inf), *[Value(1.0) for _ in range(100)], Value(-math.inf)])
    message = str(error.value)  # the infinities that made the NaN are named first, and it stays short
    assert "=inf" in message and "=-inf" in message and message.endswith("(and 100 more)")
    assert len(message) < 300


def test_terms_come_in_an_order_and_the_culprit_is_named() -> None:
    a = Value(1.0)
    for unordered in ({a, Value(2.0)}, {a: 1}):
        with pytest.raises(TypeError, match="in order"):
            autograd.sum(unordered)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"term 1 is of type Symbol \(add a constant with \+\)"):
        autograd.sum([a, sympy.Symbol("z")])  # comparing a Value with the culprit is never needed
    with pytest.raises(TypeError, match=r"term 0 is of type list \(flatten nested lists\)"):
        autograd.sum([[a, a]])  # type: ignore[list-item]


def test_import_star_keeps_pythons_sum() -> None:
    namespace: dict[str, object] = {}
    exec("from autograd import *\ntotal = sum([1, 2, 3])", namespace)
    assert namespace["total"] == 6 and "sum" not in autograd.__all__ and autograd.sum is not builtins.sum


def test_compile_replays_a_sum_of_many_terms_with_constants_and_repeats() -> None:
    """Past 32 terms the sum continues on another line; a Value that is not an input is a constant."""
    a, b = Value(0.5, "a"), Value(-2.0, "b")
    k = Value(0.25)
    terms = [a * float(i) if i % 3 else b for i in range(40)] + [k, a, a]
    out = autograd.sum(terms).relu()
    compiled = compile(out, [a, b])
    assert re.search(r"^    (v\d+) = \1 \+ .* \+ b \+ 0\.25 \+ a \+ a$", compiled.source, re.M)
    for point in ([0.5, -2.0], [-1.0, 3.0], [Fraction(1, 3), Fraction(-1, 2)]):
        a2, b2 = Value(point[0]), Value(point[1])
        k2 = Value(0.25)
        again = autograd.sum([a2 * float(i) if i % 3 else b2 for i in range(40)] + [k2, a2, a2]).relu()
        result, grads = compiled(point)
        assert result == again.data and grads == grad(again, [a2, b2])


def test_explain_and_the_explorer_write_a_sum_as_its_terms() -> None:
    w, x, b = Value(2.0, "w"), Value(3.0, "x"), Value(1.0, "b")
    z = autograd.sum([w * x, b])
    z.label = "z"
    loss = z * z
    assert str(explain(loss, w)).splitlines()[0] == "∂z·z/∂w = 2 · x · z"  # the sum's factor 1 left out
    names = node_names(topological_order(loss))
    assert forward_formula(z, names) == "z = w·x + b = 6 + 1 = 7"


def test_draw_gives_a_sum_one_edge_per_term() -> None:
    a, b, c = Value(1.0, "a"), Value(2.0, "b"), Value(3.0, "c")
    total = autograd.sum([a, b, c])
    source = draw(total).source
    assert "v3op [label=sum" in source and source.count("-> v3op [label=1]") == 3
