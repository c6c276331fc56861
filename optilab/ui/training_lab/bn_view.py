"""The batch-norm view (book figure 6-18): training accuracy per initial weight scale, BN vs no BN.

One small plot per weight scale, in a grid; in each, the run with batch
norm is a solid line and the run without a dashed line, in two fixed
colours (the same in every plot, named in the legend), so 32 runs read as
16 pairs.  A run without batch norm that diverges is the lesson's expected
outcome (`optilab.training.experiments.expected_divergence`): its plot says so, and the status line
counts it as a result, not a failure.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from optilab.training import RunConfig, RunResult
from optilab.training.experiments import (  # noqa: F401 - the rules this view draws, re-exported
    expected_divergence,
    is_bn_comparison,
    pair_by_scale,
)
from optilab.ui.i18n import bind, on_language_changed, tr
from optilab.ui.palette import OKABE_ITO
from optilab.ui.training_lab.plot_style import AXIS_POINT_SIZE, COLORS, label_plot, register, style_plot

#: The two fixed colours and line styles: batch norm, no batch norm.
BN_STYLE = (OKABE_ITO["blue"], Qt.PenStyle.SolidLine)
NO_BN_STYLE = (OKABE_ITO["vermillion"], Qt.PenStyle.DashLine)
#: Plots per row of the grid.
GRID_COLUMNS = 4


def scale_of(cfg: RunConfig) -> float | str:
    """The initial weight scale of a run: its init std, or the init's name (Xavier, He)."""
    return cfg.init


def scale_text(scale: float | str) -> str:
    """1e-4 → "std 0.0001", 0.0631 → "std 0.063"; an init name as it is."""
    return tr("std {v}").format(v=f"{scale:.2g}") if isinstance(scale, float) else str(scale)


class BatchNormView(QWidget):
    """A grid of small plots, one per weight scale (see the module docstring)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.configs: list[RunConfig] = []
        self.groups: list[tuple[float | str, list[int]]] = []
        self.plots: list[pg.PlotItem] = []
        self.curves: dict[int, pg.PlotDataItem] = {}
        self.diverged: set[int] = set()
        self.graphics = register(pg.GraphicsLayoutWidget())
        self.note = QLabel()
        self.note.setWordWrap(True)
        bind(self.note, "setText", "Training accuracy per initial weight std: with batch norm (solid) the net "
                                   "learns at almost every scale; without it (dashed) most scales stay near 10 % "
                                   "or diverge.")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.graphics, 1)
        layout.addWidget(self.note)
        self.legend: pg.LegendItem | None = None
        on_language_changed(self.retranslate)

    def prepare(self, configs: Sequence[RunConfig]) -> None:
        """Empty plots for the runs of ``configs`` (one per weight scale)."""
        self.graphics.clear()
        self.configs = list(configs)
        self.groups = pair_by_scale(self.configs)
        self.plots, self.curves, self.diverged = [], {}, set()
        n_rows = math.ceil(len(self.groups) / GRID_COLUMNS)
        epochs = max((c.epochs or 0.0) for c in self.configs) if self.configs else 0.0
        font = pg.QtGui.QFont()
        font.setPointSize(AXIS_POINT_SIZE - 2)
        for k in range(len(self.groups)):
            row, col = divmod(k, GRID_COLUMNS)
            plot = self.graphics.addPlot(row=row, col=col)
            style_plot(plot, "", "", "")
            for axis in ("left", "bottom"):
                plot.getAxis(axis).setTickFont(font)
            plot.setYRange(-0.08, 1.08, padding=0)     # room for the 0 and 1 tick labels
            plot.enableAutoRange(axis="y", enable=False)
            if epochs:
                plot.setXRange(0, epochs, padding=0.02)
            plot.setMouseEnabled(x=False, y=False)
            plot.getAxis("left").setTicks([[(0.0, "0"), (0.5, "0.5"), (1.0, "1")]])
            self.plots.append(plot)
            if row < n_rows - 1 and k + GRID_COLUMNS < len(self.groups):
                plot.getAxis("bottom").setStyle(showValues=False)
            if col:
                plot.getAxis("left").setStyle(showValues=False)
        # The key below the grid (inside a plot this small it covered the curves).
        self.legend = pg.LegendItem(labelTextSize=f"{AXIS_POINT_SIZE}pt", labelTextColor=COLORS["text"],
                                    colCount=2, horSpacing=40)
        for text, (color, style) in ((tr("batch norm"), BN_STYLE), (tr("no batch norm"), NO_BN_STYLE)):
            sample = pg.PlotDataItem(pen=pg.mkPen(color, width=2.5, style=style))
            self.legend.addItem(sample, text)
        self.graphics.addItem(self.legend, row=n_rows, col=0, colspan=GRID_COLUMNS)
        self.graphics.ci.layout.setRowMaximumHeight(n_rows, 2 * AXIS_POINT_SIZE + 16)
        self.retranslate()

    def add_result(self, index: int, result: RunResult) -> None:
        """Draw run ``index`` of the job: its training accuracy per epoch in its scale's plot."""
        k = next((k for k, (_s, runs) in enumerate(self.groups) if index in runs), None)
        if k is None:
            return
        color, style = BN_STYLE if result.config.batchnorm else NO_BN_STYLE
        h = result.history
        epochs = h.eval_iterations / max(result.iters_per_epoch, 1)
        item = self.plots[k].plot(epochs, h.train_acc, pen=pg.mkPen(color, width=2.5, style=style))
        self.curves[index] = item
        if result.status == "diverged":
            self.diverged.add(index)
        self._title(k)

    def _title(self, k: int) -> None:
        scale, runs = self.groups[k]
        title = scale_text(scale)
        if any(i in self.diverged and not self.configs[i].batchnorm for i in runs):
            title += " · " + tr("no BN diverged")
        bottom = tr("epoch") if k + GRID_COLUMNS >= len(self.groups) else ""
        left = tr("train acc") if k % GRID_COLUMNS == 0 else ""
        label_plot(self.plots[k], title, left, bottom, title_pt=AXIS_POINT_SIZE - 1)

    def retranslate(self) -> None:
        """Titles, axis labels and legend in the current language (the curves stay)."""
        for k in range(len(self.plots)):
            self._title(k)
        if self.legend is not None:
            for (_sample, label), text in zip(self.legend.items, (tr("batch norm"), tr("no batch norm")), strict=False):
                label.setText(text, color=COLORS["text"])
