"""Surface-lab lesson presets, as data (no Qt here).

A `Lesson` is what a teacher picks from the lesson menu: a surface, a start
point, a number of steps and a few optimizer runs, each with its own
hyperparameters and label, plus a short caption and a "what to look at" hint.
The surface lab draws them; a command-line or scenario feature can run the
same data with `Lesson.run()`.

The GD-vs-SGD lesson runs on the stochastic least-squares surface: each run
gets its own variant of the *same* data (`least_squares(batch_size=...)`), so
its minibatch gradients are real sampling noise, while the map shows the one
full-data loss every variant shares (`Lesson.surface()`).

The numbers behind a step are each optimizer's own (`Trajectory.step_lines`,
written by the optimizer class); the lessons and their claims are described in
docs/lessons.md.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from optilab import messages, optim, surfaces
from optilab.surfaces import Surface
from optilab.trajectory import Run, Trajectory
from optilab.trajectory import run as run_trajectory

__all__ = [
    "LESSONS",
    "LeastSquaresSpec",
    "Lesson",
    "get",
    "keys",
    "looks_like_settings_label",
    "nearest_defined_start",
    "round_to_span",
    "run_title",
    "same_settings",
    "settings_label",
]


@dataclass(frozen=True)
class LeastSquaresSpec:
    """The data of a least-squares surface (see `optilab.surfaces.least_squares`)."""

    n_points: int = 100
    noise: float = 0.5
    seed: int = 0
    w_true: float = 2.0
    b_true: float = -1.0

    def build(self, batch_size: int | None = None) -> Surface:
        """The surface on these data, its gradient sampled with ``batch_size`` points."""
        return surfaces.least_squares(
            n_points=self.n_points,
            batch_size=batch_size,
            noise=self.noise,
            seed=self.seed,
            w_true=self.w_true,
            b_true=self.b_true,
        )


@dataclass(frozen=True)
class Lesson:
    """A surface-lab preset.

    Attributes:
        key: identifier, e.g. ``"book-figure"``.
        title: menu title.
        caption: one or two sentences shown above the views.
        surface_name: a built-in surface name, or ``"least-squares"`` together
            with ``least_squares``.
        start: start point (None: the surface's default start).
        steps: steps per run.
        runs: the optimizer runs (on a least-squares lesson each with its own
            minibatch surface, see `least_squares_run`).
        look_at: what the teacher should point at.
        least_squares: the data of a least-squares lesson.
        axis_names: what the map's axes are (``("w", "b")`` for a line's slope
            and intercept).
        on_top: the label of the run drawn over the others (None: the first).
    """

    key: str
    title: str
    caption: str
    surface_name: str
    start: tuple[float, float] | None
    steps: int
    runs: tuple[Run, ...]
    look_at: str = ""
    least_squares: LeastSquaresSpec | None = None
    axis_names: tuple[str, str] = ("x", "y")
    on_top: str | None = None

    def __post_init__(self) -> None:
        key = repr(self.key)
        if not self.runs:
            raise NO_RUNS.error(key=key)
        if int(self.steps) < 1:
            raise BAD_STEPS.error(key=key, steps=self.steps)
        if (self.surface_name == "least-squares") != (self.least_squares is not None):
            raise DATA_WITHOUT_LEAST_SQUARES.error(key=key)
        object.__setattr__(self, "runs", tuple(self.runs))
        if self.on_top is not None and self.on_top not in [r.label for r in self.runs]:
            raise BAD_ON_TOP.error(key=key, on_top=repr(self.on_top))

    def surface(self) -> Surface:
        """The surface whose map is drawn (the full-data loss for least squares)."""
        if self.least_squares is not None:
            return self.least_squares.build(None)
        return surfaces.get(self.surface_name)

    def surface_for(self, lesson_run: Run) -> Surface:
        """The surface ``lesson_run`` steps on (its own minibatch variant for least squares)."""
        return lesson_run.surface or self.surface()

    def start_point(self) -> tuple[float, float]:
        """The start point, or the surface's default start."""
        return tuple(self.start) if self.start is not None else tuple(self.surface().start)  # type: ignore[return-value]

    def run(self, seed: int = 0) -> list[Trajectory]:
        """Run every optimizer of the lesson; one trajectory per run, in order."""
        start = self.start_point()
        surface = self.surface()
        return [run_trajectory(surface, r, start=start, steps=self.steps, seed=seed, label=run_title(r))
                for r in self.runs]


