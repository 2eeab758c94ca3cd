"""Groups of nodes made by one neuron or one layer, recorded only on request, for clustered pictures.

A Value has no room for its module (no slot is added: the eager step stays as fast), so the groups
live outside the graph: inside `record_groups()`, a layer calls `group(name, outputs, inputs)` after
its forward pass, and the nodes between its inputs and outputs join that group. Outside it, `group`
costs one context-variable read and records nothing.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from itertools import count

from autograd.value import Value

_serial = count()


@dataclass(eq=False)
class Group:
    """One call of a neuron or layer: its name and the group it sits in (None at the top)."""

    name: str
    parent: Group | None = None
    serial: int = field(default_factory=lambda: next(_serial))

    def path(self) -> tuple[Group, ...]:
        """The groups from the outermost down to this one."""
        chain: list[Group] = []
        group: Group | None = self
        while group is not None:
            chain.append(group)
            group = group.parent
        return tuple(reversed(chain))


class Groups:
    """The innermost group of each recorded node (a node outside every group is absent)."""

    def __init__(self) -> None:
        self.of: dict[Value, Group] = {}

    def __len__(self) -> int:
        return len(self.of)

    def __contains__(self, node: object) -> bool:
        return node in self.of

    def get(self, node: Value) -> Group | None:
        """The innermost group of `node`, or None."""
        return self.of.get(node)


_recording: ContextVar[Groups | None] = ContextVar("impactgrad_groups", default=None)


@contextmanager
def record_groups() -> Iterator[Groups]:
    """A context manager under which layers record the groups of the nodes they make (yields them)."""
    groups = Groups()
    token = _recording.set(groups)
    try:
        yield groups
    finally:
        _recording.reset(token)


def is_recording_groups() -> bool:
    """Whether a `record_groups()` block is active: layers check it before naming their groups."""
    return _recording.get() is not None


def group(
    name: str, outputs: Sequence[Value], inputs: Sequence[Value], parent: Group | None = None
) -> Group | None:
    """Put the nodes between `inputs` (excluded) and `outputs` into a new group `name` inside `parent`.

    A node joins when it is in no group yet, or in `parent` (so a neuron's nodes move from its layer
    into the neuron). Returns the group, or None outside `record_groups()`.
    """
    groups = _recording.get()
    if groups is None:
        return None
    if not isinstance(name, str):
        raise TypeError(f"a group's name must be a str, not {type(name).__name__}")
    made = Group(name, parent)
    boundary = {id(x) for x in inputs}
    stack = [v for v in outputs if id(v) not in boundary]
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen or groups.of.get(node) is not parent:
            continue
        seen.add(id(node))
        groups.of[node] = made
        stack.extend(p for p in node.parents if id(p) not in boundary)
    return made
