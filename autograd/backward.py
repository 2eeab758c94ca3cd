"""The backward pass: a topological order (iterative, no recursion) and the chain rule along it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from autograd import mode as _mode
from autograd.scalars import Scalar

if TYPE_CHECKING:
    from autograd.value import Value


def topological_order(root: Value) -> list[Value]:
    """Every node `root` depends on, each after all of its parents (root last); no recursion.

    Depth first with one stack of nodes: a node met for the first time is opened (pushed back, then
    its parents above it); met again, all its parents are placed, so it is placed. Nothing is
    allocated per node, so ordering a big graph triggers no garbage-collector pass.
    """
    order: list[Value] = []
    opened: set[Value] = set()
    placed: set[Value] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if node not in opened:
            opened.add(node)
            stack.append(node)
            x, y = node._x, node._y  # the parents (None where there is none)
            if x is not None and x not in opened:
                stack.append(x)
            if y is not None and y not in opened:
                stack.append(y)
        elif node not in placed:  # else a second copy of a node already placed
            placed.add(node)
            order.append(node)
    return order


def backward(root: Value, grad: Scalar = 1) -> None:
    """Seed ∂root/∂root = `grad`, then in reverse order add `local · node.grad` to each parent.

    Leaves accumulate across calls (until reset); interior nodes hold the learning flow of this
    call only.
    """
    order = topological_order(root)
    for node in order:
        if node._x is not None:  # interior: the flow of this call only
            node.grad = 0
    _propagate(order, root, grad)


def grad(output: Value, inputs: Sequence[Value], grad_output: Scalar = 1) -> list[Scalar]:
    """∂output/∂input for each input, without changing any `.grad` (0 for an input not used)."""
    order = topological_order(output)
    in_graph = set(order)
    nodes = order + [x for x in inputs if x not in in_graph]
    saved = [node.grad for node in nodes]
    try:
        for node in nodes:
            node.grad = 0
        _propagate(order, output, grad_output)
        return [x.grad for x in inputs]
    finally:
        for node, g in zip(nodes, saved):
            node.grad = g


def _propagate(order: list[Value], root: Value, seed: Scalar) -> None:
    """The chain rule: each node passes its grad to its parents, weighted by the local derivatives.

    An int seed stays an int for exact data and becomes a float for float data, so that a float
    graph whose local derivatives are all ±1 still ends with float grads.
    """
    if type(seed) is int and type(root.data) is float:
        seed = float(seed)
    root.grad += seed
    for node in reversed(order):
        x = node._x
        if x is not None:
            g = node.grad
            x.grad += node._dx * g
            y = node._y
            if y is not None:
                y.grad += node._dy * g
    if _mode.current().detect_anomaly:
        _check_gradients(order)


def _check_gradients(order: list[Value]) -> None:
    """Raise at the node nearest the output whose gradient is NaN (anomaly detection)."""
    for node in reversed(order):
        if _mode.is_nan(node.grad):
            raise FloatingPointError(f"backward produced a NaN gradient at {node!r} (op {node.op!r})")
