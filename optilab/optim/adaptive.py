"""Optimizers with per-coordinate step sizes (docs/equations.md#optimizers).

h accumulates squared gradients; Adam keeps the moments m (mean) and v
(uncentred variance) with bias-corrected m̂, v̂.  ε sits outside the square
root, as in Kingma & Ba and PyTorch.  Each class holds its update
(`_update`) and the same equations with a step's numbers (`update_lines`).
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from optilab.optim.averages import average, average_square
from optilab.optim.base import Array, HParams, Optimizer, State
from optilab.optim.step_numbers import StepNumbers, num, vec


def _root_step_line(n: StepNumbers) -> str:
    """The line of x ← x − η g / (√h + ε) with step k's numbers (AdaGrad, RMSprop)."""
    return (f"x ← x − η g / (√h + ε) = {vec(n.x_prev)} − {num(n.hparams['lr'])}·{vec(n.g)} / "
            f"(√{vec(n.state['h'])} + {num(n.hparams['eps'])}) = {vec(n.x_new)}")


def _step_over_root(x: np.ndarray, g: np.ndarray, h: np.ndarray, tmp: np.ndarray, hp: HParams) -> None:
    """x ← x − η g / (√h + ε), computed in ``tmp`` without allocating."""
    np.sqrt(h, out=tmp)
    tmp += hp["eps"]
    np.divide(g, tmp, out=tmp)
    tmp *= hp["lr"]
    x -= tmp


class AdaGrad(Optimizer):
    """AdaGrad: h ← h + g² ; x ← x − η g / (√h + ε) (docs/equations.md#adagrad)."""

    name = "adagrad"
    title = "AdaGrad"
    defaults: ClassVar[dict[str, Any]] = {"lr": 0.01, "eps": 1e-7}
    state_names = ("h",)
    equation = "h ← h + g² ;  x ← x − η g / (√h + ε)"
    order = 40

    def _update(self, x: Array, g: Array, st: State, tmp: Array, hp: HParams) -> None:
        h = st["h"]
        np.multiply(g, g, out=tmp)
        h += tmp                                     # h ← h + g²
        _step_over_root(x, g, h, tmp, hp)            # x ← x − η g / (√h + ε)

    @classmethod
    def update_lines(cls, n: StepNumbers) -> list[str]:
        return [
            f"h ← h + g² = {vec(n.state_prev['h'])} + {vec(n.g)}² = {vec(n.state['h'])}",
            _root_step_line(n),
        ]


class RMSprop(Optimizer):
    """RMSprop: h ← ρ h + (1−ρ) g² ; x ← x − η g / (√h + ε) (docs/equations.md#rmsprop).

    Equals PyTorch's RMSprop(alpha=ρ) with the same ε.
    """

    name = "rmsprop"
    title = "RMSprop"
    defaults: ClassVar[dict[str, Any]] = {"lr": 0.01, "decay_rate": 0.99, "eps": 1e-7}
    state_names = ("h",)
    equation = "h ← ρ h + (1−ρ) g² ;  x ← x − η g / (√h + ε)"
    order = 50

    def _update(self, x: Array, g: Array, st: State, tmp: Array, hp: HParams) -> None:
        h, rho = st["h"], hp["decay_rate"]
        average_square(h, g, rho, tmp)               # h ← ρ h + (1−ρ) g²
        _step_over_root(x, g, h, tmp, hp)            # x ← x − η g / (√h + ε)

    @classmethod
    def update_lines(cls, n: StepNumbers) -> list[str]:
        rho = num(n.hparams["decay_rate"])
        return [
            f"h ← ρ h + (1−ρ) g² = {rho}·{vec(n.state_prev['h'])} + (1−{rho})·{vec(n.g)}² = {vec(n.state['h'])}",
            _root_step_line(n),
        ]


