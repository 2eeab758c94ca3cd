"""The series' gradient-descent loop (one row at a time, or batches) and an accuracy measure."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import Any, Protocol

from tqdm.auto import tqdm

import autograd
from autograd import Compiled, Scalar, Value, no_grad
from autograd import compile as compile_graph
from nn.loss import TARGET_RULES, cross_entropy
from nn.module import Module, apply, as_number, as_value, refuse_unordered, shape
from nn.norm import BatchNorm
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

    Rows are taken in order. A model that holds BatchNorm takes each batch through at once (one
    backward of Σ Loss/n, its running statistics moved once per batch, as PyTorch's model.train()
    loop); it needs batches of more than one row. Every row is checked before the first update, inputs
    and targets (a built-in loss's targets by its own rule: hinge ±1, cross_entropy a class index in
    range or probabilities); a bad one is named by its index and leaves the model unchanged. Returns
    the loss history: per epoch, the mean loss of the rows as they were met (before the update of their
    batch). The progress bar is a widget in Jupyter. With `compile`, a row's graph (a BatchNorm model:
    the batch's) is traced once per shape and replayed (`autograd.compile`): the same weights, history
    and running statistics, faster. The model's graph must then have the same structure for every row
    (data-dependent branches such as relu are fine; Python `if`s on the data are not: a layer that says
    so with `compiles = False` is refused).
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
    norms = [m for m in model.modules() if isinstance(m, BatchNorm)]
    if norms:
        _check_batches(type(norms[0]).__name__, batch_size, len(inputs))
    outputs = _outputs(model, inputs[0], batched=bool(norms))
    _check_targets(outputs, targets, loss)
    frozen = [m for m in model.modules() if not m.compiles]
    if compile and frozen:
        raise ValueError(f"fit(compile=True) cannot train a model with {type(frozen[0]).__name__}: "
                         f"{frozen[0].compile_refusal}; train it eagerly (compile=False)")
    learn: _Learner
    if norms:
        learn = _CompiledBatches(model, loss, optimizer, outputs) if compile else _EagerBatches(model, loss)
    else:
        learn = _CompiledRows(model, loss, optimizer) if compile else _EagerRows(model, loss)
    history = []
    bar = tqdm(range(epochs), desc="fit", unit="epoch", disable=not progress)
    for _ in bar:
        total: Scalar = 0
        for start in range(0, len(inputs), batch_size):
            stop = min(start + batch_size, len(inputs))
            share = Fraction(1, stop - start) if stop - start > 1 else 1  # Loss_learning = Loss / n
            optimizer.zero_grad()
            for row_loss in learn.backward(inputs[start:stop], targets[start:stop], share):
                total += row_loss
            optimizer.step()
        history.append(total / len(inputs))
        if isinstance(history[-1], (float, Fraction)):
            bar.set_postfix(loss=f"{float(history[-1]):.4g}")
    return history


def _check_batches(layer: str, batch_size: int, rows: int) -> None:
    """A model with BatchNorm trains on batches of more than one row (a feature's μ and σ need two values)."""
    if batch_size == 1:
        raise ValueError(f"{layer} needs batches of more than one row in training, got batch_size=1")
    if rows % batch_size == 1:
        raise ValueError(
            f"{layer} needs batches of more than one row in training: {rows} rows in batches of "
            f"batch_size={batch_size} leave a last batch of 1 row; choose another batch_size"
        )


def _outputs(model: Module, x: Any, batched: bool) -> int:
    """How many outputs the model gives: an eval-mode pass of the row x, alone or as a batch of one
    (which moves no running statistics)."""
    modes = [(m, m.training) for m in model.modules()]
    try:
        model.eval()
        with no_grad():
            out = _row_output(model, x, batched)
    finally:
        for m, mode in modes:
            m.training = mode
    return len(out) if isinstance(out, (list, tuple)) else 1


def _row_output(model: Module, x: Any, batched: bool) -> Any:
    """The model's output for one row: the row alone, or as a batch of one (a model with BatchNorm)."""
    return model([x])[0] if batched else model(x)


def _check_targets(n: int, targets: Sequence[Any], loss: Loss) -> None:
    """Every target by the loss's own rule, for n outputs: the culprit named by its row."""
    rule = TARGET_RULES.get(loss)
    if rule is None:
        return
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
    ties) is that class; for a one-number target, the single output has its side of 0 (output > 0 ⟺ y > 0).
    A model with BatchNorm is measured after eval(), each row a batch of one."""
    if len(inputs) != len(targets):
        raise ValueError(f"{len(inputs)} input rows but {len(targets)} target rows")
    if not inputs:
        raise ValueError("accuracy needs at least one row of data")
    norms = [m for m in model.modules() if isinstance(m, BatchNorm)]
    if any(m.training for m in norms):
        raise ValueError(
            f"accuracy needs model.eval() first: in training {type(norms[0]).__name__} normalizes with each "
            "batch's statistics (and moves its running ones)"
        )
    correct = 0
    with no_grad():
        for x, y in zip(inputs, targets):
            out = _row_output(model, x, batched=bool(norms))
            if _is_class_index(y):
                correct += max(range(len(out)), key=lambda k: out[k].data) == y
                continue
            if len(out) != 1 or len(y) != 1:
                raise ValueError(f"accuracy needs one output and one target per row: {len(out)}, {len(y)}")
            correct += (out[0].data > 0) == (y[0] > 0)
    return correct / len(inputs)


class _Learner(Protocol):
    """A batch's learning flow: adds share · ∂Loss/∂w of each row to the weights' grads; the rows' losses."""

    def backward(self, xs: Sequence[Any], ys: Sequence[Any], share: Scalar) -> list[Scalar]: ...


