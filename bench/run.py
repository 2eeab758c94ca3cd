"""impactgrad against micrograd, PyTorch (0-dim), hand-written floats and numpy matrices, side by side.

Every workload runs for every engine alternately (A B C A B C ...), each engine in its own process,
and the medians (with min–max) go to a Markdown table on stdout and to a JSON file.
Usage: python bench/run.py [--quick] [--check] [--repeats N] [--out PATH]
(`make bench` runs --quick, about 2.5 minutes on a quiet 2-CPU machine; `make bench FULL=1` the full run,
about 22 minutes there, ten of them training on the digits: all 1,438 training images, eagerly and
compiled, where the quick run takes 64.)
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any, TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parent.parent))

import engines
import report
import worker

OURS, MICROGRAD = "impactgrad", "micrograd"
T = TypeVar("T")


@dataclass
class Sizes:
    """The workloads' sizes and repeats: the full run, or --quick for a smoke test."""

    repeats: int = 5
    chains: tuple[int, ...] = (10**3, 10**4, 10**5, 10**6)
    long_chain_repeats: int = 3  # for chains of 1e6 steps
    wide: int = 10**5
    memory_chain: int = 10**5
    crash_limit: int = 5000
    samples: int = 100
    compile_chains: tuple[int, ...] = (10_000, 40_000, 160_000)  # nodes of the chains whose compile is timed
    big_samples: int = 1720  # the moons step on this many rows: a graph of about 650,000 nodes (646,013)
    moons_pools: int = 3  # the moons step is timed in this many sets of fresh processes (see moons_step)
    digits_rows: int | None = None  # fit on the digits: this many training images (None: all of them)
    digits_repeats: int = 3  # an eager epoch on all of them takes about a minute, a compile half of one

    @classmethod
    def quick(cls) -> Sizes:
        """Small and few: seconds, not minutes."""
        return cls(
            repeats=2, chains=(10**3, 10**4), long_chain_repeats=2, wide=10**4, memory_chain=10**4,
            big_samples=200, moons_pools=2, compile_chains=(2_500, 10_000, 40_000), digits_rows=64,
            digits_repeats=1,
        )


@dataclass
class Engines:
    """One worker process per engine, asked in turn."""

    names: list[str]
    pipes: dict[str, Any] = field(default_factory=dict)
    processes: list[Any] = field(default_factory=list)

    def __enter__(self) -> Engines:
        context = multiprocessing.get_context("spawn")  # a fresh interpreter: only its engine imported
        for name in self.names:
            parent, child = context.Pipe()
            process = context.Process(target=worker.serve, args=(name, child), daemon=True)
            process.start()
            self.pipes[name], self.processes = parent, [*self.processes, process]
        return self

    def __exit__(self, *exc: object) -> None:
        for pipe in self.pipes.values():
            pipe.send(None)
        for process in self.processes:
            process.join(timeout=60)

    def ask(self, name: str, method: str, *args: Any) -> Any:
        """Run `method(*args)` in the engine's process and return its result."""
        self.pipes[name].send((method, args))
        ok, result = self.pipes[name].recv()
        if not ok:
            raise RuntimeError(f"{name} {method}{args}: {result}")
        return result


def moons_layers(samples: int) -> tuple[engines.Layers, list[list[float]], list[float]]:
    """micrograd's demo set-up: an MLP 2-16-16-1 (seeded) and `samples` rows of two moons."""
    import nn

    model = nn.MLP(2, [16, 16, 1], seed=1337)
    layers = [
        ([[w.data for w in row] for row in layer.weight], [b.data for b in layer.bias or []])
        for layer in model.layers
        if isinstance(layer, nn.Linear)
    ]
    xs, ys = nn.data.moons(samples, noise=0.1, seed=1337)
    return layers, xs, [y[0] for y in ys]


def check_agreement(pool: Engines, sizes: Sizes) -> list[str]:
    """Each engine's moons loss and gradients against impactgrad's; its scores with and without a graph."""
    layers, xs, ys = moons_layers(sizes.samples)
    for name in pool.names:
        pool.ask(name, "moons", layers, xs, ys)
    results = [(name, pool.ask(name, "moons_agreement")) for name in pool.names]
    errors = engines.agree(results)
    for name in pool.names:
        answers = [pool.ask(name, "forward", graph) for graph in (True, False)]
        if None in answers:
            continue  # the engine has no inference (the compiled step)
        with_graph, without = (answer[2] for answer in answers)  # (wall, CPU, scores)
        if any(abs(a - b) > 1e-12 for a, b in zip(with_graph, without)):
            errors.append(f"{name}: inference scores differ from the scores with a graph")
    return errors


