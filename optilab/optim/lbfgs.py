"""L-BFGS (docs/equations.md#l-bfgs): limited-memory BFGS with a strong-Wolfe line search.

Nocedal & Wright, *Numerical Optimization*, 2nd ed., Algorithm 7.4 (the
two-loop recursion) in Algorithm 7.5: from the last m pairs
sᵢ = x_{i+1} − xᵢ, yᵢ = g_{i+1} − gᵢ, ρᵢ = 1/(yᵢᵀsᵢ), the direction
d = −H_k g is

    q ← g;  for i = k−1 … k−m:  aᵢ = ρᵢ sᵢᵀq,  q ← q − aᵢ yᵢ
    r ← γ q,  γ = sᵀy / yᵀy of the newest pair (N&W eq. 7.20; 1 before any pair)
    for i = k−m … k−1:  β = ρᵢ yᵢᵀr,  r ← r + sᵢ (aᵢ − β)
    d = −r

and x ← x + α d with α from `optilab.optim.line_search.strong_wolfe`, whose
first trial is η (``lr``, 1 by default) — η·min(1, 1/‖g‖₁) at the first step,
as torch.optim.LBFGS does.  A pair enters the memory only if yᵀs > 1e-10
(strong Wolfe makes yᵀs > 0; the bound keeps ρ finite).  Each recorded step is
one L-BFGS iteration; its line search's trial points are not recorded, only
how many there were.
"""

from __future__ import annotations

from collections import deque
from typing import Any, ClassVar

import numpy as np

from optilab.optim.base import HParams, State
from optilab.optim.hparams import Hyperparameter
from optilab.optim.line_search import strong_wolfe
from optilab.optim.objective import Objective, ObjectiveOptimizer
from optilab.optim.step_numbers import StepNumbers, num, vec
from optilab.rules import Number

__all__ = ["LBFGS", "two_loop"]

#: A pair (s, y) with yᵀs at most this is not kept (as torch.optim.LBFGS).
CURVATURE_MIN = 1e-10

HISTORY = Hyperparameter(
    "history", Number(1, 100, integer=True), symbol="m", label="history",
    description="How many of the last steps and gradient changes (s, y) the two-loop recursion uses.",
    slider=(1, 50, False), short="history")


def two_loop(g: np.ndarray, pairs: Any, gamma: float) -> np.ndarray:
    """d = −H_k g by Algorithm 7.4 over ``pairs`` (s, y, ρ), oldest first, with H⁰ = γ I."""
    q = g.copy()
    a = []
    for s, y, rho in reversed(pairs):        # newest first
        ai = rho * float(s @ q)
        q -= ai * y
        a.append(ai)
    r = gamma * q
    for (s, y, rho), ai in zip(pairs, reversed(a), strict=True):   # oldest first
        beta = rho * float(y @ r)
        r += s * (ai - beta)
    d: np.ndarray = -r
    return d


class LBFGS(ObjectiveOptimizer):
    """L-BFGS: d = −H_k g (two-loop recursion over the last m pairs); x ← x + α d, α by strong Wolfe.

    State after each step: ``d`` = the direction −H_k g; ``ls`` = (α, the number
    of f and ∇f evaluations the line search made).  The memory of (s, y) pairs
    lives in the optimizer's own state (``pairs``, ``gamma``).
    """

    name = "lbfgs"
    title = "L-BFGS"
    defaults: ClassVar[dict[str, Any]] = {"lr": 1.0, "history": 10}
    state_names = ("d", "ls")
    equation = "d = −H g (two-loop, last m pairs) ;  x ← x + α d (strong Wolfe)"
    order = 110
    needs = "function"
    own_settings = (HISTORY,)

    def _step(self, x: np.ndarray, g: np.ndarray, st: State, hp: HParams, objective: Objective) -> None:
        pairs = st.get("pairs")
        if pairs is None or pairs.maxlen != int(hp["history"]):
            pairs = st["pairs"] = deque(pairs or (), maxlen=int(hp["history"]))
        gamma = st.get("gamma", 1.0)
        g = np.array(g, dtype=float)
        d = two_loop(g, pairs, gamma)                        # d = −H_k g
        st["d"][:] = d
        if not float(g @ d) < 0.0:                           # g = 0 (a stationary point), or not descent
            st["ls"][:] = 0.0, 0.0
            return
        lr = float(hp["lr"])
        alpha0 = lr * min(1.0, 1.0 / float(np.abs(g).sum())) if st["step"] == 1 else lr
        x0 = x.copy()

        def phi(alpha: float) -> tuple[float, np.ndarray]:
            px, py = (x0 + alpha * d).tolist()
            return float(objective.f(px, py)), np.array(objective.grad(px, py), dtype=float)

        alpha, _f, g_new, evals = strong_wolfe(phi, d, alpha0, float(objective.f(*x0.tolist())), g)
        s = alpha * d
        x += s                                                # x ← x + α d
        st["ls"][:] = alpha, evals
        y = g_new - g
        ys = float(y @ s)
        if ys > CURVATURE_MIN:
            pairs.append((s, y, 1.0 / ys))
            st["gamma"] = ys / float(y @ y)                   # H⁰ = (sᵀy / yᵀy) I for the next step

    @classmethod
    def update_lines(cls, n: StepNumbers) -> list[str]:
        d = vec(n.state["d"])
        alpha, evals = n.state["ls"]
        m = int(n.hparams["history"])
        kept = min(n.k - 1, m)
        lines = [f"d = −H g (two-loop over ≤ {kept} of the last m = {m} pairs (s, y)) = {d}"]
        if evals == 0:
            lines.append(f"g·d = {num(float(np.dot(n.g, n.state['d'])))} is not < 0: no descent, no step")
            return lines
        times = "1 evaluation" if int(evals) == 1 else f"{int(evals)} evaluations"
        lines.append(f"strong Wolfe line search: α = {num(alpha)} after {times} of f and ∇f")
        lines.append(f"x ← x + α d = {vec(n.x_prev)} + {num(alpha)}·{d} = {vec(n.x_new)}")
        return lines
