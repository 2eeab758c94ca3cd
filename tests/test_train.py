"""fit: the gradient-descent loop, batches, the progress bar, errors; accuracy; moons in 10 epochs."""

from __future__ import annotations

import random
from collections.abc import Callable
from fractions import Fraction
from typing import Any

import numpy as np
import pytest
from test_conv import flat

from autograd import Compiled, Value, compile
from nn import (
    MLP,
    SGD,
    Adam,
    BatchNorm,
    BatchNorm1D,
    BatchNorm2D,
    Conv2D,
    Flatten,
    Input1D,
    Input2D,
    LeakyReLU,
    Linear,
    MaxPool2D,
    Module,
    ReLU,
    Sequential,
    Sigmoid,
    Softmax,
    Tanh,
    accuracy,
    binary_cross_entropy,
    cross_entropy,
    fit,
    from_torch,
    half_squared_error,
    hinge,
    mse,
    to_torch,
)
from nn.data import moons, seed_example
from nn.module import apply
from nn.train import Loss


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


@pytest.mark.parametrize("batch_size", [1, 7])
def test_fit_compiled_ends_with_the_eager_weights_and_history_floats(batch_size: int) -> None:
    inputs, targets = moons(20, noise=0.1, seed=1)
    runs = []
    for compiled in (False, True):
        model = MLP(2, [6, 6, 1], seed=3)
        sgd = SGD(model.parameters(), 0.05, momentum=0.5)
        history = fit(model, inputs, targets, hinge, sgd, 3, batch_size, progress=False, compile=compiled)
        runs.append((history, [p.data for p in model.parameters()]))
    (history, weights), (compiled_history, compiled_weights) = runs
    assert all(abs(a - b) <= 1e-9 * max(1.0, abs(a)) for a, b in zip(history, compiled_history))
    assert all(abs(a - b) <= 1e-9 * max(1.0, abs(a)) for a, b in zip(weights, compiled_weights))


@pytest.mark.parametrize("batch_size", [1, 3])
def test_fit_compiled_is_exact_with_fractions(batch_size: int) -> None:
    example = seed_example()
    runs = []
    for compiled in (False, True):
        model = example.model()
        sgd = SGD(model.parameters(), Fraction(1, 10**7))
        history = fit(model, example.inputs, example.targets, half_squared_error, sgd, 2, batch_size,
                      progress=False, compile=compiled)
        runs.append((history, [p.data for p in model.parameters()]))
    assert runs[0] == runs[1]
    assert all(type(w) is Fraction for w in runs[1][1])


def images(n: int, seed: int) -> list[list[list[list[float]]]]:
    """n random one-channel 4×4 images."""
    rng = random.Random(seed)
    return [[[[rng.uniform(-1, 1) for _ in range(4)] for _ in range(4)]] for _ in range(n)]


def conv(*middle: Module) -> Sequential:
    """Conv2D → (middle layers) → MaxPool2D → Flatten → Linear to 2 outputs, on 1×4×4 images."""
    return Sequential(
        Conv2D(1, 2, 2, seed=4), *middle, MaxPool2D(2, stride=1), Flatten(), Linear(8, 2, seed=5)
    )


def dense(*middle: Module) -> Sequential:
    """Linear 3 → 4, (middle layers), Linear 4 → 2."""
    return Sequential(Linear(3, 4, seed=1), *middle, Linear(4, 2, seed=2))


def rows(n: int) -> list[list[float]]:
    """n random rows of 3 numbers."""
    return [[random.Random(r).uniform(-1, 1) for _ in range(3)] for r in range(n)]


# Every layer in nn, each model with 2 outputs: (name, the model, whether it takes images).
MODELS: list[tuple[str, Callable[[], Module], bool]] = [
    ("Linear", lambda: Linear(3, 2, seed=1), False),
    ("MLP", lambda: MLP(3, [4, 2], seed=2), False),
    ("Input1D ReLU", lambda: Sequential(Input1D(3), dense(ReLU())), False),
    ("LeakyReLU", lambda: dense(LeakyReLU(0.1)), False),
    ("Tanh", lambda: dense(Tanh()), False),
    ("Sigmoid", lambda: dense(Sigmoid()), False),
    ("Softmax", lambda: Sequential(Linear(3, 2, seed=1), Softmax()), False),
    ("Conv2D MaxPool2D Flatten", lambda: conv(ReLU()), True),
    ("Input2D", lambda: Sequential(Input2D(1, 4, 4), conv(Tanh())), True),
    ("BatchNorm1D", lambda: dense(BatchNorm1D(4), ReLU()), False),
    ("BatchNorm1D no affine", lambda: Sequential(BatchNorm1D(3, affine=False), Linear(3, 2, seed=1)), False),
    ("BatchNorm2D", lambda: conv(BatchNorm2D(2), ReLU()), True),
]


