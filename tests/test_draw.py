"""autograd.draw: the DOT source of a Value graph (records, local derivatives, colours, paths) and its SVG."""

from __future__ import annotations

import html
import math
import re
from fractions import Fraction

import graphviz
import pytest
import sympy

from autograd import Value, draw, impacts
from autograd.draw import (
    COLUMN_INCHES,
    IMPACT,
    LEAF,
    OUTPUT,
    PARAMETER,
    GraphvizNotFound,
    Picture,
    save_svg,
)
from autograd.notation import number


def lines_with(source: str, text: str) -> list[str]:
    return [line for line in source.splitlines() if text in line]


def red_edges(source: str) -> list[str]:
    return [line.strip() for line in source.splitlines() if "->" in line and IMPACT in line]


@pytest.fixture
def neuron() -> tuple[Value, Value, Value, Value, Value]:
    """o = w·x + b, loss = 1/2 (o - 1)², backward done."""
    x, w, b = Value(2.0, "x"), Value(-3.0, "w"), Value(1.0, "b")
    o = w * x + b
    o.label = "o"
    loss = (o - 1.0) * (o - 1.0) * 0.5
    loss.label = "loss"
    loss.backward()
    return x, w, b, o, loss


def test_each_value_is_a_record_of_label_data_and_grad(neuron) -> None:
    *_, loss = neuron
    source = draw(loss, rankdir="LR").source
    assert lines_with(source, 'label="x | data 2 | grad 18"')
    assert lines_with(source, 'label="w | data -3 | grad -12"')
    assert lines_with(source, 'label="o | data -5 | grad -6"')
    assert lines_with(source, 'label="loss | data 18 | grad 1"')
    assert all("shape=record" in line for line in lines_with(source, "| data "))


def test_each_op_is_a_node_and_each_edge_carries_the_local_derivative() -> None:
    x, y = Value(Fraction(3, 4), "x"), Value(Fraction(-5, 2), "y")
    z = x * y
    source = draw(z).source
    assert re.search(r'v2op \[label="\*"', source)
    assert "v2op -> v2" in source
    # ∂z/∂x = y and ∂z/∂y = x, on the edges parent -> op
    assert re.search(r"v\d -> v2op \[label=\"-5/2\"\]", source)
    assert re.search(r"v\d -> v2op \[label=\"3/4\"\]", source)
    assert not re.search(r"-> v2op \[label=\"[^\"]", draw(z, show_local=False).source)


def test_numbers_print_as_a_learner_reads_them() -> None:
    assert number(Fraction(3, 4)) == "3/4"
    assert number(Fraction(4)) == "4"
    assert number(math.pi) == "3.142"
    assert number(1e-7) == "1e-07"
    assert number(123456.0) == "1.235e+05"
    s = sympy.Symbol("s")
    assert number(s**2 + 1) == "s**2 + 1"
    source = draw(Value(s) * Value(Fraction(1, 3))).source
    assert "data s/3" in source and "data 1/3" in source


def test_leaves_parameters_and_output_are_told_apart_by_colour(neuron) -> None:
    _, w, b, _, loss = neuron
    source = draw(loss, params=[w, b], rankdir="LR").source
    assert f'fillcolor="{PARAMETER}"' in lines_with(source, 'label="w |')[0]
    assert f'fillcolor="{PARAMETER}"' in lines_with(source, 'label="b |')[0]
    assert f'fillcolor="{LEAF}"' in lines_with(source, 'label="x |')[0]
    assert f'fillcolor="{OUTPUT}"' in lines_with(source, 'label="loss |')[0]
    assert "fillcolor=white" in lines_with(source, 'label="o |')[0]
    assert "amber: parameter" in source
    no_params = draw(loss, rankdir="LR").source
    assert f'fillcolor="{LEAF}"' in lines_with(no_params, 'label="w |')[0]  # no params: a leaf


def test_highlight_a_value_colours_every_path_of_impacts(neuron) -> None:
    _, w, b, _, loss = neuron
    source = draw(loss, highlight=w, rankdir="LR").source
    ids = {label: re.search(rf'(v\d+) \[label="{label} \|', source).group(1) for label in "xwbo"}
    red = red_edges(source)
    assert any(line.startswith(f"{ids['w']} -> ") for line in red)
    assert not any(line.startswith(f"{ids['x']} -> ") or line.startswith(f"{ids['b']} -> ") for line in red)
    assert len(impacts(loss, w)) == 2  # (o - 1) * (o - 1): two paths through the square
    assert "the 2 paths of impacts of w; their products sum to its grad -12" in source
    assert IMPACT in lines_with(source, 'label="w |')[0]
    assert IMPACT not in lines_with(source, 'label="x |')[0]
    # w's paths are b's paths and two more edges: w -> *, * -> w·x
    assert len(red) == len(red_edges(draw(loss, highlight=b).source)) + 2


def test_highlight_a_path_colours_that_path_alone() -> None:
    x = Value(Fraction(3, 4), "x")
    y = x * x + x
    y.label = "y"
    y.backward()
    short = next(path for path in impacts(y, x) if len(path.nodes) == 2)  # x -> y through +
    source = draw(y, highlight=short).source
    assert set(red_edges(source)) == {
        'v0 -> v2op [label=1 color="#dc2626" fontcolor="#dc2626" penwidth=2.5]',
        'v2op -> v2 [color="#dc2626" fontcolor="#dc2626" penwidth=2.5]',
    }
    assert "one path of impacts of x, product 1" in source
    every = red_edges(draw(y, highlight=x).source)
    assert len(every) == 6  # x -> * twice, * -> x², x² -> +, x -> +, + -> y


