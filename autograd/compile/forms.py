"""A rule's formula as code: the text compile writes for an op's value and local derivatives.

`form(op, part)` is the one place the code of an op comes from: the op's rule functions traced over a
kind whose data is text (`autograd.formulas`), parsed, with x, y and out as fields to fill with names,
and versions in which the kinds' small functions are written inline (a Python call costs more than the
arithmetic). A user's `Op` is traced the same way as a built-in.
"""

from __future__ import annotations

import ast
import copy
import inspect
import textwrap
from dataclasses import dataclass
from functools import cache
from types import FunctionType
from typing import Any

from autograd.formulas import formulas
from autograd.kinds import ExactKind, FloatKind, Kind
from autograd.rules import Op


@dataclass(frozen=True, eq=False)
class Form:
    """A formula as code: `text` with fields {x} {y} {out}, its precedence, what each field needs (one
    Form per formula, see `_parse`: compared and hashed as itself)."""

    text: str
    fast: str  # the same with the small functions of the numeric kinds written inline (step, sign)
    floats: str  # `fast` where every value is a float: type(x)(0) is 0.0, so relu is inline too
    precedence: int  # of `fast` and `floats`: 3: an atom (name, call), 2: * /, 1: + -, 0: anything else
    needs: dict[str, int]  # field -> the least precedence a text put there in `fast` or `floats` needs
    atom: bool  # whether `text` needs no parentheses as a factor
    gates: tuple[str, str]  # for a factor `0 if test else 1` (relu's step): the test (fast, floats)
    fields: frozenset[str]  # the fields any of the texts uses: x, y, out


def form(op: Op | None, part: str) -> Form | None:
    """The code of one part of an op ("forward", "dx" or "dy"); None where there is no such part (a leaf
    has none, an op of one operand no dy)."""
    if op is None:
        return None
    formula = _formulas(op)[("forward", "dx", "dy").index(part)]
    return None if formula is None else _parse(formula)


@cache
def _formulas(op: Op) -> tuple[str, str, str | None]:
    """The texts of an op's rule, traced once per op (`autograd.formulas`): a user's op as a built-in.

    A text runs only if it is arithmetic on x, y, out, numbers and calls of the kind's declared
    functions (`k.exp(x)`): anything else a rule could smuggle in is refused, naming the op.
    """
    try:
        texts = formulas(op)
    except Exception as error:  # a user's rule that branches on its data, or fails on a traced operand
        raise TypeError(
            f"compile cannot trace op {op.name!r}: a rule may use + - * / ** and k's functions, "
            f"not Python branches on the data ({type(error).__name__}: {error})"
        ) from None
    for text in texts:
        if text is not None and not _arithmetic(ast.parse(text, mode="eval").body):
            raise TypeError(f"compile cannot trace op {op.name!r}: not arithmetic on x, y, out")
    return texts


_NODES = (ast.BinOp, ast.UnaryOp, ast.Load, ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow, ast.USub, ast.UAdd)


def _arithmetic(tree: ast.AST) -> bool:
    """Whether a formula's tree is only + - * / **, numbers, x, y, out and calls k.f(...) of declared f."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            if node.keywords or not isinstance(node.func, ast.Attribute):
                return False
        elif isinstance(node, ast.Attribute):
            if not (isinstance(node.value, ast.Name) and node.value.id == "k"):
                return False
            if node.attr not in Kind.__abstractmethods__:
                return False
        elif isinstance(node, ast.Name):
            if node.id not in ("x", "y", "out", "k", "inf", "nan"):
                return False
        elif isinstance(node, ast.Constant):
            if type(node.value) not in (int, float):
                return False
        elif not isinstance(node, _NODES):
            return False
    return True


@cache
def _parse(formula: str) -> Form:
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
    return Form(_code(tree), _code(fast), _code(floats), precedence, needs, _precedence(tree.body) == 3,
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


