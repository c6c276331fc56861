"""The surface lab's stability map as a Qt-free model (docs/lessons.md#stability-maps).

`StabilityLab` belongs to a `SurfaceLab`: for one of its runs (`row`) it
holds the axes (`Axis`: a hyperparameter, its range, log or linear), the
cells per axis and the measure shown, and the last map computed
(`optilab.stability.stability_map`).  `request` says what the map of the
lab's present state is — surface, start, steps, the run's optimizer and its
settings apart from the swept ones, the axes — so a map is recomputed only
when one of those changes (picking a cell changes the swept values only: the
map stays, its mark moves).  `compute` is pure, for a worker thread; `accept`
keeps its result only if the lab has not moved on meanwhile.  `pick` gives the
run a cell's settings through `SurfaceLab.set_hparam` (the one check).  A run
of Newton or L-BFGS is not mapped (`refusal` says why: they read the surface
itself, one point at a time).

    >>> lab = SurfaceLab(); lab.load_lesson("momentum-overshoot")
    >>> stab = StabilityLab(lab)
    >>> stab.accept(stab.request(), StabilityLab.compute(stab.request()))
    >>> stab.pick(3, 5)        # the run now has that cell's η and μ
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from psygnal import Signal

from optilab import messages, optim
from optilab.lab.surface import SurfaceLab
from optilab.rules import Number
from optilab.stability import (
    GRID,
    MEASURE,
    StabilityMap,
    axis_values,
    check_mappable,
    default_axes,
    stability_map,
    sweepable,
)
from optilab.surfaces import Surface
from optilab.trajectory import Run

__all__ = ["DEFAULT_GRID", "Axis", "Request", "StabilityLab"]

#: Cells per axis when the lab opens (48 × 48 = 2,304 runs: a map in well under 0.1 s).
DEFAULT_GRID = 48
#: Significant digits a picked cell's value keeps (η = 0.0316, not 0.031622776601683794).
PICK_DIGITS = 3


@dataclass(frozen=True)
class Axis:
    """One axis of the map: hyperparameter ``key`` from ``low`` to ``high``, ``log`` or linear."""

    key: str
    low: float
    high: float
    log: bool

    @classmethod
    def default(cls, key: str) -> Axis:
        """The range the hyperparameter's slider offers (its `Setting`, declared once)."""
        setting = optim.HPARAMS.get(key)
        if setting is not None and setting.slider is not None:
            low, high, log = setting.slider
            return cls(key, float(low), float(high), bool(log))
        return cls(key, 1e-4, 1.0, True)

    def values(self, optimizer: str, n: int) -> np.ndarray:
        """The ``n`` values of this axis (checked by the optimizer's Setting of ``key``)."""
        return axis_values(optimizer, self.key, self.low, self.high, n, self.log)


@dataclass(frozen=True)
class Request:
    """Everything a map depends on: equal requests give equal maps."""

    surface: Surface
    run: Run
    fixed: tuple[tuple[str, Any], ...]
    x: Axis
    y: Axis | None
    grid: int
    steps: int
    start: tuple[float, float]
    seed: int

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Request):
            return NotImplemented
        return (self.surface is other.surface and self.run.optimizer == other.run.optimizer
                and self.run.surface is other.run.surface
                and (self.fixed, self.x, self.y, self.grid, self.steps, self.start, self.seed)
                == (other.fixed, other.x, other.y, other.grid, other.steps, other.start, other.seed))

    __hash__ = None  # type: ignore[assignment]


