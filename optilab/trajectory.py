"""Run optimizers on a loss surface and record every step.

`run` starts one optimizer at a point and records, for steps k = 0 … N, the
point x_k, f(x_k), the gradient g_k seen at x_k (the one the next update
uses; on the stochastic surface it is the sampled minibatch gradient) and the
optimizer's state after the k-th update (zeros at k = 0).  The GUI scrubs
back and forth through these arrays; nothing is recomputed.

A run whose point or loss becomes non-finite, or whose point leaves the
surface's domain blown up 1000× about its centre, stops: its status is
``"diverged"`` and ``diverged_at`` is the first bad step k.  The arrays then
hold steps 0 … k−1 only.  Divergence is a result, not an exception.  A run
that is bad at its very start (``diverged_at == 0``, empty arrays) is
*undefined at its start*; `to_csv` and `to_json` still write its step 0, with
``start_loss`` (f at the start, possibly nan or inf).

Newton's method and L-BFGS read the surface itself (f, ∇f, ∇²f: `objective`);
on a stochastic surface, or for Newton on one without an exact Hessian, `run`
refuses them in one line, and `refused` is the record the lab shows instead.
A step's note (`Trajectory.step_note`: Newton's singular or indefinite
Hessian) is read from its recorded numbers by its optimizer.

A *path* (`path`) is a recorded trajectory that no optimizer here took: a
training run's weights projected onto a loss landscape's plane
(docs/landscape.md#paths).  Its points carry the training ``iterations``
and ``weights_loss``, the loss of the recorded weights θᵢ themselves (the
map's f under the point is the loss *on the plane*); it has no update
equations, and the CSV and JSON name each point's iteration.
"""

from __future__ import annotations

import copy
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

import numpy as np

from optilab import messages, optim
from optilab.surfaces import Surface
from optilab.surfaces.base import NO_HESSIAN

#: How far outside its domain (as a multiple of its size) a run may wander.
DIVERGENCE_FACTOR = 1000.0

BAD_STEPS = messages.declare("trajectory.bad_steps", "steps must be ≥ 0, got {steps}")
BAD_START = messages.declare("trajectory.bad_start", "start point must be finite numbers, got ({x}, {y})")
NEEDS_EXACT = messages.declare(
    "trajectory.needs_exact",
    "{opt} needs f and its exact gradient at any point, but {surface} samples a minibatch gradient "
    "at each step; use all the points (GD) or a gradient method")
#: The codes of a run refused on its surface (the lab shows it as a `refused` trajectory).
REFUSALS = (NEEDS_EXACT.code, NO_HESSIAN.code)


@dataclass(frozen=True)
class Run:
    """One optimizer run, the one type lessons, scenarios, the lab and this engine share.

    ``hparams`` are the settings given (checked and converted once, here, by
    the optimizer's own declarations); ``settings`` are those with the
    defaults filled in, and two runs are equal when their settings are.
    ``label`` names the run in legends and CSV files; when ``label_for`` is
    set it names those settings only (a lesson's label), otherwise it is the
    user's own.  ``surface`` is the surface this run steps on instead of the
    lab's (a least-squares run's minibatch variant).  ``color`` and
    ``enabled`` are how the lab shows it.
    """

    optimizer: str
    hparams: Mapping[str, Any] = field(default_factory=dict, compare=False)
    label: str | None = None
    label_for: Mapping[str, Any] | None = field(default=None, compare=False)
    surface: Surface | None = field(default=None, compare=False, repr=False)
    color: str | None = None
    enabled: bool = True
    settings: Mapping[str, Any] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        cls = optim.get_class(self.optimizer)   # OptilabError/ValueError on an unknown name
        given = dict(self.hparams)
        prototype = cls(**given)                # the one check of these values
        filled = prototype.hparams
        object.__setattr__(self, "optimizer", cls.name)
        object.__setattr__(self, "hparams", MappingProxyType({k: filled[k] for k in given}))
        object.__setattr__(self, "settings", MappingProxyType(dict(filled)))
        object.__setattr__(self, "_prototype", prototype)
        self._fill_label_for()

    def _fill_label_for(self) -> None:
        if self.label_for is not None:
            defaults = optim.get_class(self.optimizer).defaults
            object.__setattr__(self, "label_for", MappingProxyType({**defaults, **dict(self.label_for)}))

    def evolve(self, **changes: Any) -> Run:
        """This run shown otherwise (``label``, ``label_for``, ``surface``, ``color``,
        ``enabled``): its settings, already checked, are not checked again."""
        if {"optimizer", "hparams", "settings"} & set(changes):
            raise TypeError("evolve changes how a run is shown; use with_hparam or Run(...) for its settings")
        new = copy.copy(self)
        for key, value in changes.items():
            if key not in self.__dataclass_fields__:
                raise TypeError(f"Run has no field {key!r}")
            object.__setattr__(new, key, value)
        new._fill_label_for()
        return new

    def create_optimizer(self) -> optim.Optimizer:
        """A fresh optimizer with these settings (built from the checked one, not checked again)."""
        return copy.deepcopy(self._prototype)  # type: ignore[attr-defined]

    @classmethod
    def parse(cls, spec: str) -> Run:
        """From the command-line form ``NAME[:key=value,...]``."""
        name, hparams = optim.parse_spec(spec)
        return cls(name, hparams)

    def with_hparam(self, key: str, value: Any) -> Run:
        """This run with hyperparameter ``key`` set to ``value`` (checked once, by the constructor)."""
        return replace(self, hparams={**self.hparams, key: value})