NO_RUNS = messages.declare("lab.lesson_no_runs", "lesson {key} has no runs")
BAD_STEPS = messages.declare("lab.lesson_bad_steps", "lesson {key}: steps must be ≥ 1, got {steps}")
DATA_WITHOUT_LEAST_SQUARES = messages.declare(
    "lab.lesson_least_squares", "lesson {key}: least_squares data go with surface 'least-squares'")
BAD_ON_TOP = messages.declare("lab.lesson_bad_on_top", "lesson {key}: on_top {on_top} names none of its runs")
UNKNOWN_LESSON = messages.declare("lab.unknown_lesson", "unknown lesson {key}; choose one of: {choices}")


def _r(optimizer: str, label: str, **hparams: Any) -> Run:
    """A lesson's run: its label names these settings (`Run.label_for`)."""
    return Run(optimizer, hparams, label, label_for=hparams)


def least_squares_run(data: LeastSquaresSpec, optimizer: str, label: str, batch_size: int | None,
                      **hparams: Any) -> Run:
    """A run on ``data``'s line fit whose gradient is sampled from ``batch_size`` points (None: all)."""
    return Run(optimizer, hparams, label, label_for=hparams, surface=data.build(batch_size))


_LINE_FIT = LeastSquaresSpec()


#: The lessons in menu order.
LESSONS: tuple[Lesson, ...] = (
    Lesson(
        key="book-figure",
        title="The book's figure: four optimizers on x²/20 + y²",
        caption=(
            "SGD zig-zags across the steep y direction while crawling along x; "
            "Momentum rolls like a ball, AdaGrad slows down as its steps shrink, "
            "Adam moves like a damped ball."
        ),
        surface_name="bowl",
        start=(-7.0, 2.0),
        steps=30,
        runs=(
            _r("sgd", "SGD", lr=0.95),
            _r("momentum", "Momentum", lr=0.1),
            _r("adagrad", "AdaGrad", lr=1.5),
            _r("adam", "Adam", lr=0.3),
        ),
        look_at="SGD's zig-zags: the gradient points across the valley, not along it (turn on View → Gradient arrows).",
    ),
    Lesson(
        key="momentum-overshoot",
        title="Momentum overshoots",
        caption=(
            "With μ = 0.9 the velocity carries the point past the minimum and back; "
            "μ = 0.99 keeps swinging for a long time. Plain gradient descent never overshoots here."
        ),
        surface_name="bowl",
        start=(-7.0, 2.0),
        steps=80,
        runs=(
            _r("sgd", "SGD η=0.1", lr=0.1),
            _r("momentum", "Momentum μ=0.5", lr=0.1, momentum=0.5),
            _r("momentum", "Momentum μ=0.9", lr=0.1, momentum=0.9),
            _r("momentum", "Momentum μ=0.99", lr=0.1, momentum=0.99),
        ),
        look_at="Watch the velocity v in the numbers panel change sign after each pass over the minimum.",
    ),
    Lesson(
        key="nesterov-vs-momentum",
        title="Nesterov vs momentum on an ill-conditioned valley",
        caption=(
            "Same η and μ: Nesterov's look-ahead gradient brakes before the valley wall, "
            "so it oscillates less than classical momentum and settles sooner."
        ),
        surface_name="ill-conditioned",
        start=(-4.0, 3.0),
        steps=100,
        runs=(
            _r("momentum", "Momentum", lr=0.15, momentum=0.9),
            _r("nesterov", "Nesterov", lr=0.15, momentum=0.9),
        ),
        look_at="Compare the swings across the narrow direction in the first 20 steps.",
    ),
    Lesson(
        key="saddle-escape",
        title="Escaping a saddle point",
        caption=(
            "Starting almost exactly on the ridge of x² − y², the gradient along y is tiny: "
            "SGD lingers at the saddle, momentum escapes later, the adaptive methods "
            "rescale the tiny gradient and leave at once."
        ),
        surface_name="saddle",
        start=(-1.5, 1e-3),
        steps=40,
        runs=(
            _r("sgd", "SGD", lr=0.05),
            _r("momentum", "Momentum", lr=0.05, momentum=0.9),
            _r("rmsprop", "RMSprop", lr=0.05),
            _r("adam", "Adam", lr=0.05),
        ),
        look_at="‖g‖ near (0, 0) is almost zero, yet the RMSprop and Adam steps taken are not.",
    ),
    Lesson(
        key="adagrad-stall",
        title="AdaGrad stalls on Rosenbrock, RMSprop keeps going",
        caption=(
            "AdaGrad's h only grows, so its steps shrink for ever and it stops in the curved valley; "
            "RMSprop forgets old gradients (ρ = 0.99) and keeps moving towards (1, 1)."
        ),
        surface_name="rosenbrock",
        start=(-1.5, 2.0),
        steps=1000,
        runs=(
            _r("adagrad", "AdaGrad", lr=0.3),
            _r("rmsprop", "RMSprop", lr=0.01),
        ),
        look_at="Watch h grow in the numbers panel while AdaGrad's step taken shrinks to nothing.",
    ),
    Lesson(
        key="adam-bias-correction",
        title="Adam with and without bias correction",
        caption=(
            "m and v start at zero. Without bias correction the first steps are "
            "the wrong size: with β₂ = 0.999, v is far too small and the early steps are "
            "about (1−β₁)/√(1−β₂) ≈ 3 times η, so the run lurches past the valley."
        ),
        surface_name="bowl",
        start=(-7.0, 2.0),
        steps=60,
        runs=(
            _r("adam", "Adam (corrected)", lr=0.3),
            _r("adam", "Adam (no correction)", lr=0.3, bias_correction=False),
        ),
        look_at="Compare m with m̂ and v with v̂ at steps 1–5.",
    ),
    Lesson(
        key="lr-too-large",
        title="Learning rate too large",
        caption=(
            "On the bowl, gradient descent along y multiplies y by (1 − 2η) each step: "
            "η = 0.1 creeps, η = 0.9 zig-zags in, η = 1.0 bounces for ever, η = 1.5 diverges."
        ),
        surface_name="bowl",
        start=(-7.0, 2.0),
        steps=40,
        runs=(
            _r("sgd", "SGD η=0.1", lr=0.1),
            _r("sgd", "SGD η=0.9", lr=0.9),
            _r("sgd", "SGD η=1.0", lr=1.0),
            _r("sgd", "SGD η=1.5", lr=1.5),
        ),
        look_at="The η = 1.5 run is labelled 'diverged at step k'; the others are undisturbed.",
    ),
    Lesson(
        key="gd-vs-sgd",
        title="GD vs SGD vs minibatch on least squares",
        caption=(
            "Fitting a line y = w·x + b to 100 noisy points: gradient descent (all points) goes "
            "straight down; SGD (1 point per step) wanders with real sampling noise; a minibatch "
            "of 10 is in between."
        ),
        surface_name="least-squares",
        start=None,
        steps=200,
        runs=(
            least_squares_run(_LINE_FIT, "sgd", "GD (100 points)", None, lr=0.1),
            least_squares_run(_LINE_FIT, "sgd", "SGD (1 point)", 1, lr=0.1),
            least_squares_run(_LINE_FIT, "sgd", "Minibatch (10 points)", 10, lr=0.1),
        ),
        look_at="Each SGD step costs 1/100 of a GD step: compare where they are per unit of work.",
        least_squares=_LINE_FIT,
        axis_names=("w", "b"),
        on_top="GD (100 points)",
    ),
    Lesson(
        key="newton-one-step",
        title="Newton: one step to a quadratic's minimum",
        caption=(
            "On this κ = 100 quadratic one Newton step solves H d = g and lands on the minimum, whatever "
            "the conditioning; gradient descent at its best η = 2/(λ₁ + λ₂) ≈ 0.396 shrinks its error by "
            "only (κ − 1)/(κ + 1) ≈ 0.98 a step: 1.5 away after 60 steps, within 10⁻⁶ after 772. L-BFGS, "
            "learning the curvature from its steps, gets there in 11."
        ),
        surface_name="ill-conditioned",
        start=(-4.0, 3.0),
        steps=60,
        runs=(
            _r("newton", "Newton"),
            _r("sgd", "GD η=0.396", lr=0.396),
            _r("lbfgs", "L-BFGS"),
        ),
        look_at="Newton's numbers at step 1: H is the surface's constant matrix, d = H⁻¹g is exactly x − x*.",
    ),
    Lesson(
        key="newton-saddle",
        title="Plain Newton is attracted to a saddle",
        caption=(
            "On x² − y² the Hessian diag(2, −2) is indefinite: the Newton step goes to where the gradient of "
            "the local quadratic is zero — here the saddle (0, 0) itself, in one step, and it stays there. "
            "Gradient descent and momentum, starting at the same point, slide off it along y: "
            "|y| grows from 0.001 to 1.86 and 1.18 in 35 steps."
        ),
        surface_name="saddle",
        start=(-1.5, 1e-3),
        steps=35,
        runs=(
            _r("newton", "Newton"),
            _r("sgd", "GD η=0.12", lr=0.12),
            _r("momentum", "Momentum μ=0.7", lr=0.05, momentum=0.7),
        ),
        look_at="The numbers panel's note: H has the eigenvalue −2 < 0, so the Newton step heads for the saddle.",
    ),
    Lesson(
        key="lbfgs-rosenbrock",
        title="L-BFGS against Adam on Rosenbrock",
        caption=(
            "L-BFGS reaches (1, 1) to within 10⁻⁶ in 40 iterations (50 evaluations of f and ∇f in its line "
            "searches); Adam with the book figure's η = 0.3 is still 2.3 away after 30 steps and 0.71 after 300."
        ),
        surface_name="rosenbrock",
        start=(-1.5, 2.0),
        steps=300,
        runs=(
            _r("lbfgs", "L-BFGS"),
            _r("adam", "Adam", lr=0.3),
        ),
        look_at="L-BFGS's step length α and its evaluations per step in the numbers panel.",
    ),
)

