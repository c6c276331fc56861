"""The surface lab's `Trail` paths: partial repaints must draw what a full repaint draws.

A frame invalidates only the rectangle around the segments it adds; these
tests read the real screen (Xvfb's framebuffer) after many such partial
repaints and compare it with a full repaint of the same state.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QGuiApplication, QImage

from optilab.ui.surface_lab.trail import _thin


def _screen_pixels(window, widget) -> np.ndarray:
    """What the X server shows of ``widget`` (not a fresh render): H×W×4 uint8."""
    top = widget.mapTo(window, widget.rect().topLeft())
    image = QGuiApplication.primaryScreen().grabWindow(
        window.winId(), top.x(), top.y(), widget.width(), widget.height()
    ).toImage().convertToFormat(QImage.Format.Format_RGB32)
    raw = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine())
    return raw[:, : image.width() * 4].reshape(image.height(), image.width(), 4).copy()


@pytest.mark.parametrize("key", ["book-figure", "adam-bias-correction", "saddle-escape", "lr-too-large"])
def test_partial_repaints_leave_the_picture_of_a_full_repaint(window, pane, qtbot, key):
    pane.load_lesson(key)
    viewport = pane.view_2d.plot.viewport()
    pane.set_step(0)
    qtbot.wait(20)
    # Forward through the run and part of the way back, a repaint per frame.
    viewport.repaint()
    for k in list(range(pane.steps + 1)) + list(range(pane.steps, pane.steps // 3, -3)):
        pane.set_step(k)
        QGuiApplication.processEvents()
    QGuiApplication.processEvents()
    partial = _screen_pixels(window, viewport).astype(int)
    viewport.repaint()
    QGuiApplication.processEvents()
    full = _screen_pixels(window, viewport).astype(int)
    assert full.std() > 20  # a real picture, not a blank one
    diff = np.abs(partial - full).max(axis=2)
    # Identical but for antialiasing at the repainted rectangles' edges (≤ 3/255
    # seen); a missing or stale segment or dot would differ by far more.
    assert diff.max() <= 8, f"{(diff > 8).sum()} pixels differ, up to {diff.max()}"


class _PaintRegions(QObject):
    """Records the region of every paint event of a widget (Qt's own bookkeeping)."""

    def __init__(self) -> None:
        super().__init__()
        self.areas: list[int] = []

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Type.Paint:
            r = event.region().boundingRect()
            self.areas.append(r.width() * r.height())
        return False


def test_a_late_frame_repaints_a_small_part_of_the_map(window, pane, qtbot):
    pane.load_lesson("adagrad-stall")
    pane.set_steps(1000)
    viewport = pane.view_2d.plot.viewport()
    for k in (899, 900):
        # The window settles: the view's matrix is updated lazily at the first
        # paint, and the repaint that causes is processed one pass later.
        pane.set_step(k)
        QGuiApplication.processEvents()
        QGuiApplication.processEvents()
    spy = _PaintRegions()
    viewport.installEventFilter(spy)
    try:
        for k in range(901, 911):
            pane.set_step(k)
            QGuiApplication.processEvents()
    finally:
        viewport.removeEventFilter(spy)
    assert spy.areas, "the frames caused no repaint"
    full = viewport.width() * viewport.height()
    # The runs have converged: each frame touches a few small squares.
    assert max(spy.areas) < 0.1 * full


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.floats(-5, 5), st.floats(-5, 5)), min_size=1, max_size=80),
    st.floats(0.01, 1.0),
    st.integers(1, 80),
)
def test_thinning_keeps_every_dropped_point_near_a_kept_one_and_is_prefix_stable(points, tol, n):
    x = np.array([p[0] for p in points])
    y = np.array([p[1] for p in points])
    keep = _thin(x, y, tol, tol)
    assert keep[0] == 0 and np.all(np.diff(keep) > 0)
    # Every dropped point lies within tol (per axis) of the last kept point before it.
    last = 0
    kept = set(keep.tolist())
    for i in range(len(x)):
        if i in kept:
            last = i
        else:
            assert abs(x[i] - x[last]) <= tol and abs(y[i] - y[last]) <= tol
    # A prefix of the path keeps exactly the whole path's kept points below its end.
    n = min(n, len(x))
    np.testing.assert_array_equal(_thin(x[:n], y[:n], tol, tol), keep[keep < n])


def test_thinning_collapses_a_converged_run():
    # 1000 steps that shrink geometrically onto the minimum.
    k = np.arange(1000)
    x, y = 7.0 * 0.9 ** k, 2.0 * (-0.8) ** k
    keep = _thin(x, y, 0.01, 0.01)
    assert len(keep) < 100
    assert keep[-1] < 200  # nothing after the run reached the minimum's pixel


def test_after_a_zoom_partial_repaints_still_match_a_full_one(window, pane, qtbot):
    # The padding of the repainted rectangles is in pixels: a zoom must renew it.
    pane.load_lesson("momentum-overshoot")
    viewport = pane.view_2d.plot.viewport()
    pane.set_step(0)
    pane.view_2d.plot_item.vb.scaleBy((0.4, 0.4))
    viewport.repaint()
    for k in range(pane.steps + 1):
        pane.set_step(k)
        QGuiApplication.processEvents()
    partial = _screen_pixels(window, viewport).astype(int)
    viewport.repaint()
    QGuiApplication.processEvents()
    full = _screen_pixels(window, viewport).astype(int)
    assert np.abs(partial - full).max() <= 8
