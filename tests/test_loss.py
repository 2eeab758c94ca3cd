"""Losses over one row of outputs and targets: values, learning flow, stability, errors."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd import Value
from nn import SGD, Linear, binary_cross_entropy, cross_entropy, fit, half_squared_error, hinge, mse

LOSSES = [half_squared_error, mse, hinge, binary_cross_entropy]


def test_half_squared_error_is_the_seeds_loss() -> None:
    assert half_squared_error([Value(0.0)], [1.0]).data == 0.5
    assert half_squared_error([Value(3.0), Value(1.0)], [1.0, 2.0]).data == 2.0 + 0.5
    exact = half_squared_error([Value(Fraction(43, 100))], [Fraction(0)])
    assert exact.data == Fraction(1849, 20000)


def test_mse_is_the_mean_of_the_squares() -> None:
    x = [Value(3.0), Value(1.0)]
    loss = mse(x, [1.0, 2.0])
    assert loss.data == (4.0 + 1.0) / 2
    loss.backward()
    assert [v.grad for v in x] == [2.0, -1.0]  # 2/n (x - y)
    assert mse([Value(Fraction(1))], [Fraction(0)]).data == 1


def test_hinge() -> None:
    x = [Value(0.5), Value(-2.0), Value(3.0)]
    loss = hinge(x, [1, 1, -1])
    assert loss.data == 0.5 + 3.0 + 4.0
    loss.backward()
    assert [v.grad for v in x] == [-1, -1, 1]
    assert hinge([Value(2.0)], [1]).data == 0.0


@given(st.floats(-15, 15), st.sampled_from([0.0, 0.25, 1.0]))
def test_binary_cross_entropy_is_its_definition_and_its_flow_is_sigma_minus_y(logit: float, y: float) -> None:
    x = Value(logit)
    loss = binary_cross_entropy([x], [y])
    p = 1 / (1 + math.exp(-logit))
    assert math.isclose(loss.data, -y * math.log(p) - (1 - y) * math.log1p(-p), rel_tol=1e-6, abs_tol=1e-9)
    loss.backward()
    assert math.isclose(x.grad, p - y, rel_tol=1e-9, abs_tol=1e-12)


def test_binary_cross_entropy_is_stable_for_large_logits() -> None:
    assert binary_cross_entropy([Value(1000.0)], [1.0]).data == 0.0
    assert binary_cross_entropy([Value(-1000.0)], [1.0]).data == 1000.0
    assert math.isclose(binary_cross_entropy([Value(0.0)], [1.0]).data, math.log(2))


@pytest.mark.parametrize("loss", LOSSES)
def test_rows_of_different_lengths_are_refused(loss) -> None:
    with pytest.raises(ValueError, match="2 outputs but 1 targets"):
        loss([Value(1.0), Value(0.0)], [1.0])
    with pytest.raises(ValueError, match="at least one output"):
        loss([], [])
    with pytest.raises(TypeError, match="outputs must be a list"):
        loss(Value(1.0), [1.0])
    with pytest.raises(TypeError, match="targets must be a list"):
        loss([Value(1.0)], 1.0)


def test_hinge_needs_targets_of_minus_one_or_one() -> None:
    with pytest.raises(ValueError, match="hinge needs targets of -1 or 1, got 0"):
        hinge([Value(1.0)], [0])


def test_binary_cross_entropy_needs_targets_in_0_1() -> None:
    with pytest.raises(ValueError, match=r"targets in \[0, 1\], got -1"):
        binary_cross_entropy([Value(1.0)], [-1])


def test_fit_compiled_shifts_each_row_by_its_own_largest_logit() -> None:
    """cross_entropy's shift is a max node: traced on a row of small logits, the replay at logits of
    ±800 neither overflows nor drifts from eager (same loss history and weights)."""

    def trained(compile: bool) -> tuple[list[float], list[float]]:
        layer = Linear.from_weights([[1.0], [-1.0]], [0.0, 0.0])
        rows, classes = [[0.5], [800.0], [-800.0], [-0.25]], [0, 0, 0, 1]
        history = fit(layer, rows, classes, cross_entropy, SGD(layer.parameters(), 1e-4), epochs=3,
                      batch_size=2, progress=False, compile=compile)
        return history, [p.data for p in layer.parameters()]

    (eager_history, eager_weights), (history, weights) = trained(False), trained(True)
    assert all(math.isfinite(loss) for loss in history) and eager_history[0] > 400  # the -800 row: 1600
    assert history == pytest.approx(eager_history, rel=1e-9, abs=1e-12)
    assert weights == pytest.approx(eager_weights, rel=1e-9, abs=1e-12)
