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


def records(data: Any, op: str, operands: tuple[Any, ...]) -> bool:
    """Outside the default mode: whether a new node keeps its Value operands, after the anomaly check.

    Under detect_anomaly(), a NaN made from operands none of which is NaN raises, naming the op.
    """
    mode = _mode.get()
    if mode.detect_anomaly and is_nan(data) and not any(is_nan(v.data) for v in operands):
        notable = [v for v in operands if not _finite(v.data)] or list(operands)  # infinities first
        shown = ", ".join(map(repr, notable[:3]))
        if len(operands) > 3:  # a sum of many terms: the message stays short
            shown += f" (and {len(operands) - min(3, len(notable))} more)"
        raise FloatingPointError(f"op {op!r} produced NaN from {shown}")
    return mode.grad_enabled


def _finite(x: Any) -> bool:
    """Whether a float is finite (exact and symbolic data always are)."""
    return not isinstance(x, float) or math.isfinite(x)
