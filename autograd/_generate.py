"""Write the Value operators (autograd/_operators.py) from the rules: `python -m autograd._generate`.

Each rule's formulas (`autograd.formulas`: "x * y", "k.times_pow(y, x, y - 1)") are inlined into one
method per op (its reflected form too), so the float path stays one call per node and
`inspect.getsource` reads it. It also writes the op table of README.md and docs/guide/ops.md. Tests
check that all are what this module writes now.
"""

from __future__ import annotations

import sys
from fractions import Fraction
from pathlib import Path

from autograd.formulas import formulas
from autograd.kinds import ExactKind
from autograd.rules import MANY, OPS, Op

TARGET = Path(__file__).with_name("_operators.py")
ROOT = Path(__file__).resolve().parent.parent
TABLE_PAGES = (ROOT / "README.md", ROOT / "docs" / "guide" / "ops.md")  # the pages that show the op table
TABLE_START = "<!-- op table: written from autograd.rules by python -m autograd._generate -->"
TABLE_END = "<!-- end of op table -->"

# The Value methods of ops whose method is not named after the op (sum and max are functions).
METHODS: dict[str, tuple[str, str | None]] = {
    "+": ("__add__", "__radd__"),
    "-": ("__sub__", "__rsub__"),
    "*": ("__mul__", "__rmul__"),
    "/": ("__truediv__", "__rtruediv__"),
    "**": ("__pow__", "__rpow__"),
    "neg": ("__neg__", None),
    "abs": ("__abs__", None),
    "leaky_relu": ("_leaky_relu", None),  # Value.leaky_relu(slope=0.01) checks the slope, then calls it
}
def method_names(op: Op) -> tuple[str, str | None]:
    """The Value method that applies `op`, and its reflected form (`2 * x`) for binary operators."""
    return METHODS.get(op.name, (op.name, None))


def docstring(op: Op, rule: str) -> str:
    """An op's formulas, as its method's docstring (`rule`: its name in autograd.rules)."""
    forward, dx, dy = formulas(op)
    lines = [f"{op.name}: out = {forward}.", "", f"∂out/∂x = {dx}"]
    lines += [f"∂out/∂y = {dy}"] if dy else []
    lines += [f"(the rule {rule} in autograd.rules, over the kind k of the data)"]
    return "\n".join(f"        {line}" if line else "" for line in lines).lstrip() + "\n        "


_HEADER = '''"""The Value operators, written from autograd.rules by `python -m autograd._generate`.

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
{imports}
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
'''

_KIND = "k = _FLOAT if type({0}) is float else kind_of({0})"
_IS_CONSTANT = "type(other) in _NUMBERS or is_constant(other)"

_UNARY = '''
    def {method}(self) -> Value:
        """{doc}"""
        x = self._data
        {kind_if_used}out = {forward}
        {node_of_self}
'''

_BINARY = '''
    def {method}(self, other: Value | Scalar) -> Value:
        """{doc}"""
        x = self._data
        if type(other) is Value or isinstance(other, Value):
            y = other._data
            {kind_if_used}out = {forward}
            {node_with_value}
        if not ({is_constant}):
            return NotImplemented
        {kind}
        {y_from_other}
        out = {forward}
        {node_with_constant}
'''

_WITH_CONSTANT = '''
    def {method}(self, other: Scalar) -> Value:
        """{doc}"""
        x = self._data
        {kind}
        y = k.constant(other)
        out = {forward}
        {node_with_constant}
'''

_REFLECTED = '''
    def {reflected}(self, other: Value | Scalar) -> Value:
        """{doc}"""
        if not ({is_constant}):
            return NotImplemented
        y = self._data
        {kind_y}
        {x_from_other}
        out = {forward}
        {node_reflected}
'''

# The new node `out` (one object, no call) with its operands and local derivatives, returned: under
# no_grad (or detect_anomaly, see autograd.mode.records) it may stay a leaf.
_MAKE_NODE = """if type(out) is not float:
    out = coerce(out)
node = _new(Value)
node._data = out
node.grad = 0
node._label = None
node._op = {rule}
if _current_mode() is not _RECORDING and not _records(out, {name!r}, {operands}):
    node._x = node._dx = node._y = node._dy = None
    return node
node._x = {x}
node._dx = {dx}
node._y = {y}
node._dy = {dy}
return node"""

# The constant operand `other` converted to the kind, into `{0}` (x or y); an overflow names the op. A
# float or int constant beside float data is converted here; other kinds convert their own.
_FROM_OTHER = """try:
    if k is _FLOAT and type(other) in _NUMBERS:
        {0} = other if type(other) is float else _to_float(other)
    else:
        {0} = k.constant(other)
except OverflowError as error:
    raise OverflowError(f"{name}: {{error}}") from None"""


