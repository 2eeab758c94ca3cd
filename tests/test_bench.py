"""The benchmark's smoke test: its engines agree on the moons loss and gradients (no timing here)."""

import importlib
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

RUN = Path(__file__).resolve().parent.parent / "bench" / "run.py"


def test_the_engines_agree_on_the_moons_step() -> None:
    pytest.importorskip("micrograd")
    done = subprocess.run(
        [sys.executable, str(RUN), "--quick", "--check"], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    progress = [line for line in done.stderr.splitlines() if line.startswith("[")]
    assert progress == [progress[0]] and re.fullmatch(
        r"\[1/1\] agreement of the engines \.\.\. [\d.]+ (s|ms): all engines agree to 1e-9", progress[0]
    )


def test_each_workload_prints_its_progress_time_and_result(capsys) -> None:
    run = _bench("run")
    progress = run.Progress(steps=2)
    assert progress.run("chain 1e+03", lambda n: f"{n} steps", lambda n: n, 1000) == 1000
    assert progress.run("wide 1e+04", str.upper, str, "done") == "done"
    lines = capsys.readouterr().err.splitlines()
    assert re.fullmatch(r"\[1/2\] chain 1e\+03 \.\.\. \S+ (s|ms|µs): 1000 steps", lines[0])
    assert lines[1].startswith("[2/2] wide 1e+04 ... ") and lines[1].endswith(": DONE")


def _stats(median: float) -> dict[str, float]:
    return {"median": median, "min": median, "max": median, "cpu_median": median}


def test_every_ratio_is_ours_over_theirs() -> None:
    report = _bench("report")
    step = {
        "impactgrad": _stats(0.04), "impactgrad, compiled": _stats(0.003), "micrograd": _stats(0.5),
        "hand-written floats": _stats(0.006), "numpy matrices": _stats(0.0001),
    }
    line = report.summary(step)
    assert "impactgrad ÷ micrograd 0.08×" in line and "impactgrad ÷ hand-written floats 6.67×" in line
    assert "impactgrad, compiled ÷ hand-written floats 0.5×" in line
    assert "impactgrad, compiled ÷ numpy matrices 30×" in line
    document = {
        "machine": {"nproc": 2, "cpu": "x", "implementation": "CPython", "python": "3", "platform": "p",
                    "micrograd": "0.1.0", "torch": None},
        "command": "bench/run.py", "engines": list(step),
        "workloads": {"moons_step": step, "chain 1e+03": {"impactgrad": _stats(1), "micrograd": _stats(4)}},
        "memory": {"chain": 10}, "crash_depth": {"limit": 5},
    }
    text = report.markdown(document)
    assert "| impactgrad ÷ micrograd | impactgrad ÷ hand-written floats |" in text
    assert "| chain 1e+03 |" in text and "| 0.25× | — |" in text
    assert "- impactgrad, compiled ÷ numpy matrices = 30×" in text
    for theirs in ("micrograd", "hand-written floats", "numpy matrices", "torch"):
        assert f"{theirs} ÷" not in text and f"{theirs} ÷" not in line  # never theirs over ours


def test_the_report_gives_compile_over_an_eager_step_and_the_chains_compile_per_node() -> None:
    report = _bench("report")
    step = {"impactgrad": _stats(0.05), "impactgrad, compiled": _stats(0.003)}
    compiled = {"impactgrad, compiled": _stats(0.8)}
    assert report.compile_summary(compiled, step).endswith("; compile ÷ eager step 16×")
    chains = {
        report.chain_compile_label(n): {"impactgrad, compiled": {**_stats(t), "result": n}}
        for n, t in ((10_000, 0.1), (40_000, 0.42), (160_000, 1.7))
    }
    document = {
        "machine": {"nproc": 2, "cpu": "x", "implementation": "CPython", "python": "3", "platform": "p",
                    "micrograd": "0.1.0", "torch": None},
        "command": "bench/run.py", "engines": list(step),
        "workloads": {"moons_step": step, "moons_step, compile": compiled, **chains},
        "memory": {"chain": 10}, "crash_depth": {"limit": 5},
    }
    text = report.markdown(document)
    assert "- impactgrad, compiled: compile of the step ÷ one eager step (impactgrad) = 16×" in text
    assert "| compile, chain of 160,000 nodes | — | 1.7 s (1.7 s–1.7 s), CPU 1.7 s |" in text
    assert "| 10,000 | 100 ms (100 ms–100 ms), CPU 100 ms | 10 µs | 1× | 1× |" in text
    assert "| 40,000 | 420 ms (420 ms–420 ms), CPU 420 ms | 10.5 µs | 4× | 4.2× |" in text
    assert "| 160,000 | 1.7 s (1.7 s–1.7 s), CPU 1.7 s | 10.6 µs | 16× | 17× |" in text
    del document["workloads"]["moons_step, compile"]  # a run without the compiled engine: no such lines
    assert "compile of the step" not in report.markdown(document)


def test_the_compiled_engine_compiles_a_chain_of_the_nodes_asked_for() -> None:
    engines = _bench("engines")
    compiled = engines.ImpactgradCompiled().chain_compiler(1000)()
    assert compiled([1.0])[1] == [pytest.approx(1.0001**500)] and compiled.source.count("\n") > 1000
    with pytest.raises(NotImplementedError):
        engines.Impactgrad().chain_compiler(1000)


@pytest.mark.parametrize("name", ["NumpyMatrices", "ImpactgradVectorised"])
def test_array_engines_take_the_hand_written_step(name: str) -> None:
    pytest.importorskip("numpy")
    engines, run = _bench("engines"), _bench("run")
    layers, xs, ys = run.moons_layers(30)
    hand, arrays = engines.HandWritten(), getattr(engines, name)()
    for engine in (hand, arrays):
        engine.load(layers)
        engine.prepare(xs, ys)
    both = [("hand", hand.loss_and_grads(xs, ys)), (name, arrays.loss_and_grads(xs, ys))]
    assert engines.agree(both) == []
    for _ in range(3):
        assert arrays.step(xs, ys, 0.05) == pytest.approx(hand.step(xs, ys, 0.05), abs=1e-12)
    after = [("hand", hand.loss_and_grads(xs, ys)), (name, arrays.loss_and_grads(xs, ys))]
    assert engines.agree(after) == []
    if name == "NumpyMatrices":
        assert arrays.forward(xs, graph=False) == pytest.approx(hand.forward(xs, graph=False), abs=1e-12)


def _bench(name: str) -> Any:
    """A module of bench/ (not a package: its scripts import each other by name)."""
    sys.path.insert(0, str(RUN.parent))
    return importlib.import_module(name)


def test_the_report_holds_no_checklist() -> None:
    report = _bench("report")

    assert not hasattr(report, "targets")
    assert "Targets" not in Path(report.__file__).read_text(encoding="utf-8")


class FakePool:
    """Engines that answer each request with the next of their own times (no process, no timing)."""

    def __init__(self, times: dict[str, list[float]]) -> None:
        self.names = list(times)
        self.times = {name: iter(t) for name, t in times.items()}
        self.asked: list[str] = []

    def ask(self, name: str, method: str, *args: object) -> tuple[float, float, str]:
        self.asked.append(name)
        seconds = next(self.times[name])
        return seconds, seconds, f"{name} {method}"


def test_measure_takes_its_medians_over_every_pools_rounds() -> None:
    run = _bench("run")
    first = FakePool({"a": [1.0, 2.0], "b": [10.0, 10.0]})
    second = FakePool({"a": [9.0, 9.0], "b": [30.0, 40.0]})
    result = run.measure([first, second], "moons_step", (0.05,), repeats=2)  # type: ignore[list-item]
    assert result["a"]["runs"] == [1.0, 2.0, 9.0, 9.0] and result["a"]["median"] == 5.5
    assert result["b"]["min"] == 10.0 and result["b"]["max"] == 40.0 and result["b"]["median"] == 20.0
    assert first.asked == ["a", "b", "b", "a"] and second.asked == ["a", "b", "b", "a"]  # the start rotates


def test_measure_keeps_every_rounds_result() -> None:
    run = _bench("run")
    pool = FakePool({"a": [1.0, 2.0, 3.0]})
    result = run.measure(pool, "digits_fit", (64,), repeats=3)  # type: ignore[arg-type]
    assert result["a"]["results"] == ["a digits_fit"] * 3 and result["a"]["result"] == "a digits_fit"


def _digits(eager: float, firsts: list[float], compiled: float | None) -> dict[str, Any]:
    """A digits workload: the eager epoch, the compiled engine's first epochs and its median epoch."""
    epoch = {"impactgrad": {**_stats(eager), "result": {"epochs": [[eager, eager]], "history": [0.95]}}}
    if compiled is not None:
        results = [{"epochs": [[first, first], [compiled, compiled]], "history": [0.95, 0.1875]}
                   for first in firsts]
        epoch["impactgrad, compiled"] = {**_stats(compiled), "results": results, "result": results[-1]}
    return {"rows": 1438, "batch_size": 32, "lr": 0.01, "epoch": epoch}


def test_the_digits_report_gives_the_compiled_epoch_and_its_compile() -> None:
    report = _bench("report")
    digits = _digits(eager=50.0, firsts=[11.0, 12.0, 30.0], compiled=4.0)  # median first epoch: 12 s
    assert report.digits_epochs(digits) == {"eager": 50.0, "compiled": 4.0, "compile": 8.0, "first": 12.0}
    line = report.digits_summary(digits)
    assert line == ("epoch eager 50 s, compiled 4 s (0.08×), compile 8 s; "
                    "first compiled epoch ÷ epoch eager 0.24×")
    text = "\n".join(report.digits_table(digits))
    assert "fit on the digits: 1438 training images" in text and "Adam (lr 0.01), batches of 32" in text
    assert "| impactgrad | 50 s (50 s–50 s), CPU 50 s | 0.95 |" in text
    assert "| impactgrad, compiled | 4 s (4 s–4 s), CPU 4 s | 0.95, 0.1875 |" in text
    assert "- epoch compiled ÷ epoch eager = 4 s ÷ 50 s = 0.08×" in text
    compile_line = "- compile (first compiled epoch − epoch compiled) = 8 s; "
    assert f"{compile_line}(epoch compiled + compile) ÷ epoch eager = 0.24×" in text
    document = {
        "machine": {"nproc": 2, "cpu": "x", "implementation": "CPython", "python": "3", "platform": "p",
                    "micrograd": "0.1.0", "torch": None},
        "command": "bench/run.py", "engines": ["impactgrad"], "workloads": {"moons_step": {}},
        "digits": digits, "memory": {"chain": 10}, "crash_depth": {"limit": 5},
    }
    assert text in report.markdown(document)
    alone = _digits(eager=50.0, firsts=[], compiled=None)
    assert report.digits_epochs(alone) is None and "- compile" not in "\n".join(report.digits_table(alone))
    assert report.digits_summary(alone) == "no engine fits the digits both ways"


def test_a_short_step_is_timed_as_the_mean_of_back_to_back_steps(monkeypatch: pytest.MonkeyPatch) -> None:
    worker = _bench("worker")
    clock = iter(range(1000))
    monkeypatch.setattr(worker.time, "perf_counter", lambda: next(clock) * 0.01)  # each reading: +10 ms
    monkeypatch.setattr(worker.time, "process_time", lambda: 0.0)
    calls: list[int] = []
    wall, cpu, result = worker._timed_steps(lambda k: calls.append(k) or len(calls), 7)
    assert calls == [7] * 5 and result == 5  # 10 ms a step: 5 steps fill STEP_SECONDS (50 ms)
    assert wall == pytest.approx(0.01) and cpu == 0.0
    clock = iter(range(1000))
    monkeypatch.setattr(worker.time, "perf_counter", lambda: next(clock) * 0.2)  # a 200 ms step: once
    calls.clear()
    wall, _, result = worker._timed_steps(lambda: calls.append(0) or len(calls))
    assert calls == [0] and wall == pytest.approx(0.2)
