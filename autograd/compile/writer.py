"""compile(): trace a graph once, write its code; the writer of the information and learning flows.

The trace writes straight-line Python from the rules' formulas (`autograd.compile.forms`): the
information flow, one line per node (`h = relu(z)`, a sum's terms joined by +: `z = p1 + p2 + b`), then
the learning flow, one line per node that takes a gradient, written as the sum of its impacts: δnode =
Σ over its children c of δc · ∂c/∂node. A node that passes its δ on unchanged (a term of a sum, an
operand of `+`) shares the name of that δ, so for a Linear layer the lines read as the series' boxed
formulas: δw = δ · o and δo = Σ_j δ_j · w_j.

Nothing a user controls is written into the code as it is: names come from labels only through
`autograd.compile.names`, and constants other than plain floats are bound by reference in the code's
namespace (c0, c1, ...). The graph is walked without recursion, one line per node.
"""

from __future__ import annotations

import gc
import math
from collections.abc import Sequence
from functools import partial
from typing import Any, NamedTuple

from autograd.backward import topological_order
from autograd.compile import levels
from autograd.compile.chunks import Code
from autograd.compile.compiled import NAMESPACE, Compiled
from autograd.compile.forms import Form, form
from autograd.compile.fuse import fused
from autograd.compile.lines import NAME, SEED, Fields, Line, Shape, Shapes, Term, plain, slot, sum_lines
from autograd.compile.names import Namer, identifier
from autograd.kinds import Scalar, kind_of
from autograd.rules import MAX, OPS, SUM, Op
from autograd.value import Value


def compile(output: Value, inputs: Sequence[Value], keep: Sequence[Value] = ()) -> Compiled:
    """Trace the graph under `output`; `inputs` are the leaves whose values may change (others are baked);
    the values of the `keep` nodes in the last call are `compiled.kept`."""
    if not isinstance(output, Value):
        raise TypeError(f"compile's output must be a Value, not {type(output).__name__}")
    if isinstance(inputs, Value) or not isinstance(inputs, Sequence):
        raise TypeError(f"compile's inputs must be a list of Values, not {type(inputs).__name__}")
    seen: set[Value] = set()
    for i, x in enumerate(inputs):
        if not isinstance(x, Value):
            raise TypeError(f"input {i} is a {type(x).__name__}, not a Value")
        if not x.is_leaf():
            raise ValueError(f"input {i} is not a leaf (op {x.op!r}): compile replays from leaves")
        if x in seen:
            raise ValueError(f"input {i} appears twice in inputs")
        seen.add(x)
    if isinstance(keep, Value) or not isinstance(keep, Sequence):
        raise TypeError(f"compile's keep must be a list of Values, not {type(keep).__name__}")
    for i, v in enumerate(keep):
        if not isinstance(v, Value):
            raise TypeError(f"keep[{i}] is a {type(v).__name__}, not a Value")
    paused = gc.isenabled()  # the writer makes no reference cycles, but millions of small objects that
    gc.disable()  # the cyclic collector would walk again and again (a quarter of the time of a big graph)
    try:
        return Writer(output, list(inputs), list(keep)).compiled()
    finally:
        if paused:
            gc.enable()


class NodePlan(NamedTuple):
    """The lines of an op's node, made once per kind of node: its value's shape and the names it reads
    (0: x, 1: y, 2: the node), and per live operand (0: x, 1: y) its impact's shape and the names it reads."""

    value: Shape
    reads: tuple[int, ...]
    impacts: tuple[tuple[int, Shape, tuple[int, ...]], ...]


