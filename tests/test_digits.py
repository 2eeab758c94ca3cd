"""nn.data.digits (the classification article's stand-in) and accuracy over class indices."""

from __future__ import annotations

import pytest

from nn import BatchNorm2D, Conv2D, Flatten, Input2D, Linear, MaxPool2D, ReLU, accuracy
from nn.data import digits
from nn.module import Module


def test_digits_are_channel_first_samples_in_the_articles_range() -> None:
    data = digits((3, 8), seed=0)
    assert len(data.train_inputs) + len(data.val_inputs) == 357  # the 3s and 8s of the 1,797 images
    assert len(data.val_inputs) == round(357 * 0.2) and len(data.train_targets) == len(data.train_inputs)
    sample = data.train_inputs[0]
    assert (len(sample), len(sample[0]), len(sample[0][0])) == (1, 8, 8)
    values = [v for x in data.train_inputs for row in x[0] for v in row]
    assert min(values) == -0.5 and max(values) == 0.5
    assert set(data.train_targets) == {0, 1} and data.classes == (3, 8)
    assert digits((3, 8), seed=0) == data and digits((3, 8), seed=1) != data


def test_all_ten_classes_by_default() -> None:
    data = digits(validation=0.5)
    assert set(data.val_targets) == set(range(10)) and data.classes == tuple(range(10))
    assert len(data.train_inputs) + len(data.val_inputs) == 1797


def test_the_classification_model_gives_one_logit_per_class() -> None:
    ten, binary = digits(), digits((3, 8))
    model = ten.model()
    layers = model.layers
    kinds = [Input2D, Conv2D, BatchNorm2D, ReLU, MaxPool2D, Flatten, Linear]
    assert [type(layer) for layer in layers] == kinds
    assert len(layers[1].weight) == 8 and len(layers[1].weight[0][0]) == 3 and layers[2].num_features == 8
    assert len(layers[-1].weight) == 10 and len(layers[-1].weight[0]) == 8 * 4 * 4
    logits = model(ten.train_inputs[:2])  # a batch: BatchNorm normalizes over it
    assert [len(out) for out in logits] == [10, 10]
    small = binary.model(channels=4, seed=1)
    assert len(small.parameters()) == 4 * 9 + 4 + 2 * 4 + 2 * 64 + 2
    model.eval()
    assert len(model(ten.val_inputs[:1])[0]) == 10  # a batch of one, with the running statistics
    assert _weights(ten.model()) == _weights(model) != _weights(ten.model(seed=1))


def _weights(model: Module) -> list[object]:
    return [p.data for p in model.parameters()]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"classes": (3,)}, "at least two distinct digits"),
        ({"classes": (3, 3)}, "at least two distinct digits"),
        ({"classes": (3, 10)}, "digits 0..9, got"),
        ({"validation": 1.0}, r"validation must be a share in \(0, 1\), got 1.0"),
    ],
)
def test_bad_arguments_are_refused(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        digits(**kwargs)  # type: ignore[arg-type]


def test_accuracy_takes_the_argmax_against_a_class_index() -> None:
    model = Linear.from_weights([[1.0, 0.0], [0.0, 1.0], [0.5, 0.5]])
    inputs = [[2.0, 0.0], [0.0, 2.0], [1.0, 1.0], [3.0, 0.0]]
    assert accuracy(model, inputs, [0, 1, 0, 1]) == 0.75  # [1, 1] ties all three: the first, 0, wins
