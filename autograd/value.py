"""Value: one scalar, its parents and the local derivatives ∂node/∂parent taken at forward time."""

from __future__ import annotations

from typing import Any

from autograd import backward as _backward
from autograd import mode as _mode
from autograd.scalars import Scalar, coerce, is_constant, math_of

_ONE = (1,)
_MINUS_ONE = (-1,)
_ONE_ONE = (1, 1)
_ONE_MINUS_ONE = (1, -1)


class Value:
    """A node of the graph: `data`, `grad` (∂loss/∂node after backward), `parents`, `local_grads`."""

    __slots__ = ("data", "grad", "label", "local_grads", "op", "parents")

    data: Scalar
    grad: Scalar
    label: str | None
    parents: tuple[Value, ...]
    local_grads: tuple[Scalar, ...]
    op: str

    def __init__(
        self,
        data: Any,
        label: str | None = None,
        _parents: tuple[Value, ...] = (),
        _local_grads: tuple[Scalar, ...] = (),
        _op: str = "",
    ) -> None:
        if type(data) is not float:
            data = coerce(data)
        self.data = data
        self.grad = 0
        self.label = label
        self.op = _op
        if _parents and _mode.current() is not _mode.RECORDING:
            _parents, _local_grads = _unrecorded(data, _parents, _local_grads, _op)
        self.parents = _parents
        self.local_grads = _local_grads

    def __repr__(self) -> str:
        grad = float(self.grad) if type(self.data) is float else self.grad
        label = f", label={self.label!r}" if self.label is not None else ""
        return f"Value(data={self.data!r}, grad={grad!r}{label})"

    # -- arithmetic: z = x op y, with ∂z/∂x and ∂z/∂y --------------------------------------------

    def __add__(self, other: Value | Scalar) -> Value:
        """x + y: ∂/∂x = ∂/∂y = 1."""
        if isinstance(other, Value):
            return Value(self.data + other.data, None, (self, other), _ONE_ONE, "+")
        if is_constant(other):
            return Value(self.data + other, None, (self,), _ONE, "+")
        return NotImplemented

    __radd__ = __add__

    def __sub__(self, other: Value | Scalar) -> Value:
        """x - y: ∂/∂x = 1, ∂/∂y = -1."""
        if isinstance(other, Value):
            return Value(self.data - other.data, None, (self, other), _ONE_MINUS_ONE, "-")
        if is_constant(other):
            return Value(self.data - other, None, (self,), _ONE, "-")
        return NotImplemented

    def __rsub__(self, other: Scalar) -> Value:
        """c - x: ∂/∂x = -1."""
        if is_constant(other):
            return Value(other - self.data, None, (self,), _MINUS_ONE, "-")
        return NotImplemented

    def __mul__(self, other: Value | Scalar) -> Value:
        """x * y: ∂/∂x = y, ∂/∂y = x."""
        if isinstance(other, Value):
            return Value(self.data * other.data, None, (self, other), (other.data, self.data), "*")
        if is_constant(other):
            return Value(self.data * other, None, (self,), (other,), "*")
        return NotImplemented

    __rmul__ = __mul__

    def __truediv__(self, other: Value | Scalar) -> Value:
        """x / y: ∂/∂x = 1/y, ∂/∂y = -x/y²."""
        if isinstance(other, Value):
            out = _divide(self.data, other.data)
            return Value(out, None, (self, other), (1 / other.data, -out / other.data), "/")
        if is_constant(other):
            local = math_of(self.data).reciprocal(other)
            return Value(_divide(self.data, other), None, (self,), (local,), "/")
        return NotImplemented

    def __rtruediv__(self, other: Scalar) -> Value:
        """c / x: ∂/∂x = -c/x²."""
        if is_constant(other):
            out = _divide(other, self.data)
            return Value(out, None, (self,), (-out / self.data,), "/")
        return NotImplemented

    def __neg__(self) -> Value:
        """-x: ∂/∂x = -1."""
        return Value(-self.data, None, (self,), _MINUS_ONE, "neg")

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
            locals_ = (kind.pow_local(x, n), out * kind.log_base(x))
            return Value(out, None, (self, other), locals_, "**")
        if is_constant(other):
            return Value(kind.pow(x, other), None, (self,), (kind.pow_local(x, other),), "**")
        return NotImplemented

    def __rpow__(self, other: Scalar) -> Value:
        """c ** x, with c as a constant leaf."""
        if is_constant(other):
            return Value(other) ** self
        return NotImplemented

    # -- functions: y = f(x), with f'(x) --------------------------------------------------------

    def exp(self) -> Value:
        """e^x: f' = e^x."""
        out = math_of(self.data).exp(self.data)
        return Value(out, None, (self,), (out,), "exp")

    def log(self) -> Value:
        """ln x: f' = 1/x."""
        x = self.data
        return Value(math_of(x).log(x), None, (self,), (1 / x,), "log")

    def tanh(self) -> Value:
        """tanh x: f' = 1 - tanh² x."""
        out = math_of(self.data).tanh(self.data)
        return Value(out, None, (self,), (1 - out * out,), "tanh")

    def sigmoid(self) -> Value:
        """The logistic σ(x) = 1 / (1 + e^-x): f' = σ(x)(1 - σ(x))."""
        out = math_of(self.data).sigmoid(self.data)
        return Value(out, None, (self,), (out * (1 - out),), "sigmoid")

    def relu(self) -> Value:
        """ReLU(x) = max(x, 0): f' = 1 if x >= 0 else 0 (the series' convention at 0)."""
        out, local = math_of(self.data).relu(self.data)
        return Value(out, None, (self,), (local,), "relu")

    def leaky_relu(self, slope: Scalar = 0.01) -> Value:
        """LeakyReLU(x) = x if x >= 0 else slope·x: f' = 1 if x >= 0 else slope."""
        out, local = math_of(self.data).leaky_relu(self.data, slope)
        return Value(out, None, (self,), (local,), "leaky_relu")

    # -- the learning flow ----------------------------------------------------------------------

    def backward(self, grad: Scalar = 1) -> None:
        """Add ∂self/∂node to every node's grad: the impacts of all paths, summed (chain rule)."""
        _backward.backward(self, grad)

    def detach(self) -> Value:
        """A new leaf with the same data and label, cut from the graph."""
        return Value(self.data, self.label)

    def is_leaf(self) -> bool:
        """Whether the node has no parents (an input, a weight or a constant)."""
        return not self.parents


def _divide(x: Scalar, y: Scalar) -> Scalar:
    """x / y, or a ZeroDivisionError that names both operands."""
    try:
        return x / y
    except ZeroDivisionError:
        raise ZeroDivisionError(f"division by zero: {x!r} / {y!r}") from None


def _unrecorded(
    data: Scalar, parents: tuple[Value, ...], local_grads: tuple[Scalar, ...], op: str
) -> tuple[tuple[Value, ...], tuple[Scalar, ...]]:
    """The parents and local derivatives to keep outside the default mode (no_grad, anomaly)."""
    mode = _mode.current()
    if mode.detect_anomaly and _mode.is_nan(data) and not any(_mode.is_nan(p.data) for p in parents):
        operands = ", ".join(repr(p) for p in parents)
        raise FloatingPointError(f"op {op!r} produced NaN from {operands}")
    return (parents, local_grads) if mode.grad_enabled else ((), ())