class Writer:
    """Writes the code of one graph: names, forward lines, backward lines, return."""

    def __init__(self, output: Value, inputs: list[Value], keep: list[Value]) -> None:
        self.output, self.inputs, self.keep = output, inputs, keep
        self.order = topological_order(output)
        in_graph = set(self.order)
        for i, v in enumerate(keep):
            if v not in in_graph:
                raise ValueError(f"keep[{i}] is not in the graph under output: its value would never change")
        self.live = live = set(inputs)  # the nodes whose value depends on an input (found, named below)
        self.constants: dict[str, Scalar] = {}  # name -> the constant, bound in the code's namespace
        self.constant_names: dict[Any, str] = {}  # (type, constant) -> its name: one name per constant
        self.baked: dict[Value, Scalar] = {}  # a constant Value -> its data as compile saw it
        self.namer = Namer(NAMESPACE)
        self.names: dict[Value, str] = {}
        self.shapes = Shapes()
        self.plans: dict[tuple[Op | None, str, str | None], NodePlan] = {}  # (op, x, y) -> its plan
        self.plans_of: dict[Value, tuple[NodePlan, tuple[str, str, str]]] = {}  # op node -> its plan, names
        for i, x in enumerate(inputs):
            self.names[x] = self.namer.fresh(identifier(x.label) or f"x{i}")
        for n, node in enumerate(self.order):
            if node not in live and not live.isdisjoint(node.parents):
                live.add(node)
                name = identifier(node.label) or (OPS.get(node.op) is not node._op and identifier(node.op))
                self.names[node] = self.namer.fresh(name or f"v{n}")  # a user's op: named after it

    def compiled(self) -> Compiled:
        """The Compiled of this graph: the code that runs, and the readable source on demand."""
        forward: list[Line] = []
        for node in self.order:
            if node in self.live and not node.is_leaf():
                forward += self.forward(node)
        backward = self.backward()
        result = Line("", NAME, [])
        result_text = self.operand(self.output, result)
        returned = []  # each input's δ (zero where the output does not depend on it), then the kept values
        for x in self.inputs:
            if x in self.delta:
                result.args.append(self.delta[x])
            returned.append(slot(len(result.args) - 1) if x in self.delta else "zero")
        returned += [self.operand(v, result) for v in self.keep]
        result.shape = plain(f"{result_text}, [{', '.join(returned)}]", 0)
        params = [self.names[x] for x in self.inputs]
        pieces = fused(self.shapes, params, forward, backward, result)
        code = Code((params, forward, backward, result), pieces)
        plan = partial(levels.plan, self.order, self.live, self.inputs, self.output, self.keep, self.baked)
        return Compiled(code, self.constants, len(self.inputs), kind_of(self.output.data), plan)

    def operand(self, v: Any, line: Line) -> str:
        """The text of an operand in `line`: a field for a live node (added to its args), else the
        constant's text."""
        if isinstance(v, Value) and v in self.live:
            line.args.append(self.names[v])
            return slot(len(line.args) - 1)
        return self.constant(v)

    def constant(self, v: Any) -> str:
        """The text of a constant (a Value's data if a Value): a float written as Python writes it,
        anything else a name bound to the constant itself."""
        if isinstance(v, Value):
            self.baked[v] = v = v.data  # baked: array calls, planned later, use the same number
        if type(v) is float:
            if v != v or v in (math.inf, -math.inf):
                return "nan" if v != v else "inf" if v > 0 else "(-inf)"
            text = repr(v)
            return f"({text})" if text[0] == "-" else text
        try:
            key: Any = (type(v), v)
            name = self.constant_names.get(key)
        except TypeError:  # an unhashable constant: a name of its own
            key, name = None, None
        if name is None:
            name = self.namer.fresh(f"c{len(self.constants)}")
            self.constants[name] = v
            if key is not None:
                self.constant_names[key] = name
        return name

    def plan(self, node: Value) -> tuple[NodePlan, tuple[str, str, str]]:
        """The plan of an op node's lines, and the names its lines read: x's, y's (or "" for a constant)
        and the node's own."""
        x, y = node._x, node._y
        x_name = self.names[x] if isinstance(x, Value) and x in self.live else ""
        y_name = self.names[y] if isinstance(y, Value) and y in self.live else ""
        x_text = "" if x_name else self.constant(x)  # "" for a live node, else the constant's text
        y_text = None if y is None else "" if y_name else self.constant(y)  # None: no y
        key = (node._op, x_text, y_text)
        plan = self.plans.get(key)
        if plan is None:
            plan = self.plans[key] = self.make_plan(node._op, x_text, y_text)
        return plan, (x_name, y_name, self.names[node])

    def make_plan(self, op: Op | None, x: str, y: str | None) -> NodePlan:
        """The shapes of the lines of an op's node whose operands are x and y ("": a live node, None:
        none, else the constant's text), and which names each line reads (0: x, 1: y, 2: the node)."""
        parts = [form(op, part) for part in ("forward", "dx", "dy")]
        assert parts[0] is not None  # every op has a value
        fields, reads, needs = self.fields(parts[0], x, y, 0)
        value = self.shapes.value(parts[0], fields, needs)
        impacts = []
        for k, (operand, local) in enumerate(((x, parts[1]), (y, parts[2]))):
            if operand == "" and local is not None:
                fields, impact_reads, _ = self.fields(local, x, y, 1)
                impacts.append((k, self.shapes.impact(local, fields, 1 + len(impact_reads)), impact_reads))
        return NodePlan(value, reads, tuple(impacts))

    @staticmethod
    def fields(
        form: Form, x: str, y: str | None, first: int
    ) -> tuple[Fields, tuple[int, ...], tuple[int, ...]]:
        """The texts of form's fields x, y, out (a field {k} from {first} on for a live node, else the
        constant's text), which names fill them (0: x, 1: y, 2: the node), and what each needs."""
        texts, reads, needs = ["", "", ""], list[int](), list[int]()
        for k, (field, operand) in enumerate((("x", x), ("y", y), ("out", ""))):
            if field in form.fields and operand is not None:
                if operand == "":
                    texts[k] = slot(first + len(reads))
                    reads.append(k)
                    needs.append(form.needs.get(field, 3) if k < 2 else 3)
                else:
                    texts[k] = operand
        return (texts[0], texts[1], texts[2]), tuple(reads), tuple(needs)

    def forward(self, node: Value) -> list[Line]:
        """`name = forward formula` for an interior node (a sum: its terms joined by +, left to right)."""
        if type(node._x) is tuple:
            if node._op is MAX:
                return [self.terms_call("max", node, self.names[node])]
            if node._op is not SUM:
                raise ValueError(f"compile does not replay op {node.op!r} yet: its graph is traced eagerly")
            live, names = self.live, self.names
            terms = [
                (NAME, [names[v]]) if isinstance(v, Value) and v in live else (plain(self.constant(v), 3), [])
                for v in node._x
            ]
            return sum_lines(self.shapes, self.names[node], terms)
        plan, read = self.plans_of[node] = self.plan(node)
        return [Line(read[2], plan.value, list(map(read.__getitem__, plan.reads)))]

    def terms_call(self, function: str, node: Value, target: str) -> Line:
        """`target = function((t1, t2, ...))`: a kind's function of a max node's terms (max, first_max),
        which follows the values of each call."""
        line = Line(target, NAME, [])
        texts = tuple(self.operand(v, line) for v in node._x)
        line.shape = self.shapes.call(function, texts, len(line.args))
        return line

    def backward(self) -> list[Line]:
        """The δ of every live node, children before parents, each the sum of its children's impacts."""
        self.delta: dict[Value, str] = {}
        delta_of, live, names, output = self.delta, self.live, self.names, self.output
        impacts: dict[Value, list[Term]] = {}  # parent -> its children's impacts
        lines: list[Line] = []
        if output in live:
            delta_of[output] = name = "δ" + names[output]
            lines.append(Line(name, SEED, []))
        ones = form(SUM, "dx")  # a sum's local derivative: 1 for every term
        assert ones is not None and not ones.fields
        passed = self.shapes.impact(ones, ("", "", ""), 1)
        for node in reversed(self.order):
            if node not in live:
                continue
            if node is not output:
                terms = impacts.pop(node, [])
                if len(terms) == 1 and terms[0][0].readable == "{0}" and node.label is None:
                    delta_of[node] = terms[0][1][0]  # passes its δ on unchanged: share the name
                else:
                    delta_of[node] = name = "δ" + names[node]
                    lines += sum_lines(self.shapes, name, terms)
            x, delta = node._x, delta_of[node]
            planned = self.plans_of.get(node)
            if planned is not None:
                plan, read = planned
                for k, shape, reads in plan.impacts:
                    term = (shape, [delta, *map(read.__getitem__, reads)])
                    impacts.setdefault(node._y if k else x, []).append(term)
            elif node._op is SUM:
                term = (passed, [delta])
                for v in x:
                    if isinstance(v, Value) and v in live:
                        impacts.setdefault(v, []).append(term)
            elif node._op is MAX:  # ∂max/∂term: 1 for the first maximum at this call's values, else 0
                locals_name = self.namer.fresh(names[node] + "_d")
                lines.append(self.terms_call("first_max", node, locals_name))
                for j, v in enumerate(x):
                    if isinstance(v, Value) and v in live:
                        impacts.setdefault(v, []).append((self.shapes.picked(j), [delta, locals_name]))
        return lines
