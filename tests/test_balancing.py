"""Weights balancing and the linear function: every sign-flow statement of the two articles, on random
exact instances of the Example's model L1 = Input1D(3), L2 = Linear 3 -> 1 without bias, L3 = ReLU,
Loss = ½(X⁴ - y)²; and the bias as the threshold of ReLU(Linear).

In the engine: δ⁴ = o3.grad, δ³ = o2.grad, δ² = δ¹ = o1[i].grad, ŵ² after SGD(lr=α).step().
"""

from __future__ import annotations

import random
from fractions import Fraction
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from nn import SGD, Input1D, LeakyReLU, Linear, ReLU, Sequential, half_squared_error

SMALL = st.builds(Fraction, st.integers(-20, 20), st.integers(1, 5))
RATES = st.builds(Fraction, st.integers(1, 10), st.integers(10, 100))


def sign(x: Any) -> int:
    return (x > 0) - (x < 0)


def run(o1_data: list[Fraction], w2: list[Fraction], y: Fraction, leaky: bool = False) -> dict[str, Any]:
    """The information flow and the learning flow of one row, named as in the article."""
    l1, l2, l3 = Input1D(3), Linear.from_weights([w2]), LeakyReLU(Fraction(1, 100)) if leaky else ReLU()
    o1 = l1(o1_data)
    (o2,) = l2(o1)
    (o3,) = l3([o2])
    half_squared_error([o3], [y]).backward()
    return {"o1": o1, "o2": o2, "o3": o3, "layer": l2}


def check_signs(o1_data: list[Fraction], w2: list[Fraction], y: Fraction) -> set[str]:
    """The sign flow of δ⁴, δ³, δ² = δ¹; returns the situations met."""
    seen = set()
    r = run(o1_data, w2, y)
    o1, o2, o3 = r["o1"], r["o2"], r["o3"]
    d4, d3 = o3.grad, o2.grad
    assert d4 == o3.data - y and sign(d4) == sign(o3.data - y)  # δ⁴ = 0, < 0, > 0 with o³ = y, <, >
    seen.add(f"delta4 {sign(d4)}")
    if o2.data >= 0:
        assert d3 == d4  # the ReLU passes the flow, of the same sign
        seen.add(f"delta3 passes {sign(d4)}")
    else:
        assert d3 == 0  # the "bad situation": the ReLU blocks the flow, whatever δ⁴ is
        seen.add(f"delta3 blocked {sign(d4)}")
    for i in range(3):
        d2 = o1[i].grad  # δ² = δ¹: Input1D passes the flow through, they are the same nodes
        assert d2 == d3 * w2[i] and sign(d2) == sign(d3) * sign(w2[i])
        if d3 == 0:
            assert d2 == 0  # δ² = 0 when δ³ = 0
        elif d3 < 0:
            assert sign(d2) == -sign(w2[i])  # sign(δ²) = -sign(w²)
        else:
            assert sign(d2) == sign(w2[i])  # sign(δ²) = sign(w²)
    return seen


@given(st.lists(SMALL, min_size=3, max_size=3), st.lists(SMALL, min_size=3, max_size=3), SMALL)
def test_leaky_relu_keeps_the_sign_of_the_flow(o1: list[Fraction], w2: list[Fraction], y: Fraction) -> None:
    """The article's red remark "δ⁴ < 0 ⇒ δ³ < 0" holds with a leaky ReLU: δ³ = δ⁴ or δ⁴/100."""
    r = run(o1, w2, y, leaky=True)
    d4, d3 = r["o3"].grad, r["o2"].grad
    assert sign(d3) == sign(d4) and d3 in (d4, d4 / 100)


