"""compile(): a compiled call equals eager backward on the graph rebuilt at the new values; its source."""

from __future__ import annotations

import builtins
import cmath
import importlib
import math
from collections.abc import Callable, Sequence
from fractions import Fraction
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from ops import OPS, UNARY
from strategies import EXACT_OPS, FLOAT_INPUTS, FLOAT_OPS, FRACTION_INPUTS, Program, evaluate, programs

import autograd
from autograd import Compiled, Op, Value, compile, grad
from autograd.compile.compiled import kind_namespace
from autograd.kinds import FloatKind, Scalar
from nn import Linear

chunks = importlib.import_module("autograd.compile.chunks")
Output = Callable[[list[Value]], Value]  # a program's nodes -> the output to compile
DOMAIN_ERRORS = (ValueError, ZeroDivisionError, OverflowError)


def last(nodes: list[Value]) -> Value:
    """A program's output: its last node."""
    return nodes[-1]


def eager(program: Program, data: list, constant: object, output: Output = last) -> tuple[object, list]:
    """The program's output and gradients, rebuilt and back-propagated eagerly at `data`."""
    leaves = [Value(x) for x in data]
    out = output(evaluate(program, leaves, constant))
    return out.data, grad(out, leaves)


def traced(program: Program, constant: object) -> Compiled:
    """The program traced once at its own inputs, all of them inputs of the compiled graph."""
    leaves = [Value(x) for x in program.inputs]
    return compile(evaluate(program, leaves, constant)[-1], leaves)


def all_used(program: Program) -> bool:
    """Whether the output depends on every instruction of the program."""
    n_inputs, used = len(program.inputs), {len(program.inputs) + len(program.instructions) - 1}
    for k in range(len(program.instructions) - 1, -1, -1):
        if n_inputs + k in used:
            used.update(x for x in program.instructions[k].operands if type(x) is int)
    return all(n_inputs + k in used for k in range(len(program.instructions)))


def close(a: object, b: object) -> bool:
    """Equal floats to 1e-9 (NaN equals NaN), or equal exactly for other kinds."""
    if isinstance(a, float) or isinstance(b, float):
        a, b = float(a), float(b)  # type: ignore[arg-type]
        return (a != a and b != b) or math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
    return a == b


def agree_at(
    compiled: Compiled, program: Program, data: list, constant: object, output: Output = last
) -> list:
    """compiled(data) equals eager at data, or raises the error eager raises there; the pairs of grads."""
    try:
        expected = eager(program, data, constant, output)
    except DOMAIN_ERRORS as error:
        if all_used(program):  # else the error may come from a node the output does not use
            with pytest.raises(type(error)):
                compiled(data)
        return []
    out, grads = compiled(data)
    assert close(out, expected[0])
    assert len(grads) == len(expected[1])
    assert all(close(g, e) for g, e in zip(grads, expected[1])), (grads, expected[1])
    return list(zip(grads, expected[1]))


float_programs = partial(programs, FLOAT_OPS, FLOAT_INPUTS, False)
fraction_programs = partial(programs, EXACT_OPS, FRACTION_INPUTS, True)


@pytest.mark.parametrize(
    "new",
    [[5.0, 1.0, 2.0], [1.0, 3.0, 6.0], [1.0, 1.0, 2.0], [2.0, 1.0, 4.0], [1.0, math.nan, 2.0],
     [math.nan, 1.0, math.nan], [-math.inf, -math.inf, -math.inf], [Fraction(1), Fraction(3), Fraction(6)]],
)
def test_a_max_node_follows_each_calls_maximum(new: list[Scalar]) -> None:
    """The maximum is chosen at call time, not trace time: the value and the routing of δ (the first
    maximum on ties, the first NaN wherever it sits) equal an eager rebuild at the new values."""

    def build(a: Value, b: Value, c: Value) -> Value:
        return autograd.max([a, b * 2, c, a]) * a

    traced = [Value(1.0, "a"), Value(3.0, "b"), Value(2.0, "c")]
    compiled = compile(build(*traced), traced)
    leaves = [Value(v) for v in new]
    eager = build(*leaves)
    eager.backward()
    out, grads = compiled(new)
    assert same(out, eager.data) and all(same(g, v.grad) for g, v in zip(grads, leaves)), (out, grads)
    assert "= max((a, " in compiled.source and "_d = first_max((a, " in compiled.source


