"""One table of bad inputs: each row is a call, the exception it must raise, and a word its message names.

Every op and layer adds its rows here. Messages stay short (under 300 characters).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from fractions import Fraction
from typing import Any

import numpy as np
import pytest

import autograd
from autograd import Value, draw, grad, hessian
from nn import (
    MLP,
    SGD,
    Adam,
    BatchNorm1D,
    Conv2D,
    Input1D,
    Linear,
    ReLU,
    Sequential,
    cross_entropy,
    fit,
    half_squared_error,
    hinge,
    save,
)


def params() -> list[Value]:
    return [Value(1.0), Value(2.0)]


def fit_rows(
    inputs: Any, targets: Any, loss: Any = half_squared_error, outputs: int = 1, **options: Any
) -> Callable[[], Any]:
    """fit on a 1-input layer (with `outputs` outputs) over the given rows."""
    layer = Linear.from_weights([[0.5]] * outputs, [0.0] * outputs)
    sgd = SGD(layer.parameters(), 0.1)
    return lambda: fit(layer, inputs, targets, loss, sgd, options.pop("epochs", 1), progress=False, **options)


def squared(times: int) -> Value:
    """A Fraction squared `times` times with *: its size doubles each time."""
    x = Value(Fraction(3, 2))
    for _ in range(times):
        x = x * x
    return x


def after_create_graph(optimizer: type[Any]) -> Callable[[], Any]:
    """An optimiser's step after backward(create_graph=True): the grads are Values."""
    w = Value(2.0)
    (w * w).backward(create_graph=True)
    return lambda: optimizer([w], lr=0.1).step()


def compiled_square() -> autograd.Compiled:
    """x * x compiled, x its input."""
    x = Value(3.0, "x")
    return autograd.compile(x * x, [x])


def compiled_product() -> autograd.Compiled:
    """x * y compiled, x and y its inputs."""
    x, y = Value(3.0, "x"), Value(2.0, "y")
    return autograd.compile(x * y, [x, y])


def compiled_log() -> autograd.Compiled:
    """log(x) compiled, x its input."""
    x = Value(3.0, "x")
    return autograd.compile(x.log(), [x])


