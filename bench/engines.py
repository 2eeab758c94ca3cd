"""The engines under test, each doing the same workloads its own way (as its users would write them).

Every engine takes the moons MLP as plain numbers, `layers[k] = (weights[j][i], biases[j])`, and
reports its gradients in that order too (layer by layer: weights row by row, then biases), so that
all engines can be checked against each other before anything is timed.
"""

from __future__ import annotations

import importlib.util
import itertools
import math
import time
from collections.abc import Callable, Sequence
from typing import Any

Layers = list[tuple[list[list[float]], list[float]]]
ALPHA = 1e-4  # the L2 factor of micrograd's moons demo
DIGITS_LR, DIGITS_BATCH = 0.01, 32  # notebook 09's training of the digits: Adam's step, batch size


class Engine:
    """One engine: a moons model with a training step, the chain, the wide sum and inference."""

    name = ""
    gc_off = False  # True: the worker disables the cyclic garbage collector (extra information only)
    nodes_per_step = 0  # Values made per chain step (0: memory is not measured for this engine)
    backward_memory = False  # whether memory is also measured after backward
    big_moons = False  # whether it also runs the moons step on 1,000 rows (a graph of ~650,000 nodes)

    def load(self, layers: Layers) -> None:
        """Build the model's parameters from plain numbers."""
        raise NotImplementedError

    def prepare(self, xs: list[list[float]], ys: list[float]) -> float | None:
        """Work done once before stepping on these rows: its seconds if it is a compilation, or None."""
        return None

    def loss_and_grads(self, xs: list[list[float]], ys: list[float]) -> tuple[float, list[float]]:
        """One forward and backward of the moons loss, without updating: (loss, gradients)."""
        raise NotImplementedError

    def step(self, xs: list[list[float]], ys: list[float], lr: float) -> float:
        """One training step: zero grads, forward, backward, SGD update; returns the loss."""
        raise NotImplementedError

    def forward(self, xs: list[list[float]], graph: bool) -> list[float]:
        """The model's scores for every row, building a graph or not (inference)."""
        raise NotImplementedError

    def leaf(self, value: float) -> Any:
        """A scalar of this engine that takes gradients (engines without one have no chain or wide)."""
        raise NotImplementedError

    def chain_compiler(self, nodes: int) -> Callable[[], Any]:
        """The compilation of a chain of `nodes` nodes with x_0 as its input, to be timed (engines that
        compile only)."""
        raise NotImplementedError

    def load_digits(self, rows: int | None) -> None:
        """A fresh classification model and the first `rows` training digits (None: all of them)."""
        raise NotImplementedError

    def fit_digits(self) -> tuple[list[tuple[float, float]], list[float]]:
        """Train the loaded model on the loaded digits (Adam, batches of 32): the (wall, CPU) seconds of
        each epoch, from the optimizer's steps, and the loss history."""
        raise NotImplementedError

    def grad_of(self, x: Any) -> float:
        """The gradient a backward left in leaf `x`, as a float."""
        return float(x.grad)

    def chain_graph(self, n: int) -> tuple[Any, Any]:
        """x = x * 1.0001 + 0.001 repeated n times from x = 1: (x_0, x_n), the graph between them."""
        x0 = x = self.leaf(1.0)
        for _ in range(n):
            x = x * 1.0001 + 0.001
        return x0, x

    def chain(self, n: int) -> float:
        """The chain of n steps, then backward: dx_n/dx_0 (1.0001 ** n)."""
        x0, x = self.chain_graph(n)
        x.backward()
        return self.grad_of(x0)

    def wide(self, n: int) -> float:
        """The sum of n products a_k * b_k, then backward: the gradient of the first a."""
        a = [self.leaf(k / n) for k in range(n)]
        b = [self.leaf(1.0 - k / n) for k in range(n)]
        total = sum(x * y for x, y in zip(a, b))
        total.backward()
        return self.grad_of(a[0])


