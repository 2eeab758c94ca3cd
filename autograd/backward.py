"""The backward pass: a topological order (iterative), the chain rule along it, grad() and hessian().

The chain rule: δnode = Σ over the node's children of (local derivative × δchild), summed in reverse
topological order. A local derivative that is exactly 0 passes nothing on (so ReLU blocks an infinite
factor behind it); every other product follows IEEE 754, as in PyTorch.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from operator import methodcaller
from typing import Any, overload

from autograd import mode as _mode
from autograd.kinds import Kind, Scalar, is_constant, is_symbolic, kind_of
from autograd.rules import MANY
from autograd.value import Value, max

Locals = Callable[[Value], Iterable[tuple[Any, Any]]]  # a node's (operand, local derivative) pairs


def topological_order(root: Value) -> list[Value]:
    """Every node `root` depends on, each after all of its parents (root last); no recursion.

    Depth first with one stack: a node met for the first time is opened. If all of its parents are
    opened, they are placed (in a DAG an opened node that is not placed lies on the path being walked,
    which cannot hold a parent), so the node is placed at once; else it is pushed back under a `None`
    marker with its unopened parents above it, and placed when the marker comes back up. Nothing is
    allocated per node, so ordering a big graph triggers no garbage-collector pass.
    """
    order: list[Value] = []
    opened: set[Value] = set()
    stack: list[Value | None] = [root]
    pop, push, open_, place = stack.pop, stack.append, opened.add, order.append
    while stack:
        node = pop()
        if node is None:  # the marker: the node under it has all its parents placed
            place(pop())  # type: ignore[arg-type]
            continue
        if node in opened:  # a second copy of a node already opened
            continue
        open_(node)
        x = node._x
        if type(x) is tuple:  # a sum: its terms, the last first (as they would come off the stack)
            k = len(x)
            while k:  # a last term whose parents are all opened is placed at once, as popping it would be
                # (the test below is x_waits / y_waits of the non-sum branch, written inline: as a
                # function it costs a call per term, more than the placement saves)
                term = x[k - 1]
                if term not in opened:
                    t = term._x
                    if type(t) is tuple or (term._dx is not None and t not in opened) or (
                        term._dy is not None and term._y not in opened
                    ):
                        break
                    open_(term)
                    place(term)
                k -= 1
            if not k:
                place(node)
                continue
            push(node)
            push(None)
            for i in range(k):
                if x[i] not in opened:
                    push(x[i])
            continue
        x_waits = node._dx is not None and x not in opened  # a Value operand not yet placed
        y = node._y
        y_waits = node._dy is not None and y not in opened
        if x_waits or y_waits:
            push(node)
            push(None)
            if x_waits:
                push(x)
            if y_waits:
                push(y)
        else:
            place(node)
    return order


def backward(root: Value, grad: Scalar = 1, create_graph: bool = False) -> None:
    """Seed ∂root/∂root = `grad`, then in reverse order add `local · node.grad` to each parent.

    Leaves accumulate across calls (until reset); interior nodes hold the learning flow of this call
    only. With `create_graph`, the locals are the rules' formulas over Values, so every grad is a Value.
    """
    seed = _seed(root, grad)
    order = topological_order(root)
    if create_graph:
        with _mode.enable_grad():
            flow = _flow(order, root, seed, _graph_locals)
            for node in order:
                g = flow.get(node, 0)
                if node.is_leaf():
                    g = g if node.grad is None else node.grad + g
                node.grad = _as_value(g, node)
        _check_gradients(order)
        return
    zero = kind_of(root.data).zero
    for node in order:
        if node._dx is not None or node._dy is not None:  # interior: the flow of this call only
            node.grad = zero
        elif type(node.grad) is int:  # a leaf's neutral 0 takes the graph's kind, reached or not
            node.grad += zero
        elif node.grad is None:  # set to None (PyTorch's zero_grad(set_to_none=True)): zero
            node.grad = zero
    root.grad += seed
    node = root
    try:
        for node in reversed(order):  # the fast path of _flow, on the nodes' .grad
            g = node.grad
            d = node._dx
            if d:  # None (a constant operand or none) and an exact 0 pass nothing
                x = node._x
                if type(x) is tuple:  # a sum (∂Σ/∂term = 1: each term receives δ as it is) or a max
                    if type(d) is tuple:
                        for term, local in zip(x, d):
                            if local:
                                term.grad += local * g
                    else:
                        for term in x:
                            term.grad += g
                else:
                    x.grad += d * g
            d = node._dy
            if d:
                node._y.grad += d * g
    except OverflowError as error:  # an exact local derivative met with a float grad
        raise OverflowError(f"backward through {node.op!r}: beyond a float's range ({error})") from None
    _check_gradients(order)


@overload
def grad(output: Value, inputs: Value, grad_output: Scalar = 1, create_graph: bool = False) -> Any: ...
@overload
def grad(
    output: Value, inputs: Sequence[Value], grad_output: Scalar = 1, create_graph: bool = False
) -> list[Any]: ...
def grad(
    output: Value, inputs: Value | Sequence[Value], grad_output: Scalar = 1, create_graph: bool = False
) -> Any:
    """∂output/∂input for each input (one Value in, one gradient out), changing no `.grad`.

    An input the output does not use gets a zero of its kind (0.0, Fraction(0)). With `create_graph`
    the gradients are Values that can be differentiated again. Safe to call from several threads.
    """
    if not isinstance(output, Value):
        raise TypeError(f"grad's output must be a Value, not {type(output).__name__}")
    single = isinstance(inputs, Value)
    wanted: list[Value] = [inputs] if isinstance(inputs, Value) else list(inputs)
    for i, x in enumerate(wanted):
        if not isinstance(x, Value):
            raise TypeError(f"grad's inputs must be Values: input {i} is a {type(x).__name__}")
    seed = _seed(output, grad_output)
    order = topological_order(output)
    if create_graph:
        with _mode.enable_grad():
            flow = _flow(order, output, seed, _graph_locals)
            grads: list[Any] = [_as_value(flow.get(x, kind_of(x.data).zero), x) for x in wanted]
    else:
        flow = _flow(order, output, seed, _slot_locals)
        grads = [flow.get(x, kind_of(x.data).zero) for x in wanted]
    return grads[0] if single else grads


def hessian(output: Value, inputs: Sequence[Value]) -> list[list[Any]]:
    """[i][j] = ∂²output/∂input_i ∂input_j: grad of each first derivative (built with create_graph)."""
    first = grad(output, inputs, create_graph=True)
    return [grad(g, inputs) for g in first]


def _seed(root: Value, grad: Any) -> Scalar:
    """The seed ∂root/∂root as a number of the graph's kind, checked before anything changes."""
    return seed_of(grad, kind_of(root.data), "the backward seed")