# (id, the call, the exception type, a word the message must contain)
BAD_INPUTS: list[tuple[str, Callable[[], Any], type[Exception], str]] = [
    # the engine (issue 10)
    ("label not a str", lambda: Value(1.0, label=123), TypeError, "label"),
    ("data a str", lambda: Value("2"), TypeError, "str"),
    ("huge int data", lambda: Value(10**4000), OverflowError, "too large"),
    ("huge int exponent", lambda: Value(0.5) ** 10**400, OverflowError, "**"),
    ("huge exact power", lambda: Value(Fraction(10)) ** 10**8, ValueError, "limit of exact results"),
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
    # a batch in one call: arrays of rows (issue 23)
    ("compiled arrays of two lengths", lambda: compiled_product()([np.ones(3), np.ones(2)]), ValueError,
     "2 rows, value 0 of 3"),
    ("compiled 2-D array", lambda: compiled_product()([np.ones((2, 2)), 1.0]), ValueError, "2-D"),
    ("compiled empty array", lambda: compiled_product()([1.0, np.array([])]), ValueError, "empty"),
    ("compiled object array", lambda: compiled_product()([np.array([1, "a"], dtype=object), 1.0]), TypeError,
     "value 0 is an array of object"),
    ("compiled bool array", lambda: compiled_product()([np.array([True]), 1.0]), TypeError, "array of bool"),
    ("compiled array seed", lambda: compiled_product()([np.ones(2), 1.0], np.ones(2)), TypeError,
     "grad_output"),
    ("compiled row out of log's domain", lambda: compiled_log()([np.array([1.0, -1.0])]), ValueError,
     "(row 1)"),
    ("Value of an array", lambda: Value(np.ones(2)), TypeError, "ndarray"),
    ("Value times an array", lambda: Value(1.0) * np.ones(2), TypeError, "Value"),
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
    # issue 21: training that silently diverges, layers that take what they say, exact numbers
    ("fit hinge target 0 in row 3", fit_rows([[1.0]] * 4, [[1.0], [-1.0], [1.0], [0.0]], hinge), ValueError,
     "targets[3]"),
    ("fit class 5 of 2 in row 3", fit_rows([[1.0]] * 4, [0, 1, 0, 5], cross_entropy, outputs=2), ValueError,
     "targets[3]"),
    ("fit compiled class 5 of 2", fit_rows([[1.0]] * 4, [0, 1, 0, 5], cross_entropy, outputs=2, compile=True),
     ValueError, "targets[3]"),
    ("fit compiled hinge target 0", fit_rows([[1.0]] * 4, [[1.0], [-1.0], [1.0], [0.0]], hinge, compile=True),
     ValueError, "targets[3]"),
    ("fit target row too long", fit_rows([[1.0]] * 3, [[1.0], [1.0], [1.0, 2.0]]), ValueError, "targets[2]"),
    ("fit BatchNorm batch of 1", lambda: fit(Sequential(Linear(1, 1), BatchNorm1D(1)), [[1.0]] * 4,
     [[1.0]] * 4, half_squared_error, SGD([Value(1.0)], 0.1), 1, progress=False), ValueError, "batch_size=1"),
    ("fit BatchNorm last batch of 1", lambda: fit(Sequential(Linear(1, 1), BatchNorm1D(1)), [[1.0]] * 10,
     [[1.0]] * 10, half_squared_error, SGD([Value(1.0)], 0.1), 1, 3, progress=False, compile=True),
     ValueError, "10 rows in batches of batch_size=3 leave a last batch of 1 row"),
    ("fit epochs True", fit_rows([[1.0]], [[1.0]], epochs=True), ValueError, "epochs"),
    ("fit rows a dict", fit_rows({0: [1.0]}, [[1.0]]), TypeError, "dict"),
    ("fit row a set", fit_rows([{1.0}], [[1.0]]), TypeError, "inputs[0]"),
    ("fit target a dict", fit_rows([[1.0]], [{0: 1.0}]), TypeError, "dict"),
    ("SGD after create_graph", after_create_graph(SGD), TypeError, "parameter 0"),
    ("Adam after create_graph", after_create_graph(Adam), TypeError, "parameter 0"),
    ("SGD one weight twice", lambda: SGD([w := Value(1.0), Value(2.0), w], 0.1), ValueError,
     "parameter 0 twice"),
    ("Linear on a dict", lambda: Linear(3, 1)({0: 5.0, 1: 6.0, 2: 7.0}), TypeError, "dict"),
    ("Linear on a set", lambda: Linear(3, 1)({5.0, 6.0, 7.0}), TypeError, "set"),
    ("ReLU on a dict", lambda: ReLU()({0: 1.0}), TypeError, "dict"),
    ("Sequential on a dict", lambda: Sequential(Linear(1, 1))({0: 1.0}), TypeError, "dict"),
    ("Conv2D on a dict", lambda: Conv2D(1, 1, 1)({0: [[1.0]]}), TypeError, "dict"),
    ("BatchNorm1D on a set", lambda: BatchNorm1D(1)({1.0}), TypeError, "set"),
    ("squared 22 times", lambda: squared(22), ValueError, "*: an exact result"),
    ("sum of huge Fractions", lambda: autograd.sum([Value(Fraction(2**199_999))] * 3), ValueError, "sum"),
    ("huge Fraction data", lambda: Value(Fraction(2**300_000)), ValueError, "MAX_EXACT_BITS"),
    ("Fraction 1e400 times 1.5", lambda: Value(Fraction(10**400)) * 1.5, OverflowError, "*"),
    ("1.5 over Fraction 1e-400", lambda: 1.5 / Value(Fraction(1, 10**400)), OverflowError, "/"),
    ("sin of Fraction 1e400", lambda: Value(Fraction(10**400)).sin(), OverflowError, "sin"),
    ("backward of log of 1e-400", lambda: Value(Fraction(1, 10**400)).log().backward(), OverflowError, "log"),
    ("long double 1e4000", lambda: Value(np.longdouble("1e4000")), OverflowError, "too large"),
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


def test_repeated_squaring_is_refused_within_a_second() -> None:
    """Each exact op is bounded by MAX_EXACT_BITS, so the first square over it is refused at once."""
    started = time.process_time()
    with pytest.raises(ValueError, match="MAX_EXACT_BITS"):
        squared(40)
    assert time.process_time() - started < 5  # a guard against a hang, not a measure of speed


@pytest.mark.parametrize(
    ("x", "op", "expected"),
    [
        (Fraction(10**401), "sqrt", math.sqrt(10) * 1e200),
        (Fraction(1, 10**401), "sqrt", math.sqrt(0.1) * 1e-200),
        (Fraction(1, 10**400), "log", -400 * math.log(10)),
        (Fraction(-(10**400)), "exp", 0.0),
    ],
)
def test_fractions_beyond_the_float_range_give_the_float_answer_where_it_fits(
    x: Fraction, op: str, expected: float
) -> None:
    assert getattr(Value(x), op)().data == pytest.approx(expected, rel=1e-15)


def test_an_optimiser_refusing_a_value_grad_changes_no_weight() -> None:
    a, b = Value(1.0), Value(2.0)
    (a * b).backward()
    b.grad = Value(3.0)
    adam = Adam([a, b], lr=0.1)
    with pytest.raises(TypeError, match="parameter 1"):
        adam.step()
    assert (a.data, b.data, adam.steps) == (1.0, 2.0, [0, 0])
