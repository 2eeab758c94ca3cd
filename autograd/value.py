"""Value: one scalar, its operands and the local derivatives ∂node/∂operand taken at forward time."""

from __future__ import annotations

import math
import numbers
import sys
from collections.abc import Iterable, Mapping, Set
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from autograd import mode as _mode
from autograd.rules import MANY, RULES, Rule
from autograd.scalars import (
    FloatKind,
    Scalar,
    coerce,
    is_constant,
    is_symbolic,
    kind_of,
    number_text,
    to_float,
)

_NUMBERS = (float, int)  # the common constants, checked before is_constant's slower ABC check
_RECORDING = _mode.RECORDING
_current_mode = _mode._mode.get  # mode.current() without its Python call: it runs for every node


class Value:
    """A node of the graph: `data`, `grad` (∂loss/∂node after backward), `parents`, `local_grads`.

    A node is one object. Its (at most two) operands sit in the slots `_x` and `_y`: a Value, a
    constant (the 2 of `x * 2`, leaky_relu's slope) or None; `_dx` and `_dy` hold ∂node/∂operand for a
    Value operand, None otherwise. A `sum` node keeps its terms as a tuple in `_x`, with `_dx` = 1, the
    local derivative of each. So a node keeps all it was computed from (`op` names its rule in
    `autograd.rules`) in about 144 bytes; `parents` / `local_grads` are tuples made on demand.

    `==` is identity and Values are hashable (graphs keep them in sets and dicts): compare data with
    `a.data == b.data`. `< <= > >=` compare the data, so `max(a, b)` returns the larger Value itself.
    """

    __slots__ = ("_dx", "_dy", "_x", "_y", "data", "grad", "label", "op")

    data: Scalar
    grad: Any  # a number of the data's kind; a Value after backward(create_graph=True)
    label: str | None
    op: str
    _x: Any  # the first operand: a Value, a constant, or None for a leaf
    _dx: Scalar  # ∂node/∂x where x is a Value, else None
    _y: Any  # the second operand: a Value, a constant, or None
    _dy: Scalar  # ∂node/∂y where y is a Value, else None

    def __init__(self, data: Any, label: str | None = None) -> None:
        if type(data) is not float:
            data = coerce(data)
        if label is not None and type(label) is not str:
            raise TypeError(f"Value label must be a str, not {type(label).__name__}")
        self.data = data
        self.grad = 0
        self.label = label
        self.op = ""
        self._x = self._y = self._dx = self._dy = None

    @property
    def parents(self) -> tuple[Value, ...]:
        """The nodes this one was computed from (empty for a leaf; constants are not nodes)."""
        if self._dy is None:
            if type(self._x) is tuple:  # a sum: its terms
                return self._x
            return () if self._dx is None else (self._x,)
        return (self._y,) if self._dx is None else (self._x, self._y)

    @property
    def local_grads(self) -> tuple[Scalar, ...]:
        """∂node/∂parent for each parent, taken at forward time."""
        if type(self._x) is tuple:  # a sum: 1 for each term
            return (self._dx,) * len(self._x)
        return tuple(d for d in (self._dx, self._dy) if d is not None)

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label is not None else ""
        return f"Value(data={number_text(self.data)}, grad={number_text(self.grad)}{label})"

    # -- the data as a Python number (as for a PyTorch 0-dim tensor) ----------------------------------

    def item(self) -> Scalar:
        """The data: a float, a Fraction or a sympy expression."""
        return self.data

    def _sympy_(self) -> Any:
        """Refuse sympy's conversion, so `sympy_number + value` falls back to Value's operator."""
        raise sys.modules["sympy"].SympifyError(self)

    def __float__(self) -> float:
        return float(self.data)

    def __int__(self) -> int:
        return int(self.data)

    def __bool__(self) -> bool:
        """The truth of the data: `if Value(0.0):` does not run."""
        return bool(self.data)

    def __format__(self, spec: str) -> str:
        """f"{v:.3f}" formats the data; f"{v}" is the repr."""
        if not spec:
            return repr(self)
        return format(float(self.data) if isinstance(self.data, Fraction) else self.data, spec)

    def __lt__(self, other: Value | Scalar) -> bool:
        return bool(self.data < _data(other))

    def __le__(self, other: Value | Scalar) -> bool:
        return bool(self.data <= _data(other))

    def __gt__(self, other: Value | Scalar) -> bool:
        return bool(self.data > _data(other))

    def __ge__(self, other: Value | Scalar) -> bool:
        return bool(self.data >= _data(other))

    __eq__ = object.__eq__  # identity: Values live in sets and dicts
    __hash__ = object.__hash__

    # -- ops: made from autograd.rules below; each docstring quotes its rule ---------------------------

    def __pos__(self) -> Value:
        """+x is x itself."""
        return self

    def leaky_relu(self, slope: Scalar = 0.01) -> Value:
        """LeakyReLU(x) = x if x >= 0 else slope·x: f' = 1 if x >= 0 else slope."""
        if isinstance(slope, Value | bool) or not (isinstance(slope, numbers.Real) or is_symbolic(slope)):
            raise TypeError(
                "leaky_relu slope must be an int, float, Fraction or sympy expression, "
                f"not {type(slope).__name__}"
            )
        return self._leaky_relu(slope)

    # -- the learning flow ----------------------------------------------------------------------

    def backward(self, grad: Scalar = 1, create_graph: bool = False) -> None:
        """Add ∂self/∂node to every node's grad: the impacts of all paths, summed (chain rule).

        With `create_graph`, every grad becomes a Value whose graph can be back-propagated again.
        """
        from autograd.backward import backward

        backward(self, grad, create_graph)

    def detach(self) -> Value:
        """A new leaf with the same data and label, cut from the graph."""
        return Value(self.data, self.label)

    def is_leaf(self) -> bool:
        """Whether the node has no parents (an input, a weight or a constant)."""
        return self._dx is None and self._dy is None

    def abs(self) -> Value:
        """|x|: f' = sign(x), 0 at 0."""
        return self.__abs__()

    if TYPE_CHECKING:  # the ops made from autograd.rules at import (below), as type checkers see them

        def __add__(self, other: Value | Scalar) -> Value: ...
        def __radd__(self, other: Value | Scalar) -> Value: ...
        def __sub__(self, other: Value | Scalar) -> Value: ...
        def __rsub__(self, other: Value | Scalar) -> Value: ...
        def __mul__(self, other: Value | Scalar) -> Value: ...
        def __rmul__(self, other: Value | Scalar) -> Value: ...
        def __truediv__(self, other: Value | Scalar) -> Value: ...
        def __rtruediv__(self, other: Value | Scalar) -> Value: ...
        def __pow__(self, other: Value | Scalar) -> Value: ...
        def __rpow__(self, other: Value | Scalar) -> Value: ...
        def __neg__(self) -> Value: ...
        def __abs__(self) -> Value: ...
        def exp(self) -> Value: ...
        def log(self) -> Value: ...
        def sqrt(self) -> Value: ...
        def sin(self) -> Value: ...
        def cos(self) -> Value: ...
        def tanh(self) -> Value: ...
        def sigmoid(self) -> Value: ...
        def relu(self) -> Value: ...
        def _leaky_relu(self, slope: Scalar) -> Value: ...


