"""Recording modes: `no_grad()` builds no graph, `detect_anomaly()` names the first op that makes a NaN."""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from typing import Any


@dataclass(frozen=True)
class Mode:
    """How new nodes are recorded (one per thread or async task, through a ContextVar)."""

    grad_enabled: bool = True
    detect_anomaly: bool = False


RECORDING = Mode()  # the default: the one mode in which an op records its parents unchecked
_mode: ContextVar[Mode] = ContextVar("impactgrad_mode", default=RECORDING)


def current() -> Mode:
    """The mode in force in this thread or task."""
    return _mode.get()


@contextmanager
def _set(**changes: bool) -> Iterator[None]:
    token = _mode.set(replace(_mode.get(), **changes))
    try:
        yield
    finally:
        _mode.reset(token)


def no_grad() -> Any:
    """A context manager under which ops record no parents: no graph, no backward (inference)."""
    return _set(grad_enabled=False)


def enable_grad() -> Any:
    """A context manager that records the graph again, inside a `no_grad()` block."""
    return _set(grad_enabled=True)


def is_grad_enabled() -> bool:
    """Whether new ops record their parents."""
    return _mode.get().grad_enabled


def detect_anomaly() -> Any:
    """A context manager that raises FloatingPointError at the first op or gradient that is NaN."""
    return _set(detect_anomaly=True)


def is_nan(x: Any) -> bool:
    """Whether `x` is a float NaN (exact and symbolic data never are)."""
    return isinstance(x, float) and math.isnan(x)
