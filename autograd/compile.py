"""compile(): trace a graph once, replay it fast; `source` is the code the chain rule writes.

The trace writes straight-line Python from the rules' formulas (`autograd.rules`): the information
flow, one line per node (`h = relu(z)`, a sum's terms joined by +: `z = p1 + p2 + b`), then the
learning flow, one line per node that takes a gradient, written as the sum of its impacts: δnode = Σ
over its children c of δc · ∂c/∂node. A node that passes its δ on unchanged (a term of a sum, an
operand of `+`) shares the name of that δ, so for a Linear layer the lines read as the series'
boxed formulas: δw = δ · o and δo = Σ_j δ_j · w_j.
"""

from __future__ import annotations

import ast
import builtins
import copy
import gc
import inspect
import itertools
import keyword
import math
import textwrap
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cache
from types import FunctionType
from typing import Any

from autograd.backward import topological_order
from autograd.formulas import formulas
from autograd.kinds import ExactKind, FloatKind, Scalar, SymbolicKind, coerce, kind_of
from autograd.rules import SUM, Op
from autograd.value import Value

TERMS_PER_LINE = 32  # a longer sum of impacts continues on the next line (δa = δa + ...)
LINES_PER_FUNCTION = 15_000  # a bigger graph is split into functions of this many lines (chunks), each
# compiled on its own: Python's compiler needs memory in proportion to the code it compiles at once
VERSIONS = ("fast", "floats", "guarded")  # of the code that runs: any numbers, all floats, impacts guarded


class Compiled:
    """A traced graph: `compiled(values)` returns (output, [∂output/∂input, ...]) at new input values.

    `source` is the generated Python; only the graph's structure is frozen, so data-dependent
    branches (relu, abs, ...) follow the new values, as an eager rebuild of the graph would.
    """

    def __init__(
        self,
        source: str,
        texts: dict[str, list[str]],
        constants: dict[str, Scalar],
        n_inputs: int,
        kind: Any,
    ) -> None:
        self.source = source
        self.n_inputs = n_inputs
        self._constants = constants
        self._kind = kind
        self._texts = texts  # "fast", "guarded", "floats": pieces of code, each compiled on its own
        first = "floats" if kind is FloatKind else "fast"  # the version calls will run: compiled now
        self._codes = {first: [builtins.compile(text, "<compiled>", "exec") for text in texts[first]]}
        self._runs: dict[tuple[Any, str], Any] = {}

    def __call__(self, values: Sequence[Scalar], grad_output: Scalar = 1) -> tuple[Scalar, list[Scalar]]:
        """(output, gradients) at `values`, one number per input in order; no Value changes."""
        data = self._check(values)
        kind = kind_of(data[0]) if data else self._kind
        seed = 1.0 if type(grad_output) is int and kind is FloatKind else grad_output
        floats = kind is self._kind is FloatKind and type(seed) is float  # then every value is a float
        floats = floats and all(type(v) is float for v in data)
        out, grads = self._run(kind, "floats" if floats else "fast")(data, seed)
        if any(g != g for g in grads):  # a NaN: perhaps 0 · inf, where the engine passes nothing
            out, grads = self._run(kind, "guarded")(data, seed)
        return out, grads

    def _check(self, values: Sequence[Scalar]) -> list[Scalar]:
        """The values as data (ints become floats), or a clear error that names the culprit."""
        if isinstance(values, (str, bytes)) or not isinstance(values, Sequence):
            raise TypeError(f"compiled(values) takes a sequence of numbers, not {type(values).__name__}")
        if len(values) != self.n_inputs:
            raise ValueError(
                f"compiled(values) expects {self.n_inputs} values (one per input), got {len(values)}"
            )
        data = list(values)
        for i, v in enumerate(data):
            if type(v) is not float:
                if isinstance(v, (Value, bool)):
                    raise TypeError(f"value {i} is a {type(v).__name__}: pass numbers (v.data)")
                try:
                    data[i] = coerce(v)
                except TypeError:
                    raise TypeError(f"value {i} is a {type(v).__name__}, not a number") from None
        return data

    def _run(self, kind: Any, version: str) -> Any:
        """The generated function for this kind of data, in one version: "fast" (any number), "floats"
        (every value a float: relu written inline), or "guarded" (every impact guarded)."""
        if kind not in (FloatKind, ExactKind):
            version = "source"  # symbolic data: the readable source, which calls the kind's functions
        run = self._runs.get((kind, version))
        if run is None:
            codes = self._codes.get(version)
            if codes is None:
                texts = [self.source] if version == "source" else self._texts[version]
                codes = [builtins.compile(text, "<compiled>", "exec") for text in texts]
                self._codes[version] = codes
            namespace = {**_kind_namespace(kind), **self._constants}
            for code in codes:
                exec(code, namespace)  # the code _Writer wrote from the rules
            run = self._runs[(kind, version)] = namespace["compiled"]
        return run