class Impactgrad(Engine):
    """This project: nn.MLP, nn.hinge, nn.SGD on autograd Values."""

    name = "impactgrad"
    compiled_fit = False  # how fit_digits trains: eagerly, or with fit(compile=True)
    nodes_per_step = 2  # x * c and + c: constants are kept in local_grads, not as nodes
    backward_memory = True
    big_moons = True

    def __init__(self) -> None:
        import autograd
        import nn

        self.ag, self.nn = autograd, nn

    def load(self, layers: Layers) -> None:
        nn = self.nn
        self.model = nn.Sequential(
            *[
                layer
                for k, (w, b) in enumerate(layers)
                for layer in ([nn.Linear.from_weights(w, b)] + ([nn.ReLU()] if k < len(layers) - 1 else []))
            ]
        )
        self.params = self.model.parameters()
        self.optimizer = nn.SGD(self.params, lr=1.0)

    def _loss(self, xs: list[list[float]], ys: list[float]) -> Any:
        scores = [self.model(x)[0] for x in xs]
        data_loss = self.nn.hinge(scores, ys) * (1.0 / len(scores))
        reg_loss = ALPHA * sum(p * p for p in self.params)
        return data_loss + reg_loss

    def loss_and_grads(self, xs: list[list[float]], ys: list[float]) -> tuple[float, list[float]]:
        self.optimizer.zero_grad()
        loss = self._loss(xs, ys)
        loss.backward()
        return loss.data, [p.grad for p in self.params]

    def step(self, xs: list[list[float]], ys: list[float], lr: float) -> float:
        self.optimizer.lr = lr
        self.optimizer.zero_grad()
        loss = self._loss(xs, ys)
        loss.backward()
        self.optimizer.step()
        return float(loss.data)

    def forward(self, xs: list[list[float]], graph: bool) -> list[float]:
        if graph:
            return [self.model(x)[0].data for x in xs]
        with self.ag.no_grad():
            return [self.model(x)[0].data for x in xs]

    def leaf(self, value: float) -> Any:
        return self.ag.Value(value)

    def load_digits(self, rows: int | None) -> None:
        """nn.data.digits()'s model (8 channels, seed 0) and its first `rows` training images."""
        data = self.nn.data.digits()
        self.digits_model = data.model()
        self.digits = data.train_inputs[:rows], data.train_targets[:rows]

    def fit_digits(self) -> tuple[list[tuple[float, float]], list[float]]:
        """One epoch eagerly (they are all alike); two compiled: the first compiles each batch shape."""
        nn, model, (inputs, targets) = self.nn, self.digits_model, self.digits
        optimizer = nn.Adam(model.parameters(), lr=DIGITS_LR)
        clocks = [(time.perf_counter(), time.process_time())]
        step = optimizer.step

        def timed_step() -> None:
            step()
            clocks.append((time.perf_counter(), time.process_time()))

        optimizer.step = timed_step  # type: ignore[method-assign]
        epochs = 2 if self.compiled_fit else 1
        history = nn.fit(model, inputs, targets, nn.cross_entropy, optimizer, epochs,
                         batch_size=DIGITS_BATCH, progress=False, compile=self.compiled_fit)
        ends = clocks[:: math.ceil(len(inputs) / DIGITS_BATCH)]  # the start, each epoch's last step
        seconds = [(b[0] - a[0], b[1] - a[1]) for a, b in itertools.pairwise(ends)]
        return seconds, [float(h) for h in history]


