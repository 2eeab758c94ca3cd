"""to_torch / from_torch: the same model as a PyTorch module (float64, same weights) and back.

One table, TWINS, pairs each of our layers with its `torch.nn` twin: adding a layer is one row.
PyTorch is optional (`pip install impactgrad[torch]`) and imported only when a bridge is crossed.

Where the two differ: the series' ReLU has derivative 1 at exactly 0 (ReLU'(0) = 1, and LeakyReLU'(0)
= 1), PyTorch's has 0 (ReLU'(0) = 0, LeakyReLU'(0) = negative_slope). Forward values agree everywhere;
gradients agree wherever no ReLU input is exactly 0.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Iterable
from fractions import Fraction
from typing import TYPE_CHECKING, Any, NamedTuple

from autograd import Value
from nn.activation import Input1D, LeakyReLU, ReLU, Sigmoid, Softmax, Tanh
from nn.conv import Conv2D, Flatten, Input2D
from nn.linear import MLP, Linear
from nn.module import Module, Sequential
from nn.norm import BatchNorm, BatchNorm1D, BatchNorm2D
from nn.pool import MaxPool2D

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


def _only(module: torch.nn.Module, name: str, *allowed: object) -> None:
    """A TypeError unless the torch module's setting `name` is one of `allowed` (what our layer computes)."""
    found = getattr(module, name)
    if found not in allowed:
        cls = type(module).__name__
        choices = " or ".join(map(repr, allowed))
        raise TypeError(f"from_torch cannot map a {cls} with {name}={found!r}: it maps {name}={choices}")


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


def _conv_to_torch(layer: Conv2D, cls: Any) -> torch.nn.Module:
    """torch.nn.Conv2d with weight[o, c, u, v] = ker^{k,o,c}_{u,v} and bias[o] = b^{k,o}."""
    twin: torch.nn.Module = cls(
        layer.in_channels,
        layer.out_channels,
        layer.kernel_size,
        layer.stride,
        layer.padding,
        bias=layer.bias is not None,
        dtype=_torch().float64,
    )
    _copy(twin.weight, layer.weight)
    if layer.bias is not None:
        _copy(twin.bias, layer.bias)
    return twin


def _conv_from_torch(module: torch.nn.Conv2d, cls: type[Conv2D]) -> Conv2D:
    """Our Conv2D with ker^{k,o,c}_{u,v} = weight[o, c, u, v] (zero padding, no dilation, no groups)."""
    _only(module, "dilation", (1, 1))
    _only(module, "groups", 1)
    _only(module, "padding_mode", "zeros")
    if isinstance(module.padding, str):
        raise TypeError(f"from_torch cannot map a Conv2d with padding={module.padding!r}: it maps numbers")
    bias = None if module.bias is None else _floats(module.bias)
    (sh, sw), (ph, pw) = module.stride, module.padding
    return cls.from_weights(_floats(module.weight), bias, (sh, sw), (ph, pw))


def _pool_to_torch(layer: MaxPool2D, cls: Any) -> torch.nn.Module:
    """torch.nn.MaxPool2d with the same kernel, stride, padding and ceil_mode."""
    twin: torch.nn.Module = cls(layer.kernel_size, layer.stride, layer.padding, ceil_mode=layer.ceil_mode)
    return twin


def _pool_from_torch(module: torch.nn.MaxPool2d, cls: type[MaxPool2D]) -> MaxPool2D:
    """Our MaxPool2D with the same kernel, stride, padding and ceil_mode (no dilation, no indices)."""
    _only(module, "dilation", 1, (1, 1))
    _only(module, "return_indices", False)
    return cls(module.kernel_size, module.stride, module.padding, module.ceil_mode)


