"""Pictures of a Value graph (graphviz): each Value's data and grad, each edge's local derivative.

The picture is DOT source until it is rendered; rendering needs the Graphviz program `dot`, and
without it the error says how to install it. In Jupyter a picture carries an SVG and a PNG: a trusted
notebook shows the SVG, an untrusted one (and GitHub) the PNG. Every picture is scaled down to fit a
notebook column (COLUMN_INCHES wide).
"""

from __future__ import annotations

import os
import textwrap
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path as FilePath
from typing import Any

import graphviz

from autograd.backward import topological_order
from autograd.impacts import Path
from autograd.scalars import Scalar
from autograd.value import Value

DEFAULT_MAX_NODES = 300
RANKDIRS = ("LR", "RL", "TB", "BT")
COLUMN_INCHES = 8  # 768 px at 96 dpi: a notebook column on GitHub and in JupyterLab, the README's width
LR_MAX_DEPTH = 4  # draw left to right up to this many Values along the longest path, else top to bottom
LABEL_WIDTH = 28  # characters per line in a node or edge label; longer text wraps

LEAF = "#dbeafe"  # an input or a constant
PARAMETER = "#fde68a"  # a weight the optimiser updates
OUTPUT = "#bbf7d0"  # the node drawn from, usually the loss
IMPACT = "#dc2626"  # the paths of impacts highlighted
FONT = "Helvetica"

INSTALL_GRAPHVIZ = (
    "rendering a picture needs the Graphviz program `dot`, which is not installed or not on the PATH "
    "(the Python package `graphviz` alone only writes DOT source, still readable in `.source`). "
    "Install Graphviz with `sudo apt-get install graphviz` (Debian, Ubuntu), `brew install graphviz` "
    "(macOS) or `conda install -c conda-forge graphviz`, then restart the kernel or the shell."
)


class GraphvizNotFound(RuntimeError):
    """The Graphviz program `dot` is missing: the message says how to install it."""


@contextmanager
def graphviz_required() -> Iterator[None]:
    """Turn graphviz's ExecutableNotFound into a GraphvizNotFound that says how to install Graphviz."""
    try:
        yield
    except graphviz.ExecutableNotFound:
        raise GraphvizNotFound(INSTALL_GRAPHVIZ) from None


class Picture(graphviz.Digraph):  # type: ignore[misc]  # graphviz ships no type hints
    """A graphviz.Digraph (inline in Jupyter) whose rendering says how to install Graphviz if missing."""

    def __repr__(self) -> str:
        return (
            "<Picture: a graphviz drawing, shown inline in Jupyter; elsewhere "
            ".render('name', format='png') writes a file, .source is its DOT text>"
        )

    def _repr_mimebundle_(
        self, include: Collection[str] | None = None, exclude: Collection[str] | None = None, **_: Any
    ) -> dict[str, Any]:
        """The SVG for a trusted notebook, and a PNG beside it for untrusted ones and GitHub."""
        svg, png = self.pipe(format="svg", encoding="utf-8"), self.pipe(format="png")
        bundle = {"image/svg+xml": svg, "image/png": png}
        return {
            mime: data
            for mime, data in bundle.items()
            if (include is None or mime in include) and (exclude is None or mime not in exclude)
        }

    def pipe(self, *args: Any, **kwargs: Any) -> Any:
        """The rendered picture as bytes or text (Jupyter's inline display goes through here)."""
        with graphviz_required():
            return super().pipe(*args, **kwargs)

    def render(self, *args: Any, **kwargs: Any) -> Any:
        """Render to a file and return its path."""
        with graphviz_required():
            return super().render(*args, **kwargs)


