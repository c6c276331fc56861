"""Presentation zoom keeps the window on a 1280×800 screen and every text readable (issue #11 item 10).

Runs at the pytest-xvfb screen (1280×800), at 100 % and at the largest zoom offered there.
"""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from optilab.ui.app import share_gl_contexts

share_gl_contexts()

#: The largest zoom a 1280×800 screen offers (declared in presentation.LARGEST_SCALE_AT_1280X800).
LARGEST_AT_1280X800 = 1.5


from tests.helpers_window import isolate_settings as _settings_in  # noqa: E402


@pytest.fixture(scope="module")
def _module_window(qapp, tmp_path_factory):
    """One shown main window for the module (building one takes ~2 s), both labs built."""
    from optilab.ui import MainWindow
    from optilab.ui.app import create_app

    _settings_in(tmp_path_factory.mktemp("zoom"))
    create_app()
    win = MainWindow()
    win.show()
    win.ensure_training_lab()
    for _ in range(20):
        qapp.processEvents()
    yield win
    win.close()
    win.deleteLater()
    qapp.processEvents()


@pytest.fixture
def zoom_window(_module_window, qtbot):
    """The module's window on the 1280×800 screen at 100 %, surface lab open; back to 100 % after."""
    from optilab.ui.presentation import apply_font

    win = _module_window
    geometry = win.screen().geometry()
    if (geometry.width(), geometry.height()) != (1280, 800):
        pytest.skip(f"needs the 1280×800 test screen, not {geometry.width()}×{geometry.height()}")
    win.set_scale(1.0)
    win.tabs.setCurrentIndex(0)
    qtbot.waitExposed(win)
    yield win
    win.set_scale(1.0)
    apply_font("en", 1.0)


def _within_screen(win) -> None:
    area, frame = win.screen().availableGeometry(), win.frameGeometry()
    assert area.contains(frame), f"window {frame.getRect()} leaves the screen {area.getRect()}"


def _shown_width(widget) -> int | None:
    """How much of ``widget``'s width its parents leave on screen (None: none of its height)."""
    from PySide6.QtCore import QPoint, QRect

    shown = QRect(widget.mapToGlobal(QPoint(0, 0)), widget.size())
    parent = widget.parentWidget()
    while parent is not None:
        shown = shown.intersected(QRect(parent.mapToGlobal(QPoint(0, 0)), parent.size()))
        if parent.isWindow():
            break
        parent = parent.parentWidget()
    return shown.width() if shown.height() > 0 and shown.width() > 0 else None


def _clipped(win) -> list[str]:
    """Visible labels, buttons, check boxes and combo boxes whose text is wider than they are
    (unless they elide on purpose and show the whole text as a tooltip)."""
    from PySide6.QtWidgets import QAbstractButton, QCheckBox, QComboBox, QLabel, QStyle

    faults = []
    style = win.style()
    for w in win.findChildren(QAbstractButton) + win.findChildren(QLabel) + win.findChildren(QComboBox):
        if not w.isVisible() or w.width() <= 1:
            continue
        fm = w.fontMetrics()
        if isinstance(w, QComboBox):
            text = w.currentText()
            room = w.width() - style.pixelMetric(QStyle.PixelMetric.PM_ComboBoxFrameWidth, None, w) * 2 - 20
        elif isinstance(w, QLabel):
            if w.wordWrap() or not w.text() or "<" in w.text() or (w.pixmap() is not None and not w.pixmap().isNull()):
                continue
            text, room = w.text(), w.contentsRect().width()
        else:
            text = w.text().replace("&", "")
            if not text:
                continue
            icon = w.iconSize().width() + 4 if not w.icon().isNull() else 0
            box = (style.pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth, None, w) + 4
                   if isinstance(w, QCheckBox) else 8)
            room = w.width() - icon - box
        shown = _shown_width(w)
        if shown is None:  # scrolled out of sight (a long list): not on screen, not clipped
            continue
        room -= w.width() - shown  # a column too narrow for it cuts it at its edge
        need = max(fm.horizontalAdvance(line) for line in text.split("\n"))
        if need > room and not (w.toolTip() and text != w.toolTip()):
            faults.append(f"{type(w).__name__} {text!r}: needs {need} px, has {room}")
    return faults


def test_largest_zoom_offered_at_1280x800_is_150_percent(zoom_window):
    assert zoom_window.scales()[-1] == LARGEST_AT_1280X800
    zoom_window.set_scale(LARGEST_AT_1280X800)
    zoom_window.zoom(+1)
    assert zoom_window.scale == LARGEST_AT_1280X800
    zoom_window.set_scale(2.5)  # asked for more than fits: the largest that fits
    assert zoom_window.scale == LARGEST_AT_1280X800


