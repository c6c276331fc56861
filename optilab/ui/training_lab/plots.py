"""Curves of the training lab: loss (raw + smoothed), accuracies, learning rate.

The display preparation (smoothing, envelopes, the loss-axis rule) is in
`series`, the look (theme, labels) in `plot_style`.  Plot items are created
once per run and updated with ``setData``; long curves are clipped to the
view and peak-downsampled by pyqtgraph, so an update costs about the same at
100 or 100,000 points drawn.  Each plot has a legend naming every run (it
goes into the exports too).
"""

from __future__ import annotations

import math
import time

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSlider,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from optilab.ui.i18n import bind, on_language_changed, tr
from optilab.ui.palette import run_color
from optilab.ui.training_lab.curve_items import ITEM_STYLES, curve, style_item
from optilab.ui.training_lab.plot_export import export_plot  # noqa: F401 - re-exported
from optilab.ui.training_lab.plot_style import (  # noqa: F401 - legend helpers re-exported (other views)
    AXIS_POINT_SIZE,
    CORNERS,
    LEGEND_CORNERS,
    LEGEND_ROW_COUNTS,
    LEGEND_ROWS,
    add_legend,
    fit_legend_columns,
    label_plot,
    make_plot_widget,
    raise_top,
    style_plot,
    visible_color,
)
from optilab.ui.training_lab.seed_bands import BAND_NOTE, BAND_ROLES, MEAN_ROLES, BandCurves, list_item, make_band
from optilab.ui.training_lab.series import (  # noqa: F401 - re-exported (tests, other views)
    Growable,
    PeakEnvelope,
    RunCurves,
    ema_debiased,
    finite_max,
    loss_axis_top,
    marker_stride,
)

#: While training, the η curve is redrawn at most this often (seconds).
LR_INTERVAL = 0.5
#: The item of a run each plot's legend shows.
LEGEND_ITEMS = {"loss": "smooth", "accuracy": "test", "lr": "lr"}


