"""Chunks: a big graph's code as several functions, each compiled on its own.

Python's compiler needs memory in proportion to the code it compiles at once: chunks keep it bounded.
"""

from __future__ import annotations

from dataclasses import dataclass

from autograd.compile.lines import Line, readable
from autograd.compile.registers import allocate

LINES_PER_FUNCTION = 15_000  # a bigger graph is split into functions of this many lines (chunks)


@dataclass
class Piece:
    """One function of the code: its first lines, its statements (in registers), its last lines."""

    start: list[str]
    body: list[Line]
    end: list[str]

    def text(self, version: str) -> str:
        """The function's text in one version of the code that runs: "fast", "floats" or "guarded"."""
        body = ["    " + line.render(version) for line in self.body]
        return "\n".join([*self.start, *body, *self.end]) + "\n"


@dataclass
class Code:
    """A graph's code: the readable function, and the code that runs as pieces, each compiled on its own;
    each written when it is asked for, in the version asked for."""

    readable: tuple[list[str], list[Line], list[Line], Line]  # params, forward, backward, result
    pieces: list[Piece]

    def source(self) -> str:
        """The readable function `compiled(values, seed)`: every node under its own name, one line each."""
        return readable(*self.readable)

    def texts(self, version: str) -> list[str]:
        """The pieces' texts in one version ("fast", "floats" or "guarded"), to be compiled in order."""
        return [piece.text(version) for piece in self.pieces]


def functions(params: list[str], statements: list[Line], result: Line) -> list[Piece]:
    """The pieces of code of `statements`: one function `compiled(values, seed)`, or chunks and a
    `compiled` that calls them where there are more than LINES_PER_FUNCTION lines."""
    if len(statements) > LINES_PER_FUNCTION:
        return _chunked(params, statements, result)
    head, body, final = allocate(statements, params, set(result.args))
    header = [f"    {', '.join(head)}, = values"] if params else []
    end = "    return " + result.shape.fast.format(*(final[name] for name in result.args))
    return [Piece(["def compiled(values, seed):", *header], body, [end])]


def _chunked(params: list[str], statements: list[Line], result: Line) -> list[Piece]:
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
    pieces = []
    for c, chunk in enumerate(chunks):
        written: dict[str, None] = {}  # ordered sets: the code does not depend on the hash seed
        loads: dict[str, None] = {}  # read before written here: loaded from _v
        for line in chunk:
            for name in line.args:
                if name not in written:
                    loads[name] = None
            written[line.target] = None
        stores = [name for name in written if last_chunk.get(name, -1) > c]
        for name in stores:
            slots.setdefault(name, len(slots))
        head, body, final = allocate(chunk, list(loads), set(stores))
        start = [f"def _chunk{c}(_v, seed):"]
        start += [f"    {r} = _v[{slots[name]}]" for r, name in zip(head, loads)]
        end = [f"    _v[{slots[name]}] = {final[name]}" for name in sorted(stores, key=slots.__getitem__)]
        pieces.append(Piece(start, body, end))
    main = ["def compiled(values, seed):"]
    main.append(f"    _v = [*values, *[None] * {len(slots) - len(params)}]")
    main += [f"    _chunk{c}(_v, seed)" for c in range(len(chunks))]
    main.append("    return " + result.shape.fast.format(*(f"_v[{slots[name]}]" for name in result.args)))
    return [*pieces, Piece(main, [], [])]
