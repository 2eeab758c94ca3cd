"""Value: one scalar, its parents and the local derivatives ∂node/∂parent taken at forward time."""

from __future__ import annotations

from typing import Any

from autograd import backward as _backward
from autograd import mode as _mode
from autograd.scalars import Scalar, coerce, is_constant, math_of

_NUMBERS = (float, int)  # the common constants, checked before is_constant's slower ABC check
_RECORDING = _mode.RECORDING
_current_mode = _mode._mode.get  # mode.current() without its Python call: it runs for every node


class Value:
    """A node of the graph: `data`, `grad` (∂loss/∂node after backward), `parents`, `local_grads`.

    A node is one object: its (at most two) parents and their local derivatives sit in slots, and
    `parents` / `local_grads` are tuples made on demand. No tuple per node means a third of the
    allocations for the cyclic garbage collector to count and walk, and about 144 bytes per node.
    """

    __slots__ = ("_dx", "_dy", "_x", "_y", "data", "grad", "label", "op")

    data: Scalar
    grad: Scalar
    label: str | None
    op: str
    _x: Value | None  # the first parent (None for a leaf)
    _dx: Scalar  # ∂node/∂x
    _y: Value | None  # the second parent (None for a leaf or a unary op)
    _dy: Scalar  # ∂node/∂y

    def __init__(self, data: Any, label: str | None = None) -> None:
        if type(data) is not float:
            data = coerce(data)
        self.data = data
        self.grad = 0
        self.label = label
        self.op = ""
        self._x = self._y = self._dx = self._dy = None

    @property
    def parents(self) -> tuple[Value, ...]:
        """The nodes this one was computed from (empty for a leaf)."""
        if self._x is None:
            return ()
        return (self._x,) if self._y is None else (self._x, self._y)

    @property
    def local_grads(self) -> tuple[Scalar, ...]:
        """∂node/∂parent for each parent, taken at forward time."""
        if self._x is None:
            return ()
        return (self._dx,) if self._y is None else (self._dx, self._dy)

    def __repr__(self) -> str:
        grad = float(self.grad) if type(self.data) is float else self.grad
        label = f", label={self.label!r}" if self.label is not None else ""
        return f"Value(data={self.data!r}, grad={grad!r}{label})"

    # -- arithmetic: z = x op y, with ∂z/∂x and ∂z/∂y --------------------------------------------

    def __add__(self, other: Value | Scalar) -> Value:
        """x + y: ∂/∂x = ∂/∂y = 1."""
        if isinstance(other, Value):
            return _node(self.data + other.data, "+", self, 1, other, 1)
        if isinstance(other, _NUMBERS) or is_constant(other):
            return _node(self.data + other, "+", self, 1)
        return NotImplemented

    __radd__ = __add__

    def __sub__(self, other: Value | Scalar) -> Value:
        """x - y: ∂/∂x = 1, ∂/∂y = -1."""
        if isinstance(other, Value):
            return _node(self.data - other.data, "-", self, 1, other, -1)
        if isinstance(other, _NUMBERS) or is_constant(other):
            return _node(self.data - other, "-", self, 1)
        return NotImplemented

    def __rsub__(self, other: Scalar) -> Value:
        """c - x: ∂/∂x = -1."""
        if isinstance(other, _NUMBERS) or is_constant(other):
            return _node(other - self.data, "-", self, -1)
        return NotImplemented

    def __mul__(self, other: Value | Scalar) -> Value:
        """x * y: ∂/∂x = y, ∂/∂y = x."""
        if isinstance(other, Value):
            return _node(self.data * other.data, "*", self, other.data, other, self.data)
        if isinstance(other, _NUMBERS) or is_constant(other):
            return _node(self.data * other, "*", self, other)
        return NotImplemented

    __rmul__ = __mul__

    def __truediv__(self, other: Value | Scalar) -> Value:
        """x / y: ∂/∂x = 1/y, ∂/∂y = -x/y²."""
        if isinstance(other, Value):
            out = _divide(self.data, other.data)
            return _node(out, "/", self, 1 / other.data, other, -out / other.data)
        if isinstance(other, _NUMBERS) or is_constant(other):
            out = _divide(self.data, other)  # first: x / 0 raises naming both operands
            return _node(out, "/", self, math_of(self.data).reciprocal(other))
        return NotImplemented

    def __rtruediv__(self, other: Scalar) -> Value:
        """c / x: ∂/∂x = -c/x²."""
        if isinstance(other, _NUMBERS) or is_constant(other):
            out = _divide(other, self.data)
            return _node(out, "/", self, -out / self.data)
        return NotImplemented

    def __neg__(self) -> Value:
        """-x: ∂/∂x = -1."""
        return _node(-self.data, "neg", self, -1)

    def __pos__(self) -> Value:
        """+x is x itself."""
        return self

    def __pow__(self, other: Value | Scalar) -> Value:
        """x ** n: ∂/∂x = n·x^(n-1); with a Value exponent also ∂/∂n = x^n · ln x."""
        x = self.data
        kind = math_of(x)
        if isinstance(other, Value):
            n = other.data
            out = kind.pow(x, n)
            return _node(out, "**", self, kind.pow_local(x, n), other, out * kind.log_base(x))
        if isinstance(other, _NUMBERS) or is_constant(other):
            return _node(kind.pow(x, other), "**", self, kind.pow_local(x, other))
        return NotImplemented

    def __rpow__(self, other: Scalar) -> Value:
        """c ** x, with c as a constant leaf of x's kind (so 2 ** x stays exact or symbolic)."""
        if isinstance(other, _NUMBERS) or is_constant(other):
            return Value(math_of(self.data).constant(other)) ** self
        return NotImplemented

    # -- functions: y = f(x), with f'(x) --------------------------------------------------------

    def exp(self) -> Value:
        """e^x: f' = e^x."""
        out = math_of(self.data).exp(self.data)
        return _node(out, "exp", self, out)

    def log(self) -> Value:
        """ln x: f' = 1/x."""
        x = self.data
        return _node(math_of(x).log(x), "log", self, 1 / x)

    def tanh(self) -> Value:
        """tanh x: f' = 1 - tanh² x."""
        out = math_of(self.data).tanh(self.data)
        return _node(out, "tanh", self, 1 - out * out)

    def sigmoid(self) -> Value:
        """The logistic σ(x) = 1 / (1 + e^-x): f' = σ(x)(1 - σ(x))."""
        out = math_of(self.data).sigmoid(self.data)
        return _node(out, "sigmoid", self, out * (1 - out))

    def relu(self) -> Value:
        """ReLU(x) = max(x, 0): f' = 1 if x >= 0 else 0 (the series' convention at 0)."""
        out, local = math_of(self.data).relu(self.data)
        return _node(out, "relu", self, local)

    def leaky_relu(self, slope: Scalar = 0.01) -> Value:
        """LeakyReLU(x) = x if x >= 0 else slope·x: f' = 1 if x >= 0 else slope."""
        out, local = math_of(self.data).leaky_relu(self.data, slope)
        return _node(out, "leaky_relu", self, local)

    # -- the learning flow ----------------------------------------------------------------------

    def backward(self, grad: Scalar = 1) -> None:
        """Add ∂self/∂node to every node's grad: the impacts of all paths, summed (chain rule)."""
        _backward.backward(self, grad)

    def detach(self) -> Value:
        """A new leaf with the same data and label, cut from the graph."""
        return Value(self.data, self.label)

    def is_leaf(self) -> bool:
        """Whether the node has no parents (an input, a weight or a constant)."""
        return self._x is None