def compile(output: Value, inputs: Sequence[Value]) -> Compiled:
    """Trace the graph under `output`; `inputs` are the leaves whose values may change (others are baked)."""
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
    paused = gc.isenabled()  # the writer makes no reference cycles, but millions of small objects that
    gc.disable()  # the cyclic collector would walk again and again (a quarter of the time of a big graph)
    try:
        return _Writer(output, list(inputs)).compiled()
    finally:
        if paused:
            gc.enable()


@dataclass(frozen=True)
class _Form:
    """A formula as code: `text` with fields {x} {y} {out}, its precedence, what each field needs."""

    text: str
    fast: str  # the same with the small functions of the numeric kinds written inline (step, sign)
    floats: str  # `fast` where every value is a float: type(x)(0) is 0.0, so relu is inline too
    precedence: int  # of `fast` and `floats`: 3: an atom (name, call), 2: * /, 1: + -, 0: anything else
    needs: dict[str, int]  # field -> the least precedence a text put there in `fast` or `floats` needs
    atom: bool  # whether `text` needs no parentheses as a factor
    gates: tuple[str, str]  # for a factor `0 if test else 1` (relu's step): the test (fast, floats)
    fields: frozenset[str]  # the fields any of the texts uses: x, y, out


@dataclass(slots=True)
class _Line:
    """A statement `target = text`: the variable names it reads are `args`, written {0}, {1}... in text."""

    target: str
    text: str
    args: list[str]
    precedence: int = 0
    needs: list[int] = field(default_factory=list)  # per arg: the least precedence it needs unbracketed
    fast: str = ""  # the text that runs (small functions inline), where it differs
    floats: str = ""  # `fast` where every value is a float, where it differs
    guarded: str = ""  # `fast` with each impact guarded (an exact 0 local passes nothing)

    def version(self, name: str) -> str:
        """The text of one version: "fast", "floats" or "guarded" (where not set: fast's, or text's)."""
        fast = self.fast or self.text
        return fast if name == "fast" else (self.floats or fast) if name == "floats" else self.guarded or fast

    def render(self, names: Sequence[str]) -> str:
        """The statement with its arguments named."""
        return f"{self.target} = {self.text}".format(*names)


