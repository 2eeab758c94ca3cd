"""Layers without weights: Input1D and the activations, their values and the series' convention at 0."""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import pytest

from autograd import Value
from nn import Activation, Input1D, LeakyReLU, ReLU, Sigmoid, Tanh


def test_relu() -> None:
    out = ReLU()([-2.0, 0.0, 3.0])
    assert [v.data for v in out] == [0.0, 0.0, 3.0]


def test_leaky_relu_uses_its_slope() -> None:
    assert [v.data for v in LeakyReLU(0.5)([-2.0, 4.0])] == [-1.0, 4.0]
    assert LeakyReLU().slope == 0.01
    assert [v.data for v in LeakyReLU(Fraction(1, 3))([Fraction(-3)])] == [Fraction(-1)]


def test_tanh_and_sigmoid() -> None:
    assert [v.data for v in Tanh()([0.5])] == [math.tanh(0.5)]
    assert math.isclose(Sigmoid()([2.0])[0].data, 1 / (1 + math.exp(-2.0)))


@pytest.mark.parametrize(("layer", "slope_at_zero"), [(ReLU(), 1), (LeakyReLU(0.1), 1)])
def test_the_derivative_at_zero_is_one_as_in_the_series(layer: Activation, slope_at_zero: int) -> None:
    x = Value(0.0)
    layer([x])[0].backward()
    assert x.grad == slope_at_zero


def test_an_activation_keeps_the_number_of_neurons_and_wraps_numbers() -> None:
    x = Value(-1.0)
    out = Sigmoid()([x, 2, Fraction(1, 2)])
    assert len(out) == 3 and all(isinstance(v, Value) for v in out)
    assert out[0].parents == (x,)


def test_input1d_is_the_identity() -> None:
    x = [Value(1.0), Value(2.0)]
    assert Input1D()(x) == x
    out = Input1D(3)([100, 2000, Fraction(100)])
    assert [v.data for v in out] == [100.0, 2000.0, 100] and all(v.is_leaf() for v in out)


def test_input1d_checks_its_size() -> None:
    with pytest.raises(ValueError, match="Input1D expects 3 inputs, got 2"):
        Input1D(3)([1.0, 2.0])


def test_an_activation_refuses_a_bare_value() -> None:
    with pytest.raises(TypeError, match="not a single Value"):
        ReLU()(Value(1.0))


def test_an_activation_must_define_activate() -> None:
    with pytest.raises(NotImplementedError, match="Activation does not define activate"):
        Activation()([1.0])


@pytest.mark.parametrize("slope", ["0.1", None, Value(0.1)])
def test_leaky_relu_refuses_a_slope_that_is_not_a_number_at_the_call(slope: Any) -> None:
    with pytest.raises(TypeError, match="slope"):
        LeakyReLU(slope)


def test_a_sample_of_values_numbers_or_nested_lists_gives_the_same_neurons() -> None:
    """Values only (the fast path), numbers among them, and [c][i][j] nesting: one node per neuron."""
    values = [Value(-1.0), Value(2.0)]
    assert [o.data for o in ReLU()(values)] == [0.0, 2.0] and all(o.parents for o in ReLU()(values))
    assert [o.data for o in ReLU()([Value(-1.0), 2.0])] == [0.0, 2.0]
    nested = ReLU()([[[-1.0, 2.0]], [[3.0, -4.0]]])
    assert [[[o.data for o in row] for row in channel] for channel in nested] == [[[0.0, 2.0]], [[3.0, 0.0]]]
