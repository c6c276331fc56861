"""Curves of the training lab: loss (raw + smoothed), accuracies, learning rate.

Display preparation only: the debiased EMA that smooths the loss curve
(`ema_debiased`, a pure function, tested) and growable arrays.  Plot items
are created once per run and updated with ``setData``; long curves are
clipped to the view and peak-downsampled by pyqtgraph, so an update costs
about the same at 100 or 100,000 points drawn.
"""

from __future__ import annotations

import math
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyqtgraph as pg
import pyqtgraph.exporters  # noqa: F401 - registers ImageExporter / SVGExporter
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QGraphicsItem,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSlider,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from optilab.fileio import write_atomic
from optilab.ui.i18n import bind, on_language_changed, tr
from optilab.ui.palette import OKABE_ITO, run_color

#: Font size of axis labels and ticks (points): readable on a projector.
AXIS_POINT_SIZE = 11
#: While training, the η curve is redrawn at most this often (seconds).
LR_INTERVAL = 0.5


# -- display preparation (pure) -------------------------------------------------

def ema_debiased(values: np.ndarray, beta: float, state: tuple[float, int] = (0.0, 0)
                 ) -> tuple[np.ndarray, tuple[float, int]]:
    """Exponential moving average with bias correction (as TensorBoard's smoothing).

    s_k = β s_{k−1} + (1 − β) x_k with s_0 = 0, shown as ŝ_k = s_k / (1 − β^k).
    ``state`` = (s, k) after the values seen so far, so a growing curve is
    smoothed incrementally: pass the returned state with the next chunk.
    β = 0 returns the values unchanged.  Vectorised: within a block,
    s_k = β^k (s_0 + (1−β) Σ_{j≤k} β^{−j} x_j), with blocks short enough that
    β^{−j} stays far from overflow.
    """
    x = np.asarray(values, dtype=np.float64)
    s, k = float(state[0]), int(state[1])
    if not 0.0 <= beta < 1.0:
        raise ValueError(f"smoothing must be in [0, 1), got {beta!r}")
    if len(x) == 0:
        return x.copy(), (s, k)
    if beta == 0.0:
        return x.copy(), (float(x[-1]), k + len(x))
    block = max(1, min(len(x), int(200.0 / -math.log10(beta))))
    out = np.empty_like(x)
    for start in range(0, len(x), block):
        chunk = x[start:start + block]
        j = np.arange(1, len(chunk) + 1, dtype=np.float64)
        powers = beta ** j                                   # β^j
        raw = powers * (s + (1.0 - beta) * np.cumsum(chunk / powers))
        out[start:start + len(chunk)] = raw / (1.0 - beta ** (k + j))   # debias: / (1 − β^k)
        s, k = float(raw[-1]), k + len(chunk)
    return out, (s, k)


class Growable:
    """A 1-D float array that grows by doubling; `view()` is the filled part."""

    __slots__ = ("data", "n")

    def __init__(self, capacity: int = 1024) -> None:
        self.data = np.empty(capacity, dtype=np.float64)
        self.n = 0

    def extend(self, values: np.ndarray) -> None:
        m = len(values)
        if self.n + m > len(self.data):
            grown = np.empty(max(2 * len(self.data), self.n + m), dtype=np.float64)
            grown[: self.n] = self.data[: self.n]
            self.data = grown
        self.data[self.n:self.n + m] = values
        self.n += m

    def view(self) -> np.ndarray:
        return self.data[: self.n]

    def clear(self) -> None:
        self.n = 0


