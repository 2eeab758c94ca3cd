"""to_torch / from_torch: the mapping of every layer, round trips, what never changes, every error."""

from __future__ import annotations

import sys
from fractions import Fraction

import pytest
import sympy
from hypothesis import given
from hypothesis import strategies as st
from nn_strategies import batches, conv_models, models

from autograd import Value
from nn import (
    MLP,
    BatchNorm1D,
    BatchNorm2D,
    Conv2D,
    Flatten,
    Input1D,
    Input2D,
    LeakyReLU,
    Linear,
    MaxPool2D,
    Module,
    ReLU,
    Sequential,
    Sigmoid,
    Softmax,
    Tanh,
    from_torch,
    to_torch,
)
from nn.bridge import TWINS

torch = pytest.importorskip(
    "torch", reason="PyTorch is not installed: pip install 'impactgrad[torch]' (make test installs it)"
)


def tensor(data: object) -> torch.Tensor:
    return torch.tensor(data, dtype=torch.float64)


def test_linear_weight_j_i_is_weight_j_i() -> None:
    layer = Linear.from_weights([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], [0.5, -0.5])
    twin = to_torch(layer)
    assert type(twin) is torch.nn.Linear and (twin.in_features, twin.out_features) == (3, 2)
    assert twin.weight.dtype == torch.float64 and twin.weight[1, 2].item() == 6.0
    assert twin.bias.tolist() == [0.5, -0.5]
    assert to_torch(Linear(3, 2, bias=False, seed=0)).bias is None


def test_sequential_keeps_indices_and_parameter_order() -> None:
    model = Sequential(Input1D(3), Linear(3, 2, seed=0), ReLU(), Linear(2, 1, bias=False, seed=1))
    twin = to_torch(model)
    assert [type(layer).__name__ for layer in twin] == ["Identity", "Linear", "ReLU", "Linear"]
    assert [name for name, _ in twin.named_parameters()] == ["1.weight", "1.bias", "3.weight"]
    flat = [x for p in twin.parameters() for x in p.flatten().tolist()]
    assert flat == [p.data for p in model.parameters()]


def test_an_mlp_becomes_a_sequential_of_its_layers() -> None:
    twin = to_torch(MLP(2, [4, 3, 1], activation=Tanh, seed=0))
    assert type(twin) is torch.nn.Sequential
    assert [type(layer).__name__ for layer in twin] == ["Linear", "Tanh", "Linear", "Tanh", "Linear"]


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        (Input1D(2), torch.nn.Identity()),
        (ReLU(), torch.nn.ReLU()),
        (Tanh(), torch.nn.Tanh()),
        (Sigmoid(), torch.nn.Sigmoid()),
        (Flatten(), torch.nn.Flatten()),
        (Softmax(), torch.nn.Softmax(dim=1)),
    ],
)
def test_layers_without_weights(ours: Module, theirs: torch.nn.Module) -> None:
    assert type(to_torch(ours)) is type(theirs)
    assert type(from_torch(theirs)) is type(ours)


def test_conv2d_weight_o_c_u_v_is_weight_o_c_u_v() -> None:
    layer = Conv2D(2, 3, (2, 1), stride=(1, 2), padding=(1, 0), seed=0)
    layer.bias[2].data = 0.5
    twin = to_torch(layer)
    assert type(twin) is torch.nn.Conv2d and twin.weight.shape == (3, 2, 2, 1)
    assert (twin.kernel_size, twin.stride, twin.padding) == ((2, 1), (1, 2), (1, 0))
    assert twin.weight[2, 1, 1, 0].item() == layer.weight[2][1][1][0].data and twin.bias[2].item() == 0.5
    assert to_torch(Conv2D(1, 1, 2, bias=False, seed=0)).bias is None
    back = from_torch(twin)
    assert isinstance(back, Conv2D) and (back.stride, back.padding) == ((1, 2), (1, 0))
    assert back.state_dict() == layer.state_dict()