def same(x: Scalar, y: Scalar) -> bool:
    """Equal, or both NaN."""
    return x == y or (x != x and y != y)


def test_a_max_node_of_symbols_is_sympys_max_and_piecewise_routing_as_eager() -> None:
    sympy = pytest.importorskip("sympy")
    s, t = sympy.symbols("s t")
    a, b = Value(1.0), Value(3.0)
    out, grads = compile(autograd.max([a, b]) * a, [a, b])([s, t])
    x, y = Value(s), Value(t)
    eager = autograd.max([x, y]) * x
    eager.backward()
    assert out == eager.data and grads == [x.grad, y.grad]


# Users' ops, applied to a program's output (and its first input): a hostile name is only a label
USER_OPS = [
    Op("softplus", lambda k, x: k.log(1 + k.exp(x)), lambda k, x, out: k.sigmoid(x)),
    Op("seed", lambda k, x: x * x * x, lambda k, x, out: 3 * x * x),
    Op("δ'\n", lambda k, x, y: x * x + y * y, lambda k, x, y, out: 2 * x, lambda k, x, y, out: 2 * y),
]


def with_user_op(op: Op | None) -> Output:
    """The program's output, or a user's op applied to it (a binary op: with the first input too)."""
    if op is None:
        return last
    return (lambda nodes: op(nodes[-1])) if op.arity == 1 else (lambda nodes: op(nodes[-1], nodes[0]))


# Labels a name could be made from, each one a trap: quotes and newlines, δ, keywords, builtins, the
# generated code's own names (seed, values, zero, c0, registers), NFKC twins (x, fullwidth ｘ, bold 𝐬𝐞𝐞𝐝)
HOSTILE_LABELS = st.sampled_from([
    None, "", "x", "ｘ", "x_2", "c0", "c1", "seed", "𝐬𝐞𝐞𝐝", "δx", "δ", "𝛿x", "δδ", "values", "zero",
    "compiled", "class", "None", "lambda", "abs", "print", "type", "exp", "relu", "inf", "nan", "_r0",
    "_v", "_chunk0", "v3", "1x", "w²₁", "a'b\"c", "line\nbreak", "'''", "__import__('os').system('x')",
])


@given(st.one_of(float_programs(), fraction_programs()), st.data())
def test_compiled_equals_eager(program: Program, data: st.DataObject) -> None:
    """The contract, over random graphs of every op (users' too) with hostile labels on every node: a call
    equals eager backward on the graph rebuilt at new values, for floats and Fractions (exactly), and
    for sympy symbols (free symbols as data), or raises the error eager raises."""
    exact = isinstance(program.inputs[0], Fraction)
    constant = Fraction if exact else float
    output = with_user_op(data.draw(st.sampled_from([None, *USER_OPS]), label="user op"))
    leaves = [Value(x) for x in program.inputs]
    nodes = evaluate(program, leaves, constant)
    nodes.append(output(nodes))
    for node in nodes:
        node.label = data.draw(HOSTILE_LABELS)
    compiled = compile(nodes[-1], leaves)
    if data.draw(st.booleans(), label="symbolic"):
        sympy = pytest.importorskip("sympy")
        symbols = sympy.symbols(f"s0:{len(leaves)}")
        eager_leaves = [Value(s) for s in symbols]
        try:
            eager_out = output(evaluate(program, eager_leaves, constant))
        except (ArithmeticError, TypeError, ValueError) as error:  # sympy cannot build it (1/0 in a branch)
            with pytest.raises(type(error)):
                compiled(list(symbols))
            return
        out, grads = compiled(list(symbols))
        for ours, theirs in zip([out, *grads], [eager_out.data, *grad(eager_out, eager_leaves)]):
            if ours != theirs:  # sums of float coefficients round apart: compare at the program's point
                ours, theirs = (at_point(sympy, e, symbols, program.inputs) for e in (ours, theirs))
                assert cmath.isclose(ours, theirs, rel_tol=1e-9, abs_tol=1e-12), (ours, theirs)
        return
    new = data.draw(st.lists(FRACTION_INPUTS if exact else FLOAT_INPUTS, min_size=3, max_size=3))
    agree_at(compiled, program, list(program.inputs), constant, output)
    for ours, theirs in agree_at(compiled, program, new[: len(program.inputs)], constant, output):  # relu: ±
        # Fractions in, Fractions out, except where eager passes nothing on (an exact 0 stays exact there,
        # a compiled product with a float factor gives 0.0): equal values, of the kind where not 0
        assert not exact or type(ours) is not float or type(theirs) is float or theirs == 0


