"""The wheel of impactgrad holds every module and data file of autograd and nn (an editable install hides a
package left out of pyproject.toml: `pip install .` would not)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_the_wheel_holds_every_module_and_data_file(tmp_path: Path) -> None:
    source = tmp_path / "source"  # a clean copy: a build/ folder left by an earlier build would fill gaps
    for package in ("autograd", "nn"):
        shutil.copytree(ROOT / package, source / package, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", tmp_path, source],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("impactgrad-*.whl")
    held = set(zipfile.ZipFile(wheel).namelist())
    shipped = {
        p.relative_to(ROOT).as_posix()
        for package in ("autograd", "nn")
        for p in (ROOT / package).rglob("*")
        if p.is_file() and p.suffix in {".py", ".js", ".css", ".typed"} and "__pycache__" not in p.parts
    }
    assert "autograd/compile/writer.py" in shipped
    assert shipped <= held, f"left out of the wheel: {sorted(shipped - held)}"
