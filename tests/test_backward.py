"""backward, grad, topological_order: against central differences, dual numbers, sympy, a stateful model."""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import sympy
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, rule
from strategies import (
    FRACTION_INPUTS,
    Program,
    evaluate,
    float_programs,
    fraction_programs,
    rational_programs,
)

from autograd import Value, grad, gradcheck, topological_order


@dataclass(frozen=True)
class Dual:
    """A number with its derivative along one input (forward mode): the naive reference."""

    value: Any
    d: Any = 0

    def __add__(self, other: Any) -> Dual:
        other = lift(other)
        return Dual(self.value + other.value, self.d + other.d)

    def __sub__(self, other: Any) -> Dual:
        return self + -lift(other)

    def __rsub__(self, other: Any) -> Dual:
        return lift(other) - self

    def __mul__(self, other: Any) -> Dual:
        other = lift(other)
        return Dual(self.value * other.value, self.d * other.value + self.value * other.d)

    def __truediv__(self, other: Any) -> Dual:
        other = lift(other)
        value = self.value / other.value
        return Dual(value, (self.d - value * other.d) / other.value)

    def __rtruediv__(self, other: Any) -> Dual:
        return lift(other) / self

    def __pow__(self, n: Any) -> Dual:
        """An integer power, by repeated multiplication (a negative one through 1 / x^|n|)."""
        power = Dual(Fraction(1))
        for _ in range(abs(int(n))):
            power = power * self
        return power if n >= 0 else 1 / power

    def __neg__(self) -> Dual:
        return Dual(-self.value, -self.d)

    def relu(self) -> Dual:
        """ReLU with the series' convention ReLU'(0) = 1."""
        return self if self.value >= 0 else Dual(0 * self.value, 0)

    def __abs__(self) -> Dual:
        """|x| with derivative sign(x), 0 at 0."""
        return self if self.value > 0 else -self if self.value < 0 else Dual(self.value, 0)

    def leaky_relu(self, slope: Any) -> Dual:
        """LeakyReLU with derivative 1 at 0."""
        return self if self.value >= 0 else self * slope

    __radd__ = __add__
    __rmul__ = __mul__


def lift(x: Any) -> Dual:
    """A constant as a Dual with derivative 0."""
    return x if isinstance(x, Dual) else Dual(x)


def forward_gradient(program: Program) -> list[Any]:
    """∂out/∂input for each input, one forward-mode pass per input."""
    n = len(program.inputs)
    outputs = [
        evaluate(program, [Dual(x, int(i == j)) for j, x in enumerate(program.inputs)], Fraction)[-1]
        for i in range(n)
    ]
    return [out.d for out in outputs]


def backprop(program: Program, constant: Any = float) -> tuple[list[Value], list[Value]]:
    """The program on Value leaves, back-propagated from its output: (leaves, all nodes)."""
    leaves = [Value(x) for x in program.inputs]
    nodes = evaluate(program, leaves, constant)
    nodes[-1].backward()
    return leaves, nodes


# -- properties ---------------------------------------------------------------------------------


@given(float_programs())
def test_backward_matches_central_differences(program: Program) -> None:
    inputs = [Value(x) for x in program.inputs]
    assert gradcheck(lambda *xs: evaluate(program, xs)[-1], inputs)


@given(fraction_programs())
def test_fraction_gradients_are_exact_and_hold_no_float(program: Program) -> None:
    leaves, nodes = backprop(program, Fraction)
    assert [x.grad for x in leaves] == forward_gradient(program)
    for node in topological_order(nodes[-1]):
        numbers = [node.data, node.grad, *node.local_grads]
        assert not any(isinstance(x, float) for x in numbers), node


