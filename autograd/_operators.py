"""The Value operators, written from autograd.rules by `python -m autograd._generate`.

Do not edit: change a rule and run the command again (a test checks this file is what it writes). Each
method computes the value with its rule's formula over the kind `k` of the data (floats take the fast
path: `k` is FloatKind), makes one node and stores its local derivatives ∂out/∂x and ∂out/∂y.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from autograd.kinds import FloatKind as _FLOAT
from autograd.kinds import Scalar, coerce, is_constant, kind_of
from autograd.kinds import to_float as _to_float
from autograd.mode import RECORDING as _RECORDING
from autograd.mode import _mode
from autograd.mode import records as _records
from autograd.rules import (
    ABS,
    ADD,
    COS,
    DIV,
    EXP,
    LEAKY_RELU,
    LOG,
    LOG1P,
    MUL,
    NEG,
    POW,
    RELU,
    SIGMOID,
    SIN,
    SOFTPLUS,
    SQRT,
    SUB,
    TAN,
    TANH,
)

if TYPE_CHECKING:
    from autograd.value import Value  # at run time set by autograd.value, which imports this module

_NUMBERS = (float, int)  # the common constants, checked before is_constant's slower ABC check
_new = object.__new__
_current_mode = _mode.get  # mode.current() without its Python call: it runs for every node


class Operators:
    """The ops of autograd.rules as methods of Value (its base class)."""

    __slots__ = ()
    _data: Scalar

    def __add__(self, other: Value | Scalar) -> Value:
        """+: out = x + y.

        ∂out/∂x = 1
        ∂out/∂y = 1
        (the rule ADD in autograd.rules, over the kind k of the data)
        """
        x = self._data
        if type(other) is Value or isinstance(other, Value):
            y = other._data
            out = x + y
            if type(out) is not float:
                out = coerce(out)
            node = _new(Value)
            node._data = out
            node.grad = 0
            node._label = None
            node._op = ADD
            if _current_mode() is not _RECORDING and not _records(out, '+', (self, other)):
                node._x = node._dx = node._y = node._dy = None
                return node
            node._x = self
            node._dx = 1
            node._y = other
            node._dy = 1
            return node
        if not (type(other) in _NUMBERS or is_constant(other)):
            return NotImplemented
        k = _FLOAT if type(x) is float else kind_of(x)
        try:
            if k is _FLOAT and type(other) in _NUMBERS:
                y = other if type(other) is float else _to_float(other)
            else:
                y = k.constant(other)
        except OverflowError as error:
            raise OverflowError(f"+: {error}") from None
        out = x + y
        if type(out) is not float:
            out = coerce(out)
        node = _new(Value)
        node._data = out
        node.grad = 0
        node._label = None
        node._op = ADD
        if _current_mode() is not _RECORDING and not _records(out, '+', (self,)):
            node._x = node._dx = node._y = node._dy = None
            return node
        node._x = self
        node._dx = 1
        node._y = y
        node._dy = None
        return node

    def __radd__(self, other: Value | Scalar) -> Value:
        """+: out = x + y.

        ∂out/∂x = 1
        ∂out/∂y = 1
        (the rule ADD in autograd.rules, over the kind k of the data)
        """
        if not (type(other) in _NUMBERS or is_constant(other)):
            return NotImplemented
        y = self._data
        k = _FLOAT if type(y) is float else kind_of(y)
        try:
            if k is _FLOAT and type(other) in _NUMBERS:
                x = other if type(other) is float else _to_float(other)
            else:
                x = k.constant(other)
        except OverflowError as error:
            raise OverflowError(f"+: {error}") from None
        out = x + y
        if type(out) is not float:
            out = coerce(out)
        node = _new(Value)
        node._data = out
        node.grad = 0
        node._label = None
        node._op = ADD
        if _current_mode() is not _RECORDING and not _records(out, '+', (self,)):
            node._x = node._dx = node._y = node._dy = None
            return node
        node._x = x
        node._dx = None
        node._y = self
        node._dy = 1
        return node

    def __sub__(self, other: Value | Scalar) -> Value:
        """-: out = x - y.

        ∂out/∂x = 1
        ∂out/∂y = -1
        (the rule SUB in autograd.rules, over the kind k of the data)
        """
        x = self._data
        if type(other) is Value or isinstance(other, Value):
            y = other._data
            out = x - y
            if type(out) is not float:
                out = coerce(out)
            node = _new(Value)
            node._data = out
            node.grad = 0
            node._label = None
            node._op = SUB
            if _current_mode() is not _RECORDING and not _records(out, '-', (self, other)):
                node._x = node._dx = node._y = node._dy = None
                return node
            node._x = self
            node._dx = 1
            node._y = other
            node._dy = -1
            return node
        if not (type(other) in _NUMBERS or is_constant(other)):
            return NotImplemented
        k = _FLOAT if type(x) is float else kind_of(x)
        try:
            if k is _FLOAT and type(other) in _NUMBERS:
                y = other if type(other) is float else _to_float(other)
            else:
                y = k.constant(other)
        except OverflowError as error:
            raise OverflowError(f"-: {error}") from None
        out = x - y
        if type(out) is not float:
            out = coerce(out)
        node = _new(Value)
        node._data = out
        node.grad = 0
        node._label = None
        node._op = SUB
        if _current_mode() is not _RECORDING and not _records(out, '-', (self,)):
            node._x = node._dx = node._y = node._dy = None
            return node
        node._x = self
        node._dx = 1
        node._y = y
        node._dy = None
        return node

    def __rsub__(self, other: Value | Scalar) -> Value:
        """-: out = x - y.

        ∂out/∂x = 1
        ∂out/∂y = -1
        (the rule SUB in autograd.rules, over the kind k of the data)
        """
        if not (type(other) in _NUMBERS or is_constant(other)):
            return NotImplemented
        y = self._data
        k = _FLOAT if type(y) is float else kind_of(y)
        try:
            if k is _FLOAT and type(other) in _NUMBERS:
                x = other if type(other) is float else _to_float(other)
            else:
                x = k.constant(other)
        except OverflowError as error:
            raise OverflowError(f"-: {error}") from None
        out = x - y
        if type(out) is not float:
            out = coerce(out)
        node = _new(Value)
        node._data = out
        node.grad = 0
        node._label = None
        node._op = SUB
        if _current_mode() is not _RECORDING and not _records(out, '-', (self,)):
            node._x = node._dx = node._y = node._dy = None
            return node
        node._x = x
        node._dx = None
        node._y = self
        node._dy = -1
        return node

    def __mul__(self, other: Value | Scalar) -> Value:
        """*: out = x * y.

        ∂out/∂x = y
        ∂out/∂y = x
        (the rule MUL in autograd.rules, over the kind k of the data)
        """
        x = self._data
        if type(other) is Value or isinstance(other, Value):
            y = other._data
            out = x * y
            if type(out) is not float:
                out = coerce(out)
            node = _new(Value)
            node._data = out
            node.grad = 0
            node._label = None
            node._op = MUL
            if _current_mode() is not _RECORDING and not _records(out, '*', (self, other)):
                node._x = node._dx = node._y = node._dy = None
                return node
            node._x = self
            node._dx = y
            node._y = other
            node._dy = x
            return node
        if not (type(other) in _NUMBERS or is_constant(other)):
            return NotImplemented
        k = _FLOAT if type(x) is float else kind_of(x)
        try:
            if k is _FLOAT and type(other) in _NUMBERS:
                y = other if type(other) is float else _to_float(other)
            else:
                y = k.constant(other)
        except OverflowError as error:
            raise OverflowError(f"*: {error}") from None
        out = x * y
        if type(out) is not float:
            out = coerce(out)
        node = _new(Value)
        node._data = out
        node.grad = 0
        node._label = None
        node._op = MUL
        if _current_mode() is not _RECORDING and not _records(out, '*', (self,)):
            node._x = node._dx = node._y = node._dy = None
            return node
        node._x = self
        node._dx = y
        node._y = y
        node._dy = None
        return node

    def __rmul__(self, other: Value | Scalar) -> Value:
        """*: out = x * y.

        ∂out/∂x = y
        ∂out/∂y = x
        (the rule MUL in autograd.rules, over the kind k of the data)
        """
        if not (type(other) in _NUMBERS or is_constant(other)):
            return NotImplemented
        y = self._data
        k = _FLOAT if type(y) is float else kind_of(y)
        try:
            if k is _FLOAT and type(other) in _NUMBERS:
                x = other if type(other) is float else _to_float(other)
            else:
                x = k.constant(other)
        except OverflowError as error:
            raise OverflowError(f"*: {error}") from None
        out = x * y
        if type(out) is not float:
            out = coerce(out)
        node = _new(Value)
        node._data = out
        node.grad = 0
        node._label = None
        node._op = MUL
        if _current_mode() is not _RECORDING and not _records(out, '*', (self,)):
            node._x = node._dx = node._y = node._dy = None
            return node
        node._x = x
        node._dx = None
        node._y = self
        node._dy = x
        return node

    def __truediv__(self, other: Value | Scalar) -> Value:
        """/: out = k.divide(x, y).

        ∂out/∂x = 1 / y
        ∂out/∂y = -out / y
        (the rule DIV in autograd.rules, over the kind k of the data)
        """
        x = self._data
        if type(other) is Value or isinstance(other, Value):
            y = other._data
            k = _FLOAT if type(x) is float else kind_of(x)
            out = k.divide(x, y)
            if type(out) is not float:
                out = coerce(out)
            node = _new(Value)
            node._data = out
            node.grad = 0
            node._label = None
            node._op = DIV
            if _current_mode() is not _RECORDING and not _records(out, '/', (self, other)):
                node._x = node._dx = node._y = node._dy = None
                return node
            node._x = self
            node._dx = 1 / y
            node._y = other
            node._dy = -out / y
            return node
        if not (type(other) in _NUMBERS or is_constant(other)):
            return NotImplemented
        k = _FLOAT if type(x) is float else kind_of(x)
        try:
            if k is _FLOAT and type(other) in _NUMBERS:
                y = other if type(other) is float else _to_float(other)
            else:
                y = k.constant(other)
        except OverflowError as error:
            raise OverflowError(f"/: {error}") from None
        out = k.divide(x, y)
        if type(out) is not float:
            out = coerce(out)
        node = _new(Value)
        node._data = out
        node.grad = 0
        node._label = None
        node._op = DIV
        if _current_mode() is not _RECORDING and not _records(out, '/', (self,)):
            node._x = node._dx = node._y = node._dy = None
            return node
        node._x = self
        node._dx = 1 / y
        node._y = y
        node._dy = None
        return node

    def __rtruediv__(self, other: Value | Scalar) -> Value:
        """/: out = k.divide(x, y).

        ∂out/∂x = 1 / y
        ∂out/∂y = -out / y
        (the rule DIV in autograd.rules, over the kind k of the data)
        """
        if not (type(other) in _NUMBERS or is_constant(other)):
            return NotImplemented
        y = self._data
        k = _FLOAT if type(y) is float else kind_of(y)
        try:
            if k is _FLOAT and type(other) in _NUMBERS:
                x = other if type(other) is float else _to_float(other)
            else:
                x = k.constant(other)
        except OverflowError as error:
            raise OverflowError(f"/: {error}") from None
        out = k.divide(x, y)
        if type(out) is not float:
            out = coerce(out)
        node = _new(Value)
        node._data = out
        node.grad = 0
        node._label = None
        node._op = DIV
        if _current_mode() is not _RECORDING and not _records(out, '/', (self,)):
            node._x = node._dx = node._y = node._dy = None
            return node
        node._x = x
        node._dx = None
        node._y = self
        node._dy = -out / y
        return node

    def __pow__(self, other: Value | Scalar) -> Value:
        """**: out = k.power(x, y).

        ∂out/∂x = k.times_pow(y, x, y - 1)
        ∂out/∂y = k.times_log(out, x)
        (the rule POW in autograd.rules, over the kind k of the data)
        """
        x = self._data
        if type(other) is Value or isinstance(other, Value):
            y = other._data
            k = _FLOAT if type(x) is float else kind_of(x)
            out = k.power(x, y)
            if type(out) is not float:
                out = coerce(out)
            node = _new(Value)
            node._data = out
            node.grad = 0
            node._label = None
            node._op = POW
            if _current_mode() is not _RECORDING and not _records(out, '**', (self, other)):
                node._x = node._dx = node._y = node._dy = None
                return node
            node._x = self
            node._dx = k.times_pow(y, x, y - 1)
            node._y = other
            node._dy = k.times_log(out, x)
            return node
        if not (type(other) in _NUMBERS or is_constant(other)):
            return NotImplemented
        k = _FLOAT if type(x) is float else kind_of(x)
        try:
            if k is _FLOAT and type(other) in _NUMBERS:
                y = other if type(other) is float else _to_float(other)
            else:
                y = k.constant(other)
        except OverflowError as error:
            raise OverflowError(f"**: {error}") from None
        out = k.power(x, y)
        if type(out) is not float:
            out = coerce(out)
        node = _new(Value)
        node._data = out
        node.grad = 0
        node._label = None
        node._op = POW
        if _current_mode() is not _RECORDING and not _records(out, '**', (self,)):
            node._x = node._dx = node._y = node._dy = None
            return node
        node._x = self
        node._dx = k.times_pow(y, x, y - 1)
        node._y = y
        node._dy = None
        return node

    def __rpow__(self, other: Value | Scalar) -> Value:
        """**: out = k.power(x, y).

        ∂out/∂x = k.times_pow(y, x, y - 1)
        ∂out/∂y = k.times_log(out, x)
        (the rule POW in autograd.rules, over the kind k of the data)
        """
        if not (type(other) in _NUMBERS or is_constant(other)):
            return NotImplemented
        y = self._data
        k = _FLOAT if type(y) is float else kind_of(y)
        try:
            if k is _FLOAT and type(other) in _NUMBERS:
                x = other if type(other) is float else _to_float(other)
            else:
                x = k.constant(other)
        except OverflowError as error:
            raise OverflowError(f"**: {error}") from None
        out = k.power(x, y)
        if type(out) is not float:
            out = coerce(out)
        node = _new(Value)
        node._data = out
        node.grad = 0
        node._label = None
        node._op = POW
        if _current_mode() is not _RECORDING and not _records(out, '**', (self,)):
            node._x = node._dx = node._y = node._dy = None
            return node
        node._x = x
        node._dx = None
        node._y = self
        node._dy = k.times_log(out, x)
        return node

    def __neg__(self) -> Value:
        """neg: out = -x.

        ∂out/∂x = -1
        (the rule NEG in autograd.rules, over the kind k of the data)
        """
        x = self._data
        out = -x
        if type(out) is not float:
            out = coerce(out)
        node = _new(Value)
        node._data = out
        node.grad = 0
        node._label = None
        node._op = NEG
        if _current_mode() is not _RECORDING and not _records(out, 'neg', (self,)):
            node._x = node._dx = node._y = node._dy = None
            return node
        node._x = self
        node._dx = -1
        node._y = None
        node._dy = None
        return node

    def exp(self) -> Value:
        """exp: out = k.exp(x).

        ∂out/∂x = out
        (the rule EXP in autograd.rules, over the kind k of the data)
        """
        x = self._data
        k = _FLOAT if type(x) is float else kind_of(x)
        out = k.exp(x)
        if type(out) is not float:
            out = coerce(out)
        node = _new(Value)
        node._data = out
        node.grad = 0
        node._label = None
        node._op = EXP
        if _current_mode() is not _RECORDING and not _records(out, 'exp', (self,)):
            node._x = node._dx = node._y = node._dy = None
            return node
        node._x = self
        node._dx = out
        node._y = None
        node._dy = None
        return node

    def log(self) -> Value:
        """log: out = k.log(x).

        ∂out/∂x = 1 / x
        (the rule LOG in autograd.rules, over the kind k of the data)
        """
        x = self._data
        k = _FLOAT if type(x) is float else kind_of(x)
        out = k.log(x)
        if type(out) is not float:
            out = coerce(out)
        node = _new(Value)
        node._data = out
        node.grad = 0
        node._label = None
        node._op = LOG
        if _current_mode() is not _RECORDING and not _records(out, 'log', (self,)):
            node._x = node._dx = node._y = node._dy = None
            return node
        node._x = self
        node._dx = 1 / x
        node._y = None
        node._dy = None
        return node

    def log1p(self) -> Value:
        """log1p: out = k.log1p(x).

        ∂out/∂x = 1 / (1 + x)
        (the rule LOG1P in autograd.rules, over the kind k of the data)
        """
        x = self._data
        k = _FLOAT if type(x) is float else kind_of(x)
        out = k.log1p(x)
        if type(out) is not float:
            out = coerce(out)
        node = _new(Value)
        node._data = out
        node.grad = 0
        node._label = None
        node._op = LOG1P
        if _current_mode() is not _RECORDING and not _records(out, 'log1p', (self,)):
            node._x = node._dx = node._y = node._dy = None
            return node
        node._x = self
        node._dx = 1 / (1 + x)
        node._y = None
        node._dy = None
        return node

    def sqrt(self) -> Value:
        """sqrt: out = k.sqrt(x).

        ∂out/∂x = k.inverse(2 * out)
        (the rule SQRT in autograd.rules, over the kind k of the data)
        """
        x = self._data
        k = _FLOAT if type(x) is float else kind_of(x)
        out = k.sqrt(x)
        if type(out) is not float:
            out = coerce(out)
        node = _new(Value)
        node._data = out
        node.grad = 0
        node._label = None
        node._op = SQRT
        if _current_mode() is not _RECORDING and not _records(out, 'sqrt', (self,)):
            node._x = node._dx = node._y = node._dy = None
            return node
        node._x = self
        node._dx = k.inverse(2 * out)
        node._y = None
        node._dy = None
        return node

    def sin(self) -> Value:
        """sin: out = k.sin(x).

        ∂out/∂x = k.cos(x)
        (the rule SIN in autograd.rules, over the kind k of the data)
        """
        x = self._data
        k = _FLOAT if type(x) is float else kind_of(x)
        out = k.sin(x)
        if type(out) is not float:
            out = coerce(out)
        node = _new(Value)
        node._data = out
        node.grad = 0
        node._label = None
        node._op = SIN
        if _current_mode() is not _RECORDING and not _records(out, 'sin', (self,)):
            node._x = node._dx = node._y = node._dy = None
            return node
        node._x = self
        node._dx = k.cos(x)
        node._y = None
        node._dy = None
        return node

    def cos(self) -> Value:
        """cos: out = k.cos(x).

        ∂out/∂x = -k.sin(x)
        (the rule COS in autograd.rules, over the kind k of the data)
        """
        x = self._data
        k = _FLOAT if type(x) is float else kind_of(x)
        out = k.cos(x)
        if type(out) is not float:
            out = coerce(out)
        node = _new(Value)
        node._data = out
        node.grad = 0
        node._label = None
        node._op = COS
        if _current_mode() is not _RECORDING and not _records(out, 'cos', (self,)):
            node._x = node._dx = node._y = node._dy = None
            return node
        node._x = self
        node._dx = -k.sin(x)
        node._y = None
        node._dy = None
        return node

    def tan(self) -> Value:
        """tan: out = k.tan(x).

        ∂out/∂x = 1 + out * out
        (the rule TAN in autograd.rules, over the kind k of the data)
        """
        x = self._data
        k = _FLOAT if type(x) is float else kind_of(x)
        out = k.tan(x)
        if type(out) is not float:
            out = coerce(out)
        node = _new(Value)
        node._data = out
        node.grad = 0
        node._label = None
        node._op = TAN
        if _current_mode() is not _RECORDING and not _records(out, 'tan', (self,)):
            node._x = node._dx = node._y = node._dy = None
            return node
        node._x = self
        node._dx = 1 + out * out
        node._y = None
        node._dy = None
        return node

    def tanh(self) -> Value:
        """tanh: out = k.tanh(x).

        ∂out/∂x = 1 - out * out
        (the rule TANH in autograd.rules, over the kind k of the data)
        """
        x = self._data
        k = _FLOAT if type(x) is float else kind_of(x)
        out = k.tanh(x)
        if type(out) is not float:
            out = coerce(out)
        node = _new(Value)
        node._data = out
        node.grad = 0
        node._label = None
        node._op = TANH
        if _current_mode() is not _RECORDING and not _records(out, 'tanh', (self,)):
            node._x = node._dx = node._y = node._dy = None
            return node
        node._x = self
        node._dx = 1 - out * out
        node._y = None
        node._dy = None
        return node

    def sigmoid(self) -> Value:
        """sigmoid: out = k.sigmoid(x).

        ∂out/∂x = out * (1 - out)
        (the rule SIGMOID in autograd.rules, over the kind k of the data)
        """
        x = self._data
        k = _FLOAT if type(x) is float else kind_of(x)
        out = k.sigmoid(x)
        if type(out) is not float:
            out = coerce(out)
        node = _new(Value)
        node._data = out
        node.grad = 0
        node._label = None
        node._op = SIGMOID
        if _current_mode() is not _RECORDING and not _records(out, 'sigmoid', (self,)):
            node._x = node._dx = node._y = node._dy = None
            return node
        node._x = self
        node._dx = out * (1 - out)
        node._y = None
        node._dy = None
        return node

    def softplus(self) -> Value:
        """softplus: out = k.softplus(x).

        ∂out/∂x = k.sigmoid(x)
        (the rule SOFTPLUS in autograd.rules, over the kind k of the data)
        """
        x = self._data
        k = _FLOAT if type(x) is float else kind_of(x)
        out = k.softplus(x)
        if type(out) is not float:
            out = coerce(out)
        node = _new(Value)
        node._data = out
        node.grad = 0
        node._label = None
        node._op = SOFTPLUS
        if _current_mode() is not _RECORDING and not _records(out, 'softplus', (self,)):
            node._x = node._dx = node._y = node._dy = None
            return node
        node._x = self
        node._dx = k.sigmoid(x)
        node._y = None
        node._dy = None
        return node

    def __abs__(self) -> Value:
        """abs: out = k.abs(x).

        ∂out/∂x = k.sign(x)
        (the rule ABS in autograd.rules, over the kind k of the data)
        """
        x = self._data
        k = _FLOAT if type(x) is float else kind_of(x)
        out = k.abs(x)
        if type(out) is not float:
            out = coerce(out)
        node = _new(Value)
        node._data = out
        node.grad = 0
        node._label = None
        node._op = ABS
        if _current_mode() is not _RECORDING and not _records(out, 'abs', (self,)):
            node._x = node._dx = node._y = node._dy = None
            return node
        node._x = self
        node._dx = k.sign(x)
        node._y = None
        node._dy = None
        return node

    def relu(self) -> Value:
        """relu: out = k.relu(x).

        ∂out/∂x = k.step(x)
        (the rule RELU in autograd.rules, over the kind k of the data)
        """
        x = self._data
        k = _FLOAT if type(x) is float else kind_of(x)
        out = k.relu(x)
        if type(out) is not float:
            out = coerce(out)
        node = _new(Value)
        node._data = out
        node.grad = 0
        node._label = None
        node._op = RELU
        if _current_mode() is not _RECORDING and not _records(out, 'relu', (self,)):
            node._x = node._dx = node._y = node._dy = None
            return node
        node._x = self
        node._dx = k.step(x)
        node._y = None
        node._dy = None
        return node

    def _leaky_relu(self, other: Scalar) -> Value:
        """leaky_relu: out = k.leaky_relu(x, y).

        ∂out/∂x = k.step(x, y)
        (the rule LEAKY_RELU in autograd.rules, over the kind k of the data)
        """
        x = self._data
        k = _FLOAT if type(x) is float else kind_of(x)
        y = k.constant(other)
        out = k.leaky_relu(x, y)
        if type(out) is not float:
            out = coerce(out)
        node = _new(Value)
        node._data = out
        node.grad = 0
        node._label = None
        node._op = LEAKY_RELU
        if _current_mode() is not _RECORDING and not _records(out, 'leaky_relu', (self,)):
            node._x = node._dx = node._y = node._dy = None
            return node
        node._x = self
        node._dx = k.step(x, y)
        node._y = y
        node._dy = None
        return node