def at_point(sympy: Any, expression: Any, symbols: Sequence[Any], point: Sequence[Any]) -> complex:
    """A sympy expression's value at the point: by substitution, or, where sympy's substitution compares a
    non-real number (a Piecewise whose other branch is log(0) = zoo there), evaluated branch by branch."""
    expression = sympy.sympify(expression)
    try:
        return complex(sympy.N(expression.subs(dict(zip(symbols, point)))))
    except TypeError:
        return complex(sympy.lambdify(symbols, expression, "mpmath")(*point))


def test_names_never_collide_with_each_other_constants_or_the_seed() -> None:
    """The issue's cases: an input labelled c0 beside the constant 3, x beside fullwidth ｘ (one name
    after NFKC), an interior node labelled bold 𝐬𝐞𝐞𝐝, a label that starts with δ (it hung)."""
    sympy = pytest.importorskip("sympy")
    a, b = sympy.symbols("a b")
    c0 = Value(2.0, "c0")
    assert compile(c0 * Value(Fraction(3)) + 1, [c0])([a]) == (3 * a + 1.0, [3])  # 1 traced as 1.0
    x, fullwidth = Value(2.0, "x"), Value(5.0, "ｘ")
    assert compile(x * 10 + fullwidth, [x, fullwidth])([a, b]) == (10.0 * a + b, [10.0, 1])
    w = Value(3.0, "w")
    bold = w * w
    bold.label = "𝐬𝐞𝐞𝐝"
    assert compile(bold + w, [w])([a]) == (a**2 + a, [2 * a + 1])
    d = Value(2.0, "δx")
    assert compile(d * d, [d])([3.0]) == (9.0, [6.0])
    source = compile(bold + w, [w]).source
    assert "seed_2 = w * w" in source and "δseed_2" in source


def test_names_from_many_equal_labels_are_made_in_linear_time() -> None:
    x = Value(1.0, "y")
    out = x
    for _ in range(20_000):
        out = out + 1.0
        out.label = "y"
    compiled = compile(out, [x])
    assert compiled([2.0]) == (20_002.0, [1.0]) and "y_20001 = y_20000 + 1.0" in compiled.source


def test_constants_are_bound_by_reference_never_written_as_text(tmp_path: Path) -> None:
    sympy = pytest.importorskip("sympy")
    witness = tmp_path / "ran"
    payload = sympy.Symbol(f"open({str(witness)!r}, 'w') or 1")  # would make a file if it ever ran
    x = Value(2.0, "x")
    compiled = compile(x * Value(payload) + Value(Fraction(1, 3)), [x])
    leaf = Value(5.0)
    eager_out = leaf * Value(payload) + Value(Fraction(1, 3))
    assert compiled([5.0]) == (eager_out.data, grad(eager_out, [leaf]))
    assert not witness.exists() and "open" not in compiled.source and "Fraction" not in compiled.source
    k = Value(sympy.Symbol("K"))  # a free symbol as a constant: it was a NameError
    leaf = Value(3.0)
    assert compile(x * k, [x])([3.0]) == ((leaf * k).data, grad(leaf * k, [leaf]))


@pytest.mark.parametrize("name", [op.name for op in UNARY] + ["+", "*", "sum"])
def test_deep_chains_of_every_op_compile(name: str) -> None:
    """A chain of 3,000 steps of one op (about 200 made `too many nested parentheses`, 3,000 a
    RecursionError): each node is a line, and lines nest a bounded number of levels."""
    x = Value(0.5, "x")
    out, op = x, OPS[name]
    for _ in range(3_000):
        if op.arity == 1:
            out = op.value(out) * 0.1 + 0.5  # stays in every op's domain
        else:
            out = op.value(out * 0.5, out, out * 0.25) if name == "sum" else op.value(out, out * 0.5) * 0.5
    got, grads = compile(out, [x])([0.5])
    assert close(got, out.data) and close(grads[0], grad(out, [x])[0])