class _Writer:
    """Writes the code of one graph: names, forward lines, backward lines, return."""

    def __init__(self, output: Value, inputs: list[Value]) -> None:
        self.output, self.inputs = output, inputs
        self.order = topological_order(output)
        self.live = live = set(inputs)  # the nodes whose value depends on an input
        for node in self.order:
            if node not in live and any(v in live for v in node.parents):
                live.add(node)
        self.constants: dict[str, Scalar] = {}
        self.constant_names: dict[str, str] = {}  # a constant's text -> its name (one name per value)
        self.preamble: list[str] = []
        self.names: dict[Value, str] = {}
        used = set(_RESERVED)
        for i, x in enumerate(inputs):
            self.names[x] = _fresh(_identifier(x.label) or f"x{i}", used)
        for n, node in enumerate(self.order):
            if node in live and node not in self.names:
                self.names[node] = _fresh(_identifier(node.label) or f"v{n}", used)

    def compiled(self) -> Compiled:
        """The Compiled of this graph: readable source, fast code, guarded code."""
        interior = [node for node in self.order if node in self.live and not node.is_leaf()]
        forward = [line for node in interior for line in self.forward(node)]
        backward = self.backward()
        result = _Line("", "", [])
        result_text = self.operand(self.output, result)
        grads = [self.delta.get(x, "") for x in self.inputs]
        for d in grads:
            if d:
                result.args.append(d)
        fields = iter(_field(k) for k in range(1, len(result.args)))
        result.text = f"{result_text}, [{', '.join(next(fields) if d else 'zero' for d in grads)}]"
        params = [self.names[x] for x in self.inputs]
        source = "\n".join([*self.preamble, _function(params, forward, backward, result)])
        texts = _fast(params, forward, backward, result)
        del forward, backward  # before Python compiles the code: memory stays linear and small
        return Compiled(source, texts, self.constants, len(self.inputs), kind_of(self.output.data))

    def operand(self, v: Any, line: _Line) -> str:
        """The text of an operand in `line`: a field for a live node (added to its args), else a constant."""
        if isinstance(v, Value):
            if v in self.live:
                line.args.append(self.names[v])
                return _field(len(line.args) - 1)
            v = v.data
        if type(v) in (float, int):
            if v != v or v in (math.inf, -math.inf):
                return "nan" if v != v else "inf" if v > 0 else "(-inf)"
            return repr(v) if v >= 0 else f"({v!r})"
        text = str(v)
        if isinstance(v, Fraction):  # not an int: 1 / 1 would be a float
            fraction = (v.numerator,) if v.denominator == 1 else (v.numerator, v.denominator)
            text = f"Fraction{fraction}".replace(",)", ")")
        name = self.constant_names.get(text)
        if name is None:
            name = self.constant_names[text] = f"c{len(self.constants)}"
            self.constants[name] = v
            self.preamble.append(f"{name} = {text}")
        return name

    def fill(self, form: _Form, node: Value, line: _Line, out: str = "") -> tuple[str, str, str, str, str]:
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
            texts["out"] = _field(len(line.args) - 1)
            needs.append(3)
        line.needs += needs
        fast = form.fast.format(**texts)
        floats = fast if form.floats == form.fast else form.floats.format(**texts)
        if not form.gates[0]:
            return form.text.format(**texts), fast, floats, "", ""
        gate, floats_gate = form.gates
        return form.text.format(**texts), fast, floats, gate.format(**texts), floats_gate.format(**texts)

    def forward(self, node: Value) -> list[_Line]:
        """`name = forward formula` for an interior node (a sum: its terms joined by +, left to right)."""
        if type(node._x) is tuple:
            if node._op is not SUM:
                raise ValueError(f"compile does not replay op {node.op!r} yet: its graph is traced eagerly")
            terms = []
            for v in node._x:
                line = _Line("", "", [])
                text = self.operand(v, line)
                terms.append(_Term(text, text, text, text, line.args, 3, 3))
            return _sum_lines(self.names[node], terms)
        form = _form(_formulas(node._op)[0])
        line = _Line(self.names[node], "", [], form.precedence)
        line.text, line.fast, line.floats, *_ = self.fill(form, node, line)
        return [line]

    def backward(self) -> list[_Line]:
        """The δ of every live node, children before parents, each the sum of its children's impacts."""
        self.delta: dict[Value, str] = {}
        impacts: dict[Value, list[_Term]] = {}  # parent -> its children's impacts
        lines: list[_Line] = []
        if self.output in self.live:
            self.delta[self.output] = name = "δ" + self.names[self.output]
            lines.append(_Line(name, "seed", []))
        for node in reversed(self.order):
            if node not in self.live:
                continue
            if node is not self.output:
                terms = impacts.get(node, [])
                if len(terms) == 1 and terms[0].text == "{0}" and node.label is None:
                    self.delta[node] = terms[0].args[0]  # passes its δ on unchanged: share the name
                else:
                    self.delta[node] = name = "δ" + self.names[node]
                    lines += _sum_lines(name, terms)
            if node.is_leaf():
                continue
            _, dx, dy = _formulas(node._op)
            x = node._x
            pairs = [(v, "1") for v in x] if type(x) is tuple else [(x, dx), (node._y, dy)]
            for v, formula in pairs:
                if isinstance(v, Value) and v in self.live and formula is not None:
                    line = _Line("", "", [self.delta[node]], needs=[0])
                    texts = self.fill(_form(formula), node, line, self.names[node])
                    impacts.setdefault(v, []).append(_impact(*texts, _form(formula), line))
        return lines


