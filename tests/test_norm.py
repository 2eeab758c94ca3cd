"""BatchNorm1D / BatchNorm2D: the normalization article's boxed δσ, δμ, δX, δγ, δβ emerge (floats, exact
Fractions, sympy), per feature over the batch and per channel over the batch and positions; running
statistics, train()/eval(), central differences and bad shapes.

For one group of m elements x_b with upstream flow δ_b, o'_b = (x_b - μ)/σ:
    δσ = -(γ/σ)·Σ_b δ_b·o'_b              δμ = -(γ/σ)·Σ_b δ_b
    δx_b = (γ/σ)·(1/m)·[m·δ_b - Σ δ - (Σ δ·o')·o'_b]
    δγ = Σ_b δ_b·o'_b                      δβ = Σ_b δ_b
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
from test_conv import flat, grid
from test_formulas import FLOATS, flow_back

from autograd import Value, gradcheck
from nn import BatchNorm1D, BatchNorm2D, Conv2D, Linear, ReLU, Sequential

SMALL = st.builds(Fraction, st.integers(-9, 9), st.integers(1, 4))


def groups_of(layer: Any, x: list[Any]) -> list[list[tuple[int, ...]]]:
    """The index paths of each group: (n, f) for BatchNorm1D, (n, c, i, j) for BatchNorm2D."""
    if isinstance(layer, BatchNorm1D):
        return [[(n, f) for n in range(len(x))] for f in range(len(x[0]))]
    h, w = len(x[0][0]), len(x[0][0][0])
    return [
        [(n, c, i, j) for n, i, j in product(range(len(x)), range(h), range(w))] for c in range(len(x[0]))
    ]


def get(x: Any, path: tuple[int, ...]) -> Any:
    return reduce(lambda item, k: item[k], path, x)


def check_norm(
    layer: Any,
    x: list[Any],
    delta: list[Any],
    gamma: list[Any],
    beta: list[Any],
    sqrt: Callable[[Any], Any],
    same: Callable[[Any, Any], bool],
) -> None:
    """The forward and the five boxed formulas, written from the article, against the engine."""
    for f, (g, b) in enumerate(zip(gamma, beta)):
        layer.weight[f].data, layer.bias[f].data = g, b
    values = _values(x)
    out = layer(values)
    flow_back(flat(out), flat(delta))
    for f, group in enumerate(groups_of(layer, x)):
        m = len(group)
        data = [get(x, p) for p in group]
        d = [get(delta, p) for p in group]
        mu = sum(data) / m
        sigma = sqrt(sum((v - mu) ** 2 for v in data) / m + layer.eps)
        o = [(v - mu) / sigma for v in data]
        g = gamma[f]
        assert same(layer.batch_mean[f].data, mu) and same(layer.batch_std[f].data, sigma)
        for p, ob in zip(group, o):
            assert same(get(out, p).data, beta[f] + g * ob)
        sum_d, sum_do = sum(d), sum(db * ob for db, ob in zip(d, o))
        assert same(layer.batch_std[f].grad, -(g / sigma) * sum_do)  # δσ
        assert same(layer.batch_mean[f].grad, -(g / sigma) * sum_d)  # δμ
        for p, db, ob in zip(group, d, o):
            assert same(
                get(values, p).grad, (g / sigma) * Fraction(1, m) * (m * db - sum_d - sum_do * ob)
            )  # δX
        assert same(layer.weight[f].grad, sum_do)  # δγ
        assert same(layer.bias[f].grad, sum_d)  # δβ


def _values(x: Any) -> Any:
    return [_values(item) for item in x] if isinstance(x, list) else Value(x)


@st.composite
def float_cases(draw: st.DrawFn, two_d: bool) -> dict[str, Any]:
    """A random batch whose elements are spread (x_k = k + v/10: σ well above ε), flow, γ and β."""
    n, f = draw(st.integers(2, 4)), draw(st.integers(1, 3))
    dims = [n, f, draw(st.integers(1, 3)), draw(st.integers(1, 3))] if two_d else [n, f]
    x = _fill(dims, iter(k + v / 10 for k, v in enumerate(draw(grid(FLOATS, math.prod(dims))))))
    return {
        "layer": (BatchNorm2D if two_d else BatchNorm1D)(f),
        "x": x,
        "delta": draw(grid(FLOATS, *dims)),
        "gamma": draw(grid(FLOATS, f)),
        "beta": draw(grid(FLOATS, f)),
    }


def close(a: Any, b: Any) -> bool:
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-6)


@pytest.mark.parametrize("two_d", [False, True], ids=["BatchNorm1D", "BatchNorm2D"])
@given(data=st.data())
def test_boxed_delta_sigma_mu_x_gamma_beta_with_floats(two_d: bool, data: st.DataObject) -> None:
    case = data.draw(float_cases(two_d))
    check_norm(case["layer"], case["x"], case["delta"], case["gamma"], case["beta"], math.sqrt, close)


@st.composite
def exact_cases(draw: st.DrawFn, two_d: bool) -> dict[str, Any]:
    """Each group: a permutation of one zero-sum set of deviations plus a mean; ε = s² - v for a rational
    s > sqrt(v), so that σ = s is exact."""
    f = draw(st.integers(1, 2))
    shape = (draw(st.integers(1, 2)), draw(st.integers(1, 2))) if two_d else ()
    n = draw(st.integers(2, 3))
    m = n * (shape[0] * shape[1] if two_d else 1)
    groups = []
    for _ in range(f):
        half = draw(st.lists(SMALL, min_size=m // 2, max_size=m // 2))
        deviations = draw(st.permutations([*half, *(-v for v in half), *([Fraction(0)] * (m % 2))]))
        groups.append([draw(SMALL) + d for d in deviations])
    variances = [sum((v - sum(g) / m) ** 2 for v in g) / m for g in groups]
    s = [math.isqrt(math.ceil(v)) + 1 + Fraction(draw(st.integers(0, 3)), 3) for v in variances]
    eps = [si * si - v for si, v in zip(s, variances)]
    return {"f": f, "shape": shape, "n": n, "groups": groups, "eps": eps}


@pytest.mark.parametrize("two_d", [False, True], ids=["BatchNorm1D", "BatchNorm2D"])
@given(data=st.data())
def test_boxed_delta_sigma_mu_x_gamma_beta_with_fractions_are_exact(two_d: bool, data: st.DataObject) -> None:
    case = data.draw(exact_cases(two_d))
    f, n, groups = case["f"], case["n"], case["groups"]
    for k in range(f):  # one layer per feature, each with its own ε (one rational σ per group)
        g = groups[k]
        if two_d:
            h, w = case["shape"]
            x = [[[[g[(s * h + i) * w + j] for j in range(w)] for i in range(h)]] for s in range(n)]
        else:
            x = [[g[s]] for s in range(n)]
        layer = (BatchNorm2D if two_d else BatchNorm1D)(1, eps=case["eps"][k])
        delta = data.draw(grid(SMALL, *[len(x), 1, *case["shape"]]))
        gamma, beta = data.draw(grid(SMALL, 1)), data.draw(grid(SMALL, 1))

        def exact_sqrt(v: Fraction) -> Fraction:
            root = Fraction(math.isqrt(v.numerator), math.isqrt(v.denominator))
            assert root * root == v
            return root

        check_norm(layer, x, delta, gamma, beta, exact_sqrt, lambda a, b: type(a) is Fraction and a == b)


def test_boxed_delta_sigma_mu_x_emerge_symbolically() -> None:
    m = 3
    xs, ds = sympy.symbols(f"x0:{m}", real=True), sympy.symbols(f"d0:{m}")
    g, b, eps = sympy.symbols("gamma beta epsilon", positive=True)
    layer = BatchNorm1D(1, eps=Fraction(0))
    layer.eps = eps
    values = [[Value(v)] for v in xs]
    layer.weight[0].data, layer.bias[0].data = g, b  # type: ignore[index]
    out = layer(values)
    flow_back(flat(out), list(ds))
    mu = sum(xs) / m
    sigma = sympy.sqrt(sum((v - mu) ** 2 for v in xs) / m + eps)
    o = [(v - mu) / sigma for v in xs]
    sum_d, sum_do = sum(ds), sum(d * ob for d, ob in zip(ds, o))
    assert layer.batch_std is not None and layer.batch_mean is not None
    assert sympy.simplify(layer.batch_std[0].grad + (g / sigma) * sum_do) == 0
    assert sympy.simplify(layer.batch_mean[0].grad + (g / sigma) * sum_d) == 0
    for v, d, ob in zip(values, ds, o):
        assert (
            sympy.simplify(v[0].grad - (g / sigma) * sympy.Rational(1, m) * (m * d - sum_d - sum_do * ob))
            == 0
        )


def test_running_statistics_and_eval() -> None:
    layer = BatchNorm1D(2, momentum=0.5)
    batch = [[1.0, 10.0], [3.0, 10.0], [5.0, 40.0]]
    layer(batch)
    assert layer.running_mean == [0.5 * 0 + 0.5 * 3.0, 0.5 * 0 + 0.5 * 20.0]
    assert layer.running_var == [0.5 * 1 + 0.5 * 4.0, 0.5 * 1 + 0.5 * 300.0]  # unbiased: Σ(x - μ)²/(m - 1)
    layer.eval()
    out = layer([[3.0, 10.0]])  # one sample is fine in eval
    assert close(out[0][0].data, (3.0 - 1.5) / math.sqrt(2.5 + 1e-5))
    assert close(out[0][1].data, (10.0 - 10.0) / math.sqrt(150.5 + 1e-5))
    assert layer.running_mean == [1.5, 10.0]  # eval leaves them alone
    out[0][0].backward()
    assert layer.weight is not None and close(layer.weight[0].grad, (3.0 - 1.5) / math.sqrt(2.5 + 1e-5))


def test_batch_statistics_are_the_nodes_that_moved_the_running_statistics_and_track_moves_again() -> None:
    layer = BatchNorm1D(2, momentum=Fraction(1, 4))
    assert layer.batch_statistics is None
    batch = [[Fraction(1), Fraction(10)], [Fraction(3), Fraction(10)], [Fraction(8), Fraction(40)]]
    layer(batch)
    assert layer.batch_statistics is not None
    means, squares, m = layer.batch_statistics
    assert m == 3 and [mu.data for mu in means] == [4, 20] and [s.data for s in squares] == [26, 600]
    assert layer.running_mean == [Fraction(1), Fraction(5)]  # (3/4)·0 + (1/4)·μ
    assert layer.running_var == [Fraction(3, 4) + Fraction(13, 4), Fraction(3, 4) + Fraction(75)]  # Σ/(m - 1)
    layer.track([Fraction(4), Fraction(20)], [Fraction(26), Fraction(600)], 3)  # a replay of the same batch
    assert layer.running_mean == [Fraction(7, 4), Fraction(35, 4)]
    assert layer.running_var == [Fraction(3, 4) * 4 + Fraction(13, 4), Fraction(3, 4) * Fraction(303, 4) + 75]
    before = (layer.running_mean[:], layer.running_var[:])
    with pytest.raises(ValueError, match=r"track needs 2 means and sums of squares .* got 1 and 2"):
        layer.track([1.0], [1.0, 2.0], 3)
    with pytest.raises(ValueError, match="m >= 2"):
        layer.track([1.0, 1.0], [1.0, 2.0], 1)
    assert (layer.running_mean, layer.running_var) == before


def test_parameters_and_repr() -> None:
    layer = BatchNorm2D(3)
    assert [name for name, _ in layer.named_parameters()] == [
        "weight.0",
        "weight.1",
        "weight.2",
        "bias.0",
        "bias.1",
        "bias.2",
    ]
    assert [p.data for p in layer.parameters()] == [1.0, 1.0, 1.0, 0.0, 0.0, 0.0]
    assert layer.batch_mean is None and layer.batch_std is None
    assert BatchNorm1D(2, affine=False).parameters() == []
    assert repr(layer) == "BatchNorm2D(3, eps=1e-05, momentum=0.1, affine=True)"


def test_gamma_beta_mu_sigma_are_labelled_as_the_article_with_the_layer_s_place() -> None:
    """γ_{k,f}, β_{k,f} (features and channels from 1), and the nodes μ_{k,f}, σ_{k,f} of training."""
    lone = BatchNorm1D(2)
    assert [p.label for p in lone.parameters()] == ["γ_{k,1}", "γ_{k,2}", "β_{k,1}", "β_{k,2}"]
    model = Sequential(Conv2D(1, 2, 1, seed=0), BatchNorm2D(2), ReLU())
    norm = model[1]
    assert isinstance(norm, BatchNorm2D) and norm.k == 3
    assert [p.label for p in norm.parameters()] == ["γ_{3,1}", "γ_{3,2}", "β_{3,1}", "β_{3,2}"]
    model([[[[1.0, 2.0]]], [[[3.0, 5.0]]]])
    assert norm.batch_mean is not None and norm.batch_std is not None
    assert [v.label for v in norm.batch_mean + norm.batch_std] == ["μ_{3,1}", "μ_{3,2}", "σ_{3,1}", "σ_{3,2}"]


@pytest.mark.parametrize("kind", [Fraction, sympy.Integer])
def test_default_gamma_and_beta_take_the_data_s_kind_so_an_exact_batch_stays_exact(kind: Any) -> None:
    layer = BatchNorm1D(1, eps=0)
    out = layer([[kind(1)], [kind(3)]])
    assert [row[0].data for row in out] == [-1, 1]
    assert all(not isinstance(row[0].data, float) for row in out)
    assert layer.weight is not None and layer.bias is not None
    assert not isinstance(layer.weight[0].data, float) and not isinstance(layer.bias[0].data, float)
    trained = BatchNorm1D(1, eps=0)
    assert trained.weight is not None
    trained.weight[0].data = 2.0  # a γ set (or trained) by the user keeps its value and kind
    assert [row[0].data for row in trained([[Fraction(1)], [Fraction(3)]])] == [-2.0, 2.0]
    assert isinstance(trained.weight[0].data, float)
    floats = BatchNorm1D(1)
    floats([[1.0], [2.0]])
    assert floats.weight is not None and isinstance(floats.weight[0].data, float)


def test_without_affine_the_output_is_normalized() -> None:
    out = BatchNorm1D(1, eps=0, affine=False)([[Fraction(1)], [Fraction(3)]])
    assert [row[0].data for row in out] == [-1, 1]


@pytest.mark.parametrize("two_d", [False, True], ids=["BatchNorm1D", "BatchNorm2D"])
@given(data=st.data())
def test_normalization_matches_central_differences(two_d: bool, data: st.DataObject) -> None:
    case = data.draw(float_cases(two_d))
    layer, flows = case["layer"], flat(case["delta"])
    x = case["x"]
    dims = [len(x), len(x[0]), len(x[0][0]), len(x[0][0][0])] if two_d else [len(x), len(x[0])]

    def f(*v: Value) -> Value:
        taken = iter(v)
        batch = _fill(dims, taken)
        layer.weight[:] = [next(taken) for _ in layer.weight]
        layer.bias[:] = [next(taken) for _ in layer.bias]
        return reduce(add, map(mul, flat(layer(batch)), flows))

    inputs = [Value(v) for v in [*flat(x), *case["gamma"], *case["beta"]]]
    assert gradcheck(f, inputs, atol=1e-4)


def _fill(dims: list[int], taken: Any) -> Any:
    return (
        [next(taken) for _ in range(dims[0])]
        if len(dims) == 1
        else [_fill(dims[1:], taken) for _ in range(dims[0])]
    )


def test_a_model_with_batch_norm_trains_on_a_batch() -> None:
    model = Sequential(Conv2D(1, 2, 2, seed=0), BatchNorm2D(2), ReLU())
    batch = [[[[1.0, 2.0, 0.0], [0.5, 1.0, 2.0]]], [[[2.0, 0.0, 1.0], [1.0, 3.0, 0.0]]]]
    out = model(batch)
    assert len(out) == 2 and len(out[0]) == 2 and len(out[0][0]) == 1 and len(out[0][0][0]) == 2
    reduce(add, flat(out)).backward()
    assert any(p.grad != 0 for p in model.parameters())
    assert (
        Linear(2, 2, seed=0)([[1.0, 2.0], [3.0, 4.0]])[1][0].data == Linear(2, 2, seed=0)([3.0, 4.0])[0].data
    )


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda: BatchNorm1D(3)([[1.0] * 4] * 5),
            r"BatchNorm1D expects a batch of shape \(N, 3\), got \(5, 4\)",
        ),
        (lambda: BatchNorm2D(2)([[[1.0]]]), r"\(N, 2, H, W\), got shape \(1, 1, 1\)"),
        (lambda: BatchNorm1D(2)([[1.0, 2.0]]), r"more than 1 value per feature in training.*\(1, 2\)"),
        (lambda: BatchNorm1D(2)([[1.0, 2.0], [1.0]]), "ragged"),
        (lambda: BatchNorm1D(0), "num_features must be a positive int"),
        (lambda: BatchNorm1D(2, eps=-1.0), "eps must be a number >= 0"),
        (lambda: BatchNorm1D(2, momentum=2), r"momentum must be a number in \[0, 1\]"),
        (lambda: BatchNorm1D(2, affine="yes"), "affine must be a bool"),
    ],
)
def test_bad_shapes_and_arguments_are_refused(make: Callable[[], Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        make()
