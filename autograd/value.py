"""Value: one scalar, its operands and the local derivatives ∂node/∂operand taken at forward time."""

from __future__ import annotations

import numbers
import sys
from collections.abc import Iterable, Mapping, Set
from fractions import Fraction
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from autograd import _operators
from autograd import mode as _mode
from autograd._operators import Operators
from autograd.kinds import Scalar, coerce, is_constant, is_symbolic, kind_of, number_text
from autograd.rules import MANY, MAX, SUM, Op

_RECORDING = _mode.RECORDING
_current_mode = _mode._mode.get  # mode.current() without its Python call: it runs for every node
_new = object.__new__


def _checked_label(label: Any) -> str | None:
    """A label as given, a str or None; anything else is a TypeError."""
    if label is not None and type(label) is not str:
        raise TypeError(f"Value label must be a str, not {type(label).__name__}")
    return label


class Value(Operators):
    """One number of a computation, remembering how it was made, so gradients flow back through it.

        x = Value(2.0, label="x")        # a float; also a Fraction (exact) or a sympy expression
        y = (x * x + 1).tanh()           # + - * / ** and exp, log, tanh, relu, ... make new Values
        y.backward()                     # the chain rule, from y back to every Value it was made from
        x.grad                           # ∂y/∂x: the impacts of all paths from x to y, summed

    `data` is the number, `grad` the gradient after `backward()`, `label` a name for pictures
    (`autograd.draw(y)`), `op` the name of the op that made the node ('' for a leaf); `parents` and
    `local_grads` are the nodes it was computed from and ∂node/∂parent, taken at forward time.

    `==` is identity and Values are hashable (graphs keep them in sets and dicts): compare data with
    `a.data == b.data`. `< <= > >=` compare the data, so `max(a, b)` returns the larger Value itself.

    Inside, a node is one object of about 144 bytes: its (at most two) operands sit in the slots `_x`
    and `_y` (a Value, a constant such as the 2 of `x * 2`, or None) and ∂node/∂operand in `_dx`, `_dy`
    (None for a constant); a `sum` or `max` node keeps its terms as a tuple in `_x` and their local
    derivatives in `_dx` (one number for all the terms of a sum). `_op` is the rule (`autograd.rules`).
    """

    __slots__ = ("_data", "_dx", "_dy", "_label", "_op", "_x", "_y", "grad")
    # numpy defers to Value: a numpy scalar beside a Value is a float, an array a TypeError naming both
    # types (not an array of Values: a batch of rows is a compiled call's, `compiled([xs, w])`)
    __array_ufunc__ = None

    grad: Any  # a number of the data's kind (None: zero, as PyTorch's zero_grad(set_to_none=True))
    _data: Scalar
    _label: str | None
    _op: Op | None  # the op that made the node (its rule), None for a leaf
    _x: Any  # the first operand: a Value, a constant, or None for a leaf
    _dx: Scalar  # ∂node/∂x where x is a Value, else None
    _y: Any  # the second operand: a Value, a constant, or None
    _dy: Scalar  # ∂node/∂y where y is a Value, else None

    def __init__(self, data: Any, label: str | None = None) -> None:
        if type(data) is not float:
            data = coerce(data)
        self._label = _checked_label(label)
        self._data = data
        self.grad = 0
        self._op = None
        self._x = self._y = self._dx = self._dy = None

    def _set_data(self, data: Any) -> None:
        self._data = data if type(data) is float else coerce(data)

    def _set_label(self, label: Any) -> None:
        self._label = _checked_label(label)

    if TYPE_CHECKING:  # as type checkers see the properties below

        @property
        def data(self) -> Scalar: ...
        @data.setter
        def data(self, data: Any) -> None: ...
        @property
        def label(self) -> str | None: ...
        @label.setter
        def label(self, label: str | None) -> None: ...

    else:  # reading is a slot's speed (a C getter); assigning is checked and converted as Value(...) is
        data = property(attrgetter("_data"), _set_data, doc="A float, a Fraction or a sympy expression.")
        label = property(attrgetter("_label"), _set_label, doc="A name for pictures and messages, or None.")

    @property
    def op(self) -> str:
        """The name of the op that made this node ('' for a leaf)."""
        return "" if self._op is None else self._op.name

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
        if type(self._x) is tuple:  # a sum (one local derivative for all its terms) or a max
            return self._dx if type(self._dx) is tuple else (self._dx,) * len(self._x)
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

    def __round__(self, ndigits: int | None = None) -> Any:
        """round(v, n) rounds the data, as round(v.data, n): a number to show, not a node of the graph."""
        return round(self.data, ndigits)

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


def _data(other: Value | Scalar) -> Scalar:
    """The data of a Value, or a number as it is (for comparisons)."""
    return other.data if isinstance(other, Value) else other


setattr(_operators, "Value", Value)  # noqa: B010 (the operators make Values; _operators cannot import us)

_EACH_TERM = SUM.dx(None, (0,), 0)[0]  # ∂Σ/∂term, the rule's 1: one number for all the terms of a sum


