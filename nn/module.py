"""Module: the parameters of a model (named, zeroed, saved) and a PyTorch-like repr."""

from __future__ import annotations

import json
import math
import os
import re
import stat
from collections.abc import Iterable, Iterator, Mapping, Sequence, Set
from fractions import Fraction
from typing import Any, TypeVar

from autograd import MAX_EXACT_BITS, Scalar, Value, write_atomically

M = TypeVar("M", bound="Module")

MAX_STATE_BYTES = 64 * 2**20  # load() refuses a file larger than this (64 MiB, ~2 million weights)
# load() reads at most this many digits in a numerator, a denominator or an exponent: as many as a
# number of MAX_EXACT_BITS bits (autograd's limit of exact results, which save() and load() both keep).
MAX_STATE_DIGITS = math.ceil(MAX_EXACT_BITS * math.log10(2))


def check_positive(name: str, n: object) -> None:
    """A count (of neurons, features, channels) must be a positive int."""
    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        raise ValueError(f"{name} must be a positive int, got {n!r}")


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


def refuse_unordered(what: str, x: object) -> None:
    """A dict or a set is not a list of inputs: its keys, or its hash order, would be taken silently."""
    if isinstance(x, (Set, Mapping)):
        raise TypeError(f"{what} takes inputs in order (a list or a tuple), not a {type(x).__name__}")


def check_inputs(layer: Module, x: object, n: int | None = None) -> None:
    """A layer takes a list of inputs, one per input neuron (n of them if given), never one number."""
    if isinstance(x, Value) or not hasattr(x, "__len__") or isinstance(x, (str, bytes)):
        count = "inputs" if n is None else f"{n} input{'s' if n != 1 else ''}"
        what = "a single Value" if isinstance(x, Value) else f"a {type(x).__name__}"
        raise TypeError(
            f"{type(layer).__name__} takes a list of {count} (one per input neuron), not {what}: "
            f"pass [{_clip(repr(x), 40)}]"
        )
    if n is not None and len(x) != n:
        raise ValueError(f"{type(layer).__name__} expects {n} inputs, got {len(x)}")


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
    compiles: bool = True  # False where a compiled replay would differ from eager (fit(compile=True) refuses)
    compile_refusal = "its graph's structure depends on the data"  # why, where compiles is False
    k: int | None = None  # the layer's place L^k in its model, as the series numbers it (None: a lone layer)
    input_layer: bool = False  # True for Input1D and Input2D: a model's L^1, whose neurons o^1 are the data

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

    def number(self, k: int) -> int:
        """Make this layer L^k of its model (its weights labelled so); the number of the layer after it."""
        self.k = k
        self.label_parameters()
        return k + 1

    def label_parameters(self) -> None:
        """Label the weights as the series names them in layer L^k (k = self.k, the letter k when None).

        Layers with weights (Linear, Conv2D, BatchNorm) say how; a layer without any has none to label.
        """

    def forward(self, x: Any) -> Any:
        """The information flow through the module (each subclass defines it)."""
        raise NotImplementedError(f"{type(self).__name__} does not define forward")

    def __call__(self, x: Any) -> Any:
        """module(x) runs the forward pass (a dict or a set is refused: inputs come in order)."""
        refuse_unordered(type(self).__name__, x)
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
            pairs = (("missing", missing), ("unexpected", extra))
            mismatch = [f"{word} {_some(names)}" for word, names in pairs]
            message = (
                f"state_dict does not fit {type(self).__name__}: the model has {shapes(params)}; the state "
                f"has {shapes(state)}; " + ", ".join(m for m in mismatch if not m.endswith(" none"))
            )
            raise ValueError(_clip(message, 299))
        values = {}
        for name in params:
            try:
                values[name] = Value(state[name]).data
            except (TypeError, ValueError) as error:
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
    """Layers in sequential order: X^{k+1} = L^k(X^k), model(x) = ...L3(L2(L1(x))).

    The layers are numbered as the series numbers them, activations included: L^1 is the input layer
    (an Input1D or Input2D, or, when the model starts without one, the data itself), so the model's
    inputs are always the neurons o^1 and its first layer with weights is L^2 (weights w^{2,j}_i).
    A layer's own `k` is replaced by its place in the model.
    """

    def __init__(self, *layers: Module) -> None:
        for k, layer in enumerate(layers):
            if not isinstance(layer, Module):
                raise TypeError(f"layer {k} is a {type(layer).__name__}, not a Module (did you forget '()'?)")
        for k, layer in enumerate(layers):
            setattr(self, str(k), layer)
        self.number(1 if layers and layers[0].input_layer else 2)

    def number(self, k: int) -> int:
        """Number the layers from L^k on, in order (a Sequential inside goes on counting)."""
        self.k = k
        for layer in self.layers:
            k = layer.number(k)
        return k

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