class PeakEnvelope:
    """Min and max per bin of a growing series: what a curve of any length needs on screen.

    Points go into bins of consecutive samples, one bin per point while
    there are at most ``max_bins``; beyond that, neighbouring bins merge
    (each bin then covers twice as many points), so appending costs the new
    points plus, rarely, one pass over ``max_bins`` bins, and `xy` returns at
    most 2·``max_bins`` points plus the unfinished bin — the curve drawn stays
    the same size at 10⁶ points as at 10⁴.  As pyqtgraph's "peak"
    downsampling, each bin is drawn at its first x as a vertical stroke from
    its min to its max; NaN is ignored within a bin.
    """

    def __init__(self, max_bins: int = 2048) -> None:
        self.max_bins = int(max_bins)
        self.size = 1                        # points per complete bin (merges double it)
        self._x, self._lo, self._hi = Growable(), Growable(), Growable()
        self._tail_x = np.zeros(0)
        self._tail_y = np.zeros(0)

    def clear(self) -> None:
        self.__init__(self.max_bins)

    def extend(self, x: np.ndarray, y: np.ndarray) -> None:
        """Append points (x increasing)."""
        xs = np.concatenate([self._tail_x, np.asarray(x, dtype=np.float64)])
        ys = np.concatenate([self._tail_y, np.asarray(y, dtype=np.float64)])
        k = len(xs) // self.size
        if k:
            m = k * self.size
            bins = ys[:m].reshape(k, self.size)
            self._x.extend(xs[:m:self.size])
            self._lo.extend(np.fmin.reduce(bins, axis=1))
            self._hi.extend(np.fmax.reduce(bins, axis=1))
        self._tail_x, self._tail_y = xs[k * self.size:], ys[k * self.size:]
        while self._x.n > self.max_bins:
            self._merge()

    def _merge(self) -> None:
        """Pair neighbouring bins (an odd last bin stays as it is)."""
        n = self._x.n
        m = n - n % 2
        x, lo, hi = self._x.view(), self._lo.view(), self._hi.view()
        merged = (x[0:m:2], np.fmin(lo[0:m:2], lo[1:m:2]), np.fmax(hi[0:m:2], hi[1:m:2]))
        rest = (x[m:n].copy(), lo[m:n].copy(), hi[m:n].copy())
        for grow, a, b in zip((self._x, self._lo, self._hi), merged, rest):
            a = a.copy()
            grow.clear()
            grow.extend(a)
            grow.extend(b)
        self.size *= 2

    def xy(self) -> tuple[np.ndarray, np.ndarray]:
        """The points to draw: the data itself while no bins merged, else the envelope."""
        if self.size == 1:
            return (np.concatenate([self._x.view(), self._tail_x]),
                    np.concatenate([self._lo.view(), self._tail_y]))
        n = self._x.n
        x = np.empty(2 * n + len(self._tail_x))
        y = np.empty_like(x)
        x[0:2 * n:2] = x[1:2 * n:2] = self._x.view()
        y[0:2 * n:2] = self._lo.view()
        y[1:2 * n:2] = self._hi.view()
        x[2 * n:], y[2 * n:] = self._tail_x, self._tail_y
        return x, y


def label_plot(plot: pg.PlotItem, title: str, left: str, bottom: str) -> None:
    """Set the title and axis labels of ``plot`` (texts as given: translate them first)."""
    plot.setTitle(f"<span style='font-size:13pt;color:#222'>{title}</span>")
    for name, text in (("left", left), ("bottom", bottom)):
        plot.getAxis(name).setLabel(f"<span style='font-size:{AXIS_POINT_SIZE}pt'>{text}</span>")


def style_plot(plot: pg.PlotItem, title: str, left: str, bottom: str) -> None:
    """Projector-friendly plot: big labels, grid, white background items."""
    label_plot(plot, title, left, bottom)
    font = pg.QtGui.QFont()
    font.setPointSize(AXIS_POINT_SIZE)
    for name in ("left", "bottom"):
        axis = plot.getAxis(name)
        axis.setTickFont(font)
        axis.setPen(pg.mkPen("#333"))
        axis.setTextPen(pg.mkPen("#222"))
        # An axis draws its grid lines across the whole plot, so every curve
        # update repainted it — replaying its tick texts each time was most
        # of a training update's paint cost.  Cached as a pixmap, it is
        # re-rendered only when its range or style changes.
        axis.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
    plot.showGrid(x=True, y=True, alpha=0.25)


def make_plot_widget() -> pg.PlotWidget:
    widget = pg.PlotWidget(background="w")
    widget.setMinimumSize(200, 150)
    return widget


def _curve(plot: pg.PlotItem, color: str, width: float = 2.0, style: Qt.PenStyle = Qt.PenStyle.SolidLine,
           alpha: int = 255, symbol: str | None = None) -> pg.PlotDataItem:
    c = QColor(color)
    c.setAlpha(alpha)
    pen = pg.mkPen(c, width=width, style=style)
    item = pg.PlotDataItem(pen=pen, symbol=symbol, symbolBrush=QColor(color) if symbol else None,
                           symbolPen=None, symbolSize=7)
    item.setDownsampling(auto=True, method="peak")
    item.setClipToView(True)
    plot.addItem(item)
    return item


def export_plot(plot: pg.PlotItem, path: str | os.PathLike[str], width: int = 1600) -> Path:
    """Save ``plot`` as PNG or SVG (by the suffix) through `fileio.write_atomic`."""
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in (".png", ".svg"):
        raise ValueError(tr("Choose a file name ending in .png or .svg"))
    def write(tmp: Path) -> None:
        if suffix == ".png":
            exporter = pg.exporters.ImageExporter(plot)
            exporter.parameters()["width"] = int(width)
            exporter.export(str(tmp))
        else:
            try:
                pg.exporters.SVGExporter(plot).export(str(tmp))
            except ValueError:
                # pyqtgraph 0.14's SVGExporter cannot parse the path syntax Qt 6.11's
                # QSvgGenerator writes ("x,y" pairs expected); render the scene directly.
                _render_svg(plot, str(tmp))

    write_atomic(target, write)
    return target


