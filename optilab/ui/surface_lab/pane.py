"""The surface lab: optimizers racing across a loss surface, in 2-D and 3-D.

`SurfaceLabPane` owns the lab's state — the surface, the runs (optimizer,
hyperparameters, colour), the start point, the number of steps, the current
step — and keeps every view showing the same step.  Any setting change
recomputes all trajectories with the core engine (`optilab.trajectory.run`;
6 × 1000 steps take a few tens of milliseconds) and feeds them to the views;
playing only moves the step: a `QTimer` calls `set_step`, and each view just
updates the data of items it already has.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QPoint, QRect, QTimer, Qt, Signal
from PySide6.QtGui import QPainter, QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from optilab import lessons, optim, surfaces
from optilab.scenario import OptimizerEntry, Scenario
from optilab.surfaces import FormulaError, Surface
from optilab.training.config import RunConfig as TrainingConfig
from optilab.trajectory import RunSpec, Trajectory, run as run_trajectory
from optilab.ui.i18n import on_language_changed, tr, tr_message
from optilab.ui.palette import THEMES, Theme, run_color, run_colors
from optilab.ui.surface_lab.controls import (
    MAX_STEPS,
    HparamEditor,
    LessonBar,
    RunConfig,
    RunList,
    StartControls,
    SurfaceControls,
    Timeline,
)
from optilab.ui.surface_lab.numbers_panel import NumbersPanel
from optilab.ui.surface_lab.view_2d import ContourView
from optilab.ui.surface_lab.view_3d import SurfaceView3D

#: The lesson shown when the lab opens.
FIRST_LESSON = "book-figure"
#: While playing, the numbers panel is refreshed at most this often (seconds).
NUMBERS_INTERVAL = 0.25


class SurfaceLabPane(QWidget):
    """The surface-lab tab.  See the module docstring.

    Public state: `surface`, `runs` (all rows), `active_runs` (the ticked
    ones, in the order of `trajectories`), `start`, `steps`, `step`,
    `lesson`.  Views: `view_2d`, `view_3d`, `numbers`; controls:
    `lesson_bar`, `surface_controls`, `run_list`, `hparams`,
    `start_controls`, `timeline`; the animation timer is `timer`.
    """

    step_changed = Signal(int)
    trajectories_changed = Signal()

    def __init__(self, parent: QWidget | None = None, seed: int = 0) -> None:
        super().__init__(parent)
        self.seed = seed
        self.surface: Surface = surfaces.get("bowl")
        self.runs: list[RunConfig] = []
        self.active_runs: list[RunConfig] = []
        self.trajectories: list[Trajectory] = []
        self.start: tuple[float, float] = self.surface.start
        self.steps = 30
        self.step = 0
        self.lesson: lessons.Lesson | None = None
        self._selected = -1
        self._last_numbers = 0.0
        self.last_compute_ms = 0.0

        self.lesson_bar = LessonBar()
        self.surface_controls = SurfaceControls()
        self.run_list = RunList()
        self.hparams = HparamEditor()
        self.start_controls = StartControls()
        self.timeline = Timeline()
        self.view_2d = ContourView()
        self.view_3d = SurfaceView3D()
        self.numbers = NumbersPanel()
        self.timer = QTimer(self)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._speed = 10.0
        self._play_from = (0.0, 0)   # (time, step) the playback is measured from
        self._build_layout()
        self._connect()
        self.set_speed(self.timeline.speed_value())
        self.scale = 1.0
        self.load_lesson(FIRST_LESSON)
        on_language_changed(self.retranslate)

    # -- layout and wiring -------------------------------------------------
    def _build_layout(self) -> None:
        column = QWidget()
        col = QVBoxLayout(column)
        col.setContentsMargins(4, 4, 4, 4)
        col.addWidget(self.surface_controls)
        col.addWidget(self.run_list)
        col.addWidget(self.hparams)
        col.addWidget(self.start_controls)
        col.addStretch(1)
        self.controls_scroll = QScrollArea()
        self.controls_scroll.setWidget(column)
        self.controls_scroll.setWidgetResizable(True)
        self.controls_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.controls_scroll.setMinimumWidth(300)
        self.controls_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        self.views_splitter = QSplitter(Qt.Orientation.Horizontal)
        self.views_splitter.addWidget(self.view_2d)
        self.views_splitter.addWidget(self.view_3d)
        self.views_splitter.setChildrenCollapsible(False)
        self.views_splitter.setStretchFactor(0, 1)
        self.views_splitter.setStretchFactor(1, 1)
        self.views_splitter.setSizes([540, 420])
        self.right_splitter = QSplitter(Qt.Orientation.Vertical)
        self.right_splitter.addWidget(self.views_splitter)
        self.right_splitter.addWidget(self.numbers)
        self.right_splitter.setStretchFactor(0, 3)
        self.right_splitter.setStretchFactor(1, 1)
        self.right_splitter.setSizes([460, 170])
        self.main_splitter = QSplitter(Qt.Orientation.Horizontal)
        self.main_splitter.addWidget(self.controls_scroll)
        self.main_splitter.addWidget(self.right_splitter)
        self.main_splitter.setStretchFactor(1, 1)
        self.main_splitter.setSizes([320, 960])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.setSpacing(2)
        layout.addWidget(self.lesson_bar)
        layout.addWidget(self.main_splitter, 1)
        layout.addWidget(self.timeline)

    def _connect(self) -> None:
        self.lesson_bar.lesson_chosen.connect(self.load_lesson)
        self.surface_controls.surface_chosen.connect(self.set_surface)
        self.surface_controls.formula_entered.connect(self.apply_formula)
        self.run_list.toggled.connect(self.set_run_enabled)
        self.run_list.selected.connect(self._on_selected)
        self.run_list.add_requested.connect(self.add_run)
        self.run_list.remove_requested.connect(self.remove_run)
        self.hparams.changed.connect(self._on_hparam)
        self.start_controls.start_changed.connect(self.set_start)
        self.start_controls.steps_changed.connect(self.set_steps)
        self.view_2d.start_clicked.connect(self._on_clicked)
        tl = self.timeline
        tl.play_button.clicked.connect(self.toggle_play)
        tl.back_button.clicked.connect(self.step_back)
        tl.forward_button.clicked.connect(self.step_forward)
        tl.slider.valueChanged.connect(self.set_step)
        tl.speed.currentIndexChanged.connect(lambda _i: self.set_speed(self.timeline.speed_value()))
        self.timer.timeout.connect(self._tick)

    # -- lessons and settings ----------------------------------------------
    def load_lesson(self, key: str) -> None:
        """Load lesson ``key``: its surface, runs, start and steps; show its last step."""
        lesson = lessons.get(key)
        self.pause()
        self.lesson = lesson
        self.view_2d.show_all_runs()   # a new lesson starts with every run on the map
        self.runs = [
            RunConfig(
                r.optimizer,
                dict(r.hparams),
                run_color(i),
                r.label,
                True,
                lesson.surface_for(r) if lesson.least_squares is not None else None,
                dict(r.hparams),
            )
            for i, r in enumerate(lesson.runs)
        ]
        self._set_surface_quietly(lesson.surface(), lesson.axis_names)
        self.start = lesson.start_point()
        self.steps = lesson.steps
        self.step = lesson.steps
        self.lesson_bar.show_lesson(lesson)
        self._show_start_notes()
        self.start_controls.show_steps_limit(self.steps)   # a lesson's steps are within the limit
        self.start_controls.show_steps(self.steps)
        self.run_list.set_runs(self.runs, 0)
        self._runs_changed()

    def set_surface(self, surface: Surface | str) -> None:
        """Switch to a built-in surface (name) or a `Surface`; the start moves to its default."""
        if isinstance(surface, str):
            surface = surfaces.get(surface)
        self._leave_lesson()
        for run in self.runs:
            run.surface = None
        self._set_surface_quietly(surface)
        self.start = surface.start
        moved = None
        if not surface.defined_at(*self.start):
            moved = lessons.nearest_defined_start(surface, self.start)
            if moved is not None:
                self.start = moved
        self._show_start_notes(surface.start if moved is not None or not surface.defined_at(*self.start) else None)
        self.recompute()

    def _show_start_notes(self, asked: tuple[float, float] | None = None) -> None:
        """Say once, by the start fields, that f is undefined at the start ``asked``
        (and where the runs start instead); None: clear the notes."""
        text = ""
        if asked is not None:
            x, y = (f"{v:.4g}" for v in asked)
            if self.surface.defined_at(*self.start):
                text = tr("f is not defined at the default start ({x}, {y}); starting at ({x2}, {y2}) instead.").format(
                    x=x, y=y, x2=f"{self.start[0]:.4g}", y2=f"{self.start[1]:.4g}")
            else:
                text = tr("f is not defined at the start ({x}, {y}) nor anywhere near it on the map: "
                          "change the formula.").format(x=x, y=y)
        self.start_controls.show_note(text)
        self.start_controls.show_error("")
        self._reveal(self.start_controls.note)
    def apply_formula(self, text: str) -> bool:
        """Use the formula ``text`` as the surface; on a bad formula show the
        error inline, keep the old surface and return False."""
        try:
            surface = surfaces.parse(text)
        except (FormulaError, ValueError) as exc:
            self.surface_controls.show_error(tr("Formula error: {reason}").format(reason=_describe(exc)))
            return False
        self.set_surface(surface)
        return True

    def set_start(self, x: float, y: float) -> bool:
        """Move the start point and recompute.

        A point where f is not a finite number (say x < 0 for log(x)) is
        refused with an inline error, and the old start is kept.
        """
        x, y = float(x), float(y)
        if self.surface is not None and not self.surface.defined_at(x, y):
            self.start_controls.show_error(
                _undefined_start(x, y))
            self.start_controls.show_start(*self.start)
            return False
        self._show_start_notes()
        self.start = (x, y)
        self.recompute()
        return True

    def _on_clicked(self, x: float, y: float) -> None:
        """A click on the map: the start, rounded to the view's scale (2 significant
        digits of the visible range), unrounded if f is undefined at the rounded point."""
        (x0, x1), (y0, y1) = self.view_2d.plot_item.viewRange()
        rx, ry = lessons.round_to_span(x, x1 - x0), lessons.round_to_span(y, y1 - y0)
        if self.surface.defined_at(rx, ry):
            x, y = rx, ry
        self.set_start(x, y)

    def set_steps(self, steps: int) -> None:
        """Change the number of steps (at most `MAX_STEPS`, said by the steps
        field) and recompute (the current step is kept if possible)."""
        steps = int(steps)
        if steps != MAX_STEPS:   # at the limit, the note on a larger number typed stays
            self.start_controls.show_steps_limit(steps)
        self.steps = min(max(1, steps), MAX_STEPS)
        self.start_controls.show_steps(self.steps)
        self.recompute()
        self._reveal(self.start_controls.steps_note)

    def _reveal(self, label: QWidget) -> None:
        """Scroll the controls column so a message just shown is on screen."""
        if label.isVisibleTo(self):
            QTimer.singleShot(0, lambda: self.controls_scroll.ensureWidgetVisible(label))

    def set_hparam(self, row: int, key: str, value) -> None:
        """Set one hyperparameter of run ``row`` and recompute (ValueError if invalid)."""
        run = self.runs[row]
        trial = {**run.hparams, key: value}
        optim.create(run.optimizer, **trial)  # validates
        before = run.display_title()
        run.hparams = trial
        if run.display_title() != before:   # a label made from settings follows them
            self.run_list.set_title(row, run.display_title())
            hidden = getattr(self.view_2d, "_hidden_titles", set())  # a run hidden from the legend stays hidden
            if before in hidden:
                hidden.discard(before)
                hidden.add(run.display_title())
            self._runs_changed()
        else:
            self.recompute()
        if row == self._selected:
            self.hparams.edit(run)

    def set_run_enabled(self, row: int, on: bool) -> None:
        """Tick or untick run ``row``."""
        self.runs[row].enabled = bool(on)
        item = self.run_list.list.item(row)
        if item is not None:
            want = Qt.CheckState.Checked if on else Qt.CheckState.Unchecked
            if item.checkState() != want:
                self.run_list.list.blockSignals(True)
                item.setCheckState(want)
                self.run_list.list.blockSignals(False)
        self._runs_changed()

    def add_run(self, optimizer: str) -> None:
        """Add a run of ``optimizer`` with its default hyperparameters."""
        used = {r.color for r in self.runs}
        color = next((c for c in run_colors() if c not in used), run_color(len(self.runs)))
        self.runs.append(RunConfig(optim.get_class(optimizer).name, {}, color))
        self.run_list.set_runs(self.runs, len(self.runs) - 1)
        self._runs_changed()

    def remove_run(self, row: int) -> None:
        """Remove run ``row``."""
        if 0 <= row < len(self.runs):
            del self.runs[row]
            self.run_list.set_runs(self.runs, min(row, len(self.runs) - 1))
            self._runs_changed()

    def set_arrows(self, gradient: bool, velocity: bool) -> None:
        """Show or hide the −gradient and velocity arrows on the 2-D map."""
        self.view_2d.set_arrows(gradient, velocity)
        self.view_2d.show_step(self.step)

    # -- computing ---------------------------------------------------------
    def recompute(self) -> None:
        """Run every ticked optimizer with the core engine and redraw the current step."""
        t0 = time.perf_counter()
        self.active_runs = [r for r in self.runs if r.enabled]
        self.trajectories = [
            run_trajectory(
                r.surface or self.surface,
                RunSpec(r.optimizer, dict(r.hparams), self.start, r.title),
                steps=self.steps,
                seed=self.seed,
            )
            for r in self.active_runs
        ]
        self.last_compute_ms = (time.perf_counter() - t0) * 1e3
        for view in (self.view_2d, self.view_3d, self.numbers):
            view.set_trajectories(self.trajectories)
        self.view_2d.set_start(*self.start)
        self.start_controls.show_start(*self.start)
        self.trajectories_changed.emit()
        self.lesson_bar.show_lesson(self.lesson, self.lesson_edited())
        self.set_step(min(self.step, self.steps), force=True)

    def lesson_edited(self) -> bool:
        """Whether a lesson is shown with settings that are no longer its own
        (runs, hyperparameters, start or steps changed; unticking a run is not)."""
        lesson = self.lesson
        if lesson is None:
            return False
        if self.steps != lesson.steps or tuple(self.start) != tuple(lesson.start_point()):
            return True
        if len(self.runs) != len(lesson.runs):
            return True
        return any(
            r.optimizer != lr.optimizer or not lessons.same_settings(r.optimizer, r.hparams, lr.hparams)
            for r, lr in zip(self.runs, lesson.runs)
        )

    def _runs_changed(self) -> None:
        active = [r for r in self.runs if r.enabled]
        titles, colors = [r.display_title() for r in active], [r.color for r in active]
        for view in (self.view_2d, self.view_3d, self.numbers):
            view.set_runs(titles, colors)
        # The lesson's run to watch is drawn over the others (GD over the noisy paths).
        on_top = self.lesson.on_top if self.lesson is not None else None
        top = next((i for i, r in enumerate(active) if on_top is not None and r.title == on_top), None)
        self.view_2d.set_highlight(top)
        self.view_3d.set_highlight(top)
        self.recompute()

    def _set_surface_quietly(self, surface: Surface, axis_names: tuple[str, str] = ("x", "y")) -> None:
        self.surface = surface
        self.surface_controls.show_surface(surface)
        self.view_2d.set_surface(surface)
        self.view_3d.set_surface(surface)
        self.set_axis_names(*axis_names)

    def set_axis_names(self, x: str, y: str) -> None:
        """Name the map's axes in every view and the start fields (w, b for a line's fit)."""
        self.axis_names = (x, y)
        self.start_controls.set_axis_names(x, y)
        for view in (self.view_2d, self.view_3d, self.numbers):
            view.set_axis_names(x, y)

    def _leave_lesson(self) -> None:
        if self.lesson is not None:
            self.lesson = None
            self.lesson_bar.show_lesson(None)
            # Out of the lesson its names ("SGD") no longer say the settings: made from them ("SGD η=0.95").
            for run in self.runs:
                if run.label_for is not None:
                    run.label, run.label_for = None, None

    def _on_selected(self, row: int) -> None:
        self._selected = row
        self.hparams.edit(self.runs[row] if 0 <= row < len(self.runs) else None)

    def _on_hparam(self, key: str, value) -> None:
        if 0 <= self._selected < len(self.runs):
            try:
                self.set_hparam(self._selected, key, value)
            except ValueError:
                self.hparams.edit(self.runs[self._selected])

    # -- stepping ----------------------------------------------------------
    def set_step(self, k: int, force: bool = False) -> None:
        """Show step ``k`` (clamped to 0…steps) in every view."""
        k = min(max(int(k), 0), self.steps)
        if k == self.step and not force:
            return
        self.step = k
        if not self.view_2d.isHidden():
            self.view_2d.show_step(k)
        if not self.view_3d.isHidden():
            self.view_3d.show_step(k)
        now = time.perf_counter()
        if not self.timer.isActive() or now - self._last_numbers >= NUMBERS_INTERVAL or k == self.steps:
            self.numbers.show_step(k)
            self._last_numbers = now
        self.timeline.show_step(k, self.steps)
        self.step_changed.emit(k)

    def step_forward(self) -> None:
        """One step forward."""
        self.set_step(self.step + 1)

    def step_back(self) -> None:
        """One step back."""
        self.set_step(self.step - 1)

    def play(self) -> None:
        """Start the animation (from step 0 when at the end)."""
        if self.step >= self.steps:
            self.set_step(0)
        self._play_from = (time.perf_counter(), self.step)
        self.timer.start()
        self.timeline.show_playing(True)

    def pause(self) -> None:
        """Stop the animation."""
        self.timer.stop()
        self.timeline.show_playing(False)
        if self.numbers.step != self.step:
            self.numbers.show_step(self.step)

    def toggle_play(self) -> None:
        """Play or pause."""
        self.pause() if self.timer.isActive() else self.play()

    def set_speed(self, steps_per_second: float) -> None:
        """Animation speed.  The step shown is the one the speed has reached by
        the clock (steps = speed × time played), so a frame that takes longer
        than the timer's interval advances several steps and the speed holds."""
        self._speed = float(steps_per_second)
        self._play_from = (time.perf_counter(), self.step)
        self.timer.setInterval(int(round(max(1000.0 / self._speed, 16.0))))

    def _tick(self) -> None:
        now = time.perf_counter()
        t0, k0 = self._play_from
        if self.step < k0 or self.step > k0 + (now - t0) * self._speed + 1:
            t0, k0 = self._play_from = (now, self.step)   # moved by hand while playing: measure from here
        due = k0 + int((now - t0) * self._speed)
        if due <= self.step:
            return
        nxt = min(due, self.steps)
        self.set_step(nxt)
        if nxt >= self.steps:
            self.pause()

    def grab_picture(self) -> QPixmap:
        """The pane as a picture, the native 3-D view painted in (a plain grab misses it)."""
        pixmap = self.grab()
        container = self.view_3d.gl_container
        if container.isVisible():
            frame = self.view_3d.grab_image()
            painter = QPainter(pixmap)
            top_left = container.mapTo(self, QPoint(0, 0))
            painter.drawImage(QRect(top_left, container.size()), frame)
            painter.end()
        return pixmap

    def show_views(self, show_2d: bool | None = None, show_3d: bool | None = None) -> None:
        """Show or hide the 2-D and 3-D views (a shown view catches up with the step)."""
        if show_2d is not None:
            self.view_2d.setVisible(show_2d)
            if show_2d:
                self.view_2d.show_step(self.step)
        if show_3d is not None:
            self.view_3d.setVisible(show_3d)
            if show_3d:
                self.view_3d.show_step(self.step)

    # -- language, presentation --------------------------------------------
    def retranslate(self) -> None:
        """Show run titles and labels in the current language; nothing is recomputed."""
        for row, run in enumerate(self.runs):
            self.run_list.set_title(row, run.display_title())
        self._refresh_runs()
        if 0 <= self._selected < len(self.runs):
            self.hparams.edit(self.runs[self._selected])

    def _refresh_runs(self) -> None:
        """Give the views the runs' titles and colours again and redraw the current step."""
        titles, colors = [r.display_title() for r in self.active_runs], [r.color for r in self.active_runs]
        for view in (self.view_2d, self.view_3d, self.numbers):
            view.set_runs(titles, colors)
            view.set_trajectories(self.trajectories)
        self.set_step(self.step, force=True)

    def recolor_runs(self) -> None:
        """Give the runs the colours of the current palette, in order (after a palette switch)."""
        for i, run in enumerate(self.runs):
            run.color = run_color(i)
        self.run_list.set_runs(self.runs, max(self._selected, 0))
        self._refresh_runs()

    def set_scale(self, factor: float) -> None:
        """Scale line widths, markers and the lab's own fonts by ``factor`` (presentation mode)."""
        self.scale = float(factor)
        self.view_2d.set_scale(self.scale)
        self.view_3d.set_scale(self.scale)
        self.lesson_bar.set_scale(self.scale)
        self.timeline.set_scale(self.scale)
        self.numbers.set_scale(self.scale)
        self._refresh_runs()

    def set_theme(self, theme: Theme | str) -> None:
        """Light or dark plots (a `Theme` or its key)."""
        theme = THEMES[theme] if isinstance(theme, str) else theme
        self.view_2d.set_theme(theme)
        self.view_3d.set_theme(theme)
        self.numbers.set_theme(theme)
        self.lesson_bar.set_accent(theme.accent)
        self.set_step(self.step, force=True)

    # -- scenarios ---------------------------------------------------------
    def to_scenario(self, training: TrainingConfig | None = None, data_dir: str | None = None) -> Scenario:
        """The lab's whole state as a `Scenario` (language independent: names and numbers)."""
        surface = self.surface
        builtin = surface.name in surfaces.names() and surfaces.get(surface.name).formula == surface.formula
        return Scenario(
            surface=surface.name if builtin else None,
            formula=None if builtin else surface.formula,
            domain=None if builtin else tuple(float(v) for v in surface.domain),
            lesson=self.lesson.key if self.lesson is not None else None,
            start=(float(self.start[0]), float(self.start[1])),
            steps=int(self.steps),
            current_step=int(self.step),
            optimizers=tuple(
                OptimizerEntry(r.optimizer, dict(r.hparams), bool(r.enabled), r.title) for r in self.runs
            ),
            training=training if training is not None else TrainingConfig(),
            data_dir=data_dir,
        )

    def apply_scenario(self, scenario: Scenario) -> None:
        """Show ``scenario`` (already validated by `optilab.scenario.load`).

        Everything that can fail (building the surface, the optimizers) is done
        before the first change, so on an exception the lab is untouched.  A
        scenario naming a lesson gets that lesson's caption, and on the
        least-squares lesson each run its own minibatch surface.
        """
        surface = scenario.build_surface()
        lesson = lessons.get(scenario.lesson) if scenario.lesson is not None else None
        runs: list[RunConfig] = []
        for i, entry in enumerate(scenario.optimizers):
            optim.create(entry.name, **dict(entry.hparams))  # validates
            run_surface = None
            lesson_run = lesson.runs[i] if lesson is not None and i < len(lesson.runs) else None
            if lesson_run is not None and lesson.least_squares is not None:
                run_surface = lesson.surface_for(lesson_run)
            label, label_for = entry.label, None   # a label of the user's own is kept
            if lesson_run is not None and label == lesson_run.label:
                label_for = dict(lesson_run.hparams)    # the lesson's label, for the lesson's settings
            elif label is not None and lessons.looks_like_settings_label(entry.name, label):
                label = None                            # made from settings: made again from them
            runs.append(RunConfig(entry.name, dict(entry.hparams), run_color(i), label, entry.enabled,
                                  run_surface, label_for))
        start = scenario.start if scenario.start is not None else tuple(surface.start)

        self.pause()
        self.lesson = lesson
        self.lesson_bar.show_lesson(lesson)
        self.runs = runs
        self._set_surface_quietly(surface, lesson.axis_names if lesson is not None else ("x", "y"))
        self.start = (float(start[0]), float(start[1]))
        self._show_start_notes()
        if not surface.defined_at(*self.start):   # said once, by the start fields
            self.start_controls.show_error(_undefined_start(*start))
        self.steps = min(int(scenario.steps), MAX_STEPS)
        self.start_controls.show_steps_limit(int(scenario.steps))
        self.step = min(int(scenario.current_step), self.steps)
        self.start_controls.show_steps(self.steps)
        self.run_list.set_runs(self.runs, 0)
        self._runs_changed()
        self.set_step(scenario.current_step, force=True)


def _undefined_start(x: float, y: float) -> str:
    """The line under the start fields when f is undefined at the start (x, y)."""
    return tr("f is not defined at ({x}, {y}): choose another start.").format(x=f"{x:.4g}", y=f"{y:.4g}")


def _describe(exc: Exception) -> str:
    """A formula error in the current language: "col N: reason" with the reason translated."""
    if isinstance(exc, FormulaError):
        reason = tr_message(exc.reason)
        return reason if exc.position is None else tr("col {n}: {reason}").format(n=exc.position + 1, reason=reason)
    return tr_message(str(exc))