def test_max_pool_keeps_its_settings() -> None:
    twin = to_torch(MaxPool2D(3, stride=2, padding=1, ceil_mode=True))
    assert type(twin) is torch.nn.MaxPool2d
    assert (twin.kernel_size, twin.stride, twin.padding, twin.ceil_mode) == ((3, 3), (2, 2), (1, 1), True)
    back = from_torch(torch.nn.MaxPool2d(2, padding=1))
    assert isinstance(back, MaxPool2D)
    assert (back.kernel_size, back.stride, back.padding, back.ceil_mode) == ((2, 2), (2, 2), (1, 1), False)


@pytest.mark.parametrize(
    ("layer", "theirs"), [(BatchNorm1D(3), "BatchNorm1d"), (BatchNorm2D(3), "BatchNorm2d")]
)
def test_batch_norm_keeps_gamma_beta_running_statistics_and_mode(layer: Module, theirs: str) -> None:
    layer = type(layer)(3, eps=1e-3, momentum=0.2)
    layer.weight[1].data, layer.bias[2].data = 2.0, -1.0
    layer.running_mean, layer.running_var = [0.5, -0.5, 0.25], [2.0, 1.5, 0.75]
    twin = to_torch(layer.eval())
    assert type(twin) is getattr(torch.nn, theirs) and not twin.training
    assert (twin.eps, twin.momentum) == (1e-3, 0.2)
    assert twin.weight.tolist() == [1.0, 2.0, 1.0] and twin.bias.tolist() == [0.0, 0.0, -1.0]
    assert twin.running_mean.tolist() == [0.5, -0.5, 0.25] and twin.running_var.tolist() == [2.0, 1.5, 0.75]
    back = from_torch(twin.train())
    assert isinstance(back, type(layer)) and back.training and back.state_dict() == layer.state_dict()
    assert (back.running_mean, back.running_var, back.eps, back.momentum) == (
        layer.running_mean,
        layer.running_var,
        1e-3,
        0.2,
    )
    unscaled = from_torch(getattr(torch.nn, theirs)(2, affine=False))
    assert unscaled.weight is None and unscaled.state_dict() == {}


def test_input2d_is_identity() -> None:
    assert type(to_torch(Input2D(1, 2, 2))) is torch.nn.Identity


def test_leaky_relu_slope_is_negative_slope() -> None:
    assert to_torch(LeakyReLU(Fraction(1, 4))).negative_slope == 0.25
    back = from_torch(torch.nn.LeakyReLU(0.3))
    assert isinstance(back, LeakyReLU) and back.slope == 0.3


def test_forward_on_a_batch_equals_ours() -> None:
    model = MLP(3, [4, 2], seed=1)
    rows = [[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]]
    out = to_torch(model)(tensor(rows))
    assert out.shape == (2, 2)
    assert torch.allclose(out, tensor([[v.data for v in model(row)] for row in rows]), rtol=1e-12, atol=0)


def test_to_torch_never_changes_our_model() -> None:
    model = MLP(2, [3, 1], seed=0)
    model([1.0, -2.0])[0].backward()
    before = [(name, p.data, p.grad, p.label) for name, p in model.named_parameters()]
    twin = to_torch(model)
    with torch.no_grad():
        twin[0].weight.add_(1.0)
    assert [(name, p.data, p.grad, p.label) for name, p in model.named_parameters()] == before


def test_fraction_weights_become_float64() -> None:
    twin = to_torch(Linear.from_weights([[Fraction(1, 3)]], [Fraction(-2, 7)]))
    assert twin.weight.item() == 1 / 3 and twin.bias.item() == -2 / 7


def test_a_sympy_weight_is_a_type_error_naming_it() -> None:
    model = Sequential(Linear(1, 1, seed=0), ReLU(), Linear(2, 1, seed=0))
    model[2].weight[0][1].data = sympy.Symbol("w")
    with pytest.raises(TypeError, match=r"'2\.weight\.0\.1'.*float or Fraction"):
        to_torch(model)


class Swish(ReLU):
    """A layer that is not in the table (a subclass of a mapped one is not mapped either)."""

    def activate(self, x: Value) -> Value:
        return x * x.sigmoid()


@pytest.mark.parametrize("model", [Swish(), Sequential(Linear(1, 1, seed=0), Swish()), "MLP"])
def test_to_torch_refuses_what_it_cannot_map(model: object) -> None:
    with pytest.raises(TypeError, match=r"Swish|str"):
        to_torch(model)  # type: ignore[arg-type]