@cache
def _formulas(op: Op | None) -> tuple[str, str, str | None]:
    """The texts of an op's rule (autograd._generate.formulas), once per op."""
    assert op is not None  # leaves have no rule
    return formulas(op)


@cache
def _field(k: int) -> str:
    """The format field of argument k: {k}."""
    return "{" + str(k) + "}"


@dataclass(slots=True)
class _Term:
    """An impact δchild · ∂child/∂parent in each version, {0} for δchild; its args, their needs."""

    text: str
    fast: str
    floats: str
    guarded: str
    args: list[str]  # args[0] is δchild, the others are values of the information flow
    need: int  # the least precedence δchild needs unbracketed in the term (a value is a name: 3)
    precedence: int  # of the term's fast texts


def _impact(
    local: str, fast: str, floats: str, gate: str, floats_gate: str, form: _Form, line: _Line
) -> _Term:
    """δchild · ∂child/∂parent ({0} is δchild), simplified where the factor is ±1, and written
    `zero if test else δchild` where the factor is `0 if test else 1` (a zero factor passes nothing)."""
    if local in ("1", "-1"):
        text = "{0}" if local == "1" else "-{0}"
        return _Term(text, text, text, text, line.args, 0 if local == "1" else 3, 3 if local == "1" else 2)
    readable = f"{{0}} * {local if form.atom else f'({local})'}"
    if gate:  # the else branch of a conditional: {0} needs no brackets there
        fast, floats = f"zero if {gate} else {{0}}", f"0.0 if {floats_gate} else {{0}}"
        return _Term(readable, fast, floats, fast, line.args, 0, 0)
    fast, floats = (f"{{0}} * {t if form.precedence == 3 else f'({t})'}" for t in (fast, floats))
    factor = fast[len("{0} * ") :]
    guarded = f"({fast} if {factor} else zero)"
    return _Term(readable, fast, floats, guarded, line.args, 2, 2)


def _sum_lines(name: str, terms: list[_Term]) -> list[_Line]:
    """`name = t1 + t2 + ...`, continued on further lines (`name = name + ...`) past TERMS_PER_LINE."""
    if not terms:
        return [_Line(name, "zero", [], 3)]
    lines = []
    for start in range(0, len(terms), TERMS_PER_LINE):
        chunk = terms[start : start + TERMS_PER_LINE]
        single = len(chunk) == 1 and not start  # the line is this one term
        line = _Line(name, "", [] if not start else [name], chunk[0].precedence if single else 1)
        line.needs = [] if not start else [1]
        texts: tuple[list[str], ...] = ([], [], [], []) if not start else (["{0}"], ["{0}"], ["{0}"], ["{0}"])
        for term in chunk:
            first = not texts[0]
            fields = [_field(len(line.args) + k) for k in range(len(term.args))]
            text = term.text.format(*fields)
            fast = text if term.fast == term.text else term.fast.format(*fields)
            floats = fast if term.floats == term.fast else term.floats.format(*fields)
            guarded = fast if term.guarded == term.fast else term.guarded.format(*fields)
            if not single and term.precedence < 2:  # a conditional among + terms
                fast, floats, guarded = f"({fast})", f"({floats})", f"({guarded})"
            for out, version in zip(texts, (text, fast, floats, guarded)):
                out.append(version)
            need = (0 if single else 1 if first else 2) if term.text == "{0}" else term.need  # δchild a term
            line.needs += [need, *[3] * (len(term.args) - 1)] if term.args else []  # a constant term: none
            line.args += term.args
        line.text, line.fast, line.floats = (" + ".join(t).replace(" + -", " - ") for t in texts[:3])
        line.guarded = " + ".join(texts[3])
        lines.append(line)
    return lines