def _norm_to_torch(layer: BatchNorm, cls: Any) -> torch.nn.Module:
    """torch.nn.BatchNorm1d/2d with γ, β, the running statistics and the training mode."""
    affine = layer.weight is not None
    twin: torch.nn.Module = cls(
        layer.num_features, float(layer.eps), float(layer.momentum), affine, dtype=_torch().float64
    )
    if layer.weight is not None and layer.bias is not None:
        _copy(twin.weight, layer.weight)
        _copy(twin.bias, layer.bias)
    _copy(twin.running_mean, layer.running_mean)
    _copy(twin.running_var, layer.running_var)
    return twin.train(layer.training)


def _norm_from_torch(module: torch.nn.modules.batchnorm._BatchNorm, cls: type[BatchNorm]) -> BatchNorm:
    """Our BatchNorm1D/2D with γ, β, the running statistics and the training mode."""
    mean, var = module.running_mean, module.running_var
    if module.momentum is None or mean is None or var is None:
        name = type(module).__name__
        raise TypeError(
            f"from_torch maps a {name} with running statistics and a momentum, not a cumulative mean"
        )
    layer = cls(module.num_features, module.eps, module.momentum, module.affine)
    layer.load_state_dict(
        {f"{name}.{f}": x for name, p in module.named_parameters() for f, x in enumerate(_floats(p))}
    )  # γ = weight[f], β = bias[f]
    layer.running_mean, layer.running_var = _floats(mean), _floats(var)
    return layer.train(module.training)


def _sequential_to_torch(model: Sequential, cls: Any) -> torch.nn.Module:
    """torch.nn.Sequential of the layers' twins, at the same indices."""
    twin: torch.nn.Module = cls(*(to_torch(layer) for layer in model))
    return twin


def _sequential_from_torch(module: torch.nn.Sequential, cls: type[Sequential]) -> Sequential:
    """Our Sequential of the layers' twins, in the same order."""
    return cls(*(from_torch(layer) for layer in module))


def _softmax_from_torch(module: torch.nn.Softmax, cls: type[Softmax]) -> Softmax:
    """Our Softmax, from a torch Softmax over the features of each row (dim 1 or -1)."""
    _only(module, "dim", 1, -1)
    return cls()


def _flatten_from_torch(module: torch.nn.Flatten, cls: type[Flatten]) -> Flatten:
    """Our Flatten, from a torch Flatten of each sample (dims 1 to -1)."""
    _only(module, "start_dim", 1)
    _only(module, "end_dim", -1)
    return cls()


TWINS: tuple[Twin, ...] = (
    Twin(Linear, "Linear", _linear_to_torch, _linear_from_torch),
    Twin(Sequential, "Sequential", _sequential_to_torch, _sequential_from_torch),
    Twin(MLP, "Sequential", _sequential_to_torch, None),
    Twin(Input1D, "Identity", _new, _new),
    Twin(Input2D, "Identity", _new, None),
    Twin(ReLU, "ReLU", _new, _new),
    Twin(
        LeakyReLU,
        "LeakyReLU",
        lambda layer, cls: cls(float(layer.slope)),
        lambda module, cls: cls(module.negative_slope),
    ),
    Twin(Tanh, "Tanh", _new, _new),
    Twin(Sigmoid, "Sigmoid", _new, _new),
    Twin(Softmax, "Softmax", lambda layer, cls: cls(dim=-1), _softmax_from_torch),
    Twin(Flatten, "Flatten", _new, _flatten_from_torch),
    Twin(Conv2D, "Conv2d", _conv_to_torch, _conv_from_torch),
    Twin(MaxPool2D, "MaxPool2d", _pool_to_torch, _pool_from_torch),
    Twin(BatchNorm1D, "BatchNorm1d", _norm_to_torch, _norm_from_torch),
    Twin(BatchNorm2D, "BatchNorm2d", _norm_to_torch, _norm_from_torch),
)


