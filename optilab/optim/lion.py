"""Lion (Chen et al. 2023, "Symbolic Discovery of Optimization Algorithms"; docs/equations.md#lion).

EvoLved Sign Momentum: the step is the sign of an interpolation between the
momentum and the gradient, so every coordinate moves by exactly η (plus the
decay) — its size no longer depends on the gradient's.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from optilab.optim.averages import average
from optilab.optim.base import Array, HParams, Optimizer, State
from optilab.optim.step_numbers import StepNumbers, num, vec


class Lion(Optimizer):
    """Lion, Chen et al. 2023, Algorithm 1 (docs/equations.md#lion):

        c = β₁ m + (1−β₁) g                 (the interpolation whose sign is the step)
        x ← x − η (sign(c) + λ x)           (decoupled weight decay λ)
        m ← β₂ m + (1−β₂) g                 (the momentum, with its own β₂ > β₁)

    Defaults are the paper's: η 1e-4, β₁ 0.9, β₂ 0.99, λ 0.  Its η is 3–10 times
    smaller than AdamW's for the same network, because a sign step has size 1
    in every coordinate.  PyTorch has no Lion; optilab's tests compare with the
    paper's update written out.  ``x ← x (1 − ηλ) − η sign(c)`` is the same line
    computed without a second scratch array.
    """

    name = "lion"
    title = "Lion"
    defaults: ClassVar[dict[str, Any]] = {"lr": 1e-4, "beta1": 0.9, "beta2": 0.99, "weight_decay": 0.0}
    state_names = ("m", "c")
    equation = "c = β₁m + (1−β₁)g ;  x ← x − η (sign(c) + λx) ;  m ← β₂m + (1−β₂)g"
    order = 80

    def _update(self, x: Array, g: Array, st: State, tmp: Array, hp: HParams) -> None:
        m, c = st["m"], st["c"]
        b1, b2, lr, wd = hp["beta1"], hp["beta2"], hp["lr"], hp["weight_decay"]
        np.multiply(m, b1, out=c)
        np.multiply(g, 1.0 - b1, out=tmp)
        c += tmp                                     # c = β₁ m + (1−β₁) g
        if wd:
            x *= 1.0 - lr * wd                       # − η λ x
        np.sign(c, out=tmp)
        tmp *= lr
        x -= tmp                                     # x ← x − η (sign(c) + λ x)
        average(m, g, b2, tmp)                       # m ← β₂ m + (1−β₂) g

    @classmethod
    def update_lines(cls, n: StepNumbers) -> list[str]:
        hp, st, prev, g = n.hparams, n.state, n.state_prev, vec(n.g)
        b1, b2, lam = num(hp["beta1"]), num(hp["beta2"]), num(hp.get("weight_decay", 0.0))
        signs = "(" + ", ".join(f"{float(np.sign(c)):+g}" for c in st["c"]) + ")"
        return [
            f"c = β₁m + (1−β₁)g = {b1}·{vec(prev['m'])} + (1−{b1})·{g} = {vec(st['c'])}",
            f"x ← x − η (sign(c) + λx) = {vec(n.x_prev)} − {num(hp['lr'])}·({signs} + {lam}·{vec(n.x_prev)}) "
            f"= {vec(n.x_new)}",
            f"m ← β₂m + (1−β₂)g = {b2}·{vec(prev['m'])} + (1−{b2})·{g} = {vec(st['m'])}",
        ]
