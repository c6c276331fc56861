"""UI test fixtures: an isolated QSettings location and a ready main window."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from optilab.ui.app import share_gl_contexts  # noqa: E402

# pyqtgraph caches compiled shader programs globally, not per GL context: every
# test builds a new GLViewWidget, so contexts must share resources.  This has to
# happen before pytest-qt creates the QApplication.
share_gl_contexts()


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path, monkeypatch):
    """Point QSettings and caches at a temporary directory."""
    from PySide6.QtCore import QSettings

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(tmp_path / "config"))
    yield


@pytest.fixture(autouse=True)
def _english_light_defaults():
    """Language, palette and theme are process-wide: every test starts and ends in the defaults."""
    from optilab.ui import i18n, palette

    i18n.set_language("en")
    palette.set_palette("colour-blind")
    yield
    i18n.set_language("en")
    palette.set_palette("colour-blind")
    from PySide6.QtWidgets import QApplication

    if QApplication.instance() is not None:
        from optilab.ui.presentation import apply_font, apply_qt_translation, apply_theme

        apply_qt_translation("en")
        apply_font("en", 1.0)
        apply_theme("light")


@pytest.fixture
def window(qtbot):
    """A shown main window at projector size (the app's font and icon set)."""
    from optilab.ui import MainWindow
    from optilab.ui.app import create_app

    create_app()
    win = MainWindow()
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.surface_pane.pause()
    for dialog in win.dialogs.values():
        dialog.close()
    if win.error_box is not None:
        win.error_box.close()


@pytest.fixture
def pane(window):
    """The surface lab of a shown main window."""
    return window.surface_pane
