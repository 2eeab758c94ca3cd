"""Module registers parameters and sub-modules on assignment (as PyTorch's __setattr__); train(), eval()."""

from __future__ import annotations

import pytest

from autograd import Value
from nn import Conv2D, Input1D, Linear, Module, ReLU, Sequential


class Block(Module):
    """A user's layer: it assigns its weights and sub-layers, and writes no parameter walk."""

    def __init__(self) -> None:
        self.scale = Value(2.0)
        self.grid = [[Value(1.0), Value(2.0)], [Value(3.0), Value(4.0)]]
        self.inner = Linear(2, 1, seed=0)
        self.shift = None
        self.numbers = [1.0, 2.0]  # plain numbers: not parameters
        self.mixed = [Value(1.0), 2.0]  # not only Values: not a parameter
        self._private = Value(5.0)  # a private name is never registered
        self.activation = ReLU()

    def forward(self, x: list[Value]) -> list[Value]:
        return self.activation(self.inner([v * self.scale for v in x]))


def test_values_nested_lists_and_modules_are_registered_on_assignment() -> None:
    block = Block()
    assert [name for name, _ in block.named_parameters()] == [
        "scale", "grid.0.0", "grid.0.1", "grid.1.0", "grid.1.1", "inner.weight.0.0", "inner.weight.0.1",
        "inner.bias.0",
    ]
    assert dict(block.named_parameters())["grid.1.0"] is block.grid[1][0]
    assert [name for name, _ in block.named_children()] == ["inner", "activation"]
    assert list(block.modules()) == [block, block.inner, block.activation]
    assert len(block.parameters()) == 8


def test_reassignment_keeps_the_place_and_a_non_parameter_unregisters() -> None:
    block = Block()
    block.scale = Value(3.0)  # the same kind: the same place
    assert next(block.named_parameters())[0] == "scale"
    assert dict(block.named_parameters())["scale"].data == 3.0
    block.shift = Value(1.0)  # from None to a Value: registered last of the own weights
    block.grid = None  # type: ignore[assignment]
    del block.scale
    names = [name for name, _ in block.named_parameters()]
    assert names == ["shift", "inner.weight.0.0", "inner.weight.0.1", "inner.bias.0"]
    block.inner = Value(0.5)  # type: ignore[assignment]  # a sub-module becomes a weight
    assert [name for name, _ in block.named_children()] == ["activation"]
    assert [name for name, _ in block.named_parameters()] == ["shift", "inner"]


def test_a_list_mutated_in_place_is_seen() -> None:
    layer = Linear(2, 1, seed=0)
    new = Value(7.0)
    layer.weight[0][1] = new
    assert dict(layer.named_parameters())["weight.0.1"] is new


def test_sequential_names_its_layers_by_position() -> None:
    model = Sequential(Linear(1, 1, seed=0), ReLU(), Sequential(Conv2D(1, 1, 1, bias=False, seed=0)))
    assert [name for name, _ in model.named_children()] == ["0", "1", "2"]
    assert [name for name, _ in model.named_parameters()] == [
        "0.weight.0.0", "0.bias.0", "2.0.weight.0.0.0.0",
    ]
    assert model.layers == [model[0], model[1], model[2]] and model[-1] is model.layers[2]


def test_train_and_eval_set_the_mode_of_every_sub_module() -> None:
    model = Sequential(Block(), Sequential(ReLU()))
    assert all(m.training for m in model.modules())
    assert model.eval() is model
    assert not any(m.training for m in model.modules()) and len(list(model.modules())) == 6
    assert model.train() is model and all(m.training for m in model.modules())
    model[1].eval()
    assert [m.training for m in model.modules()] == [True, True, True, True, False, False]


def test_train_refuses_a_non_bool() -> None:
    model = Sequential(ReLU())
    with pytest.raises(TypeError, match="train\\(mode\\) takes a bool, not str"):
        model.train("no")  # type: ignore[arg-type]
    assert model.training


def test_input1d_and_linear_take_a_batch() -> None:
    model = Sequential(Input1D(2), Linear(2, 3, seed=0), ReLU())
    rows = [[1.0, 2.0], [-1.0, 0.5]]
    assert [[v.data for v in out] for out in model(rows)] == [[v.data for v in model(row)] for row in rows]
    with pytest.raises(ValueError, match="Input1D expects 2 inputs, got 3"):
        model([[1.0, 2.0], [1.0, 2.0, 3.0]])