class Adam(Optimizer):
    """Adam (Kingma & Ba 2015; docs/equations.md#adam), t counting from 1:

        m ← β₁ m + (1−β₁) g          v ← β₂ v + (1−β₂) g²
        m̂ = m / (1−β₁ᵗ)              v̂ = v / (1−β₂ᵗ)
        x ← x − η m̂ / (√v̂ + ε)

    ``bias_correction=False`` drops the hats (m̂ = m, v̂ = v): the first steps
    then have the wrong size — at t = 1 the step is (1−β₁)/√(1−β₂) ≈ 3.16 times
    η with the defaults, because v starts far smaller than m — which is the
    lesson "adam-bias-correction".  The book writes the same update as
    η_t = η √(1−β₂ᵗ)/(1−β₁ᵗ), x ← x − η_t m/(√v + ε), which differs only in
    where ε sits; optilab uses the paper's (and PyTorch's) placement.
    """

    name = "adam"
    title = "Adam"
    defaults: ClassVar[dict[str, Any]] = {
        "lr": 0.001, "beta1": 0.9, "beta2": 0.999, "eps": 1e-7, "bias_correction": True}
    state_names: ClassVar[tuple[str, ...]] = ("m", "v", "m_hat", "v_hat")
    equation = "m ← β₁m + (1−β₁)g ;  v ← β₂v + (1−β₂)g² ;  x ← x − η m̂ / (√v̂ + ε)"
    order = 60

    def _update(self, x: Array, g: Array, st: State, tmp: Array, hp: HParams) -> None:
        m, v, m_hat, v_hat = st["m"], st["v"], st["m_hat"], st["v_hat"]
        b1, b2, t = hp["beta1"], hp["beta2"], st["step"]
        average(m, g, b1, tmp)                       # m ← β₁ m + (1−β₁) g
        average_square(v, g, b2, tmp)                # v ← β₂ v + (1−β₂) g²
        v = self._second_moment(v, st)               # AMSGrad: v_max ← max(v_max, v)
        if hp["bias_correction"]:
            np.divide(m, 1.0 - b1**t, out=m_hat)     # m̂ = m / (1−β₁ᵗ)
            np.divide(v, 1.0 - b2**t, out=v_hat)     # v̂ = v / (1−β₂ᵗ)
        else:
            np.copyto(m_hat, m)
            np.copyto(v_hat, v)
        np.sqrt(v_hat, out=tmp)
        tmp += hp["eps"]
        np.divide(m_hat, tmp, out=tmp)
        tmp *= hp["lr"]
        x -= tmp                                     # x ← x − η m̂ / (√v̂ + ε)

    def _second_moment(self, v: Array, st: State) -> Array:
        """The second moment v̂ is made of: Adam's v (`AMSGrad` keeps its running maximum)."""
        return v

    @classmethod
    def update_lines(cls, n: StepNumbers) -> list[str]:
        return [*cls._moment_lines(n), cls._hat_line(n, "v"), cls._step_line(n)]

    @classmethod
    def _moment_lines(cls, n: StepNumbers) -> list[str]:
        """The lines of m ← β₁m + (1−β₁)g and v ← β₂v + (1−β₂)g² with step k's numbers."""
        hp, st, prev, g = n.hparams, n.state, n.state_prev, vec(n.g)
        b1, b2 = num(hp["beta1"]), num(hp["beta2"])
        return [
            f"m ← β₁m + (1−β₁)g = {b1}·{vec(prev['m'])} + (1−{b1})·{g} = {vec(st['m'])}",
            f"v ← β₂v + (1−β₂)g² = {b2}·{vec(prev['v'])} + (1−{b2})·{g}² = {vec(st['v'])}",
        ]

    @classmethod
    def _hat_line(cls, n: StepNumbers, v: str) -> str:
        """The line of m̂ and v̂, v̂ made of the state ``v`` (AMSGrad: ``v_max``)."""
        st = n.state
        if n.hparams.get("bias_correction", True):
            return f"m̂ = m/(1−β₁^{n.k}) = {vec(st['m_hat'])} ;  v̂ = {v}/(1−β₂^{n.k}) = {vec(st['v_hat'])}"
        return f"no bias correction: m̂ = m = {vec(st['m_hat'])} ;  v̂ = {v} = {vec(st['v_hat'])}"

    @classmethod
    def _step_line(cls, n: StepNumbers) -> str:
        hp = n.hparams
        return (f"x ← x − η m̂/(√v̂ + ε) = {vec(n.x_prev)} − {num(hp['lr'])}·m̂/(√v̂ + {num(hp['eps'])}) "
                f"= {vec(n.x_new)}")


class AdamW(Adam):
    """AdamW (Loshchilov & Hutter; docs/equations.md#adamw): x ← x (1 − η λ), then the Adam step.

    The decay is decoupled from the gradient; equals PyTorch's AdamW.
    """

    name = "adamw"
    title = "AdamW"
    defaults: ClassVar[dict[str, Any]] = {**Adam.defaults, "weight_decay": 0.01}
    equation = "x ← x (1 − η λ) ;  then the Adam step"
    order = 70

    def _update(self, x: Array, g: Array, st: State, tmp: Array, hp: HParams) -> None:
        x *= 1.0 - hp["lr"] * hp["weight_decay"]     # x ← x (1 − η λ)
        super()._update(x, g, st, tmp, hp)

    @classmethod
    def update_lines(cls, n: StepNumbers) -> list[str]:
        return [f"x ← x (1 − η λ) with λ = {num(n.hparams['weight_decay'])}, then:", *super().update_lines(n)]