@dataclass
class Trajectory:
    """The record of one run.  Arrays have one row per recorded step."""

    label: str
    optimizer: str
    hparams: dict[str, Any]
    start: tuple[float, float]
    steps: int                         # steps requested
    x: np.ndarray
    y: np.ndarray
    loss: np.ndarray
    grad: np.ndarray                   # (n, 2): gradient seen at each point
    state: dict[str, np.ndarray]       # name -> (n, 2) state after update k
    status: str = "ok"                 # "ok", "diverged" or "refused" (`refused`)
    diverged_at: int | None = None
    start_loss: float = math.nan       # f at the start (kept even when it is not finite)
    iterations: np.ndarray | None = None    # a path's training iteration per point (None: an optimizer's run)
    weights_loss: np.ndarray | None = None  # a path's loss of the recorded weights θᵢ per point
    refusal: messages.Message | None = None  # why the run was refused on its surface (status "refused")

    @property
    def is_path(self) -> bool:
        """Whether this is a recorded path (`path`), not a run of an optimizer on the surface."""
        return self.iterations is not None

    @property
    def undefined_at_start(self) -> bool:
        """True when not even step 0 could be recorded (f not finite there, or far outside the surface)."""
        return self.diverged_at == 0

    @property
    def n_points(self) -> int:
        """Number of recorded points (steps + 1 unless diverged)."""
        return len(self.x)

    @property
    def last_step(self) -> int:
        return self.n_points - 1

    def step_taken(self, k: int) -> tuple[float, float]:
        """The move x_k − x_{k−1} (zero at k = 0)."""
        if k <= 0:
            return 0.0, 0.0
        return float(self.x[k] - self.x[k - 1]), float(self.y[k] - self.y[k - 1])

    def step_numbers(self, k: int) -> optim.StepNumbers:
        """The recorded numbers of step ``k`` (0 ≤ k ≤ last step), for its optimizer's `step_lines`."""
        return optim.StepNumbers.recorded(k, self.x, self.y, self.grad, self.state, self.hparams)

    def step_note(self, k: int) -> messages.Message | None:
        """What its optimizer points out about step ``k`` (Newton: a singular or indefinite
        Hessian; `Optimizer.step_note`), None for nothing, a path or a refused run."""
        if self.is_path or self.refusal is not None or not 1 <= k <= self.last_step:
            return None
        return optim.get_class(self.optimizer).step_note(self.step_numbers(k))

    def notes(self) -> dict[str, tuple[int, int, messages.Message]]:
        """Per kind of note (its code): (the first step with it, how many steps have it, its message there)."""
        out: dict[str, tuple[int, int, messages.Message]] = {}
        cls = optim.get_class(self.optimizer) if self.optimizer else None
        if cls is None or not any("step_note" in vars(c) for c in cls.__mro__ if c is not optim.Optimizer):
            return out                      # its optimizer notes nothing (every gradient method)
        for k in range(1, self.n_points):
            note = self.step_note(k)
            if note is not None:
                first, count, message = out.get(note.code, (k, 0, note))
                out[note.code] = (first, count + 1, message)
        return out

    def step_lines(self, k: int) -> list[str]:
        """Step ``k``'s update equations with its recorded numbers, as its optimizer writes them
        (none for a path: its steps were taken in the network's weight space)."""
        if self.is_path:
            return []
        return optim.get_class(self.optimizer).step_lines(self.step_numbers(k))


