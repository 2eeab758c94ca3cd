"""Losses over one row: loss(outputs, targets) -> Value, the start of the learning flow δ = ∂Loss/∂X.

Each is a sum over the output neurons (mse: the mean); fit averages over a batch. The constant 1/2
is the Fraction 1/2, so exact data stays exact.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Sequence
from fractions import Fraction

import autograd
from autograd import Scalar, Value
from nn.activation import shifted
from nn.module import as_values

_HALF = Fraction(1, 2)
# The targets of hinge and binary_cross_entropy: what each loss and fit's check of every row apply.
_SIGNS = ("hinge needs targets of -1 or 1", lambda y: y in (-1, 1))
_UNIT = ("binary_cross_entropy needs targets in [0, 1]", lambda y: 0 <= y <= 1)


def half_squared_error(outputs: Sequence[Value | Scalar], targets: Sequence[Scalar]) -> Value:
    """The seed's Loss(X, Y) = Σ 1/2 (X - Y)², whose learning flow is δ = o - y."""
    return autograd.sum((d * d) * _HALF for d in (o - y for o, y in _pairs(outputs, targets)))


def mse(outputs: Sequence[Value | Scalar], targets: Sequence[Scalar]) -> Value:
    """The mean squared error 1/n Σ (X - Y)²."""
    pairs = _pairs(outputs, targets)
    return autograd.sum(d * d for d in (o - y for o, y in pairs)) * Fraction(1, len(pairs))


def hinge(outputs: Sequence[Value | Scalar], targets: Sequence[Scalar]) -> Value:
    """The hinge loss Σ max(0, 1 - Y·X) for targets Y = -1 or 1 (micrograd's moons demo)."""
    pairs = _pairs(outputs, targets)
    _check_targets(targets, *_SIGNS)
    return autograd.sum((1 - o * y).relu() for o, y in pairs)


def binary_cross_entropy(outputs: Sequence[Value | Scalar], targets: Sequence[Scalar]) -> Value:
    """Binary cross-entropy from logits X and targets Y in [0, 1], the stable form.

    Σ max(X, 0) - X·Y + log(1 + e^-|X|), with |X| = 2·max(X, 0) - X, equal to
    -Y·log σ(X) - (1 - Y)·log(1 - σ(X)); its learning flow is δ = σ(o) - y.
    """
    pairs = _pairs(outputs, targets)
    _check_targets(targets, *_UNIT)
    terms = []
    for x, y in pairs:
        positive = x.relu()
        terms.append(positive - x * y + (1 + (x - positive * 2).exp()).log())
    return autograd.sum(terms)


def _pairs(outputs: Sequence[Value | Scalar], targets: Sequence[Scalar]) -> list[tuple[Value, Scalar]]:
    """(output neuron, target) pairs of one row; rows of different lengths are a ValueError."""
    for name, row in (("outputs", outputs), ("targets", targets)):
        if isinstance(row, (Value, numbers.Number)):
            kind = type(row).__name__
            raise TypeError(f"{name} must be a list (one per output neuron), not a single {kind}")
    if len(outputs) != len(targets):
        raise ValueError(f"{len(outputs)} outputs but {len(targets)} targets")
    if not outputs:
        raise ValueError("a loss needs at least one output")
    return list(zip(as_values(outputs), targets))


def _check_targets(targets: Sequence[Scalar], message: str, valid: Callable[[Scalar], bool]) -> None:
    """Refuse a numeric target outside the loss's domain (symbolic targets are left unchecked)."""
    for y in targets:
        value = y.data if isinstance(y, Value) else y
        if isinstance(value, numbers.Real) and not valid(value):
            raise ValueError(f"{message}, got {y!r}")


def _check_total(target: Sequence[Scalar]) -> None:
    """Numeric probabilities sum to 1: exactly for exact data, to 1e-9 for floats (symbolic: unchecked)."""
    values = [y.data if isinstance(y, Value) else y for y in target]
    if not all(isinstance(y, numbers.Real) for y in values):
        return
    total = sum(values)
    exact = all(isinstance(y, (int, Fraction)) for y in values)
    if (total != 1) if exact else not math.isclose(total, 1, rel_tol=0, abs_tol=1e-9):
        raise ValueError(
            f"cross_entropy's target probabilities must sum to 1 (then δ = softmax(o) - y): "
            f"{list(target)!r} sums to {total}; divide by the sum to normalise"
        )


def cross_entropy(outputs: Sequence[Value | Scalar], target: int | Sequence[Scalar]) -> Value:
    """Softmax cross-entropy from logits X: log Σ_j e^{X_j} - X_t for a class index t, or
    Σ_i Y_i·(log Σ_j e^{X_j} - X_i) for class probabilities Y; its learning flow is δ = softmax(o) - y.
    Probabilities must sum to 1 (δ = (Σ Y)·softmax(o) - y otherwise): another sum is a ValueError.

    Computed as log Σ_j e^{X_j - m} - (X_t - m) with m = max X (a max node, so a
    compiled replay shifts each row by its own largest logit): logits of ±1000 work.
    """
    if isinstance(outputs, (Value, numbers.Number)) or not outputs:
        raise ValueError(f"cross_entropy needs a non-empty list of logits, got {outputs!r}")
    probabilities = _class_probabilities(target, len(outputs))
    xs = shifted(outputs)
    log_total = autograd.sum(x.exp() for x in xs).log()
    terms = [(log_total - x) * y if y != 1 else log_total - x for x, y in zip(xs, probabilities) if y != 0]
    return autograd.sum(terms)


def _class_probabilities(target: object, n: int) -> Sequence[Scalar]:
    """cross_entropy's target over n logits as probabilities: a class index in 0..n-1 is one-hot."""
    if isinstance(target, bool) or not isinstance(target, (int, list, tuple)):
        raise TypeError(
            f"target must be a class index (int) or a list of {n} probabilities, not {target!r:.60}"
        )
    if isinstance(target, int):
        if not 0 <= target < n:
            raise ValueError(f"target class {target} is out of range for {n} logits (0..{n - 1})")
        return [1 if i == target else 0 for i in range(n)]
    if len(target) != n:
        raise ValueError(f"{n} logits but {len(target)} target probabilities")
    _check_targets(target, "cross_entropy needs probabilities in [0, 1]", lambda y: 0 <= y <= 1)
    _check_total(target)
    return target


def _row_rule(rule: tuple[str, Callable[[Scalar], bool]] | None) -> Callable[[object, int], None]:
    """The check of one row of targets for n outputs: a list of n numbers, each obeying `rule` if given."""

    def check(target: object, n: int) -> None:
        if not isinstance(target, (list, tuple)):
            raise TypeError(f"a list of {n} targets expected, not a {type(target).__name__}")
        if len(target) != n:
            raise ValueError(f"{n} outputs but {len(target)} targets")
        if rule is not None:
            _check_targets(target, *rule)

    return check


# The rule each built-in loss applies to one row's target, given n outputs: fit checks every row with
# it before the first step (a loss of the user's own checks its targets itself).
TARGET_RULES: dict[Callable[..., Value], Callable[[object, int], object]] = {
    half_squared_error: _row_rule(None),
    mse: _row_rule(None),
    hinge: _row_rule(_SIGNS),
    binary_cross_entropy: _row_rule(_UNIT),
    cross_entropy: _class_probabilities,
}
