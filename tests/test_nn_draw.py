"""nn.draw: the neural structure of a Linear layer or a model, as DOT source and as SVG."""

from __future__ import annotations

import re
from fractions import Fraction

import pytest

from autograd import Value
from autograd.draw import COLUMN_INCHES, save_svg
from nn import MLP, Activation, Linear, Module, ReLU, Sequential, half_squared_error
from nn.data import seed_example
from nn.draw import FADED, FLOW, WEIGHTS, draw


def edges(source: str) -> list[str]:
    return [line.strip() for line in source.splitlines() if "->" in line and "invis" not in line]


def label_of(source: str, node: str) -> str:
    return re.search(rf"\t{node} \[label=<(.*)> ", source).group(1)


@pytest.fixture
def layer() -> Linear:
    return Linear.from_weights([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]], [0.0, 0.1])


def test_a_linear_layer_has_one_edge_per_weight_and_per_bias(layer) -> None:
    source = draw(layer).source
    weights = [e for e in edges(source) if e.startswith("c0n")]
    assert len(weights) == 6
    assert len([e for e in edges(source) if e.startswith("c0bias")]) == 2
    # w^{k,2}_3 = weight[1][2] = -0.75, from input neuron 3 to output neuron 2
    w23 = next(e for e in weights if e.startswith("c0n2 -> c1n1"))
    assert "wᵏʼ²₃ = -0.75" in w23
    assert "δw" not in source  # no input seen: the structure alone
    assert "oᵏ⁻¹₁" in label_of(source, "c0n0")
    assert "oᵏ₂" in label_of(source, "c1n1")
    assert "neurons and weights numbered from 1" in source
    assert "Lᵏ = Linear(in_features=3" in source


def test_after_backward_each_neuron_shows_o_and_delta_and_each_weight_delta_w(layer) -> None:
    x = [Value(1.0), Value(2.0), Value(3.0)]
    o = layer(x)
    (o[0] * 2 + o[1] * -1).backward()  # δ^{k+1} = (2, -1)
    source = draw(layer, [x, o], k=2).source
    assert "= 4.5" in label_of(source, "c1n0") and "δ" in label_of(source, "c1n0")
    first_input = label_of(source, "c0n0")
    assert "o¹₁ = 1" in first_input and "δ²₁ = -0.5" in first_input  # δ^2_1 = 2·0.5 - 1·1.5
    w13 = next(e for e in edges(source) if e.startswith("c0n2 -> c1n0"))
    assert "w²ʼ¹₃ = 2" in w13 and "δw = 6" in w13  # δw^{2,1}_3 = δ^3_1 · o^1_3
    bias2 = next(e for e in edges(source) if e.startswith("c0bias -> c1n1"))
    assert "δw = -1" in bias2 and "dashed" in bias2
    assert FLOW in source


def test_the_examples_l2_after_backward_shows_the_articles_numbers() -> None:
    example = seed_example()
    model = example.model()
    flow = [example.inputs[2]]
    for layer in model:
        flow.append(layer(flow[-1]))
    half_squared_error(flow[-1], example.targets[2]).backward()
    source = draw(model[1], flow[1:3], k=2).source
    assert "= -1/200" in label_of(source, "c0n0")  # δ^2_1 = δ^3 · w^2_1
    assert "= 3000" in label_of(source, "c0n2") and "= -1/5800" in label_of(source, "c0n2")
    assert "= -1" in label_of(source, "c1n0")  # δ^3
    assert [e.count("δw = -3000") for e in edges(source) if e.startswith("c0n2")] == [1]
    whole = draw(model, flow).source  # L1 Input1D, L2 Linear, L3 ReLU, layer by layer
    assert len([e for e in edges(whole) if "xlabel=Input1D" in e]) == 3
    assert len([e for e in edges(whole) if "xlabel=ReLU" in e]) == 1
    assert "L1 = Input1D(n=3)\\lL2 = Linear" in whole
    assert "X¹₂ = 2000" in label_of(whole, "c0n1") and "δ" not in label_of(whole, "c0n1")  # plain data
    assert "o¹₂ = 2000" in label_of(whole, "c1n1") and "o³₁ = 0" in label_of(whole, "c3n0")  # o1, o3


