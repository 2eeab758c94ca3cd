"""Fusion: the code that runs writes a value used once inside the line that uses it.

The readable source has one line per node; the code that runs is the same function, faster: a node
read once, by the forward line of another, whose value no derivative needs (the products and partial
sums of a neuron) is written inside that line: z = W0 * o0 + W1 * o1 + B, in the same order of
operations as the engine's; so is a δ read once, by the δ of another (δz = zero if z < 0 else Σ_j δ_j ·
w_j). Lines are written inside one another at most MAX_DEPTH deep, so a chain of any length gives
expressions of bounded nesting (Python's parser and compiler recurse on nesting).
"""

from __future__ import annotations

from autograd.compile.chunks import functions
from autograd.compile.compiled import VERSIONS
from autograd.compile.lines import Line, slot

MAX_DEPTH = 12  # lines written inside one another at most this deep (each adds a few levels of nesting)


def fused(
    params: list[str], forward: list[Line], backward: list[Line], result: Line
) -> dict[str, list[str]]:
    """The code that runs, in pieces per version: "fast" (any numbers), "floats" (every value a float)
    and "guarded" (every impact guarded, for the rare call that meets 0 · inf); single-use values
    written inline (at most MAX_DEPTH deep), variables renamed to registers."""
    uses: dict[str, int] = {}
    writes: dict[str, int] = {}
    for line in [*forward, *backward, result]:
        for name in line.args:
            uses[name] = uses.get(name, 0) + 1
        writes[line.target] = writes.get(line.target, 0) + 1
    read_forward: dict[str, int] = {}
    for line in forward:
        for name in line.args:
            read_forward[name] = read_forward.get(name, 0) + 1
    returned = set(result.args)
    inline: dict[str, Line] = {}
    statements: list[Line] = []
    for learning, line in [*((False, line) for line in forward), *((True, line) for line in backward)]:
        written = _inlined(line, inline) if inline and not inline.keys().isdisjoint(line.args) else line
        once = uses.get(line.target) == 1 and writes[line.target] == 1 and line.target not in returned
        if once and (learning or read_forward.get(line.target) == 1) and written.depth < MAX_DEPTH:
            inline[line.target] = written
        else:
            statements.append(written)
    return functions(params, statements, result)


def _inlined(line: Line, inline: dict[str, Line]) -> Line:
    """`line` with the lines of `inline` it reads written in place of their names (and taken out)."""
    args: list[str] = []
    needs: list[int] = []
    fields: list[tuple[str, str, str]] = []  # per arg of `line`: its text in each version
    precedence, depth = line.precedence, line.depth
    for k, name in enumerate(line.args):
        need = line.needs[k] if k < len(line.needs) else 3
        sub = inline.pop(name, None)
        if sub is None:
            field = slot(len(args))
            fields.append((field, field, field))
            args.append(name)
            needs.append(need)
            continue
        fast, floats, guarded = _versions(sub, [slot(len(args) + j) for j in range(len(sub.args))])
        if sub.precedence < need:
            fast, floats, guarded = f"({fast})", f"({floats})", f"({guarded})"
        fields.append((fast, floats, guarded))
        args += sub.args
        needs += sub.needs
        depth = max(depth, sub.depth + 1)
        if line.version("fast") == "{0}":  # δnode = δchild: the line is the child's δ
            precedence = sub.precedence
    if all(f[0] == f[1] == f[2] for f in fields):  # the same texts inside: each version formatted once
        fast, floats, guarded = _versions(line, [f[0] for f in fields])
    else:
        texts = (line.version(v).format(*(f[i] for f in fields)) for i, v in enumerate(VERSIONS))
        fast, floats, guarded = texts
    return Line(line.target, "", args, precedence, needs, fast, floats, guarded, depth)


def _versions(line: Line, fields: list[str]) -> tuple[str, str, str]:
    """The fast, floats and guarded texts of `line` with `fields` filled in, each distinct text once."""
    fast_text = line.version("fast")
    fast = fast_text.format(*fields)
    floats_text, guarded_text = line.version("floats"), line.version("guarded")
    floats = fast if floats_text == fast_text else floats_text.format(*fields)
    guarded = fast if guarded_text == fast_text else guarded_text.format(*fields)
    return fast, floats, guarded

