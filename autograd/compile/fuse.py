"""Fusion: the code that runs writes a value used once inside the line that uses it.

The readable source has one line per node; the code that runs is the same function, faster: a node
read once, by the forward line of another, whose value no derivative needs (the products and partial
sums of a neuron) is written inside that line: z = W0 * o0 + W1 * o1 + B, in the same order of
operations as the engine's; so is a δ read once, by the δ of another (δz = zero if z < 0 else Σ_j δ_j ·
w_j). Lines are written inside one another at most MAX_DEPTH deep, so a chain of any length gives
expressions of bounded nesting (Python's parser and compiler recurse on nesting).
"""

from __future__ import annotations

from collections import Counter
from itertools import chain, repeat
from operator import attrgetter

from autograd.compile.chunks import Piece, functions
from autograd.compile.lines import Line, Shapes

MAX_DEPTH = 12  # lines written inside one another at most this deep (each adds a few levels of nesting)


def fused(
    shapes: Shapes, params: list[str], forward: list[Line], backward: list[Line], result: Line
) -> list[Piece]:
    """The code that runs: single-use values written inline (at most MAX_DEPTH deep), variables renamed
    to registers, in functions of at most LINES_PER_FUNCTION lines (see autograd.compile.chunks)."""
    read_forward = Counter(chain.from_iterable(map(attrgetter("args"), forward)))
    uses = read_forward.copy()
    uses.update(chain.from_iterable(map(attrgetter("args"), [*backward, result])))
    writes = Counter(map(attrgetter("target"), chain(forward, backward)))
    returned = set(result.args)
    inline: dict[str, Line] = {}
    statements: list[Line] = []
    for learning, line in chain(zip(repeat(False), forward), zip(repeat(True), backward)):
        reads_inline = inline and not inline.keys().isdisjoint(line.args)
        written = _inlined(shapes, line, inline) if reads_inline else line
        once = uses.get(line.target) == 1 and writes[line.target] == 1 and line.target not in returned
        if once and (learning or read_forward.get(line.target) == 1) and written.depth < MAX_DEPTH:
            inline[line.target] = written
        else:
            statements.append(written)
    return functions(params, statements, result)


def _inlined(shapes: Shapes, line: Line, inline: dict[str, Line]) -> Line:
    """`line` with the lines of `inline` it reads written in place of their names (and taken out)."""
    args: list[str] = []
    subs = []
    depth = line.depth
    for name in line.args:
        sub = inline.pop(name, None)
        if sub is None:
            args.append(name)
        else:
            args += sub.args
            depth = max(depth, sub.depth + 1)
        subs.append(None if sub is None else sub.shape)
    return Line(line.target, shapes.inlined(line.shape, tuple(subs)), args, depth)