def escape_box(surface: Surface) -> tuple[float, float, float, float]:
    """The divergence rule's box (x0, x1, y0, y1): the surface's domain scaled by
    DIVERGENCE_FACTOR about its centre; a run that leaves it has diverged (also the
    stability maps' rule, so a map's cell and its trajectory agree)."""
    xmin, xmax, ymin, ymax = surface.domain
    cx, cy = (xmin + xmax) / 2, (ymin + ymax) / 2
    hx, hy = (xmax - xmin) / 2 * DIVERGENCE_FACTOR, (ymax - ymin) / 2 * DIVERGENCE_FACTOR
    return cx - hx, cx + hx, cy - hy, cy + hy


def run(
    surface: Surface,
    optimizer: str | Run,
    hparams: Mapping[str, Any] | None = None,
    start: tuple[float, float] | None = None,
    steps: int = 30,
    seed: int = 0,
    label: str | None = None,
) -> Trajectory:
    """Run one optimizer for ``steps`` steps from ``start`` and record every step.

    ``optimizer`` is a `Run` or a name (with ``hparams``); the run steps on its
    own surface if it has one, else on ``surface``; ``start=None`` is the
    surface's default start.  ``label`` names the trajectory (default: the
    run's label, else the optimizer name).  ``seed`` seeds the minibatch
    sampling of stochastic surfaces.  Bad names or hyperparameters raise
    ValueError; divergence does not raise.
    """
    spec = optimizer if isinstance(optimizer, Run) else Run(optimizer, dict(hparams or {}))
    surface = spec.surface or surface
    steps = int(steps)
    if steps < 0:
        raise BAD_STEPS.error(steps=steps)
    opt = spec.create_optimizer()
    if isinstance(opt, optim.ObjectiveOptimizer):   # Newton, L-BFGS: they read the surface itself
        opt.bind(objective(surface, opt))
    x0, y0 = start if start is not None else surface.start
    x0, y0 = float(x0), float(y0)
    if not (math.isfinite(x0) and math.isfinite(y0)):
        raise BAD_START.error(x=x0, y=y0)
    rng = np.random.default_rng(seed)
    names = opt.state_names

    bx0, bx1, by0, by1 = escape_box(surface)
    # Plain lists while stepping (cheaper than numpy item writes), arrays at the end.
    xs: list[float] = []
    ys: list[float] = []
    loss: list[float] = []
    grad: list[tuple[float, float]] = []
    state: dict[str, list] = {name: [(0.0, 0.0)] for name in names}

    point = np.array([x0, y0])
    g = np.empty(2)
    step = opt.stepper("xy", point)
    st = opt.state["xy"]
    rows = [state[name] for name in names]
    isfinite = math.isfinite
    f = surface.f
    sample = surface.gradient_sample
    status, diverged_at = "ok", None
    with np.errstate(all="ignore"):
        start_loss = float(f(x0, y0))
        for k in range(steps + 1):
            if k:
                step(g)
                for name, rows_of in zip(names, rows, strict=True):
                    rows_of.append(st[name].tolist())
            x, y = point.tolist()
            fx = float(f(x, y))
            if not (isfinite(fx) and bx0 <= x <= bx1 and by0 <= y <= by1):
                status, diverged_at = "diverged", k
                break
            gx, gy = sample(x, y, rng)
            gx, gy = float(gx), float(gy)
            xs.append(x)
            ys.append(y)
            loss.append(fx)
            grad.append((gx, gy))
            if not (isfinite(gx) and isfinite(gy)):
                # A point whose gradient is not finite cannot be stepped from.
                status, diverged_at = "diverged", k + 1
                break
            g[0] = gx
            g[1] = gy
    n = len(xs)
    return Trajectory(
        label=label or spec.label or spec.optimizer,
        optimizer=spec.optimizer,
        hparams=dict(opt.hparams),
        start=(x0, y0),
        steps=steps,
        x=np.array(xs, dtype=float),
        y=np.array(ys, dtype=float),
        loss=np.array(loss, dtype=float),
        grad=np.array(grad, dtype=float).reshape(n, 2),
        state={name: np.array(rows[:n], dtype=float).reshape(n, 2) for name, rows in state.items()},
        status=status,
        diverged_at=diverged_at,
        start_loss=start_loss,
    )