def _function(params: list[str], forward: list[_Line], backward: list[_Line], result: _Line) -> str:
    """The readable function `compiled(values, seed)`: every node under its own name, one line each."""
    lines = ["def compiled(values, seed):"]
    if params:
        lines.append(f"    {', '.join(params)}, = values")
    lines.append("    # information flow: one line per node")
    lines += ["    " + line.render(line.args) for line in forward]
    lines.append("    # learning flow: δn = ∂output/∂n = Σ δc · ∂c/∂n, the impacts of n's children c")
    lines += ["    " + line.render(line.args) for line in backward]
    lines.append("    return " + result.text.format(*result.args))
    return "\n".join(lines) + "\n"


def _fast(
    params: list[str], forward: list[_Line], backward: list[_Line], result: _Line
) -> dict[str, list[str]]:
    """The same function, faster: single-use values written inline, variables reused.

    A node read once, by the forward line of another, whose value no derivative needs (the products
    and partial sums of a neuron) is written inside that line: z = W0 * o0 + W1 * o1 + B, in the same
    order of operations as the engine's; so is a δ read once, by the δ of another (δz = zero if z < 0
    else Σ_j δ_j · w_j). Then the variables are renamed to as few registers as their lifetimes allow,
    which keeps the frame small. Returns the pieces of code in each version: "fast" (any numbers),
    "floats" (every value a float) and "guarded" (every impact guarded, for the rare call that meets
    0 · inf).
    """
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
    inline: dict[str, _Line] = {}
    statements: list[_Line] = []
    for learning, line in [*((False, line) for line in forward), *((True, line) for line in backward)]:
        fused = _inlined(line, inline) if inline and not inline.keys().isdisjoint(line.args) else line
        once = uses.get(line.target) == 1 and writes[line.target] == 1 and line.target not in returned
        if once and (learning or read_forward.get(line.target) == 1):
            inline[line.target] = fused
        else:
            statements.append(fused)
    if len(statements) <= LINES_PER_FUNCTION:
        head, body, final = _allocate(statements, params, returned)
        header = [f"    {', '.join(head)}, = values"] if params else []
        end = "    return " + result.text.format(*(final[name] for name in result.args))
        start = "def compiled(values, seed):"
        return {v: ["\n".join([start, *header, *lines, end]) + "\n"] for v, lines in body.items()}
    return _chunked(params, statements, result)


