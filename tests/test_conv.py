"""Conv2D, Input2D, Flatten: the convolution article's boxed formulas emerge (floats, Fractions, sympy),
its counts of impacts, central differences, batches and every bad shape or argument.

For a layer L^k with input channels ch^{k-1,c}, kernels ker^{k,o,c}, stride s, padding p and an upstream
flow δ^{k+1,o}_{i,j} (0-based indices):
    forward: ch^{k,o}_{i,j} = b^{k,o} + Σ_c Σ_{u,v} ker^{k,o,c}_{u,v} · ch^{k-1,c}_{i·s+u-p, j·s+v-p}
    δ^{k,c}_{r,q} = Σ_o Σ_{u,v} δ^{k+1,o}_{i,j} · ker^{k,o,c}_{u,v}
        over (i, j) = ((r + p - u)/s, (q + p - v)/s) integers in range
    δker^{k,o,c}_{u,v} = Σ_{i,j} δ^{k+1,o}_{i,j} · ch^{k-1,c}_{i·s+u-p, j·s+v-p}
    δb^{k,o} = Σ_{i,j} δ^{k+1,o}_{i,j}
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
import sympy
from hypothesis import given
from hypothesis import strategies as st
from test_formulas import FLOATS, FRACTIONS, close, flow_back

from autograd import Value, count_paths, gradcheck, no_grad
from nn import (
    SGD,
    BatchNorm2D,
    Conv2D,
    Flatten,
    Input2D,
    Linear,
    ReLU,
    Sequential,
    accuracy,
    binary_cross_entropy,
    cross_entropy,
    fit,
)


def flat(x: Any) -> list[Any]:
    """The elements of nested lists in row-major order."""
    return [v for item in x for v in flat(item)] if isinstance(x, list) else [x]


def grid(numbers: st.SearchStrategy[Any], *dims: int) -> st.SearchStrategy[Any]:
    """Nested lists of the given dimensions."""
    if not dims:
        return numbers
    return st.lists(grid(numbers, *dims[1:]), min_size=dims[0], max_size=dims[0])


@st.composite
def conv_cases(draw: st.DrawFn, numbers: st.SearchStrategy[Any]) -> dict[str, Any]:
    """A random layer (channels, rectangular kernel, stride, padding, bias or not), input, upstream flow."""
    c_in, c_out = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    kh, kw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    sh, sw = draw(st.integers(1, 2)), draw(st.integers(1, 2))
    ph, pw = draw(st.integers(0, kh - 1)), draw(st.integers(0, kw - 1))
    h, w = draw(st.integers(max(1, kh - 2 * ph), 5)), draw(st.integers(max(1, kw - 2 * pw), 5))
    h_out, w_out = (h + 2 * ph - kh) // sh + 1, (w + 2 * pw - kw) // sw + 1
    return {
        "weight": draw(grid(numbers, c_out, c_in, kh, kw)),
        "bias": draw(st.none() | grid(numbers, c_out)),
        "stride": (sh, sw),
        "padding": (ph, pw),
        "x": draw(grid(numbers, c_in, h, w)),
        "delta": draw(grid(numbers, c_out, h_out, w_out)),
    }


def at(ch: list[list[Any]], r: int, q: int) -> Any:
    """ch[r][q], or 0 on the padding."""
    return ch[r][q] if 0 <= r < len(ch) and 0 <= q < len(ch[0]) else 0


def check_conv(case: dict[str, Any], same: Callable[[Any, Any], bool]) -> None:
    """The forward sum and the three boxed formulas, written from the article, against the engine."""
    weight, bias, x, delta = case["weight"], case["bias"], case["x"], case["delta"]
    (sh, sw), (ph, pw) = case["stride"], case["padding"]
    layer = Conv2D.from_weights(weight, bias, stride=case["stride"], padding=case["padding"])
    o1 = [[[Value(v) for v in row] for row in ch] for ch in x]
    out = layer(o1)
    c_out, c_in, kh, kw = len(weight), len(x), len(weight[0][0]), len(weight[0][0][0])
    h_out, w_out = len(delta[0]), len(delta[0][0])
    windows = list(product(range(c_in), range(kh), range(kw)))
    for o, i, j in product(range(c_out), range(h_out), range(w_out)):
        expected = sum(weight[o][c][u][v] * at(x[c], i * sh + u - ph, j * sw + v - pw) for c, u, v in windows)
        assert same(out[o][i][j].data, expected + (bias[o] if bias else 0))
    flow_back(flat(out), flat(delta))
    for c, r, q in product(range(c_in), range(len(x[0])), range(len(x[0][0]))):
        flow = 0
        for o, u, v in product(range(c_out), range(kh), range(kw)):
            i, j = (r + ph - u) / sh, (q + pw - v) / sw
            if i.is_integer() and j.is_integer() and 0 <= i < h_out and 0 <= j < w_out:
                flow += delta[o][int(i)][int(j)] * weight[o][c][u][v]
        assert same(o1[c][r][q].grad, flow)  # δ^{k,c}_{r,q}
    for o, c, u, v in product(range(c_out), range(c_in), range(kh), range(kw)):
        flow = sum(
            delta[o][i][j] * at(x[c], i * sh + u - ph, j * sw + v - pw)
            for i, j in product(range(h_out), range(w_out))
        )
        assert same(layer.weight[o][c][u][v].grad, flow)  # δker^{k,o,c}_{u,v}
    for o, b in enumerate(layer.bias or []):
        assert same(b.grad, sum(flat(delta[o])))  # δb^{k,o}


@given(conv_cases(FLOATS))
def test_boxed_sum_delta_delta_ker_delta_b_with_floats(case: dict[str, Any]) -> None:
    check_conv(case, close)


@given(conv_cases(FRACTIONS))
def test_boxed_sum_delta_delta_ker_delta_b_with_fractions_are_exact(case: dict[str, Any]) -> None:
    check_conv(case, lambda a, b: a == b and not isinstance(a, float))  # an input no window covers keeps 0


@pytest.mark.parametrize(
    ("stride", "padding", "size"), [(1, 1, (4, 4)), ((2, 1), (1, 0), (5, 4)), (1, (0, 2), (3, 2))]
)
def test_boxed_sum_delta_delta_ker_delta_b_emerge_symbolically(stride: Any, padding: Any, size: Any) -> None:
    weight = [[[[sympy.Symbol(f"ker{o}{c}_{u}{v}") for v in range(3)] for u in range(2)] for c in range(2)]
              for o in range(2)]
    bias = [sympy.Symbol(f"b{o}") for o in range(2)]
    x = [[[sympy.Symbol(f"ch{c}_{r}{q}") for q in range(size[1])] for r in range(size[0])] for c in range(2)]
    layer = Conv2D.from_weights(weight, bias, stride=stride, padding=padding)
    out = layer(x)
    delta = [[[sympy.Symbol(f"d{o}_{i}{j}") for j in range(len(out[0][0]))] for i in range(len(out[0]))]
             for o in range(2)]
    check_conv(
        {"weight": weight, "bias": bias, "stride": layer.stride, "padding": layer.padding, "x": x,
         "delta": delta},
        lambda a, b: sympy.expand(a - b) == 0,
    )


def test_the_articles_counts_of_impacts_18_36_49() -> None:
    """3 -> 2 channels, 7x7, 3x3, padding 1, every input, weight and δ equal to 1: 18, 36 and 49."""
    layer = Conv2D.from_weights([[[[1] * 3] * 3] * 3] * 2, [0, 0], padding=1)
    o1 = Input2D(3, 7, 7)([[[Fraction(1)] * 7] * 7] * 3)
    loss = reduce(add, flat(layer(o1)))  # Σ out: every δ^{k+1} = 1
    loss.backward()
    assert o1[0][3][3].grad == 18 and count_paths(loss, o1[0][3][3]) == 18  # δ^{k,1}_{3,3}: 2·9 impacts
    assert layer.weight[0][0][0][0].grad == 36 and count_paths(loss, layer.weight[0][0][0][0]) == 36
    assert layer.bias is not None
    assert layer.bias[0].grad == 49 and count_paths(loss, layer.bias[0]) == 49


@given(conv_cases(FLOATS))
def test_convolution_matches_central_differences(case: dict[str, Any]) -> None:
    layer = Conv2D.from_weights(case["weight"], case["bias"], stride=case["stride"], padding=case["padding"])
    x, flows = case["x"], flat(case["delta"])

    def f(*values: Value) -> Value:
        """Σ out·δ with the input and then the layer's kernels and biases taken from `values`."""
        taken = iter(values)
        image = [[[next(taken) for _ in row] for row in ch] for ch in x]
        for kernels in layer.weight:
            for kernel in kernels:
                for row in kernel:
                    row[:] = [next(taken) for _ in row]
        if layer.bias is not None:
            layer.bias[:] = [next(taken) for _ in layer.bias]
        return reduce(add, map(mul, flat(layer(image)), flows))

    numbers = flat(x) + [p.data for p in layer.parameters()]
    assert gradcheck(f, [Value(v) for v in numbers])