class StabilityLab:
    """The stability map of one of a `SurfaceLab`'s runs (see the module docstring).

    Fields: `lab`, `row` (the run mapped), `x`, `y` (None: a strip), `grid`,
    `measure`, `map` (the last map accepted, or None), `request_of_map`.
    """

    #: The axes, grid or measure changed (the map is to be recomputed, or only redrawn).
    settings_changed = Signal()
    #: A newly computed map was accepted.
    map_changed = Signal()

    def __init__(self, lab: SurfaceLab) -> None:
        self.lab = lab
        self.row = 0
        self.grid = DEFAULT_GRID
        self.measure = "loss"
        self.x: Axis = Axis.default("lr")
        self.y: Axis | None = None
        self._optimizer: str | None = None
        self.map: StabilityMap | None = None
        self.request_of_map: Request | None = None

    # -- the run mapped and its axes --------------------------------------------
    @property
    def run(self) -> Run | None:
        """The run mapped (None: no run, or landscape mode)."""
        if self.lab.landscape is not None or not 0 <= self.row < len(self.lab.runs):
            return None
        return self.lab.runs[self.row]

    def refusal(self) -> messages.Message | None:
        """Why the selected run cannot be mapped (Newton, L-BFGS: `stability.check_mappable`), else None."""
        run = self.run
        if run is None:
            return None
        try:
            check_mappable(run.optimizer)
        except ValueError as exc:
            return messages.of(exc)
        return None

    def select(self, row: int) -> None:
        """Map run ``row``; a run of another optimizer gets that optimizer's default axes."""
        self.row = int(row)
        run = self.run
        if run is not None and run.optimizer != self._optimizer and self.refusal() is None:
            self._optimizer = run.optimizer
            x_key, y_key = default_axes(run.optimizer)
            self.x = Axis.default(x_key)
            self.y = Axis.default(y_key) if y_key is not None else None
        self.settings_changed.emit()

    def axis_choices(self) -> list[str]:
        """The hyperparameters the y axis may sweep for the run (its numbers other than the x axis's)."""
        run = self.run
        return [] if run is None else [k for k in sweepable(run.optimizer) if k != self.x.key]

    def set_axis(self, which: str, key: str | None = None, low: float | None = None, high: float | None = None,
                 log: bool | None = None) -> None:
        """Change axis ``which`` ("x" or "y"): its key (a new key takes its default range), range or spacing;
        checked by the optimizer's Setting (an `OptilabError` and nothing changed if not allowed).
        ``key=""`` on y makes the map a strip."""
        if which == "y" and key == "":
            self.y = None
            self.settings_changed.emit()
            return
        old = self.x if which == "x" else self.y
        axis = Axis.default(key) if key is not None and (old is None or key != old.key) else old
        if axis is None:
            return
        axis = replace(axis, low=axis.low if low is None else float(low),
                       high=axis.high if high is None else float(high), log=axis.log if log is None else bool(log))
        run = self.run
        if run is not None:
            axis.values(run.optimizer, self.grid)   # the one check
        if which == "x":
            self.x = axis
        else:
            self.y = axis
        self.settings_changed.emit()

    def set_grid(self, n: int) -> None:
        """Cells per axis (`stability.GRID`'s bound)."""
        self.grid = GRID.check(n)
        self.settings_changed.emit()

    def set_measure(self, measure: str) -> None:
        """What the colours show: "loss", "steps" or "diverged" (no recompute: a map holds all three)."""
        self.measure = MEASURE.check(measure)
        self.settings_changed.emit()

    # -- computing ------------------------------------------------------------------
    def request(self) -> Request | None:
        """What the map of the lab's present state is (None: nothing to map)."""
        run = self.run
        if run is None or self.refusal() is not None:
            return None
        swept = {self.x.key} | ({self.y.key} if self.y is not None else set())
        fixed = tuple((k, v) for k, v in run.settings.items() if k not in swept)
        start = (float(self.lab.start[0]), float(self.lab.start[1]))
        return Request(self.lab.surface, run, fixed, self.x, self.y, self.grid, int(self.lab.steps), start,
                       self.lab.seed)

    def up_to_date(self) -> bool:
        """Whether the map shown is the map of the present state."""
        req = self.request()
        return req is not None and self.map is not None and req == self.request_of_map

    @staticmethod
    def compute(req: Request) -> StabilityMap:
        """The map of ``req`` (pure: safe on a worker thread)."""
        name = req.run.optimizer
        xs = req.x.values(name, req.grid)
        ys = None if req.y is None else req.y.values(name, req.grid)
        spec = Run(name, dict(req.fixed), surface=req.run.surface)
        return stability_map(req.surface, spec, None, req.x.key, xs, None if req.y is None else req.y.key, ys,
                             steps=req.steps, start=req.start, seed=req.seed)

    def accept(self, req: Request, result: StabilityMap) -> bool:
        """Keep ``result`` if ``req`` is still the present state's request (True), else drop it."""
        if req != self.request():
            return False
        self.map, self.request_of_map = result, req
        self.map_changed.emit()
        return True

    # -- the mark and a click ------------------------------------------------------
    def current(self) -> tuple[float, float | None] | None:
        """The run's own values of the swept hyperparameters (where the mark goes; None for a run not mapped)."""
        run = self.run
        if run is None or self.refusal() is not None:
            return None
        x = float(run.settings[self.x.key])
        return x, (None if self.y is None else float(run.settings[self.y.key]))

    def pick(self, i: int, j: int = 0) -> None:
        """Give the run cell (i, j)'s settings, rounded to `PICK_DIGITS` digits, through
        `SurfaceLab.set_hparam` (the trajectory is recomputed; the map, whose inputs did not change, stays)."""
        m, run = self.map, self.run
        if m is None or run is None or self.refusal() is not None:
            return
        for key, value in m.hparams(i, j).items():
            if key in (m.x_key, m.y_key):
                self.lab.set_hparam(self.row, key, _round(value, _setting_allows(run.optimizer, key)))


def _setting_allows(optimizer: str, key: str) -> Number | None:
    rule = next((s.rule for s in optim.get_class(optimizer).settings() if s.key == key), None)
    return rule if isinstance(rule, Number) else None


def _round(value: float, rule: Number | None) -> float:
    """``value`` to `PICK_DIGITS` significant digits, unless that leaves what ``rule`` allows."""
    if value == 0 or not math.isfinite(value):
        return value
    rounded = float(f"{value:.{PICK_DIGITS}g}")
    return rounded if rule is None or rule.allows(rounded) else value
