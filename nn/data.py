"""Data sets: the series' Example (exact), the second dimension's house (exact) and two interleaving moons."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from fractions import Fraction
from typing import Any, NamedTuple

from nn.activation import Input1D, ReLU
from nn.conv import Conv2D, Flatten, Input2D
from nn.linear import Linear
from nn.module import Sequential
from nn.norm import BatchNorm2D
from nn.pool import MaxPool2D


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


def _one_hot_kernel(at: tuple[int, int]) -> tuple[tuple[int, ...], ...]:
    """A 3x3 kernel of zeros with a 1 at (u, v) = at: it moves a pixel by (1 - u, 1 - v)."""
    return tuple(tuple(int((u, v) == at) for v in range(3)) for u in range(3))


HOUSE_COLOURS = {
    "sky": (0, 57, 71),
    "stone": (147, 146, 136),
    "window": (70, 74, 51),
    "brick": (152, 92, 57),
    "tan": (207, 166, 121),
}
HOUSE_ROWS = (
    "sky   sky   sky   stone  sky    sky   sky",
    "sky   sky   stone stone  stone  sky   sky",
    "sky   stone stone stone  window stone sky",
    "stone stone stone window window stone stone",
    "sky   brick tan   tan    tan    brick sky",
    "sky   brick tan   brick  tan    brick sky",
    "sky   brick tan   brick  tan    brick sky",
)
# L2's kernels: output channel o uses K2[o] on each of the 3 input channels (roof left/right, window,
# walls left/right, inside); L4's kernel for (o, o) is K4[o], zeros elsewhere; L5's for input c is K5[c].
K2 = (
    ((0, -1, 1), (-1, 1, 0), (1, 0, 0)),
    ((1, -1, 0), (0, 1, -1), (0, 0, 1)),
    ((1, -1, 1), (-1, -1, 1), (1, 1, 1)),
    ((-1, 1, 1), (-1, 1, 1), (-1, 1, 1)),
    ((1, 1, -1), (1, 1, -1), (1, 1, -1)),
    ((1, 1, 1), (1, 1, 1), (1, 1, 1)),
)
B2 = (-1030, -1030, -1990, -2000, -2000, -4059)
K4 = tuple(_one_hot_kernel(at) for at in ((1, 0), (1, 2), (1, 1), (2, 0), (2, 2), (2, 1)))
K5 = tuple(_one_hot_kernel(at) for at in ((0, 0), (0, 2), (1, 2), (2, 0), (2, 2), (2, 1)))


class House(NamedTuple):
    """The second dimension's Example: a 7x7 RGB house, and the kernels that find it."""

    image: list[list[list[Fraction]]]

    def model(self) -> Sequential:
        """L1 = Input2D(3, 7, 7), L2 = Conv2D(3 -> 6, 3x3, padding 1) with the biases of L3, L3 = ReLU,
        L4 = Conv2D(6 -> 6, no bias), L5 = Conv2D(6 -> 1, no bias): 6 at the house's centre (3, 3)."""
        zero = ((0,) * 3,) * 3
        k4 = [[k if c == o else zero for c in range(6)] for o, k in enumerate(K4)]
        return Sequential(
            Input2D(3, 7, 7),
            Conv2D.from_weights(_fractions([[k] * 3 for k in K2]), _fractions(B2), padding=1),
            ReLU(),
            Conv2D.from_weights(_fractions(k4), padding=1),
            Conv2D.from_weights(_fractions([K5]), padding=1),
        )


def house() -> House:
    """The house image as channel grids image[c][i][j] (red, green, blue) of Fractions 0..255."""
    pixels = [[HOUSE_COLOURS[name] for name in row.split()] for row in HOUSE_ROWS]
    return House([[[Fraction(pixel[c]) for pixel in row] for row in pixels] for c in range(3)])


def _fractions(x: Any) -> Any:
    """Nested tuples or lists of ints as nested lists of Fractions."""
    return [_fractions(item) for item in x] if isinstance(x, (list, tuple)) else Fraction(x)


class Digits(NamedTuple):
    """scikit-learn's 8x8 digits as samples [1][8][8] in [-0.5, 0.5], split into training and validation.

    Targets are class indices into `classes` (for classes=(3, 8): 0 is a 3, 1 is an 8).
    """

    train_inputs: list[list[list[list[float]]]]
    train_targets: list[int]
    val_inputs: list[list[list[list[float]]]]
    val_targets: list[int]
    classes: tuple[int, ...]

    def model(self, channels: int = 8, seed: int | None = 0) -> Sequential:
        """The classification model: Input2D(1, 8, 8) → Conv2D(1, channels, 3, padding=1) → BatchNorm2D →
        ReLU → MaxPool2D(2) → Flatten → Linear(channels·4·4, one logit per class), weights from `seed`."""
        return Sequential(
            Input2D(1, 8, 8),
            Conv2D(1, channels, 3, padding=1, seed=seed),
            BatchNorm2D(channels),
            ReLU(),
            MaxPool2D(2),
            Flatten(),
            Linear(channels * 4 * 4, len(self.classes), seed=seed),
        )


def digits(classes: Sequence[int] | None = None, seed: int | None = 0, validation: float = 0.2) -> Digits:
    """The series' classification task, scaled down: the images of `classes` (all ten by default),
    x/16 - 0.5 as the article's [-0.5, 0.5], shuffled by random.Random(seed), `validation` of them held out.

    scikit-learn ships the 1,797 images inside the package (no download); it is the `data` extra.
    """
    try:
        from sklearn.datasets import load_digits
    except ImportError:
        raise ImportError("nn.data.digits needs scikit-learn: pip install 'impactgrad[data]'") from None
    chosen = tuple(range(10)) if classes is None else tuple(classes)
    if len(chosen) < 2 or len(set(chosen)) != len(chosen) or not all(c in range(10) for c in chosen):
        raise ValueError(f"classes must be at least two distinct digits 0..9, got {classes!r}")
    if not 0 < validation < 1:
        raise ValueError(f"validation must be a share in (0, 1), got {validation!r}")
    bunch = load_digits()
    rows = [
        ([[[float(v) / 16 - 0.5 for v in image[i * 8 : i * 8 + 8]] for i in range(8)]], chosen.index(int(t)))
        for image, t in zip(bunch.data, bunch.target)
        if int(t) in chosen
    ]
    random.Random(seed).shuffle(rows)
    held = round(len(rows) * validation)
    train, val = rows[held:], rows[:held]
    return Digits(
        [x for x, _ in train], [y for _, y in train], [x for x, _ in val], [y for _, y in val], chosen
    )
