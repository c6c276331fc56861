"""The surface lab as a Qt-free model: what the lab shows, apart from how it is drawn.

`SurfaceLab` holds the surface (built in or a formula), the runs (one
`optilab.trajectory.Run` each: optimizer, checked hyperparameters, label,
colour, ticked or not), the start point, the number of steps, the step shown,
the lesson it came from (and whether it was edited since) and the view
options (gradient and velocity arrows).  Every change goes through a method
that checks it once and announces it with a `psygnal.Signal`, as napari's
layer models do, so the Qt pane (`optilab.ui.surface_lab.pane`) only edits
fields and redraws what a signal names; a script, the CLI or a test drives
the same model without Qt:

    >>> lab = SurfaceLab()
    >>> lab.load_lesson("book-figure")
    >>> lab.set_hparam(0, "lr", 0.5)          # one check, by the Run constructor
    >>> lab.title(lab.runs[0])
    'SGD η=0.5'

Any change to the settings recomputes every ticked run with the core engine
(`optilab.trajectory.run`); moving the step recomputes nothing.

`show_landscape` enters *landscape mode* (issue #14): the surface is a
network's sampled loss landscape (`optilab.surfaces.sampled`), the axes α
and β, no optimizer runs to edit, and one trajectory per projected path
(`optilab.trajectory.path`), which the same player steps through, snapshot
by snapshot.  Choosing a built-in surface, a formula, a lesson or a
scenario without a landscape leaves it (a surface chosen gets back the runs
and steps the lab had before).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from psygnal import Signal

from optilab import lessons, messages, surfaces
from optilab.landscape import Landscape
from optilab.messages import OptilabError
from optilab.scenario import Scenario
from optilab.surfaces import Surface
from optilab.training.config import RunConfig
from optilab.trajectory import REFUSALS, Run, Trajectory
from optilab.trajectory import path as path_trajectory
from optilab.trajectory import refused as refused_trajectory
from optilab.trajectory import run as run_trajectory

__all__ = ["FIRST_LESSON", "MAX_STEPS", "NO_SUCH_RUN", "START_HPARAMS", "SurfaceLab"]

#: The most steps per run the lab computes and draws.
MAX_STEPS = 5000
#: The lesson shown when the lab opens.
FIRST_LESSON = "book-figure"

#: The settings a run added in the lab starts with, where the optimizer's own default (chosen for
#: networks) would barely move a 2-D point in the lab's 30 steps.  Lion's η = 1e-4 moves every
#: coordinate by exactly η per step (a sign step): 0.003 in 30 steps, invisible on any surface;
#: η = 0.1 crosses the bowl's y = 0 in 20 steps and then shows its ±η rattle.  The legend then
#: names the setting ("Lion η=0.1"), so nobody takes it for the default.
START_HPARAMS: dict[str, dict[str, float]] = {"lion": {"lr": 0.1}}

NO_SUCH_RUN = messages.declare("lab.no_such_run", "there is no run {row}; the lab has {count}")
LANDSCAPE_RUNS = messages.declare(
    "lab.landscape_runs", "the loss landscape shows recorded training runs; choose a surface to add optimizers")
#: The axis names in landscape mode.
LANDSCAPE_AXES = ("α", "β")


class SurfaceLab:
    """The surface lab's state and rules (see the module docstring).

    Fields (read them; change them through the methods): `surface`,
    `axis_names`, `runs`, `start`, `steps`, `step`, `lesson`, `trajectories`
    (one per ticked run, in order), `gradient_arrows`, `velocity_arrows`,
    `start_asked` (the start a surface asked for when the runs start
    elsewhere, or where f is undefined), `seed`, `landscape` (the loss
    landscape shown, None outside landscape mode) and `caption` (its
    lesson's caption, if it came from one).

    ``colors`` gives the palette new and recoloured runs take their colours
    from (the UI passes its current palette; None leaves runs uncoloured).
    """

    #: The surface (and the axis names) changed.
    surface_changed = Signal(object)
    #: The list of runs was replaced; the argument is the row to select.
    runs_changed = Signal(int)
    #: One run's settings, label or tick changed (its row).
    run_changed = Signal(int)
    #: The number of steps changed.
    steps_changed = Signal(int)
    #: The lesson, or whether it is edited, changed.
    lesson_changed = Signal()
    #: The trajectories were recomputed (the start may have moved).
    trajectories_changed = Signal()
    #: The step shown changed.
    step_changed = Signal(int)
    #: The arrows shown changed: (gradient, velocity).
    arrows_changed = Signal(bool, bool)
    #: The lab entered, changed or left landscape mode (the `Landscape`, or None).
    landscape_changed = Signal(object)

    def __init__(self, seed: int = 0, colors: Callable[[], Sequence[str]] | None = None) -> None:
        self.seed = seed
        self._colors = colors
        self.surface: Surface = surfaces.get("bowl")
        self.axis_names: tuple[str, str] = ("x", "y")
        self.runs: list[Run] = []
        self.start: tuple[float, float] = tuple(self.surface.start)  # type: ignore[assignment]
        self.start_asked: tuple[float, float] | None = None
        self.steps = 30
        self.step = 0
        self.lesson: lessons.Lesson | None = None
        self.trajectories: list[Trajectory] = []
        self.gradient_arrows = False
        self.velocity_arrows = False
        self.landscape: Landscape | None = None
        self.caption: str | None = None
        self._before: tuple[Surface, tuple[str, str], list[Run], int] | None = None

    # -- what the runs are called and drawn in ---------------------------------
    @property
    def active_runs(self) -> list[Run]:
        """The ticked runs, in the order of `trajectories`."""
        return [r for r in self.runs if r.enabled]

    def title(self, run: Run, translate: Callable[[str], str] = str) -> str:
        """The legend text of ``run`` (`lessons.run_title`): its label while it says the settings."""
        return lessons.run_title(run, translate)

    def legend(self, translate: Callable[[str], str] = str) -> list[tuple[str, str | None]]:
        """(title, colour) of each trajectory: the ticked runs', or in landscape mode the paths'
        (their run labels, in the palette's colours)."""
        if self.landscape is not None:
            return [(translate(p.label), self._color(i)) for i, p in enumerate(self.landscape.paths)]
        return [(self.title(r, translate), r.color) for r in self.active_runs]

    def on_top(self) -> int | None:
        """The index among the ticked runs of the lesson's run drawn over the others (None: none)."""
        name = self.lesson.on_top if self.lesson is not None else None
        return next((i for i, r in enumerate(self.active_runs) if name is not None and self.title(r) == name), None)

    def _palette(self) -> Sequence[str | None]:
        return tuple(self._colors()) if self._colors is not None else (None,)

    def _color(self, index: int) -> str | None:
        colors = self._palette()
        return colors[index % len(colors)]

    # -- lessons ---------------------------------------------------------------
    def load_lesson(self, key: str) -> None:
        """Show lesson ``key``: its surface, runs, start and steps, at its last step."""
        lesson = lessons.get(key)
        self._leave_landscape()
        self.lesson = lesson
        self.runs = [r.evolve(color=self._color(i)) for i, r in enumerate(lesson.runs)]
        self._set_surface(lesson.surface(), lesson.axis_names)
        self.start, self.start_asked = lesson.start_point(), None
        self.steps = self.step = lesson.steps
        self.lesson_changed.emit()
        self.steps_changed.emit(self.steps)
        self.runs_changed.emit(0)
        self.recompute()

    def lesson_edited(self) -> bool:
        """Whether a lesson is shown with settings no longer its own (runs,
        hyperparameters, start or steps changed; unticking a run is not)."""
        lesson = self.lesson
        if lesson is None:
            return False
        if self.steps != lesson.steps or tuple(self.start) != tuple(lesson.start_point()):
            return True
        return len(self.runs) != len(lesson.runs) or any(
            r.optimizer != lr.optimizer or r.settings != lr.settings
            for r, lr in zip(self.runs, lesson.runs, strict=True))

    def _leave_lesson(self) -> None:
        if self.lesson is None:
            return
        self.lesson = None
        # Out of the lesson its names ("SGD") no longer say the settings: made from them ("SGD η=0.95").
        self.runs = [r.evolve(label=None, label_for=None) if r.label_for is not None else r for r in self.runs]
        self.lesson_changed.emit()

    # -- the surface and the start ---------------------------------------------
    def set_surface(self, surface: Surface | str) -> None:
        """Switch to a built-in surface (name) or a `Surface`; the start moves to its default,
        or to the nearest point where f is defined (`start_asked` then says where it was asked)."""
        if isinstance(surface, str):
            surface = surfaces.get(surface)
        self._leave_landscape(restore=True)
        self._leave_lesson()
        self.runs = [r.evolve(surface=None) if r.surface is not None else r for r in self.runs]
        self._set_surface(surface)
        asked = tuple(surface.start)
        self.start, self.start_asked = asked, None   # type: ignore[assignment]
        if not surface.defined_at(*asked):
            moved = lessons.nearest_defined_start(surface, asked)
            if moved is not None:
                self.start = moved
            self.start_asked = asked  # type: ignore[assignment]
        self.runs_changed.emit(-1)
        self.recompute()

    def apply_formula(self, text: str) -> Surface:
        """Use the formula ``text`` as the surface (a `FormulaError` on a bad one, nothing changed)."""
        surface = surfaces.parse(text)
        self.set_surface(surface)
        return surface

    def _set_surface(self, surface: Surface, axis_names: tuple[str, str] = ("x", "y")) -> None:
        self.surface, self.axis_names = surface, tuple(axis_names)  # type: ignore[assignment]
        self.surface_changed.emit(surface)

    @property
    def start_defined(self) -> bool:
        """Whether f and its gradient are finite at the start."""
        return bool(self.surface.defined_at(*self.start))

    def set_start(self, x: float, y: float) -> bool:
        """Move the start and recompute; a point where f is undefined is refused (False, nothing changed),
        as is any start in landscape mode (the paths start where training did)."""
        x, y = float(x), float(y)
        if self.landscape is not None or not self.surface.defined_at(x, y):
            return False
        self.start, self.start_asked = (x, y), None
        self.recompute()
        return True

    def set_steps(self, steps: int) -> None:
        """Steps per run, clamped to 1…`MAX_STEPS`; the step shown is kept if it can be
        (in landscape mode the paths' snapshots fix the steps: nothing changes)."""
        if self.landscape is not None:
            self.steps_changed.emit(self.steps)
            return
        self.steps = min(max(1, int(steps)), MAX_STEPS)
        self.steps_changed.emit(self.steps)
        self.recompute()

    # -- runs --------------------------------------------------------------------
    def _row(self, row: int) -> Run:
        if not 0 <= row < len(self.runs):
            raise NO_SUCH_RUN.error(row=row, count=len(self.runs))
        return self.runs[row]

    def set_hparam(self, row: int, key: str, value: object) -> None:
        """Set one hyperparameter of run ``row`` (checked once, by `Run`: an `OptilabError`
        and nothing changed if it is not allowed) and recompute."""
        self.runs[row] = self._row(row).with_hparam(key, value)
        self.run_changed.emit(row)
        self.recompute()

    def set_run_enabled(self, row: int, on: bool) -> None:
        """Tick or untick run ``row``."""
        if self._row(row).enabled != bool(on):
            self.runs[row] = self.runs[row].evolve(enabled=bool(on))
            self.run_changed.emit(row)
            self.recompute()

    def add_run(self, optimizer: str) -> None:
        """Add a run of ``optimizer`` with its defaults (`START_HPARAMS` first), in the first colour not in use
        (refused in landscape mode, whose paths are recorded: an `OptilabError`)."""
        if self.landscape is not None:
            raise LANDSCAPE_RUNS.error()
        used = {r.color for r in self.runs}
        color = next((c for c in self._palette() if c not in used), self._color(len(self.runs)))
        self.runs.append(Run(optimizer, START_HPARAMS.get(optimizer, {}), color=color))
        self.runs_changed.emit(len(self.runs) - 1)
        self.recompute()

    def remove_run(self, row: int) -> None:
        """Remove run ``row`` (a row that is not there is ignored)."""
        if 0 <= row < len(self.runs):
            del self.runs[row]
            self.runs_changed.emit(min(row, len(self.runs) - 1))
            self.recompute()

    def recolor(self) -> None:
        """Give the runs the palette's colours, in order (after a palette switch); nothing is recomputed."""
        self.runs = [r.evolve(color=self._color(i)) for i, r in enumerate(self.runs)]

    # -- the loss landscape ------------------------------------------------------------
    def show_landscape(self, landscape: Landscape, caption: str | None = None, step: int | None = None) -> None:
        """Enter landscape mode: ``landscape`` as the surface (`surfaces.sampled`), axes α, β, no
        runs to edit, one trajectory per path; steps = the longest path's points − 1, shown
        at ``step`` (None: the end).  ``caption``: the landscape lesson's, for the lesson bar."""
        surface = surfaces.sampled(landscape)
        if self._before is None:
            self._before = (self.surface, self.axis_names, list(self.runs), self.steps)
        self._leave_lesson()
        self.landscape, self.caption = landscape, caption
        self.runs = []
        self.start, self.start_asked = (0.0, 0.0), None
        longest = max((len(p.iterations) for p in landscape.paths), default=1)
        self.steps = max(longest - 1, 0)
        self.step = self.steps if step is None else min(max(int(step), 0), self.steps)
        self.landscape_changed.emit(landscape)
        self._set_surface(surface, LANDSCAPE_AXES)
        self.lesson_changed.emit()
        self.steps_changed.emit(self.steps)
        self.runs_changed.emit(0)
        self.recompute()

    def _leave_landscape(self, restore: bool = False) -> None:
        """Leave landscape mode; ``restore``: the runs and steps the lab had before it come back."""
        if self.landscape is None:
            return
        before, self._before = self._before, None
        self.landscape, self.caption = None, None
        if restore and before is not None:
            self.runs, self.steps = before[2], before[3]
            self.step = min(self.step, self.steps)
            self.steps_changed.emit(self.steps)
            self.runs_changed.emit(0)
        self.landscape_changed.emit(None)

    # -- view options and the step -----------------------------------------------
    def set_arrows(self, gradient: bool, velocity: bool) -> None:
        """Show or hide the −gradient and velocity arrows."""
        self.gradient_arrows, self.velocity_arrows = bool(gradient), bool(velocity)
        self.arrows_changed.emit(self.gradient_arrows, self.velocity_arrows)

    def set_step(self, k: int, force: bool = False) -> int:
        """Show step ``k``, clamped to 0…steps; the step shown."""
        k = min(max(int(k), 0), self.steps)
        if k != self.step or force:
            self.step = k
            self.step_changed.emit(k)
        return k

    # -- computing ----------------------------------------------------------------
    def recompute(self) -> None:
        """Run every ticked run with the core engine (in landscape mode: the paths, as recorded);
        the step shown is kept (clamped)."""
        if self.landscape is not None:
            self.trajectories = [
                path_trajectory(self.surface, p.label, p.alpha, p.beta, p.plane_loss, p.iterations, p.loss)
                for p in self.landscape.paths
            ]
        else:
            self.trajectories = [self._trajectory(r) for r in self.active_runs]
        self.trajectories_changed.emit()
        self.lesson_changed.emit()
        self.set_step(self.step, force=True)

    def _trajectory(self, r: Run) -> Trajectory:
        """Run ``r``; a method refused on its surface (Newton or L-BFGS on a minibatch surface, Newton
        where there is no Hessian) is a `refused` record whose reason the numbers panel shows."""
        try:
            return run_trajectory(self.surface, r, start=self.start, steps=self.steps, seed=self.seed,
                                  label=self.title(r))
        except OptilabError as exc:
            if exc.code not in REFUSALS:
                raise
            return refused_trajectory(r, self.start, self.steps, exc.message, label=self.title(r))

    # -- scenarios ------------------------------------------------------------------
    def to_scenario(self, training: RunConfig | None = None, data_dir: str | None = None) -> Scenario:
        """The lab's whole state as a `Scenario` (language independent: names and numbers); in
        landscape mode the landscape, its caption and step, with the surface and runs from before it."""
        surface, runs, steps, step = self.surface, self.runs, self.steps, self.step
        if self.landscape is not None and self._before is not None:
            surface, _axes, runs, steps = self._before
            step = steps
        builtin = surface.name in surfaces.names() and surfaces.get(surface.name).formula == surface.formula
        return Scenario(
            surface=surface.name if builtin else None,
            formula=None if builtin else surface.formula,
            domain=None if builtin else tuple(float(v) for v in surface.domain),  # type: ignore[arg-type]
            lesson=self.lesson.key if self.lesson is not None else None,
            start=(float(self.start[0]), float(self.start[1])) if self.landscape is None else None,
            steps=int(steps),
            current_step=int(step),
            optimizers=tuple(r.evolve(label=self.title(r), label_for=None, surface=None, color=None)
                             for r in runs),
            training=training if training is not None else RunConfig(),
            data_dir=data_dir,
            parsed=None if builtin else surface,
            landscape=self.landscape,
            landscape_caption=self.caption,
            landscape_step=int(self.step) if self.landscape is not None else None,
        )

    def from_scenario(self, scenario: Scenario) -> None:
        """Show ``scenario`` as `optilab.scenario.load` validated it (nothing is checked again).

        A scenario naming a lesson gets that lesson's caption, and on the
        least-squares lesson each run its own minibatch surface; a label made
        from settings is made again from them, a label of the user's own kept.
        """
        surface = scenario.build_surface()
        lesson = lessons.get(scenario.lesson) if scenario.lesson is not None else None
        runs = []
        for i, entry in enumerate(scenario.optimizers):
            lesson_run = lesson.runs[i] if lesson is not None and i < len(lesson.runs) else None
            label, label_for = entry.label, None   # a label of the user's own is kept
            if lesson_run is not None and label == lesson_run.label:
                label_for = lesson_run.label_for       # the lesson's label, for the lesson's settings
            elif label is not None and lessons.looks_like_settings_label(entry.optimizer, label):
                label = None                           # made from settings: made again from them
            runs.append(entry.evolve(label=label, label_for=label_for, color=self._color(i),
                                     surface=lesson_run.surface if lesson_run is not None else None))
        start = scenario.start if scenario.start is not None else tuple(surface.start)
        self._leave_landscape()
        self.lesson = lesson
        self.runs = runs
        self._set_surface(surface, lesson.axis_names if lesson is not None else ("x", "y"))
        self.start, self.start_asked = (float(start[0]), float(start[1])), None
        self.steps = min(int(scenario.steps), MAX_STEPS)
        self.step = min(int(scenario.current_step), self.steps)
        self.lesson_changed.emit()
        self.steps_changed.emit(self.steps)
        self.runs_changed.emit(0)
        self.recompute()
        if scenario.landscape is not None:   # over the surface and runs saved with it, which it leaves to
            self.show_landscape(scenario.landscape, scenario.landscape_caption, scenario.landscape_step)
