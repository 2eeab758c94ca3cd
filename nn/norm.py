"""BatchNorm1D and BatchNorm2D: the normalization article's structure, built from the engine's nodes.

Per group of m elements (a feature over the batch, or a channel over the batch and every position):
    μ = (1/m)·Σ x,  σ = sqrt((1/m)·Σ (x - μ)² + ε),  o' = (x - μ)/σ,  o = β + γ·o'
σ is built from the nodes x - μ, as in the article, so after backward μ.grad and σ.grad are its boxed
    δσ = -(γ/σ)·Σ δ·o',  δμ = -(γ/σ)·Σ δ,  δx_b = (γ/σ)·(1/m)·[m·δ_b - Σ δ - (Σ δ·o')·o'_b],
    δγ = Σ δ·o',  δβ = Σ δ.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from functools import reduce
from operator import add
from typing import Any

from autograd import Value, no_grad
from nn.conv import check_positive
from nn.module import Module, Scalar, as_value, depth, shape


class BatchNorm(Module):
    """Batch normalization over groups of one feature (or channel): `weight[f]` is γ (1), `bias[f]` β (0).

    In training, each forward normalizes with the batch's μ and σ (kept as nodes in `batch_mean` and
    `batch_std`) and updates `running_mean` / `running_var` (plain numbers, the unbiased variance) with
    `momentum`; after `eval()` the running statistics are used as constants.
    """

    sample_depth: int  # 1 for [F], 3 for [C][H][W]
    axes: str  # how the shape is named in messages

    def __init__(
        self, num_features: int, eps: Scalar = 1e-5, momentum: Scalar = 0.1, affine: bool = True
    ) -> None:
        check_positive("num_features", num_features)
        if isinstance(eps, bool) or not isinstance(eps, (int, float, Fraction)) or not eps >= 0:
            raise ValueError(f"eps must be a number >= 0, got {eps!r}")
        if (
            isinstance(momentum, bool)
            or not isinstance(momentum, (int, float, Fraction))
            or not 0 <= momentum <= 1
        ):
            raise ValueError(f"momentum must be a number in [0, 1], got {momentum!r}")
        if not isinstance(affine, bool):
            raise ValueError(f"affine must be a bool, got {affine!r}")
        self.num_features, self.eps, self.momentum = num_features, eps, momentum
        self.weight = [Value(1.0, f"γ[{f}]") for f in range(num_features)] if affine else None
        self.bias = [Value(0.0, f"β[{f}]") for f in range(num_features)] if affine else None
        self.running_mean: list[Scalar] = [0.0] * num_features
        self.running_var: list[Scalar] = [1.0] * num_features
        self._batch_mean: list[Value] | None = None
        self._batch_std: list[Value] | None = None

    @property
    def batch_mean(self) -> list[Value] | None:
        """μ of each group in the last training forward: the article's M_{k+1} nodes (None before one)."""
        return self._batch_mean

    @property
    def batch_std(self) -> list[Value] | None:
        """σ of each group in the last training forward: the article's Σ_{k+1} nodes (None before one)."""
        return self._batch_std

    def forward(self, x: Sequence[Any]) -> list[Any]:
        """β + γ·(x - μ)/σ for every element, with the batch's μ, σ (training) or the running ones (eval)."""
        n = self._check(x)
        groups = [
            [as_value(v) for sample in x for v in _elements(sample[f])] for f in range(self.num_features)
        ]
        if self.training:
            if len(groups[0]) < 2:
                raise ValueError(
                    f"{type(self).__name__} expects more than 1 value per feature in training, got input of "
                    f"shape {shape(x, type(self).__name__)}"
                )
            stats = [self._statistics(f, group) for f, group in enumerate(groups)]
            self._batch_mean, self._batch_std = [mu for mu, _, _ in stats], [sigma for _, _, sigma in stats]
            normalized = [
                [self._affine(f, d / sigma) for d in centred] for f, (_, centred, sigma) in enumerate(stats)
            ]
        else:
            normalized = [self._infer(f, group) for f, group in enumerate(groups)]
        per_sample = len(groups[0]) // n
        return [
            [
                _shaped(normalized[f][s * per_sample : (s + 1) * per_sample], sample[f])
                for f in range(len(sample))
            ]
            for s, sample in enumerate(x)
        ]

    def _statistics(self, f: int, group: list[Value]) -> tuple[Value, list[Value], Value]:
        """μ, the nodes x - μ and σ = sqrt((1/m)·Σ (x - μ)² + ε) of a group; moves the running statistics."""
        m = len(group)
        mu = reduce(add, group) / m
        centred = [v - mu for v in group]
        sigma = (reduce(add, [d * d for d in centred]) / m + self.eps).sqrt()
        variance = sum(d.data * d.data for d in centred) / (m - 1)
        keep = 1 - self.momentum
        self.running_mean[f] = keep * self.running_mean[f] + self.momentum * mu.data
        self.running_var[f] = keep * self.running_var[f] + self.momentum * variance
        return mu, centred, sigma

    def _infer(self, f: int, group: list[Value]) -> list[Value]:
        """(x - running μ)/sqrt(running var + ε), the statistics as constants."""
        with no_grad():
            sigma = Value(self.running_var[f] + self.eps).sqrt().data
        return [self._affine(f, (v - self.running_mean[f]) / sigma) for v in group]

    def _affine(self, f: int, normalized: Value) -> Value:
        """o = β + γ·o' (o' itself without affine weights)."""
        if self.weight is None or self.bias is None:
            return normalized
        return self.bias[f] + self.weight[f] * normalized

    def _check(self, x: Any) -> int:
        """The batch size; another depth, ragged samples or another feature count: a ValueError."""
        name = type(self).__name__
        expected = f"(N, {self.num_features}{self.axes})"
        if isinstance(x, Value) or depth(x) != self.sample_depth + 1:
            got = "a single Value" if isinstance(x, Value) else f"shape {shape(x, name)}"
            raise ValueError(f"{name} expects a batch of shape {expected}, got {got}")
        actual = shape(x, name)
        if actual[1] != self.num_features or 0 in actual:
            raise ValueError(f"{name} expects a batch of shape {expected}, got {actual}")
        return actual[0]

    def extra_repr(self) -> str:
        return (
            f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, affine={self.weight is not None}"
        )


class BatchNorm1D(BatchNorm):
    """Batch normalization after a Linear layer: batch[N][F], one group per feature over the N samples."""

    sample_depth, axes = 1, ""


class BatchNorm2D(BatchNorm):
    """Batch normalization after a convolution: batch[N][C][H][W], one group per channel over N·H·W."""

    sample_depth, axes = 3, ", H, W"


def _elements(x: Any) -> list[Any]:
    """The elements of one feature of one sample: itself, or a channel's grid in row order."""
    return [v for row in x for v in row] if isinstance(x, list) else [x]


def _shaped(values: list[Value], like: Any) -> Any:
    """values in the shape of `like`: a single element, or a grid of its rows."""
    if not isinstance(like, list):
        return values[0]
    width = len(like[0])
    return [values[i * width : (i + 1) * width] for i in range(len(like))]
