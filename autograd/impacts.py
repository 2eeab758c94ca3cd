"""The paths of impacts from one node to the output: each path's product, and their sum, the gradient."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import reduce
from operator import mul
from typing import Any

from autograd.backward import topological_order
from autograd.scalars import Scalar, number_text
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
