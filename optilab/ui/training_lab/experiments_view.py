"""Random search view: sortable table, η × λ scatter coloured by validation accuracy, top curves.

The scatter has η along x and λ along y, both over log10 values with one
tick per decade (10⁻⁶ … 10⁻²), never an SI scale factor.

Fed with `RunResult`s as the trials finish; ranks them with the engine's
`search_table` (best validation accuracy first).
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSplitter, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from optilab.training import RunResult, search_table
from optilab.ui.i18n import bind, on_language_changed, tr
from optilab.ui.palette import COLORMAP, run_color
from optilab.ui.training_lab.plot_style import DecadeAxis, label_plot, make_plot_widget, style_plot
from optilab.ui.training_lab.plots import add_legend, fit_legend_columns

#: Rows of the best runs' legend (more runs: more columns).
LEGEND_ROWS = 5
#: Room around the scatter's η and λ ranges, so the end decades keep their tick labels.
SCATTER_PADDING = 0.1

COLUMNS = ("run", "lr", "weight_decay", "val_acc", "train_acc", "test_acc", "status")
#: Column titles (English; η and λ stay as they are).
COLUMN_TITLES = ("run", "η", "λ", "val acc", "train acc", "test acc", "status")
#: Shown words of a run's status (English).
STATUS_TEXTS = {"finished": "finished", "diverged": "diverged", "stopped": "stopped"}


class _NumberItem(QTableWidgetItem):
    """A table cell that sorts by its number, not its text."""

    def __init__(self, value: float | None, text: str) -> None:
        super().__init__(text)
        self.number = -math.inf if value is None else float(value)
        self.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def __lt__(self, other: QTableWidgetItem) -> bool:
        if isinstance(other, _NumberItem):
            return self.number < other.number
        return super().__lt__(other)


class RandomSearchView(QWidget):
    """Table, scatter and the best runs' validation (solid) and train (dashed) curves."""

    def __init__(self, parent: QWidget | None = None, top: int = 20) -> None:
        super().__init__(parent)
        self.top = top
        self.results: list[RunResult] = []
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([tr(t) for t in COLUMN_TITLES])
        self.table.setSortingEnabled(True)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.scatter_widget = make_plot_widget(axisItems={"bottom": DecadeAxis("bottom"),
                                                          "left": DecadeAxis("left")})
        self.scatter_plot = self.scatter_widget.getPlotItem()
        style_plot(self.scatter_plot, "", "", "")
        self.scatter = pg.ScatterPlotItem(size=14, pen=pg.mkPen("#1a1a1a"))
        self.scatter_plot.addItem(self.scatter)
        self.cmap = pg.colormap.get(COLORMAP)
        self.colorbar = pg.ColorBarItem(values=(0, 1), colorMap=self.cmap, label="", interactive=False,
                                        width=14)
        self.colorbar.setImageItem([], insert_in=self.scatter_plot)
        self.curves_widget = make_plot_widget()
        self.curves_plot = self.curves_widget.getPlotItem()
        style_plot(self.curves_plot, "", "", "")
        self.curves_plot.setYRange(0, 1, padding=0.02)
        # Top left: the search's curves start low and rise slowly (at the bottom right it hid them).
        self.curves_legend = add_legend(self.curves_plot, "top-left")
        self.note = QLabel()
        bind(self.note, "setText", "Each dot is a trial, coloured by its validation accuracy: see where the bright "
                                   "dots lie, narrow the ranges there and search again. Click a column title to sort.")
        self.note.setWordWrap(True)
        plots = QSplitter(Qt.Orientation.Horizontal)
        plots.addWidget(self.scatter_widget)
        plots.addWidget(self.curves_widget)
        outer = QSplitter(Qt.Orientation.Vertical)
        outer.addWidget(plots)
        outer.addWidget(self.table)
        outer.setSizes([420, 260])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(outer, 1)
        layout.addWidget(self.note)
        self.retranslate()
        on_language_changed(self.retranslate)

    def retranslate(self) -> None:
        """Column titles, plot labels and status words in the current language (rows and order kept)."""
        self.table.setHorizontalHeaderLabels([tr(t) for t in COLUMN_TITLES])
        label_plot(self.scatter_plot, tr("Validation accuracy over η × λ"), tr("λ (weight decay)"),
                   tr("η (learning rate)"))
        self.colorbar.getAxis("left").setLabel(tr("val acc"))
        label_plot(self.curves_plot, tr("Best runs: validation —— , train - - -"), tr("accuracy"), tr("epoch"))
        column = COLUMNS.index("status")
        for r in range(self.table.rowCount()):
            item = self.table.item(r, column)
            if item is not None:
                item.setText(self._status_text(item.data(Qt.ItemDataRole.UserRole)))

    @staticmethod
    def _status_text(status: str) -> str:
        return tr(STATUS_TEXTS[status]) if status in STATUS_TEXTS else str(status)

    def clear(self, top: int | None = None, lr_range: tuple[float, float] | None = None,
              wd_range: tuple[float, float] | None = None) -> None:
        """Empty the view for a new search; ``lr_range`` / ``wd_range`` (log10 bounds) frame the scatter."""
        if top is not None:
            self.top = top
        if lr_range is not None and wd_range is not None:
            self.scatter_plot.setXRange(*lr_range, padding=SCATTER_PADDING)
            self.scatter_plot.setYRange(*wd_range, padding=SCATTER_PADDING)
        self.results = []
        self.table.setRowCount(0)
        self.scatter.setData([], [])
        self._clear_curves()

    def _clear_curves(self) -> None:
        for item in self.curves_plot.listDataItems():
            self.curves_plot.removeItem(item)
        self.curves_legend.clear()
        self.curves_legend.hide()

    def add_result(self, result: RunResult) -> None:
        """A trial finished: re-rank, refill the table, recolour the scatter, redraw the top curves."""
        self.results.append(result)
        rows = search_table(self.results)
        self.table.setSortingEnabled(False)
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            cells = [
                QTableWidgetItem(str(row["run"])),
                _NumberItem(row["lr"], f"{row['lr']:.3g}"),
                _NumberItem(row["weight_decay"], f"{row['weight_decay']:.3g}"),
            ]
            for key in ("val_acc", "train_acc", "test_acc"):
                v = row[key]
                cells.append(_NumberItem(v, "—" if v is None else f"{v:.1%}"))
            status = QTableWidgetItem(self._status_text(row["status"]))
            status.setData(Qt.ItemDataRole.UserRole, row["status"])
            cells.append(status)
            for c, cell in enumerate(cells):
                self.table.setItem(r, c, cell)
        self.table.setSortingEnabled(True)
        self.table.resizeColumnsToContents()
        lrs = np.array([row["lr"] for row in rows], dtype=float)
        wds = np.array([row["weight_decay"] for row in rows], dtype=float)
        accs = np.array([np.nan if row["val_acc"] is None else row["val_acc"] for row in rows], dtype=float)
        brushes = [pg.mkBrush(self.cmap.map(0.0 if not np.isfinite(a) else float(a), mode="qcolor")) for a in accs]
        self.scatter.setData(x=np.log10(lrs), y=np.log10(wds), brush=brushes,
                             data=[row["run"] for row in rows])
        self._draw_top(rows)

    def _draw_top(self, rows: list[dict]) -> None:
        self._clear_curves()
        by_label = {r.config.label: r for r in self.results}
        for i, row in enumerate(rows[: self.top]):
            res = by_label.get(row["run"])
            if res is None:
                continue
            h = res.history
            epochs = h.eval_iterations / max(res.iters_per_epoch, 1)
            color = run_color(i)
            self.curves_plot.plot(epochs, h.val_acc, pen=pg.mkPen(color, width=2.5), name=row["run"])
            self.curves_plot.plot(epochs, h.train_acc, pen=pg.mkPen(color, width=1.5, style=Qt.PenStyle.DashLine))
        fit_legend_columns(self.curves_legend, LEGEND_ROWS)
