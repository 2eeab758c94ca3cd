"""What the Explorer shows: each node's data in topological order, then each grad in reverse, with formulas.

`walkthrough(out, wrt)` computes it all once, as plain JSON (the widget's state and the saved page's):
the graph's SVG, and for each node its data, its grad, the forward formula (`w·x = 3 · 2 = 6`) and the
backward one (`δw = x · δ(w·x) = 2 · 6 = 12`). Gradients come from one `grad()` pass seeded with 1,
so no `.data` or `.grad` changes.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from autograd.backward import grad, topological_order
from autograd.draw import IMPACT, Picture, add_clusters, canvas, cluster_members, escape, graphviz_required
from autograd.groups import Groups
from autograd.impacts import (
    NAME_LIMIT,
    count_paths,
    explain,
    expression,
    local_name,
    node_names,
    operands,
    path_counts,
)
from autograd.kinds import Scalar
from autograd.notation import INFIX, number
from autograd.value import Value

if TYPE_CHECKING:
    from autograd.explore.widget import Explorer

MAX_NODES = 2000  # each node is two steps and one SVG record; past this the page gets slow
PATHS_SHOWN = 200  # the formula panel lists the paths of impacts of wrt up to this many


def explore(
    out: Value, wrt: Value | None = None, *, groups: Groups | None = None, quiz: bool = False
) -> Explorer:
    """A step-through Explorer of the graph of `out` (a Jupyter widget; `.save(path)` writes a page).

    With `wrt`, the paths of impacts of that node are highlighted and their products summed. Its output
    carries the finished graph as a static picture too (SVG and PNG), shown where widgets do not run.
    """
    try:
        from autograd.explore.widget import Explorer
    except ImportError as error:
        raise ImportError(
            f"explore() needs anywidget ({error}): pip install 'impactgrad[notebook]' (or anywidget)"
        ) from None
    state, picture = _walk(out, wrt, groups)
    return Explorer(graph=state, quiz=quiz, picture=picture)


def walkthrough(out: Value, wrt: Value | None = None, *, groups: Groups | None = None) -> dict[str, Any]:
    """The Explorer's state as JSON-ready data: nodes (data, grad, formulas), the paths of `wrt`, the SVG."""
    return _walk(out, wrt, groups)[0]


def _walk(out: Value, wrt: Value | None, groups: Groups | None) -> tuple[dict[str, Any], Picture]:
    """The state of walkthrough, and the picture of the finished graph its SVG is drawn from."""
    if not isinstance(out, Value):
        raise TypeError(f"explore() takes the Value to explore, not {type(out).__name__}")
    if wrt is not None and not isinstance(wrt, Value):
        raise TypeError(f"wrt must be a Value of the graph or None, not {type(wrt).__name__}")
    if groups is not None and not isinstance(groups, Groups):
        raise TypeError(f"groups must come from record_groups(), not {type(groups).__name__}")
    order = topological_order(out)
    if len(order) > MAX_NODES:
        raise ValueError(
            f"the graph of {out!r} has {len(order)} Values, more than the Explorer's {MAX_NODES}: explore "
            "a sub-graph (one neuron's output) or a smaller input; draw(..., collapse=True) pictures it"
        )
    index = {node: k for k, node in enumerate(order)}
    if wrt is not None and wrt not in index:
        raise ValueError(f"wrt={wrt!r} is not in the graph of the output: it has no path of impacts to it")
    grads = dict(zip(order, grad(out, order)))
    names = node_names(order)
    on_path = set() if wrt is None else set(path_counts(wrt, order))
    nodes = [
        {
            "name": names[node],
            "data": js_number(node.data),
            "grad": js_number(grads[node]),
            "shown": {"data": number(node.data), "grad": number(grads[node])},  # as the picture shows them
            "forward": forward_formula(node, names),
            "backward": backward_formula(node, out, names, grads, order, index),
            "path": node in on_path,
        }
        for node in order
    ]
    paths = ""
    if wrt is not None:
        n = count_paths(out, wrt)
        paths = str(explain(out, wrt)) if n <= PATHS_SHOWN else f"{n} paths of impacts (too many to list)"
    picture = _picture(order, grads, on_path, names, groups)
    state = {"nodes": nodes, "wrt": None if wrt is None else index[wrt], "paths": paths, "svg": _svg(picture)}
    return state, picture


