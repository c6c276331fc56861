"""Optimizers that see the objective itself, not only its gradient (docs/equations.md#second-order-methods).

Newton's method needs the Hessian ∇²f at the current point, L-BFGS's line
search needs f and ∇f at trial points.  Such a class sets ``needs``
("hessian" or "function") and is bound, before its first step, to an
`Objective`: plain callables on two floats, so this bottom layer imports no
surface (`optilab.trajectory.run` builds the objective from a 2-D surface).
A network has no such objective here: `optim.names(network=True)` leaves
these classes out, and stepping one unbound is refused in one line.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from optilab import messages
from optilab.optim.base import Array, HParams, Optimizer, State
from optilab.optim.registry import get_class

__all__ = ["NEEDS_OBJECTIVE", "NO_HESSIAN_GIVEN", "Objective", "ObjectiveOptimizer", "check_network"]

NEEDS_OBJECTIVE = messages.declare(
    "optim.needs_objective",
    "{opt} needs the loss itself ({what}) at any point, not only gradients: it runs on the 2-D loss surfaces "
    "(surface lab, optilab trajectory), not on a network")
NO_HESSIAN_GIVEN = messages.declare("optim.no_hessian_given", "{opt} needs the Hessian ∇²f, and none was given")

#: What each kind of need asks of the objective, as shown in `NEEDS_OBJECTIVE`.
NEEDS_TEXT = {"function": "f and ∇f", "hessian": "∇f and the Hessian ∇²f"}


def check_network(name: str) -> None:
    """Refuse, in one line (`NEEDS_OBJECTIVE`), an optimizer that cannot train a network (its ``needs``)."""
    cls = get_class(name)
    if cls.needs:
        raise NEEDS_OBJECTIVE.error(opt=cls.name, what=NEEDS_TEXT[cls.needs])


@dataclass(frozen=True)
class Objective:
    """f, ∇f and (for Newton) the Hessian's entries (f_xx, f_xy, f_yy) at a point (x, y) of floats."""

    f: Callable[[float, float], float]
    grad: Callable[[float, float], tuple[float, float]]
    hessian: Callable[[float, float], tuple[float, float, float]] | None = None


class ObjectiveOptimizer(Optimizer):
    """Base of the optimizers whose step reads an `Objective` (bound by `bind`); a subclass
    writes `_step(x, g, st, hp, objective)` instead of `_update`."""

    needs: ClassVar[str] = "function"

    def __init__(self, **hparams: object) -> None:
        super().__init__(**hparams)
        self.objective: Objective | None = None

    def bind(self, objective: Objective) -> None:
        """Step on ``objective`` from now on (`NO_HESSIAN_GIVEN` if this class needs a Hessian it lacks)."""
        if self.needs == "hessian" and objective.hessian is None:
            raise NO_HESSIAN_GIVEN.error(opt=self.name)
        self.objective = objective

    def _update(self, x: Array, g: Array, st: State, tmp: Array, hp: HParams) -> None:
        if self.objective is None or x.shape != (2,):
            raise NEEDS_OBJECTIVE.error(opt=self.name, what=NEEDS_TEXT[self.needs])
        self._step(x, g, st, hp, self.objective)

    def _step(self, x: np.ndarray, g: np.ndarray, st: State, hp: HParams, objective: Objective) -> None:
        raise NotImplementedError
