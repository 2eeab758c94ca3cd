"""nn.draw of a Conv2D layer: channels as grids, kernels between them, one kernel's connections."""

from __future__ import annotations

from fractions import Fraction
from functools import reduce
from operator import add
from typing import Any

import pytest

from nn import Conv2D, Input2D, draw
from nn.draw import KERNEL


def layer_and_flow() -> tuple[Conv2D, list[Any]]:
    kernel = [[Fraction(1), Fraction(-1)], [Fraction(0), Fraction(2)]]
    layer = Conv2D.from_weights([[kernel] * 2] * 3, [1, 0, 2])
    x = Input2D()([[[Fraction(r * 3 + q) for q in range(3)] for r in range(3)], [[Fraction(1)] * 3] * 3])
    return layer, [x, layer(x)]


def test_channels_are_grids_with_values_and_flows() -> None:
    layer, flow = layer_and_flow()
    reduce(add, [v for ch in flow[1] for row in ch for v in row]).backward()
    source = draw(layer, flow, kernel=(2, 1)).source
    for name in ("chᵏ⁻¹ʼ¹", "chᵏ⁻¹ʼ²", "kerᵏʼ³ʼ²", "bᵏʼ³", "δb = 4", "connections of kerᵏʼ³ʼ² in blue"):
        assert name in source
    assert source.count("<TD BGCOLOR") == 2 * 9 + 3 * 4 + 3 * 2 * 4  # every neuron and weight, once
    assert source.count(f'color="{KERNEL}"') == 2  # the chosen kernel's two connections
    assert "in red under each number" in source
    picture = draw(layer, flow, kernel=(2, 1))
    assert picture.pipe(format="svg").startswith(b"<?xml")  # Graphviz renders it


def test_without_a_flow_the_channels_are_named_only() -> None:
    layer, _ = layer_and_flow()
    source = draw(layer, k=3).source
    assert "ker³ʼ¹ʼ¹" in source and "ch²ʼ¹" in source and "ch³ʼ³" in source and "ch²ʼ⁰" not in source
    assert "in red" not in source


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"kernel": (3, 0)}, r"kernel must be an \(o, c\) pair with o < 3 and c < 2, got \(3, 0\)"),
        ({"flow": [[[[1.0]]]]}, r"flow must be \[input, output\]"),
        ({"flow": [[[[1.0] * 3] * 3] * 2, [[[1.0]]]]}, r"input \(2, 3, 3\) should give output \(3, 2, 2\)"),
        ({"flow": [[[[1.0] * 20] * 20] * 2, [[[1.0] * 19] * 19] * 3]}, "too large to draw"),
    ],
)
def test_bad_arguments_are_refused(kwargs: dict[str, Any], message: str) -> None:
    layer, _ = layer_and_flow()
    with pytest.raises(ValueError, match=message):
        draw(layer, **kwargs)


def test_a_layer_of_too_many_kernels_is_refused() -> None:
    with pytest.raises(ValueError, match="49 kernels, more than 36"):
        draw(Conv2D(7, 7, 1, seed=0))