def _data(other: Value | Scalar) -> Scalar:
    """The data of a Value, or a number as it is (for comparisons)."""
    return other.data if isinstance(other, Value) else other


_new = object.__new__


def _finite(x: Scalar) -> bool:
    """Whether a float is finite (exact and symbolic data always are)."""
    return not isinstance(x, float) or math.isfinite(x)


def _records(data: Scalar, op: str, *operands: Any) -> bool:
    """Outside the default mode: whether the node keeps its operands (no_grad), after the anomaly check."""
    mode = _mode.current()
    operands = tuple(v for v in operands if isinstance(v, Value))
    if mode.detect_anomaly and _mode.is_nan(data) and not any(_mode.is_nan(p.data) for p in operands):
        notable = [v for v in operands if not _finite(v.data)] or list(operands)  # infinities first
        shown = ", ".join(map(repr, notable[:3]))
        if len(operands) > 3:  # a sum of many terms: the message stays short
            shown += f" (and {len(operands) - min(3, len(notable))} more)"
        raise FloatingPointError(f"op {op!r} produced NaN from {shown}")
    return mode.grad_enabled


# -- the operators, written from the rules' formulas ---------------------------------------------------
# Each method inlines its rule's formulas (the float path stays one call per node); `k` is the kind.

_KIND = "k = _FLOAT if type({0}) is float else kind_of({0})"
_IS_CONSTANT = "type(other) in _NUMBERS or is_constant(other)"

