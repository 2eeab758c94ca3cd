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

from autograd import Value, is_grad_enabled
from nn.activation import ReLU
from nn.module import Module, Scalar, Sequential, as_data, as_values, check_inputs


class Neuron(Module):
    """One output neuron: neuron(x) = Σ_i w_i·x_i + b, with weights `w[i-1]` (labelled w_i) and bias `b`."""

    w: list[Value]
    b: Value | None

    def __init__(self, n_in: int, bias: bool = True, seed: int | None = None) -> None:
        row = _initial_row(n_in, random.Random(seed))
        self.w = [Value(w, f"w_{i + 1}") for i, w in enumerate(row)]
        self.b = Value(0.0, "b") if bias else None

    @classmethod
    def _of(cls, w: list[Value], b: Value | None) -> Neuron:
        """A neuron holding the given weight Values."""
        neuron = cls.__new__(cls)
        neuron.w, neuron.b = w, b
        return neuron

    def forward(self, x: Sequence[Value | Scalar]) -> Value:
        """Σ_i w_i·x_i + b."""
        check_inputs(self, x, len(self.w))
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
    """A Linear layer L^k of n_out neurons: `weight[j-1][i-1]` is w^{k,j}_i, `bias[j-1]` is b^k_j.

    Initialisation: every weight uniform in [-1/sqrt(n_in), 1/sqrt(n_in)] from random.Random(seed),
    every bias 0 (as the seed says). seed=None draws a fresh seed from the system. `k` is the layer's
    number in its model: the weights are labelled `w^{k,j}_i` and `b^k_j` (a literal k when None).
    """

    neurons: list[Neuron]
    k: int | None

    def __init__(
        self, n_in: int, n_out: int, bias: bool = True, seed: int | None = None, k: int | None = None
    ) -> None:
        _check_count("n_out", n_out)
        rng = random.Random(seed)
        rows = [_initial_row(n_in, rng) for _ in range(n_out)]
        self.neurons = _neurons(rows, [0.0] * n_out if bias else None, k)
        self.k = k

    @classmethod
    def from_weights(
        cls, weights: Sequence[Sequence[Scalar]], biases: Sequence[Scalar] | None = None, k: int | None = None
    ) -> Linear:
        """The layer with w^{k,j}_i = weights[j-1][i-1] and b^k_j = biases[j-1] (no bias when None)."""
        layer = cls.__new__(cls)
        layer.neurons = _neurons(weights, biases, k)
        layer.k = k
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
        """weight[j-1][i-1] = w^{k,j}_i: the weight from input neuron i to output neuron j."""
        return [neuron.w for neuron in self.neurons]

    @property
    def bias(self) -> list[Value] | None:
        """bias[j-1] = b^k_j, or None for a layer without bias."""
        if self.neurons[0].b is None:
            return None
        return [neuron.b for neuron in self.neurons if neuron.b is not None]

    def forward(self, x: Sequence[Value | Scalar]) -> list[Value]:
        """o^k_j = Σ_i w^{k,j}_i · o^{k-1}_i + b^k_j for every output neuron j (a list, even of one)."""
        check_inputs(self, x, self.in_features)
        if not is_grad_enabled():
            data = as_data(x)
            return [neuron._infer(data) for neuron in self.neurons]
        xs = as_values(x)
        return [neuron._record(xs) for neuron in self.neurons]

    def own_parameters(self) -> Iterator[tuple[str, Value]]:
        """`weight.j.i` for w^{k,j+1}_{i+1}, then `bias.j` for b^k_{j+1} (0-based, as PyTorch names them)."""
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
    """Linear layers of the given sizes with an activation between them; the last layer stays linear.

    `activation` is a class (or any callable making a layer), called once per hidden layer. Layers
    are numbered from 1 as in the series, activations included: the Linear layers are L^1, L^3, ….
    """

    def __init__(
        self,
        n_in: int,
        sizes: Sequence[int],
        activation: Callable[[], Module] = ReLU,
        seed: int | None = None,
    ) -> None:
        if not sizes:
            raise ValueError("MLP needs at least one layer size")
        if isinstance(activation, Module) or not callable(activation):
            kind = type(activation).__name__
            raise TypeError(
                f"MLP's activation is a class such as ReLU (one layer is made per hidden layer), "
                f"not a {kind} object: pass activation={kind}"
            )
        rng = random.Random(seed)
        layers: list[Module] = []
        for n, size in enumerate(sizes):
            if n:
                layers.append(activation())
            n_in_layer = sizes[n - 1] if n else n_in
            layers.append(Linear(n_in_layer, size, seed=rng.getrandbits(64), k=len(layers) + 1))
        super().__init__(*layers)


def _initial_row(n_in: int, rng: random.Random) -> list[float]:
    """n_in weights drawn uniformly in [-1/sqrt(n_in), 1/sqrt(n_in)]."""
    _check_count("n_in", n_in)
    bound = 1 / math.sqrt(n_in)
    return [rng.uniform(-bound, bound) for _ in range(n_in)]


def _neurons(
    weights: Sequence[Sequence[Scalar]], biases: Sequence[Scalar] | None, k: int | None
) -> list[Neuron]:
    """The neurons of a layer, their weights labelled w^{k,j}_i and b^k_j as in the series (from 1)."""
    if not weights or not weights[0]:
        raise ValueError("a Linear layer needs at least one neuron and one input: weights[j][i] is empty")
    n_in = len(weights[0])
    for j, row in enumerate(weights):
        if len(row) != n_in:
            raise ValueError(f"weights must be rectangular: row 0 has {n_in} weights, row {j} has {len(row)}")
    if biases is not None and len(biases) != len(weights):
        raise ValueError(f"{len(weights)} rows of weights but {len(biases)} biases")
    level = "k" if k is None else k
    return [
        Neuron._of(
            [Value(w, f"w^{{{level},{j + 1}}}_{i + 1}") for i, w in enumerate(row)],
            None if biases is None else Value(biases[j], f"b^{level}_{j + 1}"),
        )
        for j, row in enumerate(weights)
    ]


def _check_count(name: str, n: object) -> None:
    """A number of neurons must be a positive int."""
    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        raise ValueError(f"{name} must be a positive int, got {n!r}")


