"""Neuron and Linear: the weights w^{k,j}_i, the forward pass, the inference path, errors."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
import sympy

from autograd import Value, no_grad, topological_order
from nn import MLP, Input1D, Linear, Neuron, ReLU, Sequential


def test_weight_j_i_connects_input_i_to_output_j() -> None:
    layer = Linear.from_weights([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], [0.5, -0.5])
    assert layer.weight[1][2].data == 6.0 and layer.bias is not None and layer.bias[1].data == -0.5
    assert (layer.in_features, layer.out_features) == (3, 2)
    assert [v.data for v in layer([1.0, 0.0, -1.0])] == [1 - 3 + 0.5, 4 - 6 - 0.5]


def test_weights_are_labelled_as_in_the_seed_from_1_with_the_layer_number() -> None:
    layer = Linear(3, 2, seed=0)
    assert layer.weight[1][2].label == "w^{k,2}_3"
    assert layer.bias is not None and layer.bias[1].label == "b^k_2"
    numbered = Linear.from_weights([[1.0, 2.0]], [0.0], k=2)
    assert [w.label for w in numbered.weight[0]] == ["w^{2,1}_1", "w^{2,1}_2"]
    assert numbered.bias is not None and numbered.bias[0].label == "b^2_1"
    neuron = Neuron(2, seed=0)
    assert [w.label for w in neuron.w] == ["w_1", "w_2"] and neuron.b is not None and neuron.b.label == "b"


def test_an_mlp_numbers_its_layers_as_the_series_the_input_l1_activations_included() -> None:
    model = MLP(2, [3, 1], seed=0)
    assert model[0].weight[2][1].label == "w^{2,3}_2" and model[2].weight[0][0].label == "w^{4,1}_1"
    assert [layer.k for layer in model] == [2, 3, 4] and model.k == 2


def test_a_sequential_numbers_its_layers_as_mlp_and_no_label_keeps_a_literal_k() -> None:
    """Sequential(Linear(2, 3), ReLU(), Linear(3, 1)) is labelled as MLP(2, [3, 1]): the data are o^1."""
    model = Sequential(Linear(2, 3, seed=0), ReLU(), Linear(3, 1, seed=0, k=7))
    mlp = MLP(2, [3, 1], seed=0)
    labels = [p.label for p in model.parameters()]
    assert labels == [p.label for p in mlp.parameters()]
    assert "w^{4,1}_3" in labels and "b^2_3" in labels
    assert not any("k" in label for label in labels)
    with_input = Sequential(Input1D(2), Linear(2, 1, seed=0), Sequential(ReLU(), Linear(1, 1, seed=0)))
    labels = [p.label for p in with_input.parameters()]
    assert labels == ["w^{2,1}_1", "w^{2,1}_2", "b^2_1", "w^{4,1}_1", "b^4_1"]


def test_micrograds_lecture_loop_runs_unchanged_on_an_mlp_made_with_micrograd_true() -> None:
    """The lecture's MLP(3, [4, 4, 1]): tanh after every layer, n(x) a Value, the squared errors summed."""
    n = MLP(3, [4, 4, 1], micrograd=True, seed=1)
    assert [type(layer).__name__ for layer in n] == ["Linear", "Tanh", "Linear", "Tanh", "Linear", "Tanh"]
    xs = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
    ys = [1.0, -1.0, -1.0, 1.0]
    losses = []
    for _ in range(20):
        ypred = [n(x) for x in xs]
        loss = sum((yout - ygt) ** 2 for ygt, yout in zip(ys, ypred))
        for p in n.parameters():
            p.grad = 0.0
        loss.backward()
        for p in n.parameters():
            p.data += -0.1 * p.grad
        losses.append(loss.data)
    assert isinstance(ypred[0], Value) and losses[-1] < losses[0] / 10
    assert [v.data for v in n(xs)] == [n(x).data for x in xs]  # a batch: one Value per row
    assert isinstance(MLP(3, [4, 2], micrograd=True, seed=1)([1.0, 2.0, 3.0]), list)  # two outputs: a list
    assert isinstance(MLP(3, [4, 1], micrograd=True, activation=ReLU)[1], ReLU)
    assert isinstance(MLP(3, [4, 1])[-1], Linear)  # the default: ReLU hidden layers, a linear output
    with pytest.raises(TypeError, match="micrograd is True or False"):
        MLP(3, [1], micrograd="yes")  # type: ignore[arg-type]


def test_a_model_called_on_one_number_says_it_takes_a_list() -> None:
    with pytest.raises(TypeError, match=r"Linear takes a list of 1 input .*not a float: pass \[0.5\]"):
        MLP(1, [4, 1], seed=0)(0.5)
    with pytest.raises(TypeError, match=r"ReLU takes a list of inputs"):
        ReLU()(2.0)


