"""The benchmark's smoke test: its engines agree on the moons loss and gradients (no timing here)."""

import subprocess
import sys
from pathlib import Path

import pytest

RUN = Path(__file__).resolve().parent.parent / "bench" / "run.py"


def test_the_engines_agree_on_the_moons_step() -> None:
    pytest.importorskip("micrograd")
    done = subprocess.run(
        [sys.executable, str(RUN), "--quick", "--check"], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert "agree on the moons loss and gradients" in done.stderr


def test_each_workload_prints_its_progress_and_time(capsys) -> None:
    sys.path.insert(0, str(RUN.parent))
    import run

    progress = run.Progress(steps=2)
    with progress.step("chain 1e+03"):
        pass
    with progress.step("wide 1e+04"):
        pass
    lines = capsys.readouterr().err.splitlines()
    assert lines[0].startswith("[1/2] chain 1e+03 ... ") and lines[0].endswith("s")
    assert lines[1].startswith("[2/2] wide 1e+04 ... ")


def test_the_report_holds_no_checklist() -> None:
    sys.path.insert(0, str(RUN.parent))
    import report

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
    sys.path.insert(0, str(RUN.parent))
    import run

    first = FakePool({"a": [1.0, 2.0], "b": [10.0, 10.0]})
    second = FakePool({"a": [9.0, 9.0], "b": [30.0, 40.0]})
    result = run.measure([first, second], "moons_step", (0.05,), repeats=2)  # type: ignore[list-item]
    assert result["a"]["runs"] == [1.0, 2.0, 9.0, 9.0] and result["a"]["median"] == 5.5
    assert result["b"]["min"] == 10.0 and result["b"]["max"] == 40.0 and result["b"]["median"] == 20.0
    assert first.asked == ["a", "b", "b", "a"] and second.asked == ["a", "b", "b", "a"]  # the start rotates