@pytest.mark.slow
def test_a_100_000_node_chain_compiles() -> None:
    x = Value(0.5, "x")
    out = x
    for _ in range(50_000):
        out = -out * 1.000001
    got, grads = compile(out, [x])([0.25])
    assert close(got, 0.25 * 1.000001**50_000) and close(grads[0], 1.000001**50_000)


def test_the_seed_follows_backwards_rule() -> None:
    x = Value(3.0, "x")
    compiled = compile(x * x, [x])
    assert compiled([3.0], 2) == (9.0, [12.0]) and type(compiled([3.0], 2)[1][0]) is float
    for bad in (Value(1.0), "x", None, True):
        with pytest.raises(TypeError, match="grad_output must be a number"):
            compiled([3.0], bad)
    q = Value(Fraction(1, 2), "q")
    assert compile(q * q, [q])([Fraction(1, 2)], Fraction(1, 3)) == (Fraction(1, 4), [Fraction(1, 3)])


@given(float_programs(max_instructions=12))
def test_big_graphs_split_into_chunks_give_the_same_numbers(program: Program) -> None:
    whole = traced(program, float)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(chunks, "LINES_PER_FUNCTION", 1)
        chunked = traced(program, float)
    for version in ("fast", "floats", "guarded"):
        assert "def _chunk1" in "".join(chunked._code.texts(version))
        assert "def _chunk0" not in "".join(whole._code.texts(version))
    (out, grads), (whole_out, whole_grads) = chunked(program.inputs), whole(program.inputs)
    assert close(out, whole_out) and all(map(close, grads, whole_grads))


def test_a_zero_local_derivative_passes_nothing_not_nan() -> None:
    a = Value(-1.0, "a")
    out = a.relu() * 1e308 * 1e308  # δ of relu(a) is inf, its local derivative at a is 0
    compiled = compile(out, [a])
    assert compiled([-1.0]) == (0.0, [0.0])
    assert grad(out, [a]) == [0]
    assert compiled([2.0]) == (math.inf, [math.inf])


def test_outputs_that_are_inputs_or_constants_and_unused_inputs() -> None:
    x, y = Value(2.0, "x"), Value(Fraction(1, 3), "y")
    assert compile(x, [x, y])([5.0, Fraction(1)]) == (5.0, [1.0, 0.0])
    constant = Value(3.0) * 2
    assert compile(constant, [x])([7.0]) == (6.0, [0.0])
    exact = compile(y * y, [y, x])
    out, grads = exact([Fraction(1, 2), Fraction(4)])
    assert (out, grads) == (Fraction(1, 4), [Fraction(1), Fraction(0)])
    assert [type(v) for v in (out, *grads)] == [Fraction] * 3
    assert compile(Value(1.0), [])([]) == (1.0, [])


def test_calling_changes_no_value() -> None:
    w, x = Value(2.0, "w"), Value(3.0, "x")
    out = (w * x).tanh()
    out.backward()
    before = [(v.data, v.grad) for v in (w, x, out)]
    compile(out, [w, x])([0.5, -1.0])
    assert [(v.data, v.grad) for v in (w, x, out)] == before


def test_kept_nodes_hold_their_values_of_the_last_call() -> None:
    w, x = Value(2.0, "w"), Value(3.0, "x")
    z = w * x
    h = (z - 4).relu()  # a branch that follows each call's values
    out = h * h + w
    compiled = compile(out, [w, x], keep=[z, h, w, out])
    assert compiled.kept == []  # before a call
    for new in ([0.5, -1.0], [3.0, 2.0], [Fraction(1, 2), Fraction(3)]):
        result = compiled(new)
        w2, x2 = Value(new[0]), Value(new[1])
        z2 = w2 * x2
        h2 = (z2 - 4).relu()
        assert compiled.kept == [z2.data, h2.data, w2.data, (h2 * h2 + w2).data]
        assert result == compile(out, [w, x])(new)  # keeping changes neither the output nor the grads
    plain = compile(out, [w, x])
    plain([1.0, 1.0])
    assert plain.kept == []  # nothing kept without keep