def targets_for(loss: Loss, n: int, seed: int) -> list[Any]:
    """n targets for 2 outputs, each in the loss's domain (cross_entropy: class indices)."""
    rng = random.Random(seed)
    if loss is cross_entropy:
        return [rng.randrange(2) for _ in range(n)]
    if loss is hinge:
        return [[rng.choice((-1.0, 1.0)) for _ in range(2)] for _ in range(n)]
    return [[rng.uniform(0, 1) for _ in range(2)] for _ in range(n)]


def trained(make: Callable[[], Module], inputs: list[Any], targets: list[Any], loss: Loss, compiled: bool,
            batch_size: int) -> tuple[list[Any], list[Any], list[Any], list[Any]]:
    """fit (Adam, 2 epochs): the history, the weights, every BatchNorm's running statistics, and the
    predictions after eval()."""
    model = make()
    history = fit(model, inputs, targets, loss, Adam(model.parameters(), 0.05), 2, batch_size,
                  progress=False, compile=compiled)
    norms = [m for m in model.modules() if isinstance(m, BatchNorm)]
    running = [v for m in norms for v in (*m.running_mean, *m.running_var)]
    model.eval()
    predictions = [o.data for row in model(inputs) for o in flat(row)]
    return history, [p.data for p in model.parameters()], running, predictions


def close(a: list[Any], b: list[Any]) -> bool:
    """Equal lists of floats to 1e-9 (relative above 1)."""
    return len(a) == len(b) and all(abs(x - y) <= 1e-9 * max(1.0, abs(x)) for x, y in zip(a, b))


@pytest.mark.parametrize("loss", [half_squared_error, mse, hinge, binary_cross_entropy, cross_entropy])
@pytest.mark.parametrize(("name", "make", "two_d"), MODELS, ids=[name for name, *_ in MODELS])
def test_every_layer_trains_compiled_as_eager(name: str, make: Callable[[], Module], two_d: bool,
                                              loss: Loss) -> None:
    inputs = images(8, 0) if two_d else rows(8)
    targets = targets_for(loss, 8, 1)  # batches of 3, 3 and 2 rows
    eager, compiled = (trained(make, inputs, targets, loss, c, batch_size=3) for c in (False, True))
    assert all(close(a, b) for a, b in zip(eager, compiled)), name
    assert eager[1] != [p.data for p in make().parameters()]  # it trained
    assert all(v not in (0.0, 1.0) for v in eager[2])  # every running statistic moved from its start


def test_a_batch_norm_model_trains_on_whole_batches_as_pytorch() -> None:
    torch = pytest.importorskip("torch")
    inputs, targets = rows(10), targets_for(half_squared_error, 10, 2)
    model = dense(BatchNorm1D(4), Tanh())
    twin = to_torch(model)
    history = fit(model, inputs, targets, half_squared_error, SGD(model.parameters(), 0.1), 3, 4,
                  progress=False)
    sgd = torch.optim.SGD(twin.parameters(), lr=0.1)
    x, y = torch.tensor(inputs, dtype=torch.float64), torch.tensor(targets, dtype=torch.float64)
    torch_history = []
    for _ in range(3):
        total = 0.0
        for start in range(0, 10, 4):  # batches of 4, 4 and 2 rows, as PyTorch's model.train() loop
            sgd.zero_grad()
            row_losses = 0.5 * ((twin(x[start : start + 4]) - y[start : start + 4]) ** 2).sum(dim=1)
            (row_losses.sum() / len(row_losses)).backward()
            sgd.step()
            total += float(row_losses.detach().sum())
        torch_history.append(total / 10)
    back = from_torch(twin)
    assert close(history, torch_history)
    assert close([p.data for p in model.parameters()], [p.data for p in back.parameters()])
    norm, torch_norm = model[1], back[1]
    assert isinstance(norm, BatchNorm) and isinstance(torch_norm, BatchNorm)
    assert close(norm.running_mean + norm.running_var, torch_norm.running_mean + torch_norm.running_var)
    assert norm.running_mean != [0.0] * 4


