"""Module: the parameters of a model (named, zeroed, saved) and a PyTorch-like repr."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping, Sequence
from fractions import Fraction
from typing import Any, TypeVar

from autograd import Value

M = TypeVar("M", bound="Module")
Scalar = Any  # the data a Value holds: float, Fraction (exact) or a sympy expression (symbolic)


def as_value(v: Value | Scalar) -> Value:
    """A neuron: a Value as it is, a plain number wrapped in a leaf Value."""
    return v if isinstance(v, Value) else Value(v)


def as_number(v: Value | Scalar) -> Scalar:
    """A neuron's number, a plain number converted as a Value would convert it (ints to floats)."""
    return v.data if isinstance(v, Value) else Value(v).data


def as_values(x: Sequence[Value | Scalar]) -> list[Value]:
    """The neurons o^{k-1} given to a layer: Values as they are, plain numbers wrapped in leaf Values."""
    if isinstance(x, Value):
        raise TypeError("a layer takes a list of inputs, not a single Value: wrap it in a list")
    return list(map(as_value, x))


def as_data(x: Sequence[Value | Scalar]) -> list[Scalar]:
    """The numbers of the neurons o^{k-1}, plain numbers converted as a Value would (ints to floats)."""
    return list(map(as_number, x))


def depth(x: object) -> int:
    """The nesting depth of a (batch of) samples: 0 for a number, 1 for [f], 3 for [c][i][j], ..."""
    d = 0
    while isinstance(x, (list, tuple)):
        d += 1
        if not x:
            break
        x = x[0]
    return d


def shape(x: object, layer: str) -> tuple[int, ...]:
    """The shape of nested lists, such as (C, H, W); ragged lists are a ValueError naming `layer`."""
    if not isinstance(x, (list, tuple)):
        return ()
    inner = [shape(item, layer) for item in x]
    for k, s in enumerate(inner):
        if s != inner[0]:
            raise ValueError(f"{layer} got ragged input: item 0 has shape {inner[0]}, item {k} has shape {s}")
    return (len(x), *(inner[0] if inner else ()))


def apply(f: Any, x: Any) -> Any:
    """f on every element of nested lists, at any depth (the same nesting back)."""
    if isinstance(x, (list, tuple)):
        return [apply(f, item) for item in x]
    return f(x)


class Module:
    """A layer or a model: its parameters, its sub-modules, and `module(x)` for the forward pass.

    Assigning an attribute registers it, as in PyTorch: a Value, or nested lists of Values, is a
    parameter (named `name.i.j...` by its indices), a Module is a sub-module. Names that start with
    `_` are private and never registered. `training` is True until `eval()`.
    """

    training: bool = True

    def __setattr__(self, name: str, value: Any) -> None:
        if not name.startswith("_"):
            registry = self.__dict__.setdefault("_registry", {})
            kind = "module" if isinstance(value, Module) else "parameter" if _holds_values(value) else None
            if kind is None:
                registry.pop(name, None)
            elif registry.get(name) != kind:
                registry.pop(name, None)
                registry[name] = kind
        object.__setattr__(self, name, value)

    def __delattr__(self, name: str) -> None:
        self.__dict__.get("_registry", {}).pop(name, None)
        object.__delattr__(self, name)

    def forward(self, x: Any) -> Any:
        """The information flow through the module (each subclass defines it)."""
        raise NotImplementedError(f"{type(self).__name__} does not define forward")

    def __call__(self, x: Any) -> Any:
        """module(x) runs the forward pass."""
        return self.forward(x)

    def _registered(self, kind: str) -> list[str]:
        """The names of the attributes registered as `kind`, in the order of their first assignment."""
        return [name for name, k in self.__dict__.get("_registry", {}).items() if k == kind]

    def named_children(self) -> Iterator[tuple[str, Module]]:
        """The sub-modules, each with the name it was assigned to."""
        for name in self._registered("module"):
            yield name, getattr(self, name)

    def modules(self) -> Iterator[Module]:
        """This module, then every sub-module, depth first."""
        yield self
        for _, child in self.named_children():
            yield from child.modules()

    def named_parameters(self) -> Iterator[tuple[str, Value]]:
        """Every weight with a stable dotted name, such as `0.weight.1.2` (W[1][2] of layer 0).

        The module's own weights come first, in the order they were assigned, then each sub-module's.
        """
        for name in self._registered("parameter"):
            yield from _flatten(name, getattr(self, name))
        for prefix, child in self.named_children():
            for name, p in child.named_parameters():
                yield f"{prefix}.{name}", p

    def parameters(self) -> list[Value]:
        """Every weight, in the order of named_parameters()."""
        return [p for _, p in self.named_parameters()]

    def zero_grad(self) -> None:
        """Reset every weight's δw to 0 (leaves accumulate across backward calls)."""
        for p in self.parameters():
            p.grad = 0

    def train(self: M, mode: bool = True) -> M:
        """Set training mode (True) or evaluation mode (False) on this module and every sub-module."""
        if not isinstance(mode, bool):
            raise TypeError(f"train(mode) takes a bool, not {type(mode).__name__}")
        for module in self.modules():
            module.training = mode
        return self

    def eval(self: M) -> M:
        """Evaluation mode: train(False) (BatchNorm then uses its running statistics)."""
        return self.train(False)

    def state_dict(self) -> dict[str, Scalar]:
        """The weights' values by name: a plain dict of numbers."""
        return {name: p.data for name, p in self.named_parameters()}

    def load_state_dict(self, state: Mapping[str, Scalar]) -> None:
        """Set every weight from `state`; a missing, extra or non-scalar entry changes nothing."""
        params = dict(self.named_parameters())
        missing = [name for name in params if name not in state]
        extra = [name for name in state if name not in params]
        if missing or extra:
            raise ValueError(
                f"state_dict does not fit {type(self).__name__}: missing {missing}, unexpected {extra}"
            )
        values = {}
        for name in params:
            try:
                values[name] = Value(state[name]).data
            except TypeError as error:
                raise TypeError(f"state_dict[{name!r}]: {error}") from None
        for name, p in params.items():
            p.data = values[name]

    def extra_repr(self) -> str:
        """The arguments shown in the repr, such as `in_features=3, out_features=1, bias=False`."""
        return ""

    def __repr__(self) -> str:
        children = list(self.named_children())
        if not children:
            return f"{type(self).__name__}({self.extra_repr()})"
        lines = [f"{type(self).__name__}("]
        for name, child in children:
            lines.append(f"  ({name}): " + repr(child).replace("\n", "\n  "))
        return "\n".join([*lines, ")"])


