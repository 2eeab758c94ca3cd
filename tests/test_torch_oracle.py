"""PyTorch as a test oracle: random graphs, grad(), second derivatives and every nn layer against
float64 torch autograd.

The random graphs run over every op of the registry `ops.OPS`: on tensors, each op is its rule's
forward (`autograd.rules`) over `TorchKind`, the kind whose functions are PyTorch's own
(`torch.exp`, `F.softplus`, ...), so PyTorch's autograd checks every rule's local derivatives.
Every comparison goes through `LARGEST.check`: ours and PyTorch's must agree to
1e-10 relative (absolute below 1), and the largest difference seen is printed at the end of the run.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Iterator, Sequence
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from nn_strategies import SEEDS, batches, conv_models, models
from ops import LEAKY_SLOPE, OPS
from strategies import Program, evaluate, float_programs

import autograd
from autograd import Value, grad, hessian
from autograd.kinds import Kind
from nn import BatchNorm, Module, to_torch

torch = pytest.importorskip(
    "torch", reason="PyTorch is not installed: pip install 'impactgrad[torch]' (make test installs it)"
)
F = torch.nn.functional

TOLERANCE = 1e-10


class TorchKind(Kind):
    """What a rule may ask of a kind, as PyTorch's functions on float64 tensors."""

    zero = 0.0

    @staticmethod
    def constant(c: Any) -> Any:
        return torch.tensor(float(c), dtype=torch.float64)

    @staticmethod
    def divide(x: Any, y: Any) -> Any:
        return x / y

    @staticmethod
    def power(x: Any, n: Any) -> Any:
        return torch.pow(x, n)

    @staticmethod
    def times_pow(a: Any, x: Any, n: Any) -> Any:
        return a * torch.pow(x, n)

    @staticmethod
    def times_log(a: Any, x: Any) -> Any:
        return a * torch.log(x)

    @staticmethod
    def inverse(x: Any) -> Any:
        return 1 / x

    exp, log, log1p, sqrt = (staticmethod(f) for f in (torch.exp, torch.log, torch.log1p, torch.sqrt))
    sin, cos, tan, tanh = (staticmethod(f) for f in (torch.sin, torch.cos, torch.tan, torch.tanh))
    sigmoid, softplus = staticmethod(torch.sigmoid), staticmethod(F.softplus)
    abs, sign = staticmethod(torch.abs), staticmethod(torch.sign)
    relu = staticmethod(torch.relu)

    @staticmethod
    def leaky_relu(x: Any, slope: Any) -> Any:
        return F.leaky_relu(x, float(slope))

    @staticmethod
    def step(x: Any, low: Any = 0) -> Any:
        return torch.where(x >= 0, 1.0, float(low))

    @staticmethod
    def max(terms: Sequence[Any]) -> Any:
        """The first maximum (argmax), as max pooling routes its gradient: to one term, even at ties."""
        stacked = torch.stack(list(terms))
        return stacked[stacked.argmax()]

    @staticmethod
    def first_max(terms: Sequence[Any]) -> tuple[Any, ...]:
        chosen = int(torch.stack(list(terms)).argmax())
        return tuple(float(i == chosen) for i in range(len(terms)))


def torch_op(name: str, args: list[Any]) -> Any:
    """The op's rule evaluated over TorchKind: PyTorch's functions, differentiated by PyTorch."""
    op = autograd.OPS[name]
    if op.arity == autograd.rules.MANY:
        return op.forward(TorchKind, args)
    if op.arity == 2 and op.dy is None:  # leaky_relu: the registry applies it with a constant slope
        return op.forward(TorchKind, args[0], LEAKY_SLOPE)
    tensors = [a if isinstance(a, torch.Tensor) else TorchKind.constant(a) for a in args]
    return op.forward(TorchKind, *tensors)


