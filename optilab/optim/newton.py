"""Newton's method, damped (docs/equations.md#newton): x ← x − η (H + δI)⁻¹ g.

H = ∇²f(x) is the exact Hessian at the current point (Nocedal & Wright,
*Numerical Optimization*, 2nd ed., §2.2 eq. 2.15 and §3.3: the Newton
direction solves ∇²f p = −∇f).  η is the step length (1: the full Newton
step, which lands on the minimum of a quadratic in one step whatever its
conditioning); δ ≥ 0 shifts every eigenvalue of H by δ (Levenberg's damping:
with δ > −λ_min the shifted matrix is positive definite and the step a
descent direction).

The 2×2 system is solved in closed form (Cramer's rule) and H's eigenvalues
written out, so the numbers panel can show every number:

    λ = m ∓ √(((a − c)/2)² + b²),  m = (a + c)/2,   for H = [[a, b], [b, c]]
    d = (H + δI)⁻¹ g = ((c + δ) g₁ − b g₂, (a + δ) g₂ − b g₁) / det(H + δI)

Two cases are reported (`step_note`): H + δI **singular** (its smallest
|eigenvalue| ≤ `SINGULAR_RCOND` × its largest, or not finite): d is not
defined and no step is taken; H + δI **indefinite** (an eigenvalue < 0): the
step is taken as the equation says, but it heads for the stationary point of
the local quadratic model, which is a saddle or a maximum, not a minimum.
"""

from __future__ import annotations

import math
from typing import Any, ClassVar

import numpy as np

from optilab import messages
from optilab.optim.base import HParams, State
from optilab.optim.hparams import Hyperparameter
from optilab.optim.objective import Objective, ObjectiveOptimizer
from optilab.optim.step_numbers import StepNumbers, num, vec
from optilab.rules import Number

__all__ = ["SINGULAR_RCOND", "Newton", "curvature_kind", "eigenvalues", "newton_direction"]

#: H + δI counts as singular when its smallest |eigenvalue| is at most this times its largest.
SINGULAR_RCOND = 1e-12

NEWTON_SINGULAR = messages.declare(
    "optim.newton_singular",
    "H + δI is singular here (eigenvalues {lo}, {hi}): the Newton step is not defined, the point stays")
NEWTON_INDEFINITE = messages.declare(
    "optim.newton_indefinite",
    "H + δI is indefinite (eigenvalue {lo} < 0): the plain Newton step heads for a saddle or a maximum")

DAMPING = Hyperparameter(
    "damping", Number(0.0, 1e6), symbol="δ", label="damping",
    description="Added to every eigenvalue of the Hessian before the Newton solve (0: plain Newton).",
    slider=(0.0, 10.0, False), short="damping")


def eigenvalues(a: float, b: float, c: float) -> tuple[float, float]:
    """The eigenvalues (λ_min, λ_max) of the symmetric [[a, b], [b, c]]: m ∓ √(((a − c)/2)² + b²).

    The one of larger magnitude comes from the formula, the other from det/λ
    (no cancellation when they differ by many decades, κ = 10⁴ and beyond).
    """
    m, r = (a + c) / 2.0, math.hypot((a - c) / 2.0, b)
    if not (math.isfinite(m) and math.isfinite(r)):
        return math.nan, math.nan
    big = m + math.copysign(r, m)
    small = (a * c - b * b) / big if big != 0.0 else 0.0
    return (small, big) if small <= big else (big, small)


def curvature_kind(lo: float, hi: float) -> str:
    """"singular", "indefinite" or "positive" for a symmetric matrix with eigenvalues lo ≤ hi."""
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return "singular"
    largest = max(abs(lo), abs(hi))
    if largest == 0.0 or min(abs(lo), abs(hi)) <= SINGULAR_RCOND * largest:
        return "singular"
    return "indefinite" if lo < 0.0 else "positive"