def test_initialisation_is_seeded_uniform_and_biases_are_zero() -> None:
    layer = Conv2D(2, 8, (3, 2), seed=3)
    bound = 1 / math.sqrt(2 * 3 * 2)
    values = [w.data for w in flat(layer.weight)]
    assert len(values) == 8 * 2 * 3 * 2 and all(-bound <= v <= bound for v in values)
    assert max(values) > bound / 2 and min(values) < -bound / 2
    assert layer.bias is not None and [b.data for b in layer.bias] == [0.0] * 8
    assert Conv2D(2, 8, (3, 2), seed=3).state_dict() == layer.state_dict()
    assert Conv2D(2, 8, (3, 2), bias=False).bias is None
    # channels from 1, positions from 0, as the convolution article; a lone layer is L^k
    assert (layer.weight[7][1][2][0].label, layer.bias[7].label) == ("ker^{k,8,2}_{2,0}", "b^{k,8}")
    model = Sequential(Input2D(), layer, ReLU())
    assert (layer.weight[0][0][0][0].label, layer.bias[0].label) == ("ker^{2,1,1}_{0,0}", "b^{2,1}")
    assert model.k == 1 and layer.k == 2


def test_parameters_are_named_weight_o_c_u_v_and_bias_o() -> None:
    layer = Conv2D(2, 3, 2, seed=0)
    names = [name for name, _ in layer.named_parameters()]
    assert names[:3] == ["weight.0.0.0.0", "weight.0.0.0.1", "weight.0.0.1.0"]
    assert names[-4:] == ["weight.2.1.1.1", "bias.0", "bias.1", "bias.2"] and len(names) == 3 * 2 * 4 + 3
    assert dict(layer.named_parameters())["weight.2.1.0.1"] is layer.weight[2][1][0][1]
    model = Sequential(Input2D(), Conv2D(1, 1, 1, seed=0), ReLU(), Flatten(), Linear(4, 1, seed=0))
    assert [name for name, _ in model.named_parameters()] == [
        "1.weight.0.0.0.0", "1.bias.0", "4.weight.0.0", "4.weight.0.1", "4.weight.0.2", "4.weight.0.3",
        "4.bias.0",
    ]
    assert model([[[1.0, 2.0], [3.0, 4.0]]])[0].data == model[4](model[3](model[2](model[1](
        [[[1.0, 2.0], [3.0, 4.0]]]))))[0].data


