"""Softmax and cross_entropy: δ = softmax - one-hot emerges (floats, sympy), stable for logits of ±1000,
central differences, fit, and every bad target."""

from __future__ import annotations

import math
from fractions import Fraction
from functools import reduce
from operator import add, mul
from typing import Any

import pytest
import sympy
from hypothesis import given
from hypothesis import strategies as st
from test_formulas import FLOATS, close, flow_back

from autograd import Value, gradcheck
from nn import SGD, Linear, Softmax, cross_entropy, fit

LOGITS = st.lists(FLOATS, min_size=1, max_size=6)


def softmax(x: list[float]) -> list[float]:
    """The probabilities, written out independently of the engine."""
    m = max(x)
    e = [math.exp(v - m) for v in x]
    return [v / sum(e) for v in e]


@given(LOGITS, st.data())
def test_cross_entropy_flow_is_softmax_minus_one_hot(logits: list[float], data: st.DataObject) -> None:
    t = data.draw(st.integers(0, len(logits) - 1))
    x = [Value(v) for v in logits]
    loss = cross_entropy(x, t)
    p = softmax(logits)
    assert close(loss.data, -math.log(p[t]))
    loss.backward()
    for i, xi in enumerate(x):
        assert close(xi.grad, p[i] - (i == t))


@given(LOGITS, st.data())
def test_cross_entropy_with_probabilities(logits: list[float], data: st.DataObject) -> None:
    weights = data.draw(st.lists(st.integers(0, 5), min_size=len(logits), max_size=len(logits)))
    total = sum(weights) or 1
    y = [Fraction(w, total) if sum(weights) else Fraction(i == 0) for i, w in enumerate(weights)]
    x = [Value(v) for v in logits]
    loss = cross_entropy(x, y)
    p = softmax(logits)
    assert close(loss.data, -sum(float(yi) * math.log(pi) for yi, pi in zip(y, p) if yi))
    loss.backward()
    for i, xi in enumerate(x):
        assert close(xi.grad, p[i] - y[i])


def test_probabilities_that_sum_to_1_up_to_rounding_give_delta_p_minus_y() -> None:
    """README's promise δ = softmax(o) - y: a float target that sums to 1 up to rounding is taken."""
    y = [0.1] * 10
    assert sum(y) != 1
    x = [Value(float(i)) for i in range(10)]
    cross_entropy(x, y).backward()
    p = softmax([float(i) for i in range(10)])
    assert all(close(xi.grad, pi - yi) for xi, pi, yi in zip(x, p, y))


@pytest.mark.parametrize("n", [1, 2, 3])
def test_cross_entropy_flow_emerges_symbolically(n: int) -> None:
    x = sympy.symbols(f"x0:{n}")
    values = [Value(v) for v in x]
    cross_entropy(values, n - 1).backward()
    total = sum(sympy.exp(v) for v in x)
    for i, v in enumerate(values):
        assert sympy.simplify(v.grad - (sympy.exp(x[i]) / total - int(i == n - 1))) == 0


def test_logits_of_plus_minus_1000_are_stable() -> None:
    x = [Value(1000.0), Value(-1000.0), Value(999.0)]
    loss = cross_entropy(x, 2)
    assert close(loss.data, math.log(1 + math.exp(-1)) + 1)
    loss.backward()
    assert [round(v.grad, 12) for v in x] == [round(1 / (1 + math.exp(-1)), 12), 0.0,
                                              round(math.exp(-1) / (1 + math.exp(-1)) - 1, 12)]
    p = Softmax()([Value(1000.0), Value(-1000.0)])
    assert [v.data for v in p] == [1.0, 0.0]


