"""The benchmark's results as Markdown tables: time per workload and engine, memory, crash depth."""

from __future__ import annotations

from typing import Any

OURS, MICROGRAD = "impactgrad", "micrograd"


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
            prepare = "—" if result["prepare"] is None else seconds(result["prepare"])
            lines.append(
                f"| {name} | {prepare} | {seconds(result['step'])} | {result['peak_bytes'] / 2**20:.0f} MiB |"
            )
    return lines


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
        "| workload | " + " | ".join(names) + " | micrograd ÷ impactgrad | impactgrad ÷ hand-written |",
        "|---|" + "---:|" * (len(names) + 2),
    ]
    for workload, stats in document["workloads"].items():
        vs_micrograd = ratio(stats, MICROGRAD, OURS)
        vs_floor = ratio(stats, OURS, "hand-written floats")
        lines.append(
            f"| {workload} | " + " | ".join(cell(stats.get(name)) for name in names)
            + f" | {'—' if vs_micrograd is None else f'{vs_micrograd:.1f}x'}"
            + f" | {'—' if vs_floor is None else f'{vs_floor:.1f}x'} |"
        )
    step = document["workloads"]["moons_step"]
    compiled = ratio(step, "impactgrad, compiled", "hand-written floats")
    if compiled is not None:
        lines += ["", f"moons_step: impactgrad, compiled ÷ hand-written floats = {compiled:.2f}"]
    eager = ratio(step, OURS, MICROGRAD)
    if eager is not None:
        lines += ["", f"moons_step: impactgrad ÷ micrograd = {eager:.3f}"]
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
