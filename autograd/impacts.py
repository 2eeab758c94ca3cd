"""The paths of impacts from one node to the output: each path's product, and their sum, the gradient."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import reduce
from operator import mul
from typing import Any

from autograd.backward import topological_order
from autograd.kinds import Scalar, number_text
from autograd.value import Value

DEFAULT_LIMIT = 10_000


@dataclass(frozen=True, eq=False)
class Path:
    """One path of impacts wrt -> … -> out: its nodes, the local derivative of each edge, their product."""

    nodes: tuple[Value, ...]
    factors: tuple[Scalar, ...]

    @property
    def product(self) -> Scalar:
        """The impact of this path: the product of its local derivatives (chain rule)."""
        return reduce(mul, self.factors, 1)

    def __str__(self) -> str:
        names = " -> ".join(_name(node) for node in self.nodes)
        factors = " · ".join(number_text(f) for f in self.factors) or "1"
        return f"{names}: {factors} = {number_text(self.product)}"


def count_paths(out: Value, wrt: Value) -> int:
    """The number of paths of impacts from `wrt` to `out`, counted in linear time."""
    return _paths_from(wrt, topological_order(out)).get(out, 0)


def impacts(out: Value, wrt: Value, limit: int = DEFAULT_LIMIT) -> list[Path]:
    """Every path of impacts from `wrt` to `out`; the sum of their products is ∂out/∂wrt."""
    counts = _paths_from(wrt, topological_order(out))
    total = counts.get(out, 0)
    if total > limit:
        raise ValueError(
            f"{total} paths of impacts lead from {wrt!r} to the output, more than limit={limit}: "
            "pass a larger limit, or choose a node nearer the output"
        )
    return list(_enumerate(out, wrt, counts))


def _paths_from(wrt: Value, order: list[Value]) -> dict[Value, int]:
    """For each node of `order` (parents first) reached from `wrt`, the number of paths to it."""
    counts = {wrt: 1}
    for node in order:
        n = sum(counts.get(parent, 0) for parent in node.parents)
        if n:
            counts[node] = n
    return counts


def _enumerate(out: Value, wrt: Value, counts: dict[Value, int]) -> Iterator[Path]:
    """Walk from the output back to `wrt` through the nodes that lead there (no recursion)."""
    Link = tuple[Value, Any, Any]  # (node, factor of the edge to its child, the link of the child)
    stack: list[Link] = [(out, None, None)]
    while stack:
        link = stack.pop()
        node = link[0]
        if node is wrt:
            yield _path(link)
            continue
        for parent, local in zip(node.parents, node.local_grads):
            if parent in counts:
                stack.append((parent, local, link))


def _path(link: Any) -> Path:
    """The path read along the links from `wrt` to the output."""
    nodes: list[Value] = []
    factors: list[Scalar] = []
    while link is not None:
        node, factor, link = link
        nodes.append(node)
        if link is not None:
            factors.append(factor)
    return Path(tuple(nodes), tuple(factors))


def _name(node: Value) -> str:
    return node.label or node.op or number_text(node.data)


# -- explain: the gradient as the sum of its paths' products, in words and in LaTeX --------------

NAME_LIMIT = 24  # a node's name longer than this becomes its index, v7
_INFIX = {"+": " + ", "-": " - ", "*": "·", "/": " / ", "**": "^"}


def node_names(order: list[Value]) -> dict[Value, str]:
    """A name for each node of `order`: its label, else the expression of its parents' names (w·x + b)."""
    names: dict[Value, str] = {}
    for k, node in enumerate(order):
        if node.label:
            names[node] = node.label
            continue
        if node.is_leaf():
            names[node] = _number(node.data) if not node.op else f"v{k}"
            continue
        name = expression(node, names)
        names[node] = name if len(name) <= NAME_LIMIT else f"v{k}"
    return names


def expression(node: Value, names: dict[Value, str]) -> str:
    """The op of `node` written with its operands' names: w·x, a + b (+ c for a sum), x^2, relu(o²)."""
    shown = [_grouped(names[v]) if isinstance(v, Value) else _number(v) for v in operands(node)]
    if node.op == "sum":
        return " + ".join(shown)
    if node.op in _INFIX and len(shown) == 2:
        return _INFIX[node.op].join(shown)
    if node.op == "neg":
        return "-" + shown[0]
    return f"{node.op}({names[node.parents[0]]})"


def operands(node: Value) -> list[Any]:
    """The operands of the op that made `node`, in order, as the node keeps them: its parents and the
    constants it took (the 1.0 of x + 1.0, the 2 of 2 / x, the 3 of x ** 3, leaky_relu's slope)."""
    x = node._x
    if type(x) is tuple:  # sum, max: the terms
        return list(x)
    if node._op is None or node._op.arity == 1:
        return list(node.parents)
    return [x, node._y]


