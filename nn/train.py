"""The series' gradient-descent loop (one row at a time, or batches) and an accuracy measure."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from fractions import Fraction

from tqdm.auto import tqdm

from autograd import Value, no_grad
from nn.module import Module, Scalar
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
) -> list[Scalar]:
    """Gradient descent: per batch of n rows, back-propagate Loss/n for each row, sum the δw, step.

    Rows are taken in order. Every row is checked before the first update (a bad one is named by its
    index and leaves the model unchanged). Returns the loss history: per epoch, the mean loss of the
    rows as they were met (before the update of their batch). The progress bar is a widget in Jupyter.
    """
    if len(inputs) != len(targets):
        raise ValueError(f"{len(inputs)} input rows but {len(targets)} target rows")
    if not inputs:
        raise ValueError("fit needs at least one row of data")
    if not isinstance(epochs, int) or epochs < 0:
        raise ValueError(f"epochs must be an int >= 0, got {epochs!r}")
    if not isinstance(batch_size, int) or not 1 <= batch_size <= len(inputs):
        raise ValueError(f"batch_size must be an int in 1..{len(inputs)} (the rows), got {batch_size!r}")
    _check_rows("inputs", inputs)
    _check_rows("targets", targets)
    history = []
    bar = tqdm(range(epochs), desc="fit", unit="epoch", disable=not progress)
    for _ in bar:
        total: Scalar = 0
        for start in range(0, len(inputs), batch_size):
            rows = range(start, min(start + batch_size, len(inputs)))
            share = Fraction(1, len(rows)) if len(rows) > 1 else 1  # Loss_learning = Loss / n
            optimizer.zero_grad()
            for r in rows:
                row_loss = loss(model(inputs[r]), targets[r])
                row_loss.backward(share)
                total += row_loss.data
            optimizer.step()
        history.append(total / len(inputs))
        if isinstance(history[-1], (float, Fraction)):
            bar.set_postfix(loss=f"{float(history[-1]):.4g}")
    return history


def _check_rows(name: str, rows: Sequence[Sequence[Scalar]]) -> None:
    """Every row a list of numbers (or Values) as long as row 0: the culprit named by its index."""
    width = None
    for r, row in enumerate(rows):
        if isinstance(row, (Value, str, bytes)) or not hasattr(row, "__len__"):
            raise TypeError(f"{name}[{r}] is a {type(row).__name__}, not a list of numbers")
        if width is None:
            width = len(row)
        if len(row) != width:
            raise ValueError(f"{name}[{r}] has {len(row)} values, but {name}[0] has {width}")
        for i, v in enumerate(row):
            if not isinstance(v, Value):
                try:
                    Value(v)
                except TypeError as error:
                    raise TypeError(f"{name}[{r}][{i}]: {error}") from None


def accuracy(model: Module, inputs: Sequence[Sequence[Scalar]], targets: Sequence[Sequence[Scalar]]) -> float:
    """The share of rows whose single output has the target's side of 0 (output > 0 ⟺ target > 0)."""
    if len(inputs) != len(targets):
        raise ValueError(f"{len(inputs)} input rows but {len(targets)} target rows")
    if not inputs:
        raise ValueError("accuracy needs at least one row of data")
    correct = 0
    with no_grad():
        for x, y in zip(inputs, targets):
            out = model(x)
            if len(out) != 1 or len(y) != 1:
                raise ValueError(f"accuracy needs one output and one target per row: {len(out)}, {len(y)}")
            correct += (out[0].data > 0) == (y[0] > 0)
    return correct / len(inputs)
