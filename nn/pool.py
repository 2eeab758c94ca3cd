"""MaxPool2D: ch^{k,c}_{i,j} = max of a window of ch^{k-1,c}, each channel on its own, no weights.

Each output is one `max` node (`autograd.max`) whose parents are its window's entries, with local
derivative 1 for the window's maximum (the first in row order on ties, as in PyTorch; a NaN wherever it
sits) and 0 for the others, so the boxed learning flow emerges: δ^{k,c}_{r,q} = δ^{k+1,c}_{i,j} when
ch^{k-1,c}_{r,q} is the maximum of window (i, j), else 0 (summed over the windows it is the maximum of
when they overlap).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import autograd
from autograd import Value
from nn.conv import pair, sample_shape, window_count
from nn.module import Module, depth


class MaxPool2D(Module):
    """Max pooling over kernel_size windows, moved by stride (default: kernel_size), on each channel.

    padding counts as -∞ and is at most half the kernel; ceil_mode=True keeps the partial windows at
    the bottom and right edges (the series' 7x7 -> 4x4 is MaxPool2D(2, ceil_mode=True)).
    """

    def __init__(
        self,
        kernel_size: int | tuple[int, int],
        stride: int | tuple[int, int] | None = None,
        padding: int | tuple[int, int] = 0,
        ceil_mode: bool = False,
    ) -> None:
        self.kernel_size = pair("kernel_size", kernel_size, 1)
        self.stride = self.kernel_size if stride is None else pair("stride", stride, 1)
        self.padding = pair("padding", padding, 0)
        if any(2 * p > k for p, k in zip(self.padding, self.kernel_size)):
            raise ValueError(
                f"MaxPool2D padding {self.padding} must be at most half the kernel {self.kernel_size}"
            )
        if not isinstance(ceil_mode, bool):
            raise ValueError(f"ceil_mode must be a bool, got {ceil_mode!r}")
        self.ceil_mode = ceil_mode

    def output_size(self, height: int, width: int) -> tuple[int, int]:
        """(H_out, W_out) of a height x width input; a kernel over the padded input: ValueError."""
        size = (height, width)
        return window_count("MaxPool2D", size, self.kernel_size, self.stride, self.padding, self.ceil_mode)

    def forward(self, x: Sequence[Any]) -> list[Any]:
        """Each channel's window maxima (a batch of samples gives a list of outputs)."""
        if depth(x) == 4:
            return [self.forward(sample) for sample in x]
        _, h, w = sample_shape(self, x)
        h_out, w_out = self.output_size(h, w)
        rows = [self._span(i, 0, h) for i in range(h_out)]
        cols = [self._span(j, 1, w) for j in range(w_out)]
        return [[[self._max(channel, r, q) for q in cols] for r in rows] for channel in x]

    def _span(self, i: int, axis: int, size: int) -> range:
        """The input indices of window i along one axis, clipped to the input (padding holds -∞)."""
        start = i * self.stride[axis] - self.padding[axis]
        return range(max(start, 0), min(start + self.kernel_size[axis], size))

    def _max(self, channel: list[list[Any]], rows: range, cols: range) -> Value:
        """The window's maximum as one node: ∂out/∂entry = 1 for the first maximum, else 0."""
        window = [channel[r][q] for r in rows for q in cols]
        return autograd.max([v if isinstance(v, Value) else Value(v) for v in window])

    def extra_repr(self) -> str:
        return (
            f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}, "
            f"ceil_mode={self.ceil_mode}"
        )