@given(LOGITS, st.data())
def test_softmax_flow(logits: list[float], data: st.DataObject) -> None:
    """δx_i = p_i·(δ_i - Σ_j p_j·δ_j) for an upstream flow δ."""
    delta = data.draw(st.lists(FLOATS, min_size=len(logits), max_size=len(logits)))
    x = [Value(v) for v in logits]
    out = Softmax()(x)
    p = softmax(logits)
    assert all(close(o.data, pi) for o, pi in zip(out, p))
    flow_back(out, delta)
    mean = sum(pj * dj for pj, dj in zip(p, delta))
    for i, xi in enumerate(x):
        assert math.isclose(xi.grad, p[i] * (delta[i] - mean), rel_tol=1e-7, abs_tol=1e-7)


def test_softmax_flow_emerges_symbolically() -> None:
    x, d = sympy.symbols("x0:3"), sympy.symbols("d0:3")
    values = [Value(v) for v in x]
    out = Softmax()(values)
    flow_back(out, list(d))
    p = [sympy.exp(v) / sum(sympy.exp(w) for w in x) for v in x]
    mean = sum(pj * dj for pj, dj in zip(p, d))
    for i, v in enumerate(values):
        assert sympy.simplify(v.grad - p[i] * (d[i] - mean)) == 0


@given(LOGITS, st.data())
def test_cross_entropy_and_softmax_match_central_differences(logits: list[float], data: Any) -> None:
    t = data.draw(st.integers(0, len(logits) - 1))
    delta = data.draw(st.lists(FLOATS, min_size=len(logits), max_size=len(logits)))
    assert gradcheck(lambda *x: cross_entropy(list(x), t), [Value(v) for v in logits])
    assert gradcheck(lambda *x: reduce(add, map(mul, Softmax()(list(x)), delta)), [Value(v) for v in logits])


def test_softmax_takes_a_batch() -> None:
    rows = Softmax()([[0.0, 0.0], [1.0, 1.0, 1.0, 1.0]])
    assert [[v.data for v in row] for row in rows] == [[0.5, 0.5], [0.25] * 4]


def test_fit_learns_three_classes_with_cross_entropy() -> None:
    model = Linear(2, 3, seed=0)
    inputs = [[1.0, 0.0], [0.0, 1.0], [-1.0, -1.0]] * 3
    targets: Any = [0, 1, 2] * 3
    history = fit(model, inputs, targets, cross_entropy, SGD(model.parameters(), lr=0.5), epochs=20,
                  progress=False)
    assert history[-1] < history[0] / 4
    assert [max(range(3), key=lambda k: model(x)[k].data) for x in inputs[:3]] == [0, 1, 2]


@pytest.mark.parametrize(
    ("logits", "target", "error", "message"),
    [
        ([1.0, 2.0], 2, ValueError, r"target class 2 is out of range for 2 logits \(0..1\)"),
        ([1.0, 2.0], -1, ValueError, "target class -1 is out of range"),
        ([1.0, 2.0], [1.0], ValueError, "2 logits but 1 target probabilities"),
        ([1.0, 2.0], [1.5, -0.5], ValueError, r"probabilities in \[0, 1\], got 1.5"),
        ([1.0, 2.0], [0, 0], ValueError, r"must sum to 1 .*\[0, 0\] sums to 0"),
        ([1.0, 2.0], [0.5, 0.6], ValueError, r"\(then δ = softmax\(o\) - y\): \[0.5, 0.6\] sums to 1.1"),
        ([1.0, 2.0], [Fraction(1, 2), Fraction(1, 3)], ValueError, "sums to 5/6; divide by the sum"),
        ([1.0, 2.0], True, TypeError, "class index .* not True"),
        ([1.0, 2.0], 1.0, TypeError, "class index"),
        ([], 0, ValueError, "non-empty list of logits"),
        (Value(1.0), 0, ValueError, "list of logits"),
    ],
)
def test_bad_targets_are_refused(logits: Any, target: Any, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        cross_entropy(logits, target)


@pytest.mark.parametrize(("x", "message"), [([], "non-empty"), (Value(1.0), "list of logits")])
def test_softmax_refuses_a_bad_input(x: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Softmax()(x)