def test_a_model_without_its_flow_is_drawn_from_its_sizes() -> None:
    source = draw(Sequential(ReLU(), MLP(2, [4, 1], seed=0)[0])).source
    assert {f"c{c}n{i}" for c in range(3) for i in range(4)} - set(re.findall(r"c\dn\d", source)) == {
        "c0n2",
        "c0n3",
        "c1n2",
        "c1n3",
    }
    plain = draw(MLP(2, [4, 1], seed=0), show_weights=False).source
    assert "w²" not in plain and len([e for e in edges(plain) if "->" in e]) == 8 + 4 + 4 + 1 + 4
    labelled = draw(MLP(2, [4, 1], seed=0)).source  # the data are o^1, the Linear layers L2 and L4
    assert "w²ʼ⁴₂" in labelled and "w⁴ʼ¹₄" in labelled and "o¹₂" in labelled and "o⁴₁" in labelled
    assert "L2 = Linear" in labelled and "L4 = Linear" in labelled
    assert f'color="{WEIGHTS[0]}{FADED}"' in plain  # unlabelled edges are faded


def test_bad_inputs_are_clear_errors(layer) -> None:
    class Custom(Module):
        pass

    with pytest.raises(TypeError, match="got Custom"):
        draw(Custom())
    with pytest.raises(ValueError, match="66 weights, more than max_weights=50"):
        draw(Linear(11, 6), max_weights=50)
    with pytest.raises(ValueError, match="flow must hold 2 lists"):
        draw(layer, [[1.0, 2.0, 3.0]])
    with pytest.raises(ValueError, match="takes 3 and gives 2 neurons, but the flow has 3 then 1"):
        draw(layer, [[1.0, 2.0, 3.0], [Value(0.0)]])
    with pytest.raises(ValueError, match="unknown without a Linear layer"):
        draw(Sequential(ReLU()))
    with pytest.raises(ValueError, match="rankdir"):
        draw(layer, rankdir="up")
    assert draw(Sequential(ReLU()), [[Fraction(1)], [Fraction(1)]]).source


def test_the_structure_renders_to_svg(tmp_path, layer) -> None:
    svg = save_svg(draw(layer, k=3), tmp_path / "layer.svg").read_text(encoding="utf-8")
    assert "<svg" in svg and "w³ʼ²₃ = &#45;0.75" in svg


def test_weights_and_biases_read_w_k_j_i_and_b_k_j_with_a_layer_s_own_number() -> None:
    source = draw(Linear.from_weights([[0.5, 1.0]], [0.0], k=2)).source
    w12 = next(e for e in edges(source) if e.startswith("c0n1 -> c1n0"))
    assert "w²ʼ¹₂ = 1" in w12
    bias = next(e for e in edges(source) if e.startswith("c0bias"))
    assert "b²₁ = 0" in bias
    assert "W" not in source and "B²" not in source


class Scaled(Activation):
    """A user's activation whose extra_repr spans lines and holds a backslash."""

    def activate(self, x: Value) -> Value:
        return x * 2

    def extra_repr(self) -> str:
        return "scale=2,\n  note=c\\d"


def test_the_caption_puts_each_layer_on_one_line_as_typed(tmp_path) -> None:
    model = Sequential(Linear(2, 2, seed=0), Scaled())
    source = draw(model).source
    linear = "L2 = Linear(in_features=2, out_features=2, bias=True)"
    assert f"{linear}\\lL3 = Scaled(scale=2, note=c\\\\d)\\l" in source
    svg = save_svg(draw(model), tmp_path / "model.svg").read_text(encoding="utf-8")
    assert "L3 = Scaled(scale=2, note=c\\d)" in svg


def test_a_model_fits_a_notebook_column() -> None:
    svg = draw(MLP(2, [8, 8, 1], seed=0), show_weights=False).pipe(format="svg", encoding="utf-8")
    width = float(re.search(r'<svg width="([0-9.]+)pt"', svg).group(1))
    assert width <= COLUMN_INCHES * 72
    assert 'transform="scale(1 1)' in svg  # laid out to fit, not shrunk
