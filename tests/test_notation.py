"""autograd.notation: one typeset form of the series' labels in every picture and page; no literal k in a
model's labels; nn (and the Explorer) use only public names of the engine."""

from __future__ import annotations

import ast
import importlib
import re
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
import torch

from autograd import Value, draw, explain, record_groups, typeset
from autograd.draw import save_svg
from autograd.explore import walkthrough
from autograd.notation import latex_text, number
from nn import (
    MLP,
    BatchNorm1D,
    BatchNorm2D,
    Conv2D,
    Flatten,
    Input1D,
    Input2D,
    Linear,
    MaxPool2D,
    Module,
    ReLU,
    Sequential,
    Tanh,
    from_torch,
    half_squared_error,
    to_torch,
)
from nn import draw as draw_structure

ROOT = Path(__file__).resolve().parent.parent
RAW = ("^{", "_{")


@pytest.mark.parametrize(
    ("label", "shown"),
    [
        ("w^{2,1}_3", "w²ʼ¹₃"),
        ("b^2_1", "b²₁"),
        ("b^k_1", "bᵏ₁"),
        ("o^{k-1}_2", "oᵏ⁻¹₂"),
        ("ker^{2,1,3}_{0,2}", "ker²ʼ¹ʼ³₀,₂"),
        ("ch^{1,2}_{3,4}", "ch¹ʼ²₃,₄"),
        ("γ_{3,1}", "γ₃,₁"),
        ("y^{truth}", "yᵗʳᵘᵗʰ"),
        ("w_12", "w₁₂"),
        ("x_{bq}", "x_(bq)"),  # no subscript b or q in Unicode: kept readable, no raw _{
        ("loss", "loss"),
        ("a + b", "a + b"),
        ("<img src=x>", "<img src=x>"),  # text, never markup: each picture escapes it as text
    ],
)
def test_a_label_is_typeset_as_the_series_prints_it(label: str, shown: str) -> None:
    assert typeset(label) == shown


def test_numbers_print_as_a_learner_reads_them_and_latex_shows_text_as_typed() -> None:
    assert [number(x) for x in (Fraction(15, 29), 0.5172413793103449, 2.0, 1e-7)] == [
        "15/29",
        "0.5172",
        "2",
        "1e-07",
    ]
    assert latex_text("w²ʼ¹₃·x_1 $50 {a}") == r"w²ʼ¹₃ \cdot x\_1 \$50 \{a\}"


def models() -> list[tuple[str, Module, Any]]:
    """A model of each kind, with an input it takes."""
    image = [[[0.5, -1.0, 2.0], [1.0, 0.0, -0.5], [0.25, 1.5, -2.0]]]
    return [
        ("MLP", MLP(2, [3, 1], seed=0), [0.5, -1.0]),
        ("Sequential", Sequential(Linear(2, 3, seed=1), ReLU(), Linear(3, 1, seed=2)), [0.5, -1.0]),
        ("Input1D", Sequential(Input1D(2), Linear(2, 2, seed=3), Tanh()), [0.5, -1.0]),
        (
            "conv",
            Sequential(Input2D(1), Conv2D(1, 2, 2, seed=4), MaxPool2D(2), Flatten(), Linear(2, 1, seed=5)),
            image,
        ),
        ("BatchNorm1D", Sequential(Linear(2, 2, seed=6), BatchNorm1D(2), ReLU()), [[0.5, -1.0], [1.0, 2.0]]),
        ("BatchNorm2D", Sequential(Conv2D(1, 2, 2, seed=7), BatchNorm2D(2)), [image, image[::-1]]),
    ]


def index_groups(label: str) -> list[str]:
    """The super- and subscripts of a label written as the series writes it (w^{2,1}_3 -> ['2,1', '3'])."""
    return [braced or run for braced, run in re.findall(r"[\^_](?:\{([^{}]*)\}|([^\W_]+))", label)]


@pytest.mark.parametrize(("name", "model", "x"), models(), ids=[name for name, _, _ in models()])
def test_every_models_labels_number_its_layers_no_literal_k(name: str, model: Module, x: Any) -> None:
    """Sequential numbers its layers as MLP (the input is L^1), from_torch too: no `k` left in a label."""
    labels = [p.label or "" for p in model.parameters()]
    assert labels and all(index_groups(label) for label in labels)
    assert not [label for label in labels if any("k" in group for group in index_groups(label))]
    if name in ("MLP", "Sequential", "conv"):
        back = from_torch(to_torch(model))
        assert [p.label for p in back.parameters()] == labels
    assert (
        from_torch(torch.nn.Sequential(torch.nn.Linear(2, 9), torch.nn.ReLU(), torch.nn.Linear(9, 1)))[2]
        .weight[0][8]
        .label
        == "w^{4,1}_9"
    )


@pytest.mark.parametrize(("name", "model", "x"), models(), ids=[name for name, _, _ in models()])
def test_no_picture_or_page_shows_a_raw_index(name: str, model: Module, x: Any, tmp_path: Path) -> None:
    """draw, collapsed draw, nn.draw, the Explorer and explain show labels typeset: never ^{ or _{."""
    with record_groups() as groups:
        out = model(x)
    leaves = out if name.startswith("BatchNorm") else [out]
    flat = [v for row in leaves for v in _flatten(row)]
    loss = half_squared_error(flat, [1.0] * len(flat))
    loss.label = "loss"
    loss.backward()
    weight = model.parameters()[0]
    texts = [
        save_svg(draw(loss, highlight=weight, max_nodes=2000), tmp_path / "graph.svg").read_text("utf-8"),
        save_svg(draw(loss, groups=groups, collapse=True), tmp_path / "collapsed.svg").read_text("utf-8"),
        str(explain(loss, weight)),
        explain(loss, weight)._repr_latex_(),
    ]
    state = walkthrough(loss, weight)
    texts += [state["svg"], state["paths"]]
    texts += [node[key] for node in state["nodes"] for key in ("name", "forward", "backward")]
    first = model.layers[1] if isinstance(model.layers[0], Input1D | Input2D) else model.layers[0]
    if isinstance(first, Linear | Conv2D):
        texts.append(save_svg(draw_structure(first), tmp_path / "layer.svg").read_text("utf-8"))
    if name in ("MLP", "Sequential"):
        texts.append(save_svg(draw_structure(model), tmp_path / "model.svg").read_text("utf-8"))
    shown = [text for text in texts if any(raw in text for raw in RAW)]
    assert not shown, shown[0][:300]
    assert any(typeset(weight.label or "") in text for text in texts)


def _flatten(x: Any) -> list[Value]:
    """The Values of nested lists, in order."""
    return [v for item in x for v in _flatten(item)] if isinstance(x, list) else [x]


def test_nn_and_the_explorer_use_only_public_names_of_the_engine() -> None:
    """nn imports from autograd.X only names in X.__all__; the Explorer imports nothing private."""
    private = []
    for path in [*sorted((ROOT / "nn").glob("*.py")), *sorted((ROOT / "autograd" / "explore").glob("*.py"))]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.ImportFrom) and (node.module or "").startswith("autograd")):
                continue
            if path.parent.name == "explore":
                private += [f"{path.name}: {a.name}" for a in node.names if a.name.startswith("_")]
                continue
            public = set(getattr(importlib.import_module(node.module or ""), "__all__", ()))
            if node.module == "autograd":
                public.add("sum")  # public, but not in __all__ so that `import *` keeps Python's sum
            private += [f"{path.name}: {node.module}.{a.name}" for a in node.names if a.name not in public]
    assert not private
