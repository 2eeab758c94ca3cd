"""Data sets: the series' Example and the two moons."""

from __future__ import annotations

import math

import pytest

from nn.data import moons, seed_example


def test_seed_example_is_exact() -> None:
    example = seed_example()
    inputs, targets, w2 = example  # a NamedTuple
    assert len(inputs) == len(targets) == 3 and len(w2) == 3
    assert [float(w) for w in w2] == [1 / 200, -3000 / 11600000, 1 / 5800]
    assert repr(example.model()).startswith("Sequential(\n  (0): Input1D(n=3)")


def test_moons_shape_labels_and_seed() -> None:
    inputs, targets = moons(101, noise=0.1, seed=3)
    assert len(inputs) == len(targets) == 101
    assert all(len(x) == 2 for x in inputs) and all(len(y) == 1 for y in targets)
    labels = [y[0] for y in targets]
    assert labels.count(-1.0) == 50 and labels.count(1.0) == 51
    assert moons(101, noise=0.1, seed=3) == (inputs, targets)
    assert moons(101, noise=0.1, seed=4) != (inputs, targets)
    assert labels[:10] != sorted(labels[:10]) or labels[10:20] != sorted(labels[10:20])  # shuffled


def test_moons_without_noise_lie_on_two_half_circles() -> None:
    inputs, targets = moons(40, noise=0.0, seed=0)
    for (x1, x2), (y,) in zip(inputs, targets):
        if y < 0:  # upper moon: the unit half circle centred on (0, 0)
            assert math.isclose(math.hypot(x1, x2), 1.0) and x2 >= -1e-12
        else:  # lower moon: centred on (1, 0.5)
            assert math.isclose(math.hypot(x1 - 1, x2 - 0.5), 1.0) and x2 <= 0.5 + 1e-12


@pytest.mark.parametrize(("n", "noise", "message"), [(1, 0.1, "n >= 2"), (10, -0.1, "noise must be >= 0")])
def test_moons_refuses_bad_arguments(n: int, noise: float, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        moons(n, noise)