def shapes(names: Iterable[str]) -> str:
    """The shapes dotted names describe, such as `0.weight 16×2, 0.bias 16` (at most ~100 characters)."""
    sizes: dict[str, list[int]] = {}
    for name in names:
        parts = name.split(".")
        n = len(parts)
        while n and parts[n - 1].isdigit():
            n -= 1
        key, indices = ".".join(parts[:n]) or "scalar", [int(i) + 1 for i in parts[n:]]
        known = sizes.setdefault(key, indices)
        sizes[key] = [max(a, b) for a, b in zip(known, indices)] if len(known) == len(indices) else known
    text = ", ".join(f"{key} {'×'.join(map(str, dims))}".rstrip() for key, dims in sizes.items())
    return _clip(text or "no weights", 80)


def _some(names: list[str], shown: int = 2) -> str:
    """How many names, and the first few: `2 (0.bias.0, 0.bias.1)`."""
    if not names:
        return "none"
    listed = ", ".join(_clip(name, 24) for name in names[:shown])
    return f"{len(names)} ({listed}{', …' if len(names) > shown else ''})"


def _clip(text: str, limit: int) -> str:
    """`text`, cut to `limit` characters with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def save(module: Module, path: str | os.PathLike[str]) -> None:
    """Write module.state_dict() to a JSON file: floats as numbers, Fractions as "p/q" strings.

    Atomic: every weight is checked first (a NaN or infinite one, or a Fraction with more than
    more than MAX_EXACT_BITS bits, is refused by its dotted name), the JSON goes to a temporary file in the
    same folder, which then replaces `path` (a symbolic link is kept, its target written); on any
    failure the old file is left as it was and no temporary file remains.
    """
    encoded: dict[str, float | str] = {}
    for name, value in module.state_dict().items():
        if isinstance(value, Fraction):
            encoded[name] = _fraction_text(name, value)
        elif isinstance(value, float):
            if not math.isfinite(value):
                raise ValueError(f"cannot save {name!r}: its value is {value}; JSON holds finite numbers")
            encoded[name] = value
        else:
            kind = type(value).__name__
            raise TypeError(f"cannot save {name!r}: JSON holds floats and Fractions, not {kind}")
    text = json.dumps(encoded, indent=2, allow_nan=False)
    write_atomically(path, text)


def load(module: Module, path: str | os.PathLike[str]) -> None:
    """Read a JSON file written by save() into the module's weights ("p/q" strings come back as Fractions).

    Bounded: only a regular file of at most MAX_STATE_BYTES is read (a FIFO or a device is refused
    without waiting on it); a number has at most MAX_STATE_DIGITS digits and exponent; NaN and
    Infinity literals, duplicate keys and nesting are refused, naming the key. On any error the module
    is unchanged.
    """
    where = _clip(os.fspath(path), 80)
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # a FIFO opens at once, then is refused
    with open(descriptor, "rb") as file:
        info = os.fstat(file.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise ValueError(f"{where!r} is not a regular file: load reads a JSON file written by save()")
        raw = file.read(MAX_STATE_BYTES + 1)
    if len(raw) > MAX_STATE_BYTES:
        raise ValueError(f"{where!r} is larger than MAX_STATE_BYTES = {MAX_STATE_BYTES} bytes")
    try:
        encoded = json.loads(
            raw.decode("utf-8"), parse_constant=_Constant, parse_int=float, object_pairs_hook=_object
        )
    except UnicodeDecodeError:
        raise ValueError(f"{where!r} is not UTF-8 text: not a JSON file written by save()") from None
    except RecursionError:
        raise ValueError(f"{where!r} is nested too deeply: a state file is one flat JSON object") from None
    except json.JSONDecodeError as error:
        raise ValueError(f"{where!r} is not valid JSON: {_clip(str(error), 100)}") from None
    if not isinstance(encoded, dict):
        raise ValueError(f"{where!r} does not hold a state_dict (a JSON object of weights)")
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


class _Constant(str):
    """NaN, Infinity or -Infinity as read from JSON: not a number a state file holds (_decode names it)."""


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object whose keys must be unique."""
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"the state file holds the key {_clip(key, 60)!r} twice")
        result[key] = value
    return result


