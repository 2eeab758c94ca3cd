"""The lines of generated code: a statement per node (`z = W0 * o0 + B`, `δo = δz * W0`), their shapes,
and the readable function they make.

A line is a target, a shape and the names it reads (`args`). The shape is the line's text with fields
{0}, {1}, ... for those names, in each version of the code: the readable source and the code that runs
(fast, floats, guarded). Lines of one form share one shape (δw = δz * o for every weight of a layer), so
a shape's texts are written once per graph, not once per node; a line becomes text only at the end, once
per version it is asked for, with the names it finally reads (nodes' names, or registers).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from autograd.compile.forms import Form

Fields = tuple[str, str, str]  # the texts of a formula's fields x, y, out: "{k}" for a name, or a constant's
TERMS_PER_LINE = 32  # a longer sum of impacts continues on the next line (δa = δa + ...)


@dataclass(frozen=True, eq=False, slots=True)
class Shape:
    """A line's text with fields {0}, {1}, ... in each version, its precedence and what each field needs."""

    readable: str  # the readable source's text (a line written inside another: its fast text)
    fast: str  # the text that runs on any numbers (small functions inline)
    floats: str  # the text that runs where every value is a float
    guarded: str  # the text that runs with each impact guarded (an exact 0 local passes nothing)
    precedence: int  # of the texts that run: 3 an atom (name, call), 2 * /, 1 + -, 0 anything else
    needs: tuple[int, ...]  # per field: the least precedence a text written there needs unbracketed

    def text(self, version: str) -> str:
        """The text of one version: "readable", "fast", "floats" or "guarded"."""
        text: str = getattr(self, version)
        return text


def plain(text: str, precedence: int, needs: tuple[int, ...] = ()) -> Shape:
    """A shape with the same text in every version."""
    return Shape(text, text, text, text, precedence, needs)


@dataclass(slots=True)
class Line:
    """A statement `target = shape` reading `args`; `depth`: how many lines are written inside one
    another in it (see autograd.compile.fuse), 1 for a line alone."""

    target: str
    shape: Shape
    args: list[str]
    depth: int = 1

    def render(self, version: str = "readable") -> str:
        """The statement in one version, its fields filled with its args."""
        return f"{self.target} = {self.shape.text(version).format(*self.args)}"


Term = tuple[Shape, list[str]]  # a term of a sum: its shape and the names it reads (an impact: {0} is δchild)


@cache
def slot(k: int) -> str:
    """The format field of argument k: {k}."""
    return "{" + str(k) + "}"


class Shapes:
    """The shapes of one graph's lines, each made once: every line of one form shares its shape.

    A shape is found by what makes it: the rule's form and its fields' texts (a field {k} for a node, a
    constant's text), or the shapes summed, or the shapes written inside another.
    """

    def __init__(self) -> None:
        self.made: dict[tuple[Any, ...], Shape] = {}

    def _find(self, make: Callable[..., Shape], *args: Any) -> Shape:
        """make(*args), made once per graph."""
        key = (make, *args)
        shape = self.made.get(key)
        if shape is None:
            shape = self.made[key] = make(*args)
        return shape

    def value(self, form: Form, fields: Fields, needs: tuple[int, ...]) -> Shape:
        """A node's value: the rule's form with its fields x, y, out filled in; `needs` per arg."""
        return self._find(_value, form, fields, needs)

    def impact(self, form: Form, fields: Fields, n_args: int) -> Shape:
        """δchild · ∂child/∂parent, {0} being δchild and the local derivative `form` with its fields x,
        y, out filled in: simplified where the factor is ±1, and written `zero if test else δchild` where
        the factor is `0 if test else 1` (a zero factor passes nothing)."""
        return self._find(_impact, form, fields, n_args)

    def call(self, function: str, texts: tuple[str, ...], n_args: int) -> Shape:
        """`function((t1, t2, ...))`: a kind's function of a max node's terms (max, first_max), which
        follows the values of each call; the terms' texts a field {k} for a node, or a constant's text."""
        return self._find(_call, function, texts, n_args)

    def picked(self, j: int) -> Shape:
        """δchild · local[j], the local derivative of term j of a max node ({1} is the tuple of locals)."""
        return self._find(_picked, j)

    def sum(self, terms: tuple[Shape, ...], continued: bool) -> Shape:
        """`t1 + t2 + ...` of the terms' shapes (`continued`: after the sum so far, name = name + ...)."""
        return self._find(_sum, terms, continued)

    def inlined(self, shape: Shape, subs: tuple[Shape | None, ...]) -> Shape:
        """`shape` with the shapes `subs` written in place of its fields (None: the field stays a name)."""
        return self._find(_inlined, shape, subs)


def _value(form: Form, fields: Fields, needs: tuple[int, ...]) -> Shape:
    """The shape of a node's value."""
    x, y, out = fields
    readable, fast, floats = (text.format(x=x, y=y, out=out) for text in (form.text, form.fast, form.floats))
    return Shape(readable, fast, floats, fast, form.precedence, needs)


def _call(function: str, texts: tuple[str, ...], n_args: int) -> Shape:
    """The shape of a call of a kind's function on a tuple of terms."""
    return plain(f"{function}(({', '.join(texts)}{',' if len(texts) == 1 else ''}))", 3, (0,) * n_args)


