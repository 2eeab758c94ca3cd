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

The ops and their domains come from the registry `ops.OPS`:

    float_programs()     every op, float inputs
    fraction_programs()  the ops that stay exact on Fractions (** with integer constant exponents only)
    rational_programs()  the rational ops only (+ - * / ** integer, neg), for sympy
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from hypothesis import strategies as st
from ops import MARGIN, OPS

Operand = int | Fraction  # an int is the index of an earlier node, a Fraction a constant

EXACT_OPS = tuple(op.name for op in OPS.values() if op.exact)
RATIONAL_OPS = tuple(op.name for op in OPS.values() if op.rational)
FLOAT_OPS = tuple(OPS)
BOUND = 100.0  # every node's |value| stays below it

FLOAT_INPUTS = st.floats(-3, 3, allow_nan=False, allow_infinity=False)
FRACTION_INPUTS = st.builds(Fraction, st.integers(-30, 30), st.sampled_from([1, 2, 3, 4, 5, 10]))
CONSTANTS = st.builds(Fraction, st.integers(-20, 20), st.sampled_from([1, 1, 2, 4, 5]))


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
    program: Program, leaves: Sequence[Any], constant: Callable[[Fraction], Any] = float, real: bool = False
) -> list[Any]:
    """Every node of `program` run on `leaves`: the leaves, then each instruction's result (output last).

    `constant` turns the program's Fraction constants into the leaves' kind; `real` applies the ops'
    float functions (else their Value form, which Duals share).
    """
    nodes = list(leaves)
    for instruction in program.instructions:
        args = [nodes[x] if type(x) is int else constant(x) for x in instruction.operands]
        nodes.append(apply(instruction.op, args, real))
    return nodes


def apply(op: str, args: Sequence[Any], real: bool = False) -> Any:
    """`op` (a name of the registry `ops.OPS`) on `args`: Values or Duals, or floats where `real`."""
    return (OPS[op].real if real else OPS[op].value)(*args)


def in_domain(instruction: Instruction, args: Sequence[float], exact: bool = False) -> bool:
    """Whether the floats `args` lie inside the op's smooth domain (the registry's), away from poles.

    With `exact`, relu, leaky_relu and abs may meet their kink at 0 and sqrt its pole (no central
    differences there); a
    constant integer exponent takes any base (but 0 to a negative power).
    """
    op = instruction.op
    if op == "**" and type(instruction.operands[1]) is Fraction and args[1].is_integer():
        return args[1] >= 0 or abs(args[0]) >= MARGIN
    if exact and op in ("relu", "leaky_relu", "abs"):
        return True
    if exact and op == "sqrt":  # √0 = 0 exactly, with an infinite derivative (a relu may block it)
        return args[0] >= 0
    if OPS[op].arity == 3:  # sum, max: a term taken twice is one term (no tie with itself)
        args = list(dict(zip(instruction.operands, args)).values())
    return OPS[op].domain(*args)


def _float_result(op: str, args: Sequence[float]) -> float | None:
    """`op` on floats, or None when the result is undefined, complex or beyond BOUND."""
    try:
        out = apply(op, args, real=True)
    except (ArithmeticError, ValueError):
        return None
    if isinstance(out, complex) or not abs(out) <= BOUND:
        return None
    return float(out)


def _candidates(ops: Sequence[str], a: int, b: Operand, exact: bool) -> list[Instruction]:
    """The instructions that can combine node `a` with operand `b` (either way round)."""
    out = []
    for op in ops:
        if OPS[op].arity == 1:
            out.append(Instruction(op, (a,)))
        elif OPS[op].arity == 3:  # sum: Values only, a term taken twice
            out.append(Instruction(op, (a, b, a) if type(b) is int else (a, a, a)))
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
