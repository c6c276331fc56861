"""Export actions of the main window: Ctrl+E, the surface lab's exporters, the GIF with progress.

Mixed into `optilab.ui.main_window.MainWindow`.  What can be exported is the
one registry's (`optilab.exporters`, the surface lab's entries listed by the
`optilab.ui.dialogs.ExportDialog`); this module asks for a file, runs the
chosen exporter on the surface lab and reports (`optilab.ui.exports.write_failure`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QApplication, QMenu, QProgressDialog

from optilab.ui import exports
from optilab.ui.dialogs import ExportChoice, ExportDialog
from optilab.ui.i18n import tr

if TYPE_CHECKING:
    from optilab.ui.main_window import MainWindow


class ExportActions:
    """The window's exports (mixed into `MainWindow`)."""

    def grab_picture(self: MainWindow) -> QPixmap:
        """The whole window as a picture, with the 3-D view's frame painted in."""
        return exports.grab_window(self, self.surface_pane)

    def open_export_dialog(self: MainWindow) -> ExportDialog | QMenu:
        """Ctrl+E: the export chooser (non-blocking); on OK, asks for a file and exports.

        On the training tab: the training lab's exports (loss CSV, each plot as PNG/SVG).
        """
        if self.training_pane is not None and self.tabs.currentWidget() is self.training_pane:
            return self.training_pane.export_dialog()
        dialog = self.dialogs.get("export")
        if not isinstance(dialog, ExportDialog):
            dialog = ExportDialog(self)
            self.dialogs["export"] = dialog
            dialog.accepted.connect(lambda: self._export_chosen(dialog.choice()))
        dialog.open()
        return dialog

    def _export_chosen(self: MainWindow, choice: ExportChoice) -> None:
        exporter = choice.exporter
        path = self.ask_path(True, tr(exporter.title), str(Path.home() / exporter.proposed_name), choice.file_filter)
        if path:
            if choice.kind == "gif":
                self.export_gif_with_progress(path, choice.which, choice.fps, choice.width)
            else:
                self.export(choice, path)

    def export(self: MainWindow, choice: ExportChoice, path: str) -> Path | None:
        """Export ``choice.kind`` (a surface-lab exporter of `optilab.exporters`) to ``path``; None on
        failure (told by `show_error`)."""
        try:
            target = choice.exporter(self.surface_pane, path, choice.options())
        except (OSError, ValueError) as exc:
            self.show_error(tr("Export"), exports.write_failure(path, exc))
            return None
        if target is not None:
            self.statusBar().showMessage(tr("Saved {path}").format(path=target), 5000)
        return target

    def export_gif(self: MainWindow, path: str, which: str = "2d", fps: float = 10,
                   progress: Callable[[int, int], object] | None = None, cancel: Callable[[], bool] | None = None,
                   width: int | None = None) -> int:
        """The surface animation as an animated GIF without any dialog; returns the frame count (0: cancelled)."""
        return exports.export_gif(self.surface_pane, path, which, fps, progress, cancel, width)

    def export_gif_with_progress(self: MainWindow, path: str, which: str = "2d", fps: float = 10,
                                 width: int | None = None) -> int:
        """`export_gif` with a progress dialog and Cancel."""
        dialog = QProgressDialog(tr("Rendering the animation…"), tr("Cancel"), 0, 100, self)
        dialog.setWindowTitle(tr("Export"))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)

        def progress(done: int, total: int) -> None:
            dialog.setMaximum(total)
            dialog.setValue(done)
            QApplication.processEvents()

        try:
            frames = self.export_gif(path, which, fps, progress, dialog.wasCanceled, width)
        except (OSError, ValueError) as exc:
            self.show_error(tr("Export"), exports.write_failure(path, exc))
            return 0
        finally:
            dialog.close()
        if frames:
            self.statusBar().showMessage(tr("Saved {path}").format(path=path), 5000)
        else:
            self.statusBar().showMessage(tr("Export cancelled"), 5000)
        return frames

    def export_picture(self: MainWindow, path: str | None = None) -> Path | None:
        """Save the current tab as a PNG (asks for a file name when ``path`` is None)."""
        if not path:
            path = self.ask_path(True, tr("Export picture"), "optilab.png", tr("PNG images (*.png)"))
            if not path:
                return None
        return self.export(ExportChoice("window-png"), path)

    def export_csv(self: MainWindow, path: str | None = None) -> Path | None:
        """Save the surface lab's trajectories as CSV (optimizer,step,x,y,loss)."""
        if not path:
            path = self.ask_path(True, tr("Export trajectories"), "trajectories.csv", tr("CSV files (*.csv)"))
            if not path:
                return None
        return self.export(ExportChoice("csv"), path)
