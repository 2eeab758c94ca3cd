"""The main job (`python -m nn.demo [out_dir]`): the series' Example end to end, in exact arithmetic.

One epoch of gradient descent (one row at a time, α = 10^-7), then one batch step (Loss/3 per row),
each boxed formula checked against what backward found, the pictures written to out_dir.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path

from autograd import Scalar, Value, explore, typeset
from autograd.draw import draw as draw_graph
from autograd.draw import save_svg
from autograd.notation import number
from nn.data import seed_example
from nn.draw import draw as draw_structure
from nn.loss import half_squared_error
from nn.module import Sequential
from nn.optim import SGD
from nn.train import fit

ALPHA = Fraction(1, 10**7)
PICTURED_ROW = 2  # the third row, (0, 2000, 3000) -> 1: the one the Example learns from
PICTURED_WEIGHT = 2  # w^{2,1}_3, whose paths of impacts the graph highlights


def main(out_dir: str | Path = "out") -> bool:
    """Run the Example, write its pictures and report.txt into out_dir; True if every check holds."""
    out = Path(out_dir)
    report = Report()
    report.line("The series' Example in exact arithmetic: L1 = Input1D, L2 = w^{2,1} · X (no bias),")
    report.line("L3 = ReLU, Loss = 1/2 (X^4 - Y)^2, α = 1/10^7.")
    example = seed_example()
    model = example.model()
    sgd = SGD(model.parameters(), ALPHA)

    report.line("\nOne epoch of gradient descent, one row at a time (the gradient-descent article):")
    for r, (x, y) in enumerate(zip(example.inputs, example.targets)):
        sgd.zero_grad()
        flow, loss = _forward(model, x, y)
        loss.backward()
        _check_row(report, model, r, flow, y)
        if r == PICTURED_ROW:
            w = model[1].parameters()[PICTURED_WEIGHT]
            save_svg(draw_graph(loss, highlight=w, params=model.parameters()), out / "example_graph.svg")
            save_svg(draw_structure(model[1], flow[1:3], k=2), out / "linear_structure.svg")
            save_explorer(model, out / "explorer.html")
        sgd.step()
    w2 = example.w2
    report.check(
        "ŵ^{2,1}_i = w^{2,1}_i - α · δw^{2,1}_i",
        _weights(model),
        [w2[0], w2[1] + Fraction(2, 10**4), w2[2] + Fraction(3, 10**4)],
    )
    _check_outputs(
        report, model, example.inputs, example.targets, ["0.43", "1", "1.3"], ["0.092", "0", "0.045"]
    )

    report.line("\nOne batch step of 3 rows, Loss/3 each, δw^{2,1}_i summed (the batch-learning article),")
    report.line("trained through compiled code (fit(..., compile=True)):")
    model = example.model()
    history = fit(
        model,
        example.inputs,
        example.targets,
        half_squared_error,
        SGD(model.parameters(), ALPHA),
        1,
        3,
        progress=False,
        compile=True,  # the row's graph traced once, replayed for each row (autograd.compile)
    )
    report.check("loss^avg before the step", history, [Fraction(1, 6)])
    report.check(
        "ŵ^{2,1}_i = w^{2,1}_i - α · Σ δw^{2,1}_i / 3",
        _weights(model),
        [w2[0], w2[1] + Fraction(2, 3 * 10**4), w2[2] + Fraction(1, 10**4)],
    )
    _check_outputs(
        report, model, example.inputs, example.targets, ["0.14", "1", "0.43"], ["0.01", "0", "0.16"]
    )

    report.line(f"\nPictures: {out / 'example_graph.svg'}, {out / 'linear_structure.svg'}", names=False)
    report.line(f"Step through the learning flow in a browser: {out / 'explorer.html'}", names=False)
    report.line("All boxed formulas hold." if report.ok else "SOME CHECKS FAILED.")
    out.mkdir(parents=True, exist_ok=True)
    (out / "report.txt").write_text(report.text(), encoding="utf-8")
    return report.ok


class Report:
    """Lines of text, and checks that print ✓ when backward agrees with the formula."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.ok = True

    def line(self, text: str, names: bool = True) -> None:
        """Print a line and keep it, its names typeset as the series prints them (w^{2,1}_i as w²ʼ¹ᵢ)
        unless `names` is False (file paths: example_graph.svg stays as it is)."""
        text = typeset(text) if names else text
        print(text)
        self.lines.append(text)

    def check(self, formula: str, found: Sequence[Scalar], expected: Sequence[Scalar]) -> None:
        """One line: the formula, the values found, ✓ if they equal the expected ones exactly."""
        ok = list(found) == list(expected)
        self.ok &= ok
        values = ", ".join(number(v) for v in found)
        self.line(f"  {'✓' if ok else '✗'} {formula}: ({values})" + ("" if ok else f" expected {expected}"))

    def text(self) -> str:
        """The whole report."""
        return "\n".join(self.lines) + "\n"