def newton_direction(a: float, b: float, c: float, g1: float, g2: float) -> tuple[float, float]:
    """d solving [[a, b], [b, c]] d = (g1, g2), by Cramer's rule (the matrix is not singular)."""
    det = a * c - b * b
    return (c * g1 - b * g2) / det, (a * g2 - b * g1) / det


class Newton(ObjectiveOptimizer):
    """Damped Newton: x ← x − η (H + δI)⁻¹ g with H = ∇²f(x) (see the module docstring).

    State after each step: ``hx`` = (H₁₁, H₁₂) and ``hy`` = (H₂₁, H₂₂), the rows
    of H at the point stepped from; ``lam`` = its eigenvalues (λ_min, λ_max);
    ``d`` = (H + δI)⁻¹ g, zero when H + δI is singular (no step).
    """

    name = "newton"
    title = "Newton"
    defaults: ClassVar[dict[str, Any]] = {"lr": 1.0, "damping": 0.0}
    state_names = ("hx", "hy", "lam", "d")
    equation = "x ← x − η (H + δI)⁻¹ g"
    order = 100
    needs = "hessian"
    own_settings = (DAMPING,)

    def _step(self, x: np.ndarray, g: np.ndarray, st: State, hp: HParams, objective: Objective) -> None:
        assert objective.hessian is not None           # `bind` checked it
        a, b, c = (float(v) for v in objective.hessian(float(x[0]), float(x[1])))   # H = ∇²f(x)
        lo, hi = eigenvalues(a, b, c)
        delta = float(hp["damping"])
        st["hx"][:] = a, b
        st["hy"][:] = b, c
        st["lam"][:] = lo, hi
        if curvature_kind(lo + delta, hi + delta) == "singular":
            st["d"][:] = 0.0                            # no step: (H + δI) d = g has no unique solution
            return
        d = newton_direction(a + delta, b, c + delta, float(g[0]), float(g[1]))   # d = (H + δI)⁻¹ g
        st["d"][:] = d
        x -= hp["lr"] * st["d"]                         # x ← x − η d

    @classmethod
    def _kind(cls, n: StepNumbers) -> str:
        lo, hi = n.state["lam"]
        delta = float(n.hparams["damping"])
        return curvature_kind(lo + delta, hi + delta)

    @classmethod
    def step_note(cls, n: StepNumbers) -> messages.Message | None:
        if n.k == 0:
            return None
        lo, hi = (v + float(n.hparams["damping"]) for v in n.state["lam"])
        kind = cls._kind(n)
        if kind == "singular":
            return NEWTON_SINGULAR(lo=num(lo), hi=num(hi))
        if kind == "indefinite":
            return NEWTON_INDEFINITE(lo=num(lo))
        return None

    @classmethod
    def update_lines(cls, n: StepNumbers) -> list[str]:
        (a, b), (_, c) = n.state["hx"], n.state["hy"]
        lo, hi = n.state["lam"]
        delta, lr = float(n.hparams["damping"]), num(n.hparams["lr"])
        lines = [f"H = ∇²f(x) = [[{num(a)}, {num(b)}], [{num(b)}, {num(c)}]], eigenvalues λ = {vec((lo, hi))}"]
        if delta:
            lines.append(f"H + δI = [[{num(a + delta)}, {num(b)}], [{num(b)}, {num(c + delta)}]], "
                         f"eigenvalues λ + δ = {vec((lo + delta, hi + delta))}")
        matrix = f"[[{num(a + delta)}, {num(b)}], [{num(b)}, {num(c + delta)}]]"
        if cls._kind(n) == "singular":
            det = (a + delta) * (c + delta) - b * b
            lines.append(f"(H + δI) d = g: det {matrix} = {num(det)} ≈ 0, no unique d: no step")
            lines.append(f"x ← x = {vec(n.x_new)}")
            return lines
        d = vec(n.state["d"])
        lines.append(f"solve (H + δI) d = g: {matrix} d = {vec(n.g)} → d = {d}")
        lines.append(f"x ← x − η d = {vec(n.x_prev)} − {lr}·{d} = {vec(n.x_new)}")
        return lines
