"""MaxPool2D: the max-pooling article's boxed flow (to the maximum of each window only, the first in row
order on ties), the article's 7x7 -> 4x4, PyTorch's sizes, central differences, and bad arguments.

    δ^{k,c}_{r,q} = δ^{k+1,c}_{i,j} when ch^{k-1,c}_{r,q} is the maximum of window (i, j), else 0
"""

from __future__ import annotations

import math
from collections.abc import Callable
from fractions import Fraction
from functools import reduce
from itertools import product
from operator import add, mul
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_conv import flat, grid
from test_formulas import FLOATS, flow_back

from autograd import Value, gradcheck, no_grad
from nn import SGD, Conv2D, Flatten, Linear, MaxPool2D, ReLU, Sequential, binary_cross_entropy, fit

SMALL = st.builds(Fraction, st.integers(-3, 3))  # few distinct values: many ties


@st.composite
def pool_cases(draw: st.DrawFn, numbers: st.SearchStrategy[Any]) -> dict[str, Any]:
    """A random pooling (kernel, stride, padding, ceil_mode), an input and an upstream flow."""
    kh, kw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    stride = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    padding = (draw(st.integers(0, kh // 2)), draw(st.integers(0, kw // 2)))
    layer = MaxPool2D((kh, kw), stride, padding, ceil_mode=draw(st.booleans()))
    c = draw(st.integers(1, 2))
    h = draw(st.integers(max(1, kh - 2 * padding[0]), 6))
    w = draw(st.integers(max(1, kw - 2 * padding[1]), 6))
    h_out, w_out = layer.output_size(h, w)
    return {"layer": layer, "x": draw(grid(numbers, c, h, w)), "delta": draw(grid(SMALL, c, h_out, w_out))}


def window(layer: MaxPool2D, i: int, j: int, h: int, w: int) -> list[tuple[int, int]]:
    """The in-range positions of window (i, j) in row order."""
    (kh, kw), (sh, sw), (ph, pw) = layer.kernel_size, layer.stride, layer.padding
    return [
        (r, q) for r, q in product(range(i * sh - ph, i * sh - ph + kh), range(j * sw - pw, j * sw - pw + kw))
        if 0 <= r < h and 0 <= q < w
    ]


def check_pool(case: dict[str, Any], same: Callable[[Any, Any], bool]) -> None:
    """Each output is its window's maximum; each input receives the flow of the windows whose first maximum
    it is, and only those."""
    layer, x, delta = case["layer"], case["x"], case["delta"]
    o = [[[Value(v) for v in row] for row in ch] for ch in x]
    out = layer(o)
    flow_back(flat(out), flat(delta))
    h, w = len(x[0]), len(x[0][0])
    expected = [[[0] * w for _ in range(h)] for _ in x]
    for c, i, j in product(range(len(x)), range(len(delta[0])), range(len(delta[0][0]))):
        cells = window(layer, i, j, h, w)
        values = [x[c][r][q] for r, q in cells]
        assert out[c][i][j].data == max(values)
        r, q = cells[values.index(max(values))]  # the first maximum in row order
        expected[c][r][q] += delta[c][i][j]
    for c, r, q in product(range(len(x)), range(h), range(w)):
        assert same(o[c][r][q].grad, expected[c][r][q])


@given(pool_cases(FLOATS))
def test_boxed_delta_is_the_flow_of_the_max_or_0_with_floats(case: dict[str, Any]) -> None:
    check_pool(case, lambda a, b: a == b)


@given(pool_cases(SMALL))
def test_boxed_delta_is_the_flow_of_the_max_or_0_with_fractions_and_ties(case: dict[str, Any]) -> None:
    check_pool(case, lambda a, b: a == b and not isinstance(a, float))


@given(pool_cases(SMALL))
def test_only_one_flow_per_window_is_not_null(case: dict[str, Any]) -> None:
    """The article: "for every cell there is only one learning flow that will not be null"."""
    layer, x = case["layer"], case["x"]
    for c, i, j in product(range(len(x)), *map(range, layer.output_size(len(x[0]), len(x[0][0])))):
        o = [[[Value(v) for v in row] for row in ch] for ch in x]
        layer(o)[c][i][j].backward()
        flows = [v for v in flat(o) if v.grad != 0]
        cell = [x[c][r][q] for r, q in window(layer, i, j, *layer_hw(x))]
        assert len(flows) == 1 and flows[0].data == max(cell)


def layer_hw(x: Any) -> tuple[int, int]:
    return len(x[0]), len(x[0][0])


def test_the_articles_7x7_to_4x4_keeps_the_partial_cells() -> None:
    x = [[[Fraction(7 * r + q) for q in range(7)] for r in range(7)]] * 2
    out = MaxPool2D(2, ceil_mode=True)(x)
    assert [[v.data for v in row] for row in out[0]] == [
        [8, 10, 12, 13], [22, 24, 26, 27], [36, 38, 40, 41], [43, 45, 47, 48],
    ]
    assert len(out) == 2 and MaxPool2D(2).output_size(7, 7) == (3, 3)  # PyTorch's default floors


@pytest.mark.parametrize(
    ("args", "size", "expected"),
    [  # PyTorch's output sizes (torch.nn.MaxPool2D with the same arguments)
        (dict(kernel_size=3, stride=2, padding=1, ceil_mode=True), (6, 6), (4, 4)),
        (dict(kernel_size=3, stride=2, padding=1, ceil_mode=False), (6, 6), (3, 3)),
        (dict(kernel_size=2, stride=2, padding=1, ceil_mode=True), (5, 5), (3, 3)),
        (dict(kernel_size=(3, 1), stride=(1, 2), padding=0, ceil_mode=True), (4, 4), (2, 2)),
    ],
)
def test_output_sizes_follow_pytorch(args: dict[str, Any], size: Any, expected: tuple[int, int]) -> None:
    assert MaxPool2D(**args).output_size(*size) == expected


@given(pool_cases(FLOATS))
def test_max_pooling_matches_central_differences(case: dict[str, Any]) -> None:
    layer, x, flows = case["layer"], case["x"], flat(case["delta"])
    drawn = flat(x)  # made distinct (a tie is a kink: no central differences there), in the drawn order
    values = [0.0] * len(drawn)
    for rank, k in enumerate(sorted(range(len(drawn)), key=drawn.__getitem__)):
        values[k] = float(rank)
    h, w = layer_hw(x)

    def f(*v: Value) -> Value:
        image = [[[v[(c * h + r) * w + q] for q in range(w)] for r in range(h)] for c in range(len(x))]
        return reduce(add, map(mul, flat(layer(image)), flows))

    assert gradcheck(f, [Value(v) for v in values], eps=1e-5)


def test_a_batch_and_no_grad() -> None:
    layer = MaxPool2D(2)
    samples = [[[[1.0, 2.0], [3.0, 4.0]]], [[[4.0, 3.0], [2.0, 1.0]]]]
    assert [v.data for v in flat(layer(samples))] == [4.0, 4.0]
    with no_grad():
        out = layer(samples)
    assert all(v.is_leaf() for v in flat(out))
    assert repr(layer) == "MaxPool2D(kernel_size=(2, 2), stride=(2, 2), padding=(0, 0), ceil_mode=False)"


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: MaxPool2D(0), "kernel_size must be an int >= 1"),
        (lambda: MaxPool2D(2, stride=0), "stride must be an int >= 1"),
        (lambda: MaxPool2D(2, padding=2), r"padding \(2, 2\) must be at most half the kernel \(2, 2\)"),
        (lambda: MaxPool2D(2, ceil_mode=1), "ceil_mode must be a bool, got 1"),
        (lambda: MaxPool2D(3)([[[1.0] * 2] * 2]), "kernel 3x3 is larger than the padded input 2x2"),
        (lambda: MaxPool2D(2)([[1.0, 2.0]]), r"expects input of shape \(C, H, W\).*got shape \(1, 2\)"),
        (lambda: MaxPool2D(1)([[[1.0, 2.0], [3.0]]]), "ragged"),
    ],
)
def test_bad_arguments_and_shapes_are_refused(make: Callable[[], Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        make()


@pytest.mark.parametrize(
    "window", [[[math.nan, 1.0], [2.0, 3.0]], [[1.0, math.nan], [2.0, 3.0]], [[1.0, 2.0], [3.0, math.nan]]]
)
def test_a_nan_anywhere_in_a_window_is_its_maximum_and_takes_the_flow(window: list[list[float]]) -> None:
    """As PyTorch's max_pool2d: NaN propagates wherever it sits in the window (issue 21, item 13)."""
    x = [[[Value(v) for v in row] for row in window]]
    (out,) = MaxPool2D(2)(x)[0][0]
    out.backward()
    assert math.isnan(out.data)
    entries = [v for row in x[0] for v in row]
    assert [v.grad for v in entries] == [1.0 if math.isnan(v.data) else 0.0 for v in entries]


def test_each_window_is_one_max_node_over_all_its_entries() -> None:
    """One node per window, so compile can replay it: its parents are the window, in row order."""
    x = [[[Value(float(3 * r + q)) for q in range(3)] for r in range(3)]]
    out = MaxPool2D(2, stride=1)(x)[0]
    assert all(node.op == "max" for row in out for node in row)
    assert out[0][0].parents == (x[0][0][0], x[0][0][1], x[0][1][0], x[0][1][1])
    assert out[0][0].local_grads == (0, 0, 0, 1)


def test_fit_compiled_follows_each_windows_maximum_as_eager_does() -> None:
    """compile replays a max node at each row's values: the loss history and weights equal eager's
    (the maxima move between rows and epochs; ReLU's zeros make ties, routed to the first)."""

    def trained(compile: bool) -> tuple[list[float], list[float]]:
        model = Sequential(Conv2D(1, 2, 2, seed=0), ReLU(), MaxPool2D(2, ceil_mode=True), Flatten(),
                           Linear(8, 2, seed=0))
        images = [[[[math.sin(3 * k + 5 * i + j) for j in range(4)] for i in range(4)]] for k in range(6)]
        one_hot = [[float(k % 2), float(1 - k % 2)] for k in range(6)]
        history = fit(model, images, one_hot, binary_cross_entropy, SGD(model.parameters(), lr=0.5),
                      epochs=4, batch_size=2, progress=False, compile=compile)
        return history, [p.data for p in model.parameters()]

    (eager_history, eager_weights), (history, weights) = trained(False), trained(True)
    assert history == pytest.approx(eager_history, rel=1e-9, abs=1e-12)
    assert weights == pytest.approx(eager_weights, rel=1e-9, abs=1e-12)
    assert eager_history[-1] < eager_history[0]
