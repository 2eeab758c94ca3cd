"""to_torch / from_torch: the same model as a PyTorch module (float64, same weights) and back.

One table, TWINS, pairs each of our layers with its `torch.nn` twin: adding a layer is one row.
PyTorch is optional (`pip install impactgrad[torch]`) and imported only when a bridge is crossed.

Where the two differ: the series' ReLU has derivative 1 at exactly 0 (ReLU'(0) = 1, and LeakyReLU'(0)
= 1), PyTorch's has 0 (ReLU'(0) = 0, LeakyReLU'(0) = negative_slope). Forward values agree everywhere;
gradients agree wherever no ReLU input is exactly 0.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from fractions import Fraction
from typing import TYPE_CHECKING, Any, NamedTuple

from autograd import Value
from nn.activation import Input1D, LeakyReLU, ReLU, Sigmoid, Tanh
from nn.linear import MLP, Linear
from nn.module import Module, Sequential

if TYPE_CHECKING:
    import torch

INSTALL_TORCH = "the bridge to PyTorch needs torch: pip install 'impactgrad[torch]' (make test installs it)"


class Twin(NamedTuple):
    """One row of the table: our layer class, its torch.nn class name, and a converter each way.

    `to_torch(layer, theirs)` builds the torch twin of `layer`, given the torch class;
    `from_torch(module, ours)` builds our layer of class `ours` from a torch module of class `theirs`
    (None: that torch class comes back as another row's layer).
    """

    ours: type[Module]
    theirs: str
    to_torch: Callable[[Any, Any], torch.nn.Module]
    from_torch: Callable[[Any, Any], Module] | None


def _torch() -> Any:
    """The torch package, or an ImportError that says how to install it."""
    try:
        return importlib.import_module("torch")
    except ImportError as error:
        raise ImportError(INSTALL_TORCH) from error


def _new(layer_or_module: object, cls: Callable[[], Any]) -> Any:
    """A layer without settings or weights: a new one of the other side's class."""
    return cls()


def _numbers(values: Any) -> Any:
    """Nested lists of Values (or of numbers) as nested lists of floats."""
    if isinstance(values, Value):
        return float(values.data)
    if isinstance(values, (list, tuple)):
        return [_numbers(v) for v in values]
    return float(values)


def _copy(parameter: Any, values: Any) -> None:
    """Write nested lists of Values (or numbers) into a tensor of the same shape."""
    import torch  # found: to_torch checked

    with torch.no_grad():
        parameter.copy_(torch.tensor(_numbers(values), dtype=torch.float64))


def _floats(tensor: torch.Tensor) -> Any:
    """A tensor's numbers as nested lists of Python floats."""
    return tensor.detach().cpu().tolist()


def _linear_to_torch(layer: Linear, cls: Any) -> torch.nn.Module:
    """torch.nn.Linear with weight[j, i] = W^{k,j}_i and bias[j] = B^k_j."""
    twin: torch.nn.Module = cls(
        layer.in_features, layer.out_features, layer.bias is not None, dtype=_torch().float64
    )
    _copy(twin.weight, layer.weight)
    if layer.bias is not None:
        _copy(twin.bias, layer.bias)
    return twin


def _linear_from_torch(module: torch.nn.Linear, cls: type[Linear]) -> Linear:
    """Our Linear with W^{k,j}_i = weight[j, i] and B^k_j = bias[j]."""
    return cls.from_weights(_floats(module.weight), None if module.bias is None else _floats(module.bias))


def _sequential_to_torch(model: Sequential, cls: Any) -> torch.nn.Module:
    """torch.nn.Sequential of the layers' twins, at the same indices."""
    twin: torch.nn.Module = cls(*(to_torch(layer) for layer in model))
    return twin


def _sequential_from_torch(module: torch.nn.Sequential, cls: type[Sequential]) -> Sequential:
    """Our Sequential of the layers' twins, in the same order."""
    return cls(*(from_torch(layer) for layer in module))


TWINS: tuple[Twin, ...] = (
    Twin(Linear, "Linear", _linear_to_torch, _linear_from_torch),
    Twin(Sequential, "Sequential", _sequential_to_torch, _sequential_from_torch),
    Twin(MLP, "Sequential", _sequential_to_torch, None),
    Twin(Input1D, "Identity", _new, _new),
    Twin(ReLU, "ReLU", _new, _new),
    Twin(
        LeakyReLU,
        "LeakyReLU",
        lambda layer, cls: cls(float(layer.slope)),
        lambda module, cls: cls(module.negative_slope),
    ),
    Twin(Tanh, "Tanh", _new, _new),
    Twin(Sigmoid, "Sigmoid", _new, _new),
)


def to_torch(model: Module) -> torch.nn.Module:
    """A torch.nn.Module in float64 with the same weights, whose forward equals `model`'s.

    A model that takes a list of `in_features` numbers becomes a module that takes a tensor
    `(batch, in_features)` and returns `(batch, out_features)`. `Linear.weight[j][i]` becomes
    `weight[j, i]`, a Sequential (or an MLP) a torch.nn.Sequential with the same indices, Input1D
    torch.nn.Identity. Fraction weights become float64; `model` is not changed.

    Where the two differ: ReLU'(0) is 1 here (the series' convention) and 0 in PyTorch.
    """
    if not isinstance(model, Module):
        raise TypeError(f"to_torch takes an nn.Module, not {type(model).__name__}")
    _torch()  # an ImportError saying how to install torch, before anything is built
    for name, p in model.named_parameters():
        if not isinstance(p.data, (float, Fraction)):
            kind = type(p.data).__name__
            raise TypeError(f"parameter {name!r} holds a {kind}: to_torch takes float or Fraction weights")
    for twin in TWINS:
        if type(model) is twin.ours:
            return twin.to_torch(model, getattr(_torch().nn, twin.theirs))
    mapped = _names(twin.ours.__name__ for twin in TWINS)
    raise TypeError(f"to_torch cannot map a {type(model).__name__}: it maps {mapped}")


def from_torch(module: torch.nn.Module) -> Module:
    """Our model of the same structure with the same weights (as floats), from float32 or float64.

    The inverse of to_torch: a torch.nn.Sequential becomes our Sequential, torch.nn.Identity an
    Input1D. A layer without a row in TWINS, or a custom torch.nn.Module, is a TypeError naming it.
    Where the two differ: ReLU'(0) is 0 in PyTorch and 1 here (the series' convention).
    """
    nn = _torch().nn
    if not isinstance(module, nn.Module):
        raise TypeError(f"from_torch takes a torch.nn.Module, not {type(module).__name__}")
    for name, p in module.named_parameters():
        if not p.is_floating_point():
            raise TypeError(f"parameter {name!r} is a {p.dtype} tensor: from_torch takes float weights")
    for twin in TWINS:
        if twin.from_torch is not None and type(module) is getattr(nn, twin.theirs):
            return twin.from_torch(module, twin.ours)
    mapped = _names(twin.theirs for twin in TWINS if twin.from_torch)
    raise TypeError(f"from_torch cannot map a {type(module).__name__}: it maps {mapped}")


def _names(classes: Iterable[str]) -> str:
    """The classes one side of the table maps, each once."""
    return ", ".join(dict.fromkeys(classes))
