"""The "Find η" dialog: the learning-rate range test of the dock's settings (docs/experiments.md#lr-find).

The test (`optilab.training.lr_find`, Smith 2015 §3.3; fast.ai's ``lr_find``) runs in a child
process (`optilab.training.lr_find_job.LRFindJob`), polled by a timer, so the window stays
responsive and Cancel stops it.  The plot shows the loss against η on a log axis (one tick per
decade, `plot_style.DecadeAxis`): the raw loss faint, the smoothed loss bold, each suggestion a
dashed vertical line labelled with its η.  A button per suggestion applies it to the dock's η in
one click (`lr_chosen`).  The fields are built by `widgets.field_for` from the declared
`lr_find.SETTINGS` (the CLI's rules and messages).
"""

from __future__ import annotations

import math
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from optilab import messages, optim
from optilab.training import RunConfig
from optilab.training.events import Failed, JobDone
from optilab.training.lr_find import CANCELLED, DEFAULTS, SETTINGS, TOO_SHORT, check_range
from optilab.training.lr_find_job import LRFindDone, LRFindJob, LRFindProgress
from optilab.training.remote import DataSpec
from optilab.ui.i18n import bind, tr, tr_message
from optilab.ui.palette import ERROR, run_color
from optilab.ui.training_lab import plot_style
from optilab.ui.widgets import NumberField, field_for, label_of, reason_text

#: How often the child's events are read (ms).
POLL_MS = 40
#: After Cancel, how long the child may take to stop before it is killed (ms).
CANCEL_GRACE_MS = 2000
#: The marks' colours: steepest descent, minimum ÷ 10.
MARK_COLORS = {"steepest": "#c0392b", "min_over_10": "#1e7a3c"}