_UNARY = """
def {method}(self):
    x = self.data
    {kind}
    {compute}
    {node_of_self}
"""

_BINARY = """
def {method}(self, other):
    x = self.data
    if type(other) is Value or isinstance(other, Value):
        y = other.data
        {kind_if_used}
        {compute_8}
        {node_with_value}
    if not ({is_constant}):
        return NotImplemented
    {kind}
    {y_from_other}
    {compute}
    {node_with_constant}
"""

_WITH_CONSTANT = """
def {method}(self, other):
    x = self.data
    {kind}
    y = k.constant(other)
    {compute}
    {node_with_constant}
"""

_REFLECTED = """
def {reflected}(self, other):
    if not ({is_constant}):
        return NotImplemented
    y = self.data
    {kind_y}
    {x_from_other}
    {compute}
    {node_reflected}
"""

# The result `out`: a Fraction met with a float gives a float, whose overflow names the op.
_COMPUTE = """try:
    out = {forward}
except OverflowError as error:
    raise OverflowError(f"{name}: beyond a float's range ({{error}})") from None"""

# The new node `out` (one object, no call) with its operands and local derivatives, returned: under
# no_grad (or detect_anomaly, see _records) it may stay a leaf.
_MAKE_NODE = """if type(out) is not float:
    out = coerce(out, {name!r})
node = _new(Value)
node.data = out
node.grad = 0
node.label = None
node.op = {name!r}
if _current_mode() is not _RECORDING and not _records(out, {name!r}, {operands}):
    node._x = node._dx = node._y = node._dy = None
    return node
node._x = {x}
node._dx = {dx}
node._y = {y}
node._dy = {dy}
return node"""

# A float or int constant beside float data is converted here; other kinds convert their own.
_AS_CONSTANT = (
    "(other if type(other) is float else _to_float(other)) if k is _FLOAT and type(other) in _NUMBERS"
    " else k.constant(other)"
)

# The constant operand `other` converted to the kind, into `{0}` (x or y); an overflow names the op.
_FROM_OTHER = """try:
    {0} = {as_constant}
except OverflowError as error:
    raise OverflowError(f"{name}: {{error}}") from None"""


