"""The seed's boxed formulas emerge from the chain rule: floats (close), Fractions (equal), sympy (identical).

For a layer L^k with inputs o^{k-1} and an upstream learning flow δ^{k+1}, seeded by back-propagating
Σ_j δ^{k+1}_j · out_j:
    Linear:     δ^k_i = Σ_j δ^{k+1}_j · w^{k,j}_i,  δw^{k,j}_i = δ^{k+1}_j · o^{k-1}_i,  δb^k_j = δ^{k+1}_j
    activation: δ^k_i = δ^{k+1}_i · f'(o^{k-1}_i)
    Loss:       δ = o - y (half squared error)
    Input1D:    δ^1 = δ^2
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from fractions import Fraction
from functools import reduce
from operator import add
from typing import Any

import pytest
import sympy
from hypothesis import given
from hypothesis import strategies as st

from autograd import Value
from nn import Input1D, LeakyReLU, Linear, Module, ReLU, Sigmoid, Tanh, half_squared_error

FLOATS = st.floats(-10, 10, allow_nan=False, allow_infinity=False)
FRACTIONS = st.builds(Fraction, st.integers(-600, 600), st.integers(1, 60))  # cheaper than st.fractions
SIZES = st.integers(1, 8)


def vectors(numbers: st.SearchStrategy[Any], n: int) -> st.SearchStrategy[list[Any]]:
    return st.lists(numbers, min_size=n, max_size=n)


@st.composite
def linear_cases(draw: st.DrawFn, numbers: st.SearchStrategy[Any]) -> tuple[Any, ...]:
    """Random weights[j][i], biases (or None), inputs o^{k-1} and upstream flow δ^{k+1}."""
    n_in, n_out = draw(SIZES), draw(SIZES)
    weights = draw(st.lists(vectors(numbers, n_in), min_size=n_out, max_size=n_out))
    biases = draw(st.none() | vectors(numbers, n_out))
    return weights, biases, draw(vectors(numbers, n_in)), draw(vectors(numbers, n_out))


@st.composite
def flow_cases(draw: st.DrawFn, numbers: st.SearchStrategy[Any]) -> tuple[list[Any], list[Any]]:
    """Random inputs o^{k-1} and upstream flow δ^{k+1} of one length (a layer without weights)."""
    n = draw(SIZES)
    return draw(vectors(numbers, n)), draw(vectors(numbers, n))


def flow_back(outputs: Sequence[Value], delta: Sequence[Any]) -> None:
    """Give the outputs the learning flow δ^{k+1} by back-propagating Σ_j δ^{k+1}_j · out_j."""
    reduce(add, [out * d for out, d in zip(outputs, delta)]).backward()


def close(a: Any, b: Any) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def exact(a: Any, b: Any) -> bool:
    return isinstance(a, Fraction) and a == b


def check_linear(case: tuple[Any, ...], same: Callable[[Any, Any], bool]) -> None:
    weights, biases, o, delta = case
    layer = Linear.from_weights(weights, biases)
    x = [Value(v) for v in o]
    flow_back(layer(x), delta)
    for i, xi in enumerate(x):
        assert same(xi.grad, sum(delta[j] * weights[j][i] for j in range(len(delta))))
    for j, row in enumerate(layer.weight):
        for i, w in enumerate(row):
            assert same(w.grad, delta[j] * o[i])
    for j, b in enumerate(layer.bias or []):
        assert same(b.grad, delta[j])


@given(linear_cases(FLOATS))
def test_linear_formulas_with_floats(case: tuple[Any, ...]) -> None:
    check_linear(case, close)


@given(linear_cases(FRACTIONS))
def test_linear_formulas_with_fractions_are_exact(case: tuple[Any, ...]) -> None:
    check_linear(case, exact)


@pytest.mark.parametrize("n_out", range(1, 9))
@pytest.mark.parametrize("n_in", range(1, 9))
def test_linear_formulas_emerge_symbolically(n_in: int, n_out: int) -> None:
    w = [[sympy.Symbol(f"w^k,{j}_{i}") for i in range(n_in)] for j in range(n_out)]
    b = [sympy.Symbol(f"B^k_{j}") for j in range(n_out)]
    o = [sympy.Symbol(f"o^k-1_{i}") for i in range(n_in)]
    delta = [sympy.Symbol(f"delta^k+1_{j}") for j in range(n_out)]
    layer = Linear.from_weights(w, b)
    x = [Value(v) for v in o]
    flow_back(layer(x), delta)
    for i in range(n_in):
        assert x[i].grad == sympy.Add(*(delta[j] * w[j][i] for j in range(n_out)))
    for j in range(n_out):
        for i in range(n_in):
            assert layer.weight[j][i].grad == delta[j] * o[i]
        assert layer.bias is not None and layer.bias[j].grad == delta[j]


def names(cases: list[tuple[Module, Any]]) -> list[str]:
    return [repr(layer) for layer, _ in cases]


def sigma(o: float) -> float:
    return 1 / (1 + math.exp(-o))


# (layer, f') with f' written from the series' formulas, independently of the engine
FLOAT_ACTIVATIONS: list[tuple[Module, Callable[[Any], Any]]] = [
    (ReLU(), lambda o: 1 if o >= 0 else 0),
    (LeakyReLU(0.1), lambda o: 1 if o >= 0 else 0.1),
    (Sigmoid(), lambda o: sigma(o) * (1 - sigma(o))),
    (Tanh(), lambda o: 1 - math.tanh(o) ** 2),
]
EXACT_ACTIVATIONS: list[tuple[Module, Callable[[Any], Any]]] = [
    (ReLU(), lambda o: 1 if o >= 0 else 0),
    (LeakyReLU(Fraction(1, 10)), lambda o: 1 if o >= 0 else Fraction(1, 10)),
]


def check_activation(layer: Module, derivative: Callable[[Any], Any], case: tuple[list[Any], list[Any]],
                     same: Callable[[Any, Any], bool]) -> None:
    o, delta = case
    x = [Value(v) for v in o]
    flow_back(layer(x), delta)
    for xi, oi, di in zip(x, o, delta):
        assert same(xi.grad, di * derivative(oi))


@pytest.mark.parametrize(("layer", "derivative"), FLOAT_ACTIVATIONS, ids=names(FLOAT_ACTIVATIONS))
@given(case=flow_cases(FLOATS))
def test_activation_flow_with_floats(layer: Module, derivative: Callable[[Any], Any],
                                     case: tuple[list[Any], list[Any]]) -> None:
    check_activation(layer, derivative, case, close)


@pytest.mark.parametrize(("layer", "derivative"), EXACT_ACTIVATIONS, ids=names(EXACT_ACTIVATIONS))
@given(case=flow_cases(FRACTIONS))
def test_activation_flow_with_fractions_is_exact(layer: Module, derivative: Callable[[Any], Any],
                                                 case: tuple[list[Any], list[Any]]) -> None:
    check_activation(layer, derivative, case, exact)


@pytest.mark.parametrize(("layer", "derivative"), FLOAT_ACTIVATIONS[2:], ids=names(FLOAT_ACTIVATIONS[2:]))
@given(case=flow_cases(FRACTIONS))
def test_smooth_activation_flow_with_fractions(layer: Module, derivative: Callable[[Any], Any],
                                               case: tuple[list[Any], list[Any]]) -> None:
    check_activation(layer, lambda o: derivative(float(o)), case, close)


X, SLOPE = sympy.Symbol("x"), sympy.Symbol("a")
SYMBOLIC_ACTIVATIONS: list[tuple[Module, Any]] = [
    (ReLU(), sympy.Piecewise((X, X >= 0), (0, True))),
    (LeakyReLU(SLOPE), sympy.Piecewise((X, X >= 0), (SLOPE * X, True))),
    (Sigmoid(), 1 / (1 + sympy.exp(-X))),
    (Tanh(), sympy.tanh(X)),
]


@pytest.mark.parametrize(("layer", "f"), SYMBOLIC_ACTIVATIONS, ids=names(SYMBOLIC_ACTIVATIONS))
def test_activation_flow_emerges_symbolically(layer: Module, f: Any) -> None:
    o = [sympy.Symbol(f"o_{i}") for i in range(3)]
    delta = [sympy.Symbol(f"delta_{i}") for i in range(3)]
    x = [Value(v) for v in o]
    flow_back(layer(x), delta)
    for xi, oi, di in zip(x, o, delta):
        assert sympy.simplify(xi.grad - di * sympy.diff(f, X).subs(X, oi)) == 0


def check_half_squared_error(case: tuple[list[Any], list[Any]], same: Callable[[Any, Any], bool]) -> None:
    o, y = case
    x = [Value(v) for v in o]
    half_squared_error(x, y).backward()
    for xi, oi, yi in zip(x, o, y):
        assert same(xi.grad, oi - yi)


@given(flow_cases(FLOATS))
def test_half_squared_error_flow_with_floats(case: tuple[list[Any], list[Any]]) -> None:
    check_half_squared_error(case, close)


@given(flow_cases(FRACTIONS))
def test_half_squared_error_flow_with_fractions_is_exact(case: tuple[list[Any], list[Any]]) -> None:
    check_half_squared_error(case, exact)


def test_half_squared_error_flow_emerges_symbolically() -> None:
    o, y = sympy.symbols("o_1 o_2"), sympy.symbols("y_1 y_2")
    x = [Value(v) for v in o]
    half_squared_error(x, list(y)).backward()
    assert [xi.grad for xi in x] == [o[0] - y[0], o[1] - y[1]]


@given(linear_cases(FRACTIONS))
def test_input1d_passes_the_flow_unchanged(case: tuple[Any, ...]) -> None:
    weights, _, data, delta = case
    layer2 = Linear.from_weights(weights)
    o1 = Input1D(len(data))(data)
    flow_back(layer2(o1), delta)
    delta2 = [sum(delta[j] * weights[j][i] for j in range(len(delta))) for i in range(len(data))]
    assert [v.grad for v in o1] == delta2  # δ^1 = δ^2
    x = [Value(v) for v in data]
    assert all(a is b for a, b in zip(Input1D()(x), x))  # Values pass through: the same neurons
