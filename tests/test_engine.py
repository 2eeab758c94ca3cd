"""nn refuses an `autograd` that is not impactgrad's (HIPS autograd shares the name), saying so."""

from __future__ import annotations

import os
import subprocess
import sys
import types
from pathlib import Path

import pytest

import autograd
from nn.engine import HOME, check

ROOT = Path(__file__).resolve().parent.parent


def test_ours_passes() -> None:
    check(autograd)
    assert HOME == ROOT or (HOME / "autograd").is_dir()


def test_a_shadowing_autograd_is_refused_by_name_at_import(tmp_path: Path) -> None:
    shadow = tmp_path / "autograd"
    shadow.mkdir()
    (shadow / "__init__.py").write_text('"""Another package named autograd."""\n', encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}  # nn from here; the working folder's autograd comes first
    done = subprocess.run([sys.executable, "-c", "import nn"], cwd=tmp_path, env=env, capture_output=True,
                          text=True, check=False)
    assert done.returncode != 0
    assert "ImportError" in done.stderr and "another package named autograd" in done.stderr
    assert str(shadow / "__init__.py") in done.stderr and "virtual environment" in done.stderr


def test_a_module_without_a_file_is_refused() -> None:
    with pytest.raises(ImportError, match="not impactgrad's autograd"):
        check(types.ModuleType("autograd"))