def js_number(x: Scalar) -> str:
    """A float (or Fraction) as text that JavaScript's Number() reads back exactly: NaN, Infinity, 0.1."""
    try:
        f = float(x)
    except TypeError:  # a sympy expression with symbols
        return str(x)
    if math.isnan(f):
        return "NaN"
    if math.isinf(f):
        return "Infinity" if f > 0 else "-Infinity"
    return repr(f)


def forward_formula(node: Value, names: dict[Value, str]) -> str:
    """The op with its operands' numbers: `w·x = 3 · 2 = 6`; a leaf reads `x = 2`."""
    name = names[node]
    if node.is_leaf():
        return f"{name} = {number(node.data)}"
    numbers = [_paren(number(v.data if isinstance(v, Value) else v)) for v in operands(node)]
    if node.op == "sum":
        shown = " + ".join(numbers)
    elif node.op in INFIX and len(numbers) == 2:
        shown = f" {INFIX[node.op]} ".join(numbers)
    elif node.op == "neg":
        shown = f"-{numbers[0]}"
    else:
        shown = f"{node.op}({', '.join(numbers)})"
    lhs = f"{name} = {expression(node, names)}" if node.label else name
    return f"{lhs} = {shown} = {number(node.data)}"


def backward_formula(
    node: Value,
    out: Value,
    names: dict[Value, str],
    grads: dict[Value, Scalar],
    order: list[Value],
    index: dict[Value, int],
) -> str:
    """δnode = Σ over the children of ∂child/∂node · δchild, then numbers: `δw = x · δ(w·x) = 2 · 6 = 12`."""
    delta = _delta(names[node])
    if node is out:
        return f"{delta} = 1 (the seed: ∂{names[out]}/∂{names[out]})"
    symbols, numbers = [], []
    for child in order[index[node] + 1 :]:
        for k, parent in enumerate(child.parents):
            if parent is node:
                local = local_name(child, k, names)
                term = {"1": "", "-1": "-"}.get(local, f"{local} · ")
                symbols.append(term + _delta(names[child]))
                numbers.append(f"{_paren(number(child.local_grads[k]))} · {_paren(number(grads[child]))}")
    terms = " + ".join(symbols).replace(" + -", " - ")
    return f"{delta} = {terms} = {' + '.join(numbers)} = {number(grads[node])}"


def _title(node: Value, names: dict[Value, str]) -> str:
    """A record's title: its name, and for a labelled op how it was made (o³ = relu(o²), or o (+))."""
    if node.is_leaf() or not node.label:
        return names[node]
    made = expression(node, names)
    return f"{names[node]} = {made}" if len(made) <= NAME_LIMIT else f"{names[node]} ({node.op})"


def _delta(name: str) -> str:
    return f"δ{name}" if " " not in name and "·" not in name else f"δ({name})"


def _paren(number: str) -> str:
    """A number as an operand: negative numbers and symbolic sums in parentheses."""
    return f"({number})" if number.startswith("-") or " " in number else number


def _picture(
    order: list[Value],
    grads: dict[Value, Scalar],
    on_path: set[Value],
    names: dict[Value, str],
    groups: Groups | None,
) -> Picture:
    """The graph at a column's width: node k is a record `name | data | grad` with id nk; edges carry
    ∂child/∂parent."""
    picture = canvas("LR")
    ids = {node: f"n{k}" for k, node in enumerate(order)}
    for node in order:
        fields = [_title(node, names), f"data {number(node.data)}", f"grad {number(grads[node])}"]
        border = {"color": IMPACT, "penwidth": "2.5"} if node in on_path else {}
        body = " | ".join(map(escape, fields))
        picture.node(
            ids[node], body, id=ids[node], shape="record", style="filled", fillcolor="white", **border
        )
        for parent, local in zip(node.parents, node.local_grads):
            red = {"color": IMPACT, "fontcolor": IMPACT, "penwidth": "2"} if {parent, node} <= on_path else {}
            picture.edge(ids[parent], ids[node], label=escape(number(local)), **red)
    if groups is not None:
        add_clusters(picture, cluster_members({node: [ids[node]] for node in order}, groups))
    return picture


def _svg(picture: Picture) -> str:
    """The page's SVG at the picture's natural size: explorer.js scales a small graph, scrolls a big one."""
    natural = picture.copy()
    del natural.graph_attr["size"]
    with graphviz_required():
        svg: str = natural.pipe(format="svg", encoding="utf-8")
    return svg[svg.index("<svg") :]