def objective(surface: Surface, opt: optim.Optimizer) -> optim.Objective:
    """What an optimizer that reads the loss itself (``opt.needs``) steps on: ``surface``'s f, ∇f and,
    for Newton, its exact Hessian; refused in one line on a stochastic surface (`NEEDS_EXACT`: a step
    sees a minibatch gradient, not f) or, for Newton, on one without a Hessian (`NO_HESSIAN`)."""
    if surface.is_stochastic:
        raise NEEDS_EXACT.error(opt=opt.title, surface=surface.title)
    if opt.needs == "hessian" and not surface.has_hessian:
        raise NO_HESSIAN.error(surface=surface.title, reason=surface.no_hessian_reason())
    return optim.Objective(surface.f, surface.grad, surface.curvature)


def refused(spec: Run, start: tuple[float, float], steps: int, reason: messages.Message,
            label: str | None = None) -> Trajectory:
    """The record of a run refused on its surface (an optimizer that cannot run there, ``reason``):
    status "refused", no points (like a run undefined at its start, which the views draw as nothing)."""
    empty = np.zeros(0)
    names = optim.get_class(spec.optimizer).state_names
    return Trajectory(label=label or spec.label or spec.optimizer, optimizer=spec.optimizer,
                      hparams=dict(spec.settings), start=(float(start[0]), float(start[1])), steps=int(steps),
                      x=empty, y=empty, loss=empty, grad=np.zeros((0, 2)),
                      state={name: np.zeros((0, 2)) for name in names}, status="refused", diverged_at=0,
                      refusal=reason)


def path(surface: Surface, label: str, x: np.ndarray, y: np.ndarray, loss: np.ndarray,
         iterations: np.ndarray, weights_loss: np.ndarray) -> Trajectory:
    """A recorded path on ``surface`` (see the module docstring): its points (x, y), the loss on
    the map there, the training iterations and the losses of the weights recorded at them.

    ``grad`` holds the map's gradient at each point (what −g arrows show on
    it); the optimizer is "" and there is no state.
    """
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    n = len(x)
    with np.errstate(all="ignore"):
        gx, gy = surface.grad(x, y) if n else (np.zeros(0), np.zeros(0))
    grad = np.column_stack([np.broadcast_to(gx, (n,)), np.broadcast_to(gy, (n,))]).astype(float).reshape(n, 2)
    start = (float(x[0]), float(y[0])) if n else (0.0, 0.0)
    return Trajectory(label=label, optimizer="", hparams={}, start=start, steps=max(n - 1, 0), x=x, y=y,
                      loss=np.asarray(loss, dtype=float), grad=grad, state={},
                      start_loss=float(loss[0]) if n else math.nan,
                      iterations=np.asarray(iterations, dtype=np.int64),
                      weights_loss=np.asarray(weights_loss, dtype=float))


def run_many(
    surface: Surface, runs: Sequence[Run], steps: int = 30, seed: int = 0,
    start: tuple[float, float] | None = None,
) -> list[Trajectory]:
    """Run several runs on one surface from one start (each with the same sampling seed).

    Labels are made unique: a repeated optimizer name gets its settings
    appended (``sgd lr=0.1``), so CSV rows stay distinguishable.
    """
    return [run(surface, r, start=start, steps=steps, seed=seed, label=label)
            for r, label in zip(runs, unique_labels(runs), strict=True)]


