"""impactgrad's engine: scalar Values, the chain rule along the graph, and the paths of impacts."""

from autograd.backward import grad, hessian, topological_order
from autograd.check import GradcheckError, gradcheck, gradgradcheck
from autograd.draw import draw
from autograd.impacts import Path, count_paths, impacts
from autograd.mode import detect_anomaly, enable_grad, is_grad_enabled, no_grad
from autograd.value import Value

__all__ = [
    "GradcheckError",
    "Path",
    "Value",
    "count_paths",
    "detect_anomaly",
    "draw",
    "enable_grad",
    "grad",
    "gradcheck",
    "gradgradcheck",
    "hessian",
    "impacts",
    "is_grad_enabled",
    "no_grad",
    "topological_order",
]
