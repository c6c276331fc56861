"""UI test fixtures: an isolated QSettings location and a ready main window (`tests.helpers_window`)."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from optilab.ui.app import share_gl_contexts

# pyqtgraph caches compiled shader programs globally, not per GL context: every
# test builds a new GLViewWidget, so contexts must share resources.  This has to
# happen before pytest-qt creates the QApplication.
share_gl_contexts()

from tests.helpers_window import isolate_settings, reset_look, shown_window  # noqa: E402


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path, monkeypatch):
    """Point QSettings and caches at a temporary directory."""
    isolate_settings(tmp_path, monkeypatch)


@pytest.fixture(autouse=True)
def _english_light_defaults():
    """Language, palette and theme are process-wide: every test starts and ends in the defaults."""
    from optilab.ui import i18n, palette

    i18n.set_language("en")
    palette.set_palette("colour-blind")
    yield
    reset_look()


@pytest.fixture
def window(qtbot):
    """A shown main window at projector size (the app's font and icon set)."""
    with shown_window(qtbot) as win:
        yield win


@pytest.fixture
def pane(window):
    """The surface lab of a shown main window."""
    return window.surface_pane