def test_highlight_errors_are_clear(neuron) -> None:
    *_, loss = neuron
    stranger = Value(1.0, "stranger")
    with pytest.raises(ValueError, match="not in the graph"):
        draw(loss, highlight=stranger)
    other = stranger * 2
    with pytest.raises(ValueError, match="does not end at the output"):
        draw(loss, highlight=impacts(other, stranger)[0])
    with pytest.raises(TypeError, match="Value or a Path"):
        draw(loss, highlight="w")


def test_rankdir_lays_the_records_out(neuron) -> None:
    x, *_, loss = neuron
    assert "rankdir=LR" in draw(x * 2).source  # shallow: left to right
    assert "rankdir=TB" in draw(loss).source  # deep: top to bottom, to fit a column
    assert "rankdir=LR" in draw(loss, rankdir="LR").source
    top_down = draw(loss, rankdir="TB").source
    assert "rankdir=TB" in top_down and 'label="{loss | data 18 | grad 1}"' in top_down
    with pytest.raises(ValueError, match="rankdir must be one of LR, RL, TB, BT"):
        draw(loss, rankdir="sideways")


def test_record_characters_in_labels_are_escaped() -> None:
    v = Value(1.0, "a|b {c} <d>")
    assert r'label="a\|b \{c\} \<d\> | data 1 | grad 0"' in draw(v).source


def test_a_graph_over_the_size_limit_is_refused_with_a_way_out() -> None:
    x = Value(1.0, "x")
    out = x
    for _ in range(400):
        out = out * 1.0
    with pytest.raises(
        ValueError, match=r"401 Values, more than max_nodes=300.*intermediate node.*max_nodes"
    ):
        draw(out)
    assert isinstance(draw(out, max_nodes=401), graphviz.Digraph)


def test_a_picture_is_a_digraph_that_renders_to_svg(tmp_path, neuron) -> None:
    *_, loss = neuron
    picture = draw(loss, highlight=neuron[1])
    assert isinstance(picture, graphviz.Digraph) and isinstance(picture, Picture)
    path = save_svg(picture, tmp_path / "deep" / "loss.svg")
    svg = path.read_text(encoding="utf-8")
    assert svg.startswith("<?xml") and "<svg" in svg and "grad &#45;12" in svg and IMPACT in svg
    assert "<svg" in picture._repr_mimebundle_()["image/svg+xml"]  # Jupyter's inline display


def test_missing_graphviz_says_how_to_install_it(tmp_path, monkeypatch, neuron) -> None:
    *_, loss = neuron
    monkeypatch.setenv("PATH", str(tmp_path))  # no `dot` on the PATH
    picture = draw(loss)
    for render in (
        lambda: save_svg(picture, tmp_path / "x.svg"),
        lambda: picture._repr_mimebundle_(),
        lambda: picture.render(tmp_path / "x", format="svg"),
        lambda: save_svg(graphviz.Digraph(), tmp_path / "y.svg"),
    ):
        with pytest.raises(GraphvizNotFound) as error:
            render()
        message = str(error.value)
        assert "apt-get install graphviz" in message and "brew install graphviz" in message
        assert "conda install" in message
        assert error.value.__cause__ is None and error.value.__suppress_context__


@pytest.mark.parametrize(
    "label", ['a"b', "c\\d", "x<y>z", "nul\x00end", "{r|s}", 'a\\"b', "trail\\", "tab\there"]
)
def test_any_label_draws_and_shows_as_typed(label: str) -> None:
    svg = draw(Value(1.0, label) * 2).pipe(format="svg", encoding="utf-8")
    texts = [html.unescape(text) for text in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]
    assert label.replace("\x00", "␀").replace("\t", "␉") in texts


def test_a_long_label_wraps() -> None:
    source = draw(Value(1.0, "a label much longer than a node should be wide")).source
    assert r"a label much longer than a \nnode should be wide" in source


def deep_graph() -> Value:
    """The Example's row 3 after backward: ten Values deep."""
    x = [Value(0.0, "o^1_1"), Value(2000.0, "o^1_2"), Value(3000.0, "o^1_3")]
    w = [Value(1 / 200, "w^{2,1}_1"), Value(-3 / 11600, "w^{2,1}_2"), Value(1 / 5800, "w^{2,1}_3")]
    o = (x[0] * w[0] + x[1] * w[1] + x[2] * w[2]).relu()
    loss = 0.5 * (o - 1.0) * (o - 1.0)
    loss.backward()
    return loss


def test_a_deep_graph_fits_a_notebook_column_without_shrinking() -> None:
    svg = draw(deep_graph()).pipe(format="svg", encoding="utf-8")
    width = float(re.search(r'<svg width="([0-9.]+)pt"', svg).group(1))
    assert width <= COLUMN_INCHES * 72
    assert 'transform="scale(1 1)' in svg


def test_a_picture_carries_a_png_beside_its_svg_for_untrusted_notebooks() -> None:
    bundle = draw(deep_graph())._repr_mimebundle_()
    assert set(bundle) == {"image/svg+xml", "image/png"}
    assert bundle["image/svg+xml"].startswith("<?xml") and bundle["image/png"].startswith(b"\x89PNG")
    assert set(draw(deep_graph())._repr_mimebundle_(include=["image/png"])) == {"image/png"}