def local_name(child: Value, k: int, names: dict[Value, str]) -> str:
    """∂child/∂(its parent k) in symbols: ±1 for +, sum and -, the other factor for ·, n·x^(n-1), f'(x)."""
    parent, local = child.parents[k], child.local_grads[k]
    args = operands(child)
    by_constant = child.op == "*" and len(child.parents) == 1  # x·c or c·x: the local derivative is c
    if child.op in ("+", "sum", "-", "neg") or by_constant:
        return _number(local)
    if child.op == "*" and len(child.parents) == 2:
        return _grouped(names[child.parents[1 - k]])
    if child.op == "**" and len(child.parents) == 1 and not isinstance(args[1], Value):  # x ** n
        n, x = args[1], _grouped(names[parent])
        return f"{_number(n)}·{x}" if n - 1 == 1 else f"{_number(n)}·{x}^{_number(n - 1)}"
    if child.op not in _INFIX:
        return f"{child.op}'({names[parent]})"
    return f"∂{_grouped(names[child])}/∂{_grouped(names[parent])}"


@dataclass(frozen=True)
class Term:
    """`count` paths of impacts with the same factors: their symbols, their numbers, one path's product."""

    count: int
    symbols: tuple[str, ...]
    numbers: tuple[Scalar, ...]
    product: Scalar


@dataclass(frozen=True)
class Explanation:
    """∂out/∂wrt = Σ over the paths of impacts of the product of their local derivatives (chain rule).

    `str()` gives text for a terminal, `_repr_latex_()` LaTeX for Jupyter; repeated paths are collapsed
    into one term with a count, factors equal to 1 are left out.
    """

    out: str
    wrt: str
    terms: tuple[Term, ...]
    total: Scalar

    def lines(self) -> list[str]:
        """Three lines: the symbols, the numbers, the sum."""
        lhs = f"∂{self.out}/∂{self.wrt}"
        pad = " " * len(lhs)
        symbols = " + ".join(_term(t.count, t.symbols) for t in self.terms) or "0  (no path of impacts)"
        numbers = " + ".join(_term(t.count, tuple(map(_operand, t.numbers))) for t in self.terms) or "0"
        return [f"{lhs} = {symbols}", f"{pad} = {numbers}", f"{pad} = {_number(self.total)}"]

    def __str__(self) -> str:
        return "\n".join(self.lines())

    def _repr_latex_(self) -> str:
        """The same three lines as a LaTeX align (Jupyter renders it with MathJax)."""
        symbols = " + ".join(_term(t.count, t.symbols) for t in self.terms) or "0"
        numbers = " + ".join(_term(t.count, tuple(map(_operand, t.numbers))) for t in self.terms) or "0"
        lhs = rf"\frac{{\partial\, {_latex(self.out)}}}{{\partial\, {_latex(self.wrt)}}}"
        total = _latex(_number(self.total))
        rows = [rf"{lhs} &= {_latex(symbols)}", rf"&= {_latex(numbers)}", rf"&= {total}"]
        return "$$\\begin{aligned}" + r" \\ ".join(rows) + "\\end{aligned}$$"


def explain(out: Value, wrt: Value, limit: int = DEFAULT_LIMIT) -> Explanation:
    """∂out/∂wrt as the sum over the paths of impacts of the products of their local derivatives."""
    if not isinstance(out, Value) or not isinstance(wrt, Value):
        bad = out if not isinstance(out, Value) else wrt
        raise TypeError(f"explain(out, wrt) takes two Values, not {type(bad).__name__}")
    order = topological_order(out)
    names = node_names(order)
    if wrt not in names:
        names[wrt] = wrt.label or _number(wrt.data)
    terms: dict[tuple[str, ...], list[Any]] = {}
    for path in impacts(out, wrt, limit):
        symbols, numbers = [], []
        for parent, child, factor in zip(path.nodes, path.nodes[1:], path.factors):
            k = next(i for i, p in enumerate(child.parents) if p is parent)
            symbol = local_name(child, k, names)
            if symbol != "1":
                symbols.append(symbol)
                numbers.append(factor)
        key = tuple(symbols)
        if key in terms:
            terms[key][0] += 1
        else:
            terms[key] = [1, tuple(numbers), path.product]
    made = tuple(Term(n, key, numbers, product) for key, (n, numbers, product) in terms.items())
    total = sum((t.count * t.product for t in made), start=0 * wrt.data)
    return Explanation(names[out], names[wrt], made, total)


def _term(count: int, factors: tuple[str, ...]) -> str:
    """One term: count · f1 · f2 …, negative numbers in parentheses."""
    shown = [f"({f})" if f.startswith("-") else f for f in factors] or ["1"]
    return " · ".join(([str(count)] if count > 1 else []) + shown)


def _grouped(name: str) -> str:
    """A name in parentheses when it is a sum or difference, so that a product reads right."""
    return f"({name})" if " " in name else name


def _number(x: Scalar) -> str:
    """A number as a learner reads it: Fractions as 3/4, floats to 4 significant digits, sympy as is."""
    return f"{x:.4g}" if isinstance(x, float) else str(x)


def _operand(x: Scalar) -> str:
    """A number as a factor of a product: a symbolic sum in parentheses."""
    text = _number(x)
    return f"({text})" if " " in text else text


def _latex(text: str) -> str:
    """Text of names and numbers as LaTeX: · as \\cdot, ∂ as \\partial, names upright."""
    return text.replace("·", r" \cdot ").replace("∂", r"\partial ").replace("_", r"\_")
