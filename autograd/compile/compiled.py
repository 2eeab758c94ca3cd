"""Compiled: the code of a traced graph, called at new values; it runs in a namespace of its own.

The namespace holds the kinds' functions (exp, relu, step, ...), zero, inf, nan and the graph's
constants, bound by reference (never written into the code as text).
"""

from __future__ import annotations

import builtins
import math
from collections.abc import Callable, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any

from autograd.arrays import is_array
from autograd.backward import seed_of
from autograd.compile import rows
from autograd.compile.levels import Plan
from autograd.kinds import KINDS, ExactKind, FloatKind, Scalar, SymbolicKind, coerce, kind_of
from autograd.value import Value

if TYPE_CHECKING:
    from autograd.compile.chunks import Code


class Compiled:
    """A traced graph: `compiled(values)` returns (output, [∂output/∂input, ...]) at new input values.

    `source` is the generated Python; only the graph's structure is frozen, so data-dependent
    branches (relu, abs, ...) follow the new values, as an eager rebuild of the graph would.
    `kept` holds the values of compile's `keep` nodes in the last call (in their order).
    """

    def __init__(
        self, code: Code, constants: dict[str, Scalar], n_inputs: int, kind: Any, plan: Callable[[], Plan]
    ) -> None:
        self._plan: Plan | Callable[[], Plan] = plan  # made on the first call over arrays (`levels`)
        self.n_inputs = n_inputs
        self._code = code  # the readable source and the code that runs, each written when first asked for
        self._source: str | None = None
        self._constants = constants
        self._kind = kind
        first = "floats" if kind is FloatKind else "fast"  # the version calls will run: compiled now
        self._codes = {first: [builtins.compile(text, "<compiled>", "exec") for text in code.texts(first)]}
        self._runs: dict[tuple[Any, str], Any] = {}
        self.kept: list[Scalar] = []

    @property
    def plan(self) -> Plan:
        """The nodes grouped by depth and op, for calls over arrays: made when first asked for (a call
        over numbers never needs it), from the trace and the constants as compile saw them."""
        if not isinstance(self._plan, Plan):
            self._plan = self._plan()  # the trace it held is let go
        return self._plan

    @property
    def source(self) -> str:
        """The generated Python, readable: every node under its own name, one line each."""
        if self._source is None:
            self._source = self._code.source()
        return self._source

    def __call__(self, values: Sequence[Scalar], grad_output: Scalar = 1) -> tuple[Scalar, list[Scalar]]:
        """(output, gradients) at `values`, one number per input in order; no Value changes.

        Where some values are 1-D numpy arrays of one length n (one number per row), the call runs the
        n rows at once (`autograd.compile.rows`): the output is an array of n, the gradients one array
        of inputs × n (grads[i], input i's gradient at each row, is an array of n).
        """
        data, arrays = self._check(values)
        out, grads = rows.call(self, data, grad_output) if arrays else self._numbers(data, grad_output)
        self.kept = grads[self.n_inputs :]  # the code returns the δs of the inputs, then the kept values
        return out, grads[: self.n_inputs]

    def _numbers(self, data: list[Scalar], grad_output: Scalar) -> tuple[Scalar, list[Scalar]]:
        """The code's (output, [δ of each input, then each kept value]) at numbers."""
        kind = kind_of(data[0]) if data else self._kind
        seed_kind = SymbolicKind if SymbolicKind in (kind, self._kind) else kind  # the output's kind
        seed = seed_of(grad_output, seed_kind, "a compiled call's grad_output")
        floats = kind is self._kind is FloatKind and type(seed) is float  # then every value is a float
        floats = floats and all(type(v) is float for v in data)
        out, grads = self._run(kind, "floats" if floats else "fast")(data, seed)
        if any(g != g for g in grads[: self.n_inputs]):  # a NaN: perhaps 0 · inf, where eager passes nothing
            out, grads = self._run(kind, "guarded")(data, seed)
        return out, grads

    def _check(self, values: Sequence[Scalar]) -> tuple[list[Scalar], bool]:
        """The values as data (ints become floats; arrays left for `rows` to check), and whether any is
        an array; or a clear error that names the culprit."""
        if isinstance(values, (str, bytes)) or not isinstance(values, Sequence):
            raise TypeError(f"compiled(values) takes a sequence of numbers, not {type(values).__name__}")
        if len(values) != self.n_inputs:
            raise ValueError(
                f"compiled(values) expects {self.n_inputs} values (one per input), got {len(values)}"
            )
        data = list(values)
        arrays = False
        for i, v in enumerate(data):
            if type(v) is not float:
                if is_array(v):  # checked by autograd.compile.rows
                    arrays = True
                    continue
                if isinstance(v, (Value, bool)):
                    raise TypeError(f"value {i} is a {type(v).__name__}: pass numbers (v.data)")
                try:
                    data[i] = coerce(v)
                except TypeError:
                    raise TypeError(f"value {i} is a {type(v).__name__}, not a number") from None
        return data, arrays

    def _run(self, kind: Any, version: str) -> Any:
        """The generated function for this kind of data, in one version: "fast" (any number), "floats"
        (every value a float: relu written inline), or "guarded" (every impact guarded)."""
        if kind not in (FloatKind, ExactKind):
            version = "source"  # symbolic data: the readable source, which calls the kind's functions
        run = self._runs.get((kind, version))
        if run is None:
            codes = self._codes.get(version)
            if codes is None:
                texts = [self.source] if version == "source" else self._code.texts(version)
                codes = [builtins.compile(text, "<compiled>", "exec") for text in texts]
                self._codes[version] = codes
            namespace = {**kind_namespace(kind), **self._constants}
            for code in codes:
                exec(code, namespace)  # the code the writer wrote from the rules, names made safe
            run = self._runs[(kind, version)] = namespace["compiled"]
        return run


@cache
def kind_namespace(kind: Any) -> dict[str, Any]:
    """The names generated code calls: the kind's functions (relu, step, exp, ...), zero, inf, nan."""
    names = {name: getattr(kind, name) for name in dir(kind) if not name.startswith("_")}
    return {**names, "inf": math.inf, "nan": math.nan}


NAMESPACE = frozenset(  # the names the generated code uses: no name made from a label may be one of them
    {"values", "seed", "compiled"} | {name for kind in KINDS for name in kind_namespace(kind)}
)