class Largest:
    """The largest difference from PyTorch seen in this run, shown in pytest's terminal summary."""

    def __init__(self) -> None:
        self.absolute = self.relative = 0.0
        self.count = 0

    def check(self, ours: float, theirs: float, what: str, scale: float = 1.0) -> None:
        """Assert |ours - theirs| <= 1e-10 · max(1, |theirs|, scale) and remember the largest difference.

        `scale`: the size of what cancels into `theirs` (a bias before a BatchNorm has a grad of 0 made of
        terms as large as the other grads: its rounding is relative to them, not to 0).
        """
        difference = abs(ours - theirs)
        scale = max(1.0, abs(theirs), scale)
        assert difference <= TOLERANCE * scale, f"{what}: ours {ours!r}, PyTorch {theirs!r}"
        self.count += 1
        self.absolute = max(self.absolute, difference)
        self.relative = max(self.relative, difference / scale)

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        terminalreporter.write_line(
            f"PyTorch oracle: {self.count} numbers compared; largest |ours - PyTorch| = {self.absolute:.3g}, "
            f"largest |ours - PyTorch| / max(1, |PyTorch|) = {self.relative:.3g} (tolerance {TOLERANCE:g})"
        )


LARGEST = Largest()


@pytest.fixture(autouse=True, scope="module")
def _report_the_largest_difference(pytestconfig: pytest.Config) -> None:
    if not pytestconfig.pluginmanager.is_registered(LARGEST):
        pytestconfig.pluginmanager.register(LARGEST, "torch-oracle")


def leaf(x: float) -> torch.Tensor:
    """A float64 tensor that requires grad."""
    return torch.tensor(float(x), dtype=torch.float64, requires_grad=True)


def run_torch(program: Program) -> list[torch.Tensor]:
    """Every node of `program` as a float64 tensor, each keeping its grad after backward."""
    nodes = [leaf(x) for x in program.inputs]
    for instruction in program.instructions:
        args = [nodes[x] if type(x) is int else float(x) for x in instruction.operands]
        node = torch_op(instruction.op, args)
        node.retain_grad()
        nodes.append(node)
    return nodes


def grad_of(tensor: torch.Tensor | None) -> float:
    """A tensor's number, 0.0 for None (PyTorch's "no gradient reached it")."""
    return 0.0 if tensor is None else tensor.item()


def test_torch_kind_implements_every_function_a_rule_may_ask_for() -> None:
    assert not TorchKind.__abstractmethods__ and set(OPS) == set(autograd.OPS)


@given(float_programs(max_inputs=4, max_instructions=12))
def test_random_graphs_agree_with_torch_in_data_and_every_grad(program: Program) -> None:
    ours = evaluate(program, [Value(x) for x in program.inputs])
    theirs = run_torch(program)
    ours[-1].backward()
    theirs[-1].backward()
    for k, (o, t) in enumerate(zip(ours, theirs)):
        LARGEST.check(o.data, t.item(), f"data of node {k}")
        LARGEST.check(o.grad, grad_of(t.grad), f"grad of node {k}")


@given(float_programs(max_inputs=4, max_instructions=12), st.data())
def test_grad_agrees_with_torch_autograd_grad(program: Program, data: st.DataObject) -> None:
    ours = evaluate(program, [Value(x) for x in program.inputs])
    theirs = run_torch(program)
    wrt = data.draw(st.lists(st.integers(0, len(ours) - 1), min_size=1, unique=True), label="wrt")
    seed = data.draw(st.floats(-2, 2), label="grad_output")
    found = grad(ours[-1], [ours[k] for k in wrt], seed)
    expected = torch.autograd.grad(
        theirs[-1], [theirs[k] for k in wrt], torch.tensor(seed, dtype=torch.float64), allow_unused=True
    )
    for k, o, t in zip(wrt, found, expected):
        LARGEST.check(o, grad_of(t), f"∂out/∂node {k}")