class _EagerRows:
    """fit's eager path: each row's graph built and back-propagated on its own."""

    def __init__(self, model: Module, loss: Loss) -> None:
        self.model, self.loss = model, loss

    def backward(self, xs: Sequence[Any], ys: Sequence[Any], share: Scalar) -> list[Scalar]:
        losses = []
        for x, y in zip(xs, ys):
            row_loss = self.loss(self.model(x), y)
            row_loss.backward(share)
            losses.append(row_loss.data)
        return losses


class _EagerBatches:
    """fit's eager path for a model with BatchNorm: the batch through the model at once, one backward."""

    def __init__(self, model: Module, loss: Loss) -> None:
        self.model, self.loss = model, loss

    def backward(self, xs: Sequence[Any], ys: Sequence[Any], share: Scalar) -> list[Scalar]:
        losses = _batch_losses(self.model, self.loss, xs, ys)
        autograd.sum(losses).backward(share)
        return [row_loss.data for row_loss in losses]


class _CompiledRows:
    """fit's compiled path: one compiled graph per shape of row and class index (a class index is part
    of the graph's structure), its inputs the weights and the row's numbers. Where numpy is installed
    and the numbers are floats, a batch's rows of one graph run in one call over arrays (one number per
    row; the weights' grads summed over the rows); else row by row."""

    def __init__(self, model: Module, loss: Loss, optimizer: Optimizer) -> None:
        self.model, self.loss, self.params = model, loss, optimizer.params
        self.graphs: dict[tuple[Any, Any], Compiled] = {}

    def backward(self, xs: Sequence[Any], ys: Sequence[Any], share: Scalar) -> list[Scalar]:
        rows = [self._numbers(x, y) for x, y in zip(xs, ys)]
        weights = [p.data for p in self.params]
        numbers = [*weights, *(v for _, row in rows for v in row)]
        np = _numpy() if len(rows) > 1 and all(type(v) is float for v in numbers) else None
        if np is None:
            return [self._row(self.graphs[key], [*weights, *row], share) for key, row in rows]
        groups: dict[tuple[Any, Any], list[int]] = {}  # graph -> its rows
        for r, (key, _) in enumerate(rows):
            groups.setdefault(key, []).append(r)
        losses: list[Scalar] = [0.0] * len(rows)
        for key, group in groups.items():
            columns = np.array([rows[r][1] for r in group]).T  # one array per input number
            out, grads = self.graphs[key]([*weights, *columns], float(share))
            for p, g in zip(self.params, np.sum(grads, axis=1).tolist()):  # each weight's δw: Σ over rows
                p.grad += g
            for r, row_loss in zip(group, out):
                losses[r] = float(row_loss)
        return losses

    def _numbers(self, x: Any, y: Any) -> tuple[tuple[Any, Any], list[Scalar]]:
        """The row's graph (traced on first sight) and its numbers (as a Value holds them)."""
        index = _is_class_index(y)
        key = (shape(x, "fit"), y if index else shape(y, "fit"))
        if key not in self.graphs:
            xs, ys = apply(as_value, x), y if index else apply(as_value, y)
            row_loss = self.loss(self.model(xs), ys)
            inputs = _leaves(xs) + ([] if index else _leaves(ys))
            self.graphs[key] = compile_graph(row_loss, [*self.params, *inputs])
        leaves = _leaves(x) + ([] if index else _leaves(y))
        return key, [v if type(v) is float else as_number(v) for v in leaves]

    def _row(self, compiled: Compiled, values: list[Scalar], share: Scalar) -> Scalar:
        """Add share · ∂Loss/∂w to every weight's grad, as row_loss.backward(share) would; the row's loss."""
        out, grads = compiled(values, share)
        for p, g in zip(self.params, grads):
            p.grad += g
        return out


