"""Hypothesis strategies shared by the autodiff tests: random expression DAGs, drawn as small programs.

A `Program` holds input data and a list of `Instruction`s. Node i < len(inputs) is input i; node
len(inputs) + k is the result of instruction k; the last node is the output. An instruction's operands
are earlier node indices (ints) or constants (Fractions), so one node can feed many later ones: the
graph has shared sub-expressions (diamonds). `evaluate` runs the same program on any kind of leaves:
Values of floats, Fractions or sympy symbols, plain floats, sympy symbols, or a reference number type
(dual numbers), so one DAG can be checked against central differences, exact rationals, sympy's diff
and a naive reference.

While drawing, each instruction is evaluated on floats and kept only if its operands lie inside the
op's domain with a margin (see `in_domain`), so every program is smooth enough for central
differences around its inputs.

    float_programs()     every op, float inputs
    fraction_programs()  the ops that stay exact on Fractions: + - * / ** (integer exponent), neg, relu,
                         leaky_relu (Fraction slope)
    rational_programs()  the rational ops only (+ - * / ** integer, neg), for sympy
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from hypothesis import strategies as st

Operand = int | Fraction  # an int is the index of an earlier node, a Fraction a constant

BINARY: dict[str, Callable[[Any, Any], Any]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": operator.truediv,
    "**": operator.pow,
}
RATIONAL_OPS = ("+", "-", "*", "/", "**", "neg")
EXACT_OPS = (*RATIONAL_OPS, "relu", "leaky_relu")
FLOAT_OPS = (*EXACT_OPS, "exp", "log", "tanh", "sigmoid")

LEAKY_SLOPE = Fraction(1, 10)  # the slope leaky_relu instructions pass (exact, and unlike the default)
BOUND = 100.0  # every node's |value| stays below it
MARGIN = 0.1  # divisors, log arguments and the bases of non-integer powers stay this far above 0
KINK = 0.05  # relu and leaky_relu arguments of float programs stay this far from their kink at 0

FLOAT_INPUTS = st.floats(-3, 3, allow_nan=False, allow_infinity=False)
FRACTION_INPUTS = st.builds(Fraction, st.integers(-30, 30), st.sampled_from([1, 2, 3, 4, 5, 10]))
CONSTANTS = st.builds(Fraction, st.integers(-20, 20), st.sampled_from([1, 1, 2, 4, 5]))


def _sigmoid(x: float) -> float:
    """The logistic 1 / (1 + e^-x) on a float."""
    return 1 / (1 + math.exp(-x))


FLOAT_FUNCTIONS: dict[str, Callable[..., float]] = {
    "exp": math.exp,
    "log": math.log,
    "tanh": math.tanh,
    "sigmoid": _sigmoid,
    "relu": lambda x: max(x, 0.0),
    "leaky_relu": lambda x, slope: x if x >= 0 else slope * x,
}


@dataclass(frozen=True)
class Instruction:
    """One node of a program: `op` applied to `operands` (earlier node indices or Fraction constants)."""

    op: str
    operands: tuple[Operand, ...]


@dataclass(frozen=True)
class Program:
    """Input data and instructions; the last node is the output."""

    inputs: tuple[Any, ...]
    instructions: tuple[Instruction, ...]


def evaluate(
    program: Program,
    leaves: Sequence[Any],
    constant: Callable[[Fraction], Any] = float,
    functions: dict[str, Callable[..., Any]] | None = None,
) -> list[Any]:
    """Every node of `program` run on `leaves`: the leaves, then each instruction's result (output last).

    `constant` turns the program's Fraction constants into the leaves' kind; `functions` maps the
    names of exp, log, ... to functions, or is None to call them as methods (Value, dual numbers).
    """
    nodes = list(leaves)
    for instruction in program.instructions:
        args = [nodes[x] if type(x) is int else constant(x) for x in instruction.operands]
        nodes.append(apply(instruction.op, args, functions))
    return nodes


def apply(op: str, args: Sequence[Any], functions: dict[str, Callable[..., Any]] | None = None) -> Any:
    """`op` on `args`: an operator, unary minus, or a function (a method when `functions` is None)."""
    if op in BINARY:
        return BINARY[op](*args)
    if op == "neg":
        return -args[0]
    if functions is None:
        return getattr(args[0], op)(*args[1:])
    return functions[op](*args)


def in_domain(instruction: Instruction, args: Sequence[float], exact: bool = False) -> bool:
    """Whether the floats `args` lie inside the instruction's domain, away from poles and cuts.

    Unless `exact`, also away from the kinks of relu and leaky_relu, where central differences fail.
    """
    op = instruction.op
    if op == "/":
        return abs(args[1]) >= MARGIN
    if op == "log":
        return args[0] >= MARGIN
    if op in ("relu", "leaky_relu"):
        return exact or abs(args[0]) >= KINK
    if op == "**":
        base, exponent = args
        integer = type(instruction.operands[1]) is Fraction and exponent.is_integer()
        return base >= MARGIN or (integer and (exponent >= 0 or abs(base) >= MARGIN))
    return True


def _float_result(op: str, args: Sequence[float]) -> float | None:
    """`op` on floats, or None when the result is undefined, complex or beyond BOUND."""
    try:
        out = apply(op, args, FLOAT_FUNCTIONS)
    except (ArithmeticError, ValueError):
        return None
    if isinstance(out, complex) or not abs(out) <= BOUND:
        return None
    return float(out)


def _candidates(ops: Sequence[str], a: int, b: Operand, exact: bool) -> list[Instruction]:
    """The instructions that can combine node `a` with operand `b` (either way round)."""
    out = []
    for op in ops:
        if op == "leaky_relu":
            out.append(Instruction(op, (a, LEAKY_SLOPE)))
        elif op not in BINARY:
            out.append(Instruction(op, (a,)))
        elif op == "**" and exact:  # exact kinds only take integer constant exponents
            if type(b) is not int and b.denominator == 1:
                out.append(Instruction(op, (a, b)))
        else:
            out += [Instruction(op, (a, b)), Instruction(op, (b, a))]
    return out


@st.composite
def programs(
    draw: st.DrawFn,
    ops: Sequence[str] = FLOAT_OPS,
    inputs: st.SearchStrategy[Any] = FLOAT_INPUTS,
    exact: bool = False,
    max_inputs: int = 3,
    max_instructions: int = 8,
) -> Program:
    """A random program over `ops` whose instructions stay inside their domains at the drawn inputs.

    Each instruction takes the newest node or any earlier one, and a second operand that is a node or
    a constant, so nodes are reused (diamonds). With `exact`, `**` only takes integer constant exponents,
    and relu and leaky_relu may meet their kink at 0.
    """
    data = tuple(draw(st.lists(inputs, min_size=1, max_size=max_inputs)))
    values = [float(x) for x in data]
    instructions: list[Instruction] = []
    for _ in range(draw(st.integers(1, max_instructions))):
        newest = len(values) - 1
        a = draw(st.just(newest) | st.integers(0, newest))
        b = draw(st.integers(0, newest) | CONSTANTS)
        allowed = []
        for candidate in _candidates(ops, a, b, exact):
            args = [values[x] if type(x) is int else float(x) for x in candidate.operands]
            result = _float_result(candidate.op, args) if in_domain(candidate, args, exact) else None
            if result is not None:
                allowed.append((candidate, result))
        instruction, value = draw(st.sampled_from(allowed))  # never empty: neg stays inside BOUND
        instructions.append(instruction)
        values.append(value)
    return Program(data, tuple(instructions))


def float_programs(max_inputs: int = 3, max_instructions: int = 8) -> st.SearchStrategy[Program]:
    """Programs over every op with float inputs: for gradcheck and the float path."""
    return programs(FLOAT_OPS, FLOAT_INPUTS, False, max_inputs, max_instructions)


def fraction_programs(max_inputs: int = 3, max_instructions: int = 8) -> st.SearchStrategy[Program]:
    """Programs over the ops that stay exact, with Fraction inputs: exact gradients."""
    return programs(EXACT_OPS, FRACTION_INPUTS, True, max_inputs, max_instructions)


def rational_programs(max_inputs: int = 3, max_instructions: int = 6) -> st.SearchStrategy[Program]:
    """Programs over the rational ops (+ - * / ** integer, neg), with Fraction inputs: for sympy."""
    return programs(RATIONAL_OPS, FRACTION_INPUTS, True, max_inputs, max_instructions)
