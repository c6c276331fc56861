"""The stability map: a heatmap of one measure over one or two hyperparameters (docs/lessons.md#stability-maps).

Drawn as the 2-D map is (`view_2d`): an `ImageItem` in viridis with a colour
bar, cells centred on their values (on a log axis in log₁₀ of them, the axis
labelled 10ᵏ), the axes titled with the book's symbols (η (lr), μ, β₁, β₂, ρ).
Cells whose run diverged are painted one colour no viridis shade has (red),
cells that never reached the tolerance light grey, both named in the legend
with the ring that marks the run's own setting.  A strip (one
hyperparameter) is one row of cells.  A left click on a cell emits
`cell_clicked(i, j)`; what happens then is the panel's (`stability_panel`).
The controls under the map edit what is mapped (`edited`).
"""

from __future__ import annotations

import html
import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from optilab import optim
from optilab.stability import GRID, StabilityMap
from optilab.surfaces.sampled import spans_decades
from optilab.ui.i18n import on_language_changed, tr
from optilab.ui.palette import COLORMAP, ERROR, OUTLINE

__all__ = ["DIVERGED", "NOT_REACHED", "StabilityView"]

#: Cells whose run diverged: a colour no viridis shade is.
DIVERGED = "#d62728"
#: Cells that never reached the tolerance (the "steps" measure).
NOT_REACHED = "#c8c8c8"
#: The measures, in the menu's order, with their English names.
MEASURE_NAMES = (("loss", "loss after the last step"), ("steps", "steps to reach the tolerance"),
                 ("diverged", "step at which it diverged"))


def _rgba(color: str, alpha: int = 255) -> tuple[int, int, int, int]:
    c = pg.mkColor(color)
    return c.red(), c.green(), c.blue(), alpha


