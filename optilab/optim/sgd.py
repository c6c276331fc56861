"""Gradient descent and its momentum variants (SPEC §1).

g is the gradient at the current point, η the learning rate, μ the momentum.
"""

from __future__ import annotations

import numpy as np

from optilab.optim.base import Optimizer


class SGD(Optimizer):
    """Stochastic gradient descent: x ← x − η g."""

    name = "sgd"
    title = "SGD"
    defaults = {"lr": 0.01}
    equation = "x ← x − η g"

    def _update(self, x, g, st, tmp, hp) -> None:
        np.multiply(g, hp["lr"], out=tmp)   # η g
        x -= tmp                            # x ← x − η g


class Momentum(Optimizer):
    """Momentum: v ← μ v − η g ; x ← x + v  (v₀ = 0).

    With a constant η this equals PyTorch's SGD(momentum=μ, dampening=0),
    whose buffer b relates to ours by v = −η b.
    """

    name = "momentum"
    title = "Momentum"
    defaults = {"lr": 0.01, "momentum": 0.9}
    state_names = ("v",)
    equation = "v ← μ v − η g ;  x ← x + v"

    def _update(self, x, g, st, tmp, hp) -> None:
        v = st["v"]
        v *= hp["momentum"]                 # μ v
        np.multiply(g, hp["lr"], out=tmp)
        v -= tmp                            # v ← μ v − η g
        x += v                              # x ← x + v


class Nesterov(Optimizer):
    """Nesterov momentum in PyTorch's form: b ← μ b + g ; x ← x − η (g + μ b).

    This equals Sutskever et al.'s look-ahead momentum written in terms of the
    current point.  (The book's ch. 6 code uses the Bengio et al. rewrite,
    arXiv 1212.0901, which differs; optilab follows PyTorch's
    SGD(momentum=μ, nesterov=True) so students can compare numbers.)
    """

    name = "nesterov"
    title = "Nesterov"
    defaults = {"lr": 0.01, "momentum": 0.9}
    state_names = ("v",)
    equation = "v ← μ v + g ;  x ← x − η (g + μ v)"

    def _update(self, x, g, st, tmp, hp) -> None:
        b, mu = st["v"], hp["momentum"]
        b *= mu
        b += g                              # b ← μ b + g
        np.multiply(b, mu, out=tmp)
        tmp += g                            # g + μ b
        tmp *= hp["lr"]
        x -= tmp                            # x ← x − η (g + μ b)
