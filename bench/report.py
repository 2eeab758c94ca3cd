"""The benchmark's results as Markdown tables: time per workload and engine, memory, crash depth."""

from __future__ import annotations

import statistics
from typing import Any

OURS, MICROGRAD = "impactgrad", "micrograd"
COMPILED, HAND_WRITTEN, NUMPY = "impactgrad, compiled", "hand-written floats", "numpy matrices"
VECTORISED = "impactgrad, vectorised"


def seconds(t: float) -> str:
    """A time in s, ms or µs, three significant digits."""
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6)):
        if t >= scale or unit == "µs":
            return f"{t / scale:.3g} {unit}"
    raise AssertionError("unreachable")


def cell(stats: dict[str, Any] | None) -> str:
    """median (min–max) of the wall times, then the median CPU time; a dash where the engine has no
    such workload. CPU time is what the engine used: on a shared machine, wall time also counts waits."""
    if not stats:
        return "—"
    wall = f"{seconds(stats['median'])} ({seconds(stats['min'])}–{seconds(stats['max'])})"
    return f"{wall}, CPU {seconds(stats['cpu_median'])}"


def ratio(workload: dict[str, Any], numerator: str, denominator: str) -> float | None:
    """median(numerator) / median(denominator), or None if either is missing."""
    if numerator in workload and denominator in workload:
        return float(workload[numerator]["median"] / workload[denominator]["median"])
    return None


def times(r: float | None) -> str:
    """A ratio as `0.077×` (three significant digits), or a dash where it is missing."""
    return "—" if r is None else f"{r:.3g}×"


MOONS_COMPILE = "moons_step, compile"  # the compiled engine's trace and compile of the moons step


def chain_compile_label(nodes: int) -> str:
    """The workload that compiles a chain of `nodes` nodes."""
    return f"compile, chain of {nodes:,} nodes"


def compile_ratio(compiled: dict[str, Any], step: dict[str, Any]) -> float | None:
    """The compiled engine's compile of the moons step ÷ one eager moons step (impactgrad's), or None."""
    if COMPILED in compiled and OURS in step:
        return float(compiled[COMPILED]["median"] / step[OURS]["median"])
    return None


def compile_summary(compiled: dict[str, Any], step: dict[str, Any]) -> str:
    """The moons step's compile in a line: its median, and its ratio to one eager moons step."""
    return f"{summary(compiled)}; compile ÷ eager step {times(compile_ratio(compiled, step))}"


def chain_compile_table(workloads: dict[str, Any]) -> list[str]:
    """The compile times of the chains, per node and against the shortest (linear: in proportion)."""
    chains = [stats[COMPILED] for label, stats in workloads.items() if label.startswith("compile, chain")]
    if not chains:
        return []
    first = chains[0]
    lines = [
        "",
        f"Compile of a chain (x = x * 1.0001 + 0.001, x the input), {COMPILED}: linear in nodes when the "
        "time grows as the nodes do:",
        "",
        "| nodes | compile | per node | nodes ÷ shortest's | time ÷ shortest's |",
        "|---:|---:|---:|---:|---:|",
    ]
    for stats in chains:
        nodes = stats["result"]
        lines.append(
            f"| {nodes:,} | {cell(stats)} | {seconds(stats['median'] / nodes)} | "
            f"{nodes / first['result']:.3g}× | {times(stats['median'] / first['median'])} |"
        )
    return lines


# Every ratio is ours ÷ theirs (lower is better): (ours, theirs) per column of the table...
COLUMNS = ((OURS, MICROGRAD), (OURS, HAND_WRITTEN))
# ...and below it, on the moons step.
STEP_RATIOS = (
    (OURS, MICROGRAD), (COMPILED, HAND_WRITTEN), (COMPILED, NUMPY), (VECTORISED, HAND_WRITTEN),
    (VECTORISED, NUMPY),
)


