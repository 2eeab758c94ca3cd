"""Optimisers: ŵ = w - α·δw, momentum, Adam, exactness with Fractions, errors."""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import pytest

from autograd import Value
from nn import SGD, Adam, Linear


def weights_with_grads(data: list, grads: list) -> list[Value]:
    params = [Value(d) for d in data]
    for p, g in zip(params, grads):
        p.grad = g
    return params


def test_sgd_steps_against_the_gradient() -> None:
    params = weights_with_grads([1.0, -2.0], [0.5, -4.0])
    SGD(params, 0.1).step()
    assert [p.data for p in params] == [1.0 - 0.05, -2.0 + 0.4]


def test_sgd_with_fractions_stays_exact() -> None:
    params = weights_with_grads([Fraction(1, 5800)], [Fraction(-3000)])
    SGD(params, Fraction(1, 10**7)).step()
    assert params[0].data == Fraction(1, 5800) + Fraction(3, 10**4)
    assert isinstance(params[0].data, Fraction)


def test_sgd_refuses_a_float_lr_with_fraction_weights() -> None:
    with pytest.raises(TypeError, match=r"lr=1e-07 is a float but the weights are Fractions"):
        SGD([Value(Fraction(1))], 1e-7)
    with pytest.raises(TypeError, match=r"momentum=0\.5 is a float"):
        SGD([Value(Fraction(1))], Fraction(1, 10), momentum=0.5)
    SGD([Value(Fraction(1))], 1, momentum=Fraction(1, 2))  # ints and Fractions keep it exact


def test_sgd_momentum_accumulates_a_velocity() -> None:
    params = weights_with_grads([0.0], [1.0])
    sgd = SGD(params, 0.1, momentum=0.9)
    sgd.step()  # v = 1
    sgd.step()  # v = 0.9 + 1
    assert math.isclose(params[0].data, -0.1 * (1 + 1.9))


def test_zero_grad_resets_every_gradient() -> None:
    params = weights_with_grads([1.0, 2.0], [3.0, 4.0])
    SGD(params, 0.1).zero_grad()
    assert [p.grad for p in params] == [0, 0]


def test_adam_first_step_moves_each_weight_by_about_lr() -> None:
    params = weights_with_grads([1.0, 1.0], [0.001, -50.0])
    Adam(params, lr=0.01).step()  # m̂ = g, v̂ = g²: the step is lr·g/(|g| + ε)
    assert math.isclose(params[0].data, 1.0 - 0.01 * 0.001 / (0.001 + 1e-8))
    assert math.isclose(params[1].data, 1.0 + 0.01 * 50.0 / (50.0 + 1e-8))


def test_adam_minimises_a_quadratic() -> None:
    w = Value(5.0)
    adam = Adam([w], lr=0.1)
    for _ in range(300):
        adam.zero_grad()
        ((w - 2.0) * (w - 2.0)).backward()
        adam.step()
    assert abs(w.data - 2.0) < 0.05


@pytest.mark.parametrize("lr", [0, -0.1])
def test_the_learning_rate_must_be_positive(lr: float) -> None:
    for optimizer in (SGD, Adam):
        with pytest.raises(ValueError, match="lr must be > 0"):
            optimizer([Value(1.0)], lr)


def test_bad_parameters_are_refused() -> None:
    for optimizer in (SGD, Adam):
        with pytest.raises(ValueError, match="empty list of parameters"):
            optimizer([], 0.1)
        with pytest.raises(TypeError, match=r"model\.parameters\(\)"):
            optimizer(Linear(1, 1), 0.1)  # type: ignore[arg-type]
        with pytest.raises(TypeError, match="updates Values, got a float"):
            optimizer([1.0], 0.1)  # type: ignore[list-item]


def test_bad_hyperparameters_are_refused() -> None:
    with pytest.raises(ValueError, match="momentum must be in"):
        SGD([Value(1.0)], 0.1, momentum=1.0)
    with pytest.raises(ValueError, match="betas must be in"):
        Adam([Value(1.0)], 0.1, betas=(0.9, 1.0))
    with pytest.raises(ValueError, match="eps must be > 0"):
        Adam([Value(1.0)], 0.1, eps=0.0)
    with pytest.raises(TypeError, match="float weights, not Fraction"):
        Adam([Value(Fraction(1))], 0.1)


@pytest.mark.parametrize(
    "make, make_torch",
    [
        (lambda ps: SGD(ps, 0.1), lambda torch, ps: torch.optim.SGD(ps, lr=0.1)),
        (lambda ps: SGD(ps, 0.1, momentum=0.9), lambda torch, ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9)),
        (lambda ps: Adam(ps, lr=0.1), lambda torch, ps: torch.optim.Adam(ps, lr=0.1)),
    ],
    ids=["SGD", "SGD momentum", "Adam"],
)
def test_a_weight_whose_grad_is_none_is_skipped_as_in_pytorch(make: Any, make_torch: Any) -> None:
    """zero_grad(set_to_none=True), then a backward that reaches only some weights: the others keep their
    value and their optimiser state (velocity; Adam's moments and step count), as torch.optim does."""
    torch = pytest.importorskip("torch")
    grads = [[0.5, None, -2.0], [1.0, 3.0, None], [None, -1.0, 0.25]]  # three steps
    ours = [Value(d) for d in (1.0, 2.0, 3.0)]
    theirs = [torch.tensor(d, dtype=torch.float64, requires_grad=True) for d in (1.0, 2.0, 3.0)]
    optimizer, torch_optimizer = make(ours), make_torch(torch, theirs)
    for step in grads:
        for p, t, g in zip(ours, theirs, step):
            p.grad = g
            t.grad = None if g is None else torch.tensor(g, dtype=torch.float64)
        optimizer.step()
        torch_optimizer.step()
        assert [p.data for p in ours] == pytest.approx([t.item() for t in theirs], abs=1e-12)
    assert ours[1].data != 2.0  # a skipped weight moved at the steps that reached it