class CurvesView(QWidget):
    """Loss (left), accuracy (right), learning rate (below), and the run legend.

    `add_run` makes a run's items, `append` feeds it a batch of arrays,
    `set_smoothing` re-smooths every loss curve.  The legend is a list with a
    tick box per run (hide/show) and its colour.
    """

    run_toggled = Signal(int, bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runs: list[RunCurves] = []
        #: Seeds per label (k > 1: one mean line and band per label, `seed_bands`) and the labels' bands.
        self.seeds = 1
        self.bands: dict[str, BandCurves] = {}
        self._dirty: set[int] = set()        # runs with new steps
        self._dirty_evals: set[int] = set()  # runs with new evaluations
        self._lr_drawn_at = 0.0
        self._lr_pending: set[int] = set()   # runs whose η curve waits for its next redraw
        self.smoothing = 0.9
        self.loss_widget = make_plot_widget()
        self.acc_widget = make_plot_widget()
        self.lr_widget = make_plot_widget()
        self.loss_plot = self.loss_widget.getPlotItem()
        self.acc_plot = self.acc_widget.getPlotItem()
        self.lr_plot = self.lr_widget.getPlotItem()
        self._lr_top = 0.0
        for plot in (self.loss_plot, self.acc_plot, self.lr_plot):
            style_plot(plot, "", "", "")
        self._label_plots()
        self.acc_plot.setYRange(0, 1, padding=0.02)
        self.acc_plot.enableAutoRange(axis="y", enable=False)
        self.lr_plot.getAxis("left").enableAutoSIPrefix(False)
        #: The legend inside each plot (one entry per run; exports include it).
        self.plot_legends = {name: add_legend(plot, LEGEND_CORNERS[name]) for name, plot in self.plots().items()}
        # Fixed ranges while training: the x axis spans the planned run from
        # the start and the loss axis runs from 0 to the largest loss seen, so
        # an update redraws the curves, not the axes and their tick texts.
        self._x_end = 0.0
        self._loss_top = 0.0
        self.loss_log = False
        for plot in (self.loss_plot, self.acc_plot, self.lr_plot):
            plot.enableAutoRange(axis="x", enable=False)
        self.loss_plot.enableAutoRange(axis="y", enable=False)
        # The legend: tick to show, untick to hide a run.
        self.legend = QListWidget()
        # Long lines (Korean, long labels) wrap at the " · " separators instead of scrolling sideways.
        self.legend.setWordWrap(True)
        self.legend.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.legend.setResizeMode(QListWidget.ResizeMode.Adjust)
        bind(self.legend, "setToolTip", "Untick a run to hide its curves")
        self.legend.itemChanged.connect(self._legend_changed)
        self.smoothing_slider = QSlider(Qt.Orientation.Horizontal)
        self.smoothing_slider.setRange(0, 99)
        self.smoothing_slider.setValue(round(float(self.smoothing) * 100))
        bind(self.smoothing_slider, "setToolTip", "Debiased moving average of the loss; 0 = raw")
        self.smoothing_label = QLabel()
        self.smoothing_slider.valueChanged.connect(lambda v: self.set_smoothing(v / 100))
        self._update_smoothing_label()

        smooth_row = QHBoxLayout()
        smoothing_title = QLabel()
        bind(smoothing_title, "setText", "Smoothing")
        smooth_row.addWidget(smoothing_title)
        smooth_row.addWidget(self.smoothing_slider, 1)
        smooth_row.addWidget(self.smoothing_label)
        legend_box = QWidget()
        legend_layout = QVBoxLayout(legend_box)
        legend_layout.setContentsMargins(0, 0, 0, 0)
        legend_title = QLabel()
        bind(legend_title, "setText", "Runs (tick to show)")
        legend_layout.addWidget(legend_title)
        legend_layout.addWidget(self.legend, 1)
        legend_layout.addLayout(smooth_row)

        top = QSplitter(Qt.Orientation.Horizontal)
        top.addWidget(self.loss_widget)
        top.addWidget(self.acc_widget)
        bottom = QSplitter(Qt.Orientation.Horizontal)
        bottom.addWidget(self.lr_widget)
        bottom.addWidget(legend_box)
        self.top_splitter, self.bottom_splitter = top, bottom
        outer = QSplitter(Qt.Orientation.Vertical)
        outer.addWidget(top)
        outer.addWidget(bottom)
        outer.setStretchFactor(0, 3)
        outer.setStretchFactor(1, 1)
        outer.setSizes([520, 200])
        self.splitter = outer
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(outer)
        on_language_changed(self.retranslate)

    def _label_plots(self) -> None:
        note = f" — {tr(BAND_NOTE).format(k=self.seeds)}" if self.seeds > 1 else ""
        label_plot(self.loss_plot, tr("Training loss") + note, tr("loss"), tr("iteration"))
        # The line-style key goes under the axis: as the title it was wider
        # than the plot at projector size and pushed the plot's right end off.
        label_plot(self.acc_plot, tr("Accuracy") + note, tr("accuracy"),
                   tr("iteration — train - - -, validation ···, test ——"))
        label_plot(self.lr_plot, tr("Learning rate η") + note, tr("η"), tr("iteration"))

    def retranslate(self) -> None:
        """Plot titles, axis labels and legend lines in the current language (the data stay)."""
        self._label_plots()
        for run in self.runs:
            self._refresh_legend(run)
        named = list(self.bands.values()) if self.bands else self.runs
        for legend in self.plot_legends.values():   # entries in run (or label) order
            for run, (_sample, text) in zip(named, legend.items, strict=False):
                if text.text != tr(run.label):
                    text.setText(tr(run.label))

    # -- runs ------------------------------------------------------------
    def clear(self) -> None:
        """Remove every run, through each item's `PlotItem` (a ViewBox removal leaves it in the plot's lists)."""
        plots = list(self.plots().values())
        items = [*(i for run in self.runs for i in run.items.values()),
                 *(i for band in self.bands.values() for i in band.all_items())]
        for item in items:
            for plot in plots:
                if item in plot.items:
                    plot.removeItem(item)
        self.runs.clear()
        self.bands.clear()
        self._dirty.clear()
        self._dirty_evals.clear()
        self._lr_pending.clear()
        self._lr_top = 0.0
        self._x_end = 0.0
        self._loss_top = 0.0
        self.legend.clear()
        for legend in self.plot_legends.values():
            legend.clear()
            legend.hide()

    def add_run(self, label: str, color_index: int | None = None, iters_per_epoch: int = 1,
                total_iterations: int = 0) -> RunCurves:
        """A new run with its items (raw loss faint, smoothed loss, η, train/val/test accuracy).

        ``total_iterations`` (the planned length) sets the x axis at once;
        with 0 the axis grows with the data.
        """
        self._fit_x(float(total_iterations))
        index = len(self.runs)
        color = visible_color(run_color(index if color_index is None else color_index))
        run = RunCurves(index, label, color, iters_per_epoch,
                        color_index=index if color_index is None else color_index)
        plots = self.plots()
        for role, (plot, width, style, alpha, symbol) in ITEM_STYLES.items():
            run.items[role] = curve(plots[plot], color, width, style, alpha, symbol)
        self.runs.append(run)
        if self.seeds > 1:
            self._add_to_band(run)
            return run
        self._name_in_legends(run.items, label)
        self._add_list_line(self._legend_text(run), color)
        return run

    def _name_in_legends(self, items: dict, label: str) -> None:
        for plot, role in LEGEND_ITEMS.items():
            self.plot_legends[plot].addItem(items[role], tr(label))
            fit_legend_columns(self.plot_legends[plot], LEGEND_ROW_COUNTS[plot])

    def _add_list_line(self, text: str, color: str) -> None:
        self.legend.blockSignals(True)
        self.legend.addItem(list_item(text, color))
        self.legend.blockSignals(False)

    def set_seeds(self, k: int, labels: tuple[str, ...] | list[str] = ()) -> None:
        """Runs repeated over ``k`` seeds per label from the next run on (call after `clear`);
        ``labels`` (the job's, in order) get their line, colour and band at once, so the
        colours and rows follow the experiment's order whichever seed arrives first."""
        self.seeds = max(1, int(k))
        self._label_plots()
        if self.seeds > 1:
            for label in labels:
                self._band_for(label)

    def _add_to_band(self, run: RunCurves) -> None:
        """A seed of ``run.label``: its own items stay hidden; the label's mean and band show it."""
        for item in run.items.values():
            item.setVisible(False)
        band = self._band_for(run.label)
        band.members.append(run)
        run.group = run.label
        if not band.visible:
            band.set_visible(False)

    def _band_for(self, label: str) -> BandCurves:
        band = self.bands.get(label)
        if band is None:
            row = len(self.bands)
            color = visible_color(run_color(row))
            band = BandCurves(row, label, color, row, self.seeds)
            plots = self.plots()
            for role in MEAN_ROLES:
                plot, width, style, alpha, symbol = ITEM_STYLES[role]
                band.items[role] = curve(plots[plot], color, width, style, alpha, symbol)
            for role, plot in BAND_ROLES.items():
                band.bands[role] = make_band(plots[plot], color)
            self.bands[label] = band
            self._name_in_legends(band.items, label)
            self._add_list_line(band.legend_text(), color)
        return band

    def append(self, run: RunCurves, iterations: np.ndarray, loss: np.ndarray, lr: np.ndarray,
               evaluations: list = (), draw: bool = True) -> None:
        """Add a batch of steps and evaluations to ``run``; with ``draw``, refresh its items now
        (else at the next `redraw`)."""
        if len(iterations):
            run.it.extend(iterations)
            run.loss.extend(loss)
            run.lr.extend(lr)
            smooth, run.ema_state = ema_debiased(loss, self.smoothing, run.ema_state)
            run.smooth.extend(smooth)
            run.raw_env.extend(iterations, loss)
            run.smooth_env.extend(iterations, smooth)
            run.lr_env.extend(iterations, lr)
            if not math.isfinite(run.first_loss):
                finite = np.asarray(loss, dtype=np.float64)
                finite = finite[np.isfinite(finite)]
                if finite.size:
                    run.first_loss = float(finite[0])
            run.loss_top = max(run.loss_top, finite_max(loss))
            run.lr_top = max(run.lr_top, finite_max(lr))
            self._dirty.add(run.index)
        if evaluations:
            run.ev_it.extend(np.array([e.iteration for e in evaluations], dtype=np.float64))
            run.train.extend(np.array([e.train_acc for e in evaluations]))
            run.val.extend(np.array([e.val_acc for e in evaluations]))
            run.test.extend(np.array([e.test_acc for e in evaluations]))
            self._dirty_evals.add(run.index)
        if draw:
            self.redraw()

    def redraw(self, force: bool = False) -> None:
        """Hand the runs that got data since the last redraw to their plot items.

        Only what changed is touched, so only those plots repaint: the loss
        curves every time, the accuracy curves when an evaluation arrived,
        and the η curve (a slow, usually flat line) at most every
        `LR_INTERVAL` seconds unless ``force``.
        """
        now = time.monotonic()
        lr_due = force or now - self._lr_drawn_at >= LR_INTERVAL
        for index in sorted(self._dirty):
            run = self.runs[index]
            run.items["raw"].setData(*run.raw_env.xy())
            run.items["smooth"].setData(*run.smooth_env.xy())
        for index in sorted(self._dirty_evals):
            run = self.runs[index]
            x = run.ev_it.view()
            k = marker_stride(len(x))
            for role, values in (("train", run.train.view()), ("val", run.val.view()), ("test", run.test.view())):
                if role == "val" and not run.has_val:
                    continue
                run.items[role].setData(x, values)
                run.items[role + "_m"].setData(x[::k], values[::k])
        if self._dirty:
            self._fit_loss_axis()
            self._fit_x(max((float(r.it.data[r.it.n - 1]) for r in self.runs if r.it.n), default=0.0))
            self._lr_pending |= self._dirty
        if lr_due and self._lr_pending:
            for index in sorted(self._lr_pending):
                run = self.runs[index]
                run.items["lr"].setData(*run.lr_env.xy())
            self._fit_lr_axis()
            self._lr_pending.clear()
            self._lr_drawn_at = now
        for label in {self.runs[i].group for i in self._dirty | self._dirty_evals} - {None}:
            self.bands[label].redraw()
            self._refresh_legend(self.bands[label].members[0])    # its seeds so far: count, mean ± sd
        self._dirty.clear()
        self._dirty_evals.clear()

    def _fit_x(self, end: float) -> None:
        """Widen the shared iteration axis to 0 … ``end`` (never narrows during a run)."""
        if end > self._x_end and math.isfinite(end):
            self._x_end = end
            # Not x-linked: pyqtgraph links by units per pixel, so the narrower
            # accuracy and η plots would cut the end of the run off.
            for plot in (self.loss_plot, self.acc_plot, self.lr_plot):
                plot.setXRange(0, end, padding=0.02)

    def set_loss_scale(self, scale: str) -> None:
        """``"log"``: the loss on a decade axis (`Preset.loss_axis`: a lesson whose final losses
        differ by decades, as the LR schedules' 0.05 against 0.001); ``"linear"``: from 0."""
        self.loss_log = scale == "log"
        self.loss_plot.setLogMode(y=self.loss_log)
        self._loss_top = 0.0
        self.loss_plot.enableAutoRange(axis="y", enable=self.loss_log)   # log: pyqtgraph fits the decades

    def _fit_loss_axis(self) -> None:
        """Loss axis from 0 to a little above the largest finite loss drawn (`loss_axis_top`);
        on a decade axis the decades drawn (`set_loss_scale`)."""
        if self.loss_log:
            return
        top = loss_axis_top([r.first_loss for r in self.runs], [r.loss_top for r in self.runs])
        self._loss_top = raise_top(self.loss_plot, top, self._loss_top, 1.05)

    def _fit_lr_axis(self) -> None:
        """η axis from 0 to a little above the largest rate drawn (so a constant η is a visible line)."""
        self._lr_top = raise_top(self.lr_plot, max((r.lr_top for r in self.runs), default=0.0),
                                  self._lr_top, 1.1)

    def set_status(self, run: RunCurves, status: str, diverged_at: int | None = None) -> None:
        run.status, run.diverged_at = status, diverged_at
        self._refresh_legend(run)

    def set_smoothing(self, beta: float) -> None:
        """Re-smooth every loss curve with weight β (0 = raw)."""
        self.smoothing = min(max(float(beta), 0.0), 0.99)
        for run in self.runs:
            smooth, run.ema_state = ema_debiased(run.loss.view(), self.smoothing)
            run.smooth.clear()
            run.smooth.extend(smooth)
            run.smooth_env.clear()
            run.smooth_env.extend(run.it.view(), smooth)
            run.items["smooth"].setData(*run.smooth_env.xy())
        for band in self.bands.values():
            band.redraw()
        if self.smoothing_slider.value() != round(float(self.smoothing) * 100):
            self.smoothing_slider.blockSignals(True)
            self.smoothing_slider.setValue(round(float(self.smoothing) * 100))
            self.smoothing_slider.blockSignals(False)
        self._update_smoothing_label()

    def set_run_visible(self, index: int, visible: bool) -> None:
        run = self.runs[index]
        run.visible = visible
        for item in run.items.values():
            item.setVisible(visible)
        legend_item = self.legend.item(index)
        want = Qt.CheckState.Checked if visible else Qt.CheckState.Unchecked
        if legend_item is not None and legend_item.checkState() != want:
            self.legend.blockSignals(True)
            legend_item.setCheckState(want)
            self.legend.blockSignals(False)

    def emphasise_accuracy(self, on: bool) -> None:
        """Give the accuracy plot the larger share (train-vs-test lessons)."""
        total = max(sum(self.top_splitter.sizes()), 600)
        self.top_splitter.setSizes([int(total * 0.4), int(total * 0.6)] if on else [total // 2, total // 2])

    def recolor_runs(self) -> None:
        """Give every run the colour of the current palette (after a palette change)."""
        for run in self.runs:
            run.color = visible_color(run_color(run.color_index))
            for role, item in run.items.items():
                style_item(item, role, run.color)
        for band in self.bands.values():
            band.restyle(visible_color(run_color(band.color_index)), style_item)
        lines = list(self.bands.values()) if self.bands else self.runs
        for row, line in enumerate(lines):
            item = self.legend.item(row)
            if item is not None:
                pix = QPixmap(18, 18)
                pix.fill(QColor(line.color))
                item.setIcon(QIcon(pix))
        for legend in self.plot_legends.values():
            legend.update()

    def plots(self) -> dict[str, pg.PlotItem]:
        return {"loss": self.loss_plot, "accuracy": self.acc_plot, "lr": self.lr_plot}

    # -- legend ------------------------------------------------------------
    def _legend_text(self, run: RunCurves) -> str:
        parts = [tr(run.label)]          # an experiment's label in the current language; CSVs keep it
        if run.loss.n:
            parts.append(tr("loss {v:.3g}").format(v=run.smooth.view()[-1]))
        if run.test.n and math.isfinite(run.test.view()[-1]):
            parts.append(tr("test {v:.1%}").format(v=run.test.view()[-1]))
        if run.status == "diverged":
            parts.append(tr("diverged at step {k}").format(k=run.diverged_at))
        elif run.status == "stopped":
            parts.append(tr("stopped"))
        return " · ".join(parts)

    def _refresh_legend(self, run: RunCurves) -> None:
        band = self.bands.get(run.group) if run.group is not None else None
        item = self.legend.item(run.index if band is None else band.row)
        if item is not None:
            text = self._legend_text(run) if band is None else band.legend_text()
            if item.text() != text:
                self.legend.blockSignals(True)
                item.setText(text)
                self.legend.blockSignals(False)

    def refresh_legend(self, run: RunCurves) -> None:
        """Update a run's legend line (final loss and accuracy)."""
        self._refresh_legend(run)

    def _legend_changed(self, item: QListWidgetItem) -> None:
        index = self.legend.row(item)
        visible = item.checkState() == Qt.CheckState.Checked
        if self.bands:                   # a line per label: its mean and band
            list(self.bands.values())[index].set_visible(visible)
            return
        self.set_run_visible(index, visible)
        self.run_toggled.emit(index, visible)

    def _update_smoothing_label(self) -> None:
        self.smoothing_label.setText(f"{self.smoothing:.2f}")
