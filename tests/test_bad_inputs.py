"""One table of bad inputs: each row is a call, the exception it must raise, and a word its message names.

Every op and layer adds its rows here. Messages stay short (under 300 characters).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from fractions import Fraction
from typing import Any

import pytest

import autograd
from autograd import Value, draw, grad, hessian
from nn import MLP, SGD, Adam, Input1D, Linear, ReLU, Sequential, fit, half_squared_error, save


def params() -> list[Value]:
    return [Value(1.0), Value(2.0)]


def fit_rows(inputs: list[Any], targets: list[Any]) -> Callable[[], Any]:
    """fit on a 1-input layer over the given rows."""
    layer = Linear.from_weights([[0.5]], [0.0])
    sgd = SGD(layer.parameters(), 0.1)
    return lambda: fit(layer, inputs, targets, half_squared_error, sgd, 1, progress=False)


def compiled_square() -> autograd.Compiled:
    """x * x compiled, x its input."""
    x = Value(3.0, "x")
    return autograd.compile(x * x, [x])


# (id, the call, the exception type, a word the message must contain)
BAD_INPUTS: list[tuple[str, Callable[[], Any], type[Exception], str]] = [
    # the engine (issue 10)
    ("label not a str", lambda: Value(1.0, label=123), TypeError, "label"),
    ("data a str", lambda: Value("2"), TypeError, "str"),
    ("huge int data", lambda: Value(10**4000), OverflowError, "too large"),
    ("huge int exponent", lambda: Value(0.5) ** 10**400, OverflowError, "**"),
    ("huge exact power", lambda: Value(Fraction(10)) ** 10**8, ValueError, "limit of exact powers"),
    ("exp of a huge Fraction", lambda: Value(Fraction(10**400)).exp(), ValueError, "exp"),
    ("slope a str", lambda: Value(1.0).leaky_relu("0.1"), TypeError, "slope"),
    ("slope None", lambda: Value(1.0).leaky_relu(None), TypeError, "slope"),
    ("slope a Value", lambda: Value(1.0).leaky_relu(Value(0.1)), TypeError, "slope"),
    ("sqrt below 0", lambda: Value(-1.0).sqrt(), ValueError, "sqrt"),
    ("log of 0", lambda: Value(Fraction(0)).log(), ValueError, "log"),
    ("seed a Value", lambda: Value(1.0).backward(Value(1.0)), TypeError, ".data"),
    ("seed a str", lambda: Value(1.0).backward("1"), TypeError, "seed"),
    # compiled calls check their seed as backward does (issue 21, item 9)
    ("compiled seed a Value", lambda: compiled_square()([3.0], Value(1.0)), TypeError, ".data"),
    ("compiled seed a str", lambda: compiled_square()([3.0], "x"), TypeError, "grad_output"),
    ("compiled seed None", lambda: compiled_square()([3.0], None), TypeError, "NoneType"),
    ("compiled seed a bool", lambda: compiled_square()([3.0], True), TypeError, "bool"),
    ("grad of a number", lambda: grad(1.0, [Value(1.0)]), TypeError, "output"),  # type: ignore[call-overload]
    ("grad wrt a number", lambda: grad(Value(1.0) * 2, [1.0]), TypeError, "input 0"),  # type: ignore[list-item]
    ("hessian wrt a number", lambda: hessian(Value(1.0) * 2, [1.0]), TypeError, "input 0"),  # type: ignore[list-item]
    ("sum of a number term", lambda: autograd.sum([Value(1.0), 2.0]), TypeError, "term 1 is of type float"),
    ("sum of one Value", lambda: autograd.sum(Value(1.0)), TypeError, "iterable of Values"),  # type: ignore[arg-type]
    ("sum of a number", lambda: autograd.sum(3), TypeError, "int"),  # type: ignore[arg-type]
    ("sum of no terms", lambda: autograd.sum([]), ValueError, "at least one term"),
    # optimisers (issue 10, point 11)
    ("autograd.draw of a layer", lambda: draw(Linear(2, 1)), TypeError, "nn.draw"),
    ("autograd.draw params not Values", lambda: draw(Value(1.0) * 2, params=[3]), TypeError, "params"),
    ("MLP sizes an int", lambda: MLP(2, 3), TypeError, "[16, 16, 1]"),
    ("save into a missing folder", lambda: save(Linear(1, 1), "/no/such/folder/m.json"), FileNotFoundError,
     "/no/such/folder"),
    ("SGD lr str", lambda: SGD(params(), lr="0.1"), TypeError, "lr"),
    ("SGD lr None", lambda: SGD(params(), lr=None), TypeError, "lr"),
    ("SGD lr bool", lambda: SGD(params(), lr=True), TypeError, "lr"),
    ("SGD lr inf", lambda: SGD(params(), lr=math.inf), ValueError, "lr"),
    ("SGD lr nan", lambda: SGD(params(), lr=math.nan), ValueError, "lr"),
    ("SGD lr 0", lambda: SGD(params(), lr=0), ValueError, "lr"),
    ("SGD momentum str", lambda: SGD(params(), lr=0.1, momentum="0.9"), TypeError, "momentum"),
    ("SGD momentum 1", lambda: SGD(params(), lr=0.1, momentum=1.0), ValueError, "momentum"),
    ("SGD momentum nan", lambda: SGD(params(), lr=0.1, momentum=math.nan), ValueError, "momentum"),
    ("SGD float lr, Fraction weights", lambda: SGD([Value(Fraction(1))], lr=0.1), TypeError, "lr"),
    ("SGD the model", lambda: SGD(Linear(1, 1), lr=0.1), TypeError, "parameters()"),
    ("SGD no params", lambda: SGD([], lr=0.1), ValueError, "empty"),
    ("Adam betas too big", lambda: Adam(params(), betas=(1.5, 0.9)), ValueError, "betas"),
    ("Adam betas one", lambda: Adam(params(), betas=(0.9,)), ValueError, "betas"),
    ("Adam betas str", lambda: Adam(params(), betas=(0.9, "0.99")), TypeError, "betas"),
    ("Adam eps 0", lambda: Adam(params(), eps=0.0), ValueError, "eps"),
    ("Adam lr inf", lambda: Adam(params(), lr=math.inf), ValueError, "lr"),
    # models
    ("MLP activation instance", lambda: MLP(2, [3, 1], activation=ReLU()), TypeError, "activation=ReLU"),
    ("MLP activation str", lambda: MLP(2, [3, 1], activation="relu"), TypeError, "activation"),
    ("MLP no sizes", lambda: MLP(2, []), ValueError, "size"),
    ("Linear n_out 0", lambda: Linear(2, 0), ValueError, "n_out"),
    ("model on one number", lambda: MLP(1, [4, 1], seed=0)(0.5), TypeError, "list of 1 input"),
    ("model on a str", lambda: MLP(1, [4, 1], seed=0)("0.5"), TypeError, "list of 1 input"),
    ("model on a Value", lambda: Linear(1, 1)(Value(1.0)), TypeError, "Value"),
    ("model on 2 inputs", lambda: Linear(1, 1)([1.0, 2.0]), ValueError, "expects 1 inputs"),
    ("Input1D on one number", lambda: Input1D(1)(3.0), TypeError, "Input1D"),
    ("activation on one number", lambda: ReLU()(3.0), TypeError, "ReLU"),
    ("Sequential of a class", lambda: Sequential(ReLU), TypeError, "()"),
    ("load_state_dict of another shape", lambda: Linear(3, 2).load_state_dict(Linear(2, 3).state_dict()),
     ValueError, "2×3"),
    # fit: every row checked before training (issue 10, point 7)
    ("fit 4th input row too long", fit_rows([[1.0], [2.0], [3.0], [4.0, 5.0]], [[1.0]] * 4), ValueError,
     "inputs[3]"),
    ("fit 4th input row not a number", fit_rows([[1.0], [2.0], [3.0], ["a"]], [[1.0]] * 4), TypeError,
     "inputs[3][0]"),
    ("fit 4th input row a number", fit_rows([[1.0], [2.0], [3.0], 4.0], [[1.0]] * 4), TypeError, "inputs[3]"),
    ("fit 2nd target not a number", fit_rows([[1.0], [2.0]], [[1.0], [None]]), TypeError, "targets[1][0]"),
    ("fit rows differ", fit_rows([[1.0], [2.0]], [[1.0]]), ValueError, "target rows"),
    ("fit NaN input", fit_rows([[1.0], [math.nan]], [[1.0]] * 2), ValueError, "inputs[1][0]"),
    ("fit infinite target", fit_rows([[1.0], [2.0]], [[1.0], [-math.inf]]), ValueError, "targets[1][0]"),
    ("fit no rows", fit_rows([], []), ValueError, "at least one row"),
]


@pytest.mark.parametrize(
    ("call", "error", "word"), [row[1:] for row in BAD_INPUTS], ids=[row[0] for row in BAD_INPUTS]
)
def test_bad_input_is_a_clear_error(call: Callable[[], Any], error: type[Exception], word: str) -> None:
    with pytest.raises(error) as raised:
        call()
    assert word in str(raised.value)
    assert len(str(raised.value)) < 300


def test_fit_with_a_bad_4th_row_changes_no_weight() -> None:
    layer = Linear.from_weights([[0.5]], [0.0])
    before = layer.state_dict()
    inputs, targets = [[1.0], [2.0], [3.0], [4.0, 5.0]], [[1.0]] * 4
    with pytest.raises(ValueError, match=r"inputs\[3\]"):
        fit(layer, inputs, targets, half_squared_error, SGD(layer.parameters(), 0.1), 1, progress=False)
    assert layer.state_dict() == before
