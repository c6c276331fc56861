"""The surface lab: optimizers racing across a loss surface, in 2-D and 3-D.

The lab's state — surface, runs, start, steps, step shown, lesson — is the
Qt-free model `optilab.lab.surface.SurfaceLab` (`SurfaceLabPane.lab`).  The
pane only edits it (a widget's edit calls a model method, which checks the
value once) and observes it: each model signal redraws what it names, so
every view shows the same step.  Playing only moves the step: a `QTimer`
calls `set_step`, and each view just updates the data of items it already has.

`show_landscape` shows a network's loss landscape (issue #14) in the same
views: the model's landscape mode (`landscape_mode`).
"""

from __future__ import annotations

import time

from PySide6.QtCore import QPoint, QRect, Qt, QTimer, Signal
from PySide6.QtGui import QPainter, QPixmap
from PySide6.QtWidgets import (
    QWidget,
)

from optilab import lessons, messages
from optilab.lab.surface import FIRST_LESSON, MAX_STEPS, SurfaceLab
from optilab.scenario import Scenario
from optilab.surfaces import FormulaError, Surface
from optilab.training.config import RunConfig as TrainingConfig
from optilab.trajectory import Run
from optilab.ui.i18n import on_language_changed, tr, tr_message
from optilab.ui.palette import THEMES, Theme, run_colors
from optilab.ui.surface_lab.controls import HparamEditor, RunList, StartControls, SurfaceControls
from optilab.ui.surface_lab.landscape_info import LandscapeInfo, axis_titles
from optilab.ui.surface_lab.landscape_mode import LandscapeMode
from optilab.ui.surface_lab.layout import lay_out
from optilab.ui.surface_lab.lesson_bar import LessonBar
from optilab.ui.surface_lab.numbers_panel import NumbersPanel
from optilab.ui.surface_lab.timeline import Timeline
from optilab.ui.surface_lab.view_2d import ContourView
from optilab.ui.surface_lab.view_3d import SurfaceView3D

__all__ = ["FIRST_LESSON", "MAX_STEPS", "SurfaceLabPane"]

#: While playing, the numbers panel is refreshed at most this often (seconds).
NUMBERS_INTERVAL = 0.25


