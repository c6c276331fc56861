"""Dialogs: the export chooser (Ctrl+E) and the About text with versions.

The chooser lists the surface lab's exporters of the one registry
(`optilab.exporters.for_view`, pictures registered by `optilab.ui.exports`)
and shows the fields each one reads (`Exporter.options`).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QWidget,
)

from optilab import exporters
from optilab.exporters import Exporter, ExportOptions
from optilab.ui import exports  # noqa: F401 - registers the surface lab's picture exporters
from optilab.ui.i18n import bind, on_language_changed, tr

#: The surface lab's exporters, in menu order (the registry's, read once all are registered).
SURFACE_EXPORTERS: tuple[Exporter, ...] = tuple(exporters.for_view("surface"))
#: Export kind → (menu text, file suffix, file-dialog filter); English, translated when shown.
EXPORT_KINDS: dict[str, tuple[str, str, str]] = {
    e.key: (e.label, e.suffix, e.file_filter) for e in SURFACE_EXPORTERS}
#: The dialog's fields that an exporter may read (`Exporter.options`).
OPTION_FIELDS = ("width", "height", "dpi", "which", "fps")
#: GIF view → menu text.
GIF_VIEW_TEXTS: dict[str, str] = {"2d": "2-D map", "3d": "3-D surface", "both": "Both, side by side"}


@dataclass(frozen=True)
class ExportChoice:
    """What the export dialog asks for."""

    kind: str
    width: int = 1600
    height: int = 1200
    dpi: int = 150
    which: str = "2d"
    fps: int = 10

    @property
    def exporter(self) -> Exporter:
        """The registered exporter of ``kind`` (`exporters.UNKNOWN_EXPORT` when there is none)."""
        return exporters.get(self.kind)

    @property
    def suffix(self) -> str:
        return self.exporter.suffix

    @property
    def file_filter(self) -> str:
        return tr(self.exporter.file_filter)

    def options(self, **extra: object) -> ExportOptions:
        """The options its exporter reads (the others left at their defaults), plus ``extra``
        (``progress``, ``cancel``)."""
        wanted = self.exporter.options
        chosen = {name: getattr(self, name) for name in OPTION_FIELDS if name in wanted}
        return ExportOptions(**chosen, **extra)  # type: ignore[arg-type]


class ExportDialog(QDialog):
    """Choose what to export, and its size, resolution or frame rate."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        bind(self, "setWindowTitle", "Export")
        self.kind = QComboBox()
        for exporter in SURFACE_EXPORTERS:
            self.kind.addItem(tr(exporter.label), exporter.key)
        self.width = QSpinBox()
        self.width.setRange(100, 8000)
        self.width.setValue(1600)
        self.width.setSuffix(" px")
        self.height = QSpinBox()
        self.height.setRange(100, 8000)
        self.height.setValue(1200)
        self.height.setSuffix(" px")
        self.dpi = QSpinBox()
        self.dpi.setRange(72, 1200)
        self.dpi.setValue(150)
        self.which = QComboBox()
        for key, text in GIF_VIEW_TEXTS.items():
            self.which.addItem(tr(text), key)
        self.fps = QSpinBox()
        self.fps.setRange(1, 50)
        self.fps.setValue(10)
        self.labels: dict[str, QLabel] = {}
        form = QFormLayout(self)
        for key, text, widget in (
            ("kind", "Export", self.kind), ("width", "Width", self.width), ("height", "Height", self.height),
            ("dpi", "Resolution (DPI)", self.dpi), ("which", "View", self.which),
            ("fps", "Frames per second", self.fps),
        ):
            label = QLabel()
            bind(label, "setText", text)
            self.labels[key] = label
            form.addRow(label, widget)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.kind.currentIndexChanged.connect(self._update_fields)
        self._update_fields()
        on_language_changed(self.retranslate)

    def retranslate(self) -> None:
        """Combo texts in the current language."""
        for i, exporter in enumerate(SURFACE_EXPORTERS):
            self.kind.setItemText(i, tr(exporter.label))
        for i, text in enumerate(GIF_VIEW_TEXTS.values()):
            self.which.setItemText(i, tr(text))

    def set_kind(self, kind: str) -> None:
        """Select an export kind (a key of `EXPORT_KINDS`)."""
        self.kind.setCurrentIndex(self.kind.findData(kind))

    def _update_fields(self) -> None:
        kind = self.kind.currentData()
        wanted = exporters.get(kind).options
        for key in OPTION_FIELDS:
            self.labels[key].setVisible(key in wanted)
            getattr(self, key).setVisible(key in wanted)
        if "fps" in wanted and self.width.value() > 1600:  # an animation: smaller frames
            self.width.setValue(800)

    def choice(self) -> ExportChoice:
        """What the user chose."""
        return ExportChoice(self.kind.currentData(), self.width.value(), self.height.value(), self.dpi.value(),
                            self.which.currentData(), self.fps.value())


def about_html() -> str:
    """The About text: what optilab is, and the versions of optilab, Qt, PySide6, numpy, pyqtgraph."""
    import numpy
    import pyqtgraph
    import PySide6
    from PySide6.QtCore import qVersion

    from optilab import __version__

    return (
        f"<h3>optilab {__version__}</h3>"
        + "<p>" + tr("Watch neural-network optimizers work: SGD, Momentum, Nesterov, AdaGrad, RMSprop, Adam and "
                     "AdamW on loss surfaces, step by step, with the numbers behind each step.") + "</p>"
        + "<p>" + tr("After the optimizers of “Deep Learning from Scratch”, ch. 6.") + "</p>"
        + "<table>"
        + f"<tr><td>optilab</td><td>{__version__}</td></tr>"
        + f"<tr><td>Qt</td><td>{qVersion()}</td></tr>"
        + f"<tr><td>PySide6</td><td>{PySide6.__version__}</td></tr>"
        + f"<tr><td>numpy</td><td>{numpy.__version__}</td></tr>"
        + f"<tr><td>pyqtgraph</td><td>{pyqtgraph.__version__}</td></tr>"
        + "</table>"
    )
