"""The stability map's tab: the Qt-free `StabilityLab` drawn by a `StabilityView`, computed off the GUI thread.

The panel keeps the map of the selected run up to date with the lab: a
change of surface, start, steps or the run's fixed settings (all announced by
`SurfaceLab.trajectories_changed`) or of the map's own axes schedules a
recompute, coalesced over 120 ms (a slider drag computes once) and only while
the tab is shown (a hidden map waits until it is).  The map is computed on a
daemon thread (a 64 × 64 map of 200 steps takes 0.02–0.2 s): the GUI never
waits, and a result whose inputs moved on meanwhile is dropped
(`StabilityLab.accept`).  A click on a cell gives the run its settings
(`StabilityLab.pick` → `SurfaceLab.set_hparam`), so the 2-D map shows that
cell's trajectory; the map itself is not recomputed (its inputs did not
change), its ring moves.
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QTabWidget

from optilab import messages
from optilab.lab.stability import Request, StabilityLab
from optilab.ui.i18n import on_language_changed, tr, tr_message
from optilab.ui.surface_lab.stability_view import StabilityView

if TYPE_CHECKING:
    from optilab.ui.surface_lab.pane import SurfaceLabPane

__all__ = ["DEBOUNCE_MS", "StabilityPanel"]

#: Changes within this many milliseconds are computed once.
DEBOUNCE_MS = 120


class StabilityPanel(QObject):
    """The stability tab of a surface-lab pane: `model` (a `StabilityLab`), `view` (a `StabilityView`)."""

    _computed = Signal(object, object, float)   # (request, map or exception, seconds), from the worker

    def __init__(self, pane: SurfaceLabPane) -> None:
        super().__init__(pane)
        self.pane = pane
        self.model = StabilityLab(pane.lab)
        self.view = StabilityView()
        self.busy = False
        self.last_seconds = 0.0
        self.tabs: QTabWidget | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._start)
        self._computed.connect(self._finished)
        lab = pane.lab
        lab.runs_changed.connect(self._on_runs)
        lab.run_changed.connect(self._on_run)
        lab.trajectories_changed.connect(self.schedule)
        lab.landscape_changed.connect(lambda _l: self._on_runs(0))
        pane.run_list.selected.connect(self.select)
        self.model.settings_changed.connect(self._on_settings)
        self.model.map_changed.connect(self._draw)
        self.view.cell_clicked.connect(self.pick)
        self.view.edited.connect(self._on_edited)

    def attach(self, tabs: QTabWidget) -> None:
        """Live in ``tabs`` beside the 3-D view: computed when its tab is shown, the 3-D view brought
        up to the step when its own is."""
        self.tabs = tabs
        tabs.currentChanged.connect(self._tab_shown)
        self.retranslate()
        on_language_changed(self.retranslate)

    def _tab_shown(self, index: int) -> None:
        if self.tabs.widget(index) is self.view:
            self.schedule()
        elif self.tabs.widget(index) is self.pane.view_3d:
            self.pane.view_3d.show_step(self.pane.step)   # it skipped the steps played while hidden

    def retranslate(self) -> None:
        if self.tabs is not None:
            self.tabs.setTabText(self.tabs.indexOf(self.pane.view_3d), tr("3-D surface"))
            self.tabs.setTabText(self.tabs.indexOf(self.view), tr("Stability map"))

    # -- what is mapped ---------------------------------------------------------
    def select(self, row: int) -> None:
        """Map run ``row`` (the run list's selection)."""
        if row >= 0:
            self.model.select(row)

    def _on_runs(self, current: int) -> None:
        self.model.select(current if current >= 0 else self.model.row)

    def _on_run(self, row: int) -> None:
        if row == self.model.row:
            self._show_mark()

    def _on_settings(self) -> None:
        m = self.model
        axis = (lambda a: None if a is None else (a.key, a.low, a.high, a.log))  # noqa: E731
        x = axis(m.x)
        self.view.show_settings(x, axis(m.y), m.axis_choices(), m.grid, m.measure)  # type: ignore[arg-type]
        if m.map is not None and m.up_to_date():
            self._draw()
        self.schedule()

    def _on_edited(self, what: str, value: Any) -> None:
        m = self.model
        self.view.show_error("")
        try:
            if what == "measure":
                m.set_measure(value)
            elif what == "grid":
                m.set_grid(value)
            elif what == "y_key":
                m.set_axis("y", key=value)
            else:
                which, field = what.split("_")
                m.set_axis(which, **{field: value})
        except ValueError as exc:
            self.view.show_error(tr_message(messages.of(exc)))
            self._on_settings()   # the controls show what is kept

    # -- computing ---------------------------------------------------------------
    def is_shown(self) -> bool:
        """Whether the map is on screen (its tab current and the window shown)."""
        return self.view.isVisible()

    def schedule(self) -> None:
        """Recompute soon if the map is out of date and on screen (else when it is shown)."""
        self._show_mark()
        if not self.model.up_to_date() and self.is_shown():
            self._timer.start()

    def _start(self) -> None:
        if self.busy:
            return   # `_finished` starts the next one
        req = self.model.request()
        if req is None or self.model.up_to_date():
            refusal = self.model.refusal()
            if refusal is not None:      # Newton, L-BFGS: no map of theirs, and no other run's map shown
                self.view.plot.setVisible(False)
                self.view.legend.setVisible(False)
                self.view.show_status(tr_message(refusal))
                return
            self.view.show_status("" if req is not None else tr("No run to map: add an optimizer."))
            return
        self.busy = True
        self.view.show_status(tr("computing {cells} runs of {steps} steps…").format(
            cells=f"{req.grid * (req.grid if req.y is not None else 1):,}", steps=f"{req.steps:,}"))
        threading.Thread(target=self._work, args=(req,), name="optilab-stability", daemon=True).start()

    def _work(self, req: Request) -> None:
        t0 = time.perf_counter()
        try:
            result: Any = StabilityLab.compute(req)
        except Exception as exc:  # noqa: BLE001 - shown as one line in the view, never a traceback
            result = exc
        self._computed.emit(req, result, time.perf_counter() - t0)

    def _finished(self, req: Request, result: Any, seconds: float) -> None:
        self.busy = False
        if isinstance(result, BaseException):
            self.view.show_error(tr_message(messages.of(result)))
            self.view.show_status("")
            return
        if self.model.accept(req, result):
            self.last_seconds = seconds
            cells = result.loss.size
            self.view.show_status(tr("{cells} runs of {steps} steps from ({x}, {y}), computed in {seconds} s; "
                                     "click a cell to run its setting.").format(
                cells=f"{cells:,}", steps=f"{req.steps:,}", x=f"{req.start[0]:.3g}", y=f"{req.start[1]:.3g}",
                seconds=f"{seconds:.2f}"))
        else:
            self.schedule()   # the lab moved on meanwhile

    def wait(self, timeout: float = 10.0) -> bool:
        """Compute now if needed and wait for it (scripts and tests); whether the map is up to date."""
        if not self.model.up_to_date() and not self.busy:
            self._timer.stop()
            req = self.model.request()
            if req is not None:
                self.model.accept(req, StabilityLab.compute(req))
        return self.model.up_to_date()

    # -- drawing and clicks ---------------------------------------------------------
    def _draw(self) -> None:
        m = self.model
        if m.map is None:
            return
        y_log = m.y.log if m.y is not None else False
        self.view.plot.setVisible(True)
        self.view.legend.setVisible(True)
        self.view.show_map(m.map, m.measure, (m.x.log, y_log))
        self._show_mark()

    def _show_mark(self) -> None:
        current = self.model.current()
        if current is None or self.model.map is None:
            self.view.show_mark(None, None)
        else:
            self.view.show_mark(*current)

    def pick(self, i: int, j: int) -> None:
        """A click on cell (i, j): the selected run takes its settings (the trajectory is recomputed)."""
        try:
            self.model.pick(i, j)
        except ValueError as exc:
            self.view.show_error(tr_message(messages.of(exc)))
