"""Gradient descent and its momentum variants (docs/equations.md#optimizers).

g is the gradient at the current point, η the learning rate, μ the momentum.
Each class holds its update (`_update`) and the same equation with a step's
numbers substituted (`update_lines`).
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from optilab.optim.base import Array, HParams, Optimizer, State
from optilab.optim.step_numbers import StepNumbers, num, vec


class SGD(Optimizer):
    """Stochastic gradient descent: x ← x − η g (docs/equations.md#sgd)."""

    name = "sgd"
    title = "SGD"
    defaults: ClassVar[dict[str, Any]] = {"lr": 0.01}
    equation = "x ← x − η g"
    order = 10

    def _update(self, x: Array, g: Array, st: State, tmp: Array, hp: HParams) -> None:
        np.multiply(g, hp["lr"], out=tmp)   # η g
        x -= tmp                            # x ← x − η g

    @classmethod
    def update_lines(cls, n: StepNumbers) -> list[str]:
        return [f"x ← x − η g = {vec(n.x_prev)} − {num(n.hparams['lr'])}·{vec(n.g)} = {vec(n.x_new)}"]


class Momentum(Optimizer):
    """Momentum: v ← μ v − η g ; x ← x + v  (v₀ = 0; docs/equations.md#momentum).

    With a constant η this equals PyTorch's SGD(momentum=μ, dampening=0),
    whose buffer b relates to ours by v = −η b.
    """

    name = "momentum"
    title = "Momentum"
    defaults: ClassVar[dict[str, Any]] = {"lr": 0.01, "momentum": 0.9}
    state_names = ("v",)
    equation = "v ← μ v − η g ;  x ← x + v"
    order = 20

    def _update(self, x: Array, g: Array, st: State, tmp: Array, hp: HParams) -> None:
        v = st["v"]
        v *= hp["momentum"]                 # μ v
        np.multiply(g, hp["lr"], out=tmp)
        v -= tmp                            # v ← μ v − η g
        x += v                              # x ← x + v

    @classmethod
    def update_lines(cls, n: StepNumbers) -> list[str]:
        mu, lr, v = num(n.hparams["momentum"]), num(n.hparams["lr"]), vec(n.state["v"])
        return [
            f"v ← μ v − η g = {mu}·{vec(n.state_prev['v'])} − {lr}·{vec(n.g)} = {v}",
            f"x ← x + v = {vec(n.x_prev)} + {v} = {vec(n.x_new)}",
        ]


class Nesterov(Optimizer):
    """Nesterov momentum in PyTorch's form: b ← μ b + g ; x ← x − η (g + μ b) (docs/equations.md#nesterov).

    This equals Sutskever et al.'s look-ahead momentum written in terms of the
    current point.  (The book's ch. 6 code uses the Bengio et al. rewrite,
    arXiv 1212.0901, which differs; optilab follows PyTorch's
    SGD(momentum=μ, nesterov=True) so students can compare numbers.)
    """

    name = "nesterov"
    title = "Nesterov"
    defaults: ClassVar[dict[str, Any]] = {"lr": 0.01, "momentum": 0.9}
    state_names = ("v",)
    equation = "v ← μ v + g ;  x ← x − η (g + μ v)"
    order = 30

    def _update(self, x: Array, g: Array, st: State, tmp: Array, hp: HParams) -> None:
        b, mu = st["v"], hp["momentum"]
        b *= mu
        b += g                              # b ← μ b + g
        np.multiply(b, mu, out=tmp)
        tmp += g                            # g + μ b
        tmp *= hp["lr"]
        x -= tmp                            # x ← x − η (g + μ b)

    @classmethod
    def update_lines(cls, n: StepNumbers) -> list[str]:
        mu, lr, g, v = num(n.hparams["momentum"]), num(n.hparams["lr"]), vec(n.g), vec(n.state["v"])
        return [
            f"v ← μ v + g = {mu}·{vec(n.state_prev['v'])} + {g} = {v}",
            f"x ← x − η (g + μ v) = {vec(n.x_prev)} − {lr}·({g} + {mu}·{v}) = {vec(n.x_new)}",
        ]