def seed_of(grad: Any, kind: Any, what: str) -> Scalar:
    """A seed (backward's, a compiled call's) as a number of `kind`, or a TypeError naming `what`."""
    if isinstance(grad, Value):
        raise TypeError(f"{what} must be a number, not a Value: pass its .data")
    if isinstance(grad, bool) or not is_constant(grad):
        raise TypeError(f"{what} must be a number of the graph's kind, not {type(grad).__name__}")
    return kind.constant(grad)


def _flow(order: list[Value], root: Value, seed: Scalar, locals_of: Locals) -> dict[Value, Any]:
    """The chain rule without touching any node: each node's gradient, in a dict.

    A node that receives nothing still passes 0 · local on, as `backward` does (IEEE: 0 · ∞ is NaN),
    except under create_graph, where no graph is built for it.
    """
    grads: dict[Value, Any] = {root: seed}
    zero = None if locals_of is _graph_locals else kind_of(root.data).zero
    for node in reversed(order):
        g = grads.get(node, zero)
        if g is None or node.is_leaf():  # under create_graph, a node that receives nothing passes nothing
            continue
        for parent, d in locals_of(node):
            if type(d) is Value or d:  # a constant exact 0 passes nothing
                impact = g if type(d) is int and d == 1 else d * g
                grads[parent] = grads[parent] + impact if parent in grads else impact
    return grads


def _slot_locals(node: Value) -> Iterable[tuple[Any, Any]]:
    """The local derivatives taken at forward time."""
    return zip(node.parents, node.local_grads)


def _graph_locals(node: Value) -> Iterable[tuple[Any, Any]]:
    """The local derivatives as Values: the node's rule evaluated over its operands (create_graph)."""
    op = node._op
    assert op is not None  # a leaf has no locals; _flow skips leaves
    x, y = node._x, node._y
    if op.arity == MANY:
        yield from zip(x, op.dx(ValueKind, x, node))
    elif op.arity == 1:
        yield x, op.dx(ValueKind, x, node)
    else:
        if node._dx is not None:
            yield x, op.dx(ValueKind, x, y, node)
        if node._dy is not None and op.dy is not None:
            yield y, op.dy(ValueKind, x, y, node)


