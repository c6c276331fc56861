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
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(tmp_path / "config"))
    yield


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


@pytest.fixture
def pane(window):
    """The surface lab of a shown main window."""
    return window.surface_pane