class _CompiledBatches:
    """fit's compiled path for a model with BatchNorm: the batch's graph Σ Loss_r traced once per shape
    of batch (inputs: the weights and every row's numbers; cross_entropy's class indices as one-hot
    numbers, so batches of other classes share a graph) and replayed; each replay keeps the rows' losses
    and every BatchNorm's μ and Σ (x - μ)², which move the running statistics as an eager forward does."""

    def __init__(self, model: Module, loss: Loss, optimizer: Optimizer, outputs: int) -> None:
        self.model, self.loss, self.params, self.outputs = model, loss, optimizer.params, outputs
        self.graphs: dict[tuple[Any, Any], Compiled] = {}
        self.norms: dict[tuple[Any, Any], list[tuple[BatchNorm, int]]] = {}  # per graph: BatchNorms, m

    def backward(self, xs: Sequence[Any], ys: Sequence[Any], share: Scalar) -> list[Scalar]:
        if self.loss is cross_entropy and all(map(_is_class_index, ys)):
            ys = [[int(k == y) for k in range(self.outputs)] for y in ys]
        index = all(map(_is_class_index, ys))  # a class index of the user's loss: part of the structure
        xv, yv = apply(as_value, list(xs)), list(ys) if index else apply(as_value, list(ys))
        numbers = _leaves(xv) + ([] if index else _leaves(yv))
        key = (shape(xv, "fit"), tuple(ys) if index else shape(yv, "fit"))
        compiled, traced = self.graphs.get(key), False
        if compiled is None:  # the trace is an eager forward of this batch: it moves the running statistics
            losses = _batch_losses(self.model, self.loss, xv, yv)
            norms = [m for m in self.model.modules() if isinstance(m, BatchNorm) and m.batch_statistics]
            statistics = [norm.batch_statistics for norm in norms if norm.batch_statistics]
            keep = [v for means, squares, _ in statistics for v in (*means, *squares)]
            compiled = compile_graph(autograd.sum(losses), [*self.params, *numbers], [*losses, *keep])
            self.graphs[key], traced = compiled, True
            self.norms[key] = [(norm, m) for norm, (*_, m) in zip(norms, statistics)]
        _, grads = compiled([*(p.data for p in self.params), *(v.data for v in numbers)], share)
        for p, g in zip(self.params, grads):
            p.grad += g
        if not traced:
            start = len(xs)  # kept: the rows' losses, then each BatchNorm's μs and Σ (x - μ)²s
            for norm, m in self.norms[key]:
                f = norm.num_features
                norm.track(compiled.kept[start : start + f], compiled.kept[start + f : start + 2 * f], m)
                start += 2 * f
        return compiled.kept[: len(xs)]


def _batch_losses(model: Module, loss: Loss, xs: Sequence[Any], ys: Sequence[Any]) -> list[Value]:
    """Each row's loss, the batch through the model at once (BatchNorm normalizes over it)."""
    return [loss(out, y) for out, y in zip(model(list(xs)), ys)]


def _numpy() -> Any:
    """numpy, the optional dependency of array calls, or None where it is not installed."""
    try:
        import numpy
    except ImportError:
        return None
    return numpy


def _leaves(x: Any) -> list[Any]:
    """The numbers (or Values) of nested lists and tuples, in order."""
    return [v for item in x for v in _leaves(item)] if isinstance(x, (list, tuple)) else [x]


def _is_class_index(y: object) -> bool:
    """Whether a target is a class index (an int, not a bool) rather than a row of numbers."""
    return isinstance(y, int) and not isinstance(y, bool)