def test_from_torch_reads_float32_and_float64() -> None:
    twin = torch.nn.Linear(2, 3)
    layer = from_torch(twin)
    assert isinstance(layer, Linear) and (layer.in_features, layer.out_features) == (2, 3)
    assert [[w.data for w in row] for row in layer.weight] == twin.weight.tolist()
    assert all(type(w.data) is float for w in layer.parameters())
    assert from_torch(twin.double()).state_dict() == layer.state_dict()
    assert isinstance(from_torch(torch.nn.Linear(2, 1, bias=False)), Linear)


class Net(torch.nn.Module):
    """A custom PyTorch module."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x


class MyLinear(torch.nn.Linear):
    """A subclass of a mapped layer, which may compute something else."""


@pytest.mark.parametrize(
    ("module", "name"),
    [
        (torch.nn.GRU(2, 2), "GRU"),
        (Net(), "Net"),
        (torch.nn.Sequential(torch.nn.Linear(2, 2), Net()), "Net"),
        (MyLinear(2, 2), "MyLinear"),
        (Linear(2, 2, seed=0), "Linear"),
        (torch.nn.Conv2d(1, 1, 3, dilation=2), "dilation"),
        (torch.nn.Conv2d(2, 2, 3, groups=2), "groups"),
        (torch.nn.Conv2d(1, 1, 3, padding="same"), "same"),
        (torch.nn.Conv2d(1, 1, 3, padding=1, padding_mode="reflect"), "padding_mode"),
        (torch.nn.MaxPool2d(2, dilation=2), "dilation"),
        (torch.nn.BatchNorm1d(2, momentum=None), "momentum"),
        (torch.nn.BatchNorm2d(2, track_running_stats=False), "running statistics"),
        (torch.nn.Flatten(0), "start_dim"),
        (torch.nn.Softmax(dim=0), "dim"),
    ],
)
def test_from_torch_refuses_what_it_cannot_map_naming_the_class(module: object, name: str) -> None:
    with pytest.raises(TypeError, match=rf"\b{name}\b"):
        from_torch(module)  # type: ignore[arg-type]


def test_from_torch_refuses_weights_that_are_not_float() -> None:
    model = torch.nn.Sequential(torch.nn.Linear(2, 2, dtype=torch.complex128))
    with pytest.raises(TypeError, match=r"'0\.weight'.*complex"):
        from_torch(model)


def test_without_torch_the_error_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "torch", None)
    for cross in (lambda: to_torch(Linear(1, 1, seed=0)), lambda: from_torch(object())):  # type: ignore[arg-type]
        with pytest.raises(ImportError, match=r"pip install 'impactgrad\[torch\]'"):
            cross()


def test_every_row_of_the_table_crosses_both_ways() -> None:
    for twin in TWINS:
        assert hasattr(torch.nn, twin.theirs), twin
    assert {twin.theirs for twin in TWINS if twin.from_torch is None} <= {
        twin.theirs for twin in TWINS if twin.from_torch is not None
    }


@given(models() | conv_models())
def test_from_torch_of_to_torch_keeps_the_state_dict(drawn: tuple[Module, tuple[int, ...]]) -> None:
    model, _ = drawn
    back = from_torch(to_torch(model))
    assert list(back.state_dict().items()) == list(model.state_dict().items())


@given(models() | conv_models(), st.data())
def test_to_torch_of_from_torch_computes_the_same(
    drawn: tuple[Module, tuple[int, ...]], data: st.DataObject
) -> None:
    model, shape = drawn
    x = tensor(data.draw(batches(shape)))
    original = to_torch(model)
    assert torch.equal(to_torch(from_torch(original))(x), original(x))
    single = to_torch(model).float()  # float32 weights come back as floats holding the same numbers:
    back = to_torch(from_torch(single))  # in float64 they compute what those weights compute in float64
    assert torch.allclose(back(x), single.double()(x), rtol=1e-12, atol=1e-12)


def test_relu_at_zero_is_where_the_two_differ() -> None:
    x = Value(0.0)
    x.relu().backward()
    t = tensor(0.0).requires_grad_()
    torch.relu(t).backward()
    assert (x.grad, t.grad.item()) == (1.0, 0.0)
