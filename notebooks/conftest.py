"""Notebooks that import PyTorch are skipped, saying why, where it is not installed (make test installs it)."""

from __future__ import annotations

import importlib

import pytest


def _has_torch() -> bool:
    try:
        importlib.import_module("torch")
    except ImportError:
        return False
    return True


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if _has_torch():
        return
    reason = "PyTorch is not installed: pip install 'impactgrad[torch]' (make test installs it)"
    for item in items:
        if item.path.suffix == ".ipynb" and "import torch" in item.path.read_text(encoding="utf-8"):
            item.add_marker(pytest.mark.skip(reason=reason))
