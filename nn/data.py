"""Data sets: the series' Example (exact) and two interleaving moons."""

from __future__ import annotations

import math
import random
from fractions import Fraction
from typing import NamedTuple

from nn.activation import Input1D, ReLU
from nn.linear import Linear
from nn.module import Sequential


class Example(NamedTuple):
    """The series' Example: (broccoli, Tagada strawberries, workout hours) -> good shape 1 or bad 0."""

    inputs: list[list[Fraction]]
    targets: list[list[Fraction]]
    w2: list[Fraction]

    def model(self) -> Sequential:
        """model(X) = L3(L2(L1(X))): L1 = Input1D, L2(X) = w^2·X (no bias, weights w^{2,1}_i), L3 = ReLU."""
        return Sequential(Input1D(len(self.w2)), Linear.from_weights([self.w2], k=2), ReLU())


def seed_example() -> Example:
    """The three patients, their shape and the initial w^2 = (1/200, -3000/11600000, 1/5800), as Fractions."""
    rows = [(100, 2000, 100), (200, 0, 0), (0, 2000, 3000)]
    return Example(
        inputs=[[Fraction(x) for x in row] for row in rows],
        targets=[[Fraction(0)], [Fraction(1)], [Fraction(1)]],
        w2=[Fraction(1, 200), Fraction(-3000, 11600000), Fraction(1, 5800)],
    )


def moons(
    n: int = 100, noise: float = 0.1, seed: int | None = None
) -> tuple[list[list[float]], list[list[float]]]:
    """Two interleaving half circles: n rows (x1, x2), shuffled, targets -1 (upper moon) or 1 (lower).

    The upper moon is (cos t, sin t), the lower (1 - cos t, 0.5 - sin t), t evenly spaced in [0, π];
    each coordinate gets Gaussian noise of standard deviation `noise` from random.Random(seed).
    """
    if not isinstance(n, int) or n < 2:
        raise ValueError(f"moons needs n >= 2 (one point per moon at least), got {n!r}")
    if not noise >= 0:
        raise ValueError(f"noise must be >= 0, got {noise!r}")
    rng = random.Random(seed)
    rows = []
    for label, count in ((-1.0, n // 2), (1.0, n - n // 2)):
        for k in range(count):
            t = math.pi * k / (count - 1) if count > 1 else 0.0
            x1, x2 = (math.cos(t), math.sin(t)) if label < 0 else (1 - math.cos(t), 0.5 - math.sin(t))
            rows.append(([x1 + rng.gauss(0, noise), x2 + rng.gauss(0, noise)], [label]))
    rng.shuffle(rows)
    return [x for x, _ in rows], [y for _, y in rows]
