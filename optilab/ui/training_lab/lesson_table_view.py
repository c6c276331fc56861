"""The lesson table view: one row per run of CS231n lecture 7's lessons (docs/experiments.md#l1 … #transfer).

Shows `TrainingSession.table` once the job ends: the ensemble's members, their mean,
their best and the ensemble; transfer's pre-trained, random-feature and from-scratch
runs; L1's and augmentation's train/test accuracy, gap and near-zero weights.  The
rows come from the core (`optilab.training.regularisers`); this view only formats them.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from optilab.ui.i18n import bind, on_language_changed, tr

#: Column key → title, in the order shown (a column only when some row has it).
COLUMN_TITLES = {
    "run": "Run",
    "frozen": "Frozen layers",
    "pretrain_test_acc": "Pre-training test acc",
    "n_train": "Images",
    "train_acc": "Train acc",
    "test_acc": "Test acc",
    "gap": "Gap",
    "sparsity": "|W| < 0.001",
}
_PERCENT = ("pretrain_test_acc", "train_acc", "test_acc", "gap", "sparsity")


def cell_text(key: str, value: Any) -> str:
    """A cell as shown: percentages with one decimal, "—" where nothing was measured."""
    if value is None:
        return "—"
    if key == "run":
        return tr(str(value))           # a run's label or a summary row, in the window's language
    if key in _PERCENT:
        return f"{100 * value:.1f} %"
    return str(value)


class LessonTableView(QWidget):
    """A table of the lesson's rows and a note saying what they are."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.note = QLabel()
        self.note.setWordWrap(True)
        bind(self.note, "setText", "The table of the lessons of CS231n lecture 7 (l1, augmentation, ensemble, "
                                   "transfer) appears here when one has finished.")
        self.table = QTableWidget(0, 0)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.rows: list[dict[str, Any]] = []
        self.columns: list[str] = []
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.table, 1)
        on_language_changed(self.retranslate)

    def show_rows(self, rows: list[dict[str, Any]]) -> None:
        """Fill the table with ``rows`` (`TrainingSession.table`)."""
        self.rows = list(rows)
        self.columns = [c for c in COLUMN_TITLES if any(c in row for row in rows)]
        self.table.clear()
        self.table.setRowCount(len(rows))
        self.table.setColumnCount(len(self.columns))
        for r, row in enumerate(rows):
            for c, key in enumerate(self.columns):
                self.table.setItem(r, c, QTableWidgetItem(cell_text(key, row.get(key))))
        self.note.setVisible(not rows)    # "appears here when one has finished": not beside the table
        self.retranslate()
        self.table.resizeColumnsToContents()

    def retranslate(self) -> None:
        self.table.setHorizontalHeaderLabels([tr(COLUMN_TITLES[c]) for c in self.columns])
        if "run" in self.columns:                 # run labels and summary rows follow the language
            column = self.columns.index("run")
            for r, row in enumerate(self.rows):
                item = self.table.item(r, column)
                if item is not None:
                    item.setText(cell_text("run", row.get("run")))
