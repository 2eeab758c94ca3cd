"""impactgrad's engine: scalar Values, the chain rule along the graph, and the paths of impacts."""

from autograd.backward import grad, hessian, topological_order
from autograd.check import GradcheckError, gradcheck, gradgradcheck
from autograd.compile import Compiled, compile
from autograd.draw import draw
from autograd.explore import explore
from autograd.files import write_atomically
from autograd.groups import group, is_recording_groups, record_groups
from autograd.impacts import Path, count_paths, explain, impacts
from autograd.mode import detect_anomaly, enable_grad, is_grad_enabled, no_grad
from autograd.rules import OPS, Op
from autograd.value import Value
from autograd.value import max as max  # max and sum are not in __all__: `from autograd import *` keeps
from autograd.value import sum as sum  # Python's own

__all__ = [
    "OPS",
    "Compiled",
    "GradcheckError",
    "Op",
    "Path",
    "Value",
    "compile",
    "count_paths",
    "detect_anomaly",
    "draw",
    "enable_grad",
    "explain",
    "explore",
    "grad",
    "gradcheck",
    "gradgradcheck",
    "group",
    "hessian",
    "impacts",
    "is_grad_enabled",
    "is_recording_groups",
    "no_grad",
    "record_groups",
    "topological_order",
    "write_atomically",
]