def measure(
    pools: Engines | list[Engines], method: str, args: tuple[Any, ...], repeats: int
) -> dict[str, Any]:
    """`repeats` rounds in each pool, each running every engine once in turn (the start rotating); each
    engine's results are kept in order ("results"), the last also as "result"."""
    pools = pools if isinstance(pools, list) else [pools]
    names = pools[0].names
    runs: dict[str, list[float]] = {name: [] for name in names}
    cpu: dict[str, list[float]] = {name: [] for name in names}
    results: dict[str, list[Any]] = {name: [] for name in names}
    for pool in pools:
        for round_ in range(repeats):
            k = round_ % len(names)
            for name in names[k:] + names[:k]:
                answer = pool.ask(name, method, *args)
                if answer is None:
                    continue  # the engine has no such workload
                seconds, cpu_seconds, result = answer
                runs[name].append(seconds)
                cpu[name].append(cpu_seconds)
                results[name].append(result)
    return {
        name: {"median": statistics.median(times), "min": min(times), "max": max(times), "runs": times,
               "cpu_median": statistics.median(cpu[name]), "result": results[name][-1],
               "results": results[name]}
        for name, times in runs.items()
        if times
    }


@dataclass
class Progress:
    """`[3/9] chain 1e+05 ... 12.3 s: impactgrad 259 ms, ...` on stderr: workload, time taken, result."""

    steps: int
    done: int = 0

    def run(self, label: str, describe: Callable[[T], str], work: Callable[..., T], *args: Any) -> T:
        """Announce the workload, run work(*args), then print its time and `describe` of its answer."""
        self.done += 1
        print(f"[{self.done}/{self.steps}] {label} ...", end="", file=sys.stderr, flush=True)
        start = time.perf_counter()
        answer = work(*args)
        took = report.seconds(time.perf_counter() - start)
        print(f" {took}: {describe(answer)}", file=sys.stderr, flush=True)
        return answer


def benchmark(pool: Engines, sizes: Sizes, progress: Progress) -> dict[str, Any]:
    """All workloads: moons_step, compile (of the moons step, of chains), chain, wide, inference, memory,
    micrograd's crash depth."""
    _, xs, ys = moons_layers(sizes.samples)
    workloads = {"moons_step": progress.run("moons_step", report.summary, moons_step, pool, sizes)}
    workloads[report.MOONS_COMPILE] = progress.run(
        report.MOONS_COMPILE, lambda answer: report.compile_summary(answer, workloads["moons_step"]),
        measure, pool, "moons_compile", (xs, ys), sizes.repeats,
    )
    asked: list[tuple[str, str, tuple[Any, ...], int]] = [
        *((report.chain_compile_label(n), "chain_compile", (n,), sizes.repeats)
          for n in sizes.compile_chains),
        *((f"chain {n:.0e}", "chain", (n,), sizes.long_chain_repeats if n >= 10**6 else sizes.repeats)
          for n in sizes.chains),
        (f"wide {sizes.wide:.0e}", "wide", (sizes.wide,), sizes.repeats),
        ("forward, graph", "forward", (True,), sizes.repeats),
        ("forward, no_grad", "forward", (False,), sizes.repeats),
    ]
    for label, method, args, repeats in asked:
        workloads[label] = progress.run(label, report.summary, measure, pool, method, args, repeats)
    memory = progress.run(
        f"memory, chain {sizes.memory_chain:.0e}", report.memory_summary, ask_all, pool, pool.names,
        "chain_memory", sizes.memory_chain,
    )
    digits = progress.run("digits, fit", report.digits_summary, digits_fit, pool, sizes)
    crash = progress.run(
        "crash depth", report.crash_summary, ask_all, pool, [OURS, MICROGRAD], "crash_depth",
        sizes.crash_limit,
    )
    return {
        "workloads": workloads,
        "digits": digits,
        "memory": {"chain": sizes.memory_chain, **{k: v for k, v in memory.items() if v}},
        "crash_depth": {"limit": sizes.crash_limit, **crash},
    }


def ask_all(pool: Engines, names: list[str], method: str, *args: Any) -> dict[str, Any]:
    """Each named engine's answer to method(*args), one after the other."""
    return {name: pool.ask(name, method, *args) for name in names}