def unique_labels(runs: Iterable[Run]) -> list[str]:
    """One distinct label per run: its label or optimizer name, with the settings given when repeated."""
    runs = list(runs)
    base = [r.label or r.optimizer for r in runs]
    out = []
    for r, b in zip(runs, base, strict=True):
        if base.count(b) > 1 and not r.label:
            settings = ",".join(f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}" for k, v in r.hparams.items())
            b = f"{b}:{settings}" if settings else b
        out.append(b)
    seen: dict[str, int] = {}
    for i, b in enumerate(out):
        seen[b] = seen.get(b, 0) + 1
        if seen[b] > 1:
            out[i] = f"{b}#{seen[b]}"
    return out


def to_csv(trajectories: Iterable[Trajectory]) -> str:
    """CSV with columns exactly ``optimizer,step,x,y,loss`` (step 0 = start); paths
    (`path`) ``optimizer,step,iteration,x,y,loss,weights_loss`` (loss: on the map)."""
    trajectories = list(trajectories)
    paths = bool(trajectories) and all(tr.is_path for tr in trajectories)
    lines = ["optimizer,step,iteration,x,y,loss,weights_loss" if paths else "optimizer,step,x,y,loss"]
    for tr in trajectories:
        label = _csv_field(tr.label)
        for k, x, y, loss in _points(tr):
            if paths:
                it, wl = _path_point(tr, k)
                lines.append(f"{label},{k},{it},{x!r},{y!r},{loss!r},{wl!r}")
            else:
                lines.append(f"{label},{k},{x!r},{y!r},{loss!r}")
    return "\n".join(lines) + "\n"


def _path_point(tr: Trajectory, k: int) -> tuple[int, float]:
    """A path's iteration and weights' loss at point ``k``."""
    assert tr.iterations is not None and tr.weights_loss is not None
    return int(tr.iterations[k]), float(tr.weights_loss[k])


def _points(tr: Trajectory) -> list[tuple[int, float, float, float]]:
    """(step, x, y, loss) of every recorded step; step 0 at the start for a run undefined there."""
    if tr.undefined_at_start:
        return [(0, float(tr.start[0]), float(tr.start[1]), float(tr.start_loss))]
    return [(k, float(tr.x[k]), float(tr.y[k]), float(tr.loss[k])) for k in range(tr.n_points)]


def to_json(trajectories: Iterable[Trajectory], surface: Surface | None = None) -> str:
    """JSON: per run its settings, status, ``diverged_at`` and the points (a loss
    that is not finite, possible only at the start of a run undefined there, is null);
    a run with notes (`Trajectory.notes`) lists them, each with its first step and count."""
    doc: dict[str, Any] = {}
    if surface is not None:
        doc["surface"] = {"name": surface.name, "formula": surface.formula}
    doc["runs"] = [
        {
            "optimizer": tr.label,
            "name": tr.optimizer,
            "hparams": tr.hparams,
            "start": list(tr.start),
            "steps": tr.steps,
            "status": tr.status,
            "diverged_at": tr.diverged_at,
            "points": [_json_point(tr, k, x, y, loss) for k, x, y, loss in _points(tr)],
            **_json_notes(tr),
        }
        for tr in trajectories
    ]
    return json.dumps(doc, indent=1, allow_nan=False) + "\n"


def _json_notes(tr: Trajectory) -> dict[str, Any]:
    """A run's notes (Newton's singular or indefinite Hessian) and refusal, when it has any."""
    out: dict[str, Any] = {}
    notes = tr.notes()
    if notes:
        out["notes"] = [{"code": code, "first_step": first, "steps": count, "text": str(message)}
                        for code, (first, count, message) in notes.items()]
    if tr.refusal is not None:
        out["refused"] = str(tr.refusal)
    return out


def _json_point(tr: Trajectory, k: int, x: float, y: float, loss: float) -> dict[str, Any]:
    point: dict[str, Any] = {"step": k, "x": x, "y": y, "loss": loss if math.isfinite(loss) else None}
    if tr.is_path:
        it, wl = _path_point(tr, k)
        point.update(iteration=it, weights_loss=wl if math.isfinite(wl) else None)
    return point


def _csv_field(text: str) -> str:
    if any(c in text for c in ',"\n'):
        return '"' + text.replace('"', '""') + '"'
    return text
