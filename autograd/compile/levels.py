"""Levels: a graph's nodes grouped for a batch of rows, so that a layer's neurons run as one numpy op.

Nodes at the same depth (the longest path from an input) with the same op, the same number of terms and
the same operands that are nodes are one group: a Linear layer's products w_ji · o_i are one group,
its sums z_j another, its relus a third. A call holds every node's value in one table V (nodes × rows):
each group gathers its operands' rows, applies the op's rule over `ArrayKind` once for all its nodes,
and writes its own rows. The learning flow goes back group by group: each group's δ (its rows of the
table D), times the rule's local derivatives, is added to its operands' rows of D, where the local
derivative is not exactly 0 (an exact 0 passes nothing on, at each row, as in the engine).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from autograd.arrays import ArrayKind, load_numpy
from autograd.kinds import Scalar
from autograd.rules import MANY, MAX, SUM, Op
from autograd.value import Value


@dataclass(slots=True)
class Group:
    """Nodes of one op at one depth: their rows of the table are start..stop; `operands[p]` are the rows
    of operand p of each node and `values[p]` whether operand p is a node (it takes a learning flow);
    for sum and max, `operands` holds the terms' rows per node and `values` the number of terms."""

    op: Op
    start: int
    stop: int
    operands: list[Any]
    values: tuple[bool, ...]


@dataclass(slots=True)
class Plan:
    """The groups of a graph, in order, and where its inputs, constants and output sit in the table."""

    size: int  # rows of the table: the inputs first, then the groups' nodes, then the constants last
    n_inputs: int
    constant_data: list[Scalar]
    groups: list[Group]
    output: int
    kept: list[int]  # the rows of compile's keep nodes, returned after the gradients
    steps: list[Any] | None = None  # the constants and each group's _Step, made on the first array call


def plan(
    order: list[Value], live: set[Value], inputs: list[Value], output: Value, keep: list[Value],
    baked: dict[Value, Scalar],
) -> Plan:
    """The groups of the nodes in `live` (those that depend on an input), by depth, op and operands;
    a constant Value's data is read from `baked` (as compile saw it)."""
    depth: dict[Value, int] = {x: 0 for x in inputs}
    by_key: dict[tuple[Any, ...], list[Value]] = {}
    for node in order:
        if node not in live or node in depth:
            continue
        depth[node] = 1 + max(depth[p] for p in node.parents if p in live)
        x = node._x
        values = (len(x),) if type(x) is tuple else (x in live, node._y in live)
        by_key.setdefault((depth[node], node._op, values), []).append(node)
    keys = sorted(by_key, key=lambda key: key[0])  # by depth: a group needs only the groups before it
    rows: dict[Value, int] = {x: i for i, x in enumerate(inputs)}
    for key in keys:
        for node in by_key[key]:
            rows[node] = len(rows)
    constant_data: list[Scalar] = []

    def row(v: Any) -> int:
        """The table's row of an operand: a live node's, or a row of its own for a constant."""
        if isinstance(v, Value) and v in live:
            return rows[v]
        constant_data.append(baked[v] if isinstance(v, Value) else v)
        return len(rows) + len(constant_data) - 1

    groups = []
    for _, op, values in keys:
        nodes = by_key[(_, op, values)]
        if op.arity == MANY:
            operands: list[Any] = [[row(t) for t in node._x] for node in nodes]
        else:
            operands = [[row(node._x) for node in nodes]]
            if op.arity == 2:
                operands.append([row(node._y) for node in nodes])
        start = rows[nodes[0]]
        groups.append(Group(op, start, start + len(nodes), operands, values))
    out, *kept = [rows[v] if v in live else row(v) for v in (output, *keep)]
    return Plan(len(rows) + len(constant_data), len(inputs), constant_data, groups, out, kept)