def test_setting_data_puts_chosen_weights_in_the_layer() -> None:
    layer = Conv2D(1, 1, 2, seed=0)
    for w, value in zip(flat(layer.weight), [1, 2, 3, 4]):
        w.data = Fraction(value)
    assert layer.bias is not None
    layer.bias[0].data = Fraction(1, 2)
    out = layer([[[Fraction(1)] * 2] * 2])
    assert len(flat(out)) == 1 and out[0][0][0].data == Fraction(21, 2)
    out[0][0][0].backward()
    assert isinstance(layer.weight[0][0][1][1].grad, Fraction)


def test_output_size_stride_and_padding() -> None:
    layer = Conv2D(1, 2, (3, 2), stride=(2, 3), padding=(1, 1), seed=0)
    out = layer([[[0.5] * 8] * 9])
    assert (len(out), len(out[0]), len(out[0][0])) == (2, 5, 3) == (2, *layer.output_size(9, 8))
    assert repr(layer) == "Conv2D(1, 2, kernel_size=(3, 2), stride=(2, 3), padding=(1, 1), bias=True)"


def test_padding_same_keeps_the_size_and_valid_is_zero() -> None:
    same = Conv2D(1, 2, (3, 5), padding="same", seed=0)
    assert same.padding == (1, 2) and same.output_size(4, 6) == (4, 6)
    assert Conv2D(1, 2, 3, padding="valid", seed=0).padding == (0, 0)
    with pytest.raises(ValueError, match=r"padding='same' needs stride 1 and an odd kernel: kernel \(2, 2\)"):
        Conv2D(1, 1, 2, padding="same")
    with pytest.raises(ValueError, match=r"stride 1 and an odd kernel.*stride \(2, 2\)"):
        Conv2D(1, 1, 3, stride=2, padding="same")
    with pytest.raises(ValueError, match="padding must be an int >= 0 or a pair of them, got 'full'"):
        Conv2D(1, 1, 3, padding="full")


