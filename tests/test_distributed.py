"""fit_distributed: DistributedDataParallel in two processes (gloo, 127.0.0.1) takes one process's steps."""

import multiprocessing
import subprocess
import sys

import pytest

from nn import (
    MLP,
    SGD,
    binary_cross_entropy,
    fit,
    fit_distributed,
    fit_torch,
    from_torch,
    hinge,
    mse,
    to_torch,
)
from nn.data import moons

torch = pytest.importorskip(
    "torch", reason="PyTorch is not installed: pip install 'impactgrad[torch]' (make test installs it)"
)
pytestmark = pytest.mark.skipif(not torch.distributed.is_gloo_available(), reason="torch without gloo")

TIMEOUT = 300.0  # seconds for the processes to start, train and answer (a loaded machine is slow)


def weights(module: torch.nn.Module) -> list[float]:
    return [v for p in module.parameters() for v in p.detach().flatten().tolist()]


@pytest.mark.slow
def test_two_processes_on_the_two_halves_take_the_steps_of_one_on_the_whole_batch() -> None:
    xs, ys = moons(100, noise=0.1, seed=1)
    model = MLP(2, [16, 16, 1], seed=0)
    spread, whole = to_torch(model), to_torch(model)
    history = fit_distributed(spread, xs, ys, hinge, lr=0.1, steps=5, processes=2, timeout=TIMEOUT)
    assert multiprocessing.active_children() == []  # every process joined
    assert history == pytest.approx(fit_torch(whole, xs, ys, hinge, lr=0.1, steps=5), abs=1e-10)
    assert next(spread.parameters()).dtype == torch.float64
    assert weights(spread) != weights(to_torch(model))  # trained
    assert weights(spread) == pytest.approx(weights(whole), abs=1e-10)
    # back to Values: the same weights, the same scores, and the series' batch learning agrees
    back = from_torch(spread)
    assert [p.data for p in back.parameters()] == weights(spread)
    with torch.no_grad():
        scores = spread(torch.tensor(xs, dtype=torch.float64))[:, 0].tolist()
    assert [back(x)[0].data for x in xs] == pytest.approx(scores, abs=1e-12)
    sgd = SGD(model.parameters(), lr=0.1)
    ours = fit(model, xs, ys, hinge, sgd, epochs=5, batch_size=100, progress=False)
    assert [float(h) for h in ours] == pytest.approx(history, abs=1e-10)
    assert [p.data for p in model.parameters()] == pytest.approx(weights(spread), abs=1e-10)


def test_fit_torch_is_fit_on_the_whole_batch_for_every_loss_it_maps() -> None:
    xs, ys = moons(20, noise=0.1, seed=3)
    for loss in (hinge, mse):
        model = MLP(2, [4, 1], seed=2)
        twin = to_torch(model)
        history = fit_torch(twin, xs, ys, loss, lr=0.05, steps=3)
        sgd = SGD(model.parameters(), lr=0.05)
        ours = fit(model, xs, ys, loss, sgd, epochs=3, batch_size=20, progress=False)
        assert [float(h) for h in ours] == pytest.approx(history, abs=1e-12)
        assert [p.data for p in model.parameters()] == pytest.approx(weights(twin), abs=1e-12)


@pytest.mark.parametrize(
    ("change", "error", "message"),
    [
        ({"module": "model"}, TypeError, "torch.nn.Module.*not MLP"),
        ({"loss": binary_cross_entropy}, TypeError, "'binary_cross_entropy'.*hinge, mse"),
        ({"targets": [[1.0]]}, ValueError, "4 input rows but 1 target rows"),
        ({"steps": -1}, ValueError, "steps must be an int >= 0, got -1"),
        ({"processes": 0}, ValueError, r"processes must be an int in 1\.\.4"),
        ({"processes": 5}, ValueError, r"processes must be an int in 1\.\.4"),
        ({"timeout": 0}, ValueError, "timeout must be a number of seconds > 0, got 0"),
    ],
)
def test_bad_arguments_are_named_before_any_process_starts(change: dict, error: type, message: str) -> None:
    model = MLP(2, [3, 1], seed=0)
    twin = to_torch(model)
    arguments = {"module": twin, "inputs": [[0.0, 1.0]] * 4, "targets": [[1.0]] * 4, "loss": hinge,
                 "lr": 0.1, "steps": 2, "processes": 2, "timeout": 5.0}
    arguments.update({k: model if v == "model" else v for k, v in change.items()})
    before = weights(twin)
    with pytest.raises(error, match=message):
        fit_distributed(**arguments)
    assert weights(twin) == before and multiprocessing.active_children() == []


@pytest.mark.slow
def test_a_failing_process_is_reported_and_every_process_stopped() -> None:
    twin = to_torch(MLP(2, [3, 1], seed=0))
    before = weights(twin)
    with pytest.raises(RuntimeError, match=r"process \d failed:(.|\n)*mat1 and mat2 shapes"):
        fit_distributed(twin, [[0.0, 1.0, 2.0]] * 4, [[1.0]] * 4, hinge, lr=0.1, steps=1, timeout=TIMEOUT)
    assert weights(twin) == before and multiprocessing.active_children() == []


@pytest.mark.slow
def test_the_timeout_stops_every_process() -> None:
    twin = to_torch(MLP(2, [3, 1], seed=0))
    before = weights(twin)
    with pytest.raises(TimeoutError, match=r"longer than timeout=1\.0 s"):
        fit_distributed(twin, [[0.0, 1.0]] * 4, [[1.0]] * 4, hinge, lr=0.1, steps=10**9, timeout=1.0)
    assert weights(twin) == before and multiprocessing.active_children() == []


def test_nn_imports_no_torch() -> None:
    code = "import sys, nn, nn.distributed; assert 'torch' not in sys.modules, 'torch imported'"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
