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
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Sequence

import numpy as np

from optilab import optim
from optilab.surfaces import Surface

#: How far outside its domain (as a multiple of its size) a run may wander.
DIVERGENCE_FACTOR = 1000.0


@dataclass(frozen=True)
class RunSpec:
    """What to run: an optimizer name, its hyperparameters and a start point.

    ``start=None`` means the surface's default start; ``label`` names the run in
    plots and CSV files (default: the optimizer name).
    """

    optimizer: str
    hparams: Mapping[str, Any] = field(default_factory=dict)
    start: tuple[float, float] | None = None
    label: str | None = None

    @classmethod
    def parse(cls, spec: str, start: tuple[float, float] | None = None) -> "RunSpec":
        """From the command-line form ``NAME[:key=value,...]``."""
        name, hparams = optim.parse_spec(spec)
        return cls(name, hparams, start)


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
    status: str = "ok"                 # "ok" or "diverged"
    diverged_at: int | None = None
    start_loss: float = math.nan       # f at the start (kept even when it is not finite)

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


def _escape_box(surface: Surface) -> tuple[float, float, float, float]:
    xmin, xmax, ymin, ymax = surface.domain
    cx, cy = (xmin + xmax) / 2, (ymin + ymax) / 2
    hx, hy = (xmax - xmin) / 2 * DIVERGENCE_FACTOR, (ymax - ymin) / 2 * DIVERGENCE_FACTOR
    return cx - hx, cx + hx, cy - hy, cy + hy


def run(
    surface: Surface,
    optimizer: str | RunSpec,
    hparams: Mapping[str, Any] | None = None,
    start: tuple[float, float] | None = None,
    steps: int = 30,
    seed: int = 0,
    label: str | None = None,
) -> Trajectory:
    """Run one optimizer for ``steps`` steps from ``start`` and record every step.

    ``optimizer`` is a name (with ``hparams``) or a `RunSpec`.  ``seed`` seeds
    the minibatch sampling of stochastic surfaces.  Bad names or
    hyperparameters raise ValueError; divergence does not raise.
    """
    if isinstance(optimizer, RunSpec):
        spec = optimizer
    else:
        spec = RunSpec(optimizer, dict(hparams or {}), start, label)
    steps = int(steps)
    if steps < 0:
        raise ValueError(f"steps must be ≥ 0, got {steps}")
    opt = optim.create(spec.optimizer, **spec.hparams)
    x0, y0 = spec.start if spec.start is not None else surface.start
    x0, y0 = float(x0), float(y0)
    if not (math.isfinite(x0) and math.isfinite(y0)):
        raise ValueError(f"start point must be finite numbers, got ({x0}, {y0})")
    rng = np.random.default_rng(seed)
    names = opt.state_names

    bx0, bx1, by0, by1 = _escape_box(surface)
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
                for name, rows_of in zip(names, rows):
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
        label=spec.label or spec.optimizer,
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


def run_many(
    surface: Surface, specs: Sequence[RunSpec], steps: int = 30, seed: int = 0
) -> list[Trajectory]:
    """Run several specs on one surface (each with the same sampling seed).

    Labels are made unique: a repeated optimizer name gets its settings
    appended (``sgd lr=0.1``), so CSV rows stay distinguishable.
    """
    labels = unique_labels(specs)
    return [
        run(surface, RunSpec(s.optimizer, s.hparams, s.start, label), steps=steps, seed=seed)
        for s, label in zip(specs, labels)
    ]


def unique_labels(specs: Iterable[RunSpec]) -> list[str]:
    specs = list(specs)
    base = [s.label or s.optimizer for s in specs]
    out = []
    for s, b in zip(specs, base):
        if base.count(b) > 1 and not s.label:
            settings = ",".join(f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}" for k, v in s.hparams.items())
            b = f"{b}:{settings}" if settings else b
        out.append(b)
    seen: dict[str, int] = {}
    for i, b in enumerate(out):
        seen[b] = seen.get(b, 0) + 1
        if seen[b] > 1:
            out[i] = f"{b}#{seen[b]}"
    return out


def to_csv(trajectories: Iterable[Trajectory]) -> str:
    """CSV with columns exactly ``optimizer,step,x,y,loss`` (step 0 = start)."""
    lines = ["optimizer,step,x,y,loss"]
    for tr in trajectories:
        label = _csv_field(tr.label)
        for k, x, y, loss in _points(tr):
            lines.append(f"{label},{k},{x!r},{y!r},{loss!r}")
    return "\n".join(lines) + "\n"


def _points(tr: Trajectory) -> list[tuple[int, float, float, float]]:
    """(step, x, y, loss) of every recorded step; step 0 at the start for a run undefined there."""
    if tr.undefined_at_start:
        return [(0, float(tr.start[0]), float(tr.start[1]), float(tr.start_loss))]
    return [(k, float(tr.x[k]), float(tr.y[k]), float(tr.loss[k])) for k in range(tr.n_points)]


def to_json(trajectories: Iterable[Trajectory], surface: Surface | None = None) -> str:
    """JSON: per run its settings, status, ``diverged_at`` and the points (a loss
    that is not finite, possible only at the start of a run undefined there, is null)."""
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
            "points": [
                {"step": k, "x": x, "y": y, "loss": loss if math.isfinite(loss) else None}
                for k, x, y, loss in _points(tr)
            ],
        }
        for tr in trajectories
    ]
    return json.dumps(doc, indent=1, allow_nan=False) + "\n"


def _csv_field(text: str) -> str:
    if any(c in text for c in ',"\n'):
        return '"' + text.replace('"', '""') + '"'
    return text