def test_kept_nodes_of_an_array_call_hold_one_value_per_row() -> None:
    np = pytest.importorskip("numpy")
    w, x = Value(2.0, "w"), Value(3.0, "x")
    z = w * x
    compiled = compile((z - 4).relu(), [w, x], keep=[z])
    out, grads = compiled([2.0, np.array([1.0, 3.0])])
    assert out.tolist() == [0.0, 2.0] and [g.tolist() for g in grads] == [[0.0, 3.0], [0.0, 2.0]]
    assert [k.tolist() for k in compiled.kept] == [[2.0, 6.0]]


def test_a_kept_constant_node_keeps_its_value() -> None:
    w, c = Value(2.0, "w"), Value(5.0) * 3
    compiled = compile(w * c, [w], keep=[c])
    compiled([4.0])
    assert compiled.kept == [15.0]


def test_bad_keeps_are_refused() -> None:
    w = Value(1.0, "w")
    with pytest.raises(TypeError, match="keep must be a list of Values, not Value"):
        compile(w * w, [w], keep=w)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"keep\[1\] is a float"):
        compile(w * w, [w], keep=[w, 1.0])  # type: ignore[list-item]
    with pytest.raises(ValueError, match=r"keep\[0\] is not in the graph"):
        compile(w * w, [w], keep=[w + 1])


def test_bad_calls_name_the_culprit() -> None:
    x = Value(1.0, "x")
    compiled = compile(x * x, [x])
    with pytest.raises(ValueError, match=r"expects 1 values .* got 2"):
        compiled([1.0, 2.0])
    with pytest.raises(TypeError, match="value 0 is a str"):
        compiled(["1"])
    with pytest.raises(TypeError, match="value 0 is a Value"):
        compiled([x])
    with pytest.raises(TypeError, match="sequence of numbers"):
        compiled(1.0)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="output must be a Value"):
        compile(1.0, [x])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="input 0 is a float"):
        compile(x, [1.0])  # type: ignore[list-item]
    with pytest.raises(ValueError, match="input 0 is not a leaf"):
        compile(x * x, [x * 2])
    with pytest.raises(ValueError, match="input 1 appears twice"):
        compile(x * x, [x, x])


def test_the_source_compiles_names_the_labels_and_runs() -> None:
    w, o, b = Value(0.5, "W[0][1]"), Value(2.0, "o¹₂"), Value(1.0, "b")
    z = w * o + b
    z.label = "z"
    compiled = compile(z.relu(), [w, o, b])
    source = compiled.source
    assert "W_0_1 * o1_2" in source and "δW_0_1 = δz * o1_2" in source
    namespace = {**kind_namespace(FloatKind), **compiled._constants}
    exec(builtins.compile(source, "source", "exec"), namespace)
    assert namespace["compiled"]([0.5, 2.0, 1.0], 1.0) == compiled([0.5, 2.0, 1.0])


def test_a_linear_layer_reads_as_the_boxed_formulas() -> None:
    """δw^{k,j}_i = δ^{k+1}_j · o^{k-1}_i and δ^k_i = Σ_j δ^{k+1}_j · w^{k,j}_i, line by line."""
    layer = Linear.from_weights([[1.0, 2.0], [3.0, 4.0]], [0.0, 0.0])
    o = [Value(1.0, "o0"), Value(-1.0, "o1")]
    z = layer(o)
    for j, zj in enumerate(z):
        zj.label = f"z{j}"
    loss = z[0] * z[0] + z[1]
    source = compile(loss, [*o, *layer.parameters()]).source
    assert "δw_k_1_2 = δz0 * o1" in source and "δw_k_2_1 = δz1 * o0" in source  # w^{k,j}_i -> w_k_j_i
    assert "δo0 = δz0 * w_k_1_1 + δz1 * w_k_2_1" in source
    assert "δb_k_1 = δz0" in source  # δb = δ


def test_symbolic_data_runs_the_readable_source() -> None:
    sympy = pytest.importorskip("sympy")
    a, b = sympy.symbols("a b")
    x, w = Value(2.0, "x"), Value(3.0, "w")
    compiled = compile((w * x).relu() * x + (x * w).tanh(), [x, w])
    out, grads = compiled([a, b])
    xs, ws = Value(a), Value(b)
    eager_out = (ws * xs).relu() * xs + (xs * ws).tanh()
    assert sympy.simplify(out - eager_out.data) == 0
    assert all(sympy.simplify(g - e) == 0 for g, e in zip(grads, grad(eager_out, [xs, ws])))