def _picked(j: int) -> Shape:
    """The shape of δchild · local[j]; guarded: an exact 0 passes nothing, as the engine does."""
    text = f"{{0}} * {{1}}[{j}]"
    return Shape(text, text, text, f"({text} if {{1}}[{j}] else zero)", 2, (2, 3))


def _impact(form: Form, fields: Fields, n_args: int) -> Shape:
    """The shape of δchild · local ({0} is δchild, then the n_args - 1 values the local reads)."""
    x, y, out = fields
    value_needs = (3,) * (n_args - 1)
    local, fast, floats = (text.format(x=x, y=y, out=out) for text in (form.text, form.fast, form.floats))
    if local in ("1", "-1"):
        return plain("{0}" if local == "1" else "-{0}", 3 if local == "1" else 2, (0 if local == "1" else 3,))
    readable = f"{{0}} * {local if form.atom else f'({local})'}"
    if form.gates[0]:  # the else branch of a conditional: {0} needs no brackets there
        gate, floats_gate = (text.format(x=x, y=y, out=out) for text in form.gates)
        fast = f"zero if {gate} else {{0}}"
        return Shape(readable, fast, f"0.0 if {floats_gate} else {{0}}", fast, 0, (0, *value_needs))
    fast, floats = (f"{{0}} * {t if form.precedence == 3 else f'({t})'}" for t in (fast, floats))
    factor = fast[len("{0} * ") :]
    return Shape(readable, fast, floats, f"({fast} if {factor} else zero)", 2, (2, *value_needs))


def _sum(terms: tuple[Shape, ...], continued: bool) -> Shape:
    """The shape of a sum of terms, each term's fields numbered after the fields before it."""
    single = len(terms) == 1 and not continued  # the line is this one term
    texts: tuple[list[str], ...] = (["{0}"], ["{0}"], ["{0}"], ["{0}"]) if continued else ([], [], [], [])
    needs = [1] if continued else []
    for term in terms:
        first = not texts[0]
        fields = [slot(len(needs) + k) for k in range(len(term.needs))]
        versions = [term.readable.format(*fields)]
        for version in (term.fast, term.floats, term.guarded):
            text = version.format(*fields)
            versions.append(f"({text})" if not single and term.precedence < 2 else text)  # a conditional
        for out, text in zip(texts, versions):
            out.append(text)
        if term.needs:  # δchild, then the values it reads (a constant term: none)
            need = (0 if single else 1 if first else 2) if term.readable == "{0}" else term.needs[0]
            needs += [need, *term.needs[1:]]
    readable, fast, floats = (" + ".join(t).replace(" + -", " - ") for t in texts[:3])
    precedence = terms[0].precedence if single else 1
    return Shape(readable, fast, floats, " + ".join(texts[3]), precedence, tuple(needs))


def _inlined(shape: Shape, subs: tuple[Shape | None, ...]) -> Shape:
    """The shape of a line with the lines it reads once written inside (bracketed where they need it)."""
    fields: list[tuple[str, str, str]] = []  # per field of `shape`: its text in each version that runs
    needs: list[int] = []
    precedence = shape.precedence
    for need, sub in zip(shape.needs, subs):
        if sub is None:
            field = slot(len(needs))
            fields.append((field, field, field))
            needs.append(need)
            continue
        inner = [slot(len(needs) + j) for j in range(len(sub.needs))]
        texts = (sub.fast.format(*inner), sub.floats.format(*inner), sub.guarded.format(*inner))
        fields.append(tuple(f"({t})" for t in texts) if sub.precedence < need else texts)  # type: ignore[arg-type]
        needs += sub.needs
        if shape.fast == "{0}":  # δnode = δchild: the line is the child's δ
            precedence = sub.precedence
    versions = (shape.fast, shape.floats, shape.guarded)
    fast, floats, guarded = (text.format(*(f[i] for f in fields)) for i, text in enumerate(versions))
    return Shape(fast, fast, floats, guarded, precedence, tuple(needs))


def sum_lines(shapes: Shapes, name: str, terms: Sequence[Term]) -> list[Line]:
    """`name = t1 + t2 + ...`, continued on further lines (`name = name + ...`) past TERMS_PER_LINE."""
    if not terms:
        return [Line(name, ZERO, [])]
    lines = []
    for start in range(0, len(terms), TERMS_PER_LINE):
        chunk = terms[start : start + TERMS_PER_LINE]
        args = [name] if start else []
        for _, reads in chunk:
            args += reads
        lines.append(Line(name, shapes.sum(tuple([shape for shape, _ in chunk]), bool(start)), args))
    return lines


ZERO = plain("zero", 3)  # a δ no impact reaches
SEED = plain("seed", 0)  # the output's δ: the seed of the call
NAME = plain("{0}", 3, (3,))  # a term of a sum: the name of a node


def readable(params: list[str], forward: list[Line], backward: list[Line], result: Line) -> str:
    """The readable function `compiled(values, seed)`: every node under its own name, one line each."""
    lines = ["def compiled(values, seed):"]
    if params:
        lines.append(f"    {', '.join(params)}, = values")
    lines.append("    # information flow: one line per node")
    lines += ["    " + line.render() for line in forward]
    lines.append("    # learning flow: δn = ∂output/∂n = Σ δc · ∂c/∂n, the impacts of n's children c")
    lines += ["    " + line.render() for line in backward]
    lines.append("    return " + result.shape.readable.format(*result.args))
    return "\n".join(lines) + "\n"
