"""The surface lab's views as a class sees them on a projector (issue #11 items 3 and 11).

Each check compares the picture with numbers worked out here: the WCAG
contrast formula, the bowl's and saddle's gradients by hand, the lesson's
own recorded points mapped to the scene.  One shown pane is shared by the
module (building one costs seconds).
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

pytest.importorskip("PySide6")

from optilab.ui.app import share_gl_contexts

share_gl_contexts()

from PySide6.QtCore import QPointF  # noqa: E402
from PySide6.QtGui import QColor  # noqa: E402

from optilab import lessons  # noqa: E402
from optilab.ui import palette  # noqa: E402


@pytest.fixture(scope="module")
def pane(qapp):
    from optilab.ui.surface_lab.pane import SurfaceLabPane

    p = SurfaceLabPane()
    p.resize(1280, 760)
    p.show()
    qapp.processEvents()
    yield p
    p.pause()
    p.close()
    p.deleteLater()
    qapp.processEvents()


# -- palette -----------------------------------------------------------------------------

def _linear(c: float) -> float:
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _luminance(hex_color: str) -> float:
    r, g, b = (_linear(int(hex_color[i:i + 2], 16) / 255) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(a: str, b: str) -> float:
    lo, hi = sorted((_luminance(a), _luminance(b)))
    return (hi + 0.05) / (lo + 0.05)


def _lab(hex_color: str) -> tuple[float, float, float]:
    r, g, b = (_linear(int(hex_color[i:i + 2], 16) / 255) for i in (1, 3, 5))
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883
    f = [t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116 for t in (x, y, z)]
    return 116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])


@pytest.mark.parametrize("key", list(palette.PALETTES))
def test_run_palettes_read_on_both_themes_and_stay_apart(key):
    colors = palette.PALETTES[key][1]
    for theme in palette.THEMES.values():
        for c in colors:
            assert _contrast(c, theme.plot_background) >= 3.0, (key, c, theme.key)
    for a, b in itertools.combinations(colors, 2):
        assert math.dist(_lab(a), _lab(b)) >= 25.0, (key, a, b)      # CIE76 ΔE


# -- legend ------------------------------------------------------------------------------

@pytest.mark.parametrize("scale", [1.0, 1.5])
@pytest.mark.parametrize("key", lessons.keys())
def test_the_legend_covers_no_trajectory_point(pane, qapp, key, scale):
    pane.set_scale(scale)                    # 1.5: presentation zoom, a bigger legend, a smaller map
    pane.load_lesson(key)
    view = pane.view_2d
    for k in (0, pane.steps):
        pane.set_step(k)
        qapp.processEvents()
        rect = view.legend.sceneBoundingRect()
        vb = view.plot_item.vb
        for i, t in enumerate(pane.trajectories):
            if not view._lines[i].isVisible():
                continue
            n = min(k, t.last_step) + 1
            # The drawn points and the segments between them (sampled every tenth).
            s = np.linspace(0, 1, 10, endpoint=False)[:, None]
            xs, ys = t.x[:n], t.y[:n]
            if n > 1:
                xs = np.concatenate([(xs[:-1] + s * np.diff(xs)).ravel(), xs[-1:]])
                ys = np.concatenate([(ys[:-1] + s * np.diff(ys)).ravel(), ys[-1:]])
            for x, y in zip(xs, ys, strict=False):
                if not (math.isfinite(x) and math.isfinite(y)):
                    continue
                p = vb.mapViewToScene(QPointF(float(x), float(y)))
                assert not rect.contains(p), (key, k, i, x, y)
    pane.set_scale(1.0)


# -- arrows ------------------------------------------------------------------------------

def test_gradient_and_velocity_arrows_have_heads_and_differ(pane, qapp):
    pane.load_lesson("momentum-overshoot")
    pane.set_arrows(True, True)
    pane.set_step(3)
    qapp.processEvents()
    view = pane.view_2d
    i = 2                                              # Momentum μ = 0.9
    grad, vel = view.arrows(i)
    assert grad.isVisible() and vel.isVisible()
    t = pane.trajectories[i]
    # −g on the bowl x²/20 + y² at the step-3 point, by hand.
    x, y = float(t.x[3]), float(t.y[3])
    (gx0, gy0), (gx1, gy1) = grad.vector()
    assert (gx0, gy0) == (x, y)
    minus_g = np.array([-x / 10, -2 * y])
    d = np.array([gx1 - gx0, gy1 - gy0])
    assert np.dot(d, minus_g) / (np.linalg.norm(d) * np.linalg.norm(minus_g)) == pytest.approx(1.0, abs=1e-9)
    # A real head: a triangle ending at the tip.
    head = grad.head_polygon(QPointF(0, 0), QPointF(100, 0))
    assert head.size() == 3 and head[0] == QPointF(100, 0) and abs(head[1].y() - head[2].y()) > 4
    # Different style and colour.
    assert grad.pen.style() != vel.pen.style()
    assert grad.pen.color().name() != vel.pen.color().name()
    # Both are named in the legend.
    names = [label.text for _, label in view.legend.items]
    assert any("−g" in n for n in names) and any(n.startswith("v") for n in names)
    pane.set_arrows(False, False)


# -- z-order and axis names ----------------------------------------------------------------

def test_gd_is_drawn_above_sgd_and_the_axes_can_say_w_and_b(pane, qapp):
    pane.load_lesson("gd-vs-sgd")
    pane.set_step(0)
    qapp.processEvents()
    view = pane.view_2d
    lines = view._lines[:3]
    assert lines[0].zValue() > max(line.zValue() for line in lines[1:])
    assert view._outlines[0].zValue() > max(o.zValue() for o in view._outlines[1:3])
    # At step 0 the three current points coincide: the one seen is GD's.
    sx, sy = pane.start
    pos = view.view_to_widget(sx, sy)
    image = view.plot.grab().toImage()
    seen = QColor(image.pixel(pos.x(), pos.y()))
    gd = QColor(pane.runs[0].color)
    others = [QColor(r.color) for r in pane.runs[1:3]]

    def dist(a, b):
        return math.dist((a.red(), a.green(), a.blue()), (b.red(), b.green(), b.blue()))

    assert dist(seen, gd) < min(dist(seen, o) for o in others)
    view.set_axis_names("w", "b")
    pane.view_3d.set_axis_names("w", "b")
    pane.numbers.set_axis_names("w", "b")
    assert view.plot_item.getAxis("bottom").labelText == "w"
    assert view.plot_item.getAxis("left").labelText == "b"
    assert [item.text for item in pane.view_3d._axis_labels] == ["w", "b"]
    assert "(w, b)" in pane.numbers.toPlainText()
    for v in (view, pane.view_3d, pane.numbers):
        v.set_axis_names("x", "y")


# -- escaping the map ----------------------------------------------------------------------

def test_a_run_leaving_the_saddle_map_is_marked_at_the_edge_in_both_views(pane, qapp):
    pane.load_lesson("saddle-escape")
    pane.set_step(pane.steps)
    qapp.processEvents()
    xmin, xmax, ymin, ymax = pane.surface.domain
    left = [i for i, t in enumerate(pane.trajectories)
            if not (xmin <= t.x[t.last_step] <= xmax and ymin <= t.y[t.last_step] <= ymax)]
    assert left, "the lesson has runs that escape"
    for i in left:
        t = pane.trajectories[i]
        inside = (t.x >= xmin) & (t.x <= xmax) & (t.y >= ymin) & (t.y <= ymax)
        k = int(np.argmin(inside))
        text = f"left the map at step {k}"
        assert text in pane.view_2d.label_text(i) and text in pane.view_3d.label_text(i)
        # 3-D: no point of the drawn path is where the run never was (no clamping onto the edge).
        drawn = pane.view_3d._lines[i].pos
        assert len(drawn) == k + 1
        np.testing.assert_allclose(drawn[:k, 0], t.x[:k], rtol=1e-6)
        np.testing.assert_allclose(drawn[:k, 1], t.y[:k], rtol=1e-6)
        # Its last point is on the edge, on the segment from x_{k−1} to x_k.
        ex, ey = float(drawn[k, 0]), float(drawn[k, 1])
        on_edge = min(abs(ex - xmin), abs(ex - xmax), abs(ey - ymin), abs(ey - ymax))
        assert on_edge < 1e-5
        a, b = np.array([t.x[k - 1], t.y[k - 1]]), np.array([t.x[k], t.y[k]])
        cross = (b - a)[0] * (ey - a[1]) - (b - a)[1] * (ex - a[0])
        assert abs(cross) < 1e-4 * np.linalg.norm(b - a)
        # 2-D: no current point off the map, a square at the same edge point.
        assert not pane.view_2d._markers[i].isVisible()
        edge = pane.view_2d._edges[i]
        assert edge.isVisible() and edge.point() == pytest.approx((ex, ey), abs=1e-5)


# -- numbers panel -----------------------------------------------------------------------

def _numbers(text: str) -> list[float]:
    return [float(v) for v in text.strip("()").split(",")]


def test_the_numbers_row_and_equation_say_which_gradient_they_use(pane, qapp):
    pane.load_lesson("lr-too-large")         # four SGD runs on x²/20 + y²
    k = 3
    pane.set_step(k)
    panel = pane.numbers
    panel.select_run(0)
    # SGD by hand: x_{j+1} = x_j − η g(x_j), g = (x/10, 2y), from (−7, 2) with η = 0.1.
    x = np.array([-7.0, 2.0])
    points, grads = [x], []
    for _ in range(k):
        g = np.array([x[0] / 10, 2 * x[1]])
        grads.append(g)
        x = x - 0.1 * g
        points.append(x)
    g_k = np.array([x[0] / 10, 2 * x[1]])
    assert float(panel.cell(0, "x")) == pytest.approx(points[k][0], rel=1e-5)
    np.testing.assert_allclose(_numbers(panel.cell(0, "g")), g_k, rtol=1e-5)
    text = panel.toPlainText()
    # The row's gradient is labelled as the one at x_k; the equation's as the one at x_{k−1}, with its value.
    assert "g(xk)" in text.replace(" ", "")
    head = f"g(x{k - 1}) = ({points[k - 1][0] / 10:.6g}, {2 * points[k - 1][1]:.6g})"
    assert head in text
    assert f"{grads[k - 1][0]:.4g}" in panel.equation_lines(0)[0]
    # Compact: at the pane's size every run's row is in view without scrolling.
    pane.load_lesson("momentum-overshoot")
    pane.set_step(5)
    qapp.processEvents()
    doc_layout = panel.document().documentLayout()
    table_bottom = None
    block = panel.document().begin()
    while block.isValid():
        if "μ=0.99" in block.text():
            table_bottom = doc_layout.blockBoundingRect(block).bottom()
        block = block.next()
    assert table_bottom is not None and table_bottom <= panel.viewport().height()


def test_the_hats_of_m_and_v_are_drawn(pane, qapp):
    from optilab.ui.surface_lab.numbers_panel import NumbersPanel

    pane.load_lesson("adam-bias-correction")
    pane.set_step(2)
    html_text = pane.numbers.toHtml()
    assert "\u0302" not in pane.numbers.toPlainText().replace("\ufffc", "")   # no combining mark relied on
    probe = NumbersPanel()
    probe.setFont(pane.numbers.font())
    probe.resize(200, 80)
    images = []
    for name in ("m", "m_hat"):
        probe.setHtml(f"<p>{probe.symbol_html(name)}</p>")
        probe.show()
        qapp.processEvents()
        images.append(probe.viewport().grab().toImage())
    probe.close()
    a, b = images
    # The hatted letter differs from the plain one, and only above the letter's x-height.
    rows = [y for y in range(a.height()) if any(a.pixel(x, y) != b.pixel(x, y) for x in range(40))]
    assert rows, "the hat is drawn"
    ink = [y for y in range(a.height()) if any(QColor(a.pixel(x, y)).lightness() < 128 for x in range(40))]
    assert max(rows) < min(ink), "the difference is above the m"
    assert "hat:m" in html_text and "hat:v" in html_text