def check_update(o1_data: list[Fraction], w2: list[Fraction], y: Fraction, alpha: Fraction) -> set[str]:
    """ŵ² against w² by the signs of δ³ and o¹ᵢ, and the balance; returns the situations met."""
    seen = set()
    r = run(o1_data, w2, y)
    layer, d3 = r["layer"], r["o2"].grad
    SGD(layer.parameters(), lr=alpha).step()
    new = [w.data for w in layer.weight[0]]
    for i in range(3):
        o = o1_data[i]
        if d3 == 0:
            assert new[i] == w2[i]  # ŵ² = w²
        elif d3 < 0:
            assert new[i] > w2[i] if o > 0 else new[i] == w2[i] if o == 0 else new[i] < w2[i]
        else:
            assert new[i] < w2[i] if o > 0 else new[i] == w2[i] if o == 0 else new[i] > w2[i]
        seen.add(f"update {sign(d3)} {sign(o)}")
    # the balance: on the same input, o² moves against the flow, by -α·δ³·Σ(o¹ᵢ)²
    (o2_new,) = layer(o1_data)
    change = o2_new.data - r["o2"].data
    assert change == -alpha * d3 * sum(v * v for v in o1_data)
    if any(o1_data):
        assert sign(change) == -sign(d3)
    return seen


def check_threshold(
    o: list[Fraction], w: list[list[Fraction]], b: list[Fraction], delta: list[Fraction]
) -> set[str]:
    """δ^k_1 = δ^{k+1}_1·w^{k,1}_1 + δ^{k+1}_2·w^{k,2}_1, and o^{k+1}_1 = 0 exactly when Σ w·o ≤ -b."""
    seen = set()
    model = Sequential(Input1D(3), Linear.from_weights(w, b), ReLU())
    x = model[0](o)
    out = model[2](model[1](x))
    (out[0] * delta[0] + out[1] * delta[1]).backward()
    pre = [sum(wi * oi for wi, oi in zip(row, o)) for row in w]
    flows = [delta[j] if pre[j] + b[j] >= 0 else 0 for j in range(2)]  # δ^{k+1}: after the ReLU
    assert x[0].grad == flows[0] * w[0][0] + flows[1] * w[1][0]
    for j in range(2):
        assert (out[j].data == 0) == (pre[j] <= -b[j])
        assert (out[j].data > 0) == (pre[j] > -b[j])
        seen.add(f"threshold {pre[j] <= -b[j]}")
    return seen


VECTORS = st.lists(SMALL, min_size=3, max_size=3)


@given(VECTORS, VECTORS, SMALL)
def test_the_sign_of_every_learning_flow(o1: list[Fraction], w2: list[Fraction], y: Fraction) -> None:
    assert check_signs(o1, w2, y)


@given(VECTORS, VECTORS, SMALL, RATES)
def test_the_update_of_every_weight_and_the_balance(
    o1: list[Fraction], w2: list[Fraction], y: Fraction, alpha: Fraction
) -> None:
    assert check_update(o1, w2, y, alpha)


@given(VECTORS, st.lists(VECTORS, min_size=2, max_size=2), st.lists(SMALL, min_size=2, max_size=2),
       st.lists(SMALL, min_size=2, max_size=2))
def test_the_linear_function_flow_and_the_bias_as_threshold(
    o: list[Fraction], w: list[list[Fraction]], b: list[Fraction], delta: list[Fraction]
) -> None:
    assert check_threshold(o, w, b, delta)


def test_every_situation_occurs() -> None:
    """The checks above meet every row of the article's tables on 400 seeded random instances."""
    rng = random.Random(0)

    def numbers(n: int) -> list[Fraction]:
        return [Fraction(rng.randint(-4, 4), rng.randint(1, 3)) for _ in range(n)]

    seen: set[str] = set()
    for _ in range(400):
        o1, w2, y = numbers(3), numbers(3), numbers(1)[0]
        seen |= check_signs(o1, w2, y) | check_update(o1, w2, y, Fraction(1, 10))
        seen |= check_threshold(o1, [numbers(3), numbers(3)], numbers(2), numbers(2))
    expected = {f"delta4 {s}" for s in (-1, 0, 1)} | {f"delta3 passes {s}" for s in (-1, 0, 1)}
    expected |= {"delta3 blocked -1", "delta3 blocked 1"}
    expected |= {f"update {d} {o}" for d in (-1, 0, 1) for o in (-1, 0, 1)}
    expected |= {"threshold True", "threshold False"}
    assert expected <= seen, expected - seen