def _inlined(line: _Line, inline: dict[str, _Line]) -> _Line:
    """`line` with the lines of `inline` it reads written in place of their names (and taken out)."""
    args: list[str] = []
    needs: list[int] = []
    fields: list[tuple[str, str, str]] = []  # per arg of `line`: its text in each version
    precedence = line.precedence
    for k, name in enumerate(line.args):
        need = line.needs[k] if k < len(line.needs) else 3
        sub = inline.pop(name, None)
        if sub is None:
            field = _field(len(args))
            fields.append((field, field, field))
            args.append(name)
            needs.append(need)
            continue
        sub_fields = [_field(len(args) + j) for j in range(len(sub.args))]
        fast, floats, guarded = (sub.version(v).format(*sub_fields) for v in VERSIONS)
        if sub.precedence < need:
            fast, floats, guarded = f"({fast})", f"({floats})", f"({guarded})"
        fields.append((fast, floats, guarded))
        args += sub.args
        needs += sub.needs
        if line.version("fast") == "{0}":  # δnode = δchild: the line is the child's δ
            precedence = sub.precedence
    fast, floats, guarded = (line.version(v).format(*(f[k] for f in fields)) for k, v in enumerate(VERSIONS))
    return _Line(line.target, "", args, precedence, needs, fast, floats, guarded)


def _chunked(params: list[str], statements: list[_Line], result: _Line) -> dict[str, list[str]]:
    """A big graph's code as functions of LINES_PER_FUNCTION lines, which pass values in a list `v`.

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
        loads: dict[str, None] = {}  # read before written here: loaded from v (an ordered set)
        for line in chunk:
            for name in line.args:
                if name not in written:
                    loads[name] = None
            written.add(line.target)
        stores = {name for name in written if last_chunk.get(name, -1) > c}
        for name in stores:
            slots.setdefault(name, len(slots))
        head, body, final = _allocate(chunk, list(loads), stores)
        start = [f"def chunk{c}(v, seed):", *(f"    {r} = v[{slots[name]}]" for r, name in zip(head, loads))]
        end = [f"    v[{slots[name]}] = {final[name]}" for name in sorted(stores, key=slots.__getitem__)]
        for v, lines in body.items():
            pieces[v].append("\n".join([*start, *lines, *end]) + "\n")
    text = ["def compiled(values, seed):"]
    text.append(f"    v = [*values, *[None] * {len(slots) - len(params)}]")
    text += [f"    chunk{c}(v, seed)" for c in range(len(chunks))]
    text.append("    return " + result.text.format(*(f"v[{slots[name]}]" for name in result.args)))
    main = "\n".join(text) + "\n"
    return {v: [*piece, main] for v, piece in pieces.items()}


def _allocate(
    statements: list[_Line], inputs: list[str], outputs: set[str]
) -> tuple[list[str], dict[str, list[str]], dict[str, str]]:
    """Rename variables to registers r0, r1, ..., each reused once its value is dead.

    Returns the registers of `inputs`, the renamed lines (in each version), and the registers of
    `outputs` at the end.
    """
    end = len(statements)
    last: dict[str, int] = {name: end for name in outputs}
    for k in range(end - 1, -1, -1):
        for name in statements[k].args:
            last.setdefault(name, k)
    free: list[str] = []
    registers: dict[str, str] = {}
    count = itertools.count()

    def register(name: str) -> str:
        registers[name] = free.pop() if free else f"r{next(count)}"
        return registers[name]

    head = [register(name) for name in inputs]
    body: dict[str, list[str]] = {v: [] for v in VERSIONS}
    for k, line in enumerate(statements):
        names = [registers[name] for name in line.args]
        for name in set(line.args):
            if last[name] == k:
                free.append(registers.pop(name))
        target = registers.get(line.target) or register(line.target)
        fast = line.version("fast")
        statement = f"    {target} = {fast.format(*names)}"
        for v, lines in body.items():
            text = line.version(v)
            lines.append(statement if text == fast else f"    {target} = {text.format(*names)}")
        if last.get(line.target, -1) <= k:
            free.append(registers.pop(line.target))
    return head, body, registers


@cache
def _form(formula: str) -> _Form:
    """A rule's formula as code: x, y, out as fields, `k.f` as the bare name f; and its fast version."""
    tree = ast.parse(formula, mode="eval")
    fast = _Inline().visit(copy.deepcopy(tree))
    floats = _Inline(floats=True).visit(copy.deepcopy(tree))
    needs: dict[str, int] = {}
    for parent in (*ast.walk(fast), *ast.walk(floats)):
        for child in ast.iter_child_nodes(parent):
            if isinstance(child, ast.Name) and child.id in ("x", "y", "out"):
                if isinstance(parent, ast.BinOp):
                    need = _precedence(parent) + (child is parent.right)
                elif isinstance(parent, ast.IfExp) and child is parent.orelse:
                    need = 0
                else:
                    need = 0 if isinstance(parent, (ast.Call, ast.Expression)) else 3
                needs[child.id] = max(needs.get(child.id, 0), need)
    gates = [
        _code(ast.Expression(body.test))
        for body in (fast.body, floats.body)
        if isinstance(body, ast.IfExp) and isinstance(body.body, ast.Constant) and body.body.value == 0
        and isinstance(body.orelse, ast.Constant) and body.orelse.value == 1
    ]
    precedence = min(_precedence(fast.body), _precedence(floats.body))
    names = {n.id for t in (tree, fast, floats) for n in ast.walk(t) if isinstance(n, ast.Name)}
    return _Form(_code(tree), _code(fast), _code(floats), precedence, needs, _precedence(tree.body) == 3,
                 (gates[0], gates[1]) if len(gates) == 2 else ("", ""), frozenset(names & {"x", "y", "out"}))