def _operator_source(rule: Rule) -> str:
    """The Python source of the Value method(s) that apply `rule`."""
    operands = "self, None" if rule.arity == 1 else "self, other"

    def node(indent: int, x: str, dx: str | None, y: str, dy: str | None) -> str:
        """The code that makes and returns the node, indented to its place in a template."""
        code = _MAKE_NODE.format(name=rule.name, operands=operands, x=x, dx=dx, y=y, dy=dy)
        return code.replace("\n", "\n" + " " * indent)

    def from_other(target: str) -> str:
        """The conversion of the constant operand into `target`, indented to its place in a template."""
        return _FROM_OTHER.format(target, as_constant=_AS_CONSTANT, name=rule.name).replace("\n", "\n    ")

    def compute(indent: int) -> str:
        """The forward computation, indented to its place in a template."""
        return _COMPUTE.format(forward=rule.forward, name=rule.name).replace("\n", "\n" + " " * indent)

    template = _UNARY if rule.arity == 1 else _BINARY if rule.dy is not None else _WITH_CONSTANT
    fields = {
        **vars(rule),
        "kind": _KIND.format("x"),
        "kind_if_used": _KIND.format("x") if "k." in f"{rule.forward} {rule.dx} {rule.dy}" else "",
        "y_from_other": from_other("y"),
        "x_from_other": from_other("x"),
        "node_of_self": node(4, "self", rule.dx, "None", "None"),
        "node_with_value": node(8, "self", rule.dx, "other", rule.dy),
        "node_with_constant": node(4, "self", rule.dx, "y", "None"),
        "node_reflected": node(4, "x", "None", "self", rule.dy),
        "kind_y": _KIND.format("y"),
        "is_constant": _IS_CONSTANT,
        "compute": compute(4),
        "compute_8": compute(8),
    }
    source = template.format(**fields)
    if rule.reflected:
        source += _REFLECTED.format(**fields)
    return source


def _install(rule: Rule) -> None:
    """Define the Value method(s) of `rule`, documented with its formulas."""
    namespace: dict[str, Any] = {"Value": Value, "_FLOAT": FloatKind, "kind_of": kind_of,
                 "_NUMBERS": _NUMBERS, "is_constant": is_constant, "_to_float": to_float,
                 "_new": _new, "_current_mode": _current_mode, "_RECORDING": _RECORDING, "_records": _records,
                 "coerce": coerce}
    exec(_operator_source(rule), namespace)
    for method in (rule.method, rule.reflected):
        if method:
            function = namespace[method]
            derivatives = f"∂/∂x = {rule.dx}" + (f", ∂/∂y = {rule.dy}" if rule.dy else "")
            function.__doc__ = f"{rule.name}: out = {rule.forward}; {derivatives} (autograd.rules)."
            function.__qualname__ = f"Value.{method}"
            setattr(Value, method, function)


for _rule in RULES.values():
    if _rule.arity != MANY:  # sum is a function of many terms, below
        _install(_rule)


_EACH_TERM = RULES["sum"].local_x(FloatKind, None, None, None)  # ∂Σ/∂term, the rule's "1"


def sum(terms: Iterable[Value]) -> Value:
    """Σ terms as one node (a neuron's Σ_i w_i·o_i + b): folded with + left to right, ∂Σ/∂term = 1."""
    if type(terms) is not tuple:
        if isinstance(terms, Value) or not isinstance(terms, Iterable):
            raise TypeError(f"sum takes an iterable of Values, not {type(terms).__name__}")
        if isinstance(terms, (Set, Mapping)):
            raise TypeError(f"sum takes Values in order (a list or a tuple), not a {type(terms).__name__}")
        terms = tuple(terms)
    if not terms:
        raise ValueError("sum needs at least one term")
    out = None
    for term in terms:  # checks and folds in one loop: a neuron's sum is made for every sample
        if type(term) is not Value and not isinstance(term, Value):
            _refuse(terms)
        if out is None:
            out = term.data
        else:
            out += term.data
    if type(out) is not float:
        out = coerce(out, "sum")
    node = _new(Value)
    node.data = out
    node.grad = 0
    node.label = None
    node.op = "sum"
    if _current_mode() is _RECORDING or _records(out, "sum", *terms):
        node._x = terms
        node._dx = _EACH_TERM
        node._y = None
        node._dy = None
    else:
        node._x = node._dx = node._y = node._dy = None
    return node


def _refuse(terms: tuple[Any, ...]) -> None:
    """The TypeError for the first term of a sum that is not a Value, naming it and its place."""
    i, term = next((i, t) for i, t in enumerate(terms) if not isinstance(t, Value))
    hint = "flatten nested lists" if isinstance(term, (list, tuple)) else "add a constant with +"
    raise TypeError(f"sum takes Values: term {i} is of type {type(term).__name__} ({hint})")
