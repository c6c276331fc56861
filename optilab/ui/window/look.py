"""Language and presentation of the main window: language, zoom steps, theme, palette, full screen.

Mixed into `optilab.ui.main_window.MainWindow`.  The scale is applied by
`optilab.ui.presentation` (fonts, docks, the window within the screen).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer

from optilab.ui import settings as store
from optilab.ui.i18n import language, set_language, tr
from optilab.ui.palette import set_palette
from optilab.ui.presentation import (
    apply_font,
    apply_qt_translation,
    apply_theme,
    fit_docks,
    fit_scroll_column,
    fit_to_screen,
    screen_scales,
    step_scale,
)

if TYPE_CHECKING:
    from optilab.ui.main_window import MainWindow



class LookActions:
    """Language, scale, theme, palette and full screen (mixed into `MainWindow`)."""

    def set_language(self: MainWindow, code: str) -> None:
        """Switch every text to language ``code`` ("en", "ko"); the labs keep their state."""
        set_language(code)
        apply_qt_translation(code)
        apply_font(code, self.scale)
        self.language_actions[code].setChecked(True)
        store.set_value(store.LANGUAGE, code)

    def scales(self: MainWindow) -> tuple[float, ...]:
        """The zoom steps offered on this window's screen (those whose layout fits it)."""
        return screen_scales(self)

    def set_scale(self: MainWindow, factor: float, announce: bool = True) -> None:
        """Presentation scale: application font, line widths, markers and both labs together.

        A scale larger than the screen offers (see `scales`) becomes the largest offered; the
        window stays within the screen (a maximised or full-screen window stays so)."""
        old = self.scale
        self.scale = min(float(factor), self.scales()[-1])
        apply_font(language(), self.scale)
        self.surface_pane.set_scale(self.scale)
        QTimer.singleShot(0, self._fit_controls_column)  # once the layouts have the new font
        QTimer.singleShot(0, self._fit_docks)
        self._scale_training_lab(old)
        self.fit_to_screen()
        if announce:
            self.statusBar().showMessage(tr("Scale {percent} %").format(percent=round(self.scale * 100)), 3000)

    def _fit_controls_column(self: MainWindow) -> None:
        fit_scroll_column(self.surface_pane.controls_scroll)

    def _fit_docks(self: MainWindow) -> None:
        # the open lab keeps its minimum width beside the docks
        fit_docks(self, self.scale, self.width() - self.tabs.minimumSizeHint().width() - 12)

    def fit_to_screen(self: MainWindow) -> None:
        """Shrink and move the window so that its frame lies within the screen's available area."""
        fit_to_screen(self)

    def zoom(self: MainWindow, direction: int) -> None:
        """One offered scale step larger (+1) or smaller (−1)."""
        self.set_scale(step_scale(self.scale, direction, self.scales()))

    def set_theme(self: MainWindow, key: str) -> None:
        """"light" or "dark": Qt palette and plot colours."""
        theme = apply_theme(key)
        self.theme = key
        self.surface_pane.set_theme(theme)
        if self.training_pane is not None:
            self.training_pane.set_theme(theme)
        self.theme_actions[key].setChecked(True)

    def set_palette(self: MainWindow, key: str) -> None:
        """Run colours: "colour-blind" (Okabe–Ito) or "high-contrast"."""
        set_palette(key)
        self.surface_pane.recolor_runs()
        if self.training_pane is not None:
            self.training_pane.recolor_runs()
        self.palette_actions[key].setChecked(True)

    def toggle_full_screen(self: MainWindow, on: bool | None = None) -> None:
        """F11: full screen on or off."""
        on = not self.isFullScreen() if on is None else bool(on)
        self.showFullScreen() if on else self.showNormal()
        self.full_screen_action.blockSignals(True)
        self.full_screen_action.setChecked(on)
        self.full_screen_action.blockSignals(False)