def summary(workload: dict[str, Any]) -> str:
    """One workload in a line: each engine's median, then its ratios ours ÷ theirs."""
    medians = ", ".join(f"{name} {seconds(stats['median'])}" for name, stats in workload.items())
    found = [(a, b, ratio(workload, a, b)) for a, b in dict.fromkeys(COLUMNS + STEP_RATIOS)]
    ratios = "; ".join(f"{a} ÷ {b} {times(r)}" for a, b, r in found if r is not None)
    return medians + (f"; {ratios}" if ratios else "")


def digits_epochs(digits: dict[str, Any]) -> dict[str, float] | None:
    """fit on the digits, from the medians: the eager epoch, the compiled epoch (the second), the first
    compiled epoch (each batch shape compiled in it) and the compile (the first less the second)."""
    epoch = digits["epoch"]
    if OURS not in epoch or COMPILED not in epoch:
        return None
    compiled = epoch[COMPILED]["median"]
    first = statistics.median(result["epochs"][0][0] for result in epoch[COMPILED]["results"])
    return {"eager": epoch[OURS]["median"], "compiled": compiled, "compile": first - compiled, "first": first}


def digits_summary(digits: dict[str, Any]) -> str:
    """fit on the digits in a line: the epochs eager and compiled, the compile, the two ratios."""
    found = digits_epochs(digits)
    if found is None:
        return "no engine fits the digits both ways"
    return (
        f"epoch eager {seconds(found['eager'])}, compiled {seconds(found['compiled'])} "
        f"({times(found['compiled'] / found['eager'])}), compile {seconds(found['compile'])}; "
        f"first compiled epoch ÷ epoch eager {times(found['first'] / found['eager'])}"
    )


def digits_table(digits: dict[str, Any]) -> list[str]:
    """fit on the digits: each engine's epoch and loss history, then the ratios of the epochs."""
    lines = [
        "",
        f"fit on the digits: {digits['rows']} training images, notebook 09's model (Conv2D 8x3x3 → "
        f"BatchNorm2D → ReLU → MaxPool2D → Linear), Adam (lr {digits['lr']}), batches of "
        f"{digits['batch_size']}, each run from a fresh model; an epoch timed from the optimizer's steps "
        "(compiled: the second epoch, the first compiles):",
        "",
        "| engine | epoch | mean loss per epoch |",
        "|---|---:|---:|",
    ]
    for name, stats in digits["epoch"].items():
        history = ", ".join(f"{loss:.6g}" for loss in stats["result"]["history"])
        lines.append(f"| {name} | {cell(stats)} | {history} |")
    found = digits_epochs(digits)
    if found is not None:
        lines += [
            "",
            f"- epoch compiled ÷ epoch eager = {seconds(found['compiled'])} ÷ {seconds(found['eager'])} = "
            f"{times(found['compiled'] / found['eager'])}",
            f"- compile (first compiled epoch − epoch compiled) = {seconds(found['compile'])}; "
            f"(epoch compiled + compile) ÷ epoch eager = {times(found['first'] / found['eager'])}",
        ]
    return lines


def agreement(errors: list[str]) -> str:
    """What the agreement check found, in a line."""
    return f"{len(errors)} disagreements (listed below)" if errors else "all engines agree to 1e-9"


def memory_summary(held: dict[str, Any]) -> str:
    """Bytes per node held after forward, per engine that measures its memory."""
    per_node = {name: m["after_forward"] / m["nodes"] for name, m in held.items() if m}
    return ", ".join(f"{name} {b:.0f} bytes/node" for name, b in per_node.items())


def crash_summary(depths: dict[str, int | None]) -> str:
    """The chain length from which backward raises RecursionError, per engine."""
    said = {name: "works" if d is None else f"fails from {d} steps" for name, d in depths.items()}
    return ", ".join(f"{name} {text}" for name, text in said.items())


def big_summary(result: dict[str, Any]) -> str:
    """One engine's moons step on many rows, in a line."""
    return "compile {}, step {}, peak memory {}".format(*big_cells(result))