class LRFindDialog(QDialog):
    """Runs the range test of ``config`` on ``data``, shows the curve and the suggestions;
    emits ``lr_chosen(η)`` when a suggestion's button is clicked."""

    lr_chosen = Signal(float)

    def __init__(self, config: RunConfig, data: DataSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        bind(self, "setWindowTitle", "Find η: the learning-rate range test")
        self.config, self.data = config, data
        self.job: LRFindJob | None = None
        self.result: Any = None
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._poll)
        layout = QVBoxLayout(self)
        intro = QLabel()
        intro.setWordWrap(True)
        bind(intro, "setText", "η grows exponentially over a stream of minibatches, one step of {optimizer} each; "
             "the test stops once the smoothed loss exceeds 4× its best. The network and optimizer are "
             "restored afterwards: the next run starts as if the test had not been run.",
             optimizer=optim.get_class(config.optimizer).title)
        layout.addWidget(intro)
        row = QHBoxLayout()
        form = QFormLayout()
        self.fields: dict[str, Any] = {}
        for key, setting in SETTINGS.items():
            self.fields[key] = field_for(setting, DEFAULTS[key], slider=False)
            self.fields[key].setMaximumWidth(140)
            label = QLabel()
            bind(label, "setText", label_of(setting))
            form.addRow(label, self.fields[key])
        row.addLayout(form)
        buttons = QVBoxLayout()
        self.run_button = QPushButton()
        bind(self.run_button, "setText", "Run the test")
        self.run_button.clicked.connect(self.start)
        self.cancel_button = QPushButton()
        bind(self.cancel_button, "setText", "Cancel the test")
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.setEnabled(False)
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        for w in (self.run_button, self.cancel_button, self.progress):
            buttons.addWidget(w)
        buttons.addStretch(1)
        row.addLayout(buttons)
        layout.addLayout(row)
        self.plot_widget = plot_style.make_plot_widget(axisItems={"bottom": plot_style.DecadeAxis("bottom")})
        self.plot = self.plot_widget.getPlotItem()
        plot_style.style_plot(self.plot, tr("Loss against the learning rate"), tr("loss"),
                              tr("learning rate η (log scale)"))
        self.plot.addLegend(offset=(8, -8))   # bottom left: the flat start of the curve is high
        self.plot_widget.setMinimumSize(560, 320)
        layout.addWidget(self.plot_widget, 1)
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.suggestion_grid = QGridLayout()
        layout.addLayout(self.suggestion_grid)
        self.apply_buttons: dict[str, QPushButton] = {}
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout.addWidget(close)
        self.resize(900, 720)

    # -- running -------------------------------------------------------------
    def problem(self) -> str | None:
        """Why the fields cannot be used, in the current language (None: they can)."""
        for widget in self.fields.values():
            if isinstance(widget, NumberField) and not widget.is_valid():
                reason = widget.reason()
                return reason_text(reason) if reason is not None else None
        try:
            check_range(*(self.fields[k].value() for k in ("start_lr", "end_lr", "steps")))
        except ValueError as exc:
            return tr_message(messages.of(exc))
        return None

    def start(self) -> bool:
        """Start the test in a child process (False, with the reason shown, if the fields are wrong)."""
        if self.job is not None:
            return False
        problem = self.problem()
        if problem is not None:
            self._show_error(problem)
            return False
        start, end, steps = (self.fields[k].value() for k in ("start_lr", "end_lr", "steps"))
        self._clear()
        self.progress.setRange(0, int(steps))
        self.progress.setValue(0)
        self.status.setStyleSheet("")
        self.status.setText(tr("Running the range test…"))
        self.job = LRFindJob(self.config, self.data, start, end, steps)
        self.job.start()
        self.run_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self._timer.start()
        return True

    @property
    def running(self) -> bool:
        return self.job is not None

    def cancel(self) -> None:
        """Stop the test (the child is killed if it has not stopped within `CANCEL_GRACE_MS`)."""
        job = self.job
        if job is None:
            return
        job.cancel()
        QTimer.singleShot(CANCEL_GRACE_MS, lambda: job.kill() if job is self.job else None)

    def _poll(self) -> None:
        job = self.job
        if job is None:
            return
        for event in job.messages(0):
            if isinstance(event, LRFindProgress):
                self.progress.setValue(event.done)
            elif isinstance(event, LRFindDone):
                self.show_result(event.result)
            elif isinstance(event, Failed):
                cancelled = event.message.code == CANCELLED.code
                self._show_error(tr_message(event.message), error=not cancelled)
            elif isinstance(event, JobDone):
                self._finish()

    def _finish(self) -> None:
        self._timer.stop()
        if self.job is not None:
            self.job.close()
        self.job = None
        self.run_button.setEnabled(True)
        self.cancel_button.setEnabled(False)

    def done(self, code: int) -> None:
        """QDialog's ``done``: closing the dialog ends a running test's child too."""
        if self.job is not None:
            self.job.kill()
            self._finish()
        super().done(code)

    # -- showing ---------------------------------------------------------------
    def _clear(self) -> None:
        self.plot.clear()
        self.result = None
        while self.suggestion_grid.count():
            item = self.suggestion_grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.apply_buttons = {}

    def _show_error(self, text: str, error: bool = True) -> None:
        self.status.setStyleSheet(f"QLabel {{ color: {ERROR}; }}" if error else "")
        self.status.setText(text)

    def show_result(self, result: Any) -> None:
        """Draw the curve of ``result`` (an `LRFindResult`) and its suggestions with their buttons."""
        self._clear()
        self.result = result
        x = [math.log10(v) for v in result.lrs]
        raw = pg.mkPen(plot_style.visible_color(run_color(0)), width=1)
        raw.setColor(pg.mkColor(run_color(0)).lighter(160))
        self.plot.plot(x, list(result.losses), pen=raw, name=tr("loss (raw)"))
        self.plot.plot(x, list(result.smoothed), pen=pg.mkPen(plot_style.visible_color(run_color(0)), width=3),
                       name=tr("smoothed loss"))
        if len(result.smoothed):   # the interesting part: the start down to the minimum, not the blow-up
            sm = list(result.smoothed)
            best = sm.index(min(sm))
            high = max(sm[: best + 1])
            low = min(min(sm), *list(result.losses)[: best + 1])   # the raw dip before it too
            span = max(high - low, 1e-3)
            self.plot.setYRange(low - 0.1 * span, high + 0.35 * span, padding=0)
        self.progress.setValue(self.progress.maximum())
        status = tr("{steps} of {planned} steps.").format(steps=result.steps, planned=result.planned)
        if result.stop_reason is not None:
            status += " " + tr_message(result.stop_reason)
        if not result.suggestions:
            status += " " + tr_message(TOO_SHORT(steps=result.steps))
        self.status.setStyleSheet("")
        self.status.setText(status)
        for row, (key, s) in enumerate(result.suggestions.items()):
            color = MARK_COLORS.get(key, plot_style.COLORS["text"])
            where = math.log10(s.lr)
            line = pg.InfiniteLine(where, angle=90, pen=pg.mkPen(color, width=2, style=Qt.PenStyle.DashLine),
                                   label=f"η = {s.lr:.2g}", labelOpts={"position": 0.92 - 0.1 * row, "color": color,
                                                                       "fill": plot_style.COLORS["background"]})
            self.plot.addItem(line)
            text = QLabel(f"<span style='color:{color}'>■</span> {tr_message(s.line())}")
            text.setTextFormat(Qt.TextFormat.RichText)
            button = QPushButton(tr("Use η = {lr}").format(lr=f"{s.lr:.2g}"))
            button.clicked.connect(lambda _=False, lr=s.lr: self.lr_chosen.emit(float(f"{lr:.2g}")))
            self.suggestion_grid.addWidget(text, row, 0)
            self.suggestion_grid.addWidget(button, row, 1)
            self.apply_buttons[key] = button
