"""Adadelta (Zeiler 2012, "ADADELTA: An Adaptive Learning Rate Method"; docs/equations.md#adadelta).

RMSprop's running mean of g² in the denominator, and a second running mean,
of the squared steps, in the numerator: the step gets the units of x (Zeiler's
"unit correction"), so η = 1 is the paper's method without a learning rate.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from optilab.optim.averages import average_square
from optilab.optim.base import Array, HParams, Optimizer, State
from optilab.optim.step_numbers import StepNumbers, num, vec


class Adadelta(Optimizer):
    """Adadelta (Zeiler 2012, Algorithm 1; docs/equations.md#adadelta), ρ the decay of both means:

        v ← ρ v + (1−ρ) g²                      (E[g²], Zeiler's step 4)
        Δ = √(u + ε) / √(v + ε) · g             (step 5: RMS[Δx]_{t−1} / RMS[g]_t · g)
        u ← ρ u + (1−ρ) Δ²                      (E[Δx²], step 6)
        x ← x − η Δ                             (step 7, with PyTorch's η; the paper's η is 1)

    Equals torch.optim.Adadelta with the same lr, rho and eps (PyTorch's defaults:
    η 1, ρ 0.9, ε 1e-6).  ε sits inside both roots: the first steps have size
    ≈ √ε / √(1−ρ), because u starts at 0.
    """

    name = "adadelta"
    title = "Adadelta"
    defaults: ClassVar[dict[str, Any]] = {"lr": 1.0, "decay_rate": 0.9, "eps": 1e-6}
    state_names = ("v", "u", "delta")
    equation = "v ← ρv + (1−ρ)g² ;  Δ = √(u+ε)/√(v+ε)·g ;  u ← ρu + (1−ρ)Δ² ;  x ← x − ηΔ"
    order = 55

    def _update(self, x: Array, g: Array, st: State, tmp: Array, hp: HParams) -> None:
        v, u, delta = st["v"], st["u"], st["delta"]
        rho, eps = hp["decay_rate"], hp["eps"]
        average_square(v, g, rho, tmp)               # v ← ρ v + (1−ρ) g²
        np.add(u, eps, out=delta)
        np.sqrt(delta, out=delta)                    # √(u + ε)
        np.add(v, eps, out=tmp)
        np.sqrt(tmp, out=tmp)                        # √(v + ε)
        delta /= tmp
        delta *= g                                   # Δ = √(u + ε) / √(v + ε) · g
        average_square(u, delta, rho, tmp)           # u ← ρ u + (1−ρ) Δ²
        np.multiply(delta, hp["lr"], out=tmp)
        x -= tmp                                     # x ← x − η Δ

    @classmethod
    def update_lines(cls, n: StepNumbers) -> list[str]:
        hp, st, prev, g = n.hparams, n.state, n.state_prev, vec(n.g)
        rho, eps = num(hp["decay_rate"]), num(hp["eps"])
        return [
            f"v ← ρv + (1−ρ)g² = {rho}·{vec(prev['v'])} + (1−{rho})·{g}² = {vec(st['v'])}",
            f"Δ = √(u+ε)/√(v+ε)·g = √({vec(prev['u'])} + {eps})/√({vec(st['v'])} + {eps})·{g} = {vec(st['delta'])}",
            f"u ← ρu + (1−ρ)Δ² = {rho}·{vec(prev['u'])} + (1−{rho})·{vec(st['delta'])}² = {vec(st['u'])}",
            f"x ← x − ηΔ = {vec(n.x_prev)} − {num(hp['lr'])}·{vec(st['delta'])} = {vec(n.x_new)}",
        ]