def run(plan: Plan, data: list[Any], arrays: list[int], seed: float, n: int) -> tuple[Any, Any]:
    """The output (n,) and the gradients (inputs × n), then the kept values, at the rows of `data`:
    floats, and arrays of n at the indices `arrays`."""
    np = load_numpy()
    if plan.steps is None:
        constants = np.array([ArrayKind.constant(c) for c in plan.constant_data]).reshape(-1, 1)
        plan.steps = [constants, *(_Step(group) for group in plan.groups)]
    constants, *steps = plan.steps
    table = np.empty((plan.size, n))
    table[: len(data)] = np.array([v if type(v) is float else 0.0 for v in data])[:, None]
    table[arrays] = np.array([data[i] for i in arrays])  # input i is the table's row i
    table[len(table) - len(constants) :] = constants  # the constants are the table's last rows
    gathered: list[list[Any]] = []  # the operands of each group, for its local derivatives
    for group, step in zip(plan.groups, steps):
        here = slice(group.start, group.stop)
        if group.op is SUM:
            table[here] = table[step.gather].sum(axis=1)  # the terms left to right, as the engine adds
            gathered.append([])
            continue
        if group.op is MAX:
            args: list[Any] = [list(table[step.gather].swapaxes(0, 1))]  # the terms, each nodes × rows
        else:
            args = [table[rows] for rows in step.gather]
        table[here] = group.op.forward(ArrayKind, *args)
        gathered.append(args)
    grads = _backward(plan, steps, table, gathered, seed, guarded=False)
    if np.isnan(grads).any():  # a NaN: perhaps 0 · inf at some row, where the engine passes nothing
        grads = _backward(plan, steps, table, gathered, seed, guarded=True)
    return table[plan.output].copy(), np.concatenate([grads, table[plan.kept]])  # then the kept values


def _backward(
    plan: Plan, steps: list[_Step], table: Any, gathered: list[list[Any]], seed: float, guarded: bool
) -> Any:
    """The learning flow, group by group from the output: each δ times the local derivatives, added to
    the operands' rows (`guarded`: 0 where a local derivative is exactly 0, row by row)."""
    np = load_numpy()
    flow = np.zeros_like(table)
    flow[plan.output] += seed
    impact = ArrayKind.guard if guarded else _times
    for group, step, args in zip(reversed(plan.groups), reversed(steps), reversed(gathered)):
        here = slice(group.start, group.stop)
        delta = flow[here]
        if group.op is SUM:  # ∂Σ/∂term = 1: each term receives δ as it is
            step.scatter[0].add(flow, np.repeat(delta, step.gather.shape[1], axis=0))
        elif group.op is MAX:
            locals_ = group.op.dx(ArrayKind, args[0], table[here])
            impacts = np.stack([impact(delta, d) for d in locals_], axis=1)  # nodes × terms × rows
            step.scatter[0].add(flow, impacts.reshape(-1, table.shape[1]))
        else:
            for scatter, rule, value in zip(step.scatter, (group.op.dx, group.op.dy), group.values):
                if value and rule is not None:
                    scatter.add(flow, impact(delta, rule(ArrayKind, *args, table[here])))
    return flow[: plan.n_inputs].copy()  # input i is row i


def _times(delta: Any, local: Any) -> Any:
    """δ · local (IEEE: 0 · inf is NaN, which sends the call to the guarded flow)."""
    return delta * local


class _Scatter:
    """Adds rows of impacts into the rows `targets` of the flow, summing those that share a target."""

    def __init__(self, targets: Any) -> None:
        np = load_numpy()
        self.order = None
        self.targets, self.starts = _rows(targets), None
        if len(np.unique(targets)) < len(targets):  # shared: sorted, then summed run by run (reduceat)
            self.order = np.argsort(targets, kind="stable")
            self.targets, self.starts = np.unique(targets[self.order], return_index=True)

    def add(self, flow: Any, impacts: Any) -> None:
        """flow[target] += the impacts into it."""
        if self.order is None:
            flow[self.targets] += impacts
        else:
            flow[self.targets] += load_numpy().add.reduceat(impacts[self.order], self.starts, axis=0)


class _Step:
    """A group's gathers (index arrays of the table's rows) and scatters, made on the first call."""

    def __init__(self, group: Group) -> None:
        np = load_numpy()
        if group.op.arity == MANY:
            self.gather: Any = np.array(group.operands, dtype=np.intp)  # nodes × terms
            self.scatter = [_Scatter(self.gather.reshape(-1))]
        else:
            rows = [np.array(operand, dtype=np.intp) for operand in group.operands]
            self.gather = [_rows(r) for r in rows]
            self.scatter = [_Scatter(r) for r in rows]


def _rows(rows: Any) -> Any:
    """The index of rows: a slice where they are consecutive (a view, no copy), else the array itself."""
    if len(rows) and (rows == load_numpy().arange(rows[0], rows[0] + len(rows))).all():
        return slice(int(rows[0]), int(rows[0]) + len(rows))
    return rows
