"""A batch in one call: a compiled graph run over numpy arrays, one number per row.

`compiled([xs, ys, w])`, with xs and ys 1-D arrays of n rows and w a number shared by every row, runs
the graph's groups (`autograd.compile.levels`: a layer's neurons as one numpy op) once over the rows
and gives what n eager backward passes give: the output and every gradient as arrays of n (a gradient
that does not depend on the row is repeated; the caller sums the rows for a shared weight).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from autograd.arrays import ArrayKind, is_array, load_numpy
from autograd.backward import seed_of
from autograd.compile import levels
from autograd.kinds import Scalar, is_symbolic, to_float

if TYPE_CHECKING:
    from autograd.compile.compiled import Compiled


def call(compiled: Compiled, data: list[Any], grad_output: Scalar) -> tuple[Any, Any]:
    """(output, gradients) of the rows of `data`: the output a float64 array of n, the gradients one
    float64 array of inputs × n (grads[i]: input i's gradient at every row; sum a row for a weight)."""
    np = load_numpy()
    data, arrays, n = _rows(data)
    seed = seed_of(grad_output, ArrayKind, "a compiled call's grad_output")
    try:
        with np.errstate(all="ignore", divide="raise"):  # a rule's own x / 0: found below, row by row
            out, grads = levels.run(compiled.plan, data, arrays, seed, n)
    except FloatingPointError:
        _raise_first_failing_row(compiled, data, n, seed)
        raise
    return out, grads


def _rows(data: list[Any]) -> tuple[list[Any], list[int], int]:
    """The values as float64 arrays of one length n and floats, the indices of the arrays, and n; or a
    clear error naming the value.

    Arrays of ints become floats (as a Value's int data does); arrays of bools are refused (as a bool
    value is); so are other dtypes, arrays that are not 1-D, empty arrays and symbolic numbers.
    """
    first: tuple[int, int] | None = None  # (index, length) of the first array
    out = list(data)
    arrays = []
    for i, v in enumerate(out):
        if type(v) is float:
            continue
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
        arrays.append(i)
    assert first is not None  # Compiled.__call__ comes here only when some value is an array
    return out, arrays, first[1]


def _raise_first_failing_row(compiled: Compiled, data: list[Any], n: int, seed: float) -> None:
    """Raise the error of the first row whose call on its own numbers raises, naming the row."""
    for row in range(n):
        numbers = [float(v[row]) if is_array(v) else v for v in data]
        try:
            compiled(numbers, seed)
        except (ArithmeticError, ValueError) as error:
            raise type(error)(f"{error} (row {row})") from None