class Sequential(Module):
    """Layers in sequential order: X^{k+1} = L^k(X^k), model(x) = ...L3(L2(L1(x)))."""

    def __init__(self, *layers: Module) -> None:
        for k, layer in enumerate(layers):
            if not isinstance(layer, Module):
                raise TypeError(f"layer {k} is a {type(layer).__name__}, not a Module (did you forget '()'?)")
        for k, layer in enumerate(layers):
            setattr(self, str(k), layer)

    @property
    def layers(self) -> list[Module]:
        """The layers in order."""
        return [layer for _, layer in self.named_children()]

    def forward(self, x: Any) -> Any:
        """The information flow: each layer's output is the next layer's input."""
        for layer in self.layers:
            x = layer(x)
        return x

    def __getitem__(self, k: int) -> Module:
        return self.layers[k]

    def __len__(self) -> int:
        return len(self.layers)

    def __iter__(self) -> Iterator[Module]:
        return iter(self.layers)


def save(module: Module, path: str | os.PathLike[str]) -> None:
    """Write module.state_dict() to a JSON file: floats as numbers, Fractions as "p/q" strings."""
    encoded: dict[str, float | str] = {}
    for name, value in module.state_dict().items():
        if isinstance(value, Fraction):
            encoded[name] = str(value)
        elif isinstance(value, float):
            encoded[name] = value
        else:
            kind = type(value).__name__
            raise TypeError(f"cannot save {name!r}: JSON holds floats and Fractions, not {kind}")
    with open(path, "w", encoding="utf-8") as file:
        json.dump(encoded, file, indent=2, allow_nan=False)


def load(module: Module, path: str | os.PathLike[str]) -> None:
    """Read a JSON file written by save() into the module's weights ("p/q" strings come back as Fractions)."""
    with open(path, encoding="utf-8") as file:
        encoded = json.load(file)
    if not isinstance(encoded, dict):
        raise ValueError(f"{os.fspath(path)!r} does not hold a state_dict (a JSON object of weights)")
    module.load_state_dict({name: _decode(name, value) for name, value in encoded.items()})


def _holds_values(value: object) -> bool:
    """Whether `value` is a Value or non-empty nested lists of Values: a parameter."""
    if isinstance(value, Value):
        return True
    return isinstance(value, list) and bool(value) and all(map(_holds_values, value))


def _flatten(name: str, value: Value | list[Any]) -> Iterator[tuple[str, Value]]:
    """The Values of a parameter attribute, named `name.i.j...` by their indices."""
    if isinstance(value, Value):
        yield name, value
        return
    for i, item in enumerate(value):
        yield from _flatten(f"{name}.{i}", item)


def _decode(name: str, value: object) -> Scalar:
    """A weight read from JSON: a number, or a "p/q" string for a Fraction."""
    if isinstance(value, str):
        try:
            return Fraction(value)
        except ValueError:
            raise ValueError(f"weight {name!r}: {value!r} is not a fraction such as '-3/11600'") from None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    raise TypeError(f"weight {name!r}: a JSON number or 'p/q' string expected, not {type(value).__name__}")