def by_our_names(twin: torch.nn.Module) -> dict[str, float]:
    """The twin's parameter gradients under our names: `1.weight` [j, i] is our `1.weight.j.i`."""
    grads = {}
    for name, p in twin.named_parameters():
        for index in itertools.product(*map(range, p.shape)):
            grads[".".join([name, *map(str, index)])] = grad_of(p.grad[index])
    return grads


def flat(nested: Any) -> list[Any]:
    """The numbers (or Values) of nested lists, in row-major order."""
    if isinstance(nested, (list, tuple)):
        return [x for item in nested for x in flat(item)]
    return [nested]


@given(models() | conv_models(), st.data())
def test_every_layer_agrees_with_its_torch_twin(
    drawn: tuple[Module, tuple[int, ...]], data: st.DataObject
) -> None:
    model, shape = drawn
    twin = to_torch(model)
    batch = data.draw(batches(shape), label="batch")
    out = twin(torch.tensor(batch, dtype=torch.float64))
    rng = random.Random(data.draw(SEEDS, label="loss weights"))
    weights = [rng.uniform(-1, 1) for _ in range(out.numel())]
    (out.flatten() * torch.tensor(weights, dtype=torch.float64)).sum().backward()
    ours = flat(forward(model, batch))
    sum((c * o for c, o in zip(weights, ours, strict=True)), Value(0.0)).backward()
    for k, (o, t) in enumerate(zip(ours, out.flatten().tolist())):
        LARGEST.check(o.data, t, f"output {k} (row-major)")
    theirs = by_our_names(twin)
    assert list(theirs) == [name for name, _ in model.named_parameters()]
    # The size of the terms that cancel into a grad: the largest grad, and through a BatchNorm 1/ε (on a
    # batch of one, x - μ = 0 and its learning flow is made of terms as large as 1/√(σ² + ε)², then cancel)
    eps = [m.eps for m in model.modules() if isinstance(m, BatchNorm)]
    flow = max(1.0, *(abs(g) for g in theirs.values())) / (min(eps) if eps else 1.0)
    for name, p in model.named_parameters():
        LARGEST.check(p.grad, theirs[name], f"δ{name}", scale=flow)
    layers = dict(named_layers(model))
    for name, buffer in twin.named_buffers():  # the running statistics, moved by a training forward
        prefix, _, kind = name.rpartition(".")
        if kind in ("running_mean", "running_var"):
            for f, (o, t) in enumerate(zip(getattr(layers[prefix], kind), buffer.tolist(), strict=True)):
                LARGEST.check(o, t, f"{name}[{f}]")


def forward(model: Module, batch: list[Any]) -> Any:
    """Our outputs on a batch: in one call where batch normalization needs it, else sample by sample."""
    if any(isinstance(layer, BatchNorm) for _, layer in named_layers(model)):
        return model(batch)
    return [model(sample) for sample in batch]


def named_layers(module: Module, prefix: str = "") -> Iterator[tuple[str, Module]]:
    """The module and every sub-module, by dotted name as in PyTorch ("" for the module itself)."""
    yield prefix, module
    for name, child in module.named_children():
        yield from named_layers(child, f"{prefix}.{name}" if prefix else name)


def torch_grads(
    output: torch.Tensor, inputs: Sequence[torch.Tensor], create_graph: bool = False
) -> list[Any]:
    """∂output/∂input for each input, a zero tensor where none flows (output constant in it)."""
    if not output.requires_grad:
        return [torch.zeros((), dtype=torch.float64) for _ in inputs]
    found = torch.autograd.grad(
        output, inputs, retain_graph=True, create_graph=create_graph, allow_unused=True
    )
    return [torch.zeros((), dtype=torch.float64) if g is None else g for g in found]