class ImpactgradCompiled(Impactgrad):
    """impactgrad with the whole step traced once by autograd.compile (inputs: the weights), then replayed."""

    name = "impactgrad, compiled"
    compiled_fit = True
    nodes_per_step = 0
    backward_memory = False

    def prepare(self, xs: list[list[float]], ys: list[float]) -> float:
        start = time.perf_counter()
        self.compiled = self.ag.compile(self._loss(xs, ys), self.params)
        return time.perf_counter() - start

    def loss_and_grads(self, xs: list[list[float]], ys: list[float]) -> tuple[float, list[float]]:
        return self.compiled([p.data for p in self.params])

    def step(self, xs: list[list[float]], ys: list[float], lr: float) -> float:
        loss, grads = self.loss_and_grads(xs, ys)
        for p, g in zip(self.params, grads):
            p.grad = g
        self.optimizer.lr = lr
        self.optimizer.step()
        return float(loss)

    def forward(self, xs: list[list[float]], graph: bool) -> list[float]:
        raise NotImplementedError  # the compiled step is a training step: inference is eager's

    def chain_compiler(self, nodes: int) -> Callable[[], Any]:
        x0, x = self.chain_graph(nodes // 2)  # two nodes a step: x * 1.0001, then + 0.001
        return lambda: self.ag.compile(x, [x0])

    def chain(self, n: int) -> float:
        raise NotImplementedError

    def wide(self, n: int) -> float:
        raise NotImplementedError


class ImpactgradVectorised(ImpactgradCompiled):
    """impactgrad with one row's loss traced once (inputs: the row's two numbers and its target, then the
    weights) and replayed on all the rows in one call over numpy arrays; each weight's per-row
    gradients summed, the L2 term's gradient 2·α·w added as the eager step's backward gives it. The
    weights are held as one numpy array, as a user of array calls holds them: SGD is w -= lr·δw."""

    name = "impactgrad, vectorised"

    def prepare(self, xs: list[list[float]], ys: list[float]) -> float:
        import numpy

        start = time.perf_counter()
        row, target = [self.ag.Value(v) for v in xs[0]], self.ag.Value(ys[0])
        row_loss = (1 - self.model(row)[0] * target).relu()  # nn.hinge on one row: max(0, 1 - y·score)
        self.compiled = self.ag.compile(row_loss, [*row, target, *self.params])
        seconds = time.perf_counter() - start
        self.columns = [numpy.array(column, dtype=float) for column in (*zip(*xs), ys)]
        self.w = numpy.array([p.data for p in self.params])
        return seconds

    def _loss_and_grads(self) -> tuple[float, Any]:
        """The loss and the weights' gradients (an array) at the prepared rows."""
        w, scale = self.w, 1.0 / len(self.columns[0])  # the mean: δ of each row's loss, the call's seed
        losses, grads = self.compiled([*self.columns, *w.tolist()], scale)
        loss = float(losses.sum()) * scale + ALPHA * float(w @ w)  # + α Σ w²
        return loss, grads[len(self.columns) :].sum(axis=1) + 2 * ALPHA * w  # each weight's rows summed

    def loss_and_grads(self, xs: list[list[float]], ys: list[float]) -> tuple[float, list[float]]:
        loss, grads = self._loss_and_grads()
        return loss, grads.tolist()

    def step(self, xs: list[list[float]], ys: list[float], lr: float) -> float:
        loss, grads = self._loss_and_grads()
        self.w -= lr * grads
        return loss


class Micrograd(Engine):
    """micrograd 0.1.0 from PyPI: its own MLP, the loss and update of its moons demo."""

    name = "micrograd"
    nodes_per_step = 4  # x * c and + c each wrap their constant in a Value too

    def __init__(self) -> None:
        from micrograd import engine, nn

        self.Value, self.mnn = engine.Value, nn

    def load(self, layers: Layers) -> None:
        self.model = self.mnn.MLP(len(layers[0][0][0]), [len(b) for _, b in layers])
        for layer, (w, b) in zip(self.model.layers, layers):
            for neuron, row, bias in zip(layer.neurons, w, b):
                for p, value in zip(neuron.w, row):
                    p.data = value
                neuron.b.data = bias
        self.params = self.model.parameters()  # per neuron: weights then bias
        self.order = _canonical_order(layers)

    def _loss(self, xs: list[list[float]], ys: list[float]) -> Any:
        scores = list(map(self.model, [list(map(self.Value, x)) for x in xs]))
        losses = [(1 + -yi * scorei).relu() for yi, scorei in zip(ys, scores)]
        data_loss = sum(losses) * (1.0 / len(losses))
        reg_loss = ALPHA * sum(p * p for p in self.params)
        return data_loss + reg_loss

    def loss_and_grads(self, xs: list[list[float]], ys: list[float]) -> tuple[float, list[float]]:
        self.model.zero_grad()
        loss = self._loss(xs, ys)
        loss.backward()
        return loss.data, [self.params[k].grad for k in self.order]

    def step(self, xs: list[list[float]], ys: list[float], lr: float) -> float:
        self.model.zero_grad()
        loss = self._loss(xs, ys)
        loss.backward()
        for p in self.params:
            p.data -= lr * p.grad
        return float(loss.data)

    def forward(self, xs: list[list[float]], graph: bool) -> list[float]:
        return [self.model(list(map(self.Value, x))).data for x in xs]

    def leaf(self, value: float) -> Any:
        return self.Value(value)


class MicrogradGcOff(Micrograd):
    """micrograd with the cyclic garbage collector disabled: how much of its time the GC takes."""

    name = "micrograd, gc off"
    gc_off = True
    nodes_per_step = 0  # its memory is micrograd's


class Torch(Engine):
    """PyTorch with 0-dim float64 tensors, the graph built one scalar op at a time."""

    name = "torch (0-dim)"

    def __init__(self) -> None:
        import torch

        self.torch = torch
        torch.set_num_threads(1)

    def _scalar(self, value: float, grad: bool = False) -> Any:
        return self.torch.tensor(value, dtype=self.torch.float64, requires_grad=grad)

    def load(self, layers: Layers) -> None:
        self.layers = [
            ([[self._scalar(v, True) for v in row] for row in w], [self._scalar(v, True) for v in b])
            for w, b in layers
        ]
        self.params = [p for w, b in self.layers for p in [*(v for row in w for v in row), *b]]

    def _scores(self, xs: list[list[float]]) -> list[Any]:
        scores = []
        for x in xs:
            o = list(x)
            for k, (w, b) in enumerate(self.layers):
                o = [sum((wi * oi for wi, oi in zip(row, o)), bj) for row, bj in zip(w, b)]
                if k < len(self.layers) - 1:
                    o = [v.relu() for v in o]
            scores.append(o[0])
        return scores

    def _loss(self, xs: list[list[float]], ys: list[float]) -> Any:
        scores = self._scores(xs)
        losses = [(1 - yi * si).relu() for yi, si in zip(ys, scores)]
        data_loss = sum(losses) * (1.0 / len(losses))
        reg_loss = ALPHA * sum(p * p for p in self.params)
        return data_loss + reg_loss

    def _zero_grad(self) -> None:
        for p in self.params:
            p.grad = None

    def loss_and_grads(self, xs: list[list[float]], ys: list[float]) -> tuple[float, list[float]]:
        self._zero_grad()
        loss = self._loss(xs, ys)
        loss.backward()
        return loss.item(), [p.grad.item() for p in self.params]

    def step(self, xs: list[list[float]], ys: list[float], lr: float) -> float:
        self._zero_grad()
        loss = self._loss(xs, ys)
        loss.backward()
        with self.torch.no_grad():
            for p in self.params:
                p -= lr * p.grad
        return float(loss.item())

    def forward(self, xs: list[list[float]], graph: bool) -> list[float]:
        if graph:
            return [s.item() for s in self._scores(xs)]
        with self.torch.no_grad():
            return [s.item() for s in self._scores(xs)]

    def leaf(self, value: float) -> Any:
        return self._scalar(value, True)

    def grad_of(self, x: Any) -> float:
        return float(x.grad.item())


class HandWritten(Engine):
    """Plain floats, the boxed formulas typed out: the floor for a pure-Python scalar approach.

    Forward o^k_j = Σ_i W^{k,j}_i o^{k-1}_i + B^k_j (ReLU between layers); backward
    δ^k_i = Σ_j δ^{k+1}_j W^{k,j}_i, δW^{k,j}_i = δ^{k+1}_j o^{k-1}_i, δB^k_j = δ^{k+1}_j.
    Only the MLP workloads exist here: chain and wide are one line of calculus each.
    """

    name = "hand-written floats"
    big_moons = True

    def load(self, layers: Layers) -> None:
        self.w = [[list(row) for row in w] for w, _ in layers]
        self.b = [list(b) for _, b in layers]

    def _forward_row(self, x: list[float]) -> list[list[float]]:
        """The outputs of every layer for one row: outs[0] = x, outs[k+1] = ReLU(L^k(outs[k]))."""
        outs = [x]
        last = len(self.w) - 1
        for k, (w, b) in enumerate(zip(self.w, self.b)):
            o = outs[-1]
            z = [sum([wi * oi for wi, oi in zip(row, o)]) + bj for row, bj in zip(w, b)]
            outs.append(z if k == last else [v if v >= 0 else 0.0 for v in z])
        return outs

    def loss_and_grads(self, xs: list[list[float]], ys: list[float]) -> tuple[float, list[float]]:
        dw = [[[0.0] * len(row) for row in w] for w in self.w]
        db = [[0.0] * len(b) for b in self.b]
        scale = 1.0 / len(xs)
        loss = 0.0
        last = len(self.w) - 1
        for x, y in zip(xs, ys):
            outs = self._forward_row(x)
            margin = 1.0 - y * outs[-1][0]
            if margin < 0:
                continue  # hinge at 0: no loss, no learning flow
            loss += margin * scale
            delta = [-y * scale]  # δ at the output: ∂loss/∂score
            for k in range(last, -1, -1):
                o, w, dwk, dbk = outs[k], self.w[k], dw[k], db[k]
                for j, dj in enumerate(delta):
                    dbk[j] += dj  # δB^k_j = δ^{k+1}_j
                    row = dwk[j]
                    for i, oi in enumerate(o):
                        row[i] += dj * oi  # δW^{k,j}_i = δ^{k+1}_j o^{k-1}_i
                if k:  # δ^k_i = Σ_j δ^{k+1}_j W^{k,j}_i, through ReLU'(o^k_i) (1 where o >= 0)
                    delta = [
                        sum([dj * w[j][i] for j, dj in enumerate(delta)]) if o[i] > 0 else 0.0
                        for i in range(len(o))
                    ]
        reg = 0.0
        for w, b, dwk, dbk in zip(self.w, self.b, dw, db):
            for row, drow in zip(w, dwk):
                for i, v in enumerate(row):
                    reg += v * v
                    drow[i] += 2 * ALPHA * v
            for j, v in enumerate(b):
                reg += v * v
                dbk[j] += 2 * ALPHA * v
        self.dw, self.db = dw, db
        grads = [g for dwk, dbk in zip(dw, db) for g in [*(g for row in dwk for g in row), *dbk]]
        return loss + ALPHA * reg, grads

    def step(self, xs: list[list[float]], ys: list[float], lr: float) -> float:
        loss, _ = self.loss_and_grads(xs, ys)
        for w, b, dwk, dbk in zip(self.w, self.b, self.dw, self.db):
            for row, drow in zip(w, dwk):
                for i, g in enumerate(drow):
                    row[i] -= lr * g
            for j, g in enumerate(dbk):
                b[j] -= lr * g
        return loss

    def forward(self, xs: list[list[float]], graph: bool) -> list[float]:
        return [self._forward_row(x)[-1][0] for x in xs]


class NumpyMatrices(Engine):
    """The same step as numpy matrix code, a whole layer in one product: the limit of array speed.

    Forward Z^k = O^{k-1} W^{k,T} + B^k, O^k = ReLU(Z^k) between layers (one row per sample); backward
    Δ^k = Δ^{k+1} W^k masked by ReLU'(Z^k), δW^k = Δ^{k+1,T} O^{k-1}, δB^k = Σ_rows Δ^{k+1}.
    """

    name = "numpy matrices"
    big_moons = True

    def __init__(self) -> None:
        import numpy

        self.np = numpy

    def load(self, layers: Layers) -> None:
        self.w = [self.np.array(w, dtype=float) for w, _ in layers]
        self.b = [self.np.array(b, dtype=float) for _, b in layers]

    def prepare(self, xs: list[list[float]], ys: list[float]) -> None:
        """The rows as arrays, once (a numpy user holds the data as arrays): no compilation to report."""
        self.x, self.y = self.np.array(xs, dtype=float), self.np.array(ys, dtype=float)

    def _outputs(self, x: Any) -> list[Any]:
        """The outputs of every layer for all rows: outs[0] = x, outs[k+1] = ReLU(outs[k] W^T + B)."""
        outs = [x]
        for k, (w, b) in enumerate(zip(self.w, self.b)):
            z = outs[-1] @ w.T + b
            outs.append(z if k == len(self.w) - 1 else self.np.maximum(z, 0.0))
        return outs

    def loss_and_grads(self, xs: list[list[float]], ys: list[float]) -> tuple[float, list[float]]:
        self._backward()
        grads = [g for dw, db in zip(self.dw, self.db) for g in [*dw.ravel().tolist(), *db.tolist()]]
        return self.loss, grads

    def _backward(self) -> None:
        """Loss and gradients of the prepared rows into self.loss, self.dw, self.db."""
        np, y = self.np, self.y
        outs = self._outputs(self.x)
        margin = 1.0 - y * outs[-1][:, 0]
        active = margin >= 0  # the hinge passes its learning flow where 1 - y·score >= 0
        delta = np.where(active, -y / len(y), 0.0)[:, None]  # δ at the output: ∂loss/∂score
        self.dw: list[Any] = []
        self.db: list[Any] = []
        for k in range(len(self.w) - 1, -1, -1):
            self.dw.insert(0, delta.T @ outs[k] + 2 * ALPHA * self.w[k])
            self.db.insert(0, delta.sum(axis=0) + 2 * ALPHA * self.b[k])
            if k:
                delta = (delta @ self.w[k]) * (outs[k] > 0)
        reg = sum(float((w * w).sum() + (b * b).sum()) for w, b in zip(self.w, self.b))
        self.loss = float(margin[active].sum()) / len(y) + ALPHA * reg

    def step(self, xs: list[list[float]], ys: list[float], lr: float) -> float:
        self._backward()
        for w, b, dw, db in zip(self.w, self.b, self.dw, self.db):
            w -= lr * dw
            b -= lr * db
        return self.loss

    def forward(self, xs: list[list[float]], graph: bool) -> list[float]:
        return list(self._outputs(self.np.array(xs, dtype=float))[-1][:, 0].tolist())


def _canonical_order(layers: Layers) -> list[int]:
    """Where each canonical gradient (weights by row, then biases) sits in micrograd's per-neuron order."""
    order, start = [], 0
    for w, _ in layers:
        n_in = len(w[0])
        order += [start + j * (n_in + 1) + i for j in range(len(w)) for i in range(n_in)]
        order += [start + j * (n_in + 1) + n_in for j in range(len(w))]
        start += len(w) * (n_in + 1)
    return order


ENGINES: dict[str, type[Engine]] = {
    "impactgrad": Impactgrad,
    "impactgrad, compiled": ImpactgradCompiled,
    "impactgrad, vectorised": ImpactgradVectorised,
    "micrograd": Micrograd,
    "micrograd, gc off": MicrogradGcOff,
    "torch (0-dim)": Torch,
    "hand-written floats": HandWritten,
    "numpy matrices": NumpyMatrices,
}


def importable(name: str) -> bool:
    """Whether the engine's library can be imported here (PyTorch is optional)."""
    libraries = {"micrograd": "micrograd", "micrograd, gc off": "micrograd", "torch (0-dim)": "torch"}
    module = {**libraries, "numpy matrices": "numpy", "impactgrad, vectorised": "numpy"}.get(name)
    if module is None:
        return True
    return importlib.util.find_spec(module) is not None


def agree(
    results: Sequence[tuple[str, tuple[float, list[float]]]], tol: float = 1e-9
) -> list[str]:
    """The disagreements (loss or any gradient further than `tol`) of every engine with the first."""
    (ref_name, (ref_loss, ref_grads)), errors = results[0], []
    for name, (loss, grads) in results[1:]:
        if abs(loss - ref_loss) > tol:
            errors.append(f"{name}: loss {loss!r} vs {ref_name} {ref_loss!r}")
        if len(grads) != len(ref_grads):
            errors.append(f"{name}: {len(grads)} gradients vs {ref_name} {len(ref_grads)}")
        errors += [
            f"{name}: gradient {k} is {g!r} vs {ref_name} {r!r}"
            for k, (g, r) in enumerate(zip(grads, ref_grads))
            if abs(g - r) > tol
        ]
    return errors


