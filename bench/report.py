"""The benchmark's results as a Markdown table, and the issue's targets checked against them."""

from __future__ import annotations

from typing import Any

OURS, MICROGRAD = "impactgrad", "micrograd"
COMPILED, HAND = "impactgrad, compiled", "hand-written floats"
GIB = 2**30


def seconds(t: float) -> str:
    """A time in s, ms or µs, three significant digits."""
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6)):
        if t >= scale or unit == "µs":
            return f"{t / scale:.3g} {unit}"
    raise AssertionError("unreachable")


def cell(stats: dict[str, Any] | None) -> str:
    """median (min–max), or a dash where the engine has no such workload."""
    if not stats:
        return "—"
    return f"{seconds(stats['median'])} ({seconds(stats['min'])}–{seconds(stats['max'])})"


def ratio(workload: dict[str, Any], numerator: str, denominator: str) -> float | None:
    """median(numerator) / median(denominator), or None if either is missing."""
    if numerator in workload and denominator in workload:
        return float(workload[numerator]["median"] / workload[denominator]["median"])
    return None


def targets(document: dict[str, Any]) -> list[dict[str, Any]]:
    """The issue's four targets: the measured value, the bound and whether it is met."""
    workloads, memory = document["workloads"], document["memory"]
    longest = max((k for k in workloads if k.startswith("chain")), key=lambda k: float(k.split()[1]))
    rows = []
    for name, workload, bound in (("moons_step", "moons_step", 1 / 6), (f"{longest}", longest, 1 / 5)):
        value = ratio(workloads[workload], OURS, MICROGRAD)
        rows.append({
            "target": f"{name}: impactgrad ÷ micrograd ≤ 1/{round(1 / bound)}",
            "value": value, "text": "—" if value is None else f"{value:.3f} (1/{1 / value:.1f})",
            "met": value is not None and value <= bound,
        })
    ours = memory.get(OURS, {})
    per_node = [ours[k] / ours["nodes"] for k in ("after_forward", "after_backward") if k in ours]
    rows.append({
        "target": f"memory, chain {memory['chain']:.0e}: bytes per node ≤ 200",
        "value": max(per_node) if per_node else None,
        "text": " / ".join(f"{b:.0f}" for b in per_node) + " (after forward / after backward)",
        "met": bool(per_node) and max(per_node) <= 200,
    })
    rows += compiled_targets(document)
    graph, no_grad = workloads["forward, graph"].get(OURS), workloads["forward, no_grad"].get(OURS)
    speedup = graph["median"] / no_grad["median"] if graph and no_grad else None
    rows.append({
        "target": "no_grad inference ≥ 3x faster than the forward with a graph",
        "value": speedup, "text": "—" if speedup is None else f"{speedup:.1f}x",
        "met": speedup is not None and speedup >= 3,
    })
    return rows


def compiled_targets(document: dict[str, Any]) -> list[dict[str, Any]]:
    """Issue 11's targets: compiled step vs hand-written floats, eager vs micrograd, a big graph."""
    step, rows = document["workloads"]["moons_step"], []
    for numerator, denominator, bound in ((COMPILED, HAND, 0.5), (OURS, MICROGRAD, 0.08)):
        value = ratio(step, numerator, denominator)
        rows.append({
            "target": f"moons_step: {numerator} ÷ {denominator} ≤ {bound}",
            "value": value, "text": "—" if value is None else f"{value:.3f}",
            "met": value is not None and value <= bound,
        })
    big = document.get("big_moons", {})
    compiled, eager = big.get(COMPILED), big.get(OURS)
    text = "—"
    if compiled and eager:
        text = (
            f"compile {seconds(compiled['prepare'])}, step {seconds(compiled['step'])} vs eager "
            f"{seconds(eager['step'])} ({compiled['step'] / eager['step']:.2f}x), "
            f"peak {compiled['peak_bytes'] / GIB:.2f} GiB"
        )
    rows.append({
        "target": f"moons_step on {big.get('samples')} rows (~650 nodes a row) compiles and runs in 2 GiB",
        "value": compiled and compiled["peak_bytes"], "text": text,
        "met": bool(compiled) and compiled["peak_bytes"] <= 2 * GIB,
    })
    return rows


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
    """The whole report: machine, timing table, memory, crash depth, targets."""
    m, names = document["machine"], document["engines"]
    lines = [
        f"Machine: {m['nproc']} CPUs, {m['cpu']}, {m['implementation']} {m['python']} ({m['platform']}); "
        f"micrograd {m['micrograd']}, torch {m['torch'] or 'not installed'}.",
        f"Command: `{document['command']}`. Each engine runs in its own process; the engines take turns "
        "(A B C … per round); median (min–max) of the rounds; GC on except in the `gc off` column.",
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
    lines += ["", "Targets (issues 5 and 11):", ""]
    lines += [f"- [{'x' if t['met'] else ' '}] {t['target']}: {t['text']}" for t in document["targets"]]
    return "\n".join(lines)
