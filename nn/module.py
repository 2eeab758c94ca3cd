"""Module: the parameters of a model (named, zeroed, saved) and a PyTorch-like repr."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping, Sequence
from fractions import Fraction
from typing import Any

from autograd import Value

Scalar = Any  # the data a Value holds: float, Fraction (exact) or a sympy expression (symbolic)


def as_values(x: Sequence[Value | Scalar]) -> list[Value]:
    """The neurons o^{k-1} given to a layer: Values as they are, plain numbers wrapped in leaf Values."""
    if isinstance(x, Value):
        raise TypeError("a layer takes a list of inputs, not a single Value: wrap it in a list")
    return [v if isinstance(v, Value) else Value(v) for v in x]


def as_data(x: Sequence[Value | Scalar]) -> list[Scalar]:
    """The numbers of the neurons o^{k-1}, plain numbers converted as a Value would (ints to floats)."""
    return [v.data if isinstance(v, Value) else Value(v).data for v in x]


class Module:
    """A layer or a model: its parameters, its sub-modules, and `module(x)` for the forward pass."""

    def forward(self, x: Any) -> Any:
        """The information flow through the module (each subclass defines it)."""
        raise NotImplementedError(f"{type(self).__name__} does not define forward")

    def __call__(self, x: Any) -> Any:
        """module(x) runs the forward pass."""
        return self.forward(x)

    def named_children(self) -> Iterator[tuple[str, Module]]:
        """The sub-modules, each with its name (none by default)."""
        return iter(())

    def own_parameters(self) -> Iterator[tuple[str, Value]]:
        """The weights this module declares itself (none by default), each with its name."""
        return iter(())

    def named_parameters(self) -> Iterator[tuple[str, Value]]:
        """Every weight with a stable dotted name, such as `0.weight.1.2` (W[1][2] of layer 0)."""
        yield from self.own_parameters()
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
        self.layers = list(layers)

    def forward(self, x: Any) -> Any:
        """The information flow: each layer's output is the next layer's input."""
        for layer in self.layers:
            x = layer(x)
        return x

    def named_children(self) -> Iterator[tuple[str, Module]]:
        """The layers, named by their position: "0", "1", ..."""
        for k, layer in enumerate(self.layers):
            yield str(k), layer

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