@given(rational_programs())
def test_sympy_gradients_equal_diff(program: Program) -> None:
    symbols = sympy.symbols(f"x:{len(program.inputs)}")
    expression = evaluate(program, symbols, sympy.Rational)[-1]
    leaves = [Value(s) for s in symbols]
    out = evaluate(program, leaves, sympy.Rational)[-1]
    out.backward()
    assert sympy.cancel(out.data - expression) == 0  # rational functions: cancel decides zero
    for s, leaf in zip(symbols, leaves):
        assert sympy.cancel(leaf.grad - sympy.diff(expression, s)) == 0


@given(fraction_programs(), st.lists(st.integers(0, 10), min_size=1, max_size=10))
def test_grad_equals_backward_and_touches_no_grad(program: Program, picks: list[int]) -> None:
    _, nodes = backprop(program, Fraction)
    inputs = [nodes[i % len(nodes)] for i in picks]  # leaves, interior nodes, repeats
    expected = [x.grad for x in inputs]
    for node in nodes:  # grad() must ignore and keep whatever .grad holds
        node.grad += 7
    before = [node.grad for node in nodes]
    assert grad(nodes[-1], inputs) == expected
    assert [node.grad for node in nodes] == before


@given(fraction_programs(), FRACTION_INPUTS)
def test_backward_seeds_the_given_gradient(program: Program, seed: Fraction) -> None:
    leaves = [Value(x) for x in program.inputs]
    evaluate(program, leaves, Fraction)[-1].backward(seed)
    assert [x.grad for x in leaves] == [seed * d for d in forward_gradient(program)]


@given(float_programs(max_instructions=12))
def test_topological_order(program: Program) -> None:
    nodes = evaluate(program, [Value(x) for x in program.inputs])
    order = topological_order(nodes[-1])
    position = {node: i for i, node in enumerate(order)}
    assert len(position) == len(order)  # each node once
    assert order[-1] is nodes[-1]
    assert all(position[p] < position[node] for node in order for p in node.parents)
    ancestors, todo = set(), [nodes[-1]]
    while todo:
        node = todo.pop()
        if node not in ancestors:
            ancestors.add(node)
            todo += node.parents
    assert set(order) == ancestors


# -- examples -----------------------------------------------------------------------------------


def test_backward_seeds_one_of_the_graphs_kind() -> None:
    x = Value(Fraction(1, 3))
    y = x * 3
    y.backward()
    assert type(y.grad) is Fraction and y.grad == 1
    assert x.grad == 3 and type(x.grad) is Fraction


def test_float_graphs_get_float_grads_even_through_int_local_derivatives() -> None:
    x, y = Value(5.0), Value(2.0)
    z = (x - y).relu()  # every local derivative is an int: 1, -1, 1
    z.backward()
    assert [type(v.grad) for v in (x, y, z)] == [float, float, float]
    assert (x.grad, y.grad) == (1.0, -1.0)
    assert [type(g) for g in grad(x + y, [x, y])] == [float, float]


def test_reused_node_gets_the_sum_of_its_paths() -> None:
    a = Value(Fraction(3))
    b = a + a
    c = b * b  # c = 4a², ∂c/∂a = 8a, ∂c/∂b = 2b
    c.backward()
    assert (a.grad, b.grad, c.grad) == (24, 12, 1)


def test_backward_twice_accumulates_in_leaves_only() -> None:
    a = Value(Fraction(3))
    b = a * a
    c = b * 5
    c.backward()
    c.backward()
    assert b.grad == 5  # the learning flow of the latest backward, not 10
    assert c.grad == 1
    assert a.grad == 2 * (5 * 2 * 3)


def test_grad_of_an_input_outside_the_graph_is_zero() -> None:
    x, unused = Value(2.0), Value(5.0)
    assert grad(x * x, [x, unused]) == [4.0, 0]


def test_grad_scales_by_grad_output() -> None:
    x = Value(Fraction(2))
    assert grad(x * x * x, [x], grad_output=Fraction(1, 2)) == [6]