def _code(tree: ast.Expression) -> str:
    """The text of a formula's tree, with x, y and out as format fields and `k.f` as f."""

    class Fields(ast.NodeTransformer):
        def visit_Name(self, node: ast.Name) -> ast.AST:
            return ast.Name(f"__{node.id}__", ast.Load()) if node.id in ("x", "y", "out") else node

        def visit_Attribute(self, node: ast.Attribute) -> ast.AST:
            if isinstance(node.value, ast.Name) and node.value.id == "k":
                return ast.Name(node.attr, ast.Load())
            return self.generic_visit(node)

    text = ast.unparse(Fields().visit(copy.deepcopy(tree)))
    for name in ("x", "y", "out"):
        text = text.replace(f"__{name}__", "{" + name + "}")
    return text


class _Inline(ast.NodeTransformer):
    """Write `k.f(a, b)` as f's expression where f is one `return` of its parameters, the same function
    for floats and Fractions (step, sign): a Python call costs more than the arithmetic, above all
    from a function as big as a graph's. With `floats`, for code where every value is a float,
    `type(v)(0)` is 0.0 (relu is inline there too)."""

    def __init__(self, floats: bool = False) -> None:
        self.floats = floats

    def visit_Call(self, node: ast.Call) -> ast.AST:
        self.generic_visit(node)
        func = node.func
        if not (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)) or func.value.id != "k":
            return node
        found = _inlinable(func.attr, self.floats)
        if found is None or node.keywords:
            return node
        params, defaults, body = found
        missing = len(params) - len(node.args)
        args = [*node.args, *(ast.Constant(d) for d in defaults[len(defaults) - missing :] if missing)]
        if len(args) != len(params):
            return node
        uses = [sum(isinstance(n, ast.Name) and n.id == p for n in ast.walk(body)) for p in params]
        if any(u > 1 and not isinstance(a, (ast.Name, ast.Constant)) for u, a in zip(uses, args)):
            return node  # an expression argument read twice: keep the call
        bound = dict(zip(params, args))

        class Bind(ast.NodeTransformer):
            def visit_Name(self, name: ast.Name) -> ast.AST:
                return copy.deepcopy(bound[name.id]) if name.id in bound else name

        inlined: ast.AST = Bind().visit(copy.deepcopy(body))
        return inlined