def test_a_batch_gives_each_samples_output_and_no_grad_the_same_numbers() -> None:
    model = Sequential(Input2D(1, 3, 3), Conv2D(1, 2, 2, padding=1, seed=0), ReLU(), Flatten())
    samples = [[[[float(r * 3 + q + n) for q in range(3)] for r in range(3)]] for n in range(3)]
    batch = model(samples)
    assert [[v.data for v in row] for row in batch] == [[v.data for v in model(s)] for s in samples]
    with no_grad():
        inferred = model(samples)
    assert [[v.data for v in row] for row in inferred] == [[v.data for v in row] for row in batch]
    assert all(v.is_leaf() for v in flat(inferred))


def test_input2d_passes_values_through_and_wraps_numbers() -> None:
    x = [[[Value(1.0), Value(2.0)]]]
    assert Input2D(1, 1, 2)(x)[0][0][1] is x[0][0][1]
    wrapped = Input2D()([[[Fraction(1, 3)]]])
    assert isinstance(wrapped[0][0][0], Value) and wrapped[0][0][0].data == Fraction(1, 3)
    assert repr(Input2D(3, 7, 7)) == "Input2D(channels=3, height=7, width=7)"


def test_flatten_keeps_the_same_values_in_c_i_j_order() -> None:
    x = [[[Value(float(c * 4 + r * 2 + q)) for q in range(2)] for r in range(2)] for c in range(2)]
    out = Flatten()(x)
    assert all(a is b for a, b in zip(out, flat(x))) and [v.data for v in out] == [float(k) for k in range(8)]
    assert len(Flatten()([x, x])) == 2


