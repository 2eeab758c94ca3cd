"""gradcheck and gradgradcheck: back-propagated derivatives against central differences."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from autograd.backward import grad, hessian
from autograd.kinds import is_symbolic
from autograd.mode import no_grad
from autograd.value import Value


class GradcheckError(AssertionError):
    """Backward and central differences disagree for at least one input."""


def gradcheck(
    f: Callable[..., Value],
    inputs: Sequence[Value],
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
) -> bool:
    """True if ∂f/∂x from backward matches (f(x + eps) - f(x - eps)) / 2eps for every input x."""
    _numeric_inputs("gradcheck", inputs)
    analytic = grad(f(*inputs), inputs)
    mismatches = []
    for i, x in enumerate(inputs):
        numeric = (_at(f, inputs, i, eps).data - _at(f, inputs, i, -eps).data) / (2 * eps)
        mismatches += _mismatch(_name(i, x), analytic[i], numeric, atol, rtol)
    return _verdict("gradcheck", mismatches)


def gradgradcheck(
    f: Callable[..., Value],
    inputs: Sequence[Value],
    eps: float = 1e-5,
    atol: float = 1e-4,
    rtol: float = 1e-3,
) -> bool:
    """True if every ∂²f/∂x_i∂x_j (hessian) matches the central differences of the first derivatives."""
    _numeric_inputs("gradgradcheck", inputs)
    analytic = hessian(f(*inputs), inputs)
    mismatches = []
    for j, xj in enumerate(inputs):
        plus = grad(*_moved(f, inputs, j, eps))
        minus = grad(*_moved(f, inputs, j, -eps))
        for i, xi in enumerate(inputs):
            numeric = (float(plus[i]) - float(minus[i])) / (2 * eps)
            mismatches += _mismatch(f"{_name(i, xi)}, {_name(j, xj)}", analytic[i][j], numeric, atol, rtol)
    return _verdict("gradgradcheck", mismatches)


def _numeric_inputs(check: str, inputs: Sequence[Value]) -> None:
    """Refuse symbolic data: central differences need numbers."""
    if any(is_symbolic(x.data) for x in inputs):
        raise TypeError(f"{check} needs numeric data: central differences cannot take sympy data")


def _moved(
    f: Callable[..., Value], inputs: Sequence[Value], i: int, step: float
) -> tuple[Value, list[Value]]:
    """f's output with input i moved by `step`, and the inputs it was computed from."""
    args = [Value(float(x.data) + step) if j == i else x for j, x in enumerate(inputs)]
    return f(*args), args


def _at(f: Callable[..., Value], inputs: Sequence[Value], i: int, step: float) -> Value:
    """f evaluated with input i moved by `step` (no graph recorded)."""
    with no_grad():
        return _moved(f, inputs, i, step)[0]


def _name(i: int, x: Value) -> str:
    return f"input {i}" + (f" ({x.label})" if x.label else "")


def _mismatch(name: str, analytic: object, numeric: float, atol: float, rtol: float) -> list[str]:
    """A line naming `name` with both values where they disagree, else nothing."""
    value = float(analytic)  # type: ignore[arg-type]
    if abs(value - numeric) <= atol + rtol * abs(numeric):
        return []
    return [f"{name}: backward {value!r}, numerical {numeric!r}"]


def _verdict(check: str, mismatches: list[str]) -> bool:
    """True, or a GradcheckError that lists every mismatch."""
    if mismatches:
        raise GradcheckError(f"{check} failed for\n  " + "\n  ".join(mismatches))
    return True