def _as_value(g: Any, like: Value) -> Value:
    """A gradient as a Value (a constant leaf where it is a plain number)."""
    return g if isinstance(g, Value) else Value(kind_of(like.data).constant(g))


def _check_gradients(order: list[Value]) -> None:
    """Under detect_anomaly(): raise at the node nearest the output whose gradient is NaN."""
    if not _mode.current().detect_anomaly:
        return
    for node in reversed(order):
        g = node.grad.data if isinstance(node.grad, Value) else node.grad
        if _mode.is_nan(g):
            source = next((c for c in order if node in c.parents), None)  # the error path only
            made = f", passed back by op {source.op!r}" if source is not None else ""
            raise FloatingPointError(f"backward produced a NaN gradient at {node!r} (op {node.op!r}){made}")


def _data(v: Any) -> Scalar:
    """The data of a Value, or a constant operand as it is."""
    return v.data if isinstance(v, Value) else v


def _method(name: str) -> Any:
    """The Value method `name` as a kind's function: ValueKind.exp(x) is x.exp()."""
    return staticmethod(methodcaller(name))


class ValueKind(Kind):
    """The rules' functions over Values (for create_graph): Value ops, so derivatives are graphs.

    A step, a sign or a maximum's choice is a constant of the data's kind: the zeros it gives pass
    nothing on. Where first order's value is a limit (a pole, ln of 0), the same constant is given.
    """

    zero = 0

    @staticmethod
    def constant(c: Any) -> Any:
        """A constant stays as it is."""
        return c

    @staticmethod
    def divide(x: Any, y: Any) -> Any:
        """x / y."""
        return x / y

    @staticmethod
    def power(x: Any, n: Any) -> Any:
        """x ** n."""
        return x**n

    @staticmethod
    def times_pow(a: Any, x: Any, n: Any) -> Any:
        """a · x^n: first order's constant where a is a constant 0 or x^n has a pole (0 ** negative), else
        a graph (a Value a that happens to be 0 stays in it: its derivative is x^n)."""
        if (not isinstance(a, Value) and a == 0) or _pole(_data(x), _data(n)):
            return kind_of(_data(x)).times_pow(_data(a), _data(x), _data(n))
        return a * x**n

    @staticmethod
    def inverse(x: Any) -> Any:
        """1 / x."""
        return 1 / x

    @staticmethod
    def times_log(a: Any, x: Any) -> Any:
        """a · ln x: first order's constant where a is a constant 0 or x <= 0 (0 or NaN), else a graph."""
        data = _data(x)
        if (not isinstance(a, Value) and a == 0) or not (is_symbolic(data) or data > 0):
            return kind_of(data).times_log(_data(a), data)
        return a * (x.log() if isinstance(x, Value) else kind_of(data).log(data))

    @staticmethod
    def leaky_relu(x: Value, slope: Any) -> Value:
        """LeakyReLU(x)."""
        return x.leaky_relu(slope)

    @staticmethod
    def step(x: Value, low: Any = 0) -> Any:
        """The step of x's data: a constant."""
        return kind_of(x.data).step(x.data, low)

    @staticmethod
    def sign(x: Value) -> Any:
        """The sign of x's data: a constant."""
        return kind_of(x.data).sign(x.data)

    @staticmethod
    def max(terms: Sequence[Value]) -> Value:
        """The largest term as a node."""
        return max(terms)

    @staticmethod
    def first_max(terms: Sequence[Value]) -> tuple[Any, ...]:
        """The maximum's choice among the terms' data: constants."""
        data = [t.data for t in terms]
        return kind_of(data[0]).first_max(data)

    exp = _method("exp")
    log = _method("log")
    log1p = _method("log1p")
    sqrt = _method("sqrt")
    sin = _method("sin")
    cos = _method("cos")
    tan = _method("tan")
    tanh = _method("tanh")
    sigmoid = _method("sigmoid")
    softplus = _method("softplus")
    abs = _method("abs")
    relu = _method("relu")


def _pole(x: Scalar, n: Scalar) -> bool:
    """Whether x^n has a pole: 0 ** negative."""
    return not is_symbolic(x) and not is_symbolic(n) and x == 0 and n < 0
