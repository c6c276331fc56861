"""The settings dock's Data box: the source (sample or folder), where the folder came from, and
remembering the choice for the next start (mixed into `SettingsDock`)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
)

from optilab.ui import settings as store
from optilab.ui.i18n import bind, tr
from optilab.ui.training_lab.dock_parts import SOURCE_FOLDER, SOURCE_SAMPLE


class DataSource:
    """The data part of `SettingsDock` (uses its ``_on_edit`` and ``data_spec``)."""

    def _data_group(self) -> QGroupBox:
        box = QGroupBox()
        bind(box, "setTitle", "Data")
        self.data_box = box
        form = QVBoxLayout(box)
        self.source = QComboBox()
        self.source.addItem(tr("Bundled sample (8,000 + 2,000 images)"))
        self.source.addItem(tr("Full MNIST from a folder"))
        self.folder = QLineEdit()
        bind(self.folder, "setPlaceholderText", "folder with the 4 MNIST files")
        self.browse = QPushButton()
        bind(self.browse, "setText", "Browse…")
        self.download_button = QPushButton()
        bind(self.download_button, "setText", "Download MNIST…")
        bind(self.download_button, "setToolTip", "Download the 60,000 + 10,000 images (about 11 MB) into the cache")
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(self.browse)
        self.data_note = QLabel()
        self.data_note.setWordWrap(True)
        form.addWidget(self.source)
        form.addLayout(row)
        form.addWidget(self.download_button)
        self._table_rows(form)     # type: ignore[attr-defined]   # dock_table.TableSource
        form.addWidget(self.data_note)
        self.source.currentIndexChanged.connect(self._source_chosen)
        self.folder.editingFinished.connect(self._folder_typed)
        self.browse.clicked.connect(self._browse)
        self.download_button.clicked.connect(self.download_requested)
        return box


    def set_data_folder(self, folder: str, remember: bool = True) -> None:
        """Use the full MNIST from ``folder`` (e.g. after a download); ``remember``: for the next start."""
        self._origin = "chosen"
        self.folder.setText(folder)
        self.source.blockSignals(True)
        self.source.setCurrentIndex(SOURCE_FOLDER)
        self.source.blockSignals(False)
        if remember and folder:
            store.set_value(store.LAST_DATA_FOLDER, folder)
        self._on_edit()

    def data_folder(self) -> str | None:
        """The MNIST folder the next run reads (None: the bundled sample) — what a scenario stores."""
        spec = self.data_spec()
        return spec.folder or None if spec.kind == "folder" else None


    def _source_chosen(self) -> None:
        if self.source.currentIndex() == SOURCE_SAMPLE:
            store.settings().remove(store.LAST_DATA_FOLDER)   # the sample is the choice now
        elif self.folder.text().strip():
            store.set_value(store.LAST_DATA_FOLDER, self.folder.text().strip())
        self._origin = "chosen"
        self._on_edit()

    def _folder_typed(self) -> None:
        folder = self.folder.text().strip()
        if self.source.currentIndex() == SOURCE_FOLDER and folder:
            self._origin = "chosen"
            store.set_value(store.LAST_DATA_FOLDER, folder)
        self._on_edit()

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, tr("Folder with the MNIST files"), self.folder.text())
        if folder:
            self.set_data_folder(folder)

