"""fit: the gradient-descent loop, batches, the progress bar, errors; accuracy; moons in 10 epochs."""

from __future__ import annotations

from fractions import Fraction

import pytest

from autograd import Value
from nn import MLP, SGD, Linear, Module, accuracy, fit, half_squared_error, hinge
from nn.data import moons


def line() -> tuple[Linear, list[list[float]], list[list[float]]]:
    """A neuron o = w·x + b and rows on y = 2x - 1."""
    xs = [-1.0, 0.0, 1.0, 2.0]
    return Linear.from_weights([[0.0]], [0.0]), [[x] for x in xs], [[2 * x - 1] for x in xs]


def test_fit_learns_a_line_and_returns_the_loss_per_epoch() -> None:
    layer, inputs, targets = line()
    sgd = SGD(layer.parameters(), 0.1)
    history = fit(layer, inputs, targets, half_squared_error, sgd, 60, progress=False)
    assert len(history) == 60 and history[-1] < 1e-3 < history[0]
    assert layer.bias is not None
    assert abs(layer.weight[0][0].data - 2) < 0.05 and abs(layer.bias[0].data + 1) < 0.05


def test_a_batch_steps_once_with_the_mean_of_the_row_gradients() -> None:
    layer = Linear.from_weights([[Fraction(0)]], [Fraction(0)])
    inputs, targets = [[Fraction(1)], [Fraction(3)]], [[Fraction(1)], [Fraction(2)]]
    sgd = SGD(layer.parameters(), 1)
    fit(layer, inputs, targets, half_squared_error, sgd, 1, batch_size=2, progress=False)
    # δw = 1/2 (o - y)·x summed over the rows, o = 0: -(1·1 + 2·3)/2; δb = -(1 + 2)/2
    assert layer.bias is not None
    assert (layer.weight[0][0].data, layer.bias[0].data) == (Fraction(7, 2), Fraction(3, 2))


def test_a_last_partial_batch_takes_its_own_mean() -> None:
    layer = Linear.from_weights([[Fraction(0)]])
    inputs, targets = [[Fraction(1)]] * 3, [[Fraction(1)]] * 3
    sgd = SGD(layer.parameters(), Fraction(1, 2))
    fit(layer, inputs, targets, half_squared_error, sgd, 1, batch_size=2, progress=False)
    # batch 1: δw = -1, w = 1/2; batch 2 (one row): δw = -(1 - 1/2), w = 1/2 + 1/4
    assert layer.weight[0][0].data == Fraction(3, 4)


def test_the_progress_bar_is_drawn_by_tqdm(capsys: pytest.CaptureFixture[str]) -> None:
    layer, inputs, targets = line()
    fit(layer, inputs, targets, half_squared_error, SGD(layer.parameters(), 0.1), 2)
    err = capsys.readouterr().err
    assert "fit" in err and "2/2" in err and "loss=" in err
    fit(layer, inputs, targets, half_squared_error, SGD(layer.parameters(), 0.1), 2, progress=False)
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"batch_size": 0}, r"batch_size must be an int in 1..4"),
        ({"batch_size": 5}, r"batch_size must be an int in 1..4"),
        ({"epochs": -1}, "epochs must be an int >= 0"),
        ({"targets": [[1.0]]}, "4 input rows but 1 target rows"),
        ({"inputs": [], "targets": []}, "at least one row"),
    ],
)
def test_fit_refuses_bad_arguments(kwargs: dict, message: str) -> None:
    layer, inputs, targets = line()
    args = {"inputs": inputs, "targets": targets, "epochs": 1, **kwargs}
    with pytest.raises(ValueError, match=message):
        fit(layer, loss=half_squared_error, optimizer=SGD(layer.parameters(), 0.1), progress=False, **args)


def test_accuracy_compares_the_sides_of_zero() -> None:
    layer = Linear.from_weights([[1.0]])
    assert accuracy(layer, [[2.0], [-1.0], [0.5], [-3.0]], [[1], [-1], [-1], [0]]) == 0.75
    with pytest.raises(ValueError, match="one output and one target"):
        accuracy(Linear(1, 2), [[1.0]], [[1]])
    with pytest.raises(ValueError, match="2 input rows but 1 target rows"):
        accuracy(layer, [[1.0], [2.0]], [[1]])


def test_accuracy_builds_no_graph() -> None:
    class Spy(Module):
        def forward(self, x: list) -> list[Value]:
            out = Linear.from_weights([[1.0]])(x)
            assert out[0].is_leaf()
            return out

    assert accuracy(Spy(), [[1.0]], [[1]]) == 1.0


def test_ten_epochs_on_the_moons_reach_a_sensible_accuracy() -> None:
    inputs, targets = moons(60, noise=0.1, seed=0)
    model = MLP(2, [8, 8, 1], seed=0)
    fit(model, inputs, targets, hinge, SGD(model.parameters(), 0.05), 10, progress=False)
    assert accuracy(model, inputs, targets) >= 0.8


def test_the_progress_bar_is_the_notebook_aware_one() -> None:
    import tqdm.auto

    import nn.train

    assert nn.train.tqdm is tqdm.auto.tqdm  # a widget in Jupyter, text in a terminal
