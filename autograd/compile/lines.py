"""The lines of generated code: a statement per node (`z = W0 * o0 + B`, `δo = δz * W0`), and the
readable function they make.

A line's text has fields {0}, {1}, ... for the names it reads (`args`), so the same line can be
written with the nodes' names (the readable source) or with registers (the code that runs).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache

from autograd.compile.forms import Form

TERMS_PER_LINE = 32  # a longer sum of impacts continues on the next line (δa = δa + ...)


@dataclass(slots=True)
class Line:
    """A statement `target = text`: the variable names it reads are `args`, written {0}, {1}... in text."""

    target: str
    text: str
    args: list[str]
    precedence: int = 0
    needs: list[int] = field(default_factory=list)  # per arg: the least precedence it needs unbracketed
    fast: str = ""  # the text that runs (small functions inline), where it differs
    floats: str = ""  # `fast` where every value is a float, where it differs
    guarded: str = ""  # `fast` with each impact guarded (an exact 0 local passes nothing)
    depth: int = 1  # lines written inside one another (see autograd.compile.fuse): 1 for a line alone

    def version(self, name: str) -> str:
        """The text of one version: "fast", "floats" or "guarded" (where not set: fast's, or text's)."""
        fast = self.fast or self.text
        return fast if name == "fast" else (self.floats or fast) if name == "floats" else self.guarded or fast

    def render(self, names: Sequence[str]) -> str:
        """The statement with its arguments named."""
        return f"{self.target} = {self.text}".format(*names)


@cache
def slot(k: int) -> str:
    """The format field of argument k: {k}."""
    return "{" + str(k) + "}"


@dataclass(slots=True)
class Term:
    """An impact δchild · ∂child/∂parent in each version, {0} for δchild; its args, their needs."""

    text: str
    fast: str
    floats: str
    guarded: str
    args: list[str]  # args[0] is δchild, the others are values of the information flow
    need: int  # the least precedence δchild needs unbracketed in the term (a value is a name: 3)
    precedence: int  # of the term's fast texts

    def of(self, delta: str) -> Term:
        """This impact of a constant factor, with `delta` as its δchild."""
        return Term(self.text, self.fast, self.floats, self.guarded, [delta], self.need, self.precedence)


def impact(
    local: str, fast: str, floats: str, gate: str, floats_gate: str, form: Form, line: Line
) -> Term:
    """δchild · ∂child/∂parent ({0} is δchild), simplified where the factor is ±1, and written
    `zero if test else δchild` where the factor is `0 if test else 1` (a zero factor passes nothing)."""
    if local in ("1", "-1"):
        text = "{0}" if local == "1" else "-{0}"
        return Term(text, text, text, text, line.args, 0 if local == "1" else 3, 3 if local == "1" else 2)
    readable = f"{{0}} * {local if form.atom else f'({local})'}"
    if gate:  # the else branch of a conditional: {0} needs no brackets there
        fast, floats = f"zero if {gate} else {{0}}", f"0.0 if {floats_gate} else {{0}}"
        return Term(readable, fast, floats, fast, line.args, 0, 0)
    fast, floats = (f"{{0}} * {t if form.precedence == 3 else f'({t})'}" for t in (fast, floats))
    factor = fast[len("{0} * ") :]
    guarded = f"({fast} if {factor} else zero)"
    return Term(readable, fast, floats, guarded, line.args, 2, 2)


def constant_impact(form: Form) -> Term:
    """δchild · a constant factor (a formula with no field), to be given its δchild by `Term.of`."""
    term = _CONSTANT_IMPACTS.get(form.text)
    if term is None:
        term = impact(form.text, form.fast, form.floats, *form.gates, form, Line("", "", []))
        _CONSTANT_IMPACTS[form.text] = term
    return term


_CONSTANT_IMPACTS: dict[str, Term] = {}  # a constant factor's text -> its impact


def picked_impact(delta: str, local: str, j: int) -> Term:
    """δchild · local[j], the local derivative of term j of a max node ({1} is the tuple of locals);
    guarded: an exact 0 passes nothing, as the engine does."""
    text = f"{{0}} * {{1}}[{j}]"
    return Term(text, text, text, f"({text} if {{1}}[{j}] else zero)", [delta, local], 2, 2)


def sum_lines(name: str, terms: list[Term]) -> list[Line]:
    """`name = t1 + t2 + ...`, continued on further lines (`name = name + ...`) past TERMS_PER_LINE."""
    if not terms:
        return [Line(name, "zero", [], 3)]
    lines = []
    for start in range(0, len(terms), TERMS_PER_LINE):
        chunk = terms[start : start + TERMS_PER_LINE]
        single = len(chunk) == 1 and not start  # the line is this one term
        line = Line(name, "", [] if not start else [name], chunk[0].precedence if single else 1)
        line.needs = [] if not start else [1]
        texts: tuple[list[str], ...] = ([], [], [], []) if not start else (["{0}"], ["{0}"], ["{0}"], ["{0}"])
        for term in chunk:
            first = not texts[0]
            fields = [slot(len(line.args) + k) for k in range(len(term.args))]
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


def readable(params: list[str], forward: list[Line], backward: list[Line], result: Line) -> str:
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

