"""A batch in one call: a compiled graph run over numpy arrays, one number per row.

`compiled([xs, ys, w])`, with xs and ys 1-D arrays of n rows and w a number shared by every row, runs
the readable source once over the rows with `ArrayKind` (a mask for every branch) and gives what n
eager backward passes give: the output and every gradient as arrays of n (a gradient that does not
depend on the row is repeated; the caller sums the rows for a shared weight).
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Any

from autograd.arrays import ArrayKind, is_array, load_numpy
from autograd.backward import seed_of
from autograd.kinds import Scalar, is_symbolic, to_float

if TYPE_CHECKING:
    from autograd.compile.compiled import Compiled


def call(compiled: Compiled, data: list[Any], grad_output: Scalar) -> tuple[Any, list[Any]]:
    """(output, gradients) of the rows of `data`: the output and each gradient a float64 array of n."""
    np = load_numpy()
    data, n = _rows(data)
    seed = seed_of(grad_output, ArrayKind, "a compiled call's grad_output")
    try:
        with np.errstate(all="ignore", divide="raise"):  # a rule's own x / 0: found below, row by row
            out, grads = compiled._run(ArrayKind, "fast")(data, seed)
            table = _table(grads, n)
            if np.isnan(table).any():  # a NaN: perhaps 0 · inf at some row, where the engine passes nothing
                out, grads = compiled._run(ArrayKind, "guarded")(data, seed)
                table = _table(grads, n)
    except FloatingPointError:
        _raise_first_failing_row(compiled, data, n, seed)
        raise
    return np.array(np.broadcast_to(out, (n,)), dtype=float), list(table)


def _rows(data: list[Any]) -> tuple[list[Any], int]:
    """The values as float64 arrays of one length n and floats, and n; or a clear error naming the value.

    Arrays of ints become floats (as a Value's int data does); arrays of bools are refused (as a bool
    value is); so are other dtypes, arrays that are not 1-D, empty arrays and symbolic numbers.
    """
    first: tuple[int, int] | None = None  # (index, length) of the first array
    out = list(data)
    for i, v in enumerate(out):
        if not is_array(v):
            if is_symbolic(v):
                raise TypeError(f"value {i} is symbolic: an array call runs on float64 numbers")
            out[i] = to_float(v)  # a Fraction shared by every row: its float
            continue
        if v.ndim != 1:
            raise ValueError(f"value {i} is a {v.ndim}-D array: pass 1-D arrays, one number per row")
        if v.dtype.kind not in "fiu":
            raise TypeError(f"value {i} is an array of {v.dtype}, not of floats or ints")
        if len(v) == 0:
            raise ValueError(f"value {i} is an empty array: a batch needs at least one row")
        if first is None:
            first = (i, len(v))
        elif len(v) != first[1]:
            raise ValueError(
                f"value {i} is an array of {len(v)} rows, value {first[0]} of {first[1]}: "
                "the arrays of a call have one length"
            )
        out[i] = v.astype(float, copy=False)
    assert first is not None  # Compiled.__call__ comes here only when some value is an array
    return out, first[1]


def _table(grads: list[Any], n: int) -> Any:
    """The gradients as one float64 table (inputs × rows), each repeated where it does not depend on
    the row."""
    table = load_numpy().empty((len(grads), n))
    for i, g in enumerate(grads):
        table[i] = g
    return table


def _raise_first_failing_row(compiled: Compiled, data: list[Any], n: int, seed: float) -> None:
    """Raise the error of the first row whose call on its own numbers raises, naming the row."""
    for row in range(n):
        numbers = [float(v[row]) if is_array(v) else v for v in data]
        try:
            compiled(numbers, seed)
        except (ArithmeticError, ValueError) as error:
            raise type(error)(f"{error} (row {row})") from None


def guarded(source: str) -> str:
    """The readable source with each impact δc · local written `guard(δc, local)`: at a row where the
    local derivative is exactly 0 the impact is 0, as in the engine (relu blocks an infinite δ)."""
    tree = ast.parse(source)

    class Guard(ast.NodeTransformer):
        def visit_BinOp(self, node: ast.BinOp) -> ast.AST:
            self.generic_visit(node)
            left = node.left
            if isinstance(node.op, ast.Mult) and isinstance(left, ast.Name) and left.id.startswith("δ"):
                return ast.Call(ast.Name("guard", ast.Load()), [left, node.right], [])  # only δs start with δ
            return node

    return ast.unparse(ast.fix_missing_locations(Guard().visit(tree))) + "\n"