def rule_names() -> dict[str, str]:
    """The name each built-in op has in autograd.rules (MUL for '*')."""
    import autograd.rules as rules

    return {op.name: name for name, op in vars(rules).items() if isinstance(op, Op)}


def operator_source(op: Op, rule: str) -> str:
    """The Python source of the Value method(s) that apply `op` (`rule`: its name in autograd.rules)."""
    forward, dx, dy = formulas(op)
    method, reflected = method_names(op)

    def node(indent: int, x: str, dx: str | None, y: str, dy: str | None, operands: str) -> str:
        """The code that makes and returns the node, indented to its place in a template."""
        code = _MAKE_NODE.format(name=op.name, rule=rule, operands=operands, x=x, dx=dx, y=y, dy=dy)
        return code.replace("\n", "\n" + " " * indent)

    def from_other(target: str) -> str:
        """The conversion of the constant operand into `target`, indented to its place in a template."""
        code = _FROM_OTHER.format(target, name=op.name)
        return code.replace("\n", "\n        ")

    template = _UNARY if op.arity == 1 else _BINARY if op.dy is not None else _WITH_CONSTANT
    uses_kind = "k." in f"{forward} {dx} {dy}"
    fields = {
        "method": method,
        "reflected": reflected,
        "doc": docstring(op, rule),
        "forward": forward,
        "kind": _KIND.format("x"),
        "kind_if_used": _KIND.format("x") + "\n" + " " * (8 if op.arity == 1 else 12) if uses_kind else "",
        "y_from_other": from_other("y"),
        "x_from_other": from_other("x"),
        "node_of_self": node(8, "self", dx, "None", "None", "(self,)"),
        "node_with_value": node(12, "self", dx, "other", dy, "(self, other)"),
        "node_with_constant": node(8, "self", dx, "y", "None", "(self,)"),
        "node_reflected": node(8, "x", "None", "self", dy, "(self,)"),
        "kind_y": _KIND.format("y"),
        "is_constant": _IS_CONSTANT,
    }
    source = template.format(**fields)
    if reflected:
        source += _REFLECTED.format(**fields)
    return source


def source() -> str:
    """The text of autograd/_operators.py."""
    names = rule_names()
    ops = [op for op in OPS.values() if op.arity != MANY]
    imports = "\n".join(f"    {name}," for name in sorted(names[op.name] for op in ops))
    return _HEADER.format(imports=imports) + "".join(operator_source(op, names[op.name]) for op in ops)


def op_table() -> str:
    """The op table: each built-in op's method, value and local derivatives."""
    lines = ["| op | Value method | value | ∂/∂x | ∂/∂y | exact on Fractions |", "|---|---|---|---|---|---|"]
    for op in OPS.values():
        forward, dx, dy = formulas(op)
        method = method_names(op)[0].replace("_leaky_relu", "leaky_relu(slope)")
        cells = [f"`{cell}`" if cell else "—" for cell in (op.name, method, forward, dx, dy)]
        if op.arity == MANY:
            cells[1] = f"`autograd.{op.name}(terms)`"
            cells[2] += ", term after term" if "x + y" in forward else ""
            cells[3] += "" if dx.endswith("(terms)") else " for each term"
        lines.append(f"| {' | '.join(cells)} | {'yes' if exact(op) else 'float'} |")
    return "\n".join(lines)


def exact(op: Op) -> bool:
    """Whether Fractions stay Fractions through op's value (tried at 1/3, and 2 as a second operand)."""
    x, y = Fraction(1, 3), Fraction(2)
    args = ([x, y],) if op.arity == MANY else (x, y)[: op.arity]
    return isinstance(op.forward(ExactKind, *args), Fraction)


def with_op_table(text: str) -> str:
    """A page's text with its op table written afresh."""
    start = text.index(TABLE_START) + len(TABLE_START)
    return f"{text[:start]}\n{op_table()}\n\n{text[text.index(TABLE_END):]}"


def main(argv: list[str]) -> int:
    """Write _operators.py and the pages' op tables (`--check`: only say whether they are up to date)."""
    files = {page: with_op_table(page.read_text(encoding="utf-8")) for page in TABLE_PAGES}
    files[TARGET] = source()
    stale = [path for path, text in files.items() if path.read_text(encoding="utf-8") != text]
    if "--check" in argv:
        names = ", ".join(map(str, stale))
        print(f"stale (run python -m autograd._generate): {names}" if stale else "up to date")
        return 1 if stale else 0
    for path in stale:
        path.write_text(files[path], encoding="utf-8")
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