def to_torch(model: Module) -> torch.nn.Module:
    """A torch.nn.Module in float64 with the same weights, whose forward equals `model`'s.

    A model that takes a list of `in_features` numbers becomes a module that takes a tensor
    `(batch, in_features)` and returns `(batch, out_features)`; a 2D model (`[channel][row][col]`
    samples) one that takes `(batch, C, H, W)`. `Linear.weight[j][i]` becomes `weight[j, i]`,
    `Conv2D.weight[o][c][u][v]` `weight[o, c, u, v]`, a Sequential (or an MLP) a torch.nn.Sequential
    with the same indices, Input1D and Input2D torch.nn.Identity; BatchNorm keeps its running
    statistics and its train/eval mode. Fraction weights become float64; `model` is not changed.

    Where the two differ: ReLU'(0) is 1 here (the series' convention) and 0 in PyTorch.
    """
    if not isinstance(model, Module):
        raise TypeError(f"to_torch takes an nn.Module, not {type(model).__name__}")
    _torch()  # an ImportError saying how to install torch, before anything is built
    for name, p in model.named_parameters():
        if not isinstance(p.data, (float, Fraction)):
            kind = type(p.data).__name__
            raise TypeError(f"parameter {name!r} holds a {kind}: to_torch takes float or Fraction weights")
        if isinstance(p.data, Fraction) and abs(p.data) > _FLOAT_MAX:
            raise OverflowError(f"parameter {name!r} is beyond a float's range: float64 cannot hold it")
    for twin in TWINS:
        if type(model) is twin.ours:
            return twin.to_torch(model, getattr(_torch().nn, twin.theirs))
    mapped = _names(twin.ours.__name__ for twin in TWINS)
    raise TypeError(f"to_torch cannot map a {type(model).__name__}: it maps {mapped}")


def from_torch(module: torch.nn.Module) -> Module:
    """Our model of the same structure with the same weights (as floats), from float32 or float64.

    The inverse of to_torch: a torch.nn.Sequential becomes our Sequential, torch.nn.Identity an
    Input1D. A layer without a row in TWINS, a custom torch.nn.Module, a setting our layer does not
    compute (a dilation, groups, Softmax over another dim, ...), a parameter or buffer our layers have
    no place for (one registered on a Sequential) or a weight shared by two layers is a TypeError
    naming it: nothing is dropped or untied silently.
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
            ours = twin.from_torch(module, twin.ours)
            _refuse_losses(module)
            return ours
    mapped = _names(twin.theirs for twin in TWINS if twin.from_torch)
    raise TypeError(f"from_torch cannot map a {type(module).__name__}: it maps {mapped}")


# What each torch class keeps that our twin carries over (every other class keeps nothing of its own).
_CARRIED = {
    "Linear": {"weight", "bias"},
    "Conv2d": {"weight", "bias"},
    "BatchNorm1d": {"weight", "bias", "running_mean", "running_var", "num_batches_tracked"},
    "BatchNorm2d": {"weight", "bias", "running_mean", "running_var", "num_batches_tracked"},
}
_FLOAT_MAX = Fraction(sys.float_info.max)


def _refuse_losses(module: torch.nn.Module) -> None:
    """A TypeError for what from_torch would drop or untie: a parameter or buffer our twin has no place
    for (one registered on a Sequential), or one tensor shared by two layers (tied weights)."""
    for prefix, sub in module.named_modules():
        own = {**sub._parameters, **sub._buffers}  # its own tensors, not its children's
        for name in (name for name, tensor in own.items() if tensor is not None):
            if name not in _CARRIED.get(type(sub).__name__, set()):
                where = f"{prefix}.{name}" if prefix else name
                raise TypeError(
                    f"from_torch would drop {where!r} (on a {type(sub).__name__}): our "
                    f"{type(sub).__name__} has no place for it"
                )
    seen: dict[int, str] = {}
    for name, p in module.named_parameters(remove_duplicate=False):
        if id(p) in seen:
            raise TypeError(
                f"from_torch would untie {seen[id(p)]!r} and {name!r} (one shared tensor): our layers "
                "each own their weights"
            )
        seen[id(p)] = name


def _names(classes: Iterable[str]) -> str:
    """The classes one side of the table maps, each once."""
    return ", ".join(dict.fromkeys(classes))