class StabilityView(QWidget):
    """The heatmap, its legend and its controls.  `cell_clicked(i, j)`; `edited(what, value)` with
    ``what`` one of "measure", "y_key", "grid", "x_low", "x_high", "x_log", "y_low", "y_high", "y_log"."""

    cell_clicked = Signal(int, int)
    edited = Signal(str, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plot = pg.PlotWidget(background="w")
        self.plot_item = self.plot.getPlotItem()
        self.plot_item.setMenuEnabled(False)
        self.plot_item.hideButtons()
        self.plot_item.setMouseEnabled(False, False)
        font = QFont()
        font.setPointSize(11)
        for name in ("left", "bottom"):
            axis = self.plot_item.getAxis(name)
            axis.setTextPen("k")
            axis.setPen("k")
            axis.setTickFont(font)
            axis.enableAutoSIPrefix(False)   # μ from 0 to 0.95, not "μ (×0.001)" from 0 to 950
        self.colormap = pg.colormap.get(COLORMAP)
        self.image = pg.ImageItem(axisOrder="col-major")
        self.plot_item.addItem(self.image)
        self.overlay = pg.ImageItem(axisOrder="col-major")    # diverged and not-reached cells
        self.overlay.setZValue(1)
        self.plot_item.addItem(self.overlay)
        self.colorbar = pg.ColorBarItem(values=(0, 1), colorMap=self.colormap, interactive=False, width=18,
                                        colorMapMenu=False)
        self.colorbar.setImageItem(self.image, insert_in=self.plot_item)
        self.mark = pg.ScatterPlotItem(symbol="o", size=18, pen=pg.mkPen("w", width=3), brush=pg.mkBrush(None))
        self.mark_outline = pg.ScatterPlotItem(symbol="o", size=22, pen=pg.mkPen(OUTLINE, width=2),
                                               brush=pg.mkBrush(None))
        for item, z in ((self.mark_outline, 5), (self.mark, 6)):
            item.setZValue(z)
            self.plot_item.addItem(item)
        # The legend: a line of text above the plot (it wraps, and hides no cell).
        self.legend = QLabel()
        self.legend.setWordWrap(True)
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend_names: list[str] = []
        self.map: StabilityMap | None = None
        self.measure = "loss"
        self.log_axes = (False, False)
        self.plot.scene().sigMouseClicked.connect(self._on_click)
        self._build_controls()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.legend)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.controls)
        on_language_changed(self.retranslate)
        self.retranslate()

    # -- controls ----------------------------------------------------------
    def _build_controls(self) -> None:
        self.controls = QWidget()
        grid = QGridLayout(self.controls)
        grid.setContentsMargins(4, 0, 4, 2)
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(2)
        # Compact (about 330 px wide): the tab must not squeeze the 2-D map beside it.
        self.measure_box = QComboBox()
        self.measure_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.measure_box.setMinimumContentsLength(14)
        for key, _name in MEASURE_NAMES:
            self.measure_box.addItem("", key)
        self.measure_box.currentIndexChanged.connect(
            lambda _i: self.edited.emit("measure", self.measure_box.currentData()))
        self.grid_label, self.grid_box = QLabel(), QSpinBox()
        low, high = GRID.rule.low, GRID.rule.high   # type: ignore[union-attr]
        self.grid_box.setRange(int(low), int(high))
        self.grid_box.setKeyboardTracking(False)
        self.grid_box.valueChanged.connect(lambda n: self.edited.emit("grid", int(n)))
        grid.addWidget(self.measure_box, 0, 0, 1, 2)
        grid.addWidget(self.grid_label, 0, 2, Qt.AlignmentFlag.AlignRight)
        grid.addWidget(self.grid_box, 0, 3)
        self.axis_labels: dict[str, QLabel] = {"x": QLabel()}
        self.fields: dict[str, QLineEdit] = {}
        self.logs: dict[str, QCheckBox] = {}
        self.y_box = QComboBox()       # the y axis's hyperparameter, where the x axis has its label
        self.y_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.y_box.setMinimumContentsLength(9)
        self.y_box.activated.connect(lambda _i: self.edited.emit("y_key", self.y_box.currentData()))
        for row, which in ((1, "x"), (2, "y")):
            grid.addWidget(self.axis_labels["x"] if which == "x" else self.y_box, row, 0)
            for col, end in ((1, "low"), (2, "high")):
                edit = self.fields[f"{which}_{end}"] = QLineEdit()
                edit.setMaximumWidth(72)
                edit.editingFinished.connect(lambda w=which, e=end: self._field_done(w, e))
                grid.addWidget(edit, row, col)
            box = self.logs[which] = QCheckBox()
            box.toggled.connect(lambda on, w=which: self.edited.emit(f"{w}_log", bool(on)))
            grid.addWidget(box, row, 3)
        grid.setColumnStretch(0, 1)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.error = QLabel()
        self.error.setStyleSheet(f"color: {ERROR}")
        self.error.setWordWrap(True)
        self.error.setVisible(False)
        grid.addWidget(self.status, 3, 0, 1, 4)
        grid.addWidget(self.error, 4, 0, 1, 4)

    def _field_done(self, which: str, end: str) -> None:
        edit = self.fields[f"{which}_{end}"]
        if not edit.isModified():
            return
        edit.setModified(False)
        try:
            value = float(edit.text())
        except ValueError:
            value = math.nan
        self.edited.emit(f"{which}_{end}", value)

    def show_settings(self, x: tuple[str, float, float, bool], y: tuple[str, float, float, bool] | None,
                      y_choices: list[str], grid: int, measure: str) -> None:
        """Show what is mapped in the controls (no signal is emitted)."""
        widgets = [self.measure_box, self.grid_box, self.y_box, *self.fields.values(), *self.logs.values()]
        for w in widgets:
            w.blockSignals(True)
        self.measure_box.setCurrentIndex(next(i for i, (k, _n) in enumerate(MEASURE_NAMES) if k == measure))
        self.grid_box.setValue(grid)
        self.y_box.clear()
        for key in y_choices:
            self.y_box.addItem(tr(optim.field_label(key)), key)
        self.y_box.addItem(tr("none (a strip)"), "")
        self.y_box.setCurrentIndex(self.y_box.findData(y[0] if y is not None else ""))
        self.axis_labels["x"].setText(tr(optim.field_label(x[0])))
        for which, axis in (("x", x), ("y", y)):
            for end, value in (("low", axis[1] if axis else None), ("high", axis[2] if axis else None)):
                edit = self.fields[f"{which}_{end}"]
                edit.setText("" if value is None else f"{value:g}")
                edit.setEnabled(axis is not None)
            self.logs[which].setChecked(bool(axis and axis[3]))
            self.logs[which].setEnabled(axis is not None)
        for w in widgets:
            w.blockSignals(False)

    def show_status(self, text: str) -> None:
        """The line under the controls (what was computed, or that it is being computed)."""
        self.status.setText(text)

    def show_error(self, text: str) -> None:
        """An inline error under the controls ("" clears it)."""
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def retranslate(self) -> None:
        for i, (_key, name) in enumerate(MEASURE_NAMES):
            self.measure_box.setItemText(i, tr(name))
        self.grid_label.setText(tr("cells per axis"))
        for which in ("x", "y"):
            self.fields[f"{which}_low"].setPlaceholderText(tr("from"))
            self.fields[f"{which}_high"].setPlaceholderText(tr("to"))
            self.logs[which].setText(tr("log"))
        if self.map is not None:
            self.show_map(self.map, self.measure, self.log_axes)

    # -- the map -----------------------------------------------------------
    def _coords(self, values: np.ndarray, log: bool) -> np.ndarray:
        return np.log10(values) if log else np.asarray(values, dtype=float)

    def show_map(self, m: StabilityMap, measure: str, log_axes: tuple[bool, bool]) -> None:
        """Draw map ``m`` coloured by ``measure``, on log₁₀ axes where ``log_axes`` say."""
        self.map, self.measure, self.log_axes = m, measure, log_axes
        values = m.of(measure)
        finite = values[np.isfinite(values)]
        log_colour = measure == "loss" and spans_decades(finite)
        shown = np.log10(values) if log_colour else values
        lo, hi = (float(np.nanmin(shown)), float(np.nanmax(shown))) if finite.size else (0.0, 1.0)
        if hi <= lo:
            hi = lo + 1.0
        self.image.setImage(np.where(np.isfinite(shown), shown, np.nan), levels=(lo, hi), autoLevels=False)
        overlay = np.zeros((*values.shape, 4), dtype=np.uint8)
        overlay[m.diverged] = _rgba(DIVERGED)
        overlay[~m.diverged & ~np.isfinite(values)] = _rgba(NOT_REACHED)
        self.overlay.setImage(overlay, levels=(0, 255), autoLevels=False)
        xs = self._coords(m.x_values, log_axes[0])
        ys = self._coords(m.y_values, log_axes[1]) if m.y_values is not None else np.array([0.5])
        hx = (xs[-1] - xs[0]) / (len(xs) - 1) / 2
        hy = (ys[-1] - ys[0]) / (len(ys) - 1) / 2 if len(ys) > 1 else 0.5
        rect = QRectF(xs[0] - hx, ys[0] - hy, xs[-1] - xs[0] + 2 * hx, ys[-1] - ys[0] + 2 * hy)
        self.image.setRect(rect)
        self.overlay.setRect(rect)
        self.colorbar.setLevels((lo, hi))
        bar = {"loss": tr("log₁₀ f after the last step") if log_colour else tr("f after the last step"),
               "steps": tr("steps to reach f ≤ {tol}").format(tol=f"{m.tol:.3g}"),
               "diverged": tr("step at which it diverged")}[measure]
        self.colorbar.setLabel("left", bar)
        bottom, left = self.plot_item.getAxis("bottom"), self.plot_item.getAxis("left")
        bottom.setLogMode(log_axes[0])
        left.setLogMode(bool(log_axes[1] and m.y_values is not None))
        self.plot_item.setLabel("bottom", tr(optim.field_label(m.x_key)))
        self.plot_item.setLabel("left", tr(optim.field_label(m.y_key)) if m.y_key else "")
        left.setStyle(showValues=m.y_key is not None)
        self.plot_item.setRange(rect=rect, padding=0)
        self._fill_legend(measure)

    def _fill_legend(self, measure: str) -> None:
        m = self.map
        entries = []
        if m is not None:
            if m.diverged.any():
                entries.append((f'<span style="color:{DIVERGED}">■</span>', tr("diverged")))
            if measure == "steps" and (~m.diverged & (m.steps_to_tol < 0)).any():
                entries.append((f'<span style="color:{NOT_REACHED}">■</span>', tr("tolerance not reached")))
            entries.append(("◯", tr("this run's setting")))
        self.legend_names = [text for _mark, text in entries]
        self.legend.setText("&nbsp;&nbsp;&nbsp;".join(f"{mark}&nbsp;{html.escape(text)}" for mark, text in entries))

    def show_mark(self, x: float | None, y: float | None) -> None:
        """Ring the run's own setting (x, y) (y None on a strip; x None: no mark)."""
        m = self.map
        if m is None or x is None or (x <= 0 and self.log_axes[0]):
            self.mark.setData([], [])
            self.mark_outline.setData([], [])
            return
        px = math.log10(x) if self.log_axes[0] else x
        py = 0.5 if m.y_values is None or y is None else math.log10(y) if self.log_axes[1] and y > 0 else y
        self.mark.setData([px], [py])
        self.mark_outline.setData([px], [py])

    def cell_at(self, px: float, py: float) -> tuple[int, int] | None:
        """The cell under plot point (px, py), or None outside the map."""
        m = self.map
        if m is None:
            return None
        rect = self.image.mapRectToParent(self.image.boundingRect())
        if not rect.contains(px, py):
            return None
        nx, ny = m.loss.shape
        i = min(int((px - rect.left()) / rect.width() * nx), nx - 1)
        j = min(int((py - rect.top()) / rect.height() * ny), ny - 1)
        return i, j

    def _on_click(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton or event.double() or event.isAccepted():
            return
        vb = self.plot_item.vb
        pos = event.scenePos()
        if not vb.sceneBoundingRect().contains(pos):
            return
        point = vb.mapSceneToView(pos)
        cell = self.cell_at(float(point.x()), float(point.y()))
        if cell is not None:
            event.accept()
            self.cell_clicked.emit(*cell)
