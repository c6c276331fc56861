"""The training-lab pane's exports (CSV, plots, the Ctrl+E menu) and its look (theme, palette)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QFileDialog, QMenu

from optilab.training.export import write_loss_csv
from optilab.ui.i18n import tr
from optilab.ui.palette import palette
from optilab.ui.training_lab.plot_style import COLORS, apply_theme
from optilab.ui.training_lab.plots import export_plot as _export_plot


class ExportsAndLook:
    """Mixed into `TrainingLabPane` (uses its views, results and error line)."""

    # -- exports ---------------------------------------------------------------
    def export_csv(self, path: str | None = None) -> Path | None:
        """Write the runs' loss CSV (the engine's tidy format).  Asks for a name when ``path`` is None."""
        if not self.results:
            self._show_error("Nothing to export yet: train a run first.")
            return None
        if not path:
            path, _ = QFileDialog.getSaveFileName(self, tr("Export loss CSV"), "training.csv", tr("CSV files (*.csv)"))
            if not path:
                return None
        try:
            return write_loss_csv(self.results, path)
        except OSError as exc:
            self._show_raw_error(str(exc))
            return None

    def export_plot(self, which: str, path: str | None = None) -> Path | None:
        """Save plot ``which`` ("loss", "accuracy", "lr", "gradients") as PNG or SVG by the suffix."""
        plots = {**self.curves.plots(), "gradients": self.grad_view.plot}
        if which not in plots:
            raise ValueError(f"unknown plot {which!r}; choose one of: {', '.join(plots)}")
        if not path:
            path, _ = QFileDialog.getSaveFileName(self, tr("Export plot"), f"{which}.png",
                                                  tr("PNG image (*.png);;SVG drawing (*.svg)"))
            if not path:
                return None
        try:
            return _export_plot(plots[which], path)
        except (OSError, ValueError) as exc:
            self._show_raw_error(str(exc))
            return None

    def export_dialog(self) -> QMenu:
        """Ctrl+E on the training tab: the export choices (CSV, each plot) as a menu at the Export
        button; non-blocking, returns the menu shown."""
        menu = self.export_button.menu()
        if menu.parentWidget() is not self.window():     # the popup's transient parent: the top window
            menu.setParent(self.window(), menu.windowFlags())
        menu.popup(self.export_button.mapToGlobal(self.export_button.rect().bottomLeft()))
        return menu

    # -- look ------------------------------------------------------------------------
    def set_theme(self, theme: Any) -> None:
        """Colour every plot for ``theme`` (a `palette.Theme`): dark plots in the dark theme."""
        apply_theme(theme.plot_background, theme.text)
        self.bn_view.retranslate()
        self.recolor_runs()

    def recolor_runs(self) -> None:
        """Give the drawn runs the colours of the current palette (after a palette change)."""
        self._colored_with = (palette(), COLORS["background"])
        self.curves.recolor_runs()

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt name
        """Coming to the front: catch up with a palette changed meanwhile."""
        if self._colored_with != (palette(), COLORS["background"]):
            self.recolor_runs()
        super().showEvent(event)