def _render_svg(plot: pg.PlotItem, path: str) -> None:
    """Draw ``plot`` (its scene rectangle) into an SVG file with Qt's own generator."""
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QPainter
    from PySide6.QtSvg import QSvgGenerator

    rect = plot.sceneBoundingRect()
    generator = QSvgGenerator()
    generator.setFileName(path)
    generator.setSize(rect.size().toSize())
    generator.setViewBox(QRectF(0, 0, rect.width(), rect.height()))
    generator.setTitle(plot.titleLabel.text if hasattr(plot, "titleLabel") else "optilab plot")
    painter = QPainter(generator)
    try:
        painter.fillRect(QRectF(0, 0, rect.width(), rect.height()), QColor("white"))
        plot.scene().render(painter, QRectF(0, 0, rect.width(), rect.height()), rect)
    finally:
        painter.end()


def _raise_top(plot: pg.PlotItem, top: float, drawn: float, margin: float) -> float:
    """Show 0 … ``top``·``margin`` on ``plot``'s y axis when ``top`` is above the ``drawn`` top.

    During a run the axis is only ever raised (its maxima only grow), so it
    changes rarely and the curves repaint without their axis.  Returns the
    top now drawn.
    """
    if top > drawn and math.isfinite(top):
        plot.setYRange(0, top * margin, padding=0)
        return top
    return drawn


def _finite_max(values: np.ndarray) -> float:
    """The largest finite value (0 when there is none)."""
    finite = values[np.isfinite(values)]
    return float(finite.max()) if finite.size else 0.0


# -- one run's curves ----------------------------------------------------------

