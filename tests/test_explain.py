"""autograd.explain: ∂out/∂wrt as the sum of its paths' products, in text and in LaTeX."""

from __future__ import annotations

from fractions import Fraction

import pytest
import sympy

from autograd import Value, explain, grad
from nn.data import seed_example
from nn.loss import half_squared_error


def test_one_path_reads_as_the_chain_rule_with_the_numbers_filled_in() -> None:
    x, w, b = Value(2.0, "x"), Value(3.0, "w"), Value(1.0, "b")
    o = w * x + b
    o.label = "o"
    loss = 0.5 * (o - 1.0) ** 2
    loss.label = "loss"
    assert str(explain(loss, w)).splitlines() == [
        "∂loss/∂w = x · 2·(o - 1) · 0.5",
        "         = 2 · 12 · 0.5",
        "         = 12",
    ]
    assert w.grad == 0 and loss.grad == 0  # nothing changed


def test_repeated_paths_are_collapsed_into_one_term_with_a_count() -> None:
    x = Value(Fraction(3), "x")
    y = x * x
    y.label = "y"
    e = explain(y, x)
    assert [t.count for t in e.terms] == [2] and e.total == grad(y, [x])[0] == 6
    assert str(e).splitlines()[0] == "∂y/∂x = 2 · x"


def test_distinct_paths_are_summed() -> None:
    a, b = Value(2.0, "a"), Value(5.0, "b")
    c = a * b
    c.label = "c"
    out = c + a
    out.label = "out"
    lines = str(explain(out, a)).splitlines()
    assert lines[0] in ("∂out/∂a = b + 1", "∂out/∂a = 1 + b")
    assert lines[-1].endswith("= 6")


def test_latex_for_jupyter() -> None:
    x, w = Value(2.0, "x"), Value(3.0, "w")
    y = w * x
    y.label = "y"
    latex = explain(y, w)._repr_latex_()
    assert latex.startswith("$$\\begin{aligned}\\frac{\\partial\\, y}{\\partial\\, w}")
    assert "&= x" in latex and latex.endswith("\\end{aligned}$$")


def test_the_examples_weights_read_as_the_boxed_formula() -> None:
    """δw²ʼ¹₃ = o¹₃ · δ³ with δ³ = relu'(o²₁) · δ⁴ and δ⁴ = o³₁ - y (twice ½ from the square); every name
    typeset as the series prints it, no raw ^{ or _{."""
    example = seed_example()
    model = example.model()
    x, y = example.inputs[2], example.targets[2]
    o1 = model[0](x)
    for i, v in enumerate(o1, start=1):
        v.label = f"o^1_{i}"
    (o2,) = model[1](o1)
    o2.label = "o^2_1"
    (o3,) = model[2]([o2])
    o3.label = "o^3_1"
    loss = half_squared_error([o3], y)
    loss.label = "loss"
    w = model[1].weight[0][2]
    e = explain(loss, w)
    assert e.total == grad(loss, [w])[0] == -3000
    assert str(e).splitlines() == [
        "∂loss/∂w²ʼ¹₃ = 2 · o¹₃ · relu'(o²₁) · (o³₁ - 1) · 1/2",
        "             = 2 · 3000 · 1 · (-1) · 1/2",
        "             = -3000",
    ]


def test_no_path_is_a_zero_and_bad_inputs_are_named() -> None:
    x, stranger = Value(1.0, "x"), Value(2.0, "s")
    out = x * 3.0
    out.label = "out"
    assert str(explain(out, stranger)).splitlines()[0] == "∂out/∂s = 0  (no path of impacts)"
    with pytest.raises(TypeError, match="two Values, not str"):
        explain(out, "x")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="not float"):
        explain(1.0, x)  # type: ignore[arg-type]


def test_symbolic_data_reads_back_its_constants_simplified() -> None:
    a, b = Value(sympy.Symbol("a"), "a"), Value(Fraction(2), "b")
    y = (a * b + 1) ** 2
    y.label = "y"
    lines = str(explain(y, a)).splitlines()
    assert lines[0] == "∂y/∂a = b · 2·(a·b + 1)"
    assert lines[1].endswith("= 2 · (4*a + 2)") and lines[2].endswith("= 8*a + 4")