def has_a_zero_value_exponent(program: Program) -> bool:
    """Whether some x ** y has a node y that is exactly 0 (where PyTorch drops a second derivative), or a
    constant exponent n below 2 where x^(n-2) overflows (x = 0, or a tiny x such as 1e-200): PyTorch's
    second derivative is then n·(n-1)·inf, NaN at n = 0 or 1, ours the limit 0, as an exact 0 local
    derivative passes nothing on."""
    nodes = evaluate(program, list(program.inputs), real=True)
    return any(
        i.op == "**"
        and (
            (type(i.operands[1]) is int and nodes[i.operands[1]] == 0)
            or (
                type(i.operands[1]) is not int
                and i.operands[1] < 2
                and overflows(nodes[i.operands[0]], i.operands[1] - 2)
            )
        )
        for i in program.instructions
    )


def overflows(x: float, n: float) -> bool:
    """Whether |x|^n is beyond the floats (a pole at x = 0 for n < 0)."""
    try:
        return math.isinf(abs(float(x)) ** float(n))
    except (OverflowError, ZeroDivisionError):
        return True


def test_pytorch_drops_the_mixed_second_derivative_of_x_to_the_y_at_y_0() -> None:
    # ∂/∂y (∂x^y/∂x) = ∂/∂y (y·x^(y-1)) = x^(y-1) + y·x^(y-1)·ln x = 1/x at y = 0 (sympy agrees);
    # PyTorch masks ∂x^y/∂x by y == 0, so its graph of that derivative is constant in y.
    x, y = Value(2.0), Value(0.0)
    t_x, t_y = leaf(2.0), leaf(0.0)
    (t_dx,) = torch.autograd.grad(t_x**t_y, [t_x], create_graph=True)
    assert grad(grad(x**y, x, create_graph=True), y) == 0.5
    assert torch_grads(t_dx, [t_y])[0].item() == 0.0


@pytest.mark.parametrize("how", ["backward", "grad"])
@given(float_programs(max_inputs=3, max_instructions=10), st.data())
def test_second_derivatives_agree_with_torch(how: str, program: Program, data: st.DataObject) -> None:
    assume(not has_a_zero_value_exponent(program))
    leaves = [Value(x) for x in program.inputs]
    out = evaluate(program, leaves)[-1]
    if how == "backward":
        out.backward(create_graph=True)
        firsts = [x.grad for x in leaves]  # a Value, or the neutral 0 of an input out of the graph
        for x in leaves:
            x.grad = 0
    else:
        firsts = grad(out, leaves, create_graph=True)
    theirs = run_torch(program)
    t_leaves = theirs[: len(leaves)]
    t_firsts = torch_grads(theirs[-1], t_leaves, create_graph=True)
    for i, (g, t) in enumerate(zip(firsts, t_firsts)):
        LARGEST.check(g.data if isinstance(g, Value) else g, t.item(), f"∂out/∂x{i} (create_graph)")
    rng = random.Random(data.draw(SEEDS, label="weights of the first derivatives"))
    weights = [rng.uniform(-1, 1) for _ in leaves]
    sum((c * g for c, g in zip(weights, firsts)), Value(0.0)).backward()
    seconds = torch_grads(sum(c * t for c, t in zip(weights, t_firsts)), t_leaves)
    for i, (x, t) in enumerate(zip(leaves, seconds)):
        LARGEST.check(x.grad, t.item(), f"∂(Σ c·∂out/∂x)/∂x{i}")


@given(float_programs(max_inputs=3, max_instructions=10))
def test_hessian_agrees_with_torch(program: Program) -> None:
    assume(not has_a_zero_value_exponent(program))
    leaves = [Value(x) for x in program.inputs]
    ours = hessian(evaluate(program, leaves)[-1], leaves)
    theirs = run_torch(program)
    t_leaves = theirs[: len(leaves)]
    for i, t_first in enumerate(torch_grads(theirs[-1], t_leaves, create_graph=True)):
        for j, t in enumerate(torch_grads(t_first, t_leaves)):
            LARGEST.check(ours[i][j], t.item(), f"∂²out/∂x{i}∂x{j}")
