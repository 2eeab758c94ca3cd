"""One engine per process: each workload timed where only that engine is imported.

The parent sends requests one at a time and alternates between the engines' processes, so no
engine's garbage (micrograd's cycles) is collected during another engine's timing, and no
engine's imports (PyTorch's objects) make another engine's garbage-collector passes longer.
"""

from __future__ import annotations

import gc
import resource
import sys
import time
import tracemalloc
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

import engines

Timing = tuple[float, float, Any]  # wall seconds, CPU seconds of this process, the result
# CPython 3.11 specializes a function's bytecode from its 8th call, or sooner inside a loop: a step of
# straight-line code (the compiled engine's) runs unspecialized on its first 7 calls, loops do not.
# A training run is past that at once: the moons step is timed after up to 8 untimed calls (1 s at most).
WARM_UP_CALLS = 8
WARM_UP_SECONDS = 1.0
# A step shorter than this is timed as the mean of as many back-to-back steps as fill it, as a training
# loop runs them: one call of a fraction of a millisecond, timed alone after a garbage-collector pass,
# measures cold caches (it took 2.5 to 3 times its back-to-back time) more than the step.
STEP_SECONDS = 0.05


def serve(name: str, conn: Connection) -> None:
    """Answer requests (method name, arguments) with (True, result) or (False, error) until None."""
    runner = Runner(engines.ENGINES[name]())
    while (request := conn.recv()) is not None:
        method, args = request
        try:
            conn.send((True, getattr(runner, method)(*args)))
        except NotImplementedError:
            conn.send((True, None))  # this engine has no such workload
        except Exception as error:
            conn.send((False, f"{type(error).__name__}: {error}"))


def _timed(work: Callable[..., Any], *args: Any) -> Timing:
    """Wall and CPU seconds taken by work(*args), and its result; leftover garbage is collected first."""
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    result = work(*args)
    return time.perf_counter() - wall, time.process_time() - cpu, result


def _timed_steps(work: Callable[..., Any], *args: Any) -> Timing:
    """Wall and CPU seconds per call of work(*args), called back to back until STEP_SECONDS have passed
    (once, for a call that takes longer), and its last result; leftover garbage is collected first."""
    gc.collect()
    calls = 0
    wall, cpu = time.perf_counter(), time.process_time()
    while True:
        result = work(*args)
        calls += 1
        seconds = time.perf_counter() - wall
        if seconds >= STEP_SECONDS:
            return seconds / calls, (time.process_time() - cpu) / calls, result


class Runner:
    """The workloads of one engine, as the parent asks for them."""

    def __init__(self, engine: engines.Engine) -> None:
        self.engine = engine
        if engine.gc_off:
            gc.disable()

    def moons(self, layers: engines.Layers, xs: list[list[float]], ys: list[float]) -> None:
        """Load the moons MLP and data, then warm up: a few untimed forward and backward passes."""
        self.engine.load(layers)
        self.xs, self.ys = xs, ys
        self.engine.prepare(xs, ys)
        deadline = time.perf_counter() + WARM_UP_SECONDS
        for _ in range(WARM_UP_CALLS):
            self.engine.loss_and_grads(xs, ys)  # updates no weight
            if time.perf_counter() > deadline:
                break

    def moons_compile(self, xs: list[list[float]], ys: list[float]) -> Timing:
        """The seconds of the engine's preparation for these rows (trace and compile), where it has one."""
        wall, cpu, seconds = _timed(self.engine.prepare, xs, ys)
        if seconds is None:
            raise NotImplementedError
        return wall, cpu, None

    def chain_compile(self, nodes: int) -> Timing:
        """The seconds of compiling a chain of `nodes` nodes (x = x * 1.0001 + 0.001, x_0 the input); the
        chain is built untimed."""
        wall, cpu, _ = _timed(self.engine.chain_compiler(nodes))
        return wall, cpu, nodes

    def big_moons(self, layers: engines.Layers, xs: list[list[float]], ys: list[float]) -> dict[str, Any]:
        """The moons MLP on many rows: preparation seconds, one step's seconds, the process's peak memory."""
        if not self.engine.big_moons:
            raise NotImplementedError
        self.engine.load(layers)
        gc.collect()
        prepare = self.engine.prepare(xs, ys)
        seconds, _, loss = _timed(self.engine.step, xs, ys, 0.05)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # kilobytes on Linux
        return {"prepare": prepare, "step": seconds, "loss": loss, "peak_bytes": peak}

    def moons_agreement(self) -> tuple[float, list[float]]:
        """The loss and gradients of one forward and backward, for the agreement check."""
        return self.engine.loss_and_grads(self.xs, self.ys)

    def moons_step(self, lr: float) -> Timing:
        """One training step: forward, backward, SGD update (the mean of back-to-back steps, if short)."""
        return _timed_steps(self.engine.step, self.xs, self.ys, lr)

    def digits_fit(self, rows: int) -> Timing:
        """fit on `rows` digits from a fresh model: the seconds of its last epoch (a compiled one: not
        the first, which compiles), and each epoch's seconds and the loss history."""
        self.engine.load_digits(rows)
        gc.collect()
        seconds, history = self.engine.fit_digits()
        wall, cpu = seconds[-1]
        return wall, cpu, {"epochs": seconds, "history": history}

    def forward(self, graph: bool) -> Timing:
        """The moons MLP on all rows, with a graph or without (inference; the mean of several, if short)."""
        return _timed_steps(self.engine.forward, self.xs, graph)

    def chain(self, n: int) -> Timing:
        """The chain of n steps, forward and backward, with a recursion limit that lets it run."""
        sys.setrecursionlimit(max(sys.getrecursionlimit(), 8 * n + 10_000))  # micrograd recurses
        return _timed(self.engine.chain, n)

    def wide(self, n: int) -> Timing:
        """The sum of n products, forward and backward."""
        return _timed(self.engine.wide, n)

    def chain_memory(self, n: int) -> dict[str, float] | None:
        """Bytes held (tracemalloc) by the chain of n steps: after forward, and after backward too
        where tracemalloc lets backward finish in reasonable time (not micrograd's recursion)."""
        if not self.engine.nodes_per_step:
            return None
        nodes = self.engine.nodes_per_step * n + 1
        sys.setrecursionlimit(max(sys.getrecursionlimit(), 8 * n + 10_000))
        gc.collect()
        tracemalloc.start()
        x0, x = self.engine.chain_graph(n)
        memory = {"nodes": nodes, "after_forward": tracemalloc.get_traced_memory()[0]}
        if self.engine.backward_memory:
            x.backward()
            memory["after_backward"] = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
        del x0, x
        return memory

    def crash_depth(self, limit: int) -> int | None:
        """The shortest chain whose backward raises RecursionError at the default recursion limit."""
        sys.setrecursionlimit(1000)
        low, high = 1, limit  # the chain of `low` steps works; find the first that crashes
        if self._works(high):
            return None
        while high - low > 1:
            middle = (low + high) // 2
            low, high = (middle, high) if self._works(middle) else (low, middle)
        return high

    def _works(self, n: int) -> bool:
        try:
            self.engine.chain(n)
        except RecursionError:
            return False
        return True
