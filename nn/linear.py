"""Neuron, Linear and MLP: o^k_j = Σ_i W^{k,j}_i · o^{k-1}_i + B^k_j, built from the engine's * and sum nodes.

No backward is written here: δ^k_i = Σ_j δ^{k+1}_j · w^{k,j}_i, δw^{k,j}_i = δ^{k+1}_j · o^{k-1}_i and
δb^k_j = δ^{k+1}_j emerge from the chain rule along those nodes.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from operator import mul
from typing import Any

import autograd
from autograd import Scalar, Value, group, is_grad_enabled, is_recording_groups
from nn.activation import ReLU, Tanh
from nn.module import Module, Sequential, as_data, as_values, check_inputs, check_positive, depth


class Neuron(Module):
    """One output neuron: neuron(x) = Σ_i w_i·x_i + b, with weights `w[i-1]` (labelled w_i) and bias `b`."""

    def __init__(self, n_in: int, bias: bool = True, seed: int | None = None) -> None:
        row = _initial_row(n_in, random.Random(seed))
        self.w = [Value(w, f"w_{i + 1}") for i, w in enumerate(row)]
        self.b = Value(0.0, "b") if bias else None

    def forward(self, x: Sequence[Value | Scalar]) -> Value:
        """Σ_i w_i·x_i + b."""
        check_inputs(self, x, len(self.w))
        return weighted_sums([self.w], None if self.b is None else [self.b], x)[0]

    def extra_repr(self) -> str:
        return f"in_features={len(self.w)}, bias={self.b is not None}"


class Linear(Module):
    """A Linear layer L^k of n_out neurons: `weight[j-1][i-1]` is w^{k,j}_i, `bias[j-1]` is b^k_j.

    Initialisation: every weight uniform in [-1/sqrt(n_in), 1/sqrt(n_in)] from random.Random(seed),
    every bias 0 (as the seed says). seed=None draws a fresh seed from the system. `k` is the layer's
    number: the weights are labelled `w^{k,j}_i` and `b^k_j` (a literal k for a lone layer, the article's
    L^k); a Sequential or MLP numbers its layers itself.
    """

    weight: list[list[Value]]
    bias: list[Value] | None
    k: int | None

    def __init__(
        self, n_in: int, n_out: int, bias: bool = True, seed: int | None = None, k: int | None = None
    ) -> None:
        check_positive("n_out", n_out)
        rng = random.Random(seed)
        rows = [_initial_row(n_in, rng) for _ in range(n_out)]
        self.weight, self.bias = _weights(rows, [0.0] * n_out if bias else None)
        self.k = k
        self.label_parameters()

    @classmethod
    def from_weights(
        cls, weights: Sequence[Sequence[Scalar]], biases: Sequence[Scalar] | None = None, k: int | None = None
    ) -> Linear:
        """The layer with w^{k,j}_i = weights[j-1][i-1] and b^k_j = biases[j-1] (no bias when None)."""
        layer = cls.__new__(cls)
        layer.weight, layer.bias = _weights(weights, biases)
        layer.k = k
        layer.label_parameters()
        return layer

    def label_parameters(self) -> None:
        """Label the weights w^{k,j}_i and biases b^k_j as the series (from 1; the letter k when None)."""
        level = "k" if self.k is None else self.k
        for j, row in enumerate(self.weight):
            for i, w in enumerate(row):
                w.label = f"w^{{{level},{j + 1}}}_{i + 1}"
        for j, b in enumerate(self.bias or []):
            b.label = f"b^{level}_{j + 1}"

    @property
    def in_features(self) -> int:
        """The number of input neurons o^{k-1}."""
        return len(self.weight[0])

    @property
    def out_features(self) -> int:
        """The number of output neurons o^k."""
        return len(self.weight)

    def forward(self, x: Sequence[Value | Scalar]) -> list[Value]:
        """o^k_j = Σ_i w^{k,j}_i · o^{k-1}_i + b^k_j for every output neuron j (a list, even of one).

        A batch (a list of rows) gives the list of each row's outputs.
        """
        if depth(x) == 2:
            return [self.forward(row) for row in x]  # type: ignore[arg-type, misc]
        check_inputs(self, x, self.in_features)
        if not is_recording_groups() or not is_grad_enabled():
            return weighted_sums(self.weight, self.bias, x)
        xs = as_values(x)  # inside autograd.record_groups(): name the nodes for clustered pictures
        outputs = weighted_sums(self.weight, self.bias, xs)
        self._group(outputs, xs)
        return outputs

    def _group(self, outputs: list[Value], xs: list[Value]) -> None:
        """Group the nodes this call made: the layer and in it each neuron j (Σ_i w^{k,j}_i·o_i + b_j)."""
        layer = group(f"Linear({self.in_features}→{self.out_features})", outputs, xs)
        for j, output in enumerate(outputs):
            group(f"neuron {j + 1}", [output], xs, parent=layer)

    def extra_repr(self) -> str:
        bias = self.bias is not None
        return f"in_features={self.in_features}, out_features={self.out_features}, bias={bias}"


def weighted_sums(
    weights: Sequence[Sequence[Value]], biases: Sequence[Value] | None, x: Sequence[Value | Scalar]
) -> list[Value]:
    """Σ_i weights[j][i]·x_i + biases[j] for each j, as graph nodes (a product node per weight, one sum
    node per neuron), or from plain numbers wrapped once in a Value under no_grad (inference)."""
    if not is_grad_enabled():
        data = as_data(x)
        sums = [sum(map(mul, [w.data for w in row], data)) for row in weights]
        if biases is not None:
            sums = [s + b.data for s, b in zip(sums, biases)]
        return [Value(s) for s in sums]
    xs = as_values(x)
    if biases is None:
        return [autograd.sum(map(mul, row, xs)) for row in weights]
    return [autograd.sum((*map(mul, row, xs), b)) for row, b in zip(weights, biases)]


class MLP(Sequential):
    """Linear layers of the given sizes with an activation between them; the last layer stays linear.

    `activation` is a class (or any callable making a layer), called once per hidden layer. Layers
    are numbered as in the series, activations included: L^1 is the input (the data are o^1), the
    Linear layers are L^2, L^4, … (weights w^{2,j}_i, then w^{4,j}_i).

    `micrograd=True` builds the MLP of micrograd's lecture: tanh (unless `activation` says otherwise)
    after every layer, the last included, and a model of one output neuron returns that Value itself,
    so the lecture's `n(x)` and `sum((yout - ygt)**2 for ...)` run unchanged (the losses and `fit`
    take lists: leave it False for them).
    """

    def __init__(
        self,
        n_in: int,
        sizes: Sequence[int],
        activation: Callable[[], Module] | None = None,
        seed: int | None = None,
        *,
        micrograd: bool = False,
    ) -> None:
        if isinstance(sizes, (int, str)) or not hasattr(sizes, "__len__"):
            raise TypeError(f"MLP's sizes are a list of layer sizes, such as [16, 16, 1], not {sizes!r}")
        if not sizes:
            raise ValueError("MLP needs at least one layer size")
        if not isinstance(micrograd, bool):
            raise TypeError(f"MLP's micrograd is True or False, not {micrograd!r}")
        make = activation if activation is not None else Tanh if micrograd else ReLU
        if isinstance(make, Module) or not callable(make):
            kind = type(make).__name__
            raise TypeError(
                f"MLP's activation is a class such as ReLU (one layer is made per hidden layer), "
                f"not a {kind} object: pass activation={kind}"
            )
        rng = random.Random(seed)
        layers: list[Module] = []
        for n, size in enumerate(sizes):
            if n:
                layers.append(make())
            n_in_layer = sizes[n - 1] if n else n_in
            layers.append(Linear(n_in_layer, size, seed=rng.getrandbits(64)))
        if micrograd:
            layers.append(make())
        super().__init__(*layers)
        self.micrograd = micrograd
        self._alone = micrograd and sizes[-1] == 1  # one output neuron, returned as itself

    def forward(self, x: Any) -> Any:
        """The information flow through the layers; with micrograd=True one output neuron comes back alone."""
        out = super().forward(x)
        if not self._alone:
            return out
        return [row[0] for row in out] if depth(x) == 2 else out[0]


def _initial_row(n_in: int, rng: random.Random) -> list[float]:
    """n_in weights drawn uniformly in [-1/sqrt(n_in), 1/sqrt(n_in)]."""
    check_positive("n_in", n_in)
    bound = 1 / math.sqrt(n_in)
    return [rng.uniform(-bound, bound) for _ in range(n_in)]


def _weights(
    weights: Sequence[Sequence[Scalar]], biases: Sequence[Scalar] | None
) -> tuple[list[list[Value]], list[Value] | None]:
    """The weights and biases of a layer as Values (checked rectangular, one bias per row)."""
    if not weights or not weights[0]:
        raise ValueError("a Linear layer needs at least one neuron and one input: weights[j][i] is empty")
    n_in = len(weights[0])
    for j, row in enumerate(weights):
        if len(row) != n_in:
            raise ValueError(f"weights must be rectangular: row 0 has {n_in} weights, row {j} has {len(row)}")
    if biases is not None and len(biases) != len(weights):
        raise ValueError(f"{len(weights)} rows of weights but {len(biases)} biases")
    rows = [[Value(w) for w in row] for row in weights]
    return rows, None if biases is None else [Value(b) for b in biases]
