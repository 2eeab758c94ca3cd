"""Chunks: a big graph's code as several functions, each compiled on its own.

Python's compiler needs memory in proportion to the code it compiles at once: chunks keep it bounded.
"""

from __future__ import annotations

from autograd.compile.compiled import VERSIONS
from autograd.compile.lines import Line
from autograd.compile.registers import allocate

LINES_PER_FUNCTION = 15_000  # a bigger graph is split into functions of this many lines (chunks)


def functions(params: list[str], statements: list[Line], result: Line) -> dict[str, list[str]]:
    """The pieces of code of `statements` in each version: one function `compiled(values, seed)`, or
    chunks and a `compiled` that calls them where there are more than LINES_PER_FUNCTION lines."""
    if len(statements) > LINES_PER_FUNCTION:
        return _chunked(params, statements, result)
    head, body, final = allocate(statements, params, set(result.args))
    header = [f"    {', '.join(head)}, = values"] if params else []
    end = "    return " + result.text.format(*(final[name] for name in result.args))
    start = "def compiled(values, seed):"
    return {v: ["\n".join([start, *header, *lines, end]) + "\n"] for v, lines in body.items()}


def _chunked(params: list[str], statements: list[Line], result: Line) -> dict[str, list[str]]:
    """A big graph's code as functions of LINES_PER_FUNCTION lines, which pass values in a list `_v`.

    Python's compiler needs memory in proportion to the code it compiles at once: each chunk is
    compiled on its own, so that memory stays bounded.
    """
    chunks = [statements[k : k + LINES_PER_FUNCTION] for k in range(0, len(statements), LINES_PER_FUNCTION)]
    last_chunk: dict[str, int] = {name: len(chunks) for name in result.args}
    for c in range(len(chunks) - 1, -1, -1):
        for line in chunks[c]:
            for name in line.args:
                last_chunk.setdefault(name, c)
    slots = {name: k for k, name in enumerate(params)}
    pieces: dict[str, list[str]] = {v: [] for v in VERSIONS}
    for c, chunk in enumerate(chunks):
        written: set[str] = set()
        loads: dict[str, None] = {}  # read before written here: loaded from _v (an ordered set)
        for line in chunk:
            for name in line.args:
                if name not in written:
                    loads[name] = None
            written.add(line.target)
        stores = {name for name in written if last_chunk.get(name, -1) > c}
        for name in stores:
            slots.setdefault(name, len(slots))
        head, body, final = allocate(chunk, list(loads), stores)
        start = [f"def _chunk{c}(_v, seed):"]
        start += [f"    {r} = _v[{slots[name]}]" for r, name in zip(head, loads)]
        end = [f"    _v[{slots[name]}] = {final[name]}" for name in sorted(stores, key=slots.__getitem__)]
        for v, lines in body.items():
            pieces[v].append("\n".join([*start, *lines, *end]) + "\n")
    text = ["def compiled(values, seed):"]
    text.append(f"    _v = [*values, *[None] * {len(slots) - len(params)}]")
    text += [f"    _chunk{c}(_v, seed)" for c in range(len(chunks))]
    text.append("    return " + result.text.format(*(f"_v[{slots[name]}]" for name in result.args)))
    main = "\n".join(text) + "\n"
    return {v: [*piece, main] for v, piece in pieces.items()}