def save_explorer(model: Sequential, path: Path) -> None:
    """The Explorer page of the pictured row (neurons labelled o^k_i), with the paths of w^{2,1}_3."""
    example = seed_example()
    _, loss = _forward(model, example.inputs[PICTURED_ROW], example.targets[PICTURED_ROW])
    w = model[1].parameters()[PICTURED_WEIGHT]
    title = f"The series' Example, row {PICTURED_ROW + 1}: {typeset(w.label or '')}"
    explore(loss, wrt=w).save(path, title)


def _forward(
    model: Sequential, x: Sequence[Fraction], y: Sequence[Fraction]
) -> tuple[list[list[Value]], Value]:
    """The information flow [x, o^1, o^2, o^3] (each neuron labelled o^k_i) and the row's loss."""
    flow: list[list[Value]] = [[Value(v) for v in x]]
    for layer in model:
        flow.append(layer(flow[-1]))
    for k, neurons in enumerate(flow[1:], start=1):
        for i, neuron in enumerate(neurons, start=1):
            neuron.label = f"o^{k}_{i}"
    loss = half_squared_error(flow[-1], y)
    loss.label = "loss"
    return flow, loss


def _check_row(
    report: Report, model: Sequential, r: int, flow: list[list[Value]], y: Sequence[Fraction]
) -> None:
    """The boxed formulas of one row: what backward put in each .grad against the formula's value."""
    _, o1, (o2,), (o3,) = flow
    w2 = model[1].parameters()
    delta4, delta3 = o3.grad, o2.grad
    x = ", ".join(number(v.data) for v in flow[0])
    report.line(f"row {r + 1}: x = ({x}), o^3_1 = {number(o3.data)}, y = {number(y[0])}")
    report.check("δ^4_1 = o^3_1 - y (Loss)", [delta4], [o3.data - y[0]])
    report.check("δ^3_1 = δ^4_1 if o^2_1 ≥ 0 else 0 (ReLU)", [delta3], [delta4 if o2.data >= 0 else 0])
    flow_back = [delta3 * w.data for w in w2]
    report.check("δ^2_i = δ^3_1 · w^{2,1}_i (Linear, learning flow)", [v.grad for v in o1], flow_back)
    weights = [delta3 * v.data for v in o1]
    report.check("δw^{2,1}_i = δ^3_1 · o^1_i (Linear, weights)", [w.grad for w in w2], weights)


def _weights(model: Sequential) -> list[Scalar]:
    """The values of w^{2,1}_i."""
    return [w.data for w in model[1].parameters()]


def _check_outputs(
    report: Report,
    model: Sequential,
    inputs: Sequence[Sequence[Fraction]],
    targets: Sequence[Sequence[Fraction]],
    outputs: list[str],
    losses: list[str],
) -> None:
    """The new outputs and losses, rounded as the article prints them."""
    new = [model(x)[0].data for x in inputs]
    new_losses = [half_squared_error([o], y).data for o, y in zip(new, targets)]
    report.check("new outputs o^3_1, as printed", _as_printed(new, outputs), outputs)
    report.check("new losses, as printed", _as_printed(new_losses, losses), losses)


def _as_printed(values: Sequence[Scalar], printed: Sequence[str]) -> list[str]:
    """Each value rounded to the decimals the article prints it with."""
    decimals = [len(p.partition(".")[2]) for p in printed]
    return [f"{float(round(Fraction(v), d)):.{d}f}" for v, d in zip(values, decimals)]


if __name__ == "__main__":
    sys.exit(0 if main(*sys.argv[1:2]) else 1)