def sum(terms: Iterable[Value]) -> Value:
    """Σ terms as one node (a neuron's Σ_i w_i·o_i + b): folded with + left to right, ∂Σ/∂term = 1."""
    terms = _terms("sum", terms)
    out = None
    for term in terms:  # checks and folds in one loop: a neuron's sum is made for every sample
        if type(term) is not Value and not isinstance(term, Value):
            _refuse("sum", terms)
        if out is None:
            out = term._data
        else:
            out += term._data
    if type(out) is not float:
        out = coerce(out, "sum")
    node = _new(Value)
    node._data = out
    node.grad = 0
    node._label = None
    node._op = SUM
    if _current_mode() is _RECORDING or _mode.records(out, "sum", terms):
        node._x = terms
        node._dx = _EACH_TERM
        node._y = None
        node._dy = None
    else:
        node._x = node._dx = node._y = node._dy = None
    return node


def max(terms: Iterable[Value]) -> Value:
    """The largest term as one node (a max pooling window): ∂max/∂term = 1 for the first largest, else 0.

    A NaN term makes the maximum NaN wherever it sits (as PyTorch), and takes the learning flow.
    """
    return MAX(terms)


def apply(op: Op, operands: tuple[Any, ...]) -> Value:
    """`op` applied to its operands as one node (what calling an Op does; the built-in methods inline it)."""
    if op.arity == MANY:
        if len(operands) != 1:
            raise TypeError(f"op {op.name!r} takes one iterable of Values, not {len(operands)} arguments")
        terms = _terms(op.name, operands[0])
        for term in terms:
            if not isinstance(term, Value):
                _refuse(op.name, terms)
        data = [term._data for term in terms]
        k = kind_of(data[0])
        out = _number(op, "forward", op.forward(k, data))
        return _node(op, out, terms, tuple(_number(op, "dx", d) for d in op.dx(k, data, out)), None, None)
    if len(operands) != op.arity:
        raise TypeError(f"op {op.name!r} takes {op.arity} operand{'s' * (op.arity > 1)}, not {len(operands)}")
    x = operands[0]
    if op.arity == 1:
        if not isinstance(x, Value):
            raise TypeError(f"op {op.name!r} takes a Value, not {type(x).__name__}")
        k = kind_of(x._data)
        out = _number(op, "forward", op.forward(k, x._data))
        return _node(op, out, x, _number(op, "dx", op.dx(k, x._data, out)), None, None)
    y = operands[1]
    if not isinstance(x, Value) and not isinstance(y, Value):
        raise TypeError(f"op {op.name!r} takes a Value as one of its operands, not two {type(x).__name__}s")
    if op.dy is None and isinstance(y, Value):
        raise TypeError(f"op {op.name!r} has no dy: its second operand must be a constant, not a Value")
    for operand in (x, y):
        if not isinstance(operand, Value) and (isinstance(operand, bool) or not is_constant(operand)):
            raise TypeError(f"op {op.name!r} takes Values and numbers, not {type(operand).__name__}")
    k = kind_of(x._data if isinstance(x, Value) else y._data)
    a = x._data if isinstance(x, Value) else k.constant(x)
    b = y._data if isinstance(y, Value) else k.constant(y)
    out = _number(op, "forward", op.forward(k, a, b))
    dx = _number(op, "dx", op.dx(k, a, b, out)) if isinstance(x, Value) else None
    dy = _number(op, "dy", op.dy(k, a, b, out)) if isinstance(y, Value) and op.dy is not None else None
    return _node(op, out, x if dx is not None else a, dx, y if dy is not None else b, dy)


def _number(op: Op, part: str, result: Any) -> Scalar:
    """What a rule's function gave, as data: a number or sympy expression, else a TypeError naming the op."""
    if type(result) is float or type(result) is int:
        return result
    try:
        return coerce(result)
    except TypeError:
        raise TypeError(f"op {op.name!r}: {part} gave a {type(result).__name__}, not a number") from None


def _node(op: Op, out: Scalar, x: Any, dx: Any, y: Any, dy: Any) -> Value:
    """A new node of `op` (a leaf under no_grad)."""
    node = _new(Value)
    node._data = out if type(out) is float else coerce(out)
    node.grad = 0
    node._label = None
    node._op = op
    operands = x if type(x) is tuple else tuple(v for v in (x, y) if isinstance(v, Value))
    if _current_mode() is _RECORDING or _mode.records(node._data, op.name, operands):
        node._x, node._dx, node._y, node._dy = x, dx, y, dy
    else:
        node._x = node._dx = node._y = node._dy = None
    return node


def _terms(name: str, terms: Any) -> tuple[Any, ...]:
    """The terms of a sum or a max as a tuple, checked: an ordered, non-empty iterable."""
    if type(terms) is not tuple:
        if isinstance(terms, Value) or not isinstance(terms, Iterable):
            raise TypeError(f"{name} takes an iterable of Values, not {type(terms).__name__}")
        if isinstance(terms, (Set, Mapping)):
            raise TypeError(f"{name} takes Values in order (a list or a tuple), not a {type(terms).__name__}")
        terms = tuple(terms)
    if not terms:
        raise ValueError(f"{name} needs at least one term")
    checked: tuple[Any, ...] = terms
    return checked


def _refuse(name: str, terms: tuple[Any, ...]) -> None:
    """The TypeError for the first term of a sum or max that is not a Value, naming it and its place."""
    i, term = next((i, t) for i, t in enumerate(terms) if not isinstance(t, Value))
    hint = "flatten nested lists" if isinstance(term, (list, tuple)) else "add a constant with +"
    raise TypeError(f"{name} takes Values: term {i} is of type {type(term).__name__} ({hint})")
