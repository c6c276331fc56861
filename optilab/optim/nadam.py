"""NAdam (Dozat 2016, "Incorporating Nesterov Momentum into Adam"; docs/equations.md#nadam).

Adam with Nesterov's look-ahead: the step mixes this step's gradient and the
momentum m, each divided by its own product of momentum coefficients, and the
coefficient μₜ ramps up from β₁/2 towards β₁ (Dozat's momentum schedule).
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from optilab.optim.averages import average, average_square
from optilab.optim.base import Array, HParams, Optimizer, State
from optilab.optim.step_numbers import StepNumbers, num, vec

__all__ = ["NAdam", "mu_product", "mu_t"]


def mu_t(beta1: float, psi: float, t: int) -> float:
    """Dozat's momentum schedule μₜ = β₁ (1 − ½ · 0.96^(t ψ)) (PyTorch's NAdam, ψ = momentum_decay)."""
    return beta1 * (1.0 - 0.5 * float(0.96 ** (t * psi)))


def mu_product(beta1: float, psi: float, t: int) -> float:
    """Πₜ = μ₁ μ₂ … μₜ, the product NAdam divides by (Π₀ = 1)."""
    prod = 1.0
    for i in range(1, t + 1):
        prod *= mu_t(beta1, psi, i)
    return prod


class NAdam(Optimizer):
    """NAdam as torch.optim.NAdam computes it (docs/equations.md#nadam), t counting from 1:

        μₜ = β₁ (1 − ½ · 0.96^(t ψ))        Πₜ = μ₁ ⋯ μₜ
        m ← β₁ m + (1−β₁) g                 v ← β₂ v + (1−β₂) g²
        v̂ = v / (1−β₂ᵗ)
        x ← x − η [ (1−μₜ)/(1−Πₜ) · g + μₜ₊₁/(1−Πₜ₊₁) · m ] / (√v̂ + ε)

    The first term is the gradient's share of the look-ahead, the second the
    momentum's one step ahead (Dozat's Algorithm 2 with μₜ₊₁ in place of μ).
    Defaults are PyTorch's: η 2e-3, β₁ 0.9, β₂ 0.999, ε 1e-8, ψ 4e-3.  Πₜ is a
    number, not an array: it lives in the state as ``mu_product`` with the
    step it belongs to, and is recomputed from t if the two disagree.
    """

    name = "nadam"
    title = "NAdam"
    defaults: ClassVar[dict[str, Any]] = {
        "lr": 0.002, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "momentum_decay": 0.004}
    state_names = ("m", "v", "v_hat")
    equation = "m ← β₁m + (1−β₁)g ;  v ← β₂v + (1−β₂)g² ;  x ← x − η [(1−μₜ)g/(1−Πₜ) + μₜ₊₁m/(1−Πₜ₊₁)] / (√v̂ + ε)"
    order = 62

    def _update(self, x: Array, g: Array, st: State, tmp: Array, hp: HParams) -> None:
        m, v, v_hat = st["m"], st["v"], st["v_hat"]
        b1, b2, psi, t = hp["beta1"], hp["beta2"], hp["momentum_decay"], st["step"]
        mu, mu_next = mu_t(b1, psi, t), mu_t(b1, psi, t + 1)
        last = st.get("mu_product")                  # (step, Πₜ) of the step before, if it was this one
        prod = last[1] * mu if last is not None and last[0] == t - 1 else mu_product(b1, psi, t)
        st["mu_product"] = (t, prod)                 # Πₜ = Πₜ₋₁ μₜ
        prod_next = prod * mu_next                   # Πₜ₊₁
        average(m, g, b1, tmp)                       # m ← β₁ m + (1−β₁) g
        average_square(v, g, b2, tmp)                # v ← β₂ v + (1−β₂) g²
        bc2 = 1.0 - b2**t
        np.divide(v, bc2, out=tmp)
        np.sqrt(tmp, out=tmp)
        tmp += hp["eps"]                             # √v̂ + ε, with v̂ = v / (1−β₂ᵗ)
        lr, work = hp["lr"], v_hat                   # v_hat is scratch until its value is written last
        # Two subtractions in PyTorch's order (its two addcdiv_), so the rounding is the same.
        np.divide(g, tmp, out=work)
        work *= lr * (1.0 - mu) / (1.0 - prod)
        x -= work                                    # x ← x − η (1−μₜ)/(1−Πₜ) · g / (√v̂ + ε)
        np.divide(m, tmp, out=work)
        work *= lr * mu_next / (1.0 - prod_next)
        x -= work                                    #        − η μₜ₊₁/(1−Πₜ₊₁) · m / (√v̂ + ε)
        np.divide(v, bc2, out=v_hat)                 # v̂ = v / (1−β₂ᵗ), as recorded

    @classmethod
    def update_lines(cls, n: StepNumbers) -> list[str]:
        hp, k, st, prev, g = n.hparams, n.k, n.state, n.state_prev, vec(n.g)
        b1, b2, psi = float(hp["beta1"]), hp["beta2"], float(hp["momentum_decay"])
        mu, mu_next = mu_t(b1, psi, k), mu_t(b1, psi, k + 1)
        prod = mu_product(b1, psi, k)
        return [
            f"μₜ = β₁(1 − ½·0.96^(tψ)) = {num(b1)}·(1 − ½·0.96^({k}·{num(psi)})) = {num(mu)} ;  "
            f"μₜ₊₁ = {num(mu_next)} ;  Πₜ = μ₁⋯μₜ = {num(prod)}",
            f"m ← β₁m + (1−β₁)g = {num(b1)}·{vec(prev['m'])} + (1−{num(b1)})·{g} = {vec(st['m'])}",
            f"v ← β₂v + (1−β₂)g² = {num(b2)}·{vec(prev['v'])} + (1−{num(b2)})·{g}² = {vec(st['v'])}",
            f"v̂ = v/(1−β₂^{k}) = {vec(st['v_hat'])}",
            f"x ← x − η[(1−μₜ)g/(1−Πₜ) + μₜ₊₁m/(1−Πₜ₊₁)]/(√v̂ + ε) = {vec(n.x_prev)} − {num(hp['lr'])}·"
            f"[{num((1 - mu) / (1 - prod))}·{g} + {num(mu_next / (1 - prod * mu_next))}·{vec(st['m'])}]"
            f"/(√v̂ + {num(hp['eps'])}) = {vec(n.x_new)}",
        ]

