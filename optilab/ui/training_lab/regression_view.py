"""The regression view: what a run on a table's numeric target shows instead of accuracy.

Four plots: RMSE per evaluation (one colour per run; solid test, dashed
validation, dotted training rows) and R² the same way, against epochs; for the
run chosen in the box, the test rows' predicted value against the actual one
(with the line y = x, where a perfect fit lies) and the residual
actual − predicted against the predicted value (with the zero line).  The
numbers come from the Qt-free `optilab.lab.regression`; items are created once
per job and updated with ``setData``.
"""

from __future__ import annotations

import html

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from optilab.data.table import TableData
from optilab.lab.regression import Fit, RegressionCurves, axis_titles
from optilab.ui.i18n import bind, on_language_changed, tr
from optilab.ui.palette import run_color
from optilab.ui.training_lab.plot_style import COLORS, label_plot, register, style_plot

#: Line style per split: the test rows solid, validation dashed, training dotted.
SPLIT_STYLES = {"test": Qt.PenStyle.SolidLine, "val": Qt.PenStyle.DashLine, "train": Qt.PenStyle.DotLine}


class RegressionView(QWidget):
    """RMSE and R² curves of every run; scatter and residuals of the chosen run (module docstring)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.graphics = register(pg.GraphicsLayoutWidget())
        self.rmse_plot = self.graphics.addPlot(row=0, col=0)
        self.r2_plot = self.graphics.addPlot(row=0, col=1)
        self.fit_plot = self.graphics.addPlot(row=1, col=0)
        self.residual_plot = self.graphics.addPlot(row=1, col=1)
        for plot in (self.rmse_plot, self.r2_plot, self.fit_plot, self.residual_plot):
            style_plot(plot, "", "", "")
        self.r2_plot.setYRange(0, 1, padding=0.05)
        self.legend = QLabel()          # the runs' colours, under the plots (a legend box hid the curves)
        self.legend.setWordWrap(True)
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.fit_points = pg.ScatterPlotItem(size=4, pen=None, brush=pg.mkBrush(0, 114, 178, 90))
        self.identity = pg.PlotDataItem(pen=pg.mkPen(COLORS["text"], width=1.5, style=Qt.PenStyle.DashLine))
        self.residual_points = pg.ScatterPlotItem(size=4, pen=None, brush=pg.mkBrush(213, 94, 0, 90))
        self.zero = pg.InfiniteLine(pos=0, angle=0, pen=pg.mkPen(COLORS["text"], width=1.5,
                                                                   style=Qt.PenStyle.DashLine))
        self.fit_plot.addItem(self.fit_points)
        self.fit_plot.addItem(self.identity)
        self.residual_plot.addItem(self.residual_points)
        self.residual_plot.addItem(self.zero)
        self.run_box = QComboBox()
        self.run_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.run_box.currentIndexChanged.connect(self._chosen)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.fit_caption = QLabel()
        row = QHBoxLayout()
        self.run_label = QLabel()
        bind(self.run_label, "setText", "Test rows of:")
        row.addWidget(self.run_label)
        row.addWidget(self.run_box)
        row.addWidget(self.fit_caption, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.graphics, 1)
        layout.addWidget(self.legend)
        layout.addLayout(row)
        layout.addWidget(self.note)
        self.lines: dict[tuple[str, str, str], pg.PlotDataItem] = {}
        self.fits: dict[str, Fit] = {}
        self.table: TableData | None = None
        self.clear()
        on_language_changed(self._label_plots)

    # -- a new job ---------------------------------------------------------------------
    def clear(self, table: TableData | None = None) -> None:
        """Empty plots for a new job on ``table`` (its target's name and units in the axis titles)."""
        for item in self.lines.values():
            item.getViewBox().removeItem(item) if item.getViewBox() is not None else None
        self.lines, self.fits, self.table = {}, {}, table
        self.legend.setText("")
        self._legend_runs: list[tuple[str, str]] = []
        for item in (self.fit_points, self.residual_points):   # hidden while empty (no bounds to take)
            item.clear()
            item.hide()
        self.identity.setData([], [])
        self.run_box.blockSignals(True)
        self.run_box.clear()
        self.run_box.blockSignals(False)
        self.fit_caption.setText("")
        self._label_plots()

    def _label_plots(self) -> None:
        epochs = tr("epoch")
        if self.table is None:
            label_plot(self.rmse_plot, tr("RMSE"), tr("RMSE"), epochs)
            label_plot(self.r2_plot, tr("R²"), tr("R²"), epochs)
            label_plot(self.fit_plot, tr("Predicted against actual (test rows)"), tr("predicted"), tr("actual"))
            label_plot(self.residual_plot, tr("Residuals (test rows)"), tr("residual"), tr("predicted"))
            self.note.setText(tr("Train on a table with a numeric target to see RMSE, R² and the fit here."))
            return
        t = axis_titles(self.table)
        label_plot(self.rmse_plot, tr("RMSE: test ━, validation ╌, training ┈"), t.rmse, epochs)
        label_plot(self.r2_plot, tr("R²: 1 is a perfect fit, 0 the mean"), t.r2, epochs)
        label_plot(self.fit_plot, tr("Test rows: predicted vs actual (╌ y = x)"), t.predicted_short, t.actual)
        label_plot(self.residual_plot, tr("Test rows: actual − predicted"), t.residual, t.predicted)
        self.note.setToolTip(tr("{source}: {n_train} training, {n_val} validation, {n_test} test rows; features "
                             "standardised with the training rows' mean and sd.").format(
            source=tr(self.table.source), n_train=f"{self.table.n_train:,}", n_val=f"{self.table.n_val:,}",
            n_test=f"{self.table.n_test:,}"))
        self.note.setText("")

    # -- live curves ---------------------------------------------------------------------
    def show_curves(self, runs: list[RegressionCurves]) -> None:
        """Update the RMSE and R² lines of ``runs`` (created the first time a run is seen)."""
        for i, run in enumerate(runs):
            color = run_color(i)          # the curves view's colour of the same run
            for split, style in SPLIT_STYLES.items():
                for metric, plot, values in (("rmse", self.rmse_plot, run.rmse[split]),
                                             ("r2", self.r2_plot, run.r2[split])):
                    key = (run.label, metric, split)
                    item = self.lines.get(key)
                    if item is None:
                        width = 2.5 if split == "test" else 1.5
                        name = run.label if (metric, split) == ("rmse", "test") else None
                        item = plot.plot(pen=pg.mkPen(color, width=width, style=style), name=name)
                        self.lines[key] = item
                        if name is not None:
                            self._legend_runs.append((name, color))
                            self.legend.setText("   ".join(
                                f"<span style='color:{c}; font-weight:bold'>━━</span> {html.escape(n)}"
                                for n, c in self._legend_runs))
                    finite = np.isfinite(values)
                    item.setData(run.epochs[finite], values[finite])

    # -- the fit of a finished run ---------------------------------------------------------
    def add_fit(self, fit: Fit) -> None:
        """A finished run's test rows: offered in the box; shown when it is the first."""
        self.fits[fit.label] = fit
        self.run_box.addItem(fit.label)
        if self.run_box.count() == 1:
            self._chosen()

    def show_fit(self, label: str) -> None:
        """Show the fit of run ``label`` (one of those added)."""
        self.run_box.setCurrentIndex(self.run_box.findText(label))
        self._chosen()

    def _chosen(self) -> None:
        fit = self.fits.get(self.run_box.currentText())
        if fit is None:
            return
        keep = np.isfinite(fit.predicted)
        actual, predicted, residual = fit.actual[keep], fit.predicted[keep], fit.residual[keep]
        # The chosen run's own colour (as its curves and the legend), translucent where points pile up.
        color = pg.mkColor(dict(self._legend_runs).get(fit.label, COLORS["text"]))
        color.setAlpha(90)
        self.fit_points.setData(actual, predicted, brush=pg.mkBrush(color))
        self.fit_points.setVisible(bool(len(actual)))
        self.residual_points.setVisible(bool(len(actual)))
        if len(actual):
            low = float(min(actual.min(), predicted.min()))
            high = float(max(actual.max(), predicted.max()))
            self.identity.setData([low, high], [low, high])
        self.residual_points.setData(predicted, residual, brush=pg.mkBrush(color))
        self.fit_caption.setText(tr("{run}: test RMSE {rmse:.3f}, MAE {mae:.3f}, R² {r2:.3f}").format(
            run=fit.label, rmse=fit.rmse, mae=fit.mae, r2=fit.r2))
