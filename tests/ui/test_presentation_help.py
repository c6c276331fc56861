"""Presentation mode (themes, palettes) and help (lesson guide, About)."""

from __future__ import annotations

import numpy
import pyqtgraph
import PySide6
from PySide6.QtCore import qVersion
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from optilab import __version__, lessons
from optilab.training import experiments
from optilab.ui.i18n import catalog
from optilab.ui.palette import HIGH_CONTRAST, RUN_COLORS

CATALOG = catalog("ko")   # English → Korean of the UI texts


def test_dark_theme_darkens_the_window_and_the_plots(window):
    window.set_theme("dark")
    app = QApplication.instance()
    assert app.palette().color(QPalette.ColorRole.Window).lightness() < 80
    assert window.surface_pane.view_2d.plot.backgroundBrush().color().lightness() < 80
    assert window.surface_pane.view_3d.theme.key == "dark"
    window.set_theme("light")
    assert app.palette().color(QPalette.ColorRole.Window).lightness() > 180
    assert window.surface_pane.view_2d.plot.backgroundBrush().color().lightness() > 240


def test_high_contrast_palette_recolours_every_run_and_keeps_state(window):
    pane = window.surface_pane
    pane.load_lesson("book-figure")
    pane.set_step(9)
    trajectories = list(pane.trajectories)
    window.set_palette("high-contrast")
    assert [r.color for r in pane.runs] == list(HIGH_CONTRAST[:4])
    assert pane.view_2d.line_pen(0).color().name().upper() == HIGH_CONTRAST[0].upper()
    assert pane.step == 9 and all(a is b for a, b in zip(pane.trajectories, trajectories, strict=True))
    window.set_palette("colour-blind")
    assert [r.color for r in pane.runs] == list(RUN_COLORS[:4])


def test_lesson_guide_lists_every_lesson_and_preset_in_the_current_language(window):
    guide = window.show_lesson_guide()
    text = guide.browser.toPlainText()
    for lesson in lessons.LESSONS:
        assert lesson.title in text and lesson.look_at in text
    for name in experiments.names():
        assert experiments.PRESETS[name].shows in text
    window.set_language("ko")
    text = guide.browser.toPlainText()
    assert CATALOG[lessons.LESSONS[0].look_at] in text
    assert CATALOG[experiments.PRESETS["overfit"].shows] in text


def test_about_names_the_versions(window):
    box = window.about()
    text = box.text()
    for version in (__version__, qVersion(), PySide6.__version__, numpy.__version__, pyqtgraph.__version__):
        assert version in text
    box.close()


def test_qt_standard_buttons_follow_the_language(window, qtbot):
    from PySide6.QtWidgets import QDialogButtonBox

    guide = window.show_lesson_guide()
    close = guide.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Close)
    assert close.text().replace("&", "") == "Close"
    window.set_language("ko")
    qtbot.waitUntil(lambda: close.text().replace("&", "") == "닫기", timeout=2000)