@dataclass
class RunCurves:
    """A run's data and its plot items (created once, updated with setData)."""

    index: int
    label: str
    color: str
    iters_per_epoch: int = 1
    it: Growable = field(default_factory=Growable)
    loss: Growable = field(default_factory=Growable)
    smooth: Growable = field(default_factory=Growable)
    lr: Growable = field(default_factory=Growable)
    ev_it: Growable = field(default_factory=lambda: Growable(64))
    train: Growable = field(default_factory=lambda: Growable(64))
    val: Growable = field(default_factory=lambda: Growable(64))
    test: Growable = field(default_factory=lambda: Growable(64))
    ema_state: tuple[float, int] = (0.0, 0)
    # What is drawn of the step curves (bounded size at any length).
    raw_env: PeakEnvelope = field(default_factory=PeakEnvelope)
    smooth_env: PeakEnvelope = field(default_factory=PeakEnvelope)
    lr_env: PeakEnvelope = field(default_factory=PeakEnvelope)
    loss_top: float = 0.0                # largest finite loss so far
    lr_top: float = 0.0                  # largest finite η so far
    items: dict[str, pg.PlotDataItem] = field(default_factory=dict)
    visible: bool = True
    status: str = "running"
    diverged_at: int | None = None

    @property
    def has_val(self) -> bool:
        return self.val.n > 0 and bool(np.isfinite(self.val.view()).any())


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
        # Fixed ranges while training: the x axis spans the planned run from
        # the start and the loss axis runs from 0 to the largest loss seen, so
        # an update redraws the curves, not the axes and their tick texts.
        self._x_end = 0.0
        self._loss_top = 0.0
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
        self.smoothing_slider.setValue(int(round(self.smoothing * 100)))
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
        label_plot(self.loss_plot, tr("Training loss"), tr("loss"), tr("iteration"))
        # The line-style key goes under the axis: as the title it was wider
        # than the plot at projector size and pushed the plot's right end off.
        label_plot(self.acc_plot, tr("Accuracy"), tr("accuracy"),
                   tr("iteration — train - - -, validation ···, test ——"))
        label_plot(self.lr_plot, tr("Learning rate η"), tr("η"), tr("iteration"))

    def retranslate(self) -> None:
        """Plot titles, axis labels and legend lines in the current language (the data stay)."""
        self._label_plots()
        for run in self.runs:
            self._refresh_legend(run)

    # -- runs ------------------------------------------------------------
    def clear(self) -> None:
        """Remove every run, through each item's `PlotItem` (a ViewBox removal leaves it in the plot's lists)."""
        plots = list(self.plots().values())
        for run in self.runs:
            for item in run.items.values():
                for plot in plots:
                    if item in plot.items:
                        plot.removeItem(item)
        self.runs.clear()
        self._dirty.clear()
        self._dirty_evals.clear()
        self._lr_pending.clear()
        self._lr_top = 0.0
        self._x_end = 0.0
        self._loss_top = 0.0
        self.legend.clear()

    def add_run(self, label: str, color_index: int | None = None, iters_per_epoch: int = 1,
                total_iterations: int = 0) -> RunCurves:
        """A new run with its items (raw loss faint, smoothed loss, η, train/val/test accuracy).

        ``total_iterations`` (the planned length) sets the x axis at once;
        with 0 the axis grows with the data.
        """
        self._fit_x(float(total_iterations))
        index = len(self.runs)
        color = run_color(index if color_index is None else color_index)
        run = RunCurves(index, label, color, iters_per_epoch)
        run.items["raw"] = _curve(self.loss_plot, color, 1.0, alpha=70)
        run.items["smooth"] = _curve(self.loss_plot, color, 2.5)
        run.items["lr"] = _curve(self.lr_plot, color, 2.0)
        run.items["train"] = _curve(self.acc_plot, color, 2.0, Qt.PenStyle.DashLine, symbol="t")
        run.items["val"] = _curve(self.acc_plot, color, 2.0, Qt.PenStyle.DotLine, symbol="s")
        run.items["test"] = _curve(self.acc_plot, color, 2.5, symbol="o")
        self.runs.append(run)
        item = QListWidgetItem(self._legend_text(run))
        pix = QPixmap(18, 18)
        pix.fill(QColor(color))
        item.setIcon(QIcon(pix))
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked)
        self.legend.blockSignals(True)
        self.legend.addItem(item)
        self.legend.blockSignals(False)
        return run

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
            run.loss_top = max(run.loss_top, _finite_max(loss))
            run.lr_top = max(run.lr_top, _finite_max(lr))
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
            run.items["train"].setData(x, run.train.view())
            if run.has_val:
                run.items["val"].setData(x, run.val.view())
            run.items["test"].setData(x, run.test.view())
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

    def _fit_loss_axis(self) -> None:
        """Loss axis from 0 to a little above the largest finite loss drawn."""
        self._loss_top = _raise_top(self.loss_plot, max((r.loss_top for r in self.runs), default=0.0),
                                    self._loss_top, 1.05)

    def _fit_lr_axis(self) -> None:
        """η axis from 0 to a little above the largest rate drawn (so a constant η is a visible line)."""
        self._lr_top = _raise_top(self.lr_plot, max((r.lr_top for r in self.runs), default=0.0),
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
        if self.smoothing_slider.value() != int(round(self.smoothing * 100)):
            self.smoothing_slider.blockSignals(True)
            self.smoothing_slider.setValue(int(round(self.smoothing * 100)))
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

    def plots(self) -> dict[str, pg.PlotItem]:
        return {"loss": self.loss_plot, "accuracy": self.acc_plot, "lr": self.lr_plot}

    # -- legend ------------------------------------------------------------
    def _legend_text(self, run: RunCurves) -> str:
        parts = [run.label]
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
        item = self.legend.item(run.index)
        if item is not None:
            text = self._legend_text(run)
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
        self.set_run_visible(index, visible)
        self.run_toggled.emit(index, visible)

    def _update_smoothing_label(self) -> None:
        self.smoothing_label.setText(f"{self.smoothing:.2f}")


class GradNormView(QWidget):
    """‖dWᵢ‖ per layer over iterations for the current run (log scale): vanishing gradients."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.widget = make_plot_widget()
        self.plot = self.widget.getPlotItem()
        style_plot(self.plot, "", "", "")
        self.retranslate()
        self.plot.setLogMode(y=True)
        self.plot.addLegend(offset=(-10, 10), labelTextSize="11pt")
        self.note = QLabel()
        bind(self.note, "setText", "Layers whose gradient is orders of magnitude smaller than the others "
                                   "barely learn: vanishing gradients (try sigmoid with std 1 or 0.01).")
        self.note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.widget, 1)
        layout.addWidget(self.note)
        self.layers: dict[str, tuple[Growable, Growable, pg.PlotDataItem]] = {}
        on_language_changed(self.retranslate)

    def retranslate(self) -> None:
        """Title and axis labels in the current language."""
        label_plot(self.plot, tr("Gradient norm per layer ‖dW‖ (latest run)"), tr("‖dW‖"), tr("iteration"))

    def reset(self, layer_names: tuple[str, ...]) -> None:
        self.plot.clear()
        if self.plot.legend is not None:
            self.plot.legend.clear()
        self.layers = {}
        colors = list(OKABE_ITO.values())
        for i, name in enumerate(layer_names):
            item = _curve(self.plot, colors[i % len(colors)], 2.0)
            item.opts["name"] = name
            self.plot.legend.addItem(item, name)
            self.layers[name] = (Growable(256), Growable(256), item)

    def append(self, iteration: int, norms: dict[str, float]) -> None:
        for name, value in norms.items():
            entry = self.layers.get(name)
            if entry is None:
                continue
            xs, ys, item = entry
            xs.extend(np.array([iteration], dtype=np.float64))
            ys.extend(np.array([max(value, 1e-30)]))
            item.setData(xs.view(), ys.view())
