"""impacts and count_paths: the paths of impacts from one node to the output, and their sum, the gradient."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import Program, evaluate, fraction_programs

from autograd import Value, count_paths, impacts


@given(fraction_programs(), st.integers(0, 20))
def test_impacts_sum_to_the_gradient(program: Program, pick: int) -> None:
    nodes = evaluate(program, [Value(x) for x in program.inputs], Fraction)
    out, wrt = nodes[-1], nodes[pick % len(nodes)]
    out.backward()
    paths = impacts(out, wrt)
    assert sum(path.product for path in paths) == wrt.grad
    assert count_paths(out, wrt) == len(paths)


@given(fraction_programs(), st.integers(0, 20))
def test_each_path_runs_from_wrt_to_out_along_edges(program: Program, pick: int) -> None:
    nodes = evaluate(program, [Value(x) for x in program.inputs], Fraction)
    out, wrt = nodes[-1], nodes[pick % len(nodes)]
    for path in impacts(out, wrt):
        assert path.nodes[0] is wrt and path.nodes[-1] is out
        assert len(path.factors) == len(path.nodes) - 1
        for parent, child, factor in zip(path.nodes, path.nodes[1:], path.factors):
            edges = [local for p, local in zip(child.parents, child.local_grads) if p is parent]
            assert factor in edges


def test_a_diamond_has_one_path_per_edge() -> None:
    a = Value(Fraction(3), label="a")
    b = a + a
    c = b * b  # four paths a -> b -> c (two edges each step), each with product 1 · b = 6
    paths = impacts(c, a)
    assert count_paths(c, a) == len(paths) == 4
    assert [p.product for p in paths] == [6] * 4


def test_a_node_outside_the_graph_has_no_path() -> None:
    x, y = Value(1.0), Value(2.0)
    assert (impacts(x * 2, y), count_paths(x * 2, y)) == ([], 0)


def test_the_output_reaches_itself_by_one_empty_path() -> None:
    x = Value(2.0)
    out = x * 3
    [path] = impacts(out, out)
    assert (path.nodes, path.factors, path.product) == ((out,), (), 1)


def squarings(n: int) -> tuple[Value, Value]:
    """x and x squared n times: 2**n paths of impacts from x."""
    x = y = Value(1.0, label="x")
    for _ in range(n):
        y = y * y
    return x, y


def test_count_paths_is_linear_in_the_graph() -> None:
    x, y = squarings(300)
    assert count_paths(y, x) == 2**300


def test_impacts_refuses_more_paths_than_the_limit() -> None:
    x, y = squarings(14)
    with pytest.raises(ValueError, match=r"16384 paths of impacts lead from .* more than limit=10000"):
        impacts(y, x)
    with pytest.raises(ValueError, match=r"16 paths .* more than limit=15"):
        impacts(*reversed(squarings(4)), limit=15)
    assert len(impacts(y, x, limit=16384)) == 16384


def test_a_path_reads_as_nodes_and_factors() -> None:
    x = Value(Fraction(2), label="x")
    out = (x * 3).relu()
    out.label = "out"
    [path] = impacts(out, x)
    assert str(path) == "x -> * -> out: 3 · 1 = 3"
    y = Value(Fraction(3, 2), label="y")
    [path] = impacts(Value(Fraction(-3)) * y, y)
    assert str(path) == "y -> *: -3 = -3"  # exact numbers as a learner writes them, not Fraction(-3, 1)
