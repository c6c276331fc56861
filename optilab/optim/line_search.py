"""The strong-Wolfe line search of L-BFGS (Nocedal & Wright, *Numerical Optimization*, 2nd ed., §3.5).

Along a descent direction d from x, φ(α) = f(x + αd) with φ′(α) = ∇f(x + αd)·d.
A step length α is accepted when it satisfies the **strong Wolfe conditions**
(N&W eq. 3.7):

    φ(α) ≤ φ(0) + c₁ α φ′(0)          (sufficient decrease, c₁ = 1e-4)
    |φ′(α)| ≤ c₂ |φ′(0)|               (curvature, c₂ = 0.9)

`strong_wolfe` is Algorithm 3.5 (bracketing: try α, extrapolate while the
slope is still negative) and Algorithm 3.6 (zoom: shrink the bracket), each
new trial the minimiser of the cubic through the two end points' values and
slopes (N&W eq. 3.59, `cubic_minimizer`), with the safeguards and constants
of ``torch.optim.LBFGS(line_search_fn="strong_wolfe")`` (at most 25
evaluations; extrapolation within [α + 0.01(α − α_prev), 10α]; a trial kept at
least 10 % of the bracket away from its ends).

Why strong Wolfe and not a backtracking (Armijo) search: the curvature
condition guarantees sᵀy > 0 for the step s = αd and the gradient change y,
so every (s, y) pair keeps the L-BFGS matrix positive definite and the next
direction a descent direction; backtracking only ever shortens α and can
accept steps with sᵀy ≤ 0, whose pair must then be thrown away.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

__all__ = ["C1", "C2", "MAX_EVALS", "cubic_minimizer", "strong_wolfe"]

C1, C2 = 1e-4, 0.9
#: The most evaluations of f and ∇f one line search makes.
MAX_EVALS = 25
#: A bracket narrower than this (times max |dᵢ|) stops the zoom.
TOLERANCE_CHANGE = 1e-9

#: One evaluation: α ↦ (φ(α), ∇f(x + αd)).
Phi = Callable[[float], tuple[float, np.ndarray]]


def cubic_minimizer(a: float, fa: float, ga: float, b: float, fb: float, gb: float,
                    low: float, high: float) -> float:
    """The minimiser of the cubic with values fa, fb and slopes ga, gb at a and b (N&W eq. 3.59),
    clipped to [low, high]; the middle of [low, high] when the cubic has no minimum."""
    try:
        d1 = ga + gb - 3.0 * (fa - fb) / (a - b)
        d2_square = d1 * d1 - ga * gb
        if d2_square >= 0.0:
            d2 = math.sqrt(d2_square)
            if a <= b:
                t = b - (b - a) * ((gb + d2 - d1) / (gb - ga + 2.0 * d2))
            else:
                t = a - (a - b) * ((ga + d2 - d1) / (ga - gb + 2.0 * d2))
            if math.isfinite(t):
                return min(max(t, low), high)
    except (ZeroDivisionError, OverflowError):   # a = b, or a cubic with no unique minimiser
        pass
    return (low + high) / 2.0


def strong_wolfe(phi: Phi, d: np.ndarray, alpha: float, f0: float, g0: np.ndarray
                 ) -> tuple[float, float, np.ndarray, int]:
    """A step length along ``d`` from the point where f = ``f0`` and ∇f = ``g0`` (d a descent
    direction: g0·d < 0), first trying ``alpha``: returns (α, f, ∇f at the new point, evaluations).

    If no α satisfies both conditions within `MAX_EVALS` evaluations, the best
    bracket end found is returned (possibly α = 0: no step).
    """
    gtd0 = float(g0 @ d)
    d_norm = float(np.abs(d).max())
    # Algorithm 3.5: bracket.  (α_prev, φ, ∇f, φ′) of the last trial, starting at α = 0.
    prev = (0.0, f0, g0, gtd0)
    f, g = phi(alpha)
    gtd, evals = float(g @ d), 1
    bracket: list[tuple[float, float, np.ndarray, float]] | None = None
    while evals < MAX_EVALS:
        if f > f0 + C1 * alpha * gtd0 or (evals > 1 and f >= prev[1]):
            bracket = [prev, (alpha, f, g, gtd)]            # too long: a minimiser lies in between
            break
        if abs(gtd) <= -C2 * gtd0:
            return alpha, f, g, evals                       # strong Wolfe holds
        if gtd >= 0.0:
            bracket = [prev, (alpha, f, g, gtd)]            # the slope turned: a minimiser lies in between
            break
        low, high = alpha + 0.01 * (alpha - prev[0]), alpha * 10.0
        nxt = cubic_minimizer(prev[0], prev[1], prev[3], alpha, f, gtd, low, high)
        prev = (alpha, f, g, gtd)
        alpha = nxt
        f, g = phi(alpha)
        gtd, evals = float(g @ d), evals + 1
    if bracket is None:                                     # out of evaluations while extrapolating
        bracket = [(0.0, f0, g0, gtd0), (alpha, f, g, gtd)]
    # Algorithm 3.6: zoom.  bracket[lo] has the lower φ; the other end is bracket[1 − lo].
    lo = 0 if bracket[0][1] <= bracket[1][1] else 1
    insufficient = False
    while evals < MAX_EVALS:
        (a, fa, _, ga), (b, fb, _, gb) = bracket
        if abs(b - a) * d_norm < TOLERANCE_CHANGE:
            break
        left, right = min(a, b), max(a, b)
        alpha = cubic_minimizer(a, fa, ga, b, fb, gb, left, right)
        margin = 0.1 * (right - left)
        if min(right - alpha, alpha - left) < margin:       # too near an end: progress would be slow
            if insufficient or alpha >= right or alpha <= left:
                alpha = right - margin if abs(alpha - right) < abs(alpha - left) else left + margin
                insufficient = False
            else:
                insufficient = True
        else:
            insufficient = False
        f, g = phi(alpha)
        gtd, evals = float(g @ d), evals + 1
        new = (alpha, f, g, gtd)
        if f > f0 + C1 * alpha * gtd0 or f >= bracket[lo][1]:
            bracket[1 - lo] = new                           # the high end moves in
            lo = 0 if bracket[0][1] <= bracket[1][1] else 1
            continue
        if abs(gtd) <= -C2 * gtd0:
            return alpha, f, g, evals                       # strong Wolfe holds
        if gtd * (bracket[1 - lo][0] - bracket[lo][0]) >= 0.0:
            bracket[1 - lo] = bracket[lo]                   # the old low end becomes the high end
        bracket[lo] = new
    best = bracket[lo]
    return best[0], best[1], best[2], evals