class SurfaceLabPane(LandscapeMode, QWidget):
    """The surface-lab tab.  See the module docstring.

    The model is `lab`; `surface`, `runs`, `active_runs`, `trajectories`,
    `start`, `steps`, `step` and `lesson` read it.  Views: `view_2d`,
    `view_3d`, `numbers`; controls: `lesson_bar`, `surface_controls`,
    `run_list`, `hparams`, `start_controls`, `timeline`; the animation timer
    is `timer`.
    """

    step_changed = Signal(int)
    trajectories_changed = Signal()

    def __init__(self, parent: QWidget | None = None, seed: int = 0) -> None:
        super().__init__(parent)
        self.lab = SurfaceLab(seed, colors=run_colors)
        self._selected = -1
        self._from_editor = False
        self._last_numbers = 0.0
        self._shown_runs: tuple = ()
        self.last_compute_ms = 0.0

        self.lesson_bar = LessonBar()
        self.surface_controls = SurfaceControls()
        self.run_list = RunList()
        self.hparams = HparamEditor()
        self.start_controls = StartControls()
        self.landscape_info = LandscapeInfo()
        self.landscape_info.setVisible(False)
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
        self._observe()
        self.set_speed(self.timeline.speed_value())
        self.scale = 1.0
        self.load_lesson(FIRST_LESSON)
        on_language_changed(self.retranslate)

    # -- the model's state, read -----------------------------------------------
    seed = property(lambda self: self.lab.seed, doc="The seed of the minibatch sampling.")
    surface = property(lambda self: self.lab.surface, doc="The surface (`SurfaceLab.surface`).")
    runs = property(lambda self: self.lab.runs, doc="Every run, ticked or not.")
    active_runs = property(lambda self: self.lab.active_runs, doc="The ticked runs, as `trajectories`.")
    trajectories = property(lambda self: self.lab.trajectories, doc="One trajectory per ticked run.")
    start = property(lambda self: self.lab.start, doc="The start point.")
    steps = property(lambda self: self.lab.steps, doc="Steps per run.")
    step = property(lambda self: self.lab.step, doc="The step shown.")
    lesson = property(lambda self: self.lab.lesson, doc="The lesson shown, or None.")
    landscape = property(lambda self: self.lab.landscape, doc="The loss landscape shown, or None.")
    axis_names = property(lambda self: self.lab.axis_names, doc="The map's axis names.")

    def lesson_edited(self) -> bool:
        """Whether the lesson shown has settings no longer its own (`SurfaceLab.lesson_edited`)."""
        return self.lab.lesson_edited()

    def display_title(self, run: Run) -> str:
        """``run``'s legend text in the current language."""
        return self.lab.title(run, tr)

    # -- layout and wiring -------------------------------------------------
    def _build_layout(self) -> None:
        lay_out(self)

    def _connect(self) -> None:
        """Widgets edit the model."""
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

    def _observe(self) -> None:
        """The model's signals redraw what they name."""
        lab = self.lab
        lab.surface_changed.connect(self._show_surface)
        lab.runs_changed.connect(self._show_runs)
        lab.run_changed.connect(self._show_run)
        lab.steps_changed.connect(self.start_controls.show_steps)
        lab.lesson_changed.connect(self._show_lesson)
        lab.landscape_changed.connect(self._show_landscape_mode)
        lab.trajectories_changed.connect(self._show_trajectories)
        lab.step_changed.connect(self._show_step)
        lab.arrows_changed.connect(self._show_arrows)

    # -- lessons and settings: widgets' edits, to the model ---------------------
    def load_lesson(self, key: str) -> None:
        """Load lesson ``key``: its surface, runs, start and steps; show its last step."""
        self.pause()
        self.view_2d.show_all_runs()   # a new lesson starts with every run on the map
        self.lab.load_lesson(key)
        self._show_start_notes()
        self.start_controls.show_steps_limit(self.steps)   # a lesson's steps are within the limit

    def set_surface(self, surface: Surface | str) -> None:
        """Switch to a built-in surface (name) or a `Surface`; the start moves to its default."""
        self.lab.set_surface(surface)
        self._show_start_notes(self.lab.start_asked)

    def _show_start_notes(self, asked: tuple[float, float] | None = None) -> None:
        """Say once, by the start fields, that f is undefined at the start ``asked``
        (and where the runs start instead); None: clear the notes."""
        text = ""
        if asked is not None:
            x, y = (f"{v:.4g}" for v in asked)
            if self.lab.start_defined:
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
            self.lab.apply_formula(text)
        except (FormulaError, ValueError) as exc:
            self.surface_controls.show_error(tr("Formula error: {reason}").format(reason=_describe(exc)))
            return False
        self._show_start_notes(self.lab.start_asked)
        return True

    def set_start(self, x: float, y: float) -> bool:
        """Move the start point and recompute.

        A point where f is not a finite number (say x < 0 for log(x)) is
        refused with an inline error, and the old start is kept.
        """
        if not self.lab.set_start(x, y):
            self.start_controls.show_error(_undefined_start(float(x), float(y)))
            self.start_controls.show_start(*self.start)
            return False
        self._show_start_notes()
        return True

    def _on_clicked(self, x: float, y: float) -> None:
        """A click on the map: the start, rounded to the view's scale (2 significant
        digits of the visible range), unrounded if f is undefined at the rounded point."""
        if self.lab.landscape is not None:   # the paths start where training did
            return
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
        self.lab.set_steps(steps)
        self._reveal(self.start_controls.steps_note)

    def _reveal(self, label: QWidget) -> None:
        """Scroll the controls column so a message just shown is on screen."""
        if label.isVisibleTo(self):
            QTimer.singleShot(0, lambda: self.controls_scroll.ensureWidgetVisible(label))

    def set_hparam(self, row: int, key: str, value) -> None:
        """Set one hyperparameter of run ``row`` and recompute (an `OptilabError`, a
        ValueError, if the value is not allowed; then nothing changes)."""
        before = self.display_title(self.runs[row])
        self.lab.set_hparam(row, key, value)
        after = self.display_title(self.runs[row])
        hidden = getattr(self.view_2d, "_hidden_titles", None)  # a run hidden from the legend stays hidden
        if after != before and hidden is not None and before in hidden:
            hidden.discard(before)
            hidden.add(after)

    def set_run_enabled(self, row: int, on: bool) -> None:
        """Tick or untick run ``row``."""
        self.lab.set_run_enabled(row, on)

    def add_run(self, optimizer: str) -> None:
        """Add a run of ``optimizer`` with its default hyperparameters."""
        self.lab.add_run(optimizer)

    def remove_run(self, row: int) -> None:
        """Remove run ``row``."""
        self.lab.remove_run(row)

    def set_arrows(self, gradient: bool, velocity: bool) -> None:
        """Show or hide the −gradient and velocity arrows on the 2-D map."""
        self.lab.set_arrows(gradient, velocity)

    def recompute(self) -> None:
        """Run every ticked optimizer with the core engine and redraw the current step."""
        t0 = time.perf_counter()
        self.lab.recompute()
        self.last_compute_ms = (time.perf_counter() - t0) * 1e3

    def _on_selected(self, row: int) -> None:
        self._selected = row
        self._edit_selected()

    def _edit_selected(self) -> None:
        row = self._selected
        if 0 <= row < len(self.runs):
            self.hparams.edit(self.runs[row], lambda: self.display_title(self.runs[row]))
        else:
            self.hparams.edit(None)

    def _on_hparam(self, key: str, value) -> None:
        if 0 <= self._selected < len(self.runs):
            self._from_editor = True   # the editor shows this value already: it is not pushed back
            try:
                self.set_hparam(self._selected, key, value)
            except ValueError:   # the field allows what the model does; should they differ, show the value kept
                self._edit_selected()
            finally:
                self._from_editor = False

    # -- the model's changes, drawn ------------------------------------------------
    def _show_surface(self, surface: Surface) -> None:
        self.surface_controls.show_surface(surface)
        self.view_2d.set_surface(surface)
        self.view_3d.set_surface(surface)
        self.set_axis_names(*self.lab.axis_names)

    def set_axis_names(self, x: str, y: str) -> None:
        """Name the map's axes in every view and the start fields (w, b for a line's fit); on a
        loss landscape the map's axes also say the directions ("α (PC1, 91 %)")."""
        for view in (self.start_controls, self.view_3d, self.numbers):
            view.set_axis_names(x, y)
        self.view_2d.set_axis_names(*(axis_titles(self.lab.landscape) if self.lab.landscape is not None else (x, y)))

    def _rows(self) -> list[tuple[str, str | None, bool]]:
        return [(self.display_title(r), r.color, r.enabled) for r in self.runs]

    def _show_runs(self, current: int) -> None:
        """The list of runs was replaced (``current`` ≥ 0: select that row) or renamed (−1)."""
        if current >= 0:
            self.run_list.set_runs(self._rows(), current)
        else:
            for row, (title, _color, enabled) in enumerate(self._rows()):
                self.run_list.show_row(row, title, enabled)
        self._give_views_runs()

    def _show_run(self, row: int) -> None:
        run = self.runs[row]
        self.run_list.show_row(row, self.display_title(run), run.enabled)
        if row == self._selected and self._from_editor:
            self.hparams.retitle(lambda: self.display_title(self.runs[row]))
        elif row == self._selected:   # changed elsewhere (a script, a scenario): the editor shows it
            self._edit_selected()
        self._give_views_runs()

    def _give_views_runs(self, force: bool = False) -> None:
        """The ticked runs' titles and colours to the views, when they changed; the run on top."""
        legend = self.lab.legend(tr)
        shown = (tuple(title for title, _ in legend), tuple(color for _, color in legend))
        if shown == self._shown_runs and not force:
            return
        self._shown_runs = shown
        for view in (self.view_2d, self.view_3d, self.numbers):
            view.set_runs(list(shown[0]), list(shown[1]))
        top = self.lab.on_top()   # the lesson's run to watch is drawn over the others (GD over the noisy paths)
        self.view_2d.set_highlight(top)
        self.view_3d.set_highlight(top)

    def _show_trajectories(self) -> None:
        for view in (self.view_2d, self.view_3d, self.numbers):
            view.set_trajectories(self.trajectories)
        self.view_2d.set_start(*self.start, shown=self.lab.landscape is None)   # a path starts where training did
        self.start_controls.show_start(*self.start)
        self.trajectories_changed.emit()

    def _show_arrows(self, gradient: bool, velocity: bool) -> None:
        self.view_2d.set_arrows(gradient, velocity)
        self.view_2d.show_step(self.step)

    # -- stepping ----------------------------------------------------------
    def set_step(self, k: int, force: bool = False) -> None:
        """Show step ``k`` (clamped to 0…steps) in every view."""
        self.lab.set_step(k, force)

    def _show_step(self, k: int) -> None:
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
        self.timer.setInterval(round(max(1000.0 / self._speed, 16.0)))

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
        for row, (title, _color, enabled) in enumerate(self._rows()):
            self.run_list.show_row(row, title, enabled)
        if self.lab.landscape is not None:
            self.set_axis_names(*self.lab.axis_names)
        self._refresh_runs()
        if 0 <= self._selected < len(self.runs):
            self._edit_selected()

    def _refresh_runs(self) -> None:
        """Give the views the runs' titles and colours again and redraw the current step."""
        self._give_views_runs(force=True)
        for view in (self.view_2d, self.view_3d, self.numbers):
            view.set_trajectories(self.trajectories)
        self.set_step(self.step, force=True)

    def recolor_runs(self) -> None:
        """Give the runs the colours of the current palette, in order (after a palette switch)."""
        self.lab.recolor()
        self.run_list.set_runs(self._rows(), max(self._selected, 0))
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
        """The lab's whole state as a `Scenario` (`SurfaceLab.to_scenario`)."""
        return self.lab.to_scenario(training, data_dir)

    def apply_scenario(self, scenario: Scenario) -> None:
        """Show ``scenario`` as `optilab.scenario.load` validated it (`SurfaceLab.from_scenario`:
        nothing is checked again; on an exception the lab is untouched)."""
        self.pause()
        self.lab.from_scenario(scenario)
        self._show_start_notes()
        if not self.lab.start_defined:   # said once, by the start fields
            self.start_controls.show_error(_undefined_start(*self.start))
        self.start_controls.show_steps_limit(scenario.steps)


def _undefined_start(x: float, y: float) -> str:
    """The line under the start fields when f is undefined at the start (x, y)."""
    return tr("f is not defined at ({x}, {y}): choose another start.").format(x=f"{x:.4g}", y=f"{y:.4g}")


def _describe(exc: Exception) -> str:
    """A formula (or other core) error in the current language, translated by its code."""
    return tr_message(messages.of(exc))