@pytest.mark.parametrize(
    ("layer", "x", "message"),
    [
        (Conv2D(3, 1, 3, seed=0), [[[1.0] * 11] * 9] * 4, r"shape \(3, H, W\), got \(4, 9, 11\)"),
        (Conv2D(1, 1, 3, seed=0), [[1.0, 2.0]], r"Conv2D expects .*\(1, H, W\).*got shape \(1, 2\)"),
        (Conv2D(1, 1, 1, seed=0), [[[1.0, 2.0], [1.0]]], r"ragged.*\(2,\).*\(1,\)"),
        (Conv2D(1, 1, 3, seed=0), [[[1.0] * 2] * 2], r"kernel 3x3 is larger than the padded input 2x2"),
        (Conv2D(1, 1, (4, 2), padding=1, seed=0), [[[1.0]]], r"kernel 4x2 .* padded input 3x3 \(input 1x1"),
        (Input2D(3, 7, 7), [[[1.0] * 6] * 7] * 3, r"Input2D expects .*\(3, 7, 7\), got \(3, 7, 6"),
        (Input2D(height=2), [[[1.0]]], r"\(C, 2, W\), got \(1, 1, 1\)"),
        (Flatten(), [1.0, 2.0], r"Flatten expects input of shape \(C, H, W\)"),
    ],
)
def test_a_wrong_shape_names_the_expected_and_the_actual_one(layer: Any, x: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        layer(x)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: Conv2D(0, 1, 3), "in_channels must be a positive int, got 0"),
        (lambda: Conv2D(1, 1.5, 3), "out_channels must be a positive int, got 1.5"),
        (lambda: Conv2D(1, 1, 0), r"kernel_size must be an int >= 1 or a pair of them, got 0"),
        (lambda: Conv2D(1, 1, (3, 2, 1)), r"kernel_size must be .* got \(3, 2, 1\)"),
        (lambda: Conv2D(1, 1, 3, stride=0), "stride must be an int >= 1"),
        (lambda: Conv2D(1, 1, 3, padding=-1), "padding must be an int >= 0"),
        (lambda: Conv2D(1, 1, 3, padding=3), r"padding \(3, 3\) must be smaller than the kernel \(3, 3\)"),
        (lambda: Conv2D.from_weights([[[1.0]]]), r"\[out\]\[in\]\[rows\]\[cols\], got shape \(1, 1, 1\)"),
        (lambda: Conv2D.from_weights([[[[1.0]]]], [0.0, 1.0]), "1 output channels but 2 biases"),
        (lambda: Input2D(channels=0), "channels must be a positive int"),
    ],
)
def test_bad_arguments_are_refused_at_construction(make: Callable[[], Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        make()


def test_fit_trains_a_convolutional_model_on_image_rows() -> None:
    model = Sequential(Input2D(1, 3, 3), Conv2D(1, 2, 2, seed=0), ReLU(), Flatten(), Linear(8, 2, seed=0))
    diagonal = [[float(r == c) for c in range(3)] for r in range(3)]
    images = [[diagonal], [[row[::-1] for row in diagonal]]]  # one channel each: \ and /
    history = fit(model, images, [0, 1], cross_entropy, SGD(model.parameters(), lr=0.5), epochs=15,
                  progress=False)
    assert history[-1] < history[0] / 4 and accuracy(model, images, [0, 1]) == 1.0
    with pytest.raises(TypeError, match=r"inputs\[1\]\[0\]: .*str"):
        fit(model, [images[0], [[["x"]]]], [0, 1], cross_entropy, SGD(model.parameters(), lr=0.5), epochs=1)


def test_fit_compiled_trains_a_convolutional_model_as_eager_does() -> None:
    def trained(compile: bool) -> tuple[list[float], list[float]]:
        model = Sequential(Input2D(1, 3, 3), Conv2D(1, 2, 2, seed=0), ReLU(), Flatten(), Linear(8, 2, seed=0))
        diagonal = [[float(r == c) for c in range(3)] for r in range(3)]
        images = [[diagonal], [[row[::-1] for row in diagonal]]]
        one_hot = [[1.0, 0.0], [0.0, 1.0]]
        history = fit(model, images, one_hot, binary_cross_entropy, SGD(model.parameters(), lr=0.5), epochs=5,
                      progress=False, compile=compile)
        return history, [p.data for p in model.parameters()]

    (eager_history, eager_weights), (history, weights) = trained(False), trained(True)
    assert history == pytest.approx(eager_history, rel=1e-12)
    assert weights == pytest.approx(eager_weights, rel=1e-12, abs=1e-15)


def test_fit_refuses_to_compile_a_model_with_batch_norm_and_changes_nothing() -> None:
    model = Sequential(Input2D(1, 4, 4), BatchNorm2D(1), Flatten(), Linear(16, 2, seed=0))
    before = [p.data for p in model.parameters()]
    image = [[[float(i * 4 + j) for j in range(4)] for i in range(4)]]
    with pytest.raises(ValueError, match="BatchNorm2D"):
        fit(model, [image], [0], cross_entropy, SGD(model.parameters(), lr=0.5), epochs=1, compile=True)
    assert [p.data for p in model.parameters()] == before
