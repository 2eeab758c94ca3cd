"""Registers: the variables of the code that runs, renamed to as few names as their lifetimes allow.

A small frame is a fast frame. The registers are named _r0, _r1, ...: no name made from a label starts
with `_`, so they meet none of them, nor a constant.
"""

from __future__ import annotations

import itertools

from autograd.compile.lines import Line


def allocate(
    statements: list[Line], inputs: list[str], outputs: set[str]
) -> tuple[list[str], list[Line], dict[str, str]]:
    """Rename variables to registers _r0, _r1, ..., each reused once its value is dead.

    Returns the registers of `inputs`, the statements renamed, and the registers of `outputs` at the end.
    """
    last: dict[str, int] = {}  # name -> the statement that reads it last
    for k, line in enumerate(statements):
        last.update(dict.fromkeys(line.args, k))
    last.update(dict.fromkeys(outputs, len(statements)))
    dying: list[list[str]] = [[] for _ in statements]  # per statement: the names it reads for the last time
    for name, k in last.items():
        if k < len(statements):
            dying[k].append(name)
    free: list[str] = []
    registers: dict[str, str] = {}
    count = itertools.count()

    def register(name: str) -> str:
        registers[name] = free.pop() if free else f"_r{next(count)}"
        return registers[name]

    head = [register(name) for name in inputs]
    renamed = []
    for k, line in enumerate(statements):
        names = list(map(registers.__getitem__, line.args))
        for name in dying[k]:
            free.append(registers.pop(name))
        target = registers.get(line.target) or register(line.target)
        renamed.append(Line(target, line.shape, names))
        if last.get(line.target, -1) <= k:
            free.append(registers.pop(line.target))
    return head, renamed, registers