@pytest.mark.parametrize("compiled", [False, True])
def test_a_batch_of_one_row_with_batch_norm_is_refused_before_anything_moves(compiled: bool) -> None:
    model = Sequential(Linear(3, 2, seed=1), BatchNorm1D(2))
    norm = model[1]
    assert isinstance(norm, BatchNorm)
    before = ([p.data for p in model.parameters()], norm.running_mean[:], norm.running_var[:])
    rows, targets = [[1.0, 2.0, 3.0]] * 7, [[0.0, 1.0]] * 7
    last = "7 rows in batches of batch_size=3 leave a last batch of 1 row"
    for batch_size, message in ((1, "batch_size=1"), (3, last)):
        with pytest.raises(ValueError, match=message):
            fit(model, rows, targets, mse, SGD(model.parameters(), 0.1), 1, batch_size, progress=False,
                compile=compiled)
        assert ([p.data for p in model.parameters()], norm.running_mean, norm.running_var) == before


def test_accuracy_of_a_batch_norm_model_after_eval_and_refused_in_training() -> None:
    model = dense(BatchNorm1D(4), ReLU())
    inputs, targets = rows(6), [0, 1] * 3
    fit(model, inputs, targets, cross_entropy, Adam(model.parameters(), 0.05), 5, 3, progress=False)
    with pytest.raises(ValueError, match=r"accuracy needs model.eval\(\) first"):
        accuracy(model, inputs, targets)
    model.eval()
    predicted = [max((0, 1), key=lambda k: row[k].data) for row in model(inputs)]
    assert accuracy(model, inputs, targets) == sum(p == y for p, y in zip(predicted, targets)) / 6


def test_a_batch_norm_model_compiles_one_graph_per_batch_shape(monkeypatch: pytest.MonkeyPatch) -> None:
    import nn.train

    traced = []
    monkeypatch.setattr(nn.train, "compile_graph", lambda *args: traced.append(args) or compile(*args))
    model = dense(BatchNorm1D(4), ReLU())
    fit(model, rows(8), [0, 1, 1, 0, 1, 1, 0, 0], cross_entropy, SGD(model.parameters(), 0.1), 3, 3,
        progress=False, compile=True)
    assert len(traced) == 2  # batches of 3 (classes differ: one-hot numbers, one graph) and the last of 2


class Chooser(Module):
    """A layer of a user's own whose graph's structure depends on the data (a Python if)."""

    compiles = False

    def forward(self, x: Any) -> Any:
        return apply(lambda v: v * 2 if v.data > 0 else v, x)  # a row, or a batch of rows


@pytest.mark.parametrize("batch_norm", [False, True])
def test_a_layer_that_does_not_compile_is_refused_by_fit_compiled_saying_why(batch_norm: bool) -> None:
    model = dense(Chooser(), *([BatchNorm1D(4)] if batch_norm else []))
    before = [p.data for p in model.parameters()]
    with pytest.raises(ValueError, match="cannot train a model with Chooser: its graph's structure depends"):
        fit(model, rows(4), [[0.0, 1.0]] * 4, mse, SGD(model.parameters(), 0.1), 1, 2, progress=False,
            compile=True)
    assert [p.data for p in model.parameters()] == before
    fit(model, rows(4), [[0.0, 1.0]] * 4, mse, SGD(model.parameters(), 0.1), 1, 2, progress=False)
    assert [p.data for p in model.parameters()] != before  # it trains eagerly


@pytest.mark.parametrize("numpy", [True, False])
def test_fit_compiled_runs_a_batch_in_one_call_per_graph_or_row_by_row_without_numpy(
    numpy: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    import nn.train

    calls: list[bool] = []  # per compiled call: whether it ran rows as arrays
    call = Compiled.__call__
    monkeypatch.setattr(Compiled, "__call__", lambda self, values, *seed: calls.append(
        any(isinstance(v, np.ndarray) for v in values)) or call(self, values, *seed))
    if not numpy:
        monkeypatch.setattr(nn.train, "_numpy", lambda: None)
    inputs, targets = rows(10), [0, 1, 1, 0, 0, 0, 1, 1, 0, 1]
    results = []
    for compiled in (False, True):
        model = dense(ReLU())
        history = fit(model, inputs, targets, cross_entropy, SGD(model.parameters(), 0.1), 2, 4,
                      progress=False, compile=compiled)
        results.append((history, [p.data for p in model.parameters()]))
    assert close(results[0][0], results[1][0]) and close(results[0][1], results[1][1])
    if numpy:  # batches of 4, 4 and 2 rows, each holding both classes: one array call per class per batch
        assert calls == [True] * 12
    else:
        assert calls == [False] * 20
