"""Optimizers with per-coordinate step sizes (SPEC §1).

h accumulates squared gradients; Adam keeps the moments m (mean) and v
(uncentred variance) with bias-corrected m̂, v̂.  ε sits outside the square
root, as in Kingma & Ba and PyTorch.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from optilab.optim.base import Optimizer


class AdaGrad(Optimizer):
    """AdaGrad: h ← h + g² ; x ← x − η g / (√h + ε)."""

    name = "adagrad"
    title = "AdaGrad"
    defaults = {"lr": 0.01, "eps": 1e-7}
    state_names = ("h",)
    equation = "h ← h + g² ;  x ← x − η g / (√h + ε)"

    def _update(self, x: np.ndarray, g: np.ndarray, st: dict[str, Any]) -> None:
        h = st["h"]
        h += g * g                                   # h ← h + g²
        x -= self.lr * g / (np.sqrt(h) + self.eps)   # x ← x − η g / (√h + ε)


class RMSprop(Optimizer):
    """RMSprop: h ← ρ h + (1−ρ) g² ; x ← x − η g / (√h + ε).

    Equals PyTorch's RMSprop(alpha=ρ) with the same ε.
    """

    name = "rmsprop"
    title = "RMSprop"
    defaults = {"lr": 0.01, "decay_rate": 0.99, "eps": 1e-7}
    state_names = ("h",)
    equation = "h ← ρ h + (1−ρ) g² ;  x ← x − η g / (√h + ε)"

    def _update(self, x: np.ndarray, g: np.ndarray, st: dict[str, Any]) -> None:
        h = st["h"]
        rho = self.decay_rate
        h *= rho                                     # ρ h
        h += (1.0 - rho) * (g * g)                   # + (1−ρ) g²
        x -= self.lr * g / (np.sqrt(h) + self.eps)   # x ← x − η g / (√h + ε)


class Adam(Optimizer):
    """Adam (Kingma & Ba 2015), t counting from 1:

        m ← β₁ m + (1−β₁) g          v ← β₂ v + (1−β₂) g²
        m̂ = m / (1−β₁ᵗ)              v̂ = v / (1−β₂ᵗ)
        x ← x − η m̂ / (√v̂ + ε)

    ``bias_correction=False`` drops the hats (m̂ = m, v̂ = v): the first steps
    are then tiny, which is the lesson.  The book writes the same update as
    η_t = η √(1−β₂ᵗ)/(1−β₁ᵗ), x ← x − η_t m/(√v + ε), which differs only in
    where ε sits; optilab uses the paper's (and PyTorch's) placement.
    """

    name = "adam"
    title = "Adam"
    defaults = {"lr": 0.001, "beta1": 0.9, "beta2": 0.999, "eps": 1e-7, "bias_correction": True}
    state_names = ("m", "v", "m_hat", "v_hat")
    equation = "m ← β₁m + (1−β₁)g ;  v ← β₂v + (1−β₂)g² ;  x ← x − η m̂ / (√v̂ + ε)"

    def _update(self, x: np.ndarray, g: np.ndarray, st: dict[str, Any]) -> None:
        m, v, m_hat, v_hat = st["m"], st["v"], st["m_hat"], st["v_hat"]
        b1, b2, t = self.beta1, self.beta2, st["step"]
        m *= b1
        m += (1.0 - b1) * g                          # m ← β₁ m + (1−β₁) g
        v *= b2
        v += (1.0 - b2) * (g * g)                    # v ← β₂ v + (1−β₂) g²
        if self.bias_correction:
            np.multiply(m, 1.0 / (1.0 - b1**t), out=m_hat)   # m̂ = m / (1−β₁ᵗ)
            np.multiply(v, 1.0 / (1.0 - b2**t), out=v_hat)   # v̂ = v / (1−β₂ᵗ)
        else:
            m_hat[...] = m
            v_hat[...] = v
        x -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)   # x ← x − η m̂/(√v̂ + ε)


class AdamW(Adam):
    """AdamW (Loshchilov & Hutter): x ← x (1 − η λ), then the Adam step.

    The decay is decoupled from the gradient; equals PyTorch's AdamW.
    """

    name = "adamw"
    title = "AdamW"
    defaults = {**Adam.defaults, "weight_decay": 0.01}
    equation = "x ← x (1 − η λ) ;  then the Adam step"

    def _update(self, x: np.ndarray, g: np.ndarray, st: dict[str, Any]) -> None:
        x *= 1.0 - self.lr * self.weight_decay       # x ← x (1 − η λ)
        super()._update(x, g, st)
