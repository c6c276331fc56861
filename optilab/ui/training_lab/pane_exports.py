"""The training-lab pane's exports (CSV, plots, the Ctrl+E menu) and its look (theme, palette).

Every export is an exporter of the one registry (`optilab.exporters`, view
"training"): the core's loss CSV and the plots `plot_export` registers.  The
Export menu lists them (`fill_export_menu`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyqtgraph as pg
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMenu

from optilab import exporters, messages
from optilab.exporters import Exporter
from optilab.ui.i18n import bind, tr
from optilab.ui.palette import palette
from optilab.ui.training_lab.plot_export import plot_exporter
from optilab.ui.training_lab.plot_style import COLORS, apply_theme


class ExportsAndLook:
    """Mixed into `TrainingLabPane` (uses its views, results and error line)."""

    # -- exports ---------------------------------------------------------------
    def plot_items(self) -> dict[str, pg.PlotItem]:
        """The plots the exporters picture: "loss", "accuracy", "lr", "gradients"."""
        return {**self.curves.plots(), "gradients": self.grad_view.plot}

    def export_csv(self, path: str | None = None) -> Path | None:
        """Write the runs' loss CSV (the engine's tidy format).  Asks for a name when ``path`` is None."""
        if not self.results:
            self._show_error("Nothing to export yet: train a run first.")
            return None
        return self.export_with(exporters.LOSS_CSV, path)

    def export_plot(self, which: str, path: str | None = None) -> Path | None:
        """Save plot ``which`` ("loss", "accuracy", "lr", "gradients") as PNG or SVG by the suffix."""
        return self.export_with(plot_exporter(which), path)

    def export_with(self, exporter: Exporter, path: str | None = None) -> Path | None:
        """Write ``exporter``'s file (asks for a name when ``path`` is None); the path, None on failure."""
        if not path:
            path, _ = QFileDialog.getSaveFileName(self, tr(exporter.title), exporter.proposed_name,
                                                  tr(exporter.file_filter))
            if not path:
                return None
        try:
            return exporter(self, path)
        except (OSError, ValueError) as exc:
            self._show_raw_error(messages.of(exc))  # translated by its code
            return None

    def fill_export_menu(self, menu: QMenu) -> dict[str, QAction]:
        """Add the training exporters of the registry to ``menu``; their actions by exporter key
        (texts follow the language)."""
        actions: dict[str, QAction] = {}
        for exporter in exporters.for_view("training"):
            action = QAction(menu)
            bind(action, "setText", exporter.label)
            action.triggered.connect(lambda _checked=False, e=exporter: self._export_chosen(e))
            menu.addAction(action)
            actions[exporter.key] = action
        return actions

    def _export_chosen(self, exporter: Exporter) -> Path | None:
        return self.export_csv() if exporter is exporters.LOSS_CSV else self.export_with(exporter)

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

    def showEvent(self, event: Any) -> None:
        """Coming to the front: catch up with a palette changed meanwhile."""
        if self._colored_with != (palette(), COLORS["background"]):
            self.recolor_runs()
        super().showEvent(event)

