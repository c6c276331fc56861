"""Shared helpers for tests that open optilab's main window (import: ``from tests.helpers_window import ...``).

The window fixtures of tests/ui, tests/ui_training and the audits repeated the
same steps: point QSettings and the caches at a temporary folder, start in
English with the default palette, build and show a `MainWindow` at projector
size, and close its dialogs, surface animation and training worker afterwards.
They live here once; each conftest or test module keeps only its fixture
definitions (pytest fixtures are looked up per directory).

Import this module only after ``share_gl_contexts()`` has run (the GL views
share resources; it must precede the QApplication), as the conftests do.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from optilab.ui.main_window import MainWindow

#: The projector size the windows are tested at.
PROJECTOR = (1280, 800)


def isolate_settings(folder: Path, monkeypatch: Any | None = None) -> None:
    """QSettings (native and INI) under ``folder``/config; with ``monkeypatch``, the XDG config and cache
    folders under ``folder`` too."""
    from PySide6.QtCore import QSettings

    if monkeypatch is not None:
        monkeypatch.setenv("XDG_CONFIG_HOME", str(folder / "config"))
        monkeypatch.setenv("XDG_CACHE_HOME", str(folder / "cache"))
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(folder / "config"))


def reset_look() -> None:
    """English, the colour-blind palette and (once a QApplication exists) the light theme at 100 %."""
    from PySide6.QtWidgets import QApplication

    from optilab.ui import i18n, palette

    i18n.set_language("en")
    palette.set_palette("colour-blind")
    if QApplication.instance() is not None:
        from optilab.ui.presentation import apply_font, apply_qt_translation, apply_theme

        apply_qt_translation("en")
        apply_font("en", 1.0)
        apply_theme("light")


def close_window(win: MainWindow) -> None:
    """Stop what a test window may leave running: the animation, a training worker, open dialogs."""
    win.surface_pane.pause()
    if win.training_pane is not None:
        win.training_pane.shutdown()
    for dialog in win.dialogs.values():
        dialog.close()
    if win.error_box is not None:
        win.error_box.close()


@contextmanager
def shown_window(qtbot: Any, training: bool = False, size: tuple[int, int] = PROJECTOR) -> Iterator[MainWindow]:
    """A shown main window at ``size`` (the app's font and icon set), closed down afterwards.

    ``training``: the training lab built and its tab current.
    """
    from optilab.ui import MainWindow
    from optilab.ui.app import create_app

    create_app()
    win = MainWindow()
    qtbot.addWidget(win)
    if training:
        win.tabs.setCurrentWidget(win.ensure_training_lab())
    win.resize(*size)
    win.show()
    qtbot.waitExposed(win)
    try:
        yield win
    finally:
        close_window(win)
