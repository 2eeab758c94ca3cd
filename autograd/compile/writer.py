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
from typing import Any

from autograd.backward import topological_order
from autograd.compile import levels
from autograd.compile.compiled import NAMESPACE, Compiled
from autograd.compile.forms import Form, form
from autograd.compile.fuse import fused
from autograd.compile.lines import (
    Line,
    Term,
    constant_impact,
    impact,
    picked_impact,
    readable,
    slot,
    sum_lines,
)
from autograd.compile.names import Namer, identifier
from autograd.kinds import Scalar, kind_of
from autograd.rules import MAX, OPS, SUM
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


class Writer:
    """Writes the code of one graph: names, forward lines, backward lines, return."""

    def __init__(self, output: Value, inputs: list[Value], keep: list[Value]) -> None:
        self.output, self.inputs, self.keep = output, inputs, keep
        self.order = topological_order(output)
        in_graph = set(self.order)
        for i, v in enumerate(keep):
            if v not in in_graph:
                raise ValueError(f"keep[{i}] is not in the graph under output: its value would never change")
        self.live = live = set(inputs)  # the nodes whose value depends on an input
        for node in self.order:
            if node not in live and any(v in live for v in node.parents):
                live.add(node)
        self.constants: dict[str, Scalar] = {}  # name -> the constant, bound in the code's namespace
        self.constant_names: dict[Any, str] = {}  # (type, constant) -> its name: one name per constant
        self.namer = Namer(NAMESPACE)
        self.names: dict[Value, str] = {}
        for i, x in enumerate(inputs):
            self.names[x] = self.namer.fresh(identifier(x.label) or f"x{i}")
        for n, node in enumerate(self.order):
            if node in live and node not in self.names:
                name = identifier(node.label) or (OPS.get(node.op) is not node._op and identifier(node.op))
                self.names[node] = self.namer.fresh(name or f"v{n}")  # a user's op: named after it

    def compiled(self) -> Compiled:
        """The Compiled of this graph: readable source, fast code, guarded code."""
        interior = [node for node in self.order if node in self.live and not node.is_leaf()]
        forward = [line for node in interior for line in self.forward(node)]
        backward = self.backward()
        result = Line("", "", [])
        result_text = self.operand(self.output, result)
        returned = []  # each input's δ (zero where the output does not depend on it), then the kept values
        for x in self.inputs:
            if x in self.delta:
                result.args.append(self.delta[x])
            returned.append(slot(len(result.args) - 1) if x in self.delta else "zero")
        returned += [self.operand(v, result) for v in self.keep]
        result.text = f"{result_text}, [{', '.join(returned)}]"
        params = [self.names[x] for x in self.inputs]
        source = readable(params, forward, backward, result)
        texts = fused(params, forward, backward, result)
        del forward, backward  # before Python compiles the code: memory stays linear and small
        plan = levels.plan(self.order, self.live, self.inputs, self.output, self.keep)  # for array calls
        return Compiled(source, texts, self.constants, len(self.inputs), kind_of(self.output.data), plan)

    def operand(self, v: Any, line: Line) -> str:
        """The text of an operand in `line`: a field for a live node (added to its args), else a constant:
        a float written as Python writes it, anything else a name bound to the constant itself."""
        if isinstance(v, Value):
            if v in self.live:
                line.args.append(self.names[v])
                return slot(len(line.args) - 1)
            v = v.data
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

    def fill(self, form: Form, node: Value, line: Line, out: str = "") -> tuple[str, str, str, str, str]:
        """The texts (readable, fast, floats, gate in fast, gate in floats) of `form` applied to node's
        operands, their fields added to `line`."""
        texts, needs = {"x": "", "y": "", "out": ""}, []
        both = form.fields
        for name, v in (("x", node._x), ("y", node._y)):
            if name in both and v is not None:
                before = len(line.args)
                texts[name] = self.operand(v, line)
                needs += [form.needs.get(name, 3)] * (len(line.args) - before)
        if "out" in both:
            line.args.append(out)
            texts["out"] = slot(len(line.args) - 1)
            needs.append(3)
        line.needs += needs
        fast = form.fast.format(**texts)
        floats = fast if form.floats == form.fast else form.floats.format(**texts)
        if not form.gates[0]:
            return form.text.format(**texts), fast, floats, "", ""
        gate, floats_gate = form.gates
        return form.text.format(**texts), fast, floats, gate.format(**texts), floats_gate.format(**texts)

    def forward(self, node: Value) -> list[Line]:
        """`name = forward formula` for an interior node (a sum: its terms joined by +, left to right)."""
        if type(node._x) is tuple:
            if node._op is MAX:
                return [self.terms_call("max", node, self.names[node])]
            if node._op is not SUM:
                raise ValueError(f"compile does not replay op {node.op!r} yet: its graph is traced eagerly")
            terms = []
            for v in node._x:
                line = Line("", "", [])
                text = self.operand(v, line)
                terms.append(Term(text, text, text, text, line.args, 3, 3))
            return sum_lines(self.names[node], terms)
        value = form(node._op, "forward")
        assert value is not None  # every op has a value
        line = Line(self.names[node], "", [], value.precedence)
        line.text, line.fast, line.floats, *_ = self.fill(value, node, line)
        return [line]

    def terms_call(self, function: str, node: Value, target: str) -> Line:
        """`target = function((t1, t2, ...))`: a kind's function of a max node's terms (max, first_max),
        which follows the values of each call."""
        line = Line(target, "", [], 3)
        texts = [self.operand(v, line) for v in node._x]
        line.needs = [0] * len(line.args)
        line.text = f"{function}(({', '.join(texts)}{',' if len(texts) == 1 else ''}))"
        return line

    def backward(self) -> list[Line]:
        """The δ of every live node, children before parents, each the sum of its children's impacts."""
        self.delta: dict[Value, str] = {}
        impacts: dict[Value, list[Term]] = {}  # parent -> its children's impacts
        lines: list[Line] = []
        if self.output in self.live:
            self.delta[self.output] = name = "δ" + self.names[self.output]
            lines.append(Line(name, "seed", []))
        for node in reversed(self.order):
            if node not in self.live:
                continue
            if node is not self.output:
                terms = impacts.get(node, [])
                if len(terms) == 1 and terms[0].text == "{0}" and node.label is None:
                    self.delta[node] = terms[0].args[0]  # passes its δ on unchanged: share the name
                else:
                    self.delta[node] = name = "δ" + self.names[node]
                    lines += sum_lines(name, terms)
            if node.is_leaf():
                continue
            x, delta = node._x, self.delta[node]
            if node._op is MAX:  # ∂max/∂term: 1 for the first maximum at this call's values, else 0
                locals_name = self.namer.fresh(self.names[node] + "_d")
                lines.append(self.terms_call("first_max", node, locals_name))
                for j, v in enumerate(x):
                    if isinstance(v, Value) and v in self.live:
                        impacts.setdefault(v, []).append(picked_impact(delta, locals_name, j))
                continue
            pairs = [(v, "dx") for v in x] if type(x) is tuple else [(x, "dx"), (node._y, "dy")]
            for v, part in pairs:
                local = form(node._op, part)
                if isinstance(v, Value) and v in self.live and local is not None:
                    if local.fields:
                        line = Line("", "", [delta], needs=[0])
                        term = impact(*self.fill(local, node, line, self.names[node]), local, line)
                    else:  # a constant factor (a term of a sum, an operand of +): no field to fill
                        term = constant_impact(local).of(delta)
                    impacts.setdefault(v, []).append(term)
        return lines

