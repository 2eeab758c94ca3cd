"""compile's work grows in proportion to the graph: counted here, never timed (bench/ times it).

A chain of 2,000 nodes and one of 20,000 are compiled while the writer's units of work are counted:
the lines it makes, the shapes (a line's text with fields, made by formatting a rule's formula), the
lines it writes out as text, and the characters handed to Python's compiler. Linear time means the same
work per node at both sizes; a step whose cost grows with the graph (a text rebuilt per node, a shape
per node instead of per kind of line, the readable source written when nobody asked for it) changes a
count, and recursion over the graph fails under a low recursion limit.
"""

from __future__ import annotations

import builtins
import importlib
import inspect
import os
import subprocess
import sys
from collections import Counter
from typing import Any

import pytest

from autograd import Value, compile

lines = importlib.import_module("autograd.compile.lines")
chunks = importlib.import_module("autograd.compile.chunks")


def chain(nodes: int) -> tuple[Value, Value]:
    """x = x * 1.0001 + 0.001 until the chain has `nodes` nodes after its input: (input, output)."""
    x = y = Value(1.0, "x")
    for _ in range(nodes // 2):
        y = y * 1.0001 + 0.001
    return x, y


def counted(nodes: int, monkeypatch: pytest.MonkeyPatch) -> tuple[Counter[str], Any]:
    """The writer's work on a chain of `nodes` nodes, counted, and the Compiled."""
    work: Counter[str] = Counter()
    made: list[Any] = []

    def spy(owner: Any, name: str, key: str) -> None:
        function = getattr(owner, name)

        def counting(*args: Any, **kwargs: Any) -> Any:
            work[key] += 1
            return function(*args, **kwargs)

        monkeypatch.setattr(owner, name, counting)

    spy(lines.Line, "__init__", "lines made")
    spy(lines.Line, "render", "lines written")
    spy(chunks, "readable", "readable sources")
    shapes_init = lines.Shapes.__init__

    def shapes(self: Any) -> None:
        shapes_init(self)
        made.append(self)

    monkeypatch.setattr(lines.Shapes, "__init__", shapes)
    python_compile = builtins.compile

    def compiling(text: str, *args: Any, **kwargs: Any) -> Any:
        work["characters compiled"] += len(text)
        return python_compile(text, *args, **kwargs)

    monkeypatch.setattr(builtins, "compile", compiling)
    x, y = chain(nodes)
    compiled = compile(y, [x])
    monkeypatch.undo()
    work["shapes"] = len(made[0].made)
    return work, compiled


def test_compile_does_the_same_work_per_node_at_every_size(monkeypatch: pytest.MonkeyPatch) -> None:
    small, _ = counted(2_000, monkeypatch)
    big, compiled = counted(20_000, monkeypatch)
    assert compiled([1.0]) == (pytest.approx(1.0001**10_000 + 0.001 * (1.0001**10_000 - 1) / 0.0001),
                               [pytest.approx(1.0001**10_000)])
    assert small["shapes"] == big["shapes"]  # each kind of line's text made once, whatever the size
    assert small["readable sources"] == big["readable sources"] == 0  # the readable source waits for .source
    for key in ("lines made", "lines written", "characters compiled"):
        per_node = small[key] / 2_000, big[key] / 20_000
        assert 0 < per_node[1] <= 1.05 * per_node[0], (key, per_node)  # no more work per node in the big one
    assert big["lines made"] <= 5 * 20_000 and big["lines written"] <= 20_000


def test_the_readable_source_is_written_once_when_first_asked_for(monkeypatch: pytest.MonkeyPatch) -> None:
    writes: list[str] = []
    readable = chunks.readable

    def written(*args: Any) -> str:
        writes.append("source")
        return readable(*args)

    monkeypatch.setattr(chunks, "readable", written)
    x, y = chain(100)
    compiled = compile(y, [x])
    assert writes == []
    assert compiled.source.startswith("def compiled(values, seed):") and compiled.source is compiled.source
    assert writes == ["source"]


def test_compile_does_not_recurse_over_the_graph() -> None:
    x, y = chain(20_000)
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(len(inspect.stack()) + 60)  # a few calls deeper than this test, no more
    try:
        compiled = compile(y, [x])
    finally:
        sys.setrecursionlimit(limit)
    assert compiled([1.0])[1] == [pytest.approx(1.0001**10_000)]


def test_the_code_is_the_same_whatever_the_hash_seed() -> None:
    script = (
        "import importlib\n"
        "from autograd import Value, compile\n"
        "importlib.import_module('autograd.compile.chunks').LINES_PER_FUNCTION = 5\n"
        "a, b = Value(2.0, 'a'), Value(-3.0, 'b')\n"
        "y = a\n"
        "for k in range(30):\n"
        "    y = (y * b + a).tanh() + (a * y).relu() * b\n"
        "print(''.join(compile(y, [a, b])._code.texts('floats')))\n"
    )
    codes = {
        subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(codes) == 1 and "def _chunk1" in codes.pop()