def test_relu_written_inline_for_floats_follows_the_engine() -> None:
    """The floats version writes relu and its step inline: +0.0 below 0, a step of 1 at 0, NaN passes."""
    x, w = Value(1.0, "x"), Value(2.0, "w")
    out = (w * x).relu() * x
    compiled = compile(out, [x, w])
    assert "relu(" not in compiled._code.texts("floats")[0] and "relu(" in compiled.source
    for a in (-1.5, -0.0, 0.0, 3.0, math.inf, -math.inf, math.nan):
        leaves = [Value(a), Value(2.0)]
        eager_out = (leaves[1] * leaves[0]).relu() * leaves[0]
        got, grads = compiled([a, 2.0])
        assert close(got, eager_out.data) and all(map(close, grads, grad(eager_out, leaves)))
    relu = compile(x.relu(), [x])
    for v in (-2.0, -0.0, -math.inf):  # +0.0 below 0; -0.0 is not below 0 and passes as it is
        assert math.copysign(1.0, relu([v])[0]) == math.copysign(1.0, Value(v).relu().data)
    assert relu([0.0])[1] == [1.0] and relu([-1.0])[1] == [0.0]


def test_mixed_floats_and_fractions_run_the_code_for_any_number() -> None:
    x, y = Value(1.0, "x"), Value(2.0, "y")
    compiled = compile((x * y).relu() + y, [x, y])
    out, grads = compiled([-1.0, Fraction(1, 2)])  # a Fraction product: relu gives Fraction(0)
    leaves = [Value(-1.0), Value(Fraction(1, 2))]
    eager_out = (leaves[0] * leaves[1]).relu() + leaves[1]
    assert (out, type(out)) == (eager_out.data, type(eager_out.data))
    assert all(map(close, grads, grad(eager_out, leaves)))


def test_single_use_gradients_are_written_inline_in_brackets_where_needed() -> None:
    """δ read once by another δ is written inside it (δz = 0.0 if z < 0.0 else Σ ...), bracketed as
    Python's precedence needs, in the engine's order of operations."""
    a, b, c = Value(0.5, "a"), Value(-2.0, "b"), Value(3.0, "c")
    out = ((a * b + c).relu() * (a - c)).relu() * -(b + a) - (a * c).relu()
    compiled = compile(out, [a, b, c])
    assert "0.0 if" in compiled._code.texts("floats")[0]
    for data in ([0.5, -2.0, 3.0], [-1.0, 4.0, 0.25], [2.0, 2.0, -3.0], [0.0, 0.0, 0.0]):
        leaves = [Value(v) for v in data]
        la, lb, lc = leaves
        eager_out = ((la * lb + lc).relu() * (la - lc)).relu() * -(lb + la) - (la * lc).relu()
        got, grads = compiled(data)
        assert close(got, eager_out.data) and grads == grad(eager_out, leaves)


def test_a_users_op_compiles_to_a_line_named_after_it() -> None:
    smooth = Op("smooth", lambda k, x: k.log(1 + k.exp(x)), lambda k, x, out: k.sigmoid(x))
    x = Value(0.5, "x")
    compiled = compile(smooth(x) * 2, [x])
    assert "smooth = log(1 + exp(x))" in compiled.source
    assert "δx = δsmooth * sigmoid(x)" in compiled.source
    leaf = Value(-1.5)
    out = smooth(leaf) * 2
    assert compiled([-1.5]) == (out.data, grad(out, [leaf]))
    softplus = Op("softplus", lambda k, x: k.log(1 + k.exp(x)), lambda k, x, out: k.sigmoid(x))
    assert "softplus_2 = log(1 + exp(x))" in compile(softplus(x), [x]).source  # softplus is the kind's


def test_a_rule_compile_cannot_trace_is_refused_naming_the_op() -> None:
    sympy = pytest.importorskip("sympy")
    x = Value(0.5, "x")
    branches = Op("branches", lambda k, x: x if x > 0 else -x, lambda k, x, out: 1)
    with pytest.raises(TypeError, match="cannot trace op 'branches'"):
        compile(branches(x), [x])
    smuggled = sympy.Symbol("__import__('os').getcwd()")  # its text must never run as code
    evil = Op("evil", lambda k, x: x * smuggled, lambda k, x, out: smuggled)
    with pytest.raises(TypeError, match="cannot trace op 'evil'"):
        compile(evil(x), [x])
