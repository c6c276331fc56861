"""The settings dock's table sources: the bundled California housing, or a CSV file with its
target column and task (mixed into `SettingsDock` beside `DataSource`).

The columns offered as target are the file's header (`data.csv_table.read_header`: one line
read, no training data loaded); the table itself is read in the worker thread when a run
starts (`pane_table`).
"""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QFileDialog, QHBoxLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget

from optilab import messages
from optilab.data import DataError
from optilab.data.csv_table import read_header
from optilab.data.table import BUNDLED
from optilab.ui.i18n import bind, tr, tr_message
from optilab.ui.training_lab.dock_parts import SOURCE_CSV, SOURCE_HOUSING

HOUSING = "california-housing"
#: The task box: (title, task) — None lets the target column decide.
TASK_CHOICES = (("task from the target column", None), ("regression", "regression"),
                ("classification", "classification"))


class TableSource:
    """The table part of `SettingsDock` (uses its ``source`` box, ``data_note`` and ``_on_edit``)."""

    source: QComboBox

    def _table_rows(self, form: QVBoxLayout) -> None:
        """Add the CSV path, Browse, target and task rows to the Data box (shown for a CSV)."""
        self.source.addItem(tr("California housing (bundled table, regression)"))
        self.source.addItem(tr("CSV table from a file"))
        self.table_row = QWidget()
        rows = QVBoxLayout(self.table_row)
        rows.setContentsMargins(0, 0, 0, 0)
        self.csv_path = QLineEdit()
        bind(self.csv_path, "setPlaceholderText", "CSV file with a header line")
        self.csv_browse = QPushButton()
        bind(self.csv_browse, "setText", "Open CSV…")
        path_row = QHBoxLayout()
        path_row.addWidget(self.csv_path, 1)
        path_row.addWidget(self.csv_browse)
        self.target = QComboBox()
        bind(self.target, "setToolTip", "The column to predict")
        self.task = QComboBox()
        for title, value in TASK_CHOICES:
            self.task.addItem(tr(title), value)
        rows.addLayout(path_row)
        rows.addWidget(self.target)
        rows.addWidget(self.task)
        form.addWidget(self.table_row)
        self.table_row.hide()
        self.csv_browse.clicked.connect(self._browse_csv)
        self.csv_path.editingFinished.connect(lambda: self.set_csv(self.csv_path.text().strip()))
        self.target.currentIndexChanged.connect(self._table_edited)
        self.task.currentIndexChanged.connect(self._table_edited)

    def _retranslate_tables(self) -> None:
        self.source.setItemText(SOURCE_HOUSING, tr("California housing (bundled table, regression)"))
        self.source.setItemText(SOURCE_CSV, tr("CSV table from a file"))
        for i, (title, _value) in enumerate(TASK_CHOICES):
            self.task.setItemText(i, tr(title))

    def _table_edited(self) -> None:
        self._on_edit()   # type: ignore[attr-defined]

    def set_csv(self, path: str, target: str | None = None) -> None:
        """Use the CSV at ``path``: its header fills the target box (``target`` chosen, else the last
        column); a file that cannot be read says why in the data note."""
        self.csv_path.setText(path)
        self.source.setCurrentIndex(SOURCE_CSV)
        self.target.blockSignals(True)
        self.target.clear()
        self._csv_error = ""
        if path:
            try:
                names = read_header(path)
            except DataError as exc:
                self._csv_error = tr_message(messages.of(exc))
            else:
                self.target.addItems(list(names))
                self.target.setCurrentIndex(names.index(target) if target in names else len(names) - 1)
        self.target.blockSignals(False)
        self._on_edit()   # type: ignore[attr-defined]

    def _browse_csv(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, tr("Open a CSV table"), self.csv_path.text(),  # type: ignore[arg-type]
                                              tr("CSV files (*.csv *.csv.gz);;All files (*)"))
        if path:
            self.set_csv(path)

    def table_choice(self) -> tuple[str, str | None, str | None] | None:
        """``(bundled name or CSV path, target, task)`` when a table is the data source, else None."""
        index = self.source.currentIndex()
        if index == SOURCE_HOUSING:
            return HOUSING, None, None
        if index == SOURCE_CSV:
            return self.csv_path.text().strip(), self.target.currentText() or None, self.task.currentData()
        return None

    def _table_enable(self) -> None:
        self.table_row.setVisible(self.source.currentIndex() == SOURCE_CSV)
        is_table = self.source.currentIndex() in (SOURCE_HOUSING, SOURCE_CSV)
        for widget in (self.folder, self.browse, self.download_button):  # type: ignore[attr-defined]
            widget.setVisible(not is_table)

    def table_note(self) -> str | None:
        """The data note for a table source (None for MNIST)."""
        choice = self.table_choice()
        if choice is None:
            return None
        if choice[0] == HOUSING:
            return tr("California housing: 20,640 block groups of the 1990 census (Pace & Barry 1997), 8 "
                      "features, target MedHouseVal in $100,000 ({target}); rows split 70/15/15 %, features "
                      "standardised with the training rows' statistics.").format(target=BUNDLED[HOUSING].target)
        if getattr(self, "_csv_error", ""):
            return self._csv_error
        if not choice[0]:
            return tr("Open a CSV file: a header line, numeric feature columns and a target column.")
        return tr("Rows split 70/15/15 % into training, validation and test; features standardised with the "
                  "training rows' statistics; a numeric target is a regression (MSE), a text one classes.")