def save_svg(picture: graphviz.Digraph, path: str | os.PathLike[str]) -> FilePath:
    """Render `picture` to an SVG file at `path` (parent folders created) and return the path."""
    with graphviz_required():
        svg = picture.pipe(format="svg")
    target = FilePath(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(svg)
    return target


def canvas(rankdir: str, **graph: str) -> Picture:
    """An empty Picture laid out in direction `rankdir` (LR, RL, TB or BT), in the pictures' font."""
    if rankdir not in RANKDIRS:
        raise ValueError(f"rankdir must be one of {', '.join(RANKDIRS)}, got {rankdir!r}")
    size = f"{COLUMN_INCHES},1000"  # scaled down to the column's width, never up
    attributes = {"rankdir": rankdir, "fontname": FONT, "fontsize": "11", "size": size, **graph}
    picture = Picture(graph_attr=attributes)
    picture.attr("node", fontname=FONT, fontsize="11")
    picture.attr("edge", fontname=FONT, fontsize="10")
    return picture


def fmt(x: Scalar) -> str:
    """A number as a learner reads it: Fractions as 3/4, floats to 4 significant digits, sympy as is."""
    return f"{x:.4g}" if isinstance(x, float) else str(x)


def draw(
    out: Value,
    *,
    highlight: Value | Path | None = None,
    params: Collection[Value] = (),
    rankdir: str | None = None,
    show_local: bool = True,
    max_nodes: int = DEFAULT_MAX_NODES,
) -> Picture:
    """The graph `out` depends on: each Value a record (label | data | grad), each op a node.

    Each edge parent -> op carries the local derivative ∂node/∂parent (the factor of the impact) when
    `show_local`. Colours: leaves blue, `params` amber, `out` green. `highlight` a Value colours in
    red every path of impacts from it to `out` (their products sum to its grad); a Path from
    `impacts(out, wrt)` colours that path alone. `rankdir` None lays a shallow graph out left to
    right and a deep one top to bottom, so that it fits a notebook column.
    """
    order = topological_order(out)
    if len(order) > max_nodes:
        raise ValueError(
            f"the graph of {out!r} has {len(order)} Values, more than max_nodes={max_nodes}: draw a "
            "sub-graph instead (draw an intermediate node, such as one neuron's output, or a smaller "
            "input), or pass a larger max_nodes"
        )
    if rankdir is None:
        picture = canvas("LR") if _depth(order) <= LR_MAX_DEPTH else canvas("TB", ranksep="0.3")
    else:
        picture = canvas(rankdir)
    ids = {node: f"v{n}" for n, node in enumerate(order)}
    lit = _highlighted(out, highlight, ids)
    params = set(params)
    vertical = picture.graph_attr["rankdir"] in ("LR", "RL")
    for node in order:
        fill = OUTPUT if node is out else PARAMETER if node in params else LEAF if node.is_leaf() else "white"
        border = {"color": IMPACT, "penwidth": "2.5"} if node in lit.nodes else {}
        picture.node(
            ids[node], _record(node, vertical), shape="record", style="filled", fillcolor=fill, **border
        )
        if node.is_leaf():
            continue
        op = ids[node] + "op"
        picture.node(op, _wrap(node.op), shape="ellipse", fontsize="10", height="0.3", margin="0.04")
        picture.edge(op, ids[node], **_red(node in lit.nodes and node is not lit.start))
        for parent, local in zip(node.parents, node.local_grads):
            label = fmt(local) if show_local else ""
            picture.edge(ids[parent], op, label=_wrap(label), **_red((parent, node) in lit.edges))
    picture.attr(label=_legend(params, show_local, lit.caption), labelloc="b", labeljust="l")
    return picture


@dataclass(frozen=True)
class _Highlight:
    """What to colour red: the nodes and edges (parent, child) of the paths, where they start, a caption."""

    nodes: frozenset[Value] = frozenset()
    edges: frozenset[tuple[Value, Value]] = frozenset()
    start: Value | None = None
    caption: str = ""


def _highlighted(out: Value, highlight: Value | Path | None, ids: dict[Value, str]) -> _Highlight:
    """The paths of impacts to colour: all those of a Value, or one Path."""
    if highlight is None:
        return _Highlight()
    if isinstance(highlight, Path):
        nodes = highlight.nodes
        if nodes[-1] is not out or any(node not in ids for node in nodes):
            raise ValueError(
                "the path to highlight does not end at the output drawn: take it from impacts(out, wrt)"
            )
        caption = f"red: one path of impacts of {_name(nodes[0])}, product {fmt(highlight.product)}"
        return _Highlight(frozenset(nodes), frozenset(pairwise(nodes)), nodes[0], caption)
    if not isinstance(highlight, Value):
        raise TypeError(f"highlight must be a Value or a Path from impacts(), not {type(highlight).__name__}")
    if highlight not in ids:
        raise ValueError(f"{highlight!r} is not in the graph of the output: it has no path of impacts to it")
    paths = {highlight: 1}  # node -> the number of paths highlight -> node
    for node in ids:
        n = sum(paths.get(parent, 0) for parent in node.parents)
        if n:
            paths[node] = n
    edges = frozenset((parent, node) for node in paths for parent in node.parents if parent in paths)
    n, name = paths[out], _name(highlight)
    grad = fmt(highlight.grad)
    caption = (
        f"red: the {n} path{'s' if n > 1 else ''} of impacts of {name}; their products sum to its grad {grad}"
    )
    return _Highlight(frozenset(paths), edges, highlight, caption)


def _name(node: Value) -> str:
    """How the caption names a node."""
    return node.label or "the node"


def _depth(order: list[Value]) -> int:
    """The number of Values along the longest path of the graph (order: parents before children)."""
    depth: dict[Value, int] = {}
    for node in order:
        depth[node] = 1 + max((depth[parent] for parent in node.parents), default=0)
    return max(depth.values())


def _record(node: Value, vertical: bool) -> str:
    """The record label `label | data … | grad …`, its fields stacked top to bottom."""
    fields = [f"data {fmt(node.data)}", f"grad {fmt(node.grad)}"]
    if node.label:
        fields.insert(0, node.label)
    body = " | ".join(_wrap(field) for field in fields)
    return body if vertical else "{" + body + "}"


def _red(on: bool) -> dict[str, str]:
    """The attributes of a highlighted edge."""
    return {"color": IMPACT, "fontcolor": IMPACT, "penwidth": "2.5"} if on else {}


def _legend(params: Collection[Value], show_local: bool, caption: str) -> str:
    """The caption under the picture: what the colours and the edge labels mean."""
    kinds = "blue: leaf" + (", amber: parameter" if params else "") + ", green: output"
    return caption_label([kinds, "edge label: local derivative ∂node/∂parent" if show_local else "", caption])


def caption_label(lines: Collection[str]) -> str:
    """A picture's caption: the non-empty lines, each escaped and left-aligned, each shown as typed."""
    return "".join(_escape(line) + "\\l" for line in lines if line)


def _wrap(text: str) -> str:
    """Text escaped for a DOT label, broken into centred lines of at most LABEL_WIDTH characters."""
    lines = textwrap.wrap(_visible(text), LABEL_WIDTH, replace_whitespace=False, drop_whitespace=False)
    return "\\n".join(_escape(line) for line in lines)


def _visible(text: str) -> str:
    """Control characters (NUL, tab, newline…) as their Unicode pictures (␀, ␉, ␊): DOT cannot hold them."""
    return "".join(chr(0x2400 + ord(c)) if ord(c) < 32 else "␡" if c == "\x7f" else c for c in text)


def _escape(text: str) -> str:
    """Text safe inside a DOT record or label: control characters shown, backslashes and `{}|<>` escaped."""
    text = _visible(text)
    for char in "\\{}|<>":
        text = text.replace(char, "\\" + char)
    return text
