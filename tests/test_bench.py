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
