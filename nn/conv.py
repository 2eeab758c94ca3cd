"""The second dimension: Input2D, Conv2D and Flatten over samples x[c][i][j] (channel, row, column).

Conv2D's forward is built from the engine's * and + nodes, so its boxed learning flow emerges:
    δ^{k,c}_{r,q} = Σ_o Σ_{u,v} δ^{k+1,o}_{i,j} · ker^{k,o,c}_{u,v}, where (i·s + u - p, j·s + v - p) = (r, q)
    δker^{k,o,c}_{u,v} = Σ_{i,j} δ^{k+1,o}_{i,j} · ch^{k-1,c}_{i·s+u-p, j·s+v-p}
    δb^{k,o} = Σ_{i,j} δ^{k+1,o}_{i,j}
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from functools import reduce
from operator import add
from typing import Any

import autograd
from autograd import Scalar, Value, is_grad_enabled
from nn.module import Module, apply, as_number, as_value, check_positive, depth, shape

Grid = list[list[Any]]  # [row][col]
Sample = list[Grid]  # [channel][row][col]


class Input2D(Module):
    """The input layer L1 of images: x[c][i][j] as neurons (numbers wrapped in leaf Values), so δ^1 = δ^2.

    Given dimensions are checked (None accepts any); a batch (a list of samples) gives a list of samples.
    """

    input_layer = True

    def __init__(
        self, channels: int | None = None, height: int | None = None, width: int | None = None
    ) -> None:
        for name, n in (("channels", channels), ("height", height), ("width", width)):
            if n is not None:
                check_positive(name, n)
        self.dims = (channels, height, width)

    def forward(self, x: Sequence[Any]) -> list[Any]:
        """The image as neurons o^1[c][i][j]: Values pass through (the same objects), numbers as leaves."""
        if depth(x) == 4:
            return [self.forward(sample) for sample in x]
        actual = sample_shape(self, x)
        if any(d is not None and d != a for d, a in zip(self.dims, actual)):
            raise ValueError(f"Input2D expects input of shape {_dims(self.dims)}, got {actual}")
        return apply(as_value, x)  # type: ignore[no-any-return]

    def extra_repr(self) -> str:
        names = ("channels", "height", "width")
        return ", ".join(f"{name}={d}" for name, d in zip(names, self.dims) if d is not None)


class Conv2D(Module):
    """A convolution layer L^k: `weight[o-1][c-1][u][v]` is ker^{k,o,c}_{u,v}, `bias[o-1]` is b^{k,o}.

    As in the convolution article, channels o, c are numbered from 1 and kernel positions u, v from 0.

    ch^{k,o}_{i,j} = b^{k,o} + Σ_c Σ_{u,v} ker^{k,o,c}_{u,v} · ch^{k-1,c}_{i·s+u-p, j·s+v-p}: a
    cross-correlation (the kernel is not flipped, as in the series and PyTorch) with zero padding p
    and stride s. kernel_size, stride and padding are each an int or a (rows, cols) pair; padding may
    also be 'valid' (0) or 'same' (k // 2 for an odd kernel and stride 1: the output keeps the size).
    Initialisation: uniform in ±1/sqrt(in_channels·kh·kw) from random.Random(seed), biases 0.
    """

    weight: list[list[list[list[Value]]]]
    bias: list[Value] | None

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: int | tuple[int, int],
        stride: int | tuple[int, int] = 1,
        padding: int | tuple[int, int] | str = 0,
        bias: bool = True,
        seed: int | None = None,
    ) -> None:
        check_positive("in_channels", in_channels)
        check_positive("out_channels", out_channels)
        kh, kw = pair("kernel_size", kernel_size, 1)
        rng = random.Random(seed)
        bound = 1 / math.sqrt(in_channels * kh * kw)
        kernels = [
            [[[rng.uniform(-bound, bound) for _ in range(kw)] for _ in range(kh)] for _ in range(in_channels)]
            for _ in range(out_channels)
        ]
        self._build(kernels, [0.0] * out_channels if bias else None, stride, padding)

    @classmethod
    def from_weights(
        cls,
        weight: Sequence[Sequence[Sequence[Sequence[Scalar]]]],
        bias: Sequence[Scalar] | None = None,
        stride: int | tuple[int, int] = 1,
        padding: int | tuple[int, int] | str = 0,
    ) -> Conv2D:
        """The layer with ker^{k,o,c}_{u,v} = weight[o-1][c-1][u][v], b^{k,o} = bias[o-1] (no bias: None)."""
        layer = cls.__new__(cls)
        layer._build(weight, bias, stride, padding)
        return layer

    def _build(
        self,
        weight: Sequence[Sequence[Sequence[Sequence[Scalar]]]],
        bias: Sequence[Scalar] | None,
        stride: int | tuple[int, int],
        padding: int | tuple[int, int] | str,
    ) -> None:
        """Check the arguments, then hold the kernels and biases as labelled Values."""
        if depth(weight) != 4 or 0 in shape(weight, "Conv2D weight"):
            raise ValueError(
                "Conv2D weight must be non-empty nested lists [out][in][rows][cols], "
                f"got shape {shape(weight, 'Conv2D weight')}"
            )
        c_out, _, kh, kw = shape(weight, "Conv2D weight")
        if bias is not None and len(bias) != c_out:
            raise ValueError(f"Conv2D has {c_out} output channels but {len(bias)} biases")
        stride = pair("stride", stride, 1)
        if padding == "valid":
            padding = 0
        elif padding == "same":
            if stride != (1, 1) or kh % 2 == 0 or kw % 2 == 0:
                needs = "padding='same' needs stride 1 and an odd kernel"
                raise ValueError(f"{needs}: kernel {(kh, kw)}, stride {stride}")
            padding = (kh // 2, kw // 2)
        padding = pair("padding", padding, 0)
        if padding[0] >= kh or padding[1] >= kw:
            raise ValueError(
                f"Conv2D padding {padding} must be smaller than the kernel {(kh, kw)}: "
                "a window would hold no input"
            )
        self.stride, self.padding = stride, padding
        self.weight = [
            [[[Value(w) for w in row] for row in kernel] for kernel in kernels] for kernels in weight
        ]
        self.bias = None if bias is None else [Value(b) for b in bias]
        self.label_parameters()

    def label_parameters(self) -> None:
        """Label the kernels ker^{k,o,c}_{u,v} and biases b^{k,o} as the convolution article: channels o, c
        from 1, positions u, v from 0 (the letter k when k is None)."""
        level = "k" if self.k is None else self.k
        for o, kernels in enumerate(self.weight):
            for c, kernel in enumerate(kernels):
                for u, row in enumerate(kernel):
                    for v, w in enumerate(row):
                        w.label = f"ker^{{{level},{o + 1},{c + 1}}}_{{{u},{v}}}"
        for o, b in enumerate(self.bias or []):
            b.label = f"b^{{{level},{o + 1}}}"

    @property
    def in_channels(self) -> int:
        """The number of input channels ch^{k-1,c}."""
        return len(self.weight[0])

    @property
    def out_channels(self) -> int:
        """The number of output channels ch^{k,o}."""
        return len(self.weight)

    @property
    def kernel_size(self) -> tuple[int, int]:
        """(rows, cols) of each kernel."""
        return len(self.weight[0][0]), len(self.weight[0][0][0])

    def output_size(self, height: int, width: int) -> tuple[int, int]:
        """(H_out, W_out) = (⌊(H + 2p - k)/s⌋ + 1, ...); a kernel over the padded input: ValueError."""
        return window_count("Conv2D", (height, width), self.kernel_size, self.stride, self.padding, False)

    def forward(self, x: Sequence[Any]) -> list[Any]:
        """The output channels ch^{k,o}[i][j] (a batch of samples gives a list of outputs)."""
        if depth(x) == 4:
            return [self.forward(sample) for sample in x]
        c, h, w = sample_shape(self, x, self.in_channels)
        h_out, w_out = self.output_size(h, w)
        record = is_grad_enabled()
        grid = apply(as_value if record else as_number, x)
        weight = self.weight if record else apply(as_number, self.weight)
        bias = self.bias if record or self.bias is None else [b.data for b in self.bias]
        rows = [self._taps(i, 0, h) for i in range(h_out)]
        cols = [self._taps(j, 1, w) for j in range(w_out)]
        out = [
            [
                [
                    _window_sum(weight[o], grid, c, taps_i, taps_j, None if bias is None else bias[o], record)
                    for taps_j in cols
                ]
                for taps_i in rows
            ]
            for o in range(self.out_channels)
        ]
        return out if record else apply(Value, out)

    def _taps(self, i: int, axis: int, size: int) -> list[tuple[int, int]]:
        """The (kernel index u, input index r = i·s + u - p) pairs of output i that fall in the input."""
        k, s, p = self.kernel_size[axis], self.stride[axis], self.padding[axis]
        return [(u, i * s + u - p) for u in range(k) if 0 <= i * s + u - p < size]

    def extra_repr(self) -> str:
        return (
            f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, stride={self.stride}, "
            f"padding={self.padding}, bias={self.bias is not None}"
        )


class Flatten(Module):
    """[C][H][W] -> [C·H·W] in (c, i, j) order, as PyTorch's flatten: the same Values, no new nodes."""

    def forward(self, x: Sequence[Any]) -> list[Any]:
        """The neurons of a sample in one list (a batch of samples gives a list of lists)."""
        if depth(x) == 4:
            return [self.forward(sample) for sample in x]
        sample_shape(self, x)
        return [v for channel in x for row in channel for v in row]


def _window_sum(
    kernels: list[Any],
    grid: list[Any],
    channels: int,
    rows: list[tuple[int, int]],
    cols: list[tuple[int, int]],
    b: Any,
    record: bool,
) -> Any:
    """Σ_c Σ_{u,v} ker_{c,u,v} · ch_{c,r,q} + b over the window's taps: a sum node (numbers: no_grad)."""
    products = [kernels[c][u][v] * grid[c][r][q] for c in range(channels) for u, r in rows for v, q in cols]
    terms = products if b is None else [*products, b]
    return autograd.sum(terms) if record else reduce(add, terms)


def sample_shape(layer: Module, x: Any, channels: int | None = None) -> tuple[int, int, int]:
    """The (C, H, W) of one sample [c][i][j]; another depth, ragged rows or other channels: a ValueError."""
    name = type(layer).__name__
    expected = f"({'C' if channels is None else channels}, H, W)"
    if isinstance(x, Value) or depth(x) != 3:
        got = "a single Value" if isinstance(x, Value) else f"shape {shape(x, name)}"
        raise ValueError(f"{name} expects input of shape {expected} or a batch of them, got {got}")
    c, h, w = shape(x, name)
    if channels is not None and c != channels:
        raise ValueError(f"{name} expects input of shape {expected}, got {(c, h, w)}")
    if 0 in (c, h, w):
        raise ValueError(f"{name} expects a non-empty input of shape {expected}, got {(c, h, w)}")
    return c, h, w


def window_count(
    name: str,
    size: tuple[int, int],
    kernel: tuple[int, int],
    stride: tuple[int, int],
    padding: tuple[int, int],
    ceil_mode: bool,
) -> tuple[int, int]:
    """The number of windows along rows and columns: ⌊(n + 2p - k)/s⌋ + 1 (⌈…⌉ with ceil_mode, PyTorch's
    rule: the last window starts inside the input or the left padding)."""
    padded = (size[0] + 2 * padding[0], size[1] + 2 * padding[1])
    if padded[0] < kernel[0] or padded[1] < kernel[1]:
        raise ValueError(
            f"{name} kernel {kernel[0]}x{kernel[1]} is larger than the padded input {padded[0]}x{padded[1]} "
            f"(input {size[0]}x{size[1]}, padding {padding})"
        )
    counts = []
    for n, k, s, p, full in zip(size, kernel, stride, padding, padded):
        count = (full - k + (s - 1 if ceil_mode else 0)) // s + 1
        if ceil_mode and (count - 1) * s >= n + p:
            count -= 1
        counts.append(count)
    return counts[0], counts[1]


def pair(name: str, value: object, minimum: int) -> tuple[int, int]:
    """An int or an (rows, cols) pair of ints >= minimum, as a pair."""
    values = value if isinstance(value, tuple) and len(value) == 2 else (value, value)
    for n in values:
        if not isinstance(n, int) or isinstance(n, bool) or n < minimum:
            raise ValueError(f"{name} must be an int >= {minimum} or a pair of them, got {value!r}")
    return values[0], values[1]  # type: ignore[return-value]


def _dims(dims: tuple[int | None, ...]) -> str:
    """(3, H, W) for the dimensions (3, None, None)."""
    return "(" + ", ".join(str(d) if d is not None else n for d, n in zip(dims, "CHW")) + ")"
