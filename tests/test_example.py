"""The series' Example, reproduced exactly: every value the gradient-descent and batch-learning articles show.

model(X) = L3(L2(L1(X))) with L1 = Input1D, L2 = W^2·X (no bias), L3 = ReLU, Loss = 1/2 (X^4 - Y)^2,
w^2 = (1/200, -3000/11600000, 1/5800) and α = 10^-7, all in Fractions.
"""

from __future__ import annotations

from fractions import Fraction

import pytest

from autograd import Value
from nn import SGD, Input1D, Linear, ReLU, Sequential, fit, half_squared_error
from nn.data import seed_example

ALPHA = Fraction(1, 10**7)
EXAMPLE = seed_example()
W2 = EXAMPLE.w2
ZEROS = [0, 0, 0]


def run_row(model: Sequential, x: list[Fraction], y: list[Fraction], share: Fraction | int = 1) -> tuple:
    """One row's forward pass (o1, o2, o3, loss) and the backward pass of share·Loss."""
    l1, l2, l3 = model
    o1 = l1(x)
    o2 = l2(o1)
    o3 = l3(o2)
    loss = half_squared_error(o3, y)
    loss.backward(share)
    return o1, o2[0], o3[0], loss


def weights(model: Sequential) -> list:
    return [w.data for w in model[1].weight[0]]


def outputs_and_losses(model: Sequential) -> tuple[list, list]:
    outputs = [model(x)[0].data for x in EXAMPLE.inputs]
    return outputs, [half_squared_error([o], y).data for o, y in zip(outputs, EXAMPLE.targets)]


def test_gradient_descent_one_row_at_a_time() -> None:
    model = EXAMPLE.model()
    sgd = SGD(model.parameters(), ALPHA)
    # per row, as printed: o3, loss, δ4, δ3, δ2 (= δ1), δw2
    printed = [
        (0, 0, 0, 0, ZEROS, ZEROS),
        (1, 0, 0, 0, ZEROS, ZEROS),
        (0, Fraction(1, 2), -1, -1, [-w for w in W2], [0, -2000, -3000]),
    ]
    for x, y, (o3_, loss_, d4, d3, d2, dw2) in zip(EXAMPLE.inputs, EXAMPLE.targets, printed):
        sgd.zero_grad()
        o1, o2, o3, loss = run_row(model, x, y)
        assert (o3.data, loss.data) == (o3_, loss_)
        assert o3.grad == d4  # δ4 = o3 - y
        assert o2.grad == d3  # δ3 = δ4 if o2 >= 0 else 0
        assert [v.grad for v in o1] == d2  # δ2 = δ3·w2, and δ1 = δ2
        assert [w.grad for w in model[1].weight[0]] == dw2  # δw2 = δ3·o1
        sgd.step()  # ŵ2 = w2 - α·δw2
    boxed = [W2[0], Fraction("0.0002") + W2[1], Fraction("0.0003") + W2[2]]
    assert weights(model) == boxed
    assert all(isinstance(w, Fraction) for w in weights(model))
    outputs, losses = outputs_and_losses(model)
    assert outputs == [Fraction("0.43"), 1, Fraction("1.3")]
    assert [round(v, 3) for v in losses] == [Fraction("0.092"), 0, Fraction("0.045")]


def test_batch_learning_with_a_batch_of_three() -> None:
    model = EXAMPLE.model()
    sgd = SGD(model.parameters(), ALPHA)
    third = Fraction(1, 3)
    # per row, as printed: o3, loss, δ4, δ3, δ2 (= δ1), then the δw2 summed so far
    printed = [
        (0, 0, 0, 0, ZEROS, ZEROS),
        (1, 0, 0, 0, ZEROS, ZEROS),
        (0, Fraction(1, 2), -third, -third, [-third * w for w in W2], [0, -Fraction(2000, 3), -1000]),
    ]
    sgd.zero_grad()
    losses = []
    for x, y, (o3_, loss_, d4, d3, d2, dw2) in zip(EXAMPLE.inputs, EXAMPLE.targets, printed):
        o1, o2, o3, loss = run_row(model, x, y, share=third)  # Loss_learning = Loss / 3
        losses.append(loss.data)
        assert (o3.data, loss.data) == (o3_, loss_)
        assert (o3.grad, o2.grad, [v.grad for v in o1]) == (d4, d3, d2)
        assert [w.grad for w in model[1].weight[0]] == dw2
    assert sum(losses) / 3 == Fraction(1, 6)  # loss^avg
    sgd.step()  # ŵ2 = w2 - α·δw2^avg, the δw2 summed over the batch
    boxed = [W2[0], Fraction("0.0002") / 3 + W2[1], Fraction("0.0001") + W2[2]]
    assert weights(model) == boxed
    outputs, new_losses = outputs_and_losses(model)
    assert outputs == [Fraction(43, 300), 1, Fraction(13, 30)]
    assert [round(v, 2) for v in outputs] == [Fraction("0.14"), 1, Fraction("0.43")]
    assert [round(v, 2) for v in new_losses] == [Fraction("0.01"), 0, Fraction("0.16")]


@pytest.mark.parametrize(
    ("batch_size", "new_outputs"),
    [(1, [Fraction("0.43"), 1, Fraction("1.3")]), (3, [Fraction(43, 300), 1, Fraction(13, 30)])],
)
def test_fit_reproduces_both_articles(batch_size: int, new_outputs: list) -> None:
    model = EXAMPLE.model()
    sgd = SGD(model.parameters(), ALPHA)
    inputs, targets = EXAMPLE.inputs, EXAMPLE.targets
    history = fit(model, inputs, targets, half_squared_error, sgd, 1, batch_size, progress=False)
    assert history == [Fraction(1, 6)]
    assert outputs_and_losses(model)[0] == new_outputs


def test_in_float64_the_example_does_not_learn() -> None:
    """Rows 1 and 3 give o2 as tiny negatives, not 0: the ReLU blocks δ3 and w2 never moves."""
    model = Sequential(Input1D(3), Linear.from_weights([[float(w) for w in W2]]), ReLU())
    inputs = [[float(v) for v in row] for row in EXAMPLE.inputs]
    targets = [[float(v) for v in row] for row in EXAMPLE.targets]
    before = weights(model)
    o2 = [model[1](x)[0].data for x in inputs]
    assert -1e-15 < o2[0] < 0 and o2[1] == 1.0 and -1e-15 < o2[2] < 0
    sgd = SGD(model.parameters(), 1e-7)
    history = fit(model, inputs, targets, half_squared_error, sgd, 1, progress=False)
    assert history == [1 / 6]
    assert weights(model) == before
    assert [model(x)[0].data for x in inputs] == [0.0, 1.0, 0.0]  # row 3 stays wrong


def test_the_example_data() -> None:
    assert EXAMPLE.inputs == [[100, 2000, 100], [200, 0, 0], [0, 2000, 3000]]
    assert EXAMPLE.targets == [[0], [1], [1]]
    assert all(isinstance(v, Fraction) for row in EXAMPLE.inputs + EXAMPLE.targets for v in row)
    assert [model_output.data for x in EXAMPLE.inputs for model_output in EXAMPLE.model()(x)] == [0, 1, 0]
    assert isinstance(Value(W2[1]).data, Fraction) and W2[1] == Fraction(-3, 11600)