class _Floats(ast.NodeTransformer):
    """Where every value is a float: `type(v)(c)` is the float c, and `v < 0` compares with 0.0 (the
    interpreter's fast comparison of two floats)."""

    def visit_Compare(self, node: ast.Compare) -> ast.AST:
        self.generic_visit(node)
        for k, right in enumerate(node.comparators):
            if isinstance(right, ast.Constant) and type(right.value) is int:
                node.comparators[k] = ast.Constant(float(right.value))
        return node

    def visit_Call(self, node: ast.Call) -> ast.AST:
        self.generic_visit(node)
        func = node.func
        if (
            isinstance(func, ast.Call) and isinstance(func.func, ast.Name) and func.func.id == "type"
            and len(node.args) == 1 and isinstance(node.args[0], ast.Constant) and not node.keywords
            and type(node.args[0].value) in (int, float)
        ):
            return ast.Constant(float(node.args[0].value))  # type: ignore[arg-type]
        return node


@cache
def _inlinable(name: str, floats: bool = False) -> tuple[list[str], tuple[Any, ...], ast.expr] | None:
    """(parameters, defaults, returned expression) of the kinds' function `name`, if it can be inlined
    (with `floats`: for code where every value is a float)."""
    function: object = getattr(FloatKind, name, None)
    if not isinstance(function, FunctionType) or id(function) != id(getattr(ExactKind, name, None)):
        return None  # only what floats and Fractions share (one code serves both)
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    except (OSError, TypeError, SyntaxError):
        return None
    definition = tree.body[0]
    if not isinstance(definition, ast.FunctionDef):
        return None
    body = [s for s in definition.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
    if len(body) != 1 or not isinstance(body[0], ast.Return) or body[0].value is None:
        return None
    params = [a.arg for a in definition.args.args]
    returned = _Floats().visit(body[0].value) if floats else body[0].value
    names = {n.id for n in ast.walk(returned) if isinstance(n, ast.Name)}
    if not names <= set(params) or definition.args.vararg or definition.args.kwonlyargs:
        return None
    return params, function.__defaults__ or (), returned


def _precedence(node: ast.AST) -> int:
    """3 for an atom (name, call, number), 2 for * and /, 1 for + and -, 0 for anything else."""
    if isinstance(node, (ast.Name, ast.Call)):
        return 3
    if isinstance(node, ast.Constant):
        return 0 if str(node.value).startswith("-") else 3
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Mult, ast.Div)):
        return 2
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub)):
        return 1
    return 0


@cache
def _kind_namespace(kind: Any) -> dict[str, Any]:
    """The names generated code calls: the kind's functions (relu, step, exp, ...), zero, inf, nan."""
    names = {name: getattr(kind, name) for name in dir(kind) if not name.startswith("_")}
    return {**names, "inf": math.inf, "nan": math.nan, "Fraction": Fraction}


_RESERVED = frozenset(
    {*keyword.kwlist, "values", "seed", "zero", "inf", "nan", "Fraction", "compiled", "abs"}
    | {name for kind in (FloatKind, ExactKind, SymbolicKind) for name in dir(kind) if name[0] != "_"}
)


def _identifier(label: str | None) -> str:
    """A Python name for a label: W[0][1] -> W_0_1, w²₁ -> w2_1; '' where nothing is left."""
    if not label:
        return ""
    out: list[str] = []
    for ch in label:
        if ch.isidentifier() or (out and ("_" + ch).isidentifier()):
            out.append(ch)
            continue
        plain = unicodedata.normalize("NFKC", ch)
        if plain.isdigit():
            out.append(("_" if "SUBSCRIPT" in unicodedata.name(ch, "") else "") + plain)
        else:
            out.append("_")
    name = "_".join(part for part in "".join(out).split("_") if part)
    if name and name[0].isdigit():
        name = "n" + name
    return name if name.isidentifier() else ""


def _fresh(name: str, used: set[str]) -> str:
    """`name`, or name_2, name_3, ... if taken; marked as taken."""
    candidate, n = name, 1
    while candidate in used or candidate.startswith("δ"):
        n += 1
        candidate = f"{name}_{n}"
    used.add(candidate)
    return candidate