def digits_fit(pool: Engines, sizes: Sizes) -> dict[str, Any]:
    """fit on the digits' training images (notebook 09's model and training), from a fresh model in each
    engine that has it: an epoch eager, and two compiled (the first traces and compiles each batch shape)."""
    import nn

    total = len(nn.data.digits().train_inputs)
    rows = total if sizes.digits_rows is None else min(sizes.digits_rows, total)
    return {
        "rows": rows, "batch_size": engines.DIGITS_BATCH, "lr": engines.DIGITS_LR,
        "epoch": measure(pool, "digits_fit", (rows,), sizes.digits_repeats),
    }


def moons_step(pool: Engines, sizes: Sizes) -> dict[str, Any]:
    """The moons step in `pool` and in fresh pools that went through the same agreement check.

    A step of micrograd takes from 0.35 to 0.6 s depending on its process (its garbage collector's
    passes over a heap laid out differently), and stays there within the process: one set of
    processes would make the ratio to micrograd a draw. The medians are taken over all pools' rounds.
    """
    with ExitStack() as stack:
        extra = [stack.enter_context(Engines(pool.names)) for _ in range(sizes.moons_pools - 1)]
        for fresh in extra:
            check_agreement(fresh, sizes)
        return measure([pool, *extra], "moons_step", (0.05,), sizes.repeats)


def big_moons(names: list[str], sizes: Sizes, progress: Progress) -> dict[str, Any]:
    """The moons step on sizes.big_samples rows, each engine in a fresh process (for its peak memory)."""
    layers, xs, ys = moons_layers(sizes.big_samples)
    results: dict[str, Any] = {"samples": sizes.big_samples}
    for name in big_engines(names):
        label = f"moons_step on {sizes.big_samples} rows, {name}"
        results[name] = progress.run(label, report.big_summary, fresh_big_moons, name, layers, xs, ys)
    return results


def fresh_big_moons(name: str, *moons: Any) -> dict[str, Any]:
    """One engine's moons step on many rows, in a process of its own."""
    with Engines([name]) as fresh:
        answer: dict[str, Any] = fresh.ask(name, "big_moons", *moons)
        return answer


def big_engines(names: list[str]) -> list[str]:
    """The engines that run the moons step on many rows."""
    return [name for name in names if engines.ENGINES[name].big_moons]


def machine() -> dict[str, Any]:
    """Where the numbers were taken: CPUs, CPU model, Python, library versions."""
    model = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = {}
    for package in ("micrograd", "torch"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    return {
        "nproc": os.cpu_count(),
        "cpu": model,
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        **versions,
    }


def main(argv: list[str] | None = None) -> int:
    """Check that the engines agree, then time every workload and print and save the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes and few repeats (a smoke test)")
    parser.add_argument("--check", action="store_true", help="only check that the engines agree")
    parser.add_argument("--repeats", type=int, help="rounds per workload (default 5, quick 2)")
    default_out = Path(__file__).resolve().parent / "results" / "latest.json"
    parser.add_argument("--out", type=Path, default=default_out, help="the JSON file to write")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    sizes = Sizes.quick() if args.quick else Sizes()
    if args.repeats:
        sizes.repeats = sizes.long_chain_repeats = sizes.digits_repeats = args.repeats
    names = [name for name in engines.ENGINES if engines.importable(name)]
    missing = sorted(set(engines.ENGINES) - set(names))
    if missing:
        print(f"(not importable here, left out: {', '.join(missing)})", file=sys.stderr)
    workloads = len(sizes.chains) + len(sizes.compile_chains) + 8
    steps = 1 + (0 if args.check else workloads + len(big_engines(names)))
    progress = Progress(steps)
    with Engines(names) as pool:
        errors = progress.run("agreement of the engines", report.agreement, check_agreement, pool, sizes)
        if errors:
            print("The engines disagree (tolerance 1e-9):", *errors, sep="\n  ", file=sys.stderr)
            return 1
        if args.check:
            return 0
        results = benchmark(pool, sizes, progress)
    results["big_moons"] = big_moons(names, sizes, progress)
    options = argv if argv is not None else sys.argv[1:]
    command = " ".join([".venv/bin/python", "bench/run.py", *options])
    document = {"machine": machine(), "command": command, "quick": args.quick, "engines": names, **results}
    print(report.markdown(document))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(document, indent=2) + "\n")
    print(f"\nJSON: {args.out}")
    run = "quick run (--quick)" if args.quick else "full run"
    print(f"{run}: {report.seconds(time.perf_counter() - started)} in all", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