_BY_KEY = {lesson.key: lesson for lesson in LESSONS}


def keys() -> list[str]:
    """The lesson keys, in menu order."""
    return list(_BY_KEY)


def get(key: str) -> Lesson:
    """The lesson ``key``; an `OptilabError` (a ValueError) lists the choices."""
    try:
        return _BY_KEY[key]
    except KeyError:
        raise UNKNOWN_LESSON.error(key=repr(key), choices=", ".join(_BY_KEY)) from None


# -- run labels made from settings -------------------------------------------------

#: The label part of an Adam run without bias correction.
NO_BIAS_CORRECTION = "no bias correction"


def _effective(optimizer: str, hparams: Mapping[str, Any]) -> dict[str, Any]:  # defaults filled in
    return {**optim.get_class(optimizer).defaults, **dict(hparams)}


def same_settings(optimizer: str, a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """Whether hyperparameters ``a`` and ``b`` give the same optimizer (defaults filled in)."""
    return _effective(optimizer, a) == _effective(optimizer, b)


def settings_label(optimizer: str, hparams: Mapping[str, Any], *, base: str | None = None,
                   reference: Mapping[str, Any] | None = None, translate: Callable[[str], str] = str) -> str:
    """A legend label made from settings: ``base`` (the optimizer's title) and
    every hyperparameter that differs from ``reference`` (the defaults), e.g.
    ``"SGD η=0.5"`` or ``"Adam η=0.3 no bias correction"``."""
    cls = optim.get_class(optimizer)
    values = _effective(optimizer, hparams)
    ref = _effective(optimizer, reference if reference is not None else {})
    parts = [translate(base if base is not None else cls.title)]
    for key in (k for k in cls.defaults if values[k] != ref[k]):
        if key == "bias_correction":
            parts.append(translate(NO_BIAS_CORRECTION if not values[key] else "bias correction"))
        else:
            parts.append(f"{optim.symbol(key)}={float(values[key]):.3g}")
    return " ".join(parts)


def looks_like_settings_label(optimizer: str, label: str) -> bool:
    """Whether ``label`` has the form `settings_label` gives ``optimizer`` (a label naming settings)."""
    symbols = "|".join(re.escape(hp.symbol) for hp in optim.HPARAMS.values() if hp.symbol)
    tail = rf"(?: (?:(?:{symbols})=\S+|{NO_BIAS_CORRECTION}|bias correction))*"
    return re.fullmatch(re.escape(optim.get_class(optimizer).title) + tail, label) is not None


def run_title(run: Run, translate: Callable[[str], str] = str) -> str:
    """The legend text of ``run``: its label while it names the settings (a
    lesson's label for the lesson's settings, or a label of the user's own),
    else made from the settings (`settings_label`); a run on its own data
    (a minibatch variant) keeps its label as the base, followed by what
    changed.  ``translate`` puts the words in the current language."""
    if run.label and (run.label_for is None or run.label_for == run.settings):
        return translate(run.label)
    base = run.label if run.label and run.surface is not None else None
    return settings_label(run.optimizer, run.settings, base=base,
                          reference=run.label_for if base else None, translate=translate)


def round_to_span(value: float, span: float) -> float:
    """``value`` to two significant digits of a view ``span`` wide (20 wide: 0.1; 4 wide: 0.01)."""
    if not (math.isfinite(value) and math.isfinite(span) and span > 0):
        return value
    decimals = 2 - math.floor(math.log10(span))
    return round(value, decimals) if decimals > 0 else float(round(value, decimals))


#: Grid points per side searched for a start where f is defined; cells kept away from where it is not.
START_GRID, START_MARGIN = 101, 5


def nearest_defined_start(surface: Surface, near: Sequence[float]) -> tuple[float, float] | None:
    """The point nearest ``near`` on a grid over the surface's domain where f and
    its gradient are finite, a few cells away from any point where they are not
    (None if there is none), rounded to the domain's scale."""
    xmin, xmax, ymin, ymax = surface.domain
    X, Y = np.meshgrid(np.linspace(xmin, xmax, START_GRID), np.linspace(ymin, ymax, START_GRID), indexing="ij")
    with np.errstate(all="ignore"):
        Z = np.asarray(surface.f(X, Y), dtype=float) * np.ones_like(X)
        gx, gy = (np.asarray(g, dtype=float) * np.ones_like(X) for g in surface.grad(X, Y))
    good = np.isfinite(Z) & np.isfinite(gx) & np.isfinite(gy)
    m, padded = START_MARGIN, np.pad(good, START_MARGIN, constant_values=False)
    inner = np.ones_like(good)
    for dx in range(2 * m + 1):
        for dy in range(2 * m + 1):
            inner &= padded[dx:dx + START_GRID, dy:dy + START_GRID]
    if not (mask := inner if inner.any() else good).any():
        return None
    d = (X - float(near[0])) ** 2 + (Y - float(near[1])) ** 2
    i, j = np.unravel_index(np.argmin(np.where(mask, d, np.inf)), d.shape)
    x, y = round_to_span(float(X[i, j]), xmax - xmin), round_to_span(float(Y[i, j]), ymax - ymin)
    return (x, y) if surface.defined_at(x, y) else (float(X[i, j]), float(Y[i, j]))
