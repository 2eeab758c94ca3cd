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
from autograd.groups import Group, Groups
from autograd.impacts import Path
from autograd.kinds import Scalar
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
CLUSTER = "#f1f5f9"  # the box of a group: the nodes one neuron or layer made
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
    groups: Groups | None = None,
    collapse: bool | Collection[str] = False,
) -> Picture:
    """The graph `out` depends on: each Value a record (label | data | grad), each op a node.

    Each edge parent -> op carries the local derivative ∂node/∂parent (the factor of the impact) when
    `show_local`. Colours: leaves blue, `params` amber, `out` green. `highlight` a Value colours in
    red every path of impacts from it to `out` (their products sum to its grad); a Path from
    `impacts(out, wrt)` colours that path alone. `rankdir` None lays a shallow graph out left to
    right and a deep one top to bottom, so that it fits a notebook column (a collapsed one: left to right).

    `groups` from `record_groups()` draws the nodes each neuron or layer made inside a box (a
    Graphviz cluster); `collapse=True` draws each innermost group (a neuron) as one box instead of its
    nodes, `collapse={"Linear(16→16)"}` the groups of those names (a whole layer), and max_nodes then
    counts the boxes.
    """
    if not isinstance(out, Value):
        raise TypeError(f"draw takes a Value (its graph is drawn), not {type(out).__name__}; layers: nn.draw")
    for i, p in enumerate(params):
        if not isinstance(p, Value):
            raise TypeError(f"draw's params must be Values: params[{i}] is a {type(p).__name__}")
    order = topological_order(out)
    if collapse:
        return draw_collapsed(out, order, _require_groups(groups), collapse, rankdir or "LR", max_nodes)
    if len(order) > max_nodes:
        raise ValueError(
            f"the graph of {out!r} has {len(order)} Values, more than max_nodes={max_nodes}: draw a "
            "sub-graph instead (draw an intermediate node, such as one neuron's output, or a smaller "
            "input), draw it collapsed (record_groups(), then groups=..., collapse=True), or pass a "
            "larger max_nodes"
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
    if groups is not None:
        members = cluster_members({node: [ids[node], ids[node] + "op"] for node in order}, groups)
        add_clusters(picture, members)
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


# -- clusters: the nodes one neuron or layer made, boxed or collapsed -------------------------------


def add_clusters(picture: graphviz.Digraph, members: dict[Group, list[str]]) -> None:
    """Put the DOT nodes `members[g]` inside a cluster for each group g, nested as the groups are."""
    children: dict[Group | None, list[Group]] = {}
    for group in members:
        path = group.path()
        for outer, inner in zip((None, *path), path):
            if inner not in children.setdefault(outer, []):
                children[outer].append(inner)

    def emit(graph: graphviz.Digraph, group: Group) -> None:
        with graph.subgraph(name=f"cluster_g{group.serial}") as box:
            box.attr(label=_escape(group.name), style="rounded,filled", fillcolor=CLUSTER, color="#94a3b8")
            for name in members.get(group, []):
                box.node(name)
            for inner in children.get(group, []):
                emit(box, inner)

    for top in children.get(None, []):
        emit(picture, top)


def cluster_members(ids: dict[Value, list[str]], groups: Groups) -> dict[Group, list[str]]:
    """The DOT nodes of each group: `ids[v]` for every Value v whose innermost group it is."""
    members: dict[Group, list[str]] = {}
    for node, names in ids.items():
        group = groups.get(node)
        if group is not None:
            members.setdefault(group, []).extend(names)
    return members


def draw_collapsed(
    out: Value,
    order: list[Value],
    groups: Groups,
    collapse: bool | Collection[str],
    rankdir: str,
    max_nodes: int,
) -> Picture:
    """Groups drawn as one box each (name, node count, and its output's data and grad, or the number of
    its outputs), the other nodes as records; `collapse` True collapses every innermost group, a
    collection of names those groups."""
    names = None if isinstance(collapse, bool) else _collapse_names(collapse, groups)
    picture = canvas(rankdir)
    box_of: dict[Value, str] = {}
    boxes: dict[str, list[Value]] = {}
    shut: dict[str, Group] = {}  # box -> the group it collapses
    for n, node in enumerate(order):
        group = _collapsed(groups.get(node), names)
        box_of[node] = f"g{group.serial}" if group is not None else f"v{n}"
        boxes.setdefault(box_of[node], []).append(node)
        if group is not None:
            shut[box_of[node]] = group
    if len(boxes) > max_nodes:
        raise ValueError(
            f"the graph of {out!r} collapses to {len(boxes)} boxes, more than max_nodes={max_nodes}: "
            "collapse bigger groups (a layer), draw a sub-graph, or pass a larger max_nodes"
        )
    links = [(p, node) for node in order for p in node.parents if box_of[p] != box_of[node]]
    exits = {p for p, _ in links} | {out}  # the nodes that a box passes on
    around: dict[Group, list[str]] = {}  # each box inside the cluster of the group around it
    for name, nodes in boxes.items():
        last = nodes[-1]  # the group's output, in topological order
        group = shut.get(name)
        leaf_fill = LEAF if last.is_leaf() else "white"
        fill = OUTPUT if last is out else CLUSTER if group is not None else leaf_fill
        title = f"{group.name} ({len(nodes)} nodes)" if group is not None else (last.label or last.op or "")
        outputs = [v for v in nodes if v in exits]
        fields = [title, f"data {fmt(last.data)}", f"grad {fmt(last.grad)}"]
        if len(outputs) > 1:
            fields[1:] = [f"{len(outputs)} outputs"]
        body = " | ".join(_escape(field) for field in fields if field)
        body = body if rankdir in ("LR", "RL") else "{" + body + "}"
        picture.node(name, body, shape="record", style="filled", fillcolor=fill)
        container = group.parent if group is not None else groups.get(last)
        if container is not None:
            around.setdefault(container, []).append(name)
    for tail, head in sorted({(box_of[p], box_of[node]) for p, node in links}):
        picture.edge(tail, head)
    add_clusters(picture, around)
    caption = _escape("grey box: a group (neuron or layer) drawn as one, with its output's data and grad")
    picture.attr(label=caption + "\\l", labelloc="b", labeljust="l")
    return picture


def _collapse_names(collapse: Collection[str], groups: Groups) -> set[str]:
    """The names of the groups to collapse, each checked against the groups recorded."""
    if isinstance(collapse, str) or not all(isinstance(name, str) for name in collapse):
        raise TypeError(f"collapse must be True or a collection of group names, not {collapse!r}")
    known = {g.name for group in set(groups.of.values()) for g in group.path()}
    unknown = sorted(set(collapse) - known)
    if unknown:
        raise ValueError(f"no group is named {', '.join(map(repr, unknown))}: the groups are {sorted(known)}")
    return set(collapse)


def _collapsed(group: Group | None, names: set[str] | None) -> Group | None:
    """The group a node's box stands for: its innermost (names None), or its outermost named in `names`."""
    if group is None or names is None:
        return group
    return next((g for g in group.path() if g.name in names), None)


def _require_groups(groups: object) -> Groups:
    """collapse=True needs the groups recorded with record_groups()."""
    if not isinstance(groups, Groups):
        raise TypeError(
            "collapse=True needs groups=... from `with record_groups() as groups:` around the forward pass, "
            f"not {type(groups).__name__}"
        )
    return groups
