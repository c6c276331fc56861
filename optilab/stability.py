"""Stability maps: one run per cell of a grid of hyperparameters, all cells at once (docs/lessons.md#stability-maps).

`stability_map` runs ``optimizer`` from one start on one surface for every
cell of a grid over one hyperparameter (a *strip*: η alone for SGD and
AdaGrad) or two (η × μ for momentum and Nesterov, η × β₁ or β₂ for Adam,
η × ρ for RMSprop; `default_axes`).  The cells are one array of points of
shape (cells, 2) and the swept hyperparameters (cells, 1) arrays, broadcast
in the optimizer's own `_update` (through its `stepper`: the same equations
the trajectory engine steps, not a copy), with the surface's vectorised
gradient.  So a cell is exactly `optilab.trajectory.run` with that cell's
settings, and a 64×64 map of 200 steps takes a few tens of milliseconds.

Per cell it records the loss after the last step, the first step at which the
loss is ≤ ``tol`` (−1: never) and the step at which the run diverged (−1:
never), by `optilab.trajectory`'s rule — point or loss not finite, or the
point outside the domain blown up `DIVERGENCE_FACTOR` times about its centre,
at step k; a gradient that is not finite at step k stops the run at k + 1.

On f = ½(λ₁x² + λ₂y²) the map shows the closed forms (docs/equations.md#stability):
gradient descent diverges for η > 2/λ_max; heavy-ball momentum converges for
0 < η < 2(1+μ)/λ_max; the fewest steps lie at Polyak's η*, μ* (`polyak_optimum`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from optilab import messages, optim
from optilab.rules import Choice, Number, Setting
from optilab.surfaces import Surface
from optilab.trajectory import DIVERGENCE_FACTOR, Run, escape_box

__all__ = [
    "DIVERGENCE_FACTOR",
    "GRID",
    "MEASURES",
    "STEPS",
    "StabilityMap",
    "axis_values",
    "check_mappable",
    "default_axes",
    "default_tol",
    "mappable",
    "momentum_bound",
    "polyak_optimum",
    "stability_map",
]

#: Cells per axis of a map (a strip has one row).
GRID = Setting("grid", Number(2, 256, integer=True), label="cells per axis",
               description="How many values of each hyperparameter the map tries.")
#: Steps per cell.
STEPS = Setting("steps", Number(1, 10_000, integer=True), label="steps per cell",
                description="How many steps every cell's run takes.")
#: What a map's colours show.
MEASURES = ("loss", "steps", "diverged")
MEASURE = Setting("measure", Choice(MEASURES), label="measure",
                  description="The loss after the last step, the steps to reach the tolerance, "
                              "or the step where a run diverged.")

#: The second axis a two-hyperparameter map sweeps, by optimizer (others: η alone, a strip).
SECOND_AXIS: Mapping[str, str] = {"momentum": "momentum", "nesterov": "momentum", "rmsprop": "decay_rate",
                                  "adadelta": "decay_rate", "adam": "beta1", "nadam": "beta1", "adamw": "beta1",
                                  "amsgrad": "beta1", "lion": "beta1"}

NOT_NUMBER = messages.declare(
    "stability.not_number", "{opt} has no number {key} to sweep; sweep one of: {valid}")
SAME_KEY = messages.declare("stability.same_key", "the two axes sweep the same hyperparameter {key}; choose two")
BAD_RANGE = messages.declare("stability.bad_range", "{key}: the range {low}…{high} is empty; give LO < HI")
LOG_RANGE = messages.declare(
    "stability.log_range", "{key}: a log axis needs LO > 0, got {low}; give a positive LO or a linear axis")
BAD_TOL = messages.declare("stability.bad_tol", "the tolerance must be a finite number, got {tol}")
NOT_MAPPABLE = messages.declare(
    "stability.not_mappable",
    "{opt} reads the surface itself (its Hessian or a line search): a stability map sweeps only the gradient "
    "methods ({choices})")


def mappable() -> list[str]:
    """The optimizers a map can sweep: those whose step reads only the gradient (`optim.names(network=True)`;
    Newton and L-BFGS step on the surface itself, one point at a time)."""
    return optim.names(network=True)


def check_mappable(optimizer: str) -> None:
    """`NOT_MAPPABLE` (one line) unless a map can sweep ``optimizer``."""
    name = optim.get_class(optimizer).name
    if name not in mappable():
        raise NOT_MAPPABLE.error(opt=optim.get_class(name).title, choices=", ".join(mappable()))


def default_axes(optimizer: str) -> tuple[str, str | None]:
    """The hyperparameters a map of ``optimizer`` sweeps: η and μ, ρ or β₁ — or η alone (None)."""
    name = optim.get_class(optimizer).name
    return "lr", SECOND_AXIS.get(name)


def sweepable(optimizer: str) -> list[str]:
    """The hyperparameters of ``optimizer`` a map can sweep (its numbers, not its flags)."""
    cls = optim.get_class(optimizer)
    return [s.key for s in cls.settings() if isinstance(s.rule, Number)]


def axis_values(optimizer: str, key: str, low: float, high: float, n: int, log: bool = False) -> np.ndarray:
    """``n`` values of hyperparameter ``key`` from ``low`` to ``high``, evenly or (``log``) geometrically
    spaced; each checked by the optimizer's `Setting` of ``key`` (an `OptilabError` naming what is wrong;
    `NOT_MAPPABLE` for Newton and L-BFGS)."""
    check_mappable(optimizer)
    cls = optim.get_class(optimizer)
    if key not in sweepable(optimizer):
        raise NOT_NUMBER.error(opt=cls.name, key=repr(key), valid=", ".join(sweepable(optimizer)))
    n = GRID.check(n)
    low, high = float(low), float(high)
    if not (math.isfinite(low) and math.isfinite(high)) or low >= high:
        raise BAD_RANGE.error(key=key, low=f"{low:g}", high=f"{high:g}")
    if log and low <= 0:
        raise LOG_RANGE.error(key=key, low=f"{low:g}")
    cls.check(key, low)
    cls.check(key, high)          # a Number's allowed set is an interval: all values between pass too
    return np.geomspace(low, high, n) if log else np.linspace(low, high, n)


def default_tol(surface: Surface, start: tuple[float, float]) -> float:
    """The tolerance of "steps to reach": f_min + 10⁻⁶ (f(start) − f_min), with f_min the lowest known
    minimum (0 when the surface lists none)."""
    with np.errstate(all="ignore"):
        lows = [float(surface.f(float(x), float(y))) for x, y in surface.minima]
        f0 = float(surface.f(float(start[0]), float(start[1])))
    f_min = min((v for v in lows if math.isfinite(v)), default=0.0)
    return f_min + 1e-6 * (f0 - f_min) if math.isfinite(f0) else f_min


@dataclass(frozen=True, eq=False)
class StabilityMap:
    """A map's cells: arrays of shape (len(x_values), len(y_values)) — (n, 1) for a strip.

    ``loss``: f after the last step (nan where the run diverged); ``steps_to_tol``:
    the first step with loss ≤ ``tol`` (−1: never); ``diverged_at``: the first bad
    step (−1: never).  ``settings``: the optimizer's settings apart from the swept ones.
    """

    optimizer: str
    settings: Mapping[str, Any]
    x_key: str
    x_values: np.ndarray
    y_key: str | None
    y_values: np.ndarray | None
    steps: int
    start: tuple[float, float]
    tol: float
    measure: str
    loss: np.ndarray
    steps_to_tol: np.ndarray
    diverged_at: np.ndarray

    @property
    def is_strip(self) -> bool:
        """Whether the map sweeps one hyperparameter only."""
        return self.y_key is None

    @property
    def diverged(self) -> np.ndarray:
        """Where a cell's run diverged (bool, the cells' shape)."""
        return self.diverged_at >= 0

    def of(self, measure: str | None = None) -> np.ndarray:
        """The cells' values of ``measure`` (default: the map's) as floats, nan where it has none:
        the loss (nan: diverged), the steps to ``tol`` (nan: never reached) or the step it diverged at."""
        measure = MEASURE.check(measure or self.measure)
        if measure == "loss":
            return self.loss
        values = self.steps_to_tol if measure == "steps" else self.diverged_at
        return np.where(values >= 0, values, np.nan).astype(float)

    def hparams(self, i: int, j: int = 0) -> dict[str, Any]:
        """The settings of cell (i, j): the fixed ones with the swept values."""
        out = {**self.settings, self.x_key: float(self.x_values[i])}
        if self.y_key is not None and self.y_values is not None:
            out[self.y_key] = float(self.y_values[j])
        return out

    def cell_of(self, x: float, y: float | None = None) -> tuple[int, int]:
        """The cell whose values are nearest (x, y) (on a log axis: nearest in log)."""
        return _nearest(self.x_values, x), (_nearest(self.y_values, y) if self.y_values is not None and y is not None
                                            else 0)


def _nearest(values: np.ndarray, v: float) -> int:
    log = bool(values[0] > 0 and len(values) > 2 and not np.allclose(np.diff(values), values[1] - values[0]))
    if log and v > 0:
        return int(np.argmin(np.abs(np.log(values) - math.log(v))))
    return int(np.argmin(np.abs(values - v)))


def stability_map(
    surface: Surface,
    optimizer: str | Run,
    fixed: Mapping[str, Any] | None = None,
    x_key: str = "lr",
    x_values: Sequence[float] | np.ndarray = (),
    y_key: str | None = None,
    y_values: Sequence[float] | np.ndarray | None = None,
    steps: int = 200,
    start: tuple[float, float] | None = None,
    measure: str = "loss",
    tol: float | None = None,
    seed: int = 0,
) -> StabilityMap:
    """Run ``optimizer`` with settings ``fixed`` ∪ {x_key: x, y_key: y} for every (x, y) of the grid,
    ``steps`` steps from ``start`` (default: the surface's), all cells at once (see the module docstring).

    Every value is checked by the optimizer's own `Setting`; ``seed`` seeds the minibatch sampling of a
    stochastic surface (every cell sees the batches `trajectory.run` would draw with it).
    """
    spec = optimizer if isinstance(optimizer, Run) else Run(optimizer, dict(fixed or {}))
    name = spec.optimizer
    keys = [x_key] + ([y_key] if y_key is not None else [])
    if y_key == x_key:
        raise SAME_KEY.error(key=x_key)
    check_mappable(name)
    cls = optim.get_class(name)
    for key in keys:
        if key not in sweepable(name):
            raise NOT_NUMBER.error(opt=name, key=repr(key), valid=", ".join(sweepable(name)))
    xs = np.asarray([cls.check(x_key, v) for v in x_values], dtype=float)
    ys = None if y_key is None or y_values is None else np.asarray([cls.check(y_key, v) for v in y_values], dtype=float)
    if y_key is not None and ys is None:
        ys = np.zeros(0)
    GRID.check(len(xs))
    if ys is not None:
        GRID.check(len(ys))
    steps = STEPS.check(steps)
    measure = MEASURE.check(measure)
    surface = spec.surface or surface
    x0, y0 = (float(v) for v in (start if start is not None else surface.start))
    tol = default_tol(surface, (x0, y0)) if tol is None else float(tol)
    if not math.isfinite(tol):
        raise BAD_TOL.error(tol=tol)

    shape = (len(xs), 1 if ys is None else len(ys))
    X, Y = np.meshgrid(xs, ys if ys is not None else np.zeros(1), indexing="ij")
    opt = spec.create_optimizer()
    opt.hparams[x_key] = X.reshape(-1, 1)
    if y_key is not None:
        opt.hparams[y_key] = Y.reshape(-1, 1)
    loss, reached, diverged_at = _run_cells(surface, opt, (x0, y0), steps, tol, seed, X.size)
    settings = {k: v for k, v in spec.settings.items() if k not in keys}
    return StabilityMap(name, settings, x_key, xs, y_key, ys, steps, (x0, y0), tol, measure,
                        loss.reshape(shape), reached.reshape(shape), diverged_at.reshape(shape))


def _run_cells(surface: Surface, opt: optim.Optimizer, start: tuple[float, float], steps: int, tol: float,
               seed: int, cells: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """`trajectory.run`'s loop over (cells, 2) points: final loss, first step at ≤ tol, divergence step."""
    point = np.empty((cells, 2))
    point[:, 0], point[:, 1] = start
    g = np.zeros((cells, 2))
    step = opt.stepper("xy", point)
    rng = np.random.default_rng(seed)
    bx0, bx1, by0, by1 = escape_box(surface)
    alive = np.ones(cells, dtype=bool)
    reached = np.full(cells, -1, dtype=np.int64)
    diverged_at = np.full(cells, -1, dtype=np.int64)
    fx = np.full(cells, np.nan)
    x, y = point[:, 0], point[:, 1]
    with np.errstate(all="ignore"):
        for k in range(steps + 1):
            if k:
                step(g)
            fx = np.broadcast_to(np.asarray(surface.f(x, y), dtype=float), (cells,))
            bad = alive & ~(np.isfinite(fx) & (bx0 <= x) & (x <= bx1) & (by0 <= y) & (y <= by1))
            diverged_at[bad] = k
            alive &= ~bad
            hit = alive & (reached < 0) & (fx <= tol)
            reached[hit] = k
            # vectorised on arrays like f and grad (its annotation says float: one point, the engine's use)
            gx, gy = surface.gradient_sample(x, y, rng)  # type: ignore[arg-type]
            g[:, 0], g[:, 1] = gx, gy
            bad = alive & ~np.isfinite(g).all(axis=1)
            diverged_at[bad] = k + 1
            alive &= ~bad
            if not alive.any():
                break
    loss = np.where(alive, fx, np.nan)
    return loss, reached, diverged_at


def momentum_bound(mu: float | np.ndarray, lam_max: float) -> float | np.ndarray:
    """Heavy-ball momentum (v ← μv − ηg; x ← x + v) on a quadratic converges exactly for
    0 < η < 2(1 + μ)/λ_max, 0 ≤ μ < 1 (μ = 0: gradient descent's 2/λ_max) (docs/equations.md#stability)."""
    return 2.0 * (1.0 + mu) / lam_max


def polyak_optimum(lam_min: float, lam_max: float) -> tuple[float, float]:
    """Polyak's fastest heavy ball on a quadratic (Goh, "Why Momentum Really Works", Distill 2017):
    η* = (2/(√λ_max + √λ_min))², μ* = ((√κ − 1)/(√κ + 1))² with κ = λ_max/λ_min (docs/equations.md#stability)."""
    root_k = math.sqrt(lam_max / lam_min)
    return (2.0 / (math.sqrt(lam_max) + math.sqrt(lam_min))) ** 2, ((root_k - 1.0) / (root_k + 1.0)) ** 2