def test_million_node_chain_needs_no_recursion() -> None:
    n = 500_000  # two nodes per step: 1,000,000 nodes
    x = start = Value(1.0)
    for _ in range(n):
        x = x * 1.0001 + 0.001
    x.backward()
    assert math.isclose(start.grad, 1.0001**n, rel_tol=1e-9)


# -- stateful: build, back-propagate and zero in random orders ------------------------------------


@settings(stateful_step_count=25)
class BackwardMachine(RuleBasedStateMachine):
    """Builds a Fraction graph, calls backward on random nodes, zeroes leaves; checks every grad.

    The reference knows each node's recipe and derives ∂root/∂node naively (forward, through the
    recipes): after root.backward(), a leaf has gained it, an interior node of root's graph holds it,
    and nodes outside the graph keep their grad.
    """

    nodes = Bundle("nodes")

    def __init__(self) -> None:
        super().__init__()
        self.recipes: dict[Value, tuple[str, tuple[Value, ...]]] = {}
        self.values: dict[Value, Fraction] = {}
        self.expected: dict[Value, Fraction] = {}

    def add(self, node: Value, value: Fraction, op: str = "", parents: tuple[Value, ...] = ()) -> Value:
        self.recipes[node] = (op, parents)
        self.values[node] = value
        self.expected[node] = Fraction(0)
        return node

    @rule(target=nodes, data=FRACTION_INPUTS)
    def leaf(self, data: Fraction) -> Value:
        return self.add(Value(data), data)

    @rule(target=nodes, op=st.sampled_from(["+", "-", "*"]), a=nodes, b=nodes)
    def combine(self, op: str, a: Value, b: Value) -> Value:
        x, y = self.values[a], self.values[b]
        node, value = {"+": (a + b, x + y), "-": (a - b, x - y), "*": (a * b, x * y)}[op]
        return self.add(node, value, op, (a, b))

    @rule(target=nodes, a=nodes)
    def relu(self, a: Value) -> Value:
        return self.add(a.relu(), max(self.values[a], Fraction(0)), "relu", (a,))

    def derivative(self, node: Value, wrt: Value, memo: dict[Value, Fraction]) -> Fraction:
        """∂node/∂wrt, holding wrt as an independent variable."""
        if node is wrt:
            return Fraction(1)
        if node not in memo:
            op, parents = self.recipes[node]
            d = [self.derivative(p, wrt, memo) for p in parents]
            v = [self.values[p] for p in parents]
            if op == "":
                memo[node] = Fraction(0)
            elif op == "+":
                memo[node] = d[0] + d[1]
            elif op == "-":
                memo[node] = d[0] - d[1]
            elif op == "*":
                memo[node] = d[0] * v[1] + v[0] * d[1]
            else:
                memo[node] = d[0] if v[0] >= 0 else Fraction(0)
        return memo[node]

    def ancestors(self, root: Value) -> set[Value]:
        """root and every node it is computed from, read from the recipes."""
        found, todo = set(), [root]
        while todo:
            node = todo.pop()
            if node not in found:
                found.add(node)
                todo += self.recipes[node][1]
        return found

    @rule(root=nodes)
    def backward(self, root: Value) -> None:
        root.backward()
        for node in self.ancestors(root):
            flow = self.derivative(root, node, {})
            if self.recipes[node][1]:
                self.expected[node] = flow
            else:
                self.expected[node] += flow

    @rule(node=nodes.filter(Value.is_leaf))
    def zero(self, node: Value) -> None:
        node.grad = 0
        self.expected[node] = Fraction(0)

    @rule(root=nodes, inputs=st.lists(nodes, max_size=4))
    def grad_without_side_effects(self, root: Value, inputs: list[Value]) -> None:
        assert grad(root, inputs) == [self.derivative(root, x, {}) for x in inputs]

    @invariant()
    def every_grad_matches(self) -> None:
        for node, expected in self.expected.items():
            assert node.grad == expected, (node, expected)
            assert node.data == self.values[node]


TestBackwardMachine = BackwardMachine.TestCase