@pytest.mark.parametrize("n_in", [1, 4, 16])
def test_initialisation_is_seeded_uniform_and_biases_are_zero(n_in: int) -> None:
    layer = Linear(n_in, 50, seed=7)
    bound = 1 / math.sqrt(n_in)
    values = [w.data for row in layer.weight for w in row]
    assert all(-bound <= v <= bound for v in values) and max(values) > bound / 2 and min(values) < -bound / 2
    assert layer.bias is not None and all(b.data == 0.0 for b in layer.bias)
    assert Linear(n_in, 50, seed=7).state_dict() == layer.state_dict()
    assert Linear(n_in, 50, seed=8).state_dict() != layer.state_dict()


def test_without_bias() -> None:
    layer = Linear(2, 3, bias=False, seed=0)
    assert layer.bias is None
    assert [name for name, _ in layer.named_parameters()][-1] == "weight.2.1"
    assert Linear.from_weights([[1.0, 2.0]]).bias is None


def test_from_weights_keeps_fractions_and_symbols() -> None:
    exact = Linear.from_weights([[Fraction(1, 3), Fraction(2, 3)]], [Fraction(1, 6)])
    out = exact([Fraction(3), Fraction(3)])
    assert out[0].data == Fraction(19, 6)
    w, x = sympy.symbols("w x")
    assert Linear.from_weights([[w]])([x])[0].data == w * x


@pytest.mark.parametrize(
    ("weights", "biases", "message"),
    [
        ([], None, "at least one neuron"),
        ([[]], None, "at least one neuron"),
        ([[1.0, 2.0], [3.0]], None, "row 0 has 2 weights, row 1 has 1"),
        ([[1.0], [2.0]], [0.0], "2 rows of weights but 1 biases"),
    ],
)
def test_from_weights_refuses_bad_shapes(weights: list, biases: list | None, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Linear.from_weights(weights, biases)


@pytest.mark.parametrize(("n_in", "n_out"), [(0, 1), (1, 0), (-1, 2), (2.0, 1), (True, 1)])
def test_sizes_must_be_positive_ints(n_in: object, n_out: object) -> None:
    with pytest.raises(ValueError, match="must be a positive int"):
        Linear(n_in, n_out)  # type: ignore[arg-type]


def test_an_input_of_the_wrong_length_names_both_lengths() -> None:
    with pytest.raises(ValueError, match="Linear expects 3 inputs, got 2"):
        Linear(3, 1)([1.0, 2.0])
    with pytest.raises(ValueError, match="Neuron expects 2 inputs, got 3"):
        Neuron(2)([1.0, 2.0, 3.0])
    with no_grad(), pytest.raises(ValueError, match="Linear expects 3 inputs, got 1"):
        Linear(3, 1)([1.0])
    with pytest.raises(TypeError, match="not a single Value"):
        Linear(1, 1)(Value(1.0))


def test_numbers_are_wrapped_and_values_are_kept() -> None:
    layer = Linear.from_weights([[2.0, 3.0]])
    x = Value(1.0)
    out = layer([x, 4])
    assert len(out) == 1 and isinstance(out[0], Value) and out[0].data == 14.0
    out[0].backward()
    assert x.grad == 2.0


def test_the_forward_pass_builds_no_needless_node() -> None:
    layer = Linear(4, 1, seed=0)
    x = [Value(1.0) for _ in range(4)]
    nodes = topological_order(layer(x)[0])
    interior = [node for node in nodes if node.parents]
    assert len(interior) == 4 + 1  # 4 products, then one sum node with the bias as its last term
    assert {node.op for node in interior} == {"*", "sum"}
    assert interior[-1].parents[-1] is layer.bias[0] and interior[-1].local_grads == (1,) * 5


def test_a_neuron_is_the_weighted_sum() -> None:
    neuron = Neuron(3, seed=1)
    neuron.w[0].data, neuron.w[1].data, neuron.w[2].data = 1.0, -2.0, 0.5
    assert neuron.b is not None
    neuron.b.data = 0.25
    assert neuron([2.0, 1.0, 4.0]).data == 2 - 2 + 2 + 0.25
    assert [name for name, _ in neuron.named_parameters()] == ["w.0", "w.1", "w.2", "b"]
    assert Neuron(2, bias=False).b is None


def test_inference_under_no_grad_gives_the_same_outputs_without_a_graph() -> None:
    for layer, x in [
        (Linear(3, 2, seed=0), [0.5, Value(-1.0), 2]),
        (Linear.from_weights([[Fraction(1, 3)]], [Fraction(1, 2)]), [Fraction(3)]),
        (Linear.from_weights([[Fraction(1, 3)]]), [3]),  # an int input becomes a float on both paths
        (Linear.from_weights([[0.5, 0.25]]), [1.0, 2.0]),
    ]:
        recorded = [v.data for v in layer(x)]
        with no_grad():
            inferred = layer(x)
            assert Neuron(1, seed=0)([2.0]).is_leaf()
        assert [v.data for v in inferred] == recorded
        assert [type(v.data) for v in inferred] == [type(v) for v in recorded]
        assert all(v.is_leaf() for v in inferred)
    assert inferred[0].data == 1.0 and type(recorded[0]) is float
