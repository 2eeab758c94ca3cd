"""The Makefile's commands, as `make -n` prints them: what they say and run (nothing is installed here)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs make")


def dry_run(*args: str) -> str:
    """The shell lines `make -n` would run (the venv already set up, so only the target's own)."""
    done = subprocess.run(["make", "-n", *args], cwd=ROOT, capture_output=True, text=True, check=True)
    return done.stdout


def test_make_lab_starts_as_root_and_says_so() -> None:
    lab = dry_run("lab")
    assert "--allow-root" in lab and "Running as root: starting JupyterLab with --allow-root." in lab


def test_make_demo_says_it_installs_graphviz_and_why_before_installing() -> None:
    demo = dry_run("-B", "graphviz")
    said = demo.index("Installing Graphviz (the system program 'dot'): the pictures of graphs are rendered")
    assert said < demo.index("apt-get install")


def test_make_bench_is_quick_by_default_and_full_by_a_variable() -> None:
    assert "bench/run.py --quick" in dry_run("bench")
    full = dry_run("bench", "FULL=1")
    assert "bench/run.py" in full and "--quick" not in full


def test_make_demo_installs_only_what_the_demo_needs_then_checks_the_import_names() -> None:
    demo = dry_run("-B", "demo")
    installs = [line for line in demo.splitlines() if "pip install" in line and "-e" in line]
    assert installs == [".venv/bin/python -m pip install --quiet -e '.[explore]'"]  # no torch, playwright, …
    assert demo.index("-c 'import nn'") > demo.index(installs[0])


def test_make_test_builds_the_documentation_site() -> None:
    test = dry_run("-B", "test")
    assert "'.[dev,notebook,data,browser,torch,bench,docs]'" in test and "docs/build_site.py site" in test
