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
