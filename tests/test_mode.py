"""Recording modes: no_grad / enable_grad (per thread and per task), detect_anomaly, IEEE propagation."""

from __future__ import annotations

import asyncio
import math
import threading
from collections.abc import Callable
from typing import Any

import pytest
from ops import BINARY, MANY, UNARY

from autograd import Value, detect_anomaly, enable_grad, is_grad_enabled, no_grad

INF, NAN = math.inf, math.nan


def records(v: Value) -> bool:
    """Whether an op on `v` records its parent now."""
    return (v * 2).parents == (v,)


def test_no_grad_records_no_parents() -> None:
    x = Value(2.0)
    with no_grad():
        y = (x * x + 1).tanh()
        assert not is_grad_enabled()
    assert (y.parents, y.local_grads, y.data) == ((), (), math.tanh(5.0))
    assert is_grad_enabled() and records(x)


def test_nested_no_grad_and_enable_grad() -> None:
    x = Value(1.0)
    with no_grad():
        with no_grad():
            assert not records(x)
        assert not records(x)
        with enable_grad():
            assert records(x) and is_grad_enabled()
        assert not records(x)
    assert records(x)


def test_no_grad_is_restored_after_an_error() -> None:
    with pytest.raises(RuntimeError), no_grad():
        raise RuntimeError
    assert is_grad_enabled()


def test_no_grad_is_per_thread() -> None:
    x = Value(1.0)
    inside, checked = threading.Event(), threading.Event()
    seen: dict[str, bool] = {}

    def quiet() -> None:
        with no_grad():
            inside.set()
            checked.wait(5)
            seen["quiet"] = records(x)

    thread = threading.Thread(target=quiet)
    thread.start()
    inside.wait(5)
    seen["main"] = records(x)  # while the other thread sits inside no_grad
    checked.set()
    thread.join(5)
    assert seen == {"main": True, "quiet": False}


def test_no_grad_is_per_asyncio_task() -> None:
    x = Value(1.0)

    async def main() -> tuple[bool, bool]:
        inside, checked = asyncio.Event(), asyncio.Event()

        async def quiet() -> bool:
            with no_grad():
                inside.set()
                await checked.wait()
                return records(x)

        task = asyncio.create_task(quiet())
        await inside.wait()
        loud = records(x)  # while the other task sits inside no_grad
        checked.set()
        return loud, await task

    assert asyncio.run(main()) == (True, False)


# -- NaN and infinity ----------------------------------------------------------------------------

MAKES_NAN: list[tuple[str, Callable[[], Value]]] = [
    ("-", lambda: Value(INF) - Value(INF)),
    ("*", lambda: Value(0.0) * Value(INF)),
    ("*", lambda: Value(INF) * 0),
    ("/", lambda: Value(INF) / Value(INF)),
    ("+", lambda: Value(-INF) + INF),
]


@pytest.mark.parametrize(("op", "f"), MAKES_NAN)
def test_detect_anomaly_names_the_op_that_makes_a_nan(op: str, f: Callable[[], Value]) -> None:
    with detect_anomaly(), pytest.raises(FloatingPointError, match=rf"op '\{op}' produced NaN from Value\("):
        f()


@pytest.mark.parametrize(("op", "f"), MAKES_NAN)
def test_without_detect_anomaly_nan_is_data(op: str, f: Callable[[], Value]) -> None:
    out = f()
    assert math.isnan(out.data) and out.op == op


def test_detect_anomaly_stops_at_the_first_nan() -> None:
    x = Value(INF)
    with detect_anomaly(), pytest.raises(FloatingPointError, match="op '-'"):
        ((x - x) * 2).exp()


def test_detect_anomaly_lets_an_existing_nan_flow() -> None:
    with detect_anomaly():
        out = Value(NAN) * 2 + 1
    assert math.isnan(out.data)


def test_detect_anomaly_names_a_nan_gradient() -> None:
    x = Value(0.0)
    out = (x**0.5) * 0.0  # data 0, yet ∂out/∂x = 0 · inf
    with detect_anomaly(), pytest.raises(FloatingPointError, match="backward produced a NaN gradient"):
        out.backward()
    out.backward()  # without it, the NaN is a gradient like any other
    assert math.isnan(x.grad)


def test_detect_anomaly_is_restored() -> None:
    with detect_anomaly():
        pass
    assert math.isnan((Value(INF) - INF).data)


# Every op of the registry, with a NaN in each place: a Value operand alone, beside a number, twice.
OPS: list[tuple[str, Callable[[Value], Any]]] = [
    *((op.name, op.value) for op in UNARY),
    *((op.name, lambda v, op=op: op.value(v, 2)) for op in BINARY),
    *((op.name, lambda v, op=op: op.value(2, v)) for op in BINARY),
    *((op.name, lambda v, op=op: op.value(v, v)) for op in BINARY),
    *((op.name, lambda v, op=op: op.value(Value(1.0), v, Value(3.0))) for op in MANY),
]


@pytest.mark.parametrize(("name", "f"), OPS, ids=[name for name, _ in OPS])
def test_nan_propagates_through_every_op(name: str, f: Callable[[Value], Value]) -> None:
    x = Value(NAN)
    out = f(x)
    out.backward()
    assert math.isnan(out.data)


def test_overflow_in_arithmetic_is_an_infinity_that_flows_on() -> None:
    x = Value(1e308)
    big = x * 10
    out = (-big).tanh() + big.sigmoid()  # -1 + 1
    out.backward()
    assert (big.data, out.data, x.grad) == (INF, 0.0, 0.0)
