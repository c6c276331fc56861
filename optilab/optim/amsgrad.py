"""AMSGrad (Reddi, Kale & Kumar 2018, "On the Convergence of Adam and Beyond"; docs/equations.md#amsgrad).

Adam whose denominator never shrinks: it divides by the largest v seen so far,
so a rare large gradient keeps the steps small afterwards — the paper's fix of
Adam's non-convergence on its counter-example.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from optilab.optim.adaptive import Adam
from optilab.optim.base import Array, State
from optilab.optim.step_numbers import StepNumbers, vec


class AMSGrad(Adam):
    """AMSGrad as torch.optim.Adam(amsgrad=True) computes it (docs/equations.md#amsgrad), t from 1:

        m ← β₁ m + (1−β₁) g          v ← β₂ v + (1−β₂) g²
        v_max ← max(v_max, v)        (elementwise; v_max₀ = 0)
        m̂ = m / (1−β₁ᵗ)              v̂ = v_max / (1−β₂ᵗ)
        x ← x − η m̂ / (√v̂ + ε)

    Reddi et al.'s Algorithm 2 keeps the maximum of the bias-free v̂ₜ and has no
    m̂; PyTorch (and optilab) keep the maximum of v and then divide by
    √(1−β₂ᵗ).  The only line that differs from `Adam` is `_second_moment`.

    Defaults are PyTorch's (η 1e-3, β₁ 0.9, β₂ 0.999) except ε = 1e-7, Adam's
    in optilab (the book's) rather than PyTorch's 1e-8: side by side with Adam
    in a lab, the maximum is then the only difference a student sees.
    """

    name = "amsgrad"
    title = "AMSGrad"
    defaults: ClassVar[dict[str, Any]] = dict(Adam.defaults)
    state_names: ClassVar[tuple[str, ...]] = ("m", "v", "v_max", "m_hat", "v_hat")
    equation = "m ← β₁m + (1−β₁)g ;  v ← β₂v + (1−β₂)g² ;  v_max ← max(v_max, v) ;  x ← x − η m̂ / (√v̂ + ε)"
    order = 72

    def _second_moment(self, v: Array, st: State) -> Array:
        v_max: Array = st["v_max"]
        np.maximum(v_max, v, out=v_max)              # v_max ← max(v_max, v)
        return v_max

    @classmethod
    def update_lines(cls, n: StepNumbers) -> list[str]:
        st, prev = n.state, n.state_prev
        return [
            *cls._moment_lines(n),
            f"v_max ← max(v_max, v) = max({vec(prev['v_max'])}, {vec(st['v'])}) = {vec(st['v_max'])}",
            cls._hat_line(n, "v_max"),
            cls._step_line(n),
        ]
