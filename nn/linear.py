"""Neuron, Linear and MLP: o^k_j = Σ_i W^{k,j}_i · o^{k-1}_i + B^k_j, built from the engine's * and + nodes.

No backward is written here: δ^k_i = Σ_j δ^{k+1}_j · w^{k,j}_i, δw^{k,j}_i = δ^{k+1}_j · o^{k-1}_i and
δb^k_j = δ^{k+1}_j emerge from the chain rule along those nodes.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterator, Sequence
from functools import reduce
from operator import add, mul

from autograd import Value, group, is_grad_enabled, is_recording_groups
from nn.activation import ReLU
from nn.module import Module, Scalar, Sequential, as_data, as_values


class Neuron(Module):
    """One output neuron: neuron(x) = Σ_i w_i·x_i + b, with weights `w[i]` and bias `b` (or None)."""

    w: list[Value]
    b: Value | None

    def __init__(self, n_in: int, bias: bool = True, seed: int | None = None) -> None:
        row = _initial_row(n_in, random.Random(seed))
        self.w = [Value(w, f"w[{i}]") for i, w in enumerate(row)]
        self.b = Value(0.0, "b") if bias else None

    @classmethod
    def _of(cls, w: list[Value], b: Value | None) -> Neuron:
        """A neuron holding the given weight Values."""
        neuron = cls.__new__(cls)
        neuron.w, neuron.b = w, b
        return neuron

    def forward(self, x: Sequence[Value | Scalar]) -> Value:
        """Σ_i w_i·x_i + b."""
        _check_length(self, len(self.w), x)
        if not is_grad_enabled():
            return self._infer(as_data(x))
        return self._record(as_values(x))

    def _record(self, xs: list[Value]) -> Value:
        """Σ_i w_i·x_i + b as graph nodes, the sum started from the first product (no 0 node)."""
        total: Value = reduce(add, map(mul, self.w, xs))
        return total if self.b is None else total + self.b

    def _infer(self, xs: list[Scalar]) -> Value:
        """Σ_i w_i·x_i + b from plain numbers, wrapped once in a Value (no graph: inference)."""
        total = sum(map(mul, [w.data for w in self.w], xs))
        return Value(total if self.b is None else total + self.b.data)

    def own_parameters(self) -> Iterator[tuple[str, Value]]:
        """`w.i` for w[i], then `b`."""
        for i, w in enumerate(self.w):
            yield f"w.{i}", w
        if self.b is not None:
            yield "b", self.b

    def extra_repr(self) -> str:
        return f"in_features={len(self.w)}, bias={self.b is not None}"


class Linear(Module):
    """A Linear layer L^k of n_out neurons: `weight[j][i]` is W^{k,j}_i, `bias[j]` is B^k_j.

    Initialisation: every weight uniform in [-1/sqrt(n_in), 1/sqrt(n_in)] from random.Random(seed),
    every bias 0 (as the seed says). seed=None draws a fresh seed from the system.
    """

    neurons: list[Neuron]

    def __init__(self, n_in: int, n_out: int, bias: bool = True, seed: int | None = None) -> None:
        _check_count("n_out", n_out)
        rng = random.Random(seed)
        rows = [_initial_row(n_in, rng) for _ in range(n_out)]
        self.neurons = _neurons(rows, [0.0] * n_out if bias else None)

    @classmethod
    def from_weights(
        cls, weights: Sequence[Sequence[Scalar]], biases: Sequence[Scalar] | None = None
    ) -> Linear:
        """The layer with W^{k,j}_i = weights[j][i] and B^k_j = biases[j] (no bias when biases is None)."""
        layer = cls.__new__(cls)
        layer.neurons = _neurons(weights, biases)
        return layer

    @property
    def in_features(self) -> int:
        """The number of input neurons o^{k-1}."""
        return len(self.neurons[0].w)

    @property
    def out_features(self) -> int:
        """The number of output neurons o^k."""
        return len(self.neurons)

    @property
    def weight(self) -> list[list[Value]]:
        """weight[j][i] = W^{k,j}_i: the weight from input neuron i to output neuron j."""
        return [neuron.w for neuron in self.neurons]

    @property
    def bias(self) -> list[Value] | None:
        """bias[j] = B^k_j, or None for a layer without bias."""
        if self.neurons[0].b is None:
            return None
        return [neuron.b for neuron in self.neurons if neuron.b is not None]

    def forward(self, x: Sequence[Value | Scalar]) -> list[Value]:
        """o^k_j = Σ_i W^{k,j}_i · o^{k-1}_i + B^k_j for every output neuron j (a list, even of one)."""
        _check_length(self, self.in_features, x)
        if not is_grad_enabled():
            data = as_data(x)
            return [neuron._infer(data) for neuron in self.neurons]
        xs = as_values(x)
        outputs = [neuron._record(xs) for neuron in self.neurons]
        if is_recording_groups():  # inside autograd.record_groups(): name the nodes for clustered pictures
            self._group(outputs, xs)
        return outputs

    def _group(self, outputs: list[Value], xs: list[Value]) -> None:
        """Group the nodes this call made: the layer and in it each neuron j (Σ_i W^{k,j}_i·o_i + B_j)."""
        layer = group(f"Linear({self.in_features}→{self.out_features})", outputs, xs)
        for j, output in enumerate(outputs):
            group(f"neuron {j}", [output], xs, parent=layer)

    def own_parameters(self) -> Iterator[tuple[str, Value]]:
        """`weight.j.i` for W^{k,j}_i, then `bias.j` for B^k_j."""
        for j, neuron in enumerate(self.neurons):
            for i, w in enumerate(neuron.w):
                yield f"weight.{j}.{i}", w
        for j, neuron in enumerate(self.neurons):
            if neuron.b is not None:
                yield f"bias.{j}", neuron.b

    def extra_repr(self) -> str:
        bias = self.bias is not None
        return f"in_features={self.in_features}, out_features={self.out_features}, bias={bias}"


class MLP(Sequential):
    """Linear layers of the given sizes with an activation between them; the last layer stays linear."""

    def __init__(
        self,
        n_in: int,
        sizes: Sequence[int],
        activation: Callable[[], Module] = ReLU,
        seed: int | None = None,
    ) -> None:
        if not sizes:
            raise ValueError("MLP needs at least one layer size")
        rng = random.Random(seed)
        layers: list[Module] = []
        for k, size in enumerate(sizes):
            if k:
                layers.append(activation())
            layers.append(Linear(sizes[k - 1] if k else n_in, size, seed=rng.getrandbits(64)))
        super().__init__(*layers)


def _initial_row(n_in: int, rng: random.Random) -> list[float]:
    """n_in weights drawn uniformly in [-1/sqrt(n_in), 1/sqrt(n_in)]."""
    _check_count("n_in", n_in)
    bound = 1 / math.sqrt(n_in)
    return [rng.uniform(-bound, bound) for _ in range(n_in)]


def _neurons(weights: Sequence[Sequence[Scalar]], biases: Sequence[Scalar] | None) -> list[Neuron]:
    """The neurons of a layer, their weights labelled W[j][i] and B[j] as in the seed."""
    if not weights or not weights[0]:
        raise ValueError("a Linear layer needs at least one neuron and one input: weights[j][i] is empty")
    n_in = len(weights[0])
    for j, row in enumerate(weights):
        if len(row) != n_in:
            raise ValueError(f"weights must be rectangular: row 0 has {n_in} weights, row {j} has {len(row)}")
    if biases is not None and len(biases) != len(weights):
        raise ValueError(f"{len(weights)} rows of weights but {len(biases)} biases")
    return [
        Neuron._of(
            [Value(w, f"W[{j}][{i}]") for i, w in enumerate(row)],
            None if biases is None else Value(biases[j], f"B[{j}]"),
        )
        for j, row in enumerate(weights)
    ]


def _check_count(name: str, n: object) -> None:
    """A number of neurons must be a positive int."""
    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        raise ValueError(f"{name} must be a positive int, got {n!r}")


def _check_length(layer: Module, n_in: int, x: Sequence[object]) -> None:
    """The input must hold one value per input neuron."""
    if isinstance(x, Value):
        raise TypeError(f"{type(layer).__name__} takes a list of {n_in} inputs, not a single Value")
    if len(x) != n_in:
        raise ValueError(f"{type(layer).__name__} expects {n_in} inputs, got {len(x)}")
