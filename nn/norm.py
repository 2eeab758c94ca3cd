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
from typing import Any

import autograd
from autograd import Scalar, Value, no_grad
from nn.module import Module, as_value, check_positive, depth, shape


class BatchNorm(Module):
    """Batch normalization over groups of one feature (or channel): `weight[f-1]` is γ_{k,f} (1), `bias[f-1]`
    β_{k,f} (0), labelled as the normalization article (features and channels f from 1; k the layer's place).

    The default γ = 1 and β = 0 take the kind of the data they first meet: an exact batch stays exact.

    In training, each forward normalizes with the batch's μ and σ (kept as nodes in `batch_mean` and
    `batch_std`) and updates `running_mean` / `running_var` (plain numbers, the unbiased variance) with
    `momentum` (`track`); after `eval()` the running statistics are used as constants.
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
        self.weight = [Value(1.0) for f in range(num_features)] if affine else None
        self.bias = [Value(0.0) for f in range(num_features)] if affine else None
        self.label_parameters()
        self.running_mean: list[Scalar] = [0.0] * num_features
        self.running_var: list[Scalar] = [1.0] * num_features
        self._batch_mean: list[Value] | None = None
        self._batch_std: list[Value] | None = None
        self._batch_statistics: tuple[list[Value], list[Value], int] | None = None

    def label_parameters(self) -> None:
        """Label γ_{k,f} and β_{k,f} as the normalization article (f from 1; the letter k when k is None);
        each training forward labels its nodes μ_{k,f} and σ_{k,f}."""
        for name, params in (("γ", self.weight), ("β", self.bias)):
            for f, p in enumerate(params or []):
                p.label = self._name(name, f)

    def _name(self, name: str, f: int) -> str:
        """γ_{k,f}, β_{k,f}, μ_{k,f} or σ_{k,f} of feature f (counted from 0 here, from 1 in the name)."""
        return f"{name}_{{{'k' if self.k is None else self.k},{f + 1}}}"

    @property
    def batch_mean(self) -> list[Value] | None:
        """μ of each group in the last training forward: the article's M_{k+1} nodes (None before one)."""
        return self._batch_mean

    @property
    def batch_std(self) -> list[Value] | None:
        """σ of each group in the last training forward: the article's Σ_{k+1} nodes (None before one)."""
        return self._batch_std

    @property
    def batch_statistics(self) -> tuple[list[Value], list[Value], int] | None:
        """The nodes μ and Σ (x - μ)² of each group in the last training forward, and the groups' size m:
        what moved the running statistics (a compiled replay keeps their values to move them again)."""
        return self._batch_statistics

    def track(self, means: Sequence[Scalar], squares: Sequence[Scalar], m: int) -> None:
        """Move the running statistics by one batch of groups of m elements, per feature f:
        running_mean ← (1 - momentum)·running_mean + momentum·μ_f,
        running_var ← (1 - momentum)·running_var + momentum·Σ (x - μ_f)²/(m - 1) (the unbiased variance)."""
        if len(means) != self.num_features or len(squares) != self.num_features:
            raise ValueError(
                f"track needs {self.num_features} means and sums of squares (one per feature), "
                f"got {len(means)} and {len(squares)}"
            )
        if isinstance(m, bool) or not isinstance(m, int) or m < 2:
            raise ValueError(f"track needs groups of m >= 2 elements (the unbiased variance), got m={m!r}")
        keep = 1 - self.momentum
        for f, (mu, square) in enumerate(zip(means, squares)):
            self.running_mean[f] = keep * self.running_mean[f] + self.momentum * mu
            self.running_var[f] = keep * self.running_var[f] + self.momentum * square / (m - 1)

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
            self._take_kind(groups[0][0].data)
            stats = [self._statistics(f, group) for f, group in enumerate(groups)]
            self._batch_mean, self._batch_std = [mu for mu, *_ in stats], [sigma for *_, sigma in stats]
            squares, m = [square for _, _, square, _ in stats], len(groups[0])
            self._batch_statistics = self._batch_mean, squares, m
            self.track([mu.data for mu in self._batch_mean], [square.data for square in squares], m)
            normalized = [
                [self._affine(f, d / sigma) for d in centred]
                for f, (_, centred, _, sigma) in enumerate(stats)
            ]
        else:
            self._take_kind(groups[0][0].data)
            normalized = [self._infer(f, group) for f, group in enumerate(groups)]
        per_sample = len(groups[0]) // n
        return [
            [
                _shaped(normalized[f][s * per_sample : (s + 1) * per_sample], sample[f])
                for f in range(len(sample))
            ]
            for s, sample in enumerate(x)
        ]

    def _statistics(self, f: int, group: list[Value]) -> tuple[Value, list[Value], Value, Value]:
        """μ, the nodes x - μ, Σ (x - μ)² and σ = sqrt((1/m)·Σ (x - μ)² + ε) of a group."""
        m = len(group)
        mu = autograd.sum(group) / m
        centred = [v - mu for v in group]
        squares = autograd.sum([d * d for d in centred])
        sigma = (squares / m + self.eps).sqrt()
        mu.label, sigma.label = self._name("μ", f), self._name("σ", f)
        return mu, centred, squares, sigma

    def _infer(self, f: int, group: list[Value]) -> list[Value]:
        """(x - running μ)/sqrt(running var + ε), the statistics as constants."""
        with no_grad():
            sigma = Value(self.running_var[f] + self.eps).sqrt().data
        return [self._affine(f, (v - self.running_mean[f]) / sigma) for v in group]

    def _take_kind(self, example: Scalar) -> None:
        """γ and β still at their defaults 1 and 0 (floats) become the 1 and 0 of the data's kind."""
        if self.weight is None or self.bias is None or isinstance(example, float):
            return
        zero = example - example  # Fraction(0) for exact data, sympy's 0 for symbolic data
        defaults = all(
            isinstance(p.data, float) and p.data == d
            for params, d in ((self.weight, 1), (self.bias, 0))
            for p in params
        )
        if defaults:
            for gamma, beta in zip(self.weight, self.bias):
                gamma.data, beta.data = zero + 1, zero

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
