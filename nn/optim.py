"""Optimisers: the weights' update ŵ = w - α·δw (SGD), and Adam."""

from __future__ import annotations

import math
from collections.abc import Iterable
from fractions import Fraction
from numbers import Real

from autograd import Scalar, Value
from nn.module import Module


class Optimizer:
    """Holds the weights to update and the learning rate α; zero_grad() resets every δw."""

    def __init__(self, params: Iterable[Value], lr: Scalar) -> None:
        if isinstance(params, Module):
            raise TypeError("pass the weights, model.parameters(), not the model")
        self.params = list(params)
        if not self.params:
            raise ValueError(f"{type(self).__name__} got an empty list of parameters: nothing to update")
        first: dict[Value, int] = {}
        for k, p in enumerate(self.params):
            if not isinstance(p, Value):
                raise TypeError(f"{type(self).__name__} updates Values, got a {type(p).__name__}")
            if p in first:
                raise ValueError(
                    f"{type(self).__name__} got parameter {first[p]} twice (again as {k}): "
                    "it would update it twice"
                )
            first[p] = k
        self.lr = _checked("lr", lr, above=0)

    def step(self) -> None:
        """Update every weight from its δw (each optimiser defines it)."""
        raise NotImplementedError(f"{type(self).__name__} does not define step")

    def grads(self) -> list[Scalar | None]:
        """Every weight's δw, checked: a number, or None for a weight whose grad was set to None (PyTorch's
        zero_grad(set_to_none=True) before a backward that did not reach it): the step skips that weight.
        A Value grad, from create_graph=True, is refused."""
        for k, p in enumerate(self.params):
            if isinstance(p.grad, Value):
                raise TypeError(
                    f"parameter {k} ({p!r:.60}) has a Value grad, from backward(create_graph=True): "
                    "an optimiser steps with numbers; zero_grad() and backward() without create_graph"
                )
        return [p.grad for p in self.params]

    def zero_grad(self) -> None:
        """Reset every δw to 0 before the next backward pass."""
        for p in self.params:
            p.grad = 0


class SGD(Optimizer):
    """Gradient descent ŵ = w - α·δw; with momentum μ, v ← μ·v + δw and ŵ = w - α·v.

    With Fraction weights, a Fraction (or int) lr and momentum keep the update exact; a float lr
    would turn the weights into floats, so it is refused.
    """

    def __init__(self, params: Iterable[Value], lr: Scalar, momentum: Scalar = 0.0) -> None:
        super().__init__(params, lr)
        momentum = _checked("momentum", momentum, below=1)
        if any(isinstance(p.data, Fraction) for p in self.params):
            for name, factor in (("lr", lr), ("momentum", momentum)):
                if isinstance(factor, float) and factor:
                    raise TypeError(
                        f"{name}={factor!r} is a float but the weights are Fractions: pass a Fraction "
                        f"such as Fraction(1, 10**7) to keep the update exact"
                    )
        self.momentum = momentum
        self.velocities: list[Scalar] = [0] * len(self.params)

    def step(self) -> None:
        """ŵ = w - α·δw for every weight (with momentum: through the velocity v)."""
        lr, momentum = self.lr, self.momentum
        grads = self.grads()
        for k, (p, g) in enumerate(zip(self.params, grads)):
            if g is None:
                continue
            if not momentum:
                p.data -= lr * g
                continue
            self.velocities[k] = v = momentum * self.velocities[k] + g
            p.data -= lr * v


class Adam(Optimizer):
    """Adam: m ← β1·m + (1 - β1)·δw, v ← β2·v + (1 - β2)·δw², ŵ = w - α·m̂ / (sqrt(v̂) + ε).

    m̂ and v̂ are m and v divided by (1 - β^t) at a weight's step t (`steps[k]`: a weight whose grad is None
    is skipped and keeps its t, as in PyTorch). Adam takes square roots: float weights only.
    """

    def __init__(
        self,
        params: Iterable[Value],
        lr: float = 0.001,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
    ) -> None:
        super().__init__(params, lr)
        if not isinstance(betas, (tuple, list)) or len(betas) != 2:
            raise ValueError(f"betas must be a pair (β1, β2) such as (0.9, 0.999), got {betas!r:.60}")
        betas = (_checked("betas", betas[0], below=1), _checked("betas", betas[1], below=1))
        eps = _checked("eps", eps, above=0)
        for p in self.params:
            if type(p.data) is not float:
                kind = type(p.data).__name__
                raise TypeError(f"Adam takes square roots: it updates float weights, not {kind}")
        self.betas, self.eps = betas, eps
        self.steps = [0] * len(self.params)
        self.m = [0.0] * len(self.params)
        self.v = [0.0] * len(self.params)

    def step(self) -> None:
        """One Adam update of every weight."""
        grads = self.grads()  # checked before anything moves
        (beta1, beta2), eps = self.betas, self.eps
        for k, (p, g) in enumerate(zip(self.params, grads)):
            if g is None:
                continue
            self.steps[k] = t = self.steps[k] + 1
            correction1, correction2 = 1 - beta1**t, 1 - beta2**t
            self.m[k] = m = beta1 * self.m[k] + (1 - beta1) * g
            self.v[k] = v = beta2 * self.v[k] + (1 - beta2) * g * g
            p.data -= self.lr * (m / correction1) / (math.sqrt(v / correction2) + eps)


def _checked(
    name: str, value: Scalar, *, above: float | None = None, at_least: float = 0, below: float = math.inf
) -> Scalar:
    """A hyper-parameter checked: a real number (no bool, no str), finite, > above or in [at_least, below)."""
    if isinstance(value, bool) or not isinstance(value, Real):
        kind = type(value).__name__
        raise TypeError(f"{name} must be a number (int, float or Fraction), got {kind} {value!r:.40}")
    if above is not None:
        if not (value > above and math.isfinite(value)):  # type: ignore[operator]
            raise ValueError(f"{name} must be > {above} and finite, got {value!r:.40}")
    elif not at_least <= value < below:  # type: ignore[operator]
        raise ValueError(f"{name} must be in [{at_least}, {below}), got {value!r:.40}")
    return value
