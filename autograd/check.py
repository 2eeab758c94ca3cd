"""gradcheck: back-propagated gradients against central differences."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from autograd.backward import grad
from autograd.mode import no_grad
from autograd.scalars import is_symbolic
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
    if any(is_symbolic(x.data) for x in inputs):
        raise TypeError("gradcheck needs numeric data: central differences cannot take sympy data")
    analytic = grad(f(*inputs), inputs)
    mismatches = []
    for i, x in enumerate(inputs):
        numeric = (_shifted(f, inputs, i, eps) - _shifted(f, inputs, i, -eps)) / (2 * eps)
        if not abs(float(analytic[i]) - numeric) <= atol + rtol * abs(numeric):
            name = f"input {i}" + (f" ({x.label})" if x.label else "")
            mismatches.append(f"{name}: backward {float(analytic[i])!r}, numerical {numeric!r}")
    if mismatches:
        raise GradcheckError("gradcheck failed for\n  " + "\n  ".join(mismatches))
    return True


def _shifted(f: Callable[..., Value], inputs: Sequence[Value], i: int, step: float) -> float:
    """f evaluated with input i moved by `step` (no graph recorded)."""
    with no_grad():
        args = [Value(float(x.data) + step) if j == i else x for j, x in enumerate(inputs)]
        return float(f(*args).data)
