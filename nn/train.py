"""The series' gradient-descent loop (one row at a time, or batches) and an accuracy measure."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import Any

from tqdm.auto import tqdm

from autograd import Compiled, Scalar, Value, no_grad
from autograd import compile as compile_graph
from nn.loss import TARGET_RULES
from nn.module import Module, apply, as_value, refuse_unordered, shape
from nn.optim import Optimizer

Loss = Callable[[Sequence[Value], Sequence[Scalar]], Value]


def fit(
    model: Module,
    inputs: Sequence[Sequence[Scalar]],
    targets: Sequence[Sequence[Scalar]],
    loss: Loss,
    optimizer: Optimizer,
    epochs: int,
    batch_size: int = 1,
    progress: bool = True,
    compile: bool = False,
) -> list[Scalar]:
    """Gradient descent: per batch of n rows, back-propagate Loss/n for each row, sum the δw, step.

    Rows are taken in order. Every row is checked before the first update, inputs and targets (a
    built-in loss's targets by its own rule: hinge ±1, cross_entropy a class index in range or
    probabilities); a bad one is named by its index and leaves the model unchanged. Returns the loss
    history: per epoch, the mean loss of the rows as they were met (before the update of their batch).
    The progress bar is a widget in Jupyter. With `compile`, a row's graph is traced once per shape of
    row and replayed (`autograd.compile`): the same weights and history, faster; a model whose
    replay would differ (BatchNorm's running statistics) is refused.
    The model's graph must then have the same structure for every row (data-dependent branches such as
    relu are fine; Python `if`s on the data are not).
    """
    refuse_unordered("fit", inputs)
    refuse_unordered("fit", targets)
    if len(inputs) != len(targets):
        raise ValueError(f"{len(inputs)} input rows but {len(targets)} target rows")
    if not inputs:
        raise ValueError("fit needs at least one row of data")
    if isinstance(epochs, bool) or not isinstance(epochs, int) or epochs < 0:
        raise ValueError(f"epochs must be an int >= 0, got {epochs!r}")
    if not isinstance(batch_size, int) or not 1 <= batch_size <= len(inputs):
        raise ValueError(f"batch_size must be an int in 1..{len(inputs)} (the rows), got {batch_size!r}")
    _check_rows("inputs", inputs)
    if not all(map(_is_class_index, targets)):  # class indices pass
        _check_rows("targets", targets)
    _check_targets(model, inputs[0], targets, loss)
    rows_of = _CompiledRows(model, loss, optimizer) if compile else None
    history = []
    bar = tqdm(range(epochs), desc="fit", unit="epoch", disable=not progress)
    for _ in bar:
        total: Scalar = 0
        for start in range(0, len(inputs), batch_size):
            rows = range(start, min(start + batch_size, len(inputs)))
            share = Fraction(1, len(rows)) if len(rows) > 1 else 1  # Loss_learning = Loss / n
            optimizer.zero_grad()
            for r in rows:
                if rows_of is not None:
                    total += rows_of.backward(inputs[r], targets[r], share)
                    continue
                row_loss = loss(model(inputs[r]), targets[r])
                row_loss.backward(share)
                total += row_loss.data
            optimizer.step()
        history.append(total / len(inputs))
        if isinstance(history[-1], (float, Fraction)):
            bar.set_postfix(loss=f"{float(history[-1]):.4g}")
    return history


def _check_targets(model: Module, x: Any, targets: Sequence[Any], loss: Loss) -> None:
    """Every target by the loss's own rule, for as many outputs as the model gives (an eval-mode pass of
    the first row, which moves no running statistics): the culprit named by its row."""
    rule = TARGET_RULES.get(loss)
    if rule is None:
        return
    modes = [(m, m.training) for m in model.modules()]
    try:
        model.eval()
        with no_grad():
            out = model(x)
    finally:
        for m, mode in modes:
            m.training = mode
    n = len(out) if isinstance(out, (list, tuple)) else 1
    for r, y in enumerate(targets):
        try:
            rule(y, n)
        except (TypeError, ValueError) as error:
            raise type(error)(f"targets[{r}]: {error}") from None


def _check_rows(name: str, rows: Sequence[Sequence[Scalar]]) -> None:
    """Every row a list of finite numbers (or Values) as long as row 0: the culprit named by its index."""
    width = None
    for r, row in enumerate(rows):
        if isinstance(row, (Value, str, bytes)) or not hasattr(row, "__len__"):
            raise TypeError(f"{name}[{r}] is a {type(row).__name__}, not a list of numbers")
        refuse_unordered(f"fit's {name}[{r}]", row)
        if width is None:
            width = len(row)
        if len(row) != width:
            raise ValueError(f"{name}[{r}] has {len(row)} values, but {name}[0] has {width}")
        for i, v in enumerate(row):
            try:
                values = _leaves(apply(as_value, v))  # a number, or nested lists of them ([c][i][j] images)
            except TypeError as error:
                raise TypeError(f"{name}[{r}][{i}]: {error}") from None
            bad = [x.data for x in values if isinstance(x.data, float) and not math.isfinite(x.data)]
            if bad:
                raise ValueError(f"{name}[{r}][{i}] holds {bad[0]}: fit needs finite numbers")


def accuracy(model: Module, inputs: Sequence[Any], targets: Sequence[Any]) -> float:
    """The share of rows classified right: for a class index target, the output's argmax (the first on
    ties) is that class; for a one-number target, the single output has its side of 0 (output > 0 ⟺ y > 0)."""
    if len(inputs) != len(targets):
        raise ValueError(f"{len(inputs)} input rows but {len(targets)} target rows")
    if not inputs:
        raise ValueError("accuracy needs at least one row of data")
    correct = 0
    with no_grad():
        for x, y in zip(inputs, targets):
            out = model(x)
            if _is_class_index(y):
                correct += max(range(len(out)), key=lambda k: out[k].data) == y
                continue
            if len(out) != 1 or len(y) != 1:
                raise ValueError(f"accuracy needs one output and one target per row: {len(out)}, {len(y)}")
            correct += (out[0].data > 0) == (y[0] > 0)
    return correct / len(inputs)


class _CompiledRows:
    """fit's compiled path: one compiled graph per shape of row (and class index), its inputs the
    weights and the row's numbers."""

    def __init__(self, model: Module, loss: Loss, optimizer: Optimizer) -> None:
        frozen = [m for m in model.modules() if not m.compiles]
        if frozen:
            raise ValueError(f"fit(compile=True) cannot train a model with {type(frozen[0]).__name__}: "
                             f"{frozen[0].compile_refusal}; train it eagerly (compile=False)")
        self.model, self.loss, self.params = model, loss, optimizer.params
        self.graphs: dict[tuple[Any, Any], Compiled] = {}

    def backward(self, x: Any, y: Any, share: Scalar) -> Scalar:
        """Add share · ∂Loss/∂w to every weight's grad, as row_loss.backward(share) would; the row's loss."""
        index = _is_class_index(y)  # a class index is part of the graph's structure, not an input
        xs, ys = apply(as_value, x), y if index else apply(as_value, y)
        numbers = _leaves(xs) + ([] if index else _leaves(ys))
        key = (shape(xs, "fit"), y if index else shape(ys, "fit"))
        compiled = self.graphs.get(key)
        if compiled is None:
            row_loss = self.loss(self.model(xs), ys)
            compiled = self.graphs[key] = compile_graph(row_loss, [*self.params, *numbers])
        out, grads = compiled([*(p.data for p in self.params), *(v.data for v in numbers)], share)
        for p, g in zip(self.params, grads):
            p.grad += g
        return out


def _leaves(x: Any) -> list[Value]:
    """The Values of nested lists, in order."""
    return [v for item in x for v in _leaves(item)] if isinstance(x, list) else [x]


def _is_class_index(y: object) -> bool:
    """Whether a target is a class index (an int, not a bool) rather than a row of numbers."""
    return isinstance(y, int) and not isinstance(y, bool)