def big_table(big: dict[str, Any]) -> list[str]:
    """The moons step on many rows: preparation, step and peak memory per engine (fresh processes)."""
    lines = [
        "",
        f"moons_step on {big['samples']} rows, each engine in a fresh process (one step; peak RSS):",
        "",
        "| engine | compile | step | peak memory |",
        "|---|---:|---:|---:|",
    ]
    for name, result in big.items():
        if name != "samples":
            lines.append(f"| {name} | " + " | ".join(big_cells(result)) + " |")
    return lines


def big_cells(result: dict[str, Any]) -> tuple[str, str, str]:
    """One engine's moons step on many rows: compile time (a dash if none), step time, peak memory."""
    prepare = "—" if result["prepare"] is None else seconds(result["prepare"])
    return prepare, seconds(result["step"]), f"{result['peak_bytes'] / 2**20:.0f} MiB"


def markdown(document: dict[str, Any]) -> str:
    """The whole report: machine, timing table, memory, crash depth."""
    m, names = document["machine"], document["engines"]
    lines = [
        f"Machine: {m['nproc']} CPUs, {m['cpu']}, {m['implementation']} {m['python']} ({m['platform']}); "
        f"micrograd {m['micrograd']}, torch {m['torch'] or 'not installed'}.",
        f"Command: `{document['command']}`. Each engine runs in its own process; the engines take turns "
        "(A B C … per round); median (min–max) of the rounds' wall times, then their median CPU time; GC on "
        "except in the `gc off` column.",
        "",
        "| workload | " + " | ".join(names) + "".join(f" | {a} ÷ {b}" for a, b in COLUMNS) + " |",
        "|---|" + "---:|" * (len(names) + len(COLUMNS)),
    ]
    for workload, stats in document["workloads"].items():
        lines.append(
            f"| {workload} | " + " | ".join(cell(stats.get(name)) for name in names)
            + "".join(f" | {times(ratio(stats, a, b))}" for a, b in COLUMNS) + " |"
        )
    step = document["workloads"]["moons_step"]
    found = [(a, b, ratio(step, a, b)) for a, b in STEP_RATIOS]
    lines += ["", "moons_step, ours ÷ theirs (lower is better):", ""]
    lines += [f"- {a} ÷ {b} = {times(r)}" for a, b, r in found if r is not None]
    if MOONS_COMPILE in document["workloads"]:
        compiling = compile_ratio(document["workloads"][MOONS_COMPILE], step)
        lines.append(f"- {COMPILED}: compile of the step ÷ one eager step ({OURS}) = {times(compiling)}")
    lines += chain_compile_table(document["workloads"])
    if "digits" in document:
        lines += digits_table(document["digits"])
    memory = document["memory"]
    lines += [
        "",
        f"Memory, chain of {memory['chain']:.0e} steps (tracemalloc, the graph held):",
        "",
        "| engine | nodes | bytes/node after forward | bytes/node after backward | bytes per chain step |",
        "|---|---:|---:|---:|---:|",
    ]
    for name in names:
        if name in memory:
            held = memory[name]
            after = held.get("after_backward")
            after_text = "—" if after is None else f"{after / held['nodes']:.0f}"
            lines.append(
                f"| {name} | {held['nodes']} | {held['after_forward'] / held['nodes']:.0f} | {after_text} | "
                f"{held['after_forward'] / memory['chain']:.0f} |"
            )
    crash = document["crash_depth"]
    for name in (OURS, MICROGRAD):
        if name in crash:
            depth = crash[name]
            lines.append(
                f"\n{name}, default recursion limit: "
                + (f"backward of the chain works up to {crash['limit']} steps (tried)" if depth is None
                   else f"backward raises RecursionError from a chain of {depth} steps")
            )
    if "big_moons" in document:
        lines += big_table(document["big_moons"])
    return "\n".join(lines)