@pytest.mark.parametrize(("tab", "scale"), [(0, 1.0), (0, LARGEST_AT_1280X800), (1, 1.0), (1, LARGEST_AT_1280X800)])
def test_zoom_keeps_the_window_on_screen_and_texts_whole(zoom_window, qtbot, scale, tab):
    win = zoom_window
    win.tabs.setCurrentIndex(tab)
    win.set_scale(scale)
    qtbot.wait(100)
    _within_screen(win)
    faults = _clipped(win)
    assert not faults, f"{len(faults)} texts clipped at {scale:.0%}:\n" + "\n".join(faults[:12])


def test_zoom_in_never_widens_the_window_and_ctrl_0_restores_the_layout(zoom_window, qtbot):
    win = zoom_window
    win.resize(1270, 760)
    qtbot.wait(50)
    size, minimum = win.size(), win.tabs.minimumSizeHint()
    for _ in range(6):
        win.zoom(+1)
        qtbot.wait(20)
        _within_screen(win)
        assert win.width() <= 1280 and win.height() <= 800
    win.set_scale(1.0)
    qtbot.wait(50)
    assert win.size() == size
    assert win.tabs.minimumSizeHint() == minimum


def test_the_training_dock_widens_with_the_zoom_and_ctrl_0_gives_its_width_back(zoom_window, qtbot):
    win = zoom_window
    win.tabs.setCurrentIndex(1)
    dock = win.settings_dock
    qtbot.waitUntil(dock.isVisible, timeout=2000)
    qtbot.wait(50)
    width = dock.width()
    win.set_scale(LARGEST_AT_1280X800)
    qtbot.wait(100)
    assert dock.width() == pytest.approx(width * LARGEST_AT_1280X800, abs=3)
    _within_screen(win)
    win.set_scale(1.0)
    qtbot.wait(100)
    assert dock.width() == pytest.approx(width, abs=3)


def test_a_maximised_window_stays_maximised_through_the_zoom(zoom_window, qtbot):
    win = zoom_window
    win.showMaximized()
    qtbot.waitUntil(win.isMaximized, timeout=2000)
    for step in (+1, +1, +1, -1, -1, -1):
        win.zoom(step)
        assert win.isMaximized()
        _within_screen(win)
    win.showNormal()
    win.resize(1270, 760)


def test_status_line_scales_with_the_body_text(zoom_window, qtbot):
    """The training lab's bold status line stays at least as large as body text at every zoom."""
    from PySide6.QtWidgets import QApplication

    win = zoom_window
    status = win.training_pane.status_label
    for scale in (1.0, LARGEST_AT_1280X800, 1.0):
        win.set_scale(scale)
        body = QApplication.instance().font().pointSizeF()
        assert body == pytest.approx(11 * scale)
        assert status.font().pointSizeF() >= body - 1e-6


def test_training_plot_fonts_follow_the_zoom(zoom_window):
    import pyqtgraph as pg

    win = zoom_window
    axes = [a for v in win.training_pane.findChildren(pg.GraphicsView) for a in v.items()
            if isinstance(a, pg.AxisItem) and a.style.get("tickFont") is not None]
    assert axes
    before = [a.style["tickFont"].pointSizeF() for a in axes]
    win.set_scale(LARGEST_AT_1280X800)
    after = [a.style["tickFont"].pointSizeF() for a in axes]
    assert after == pytest.approx([b * LARGEST_AT_1280X800 for b in before])
    win.set_scale(1.0)
    assert [a.style["tickFont"].pointSizeF() for a in axes] == pytest.approx(before)


def test_a_stored_scale_that_does_not_fit_starts_at_100_percent(qtbot, tmp_path):
    from optilab.ui import MainWindow, settings
    from optilab.ui.presentation import apply_font

    _settings_in(tmp_path)
    settings.set_value(settings.SCALE, 2.5)
    win = MainWindow()
    qtbot.addWidget(win)
    try:
        assert win.scale == 1.0
        settings.set_value(settings.SCALE, 1.3)
        again = MainWindow()
        qtbot.addWidget(again)
        assert again.scale == pytest.approx(1.3)
    finally:
        apply_font("en", 1.0)


@pytest.mark.parametrize("scale", [1.0, LARGEST_AT_1280X800])
def test_no_column_without_a_horizontal_bar_cuts_its_contents(zoom_window, qtbot, scale):
    """A scroll area that cannot scroll sideways (the surface lab's controls) is as wide as its
    contents: otherwise their right edge (the Apply button, the combo boxes' arrows) is cut."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QScrollArea

    win = zoom_window
    win.set_scale(scale)
    qtbot.wait(100)
    cut = [f"{s.objectName() or type(s.widget()).__name__}: contents {s.widget().width()} px in {s.viewport().width()}"
           for s in win.findChildren(QScrollArea)
           if s.isVisible() and s.widget() is not None
           and s.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff
           and s.widget().width() > s.viewport().width()]
    assert not cut, "\n".join(cut)