_FRACTION = re.compile(r"\s*([+-]?)(\d+)(?:/(\d+))?\s*", re.ASCII)  # what save() writes: -3/116
_DECIMAL = re.compile(r"\s*[+-]?(\d*)\.?(\d*)(?:[eE]([+-]?\d+))?\s*", re.ASCII)  # 0.25, 1e-3


def _decode(name: str, value: object) -> Scalar:
    """A weight read from JSON: a number, or a "p/q" (or decimal) string for a Fraction, within bounds."""
    key = _clip(name, 60)
    if isinstance(value, _Constant):
        raise ValueError(f"weight {key!r} is {value}: save() writes finite numbers only")
    if isinstance(value, str):
        shown = _clip(repr(value), 40)
        if (fraction := _FRACTION.fullmatch(value)) is not None:
            sign, p, q = fraction.groups()
            if max(len(p), len(q or "")) > MAX_STATE_DIGITS:
                raise ValueError(f"weight {key!r} has more than MAX_STATE_DIGITS = {MAX_STATE_DIGITS} digits")
            if q is not None and not q.strip("0"):
                raise ValueError(f"weight {key!r}: {shown} divides by zero")
            return Fraction(_integer(sign + p), _integer(q or "1"))
        decimal = _DECIMAL.fullmatch(value)
        if decimal is None or not "".join(decimal.groups("")[:2]):
            raise ValueError(f"weight {key!r}: {shown} is not a fraction like '-3/116'")
        whole, part, exponent = decimal.groups("0")
        too_long = len(whole) + len(part) > MAX_STATE_DIGITS or len(exponent) > 9
        if too_long or abs(int(exponent)) > MAX_STATE_DIGITS:
            raise ValueError(f"weight {key!r}: {shown} is beyond MAX_STATE_DIGITS = {MAX_STATE_DIGITS}")
        return Fraction(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"weight {key!r} is beyond a float's range: {_clip(str(value), 30)}")
        return value
    kind = type(value).__name__
    raise TypeError(f"weight {key!r}: a JSON number or 'p/q' string expected, not {kind}")


# Python reads and writes at most 4,300 digits of an int at once (sys.get_int_max_str_digits); exact
# weights can have more, so longer ones are split in halves, each side converted on its own.
_CHUNK_DIGITS = 4000


def _fraction_text(name: str, value: Fraction) -> str:
    """"p/q" for a Fraction of any size up to MAX_EXACT_BITS bits (what load() reads back)."""
    bits = max(value.numerator.bit_length(), value.denominator.bit_length())
    if bits > MAX_EXACT_BITS:
        raise ValueError(f"cannot save {name!r}: {bits} bits, over MAX_EXACT_BITS = {MAX_EXACT_BITS}")
    p, q = _decimal(value.numerator), _decimal(value.denominator)
    return p if q == "1" else f"{p}/{q}"


def _decimal(n: int) -> str:
    """str(n) for an int of any number of digits."""
    if abs(n).bit_length() <= _CHUNK_DIGITS * 3:
        return str(n)
    half = int(abs(n).bit_length() * math.log10(2)) // 2
    high, low = divmod(abs(n), 10**half)
    return ("-" if n < 0 else "") + _decimal(high) + _decimal(low).zfill(half)


def _integer(text: str) -> int:
    """int(text) for a string of digits (with an optional sign) of any length."""
    if len(text) <= _CHUNK_DIGITS:
        return int(text)
    sign, digits = (text[0], text[1:]) if text[0] in "+-" else ("", text)
    half = len(digits) // 2
    scale: int = 10 ** (len(digits) - half)
    n = _integer(digits[:half]) * scale + _integer(digits[half:])
    return -n if sign == "-" else n