_new = object.__new__


def _node(data: Scalar, op: str, x: Value, dx: Scalar, y: Value | None = None, dy: Scalar = None) -> Value:
    """The node op(x[, y]) with ∂node/∂x = dx (and ∂node/∂y = dy): the operators' fast constructor."""
    if type(data) is not float:
        data = coerce(data)
    node: Value = _new(Value)
    node.data = data
    node.grad = 0
    node.label = None
    node.op = op
    if _current_mode() is not _RECORDING and not _records(data, op, x, y):
        node._x = node._dx = node._y = node._dy = None  # no_grad: a leaf
        return node
    node._x, node._dx, node._y, node._dy = x, dx, y, dy
    return node


def _divide(x: Scalar, y: Scalar) -> Scalar:
    """x / y, or a ZeroDivisionError that names both operands."""
    try:
        return x / y
    except ZeroDivisionError:
        raise ZeroDivisionError(f"division by zero: {x!r} / {y!r}") from None


def _records(data: Scalar, op: str, x: Value, y: Value | None) -> bool:
    """Outside the default mode: whether the node keeps its parents (no_grad), after the anomaly check."""
    mode = _mode.current()
    operands = (x,) if y is None else (x, y)
    if mode.detect_anomaly and _mode.is_nan(data) and not any(_mode.is_nan(p.data) for p in operands):
        raise FloatingPointError(f"op {op!r} produced NaN from {', '.join(map(repr, operands))}")
    return mode.grad_enabled
