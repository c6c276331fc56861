"""A run's path drawn up to the current step, repainted only where it changes.

An animation frame moves a run from step k to step k′.  A `PlotDataItem`
given the points 0 … k′ changes its bounding rect, so Qt repaints the whole
area the path covers — map, contours and every other run's antialiased wide
lines — and the frame costs grow with the paths.  `Trail` instead keeps one
bounding rect (the whole recorded path) for the run's lifetime, invalidates
only the rectangle around the points between k and k′, and, asked to paint,
strokes only the segments that reach the repainted rectangles — in fixed
16-segment chunks, so partial and full repaints give the same pixels, and
without points that lie within half a pixel of the previous one, so a run
piling up on its minimum stops adding work.  A frame then costs what the few
new segments cost, however long the paths are.

`Marker` (in `overlays`) is the current-point dot: a fixed pixel size at a data position
(``ItemIgnoresTransformations``), so moving it repaints two small squares.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsItem

#: Extra pixels around what a segment or dot covers, for antialiasing.
AA_MARGIN = 2.0
#: A repainted region of more rectangles than this is treated as its bounding rect.
MAX_RECTS = 64
#: A path is stroked in polylines of this many segments (see `Trail.paint`).
CHUNK = 16


class Trail(pg.GraphicsObject):
    """The polyline through the first `count` points of (x, y), with optional dots.

    ``set_path`` gives the whole recorded path once; ``set_count`` then only
    says how much of it is drawn.  `getData` returns the drawn points.
    """

    def __init__(self, pen: QPen, dot_size: float = 0.0, dot_pen: QPen | None = None,
                 dot_brush: QBrush | None = None) -> None:
        super().__init__()
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption, True)
        self._x = np.zeros(0)
        self._y = np.zeros(0)
        self._keep_cache: tuple[float, float, np.ndarray] | None = None
        self._count = 0
        self._bounds = QRectF()
        self._pad_cache: tuple[float, float] | None = None
        self.pen = _round(pen)
        self.dots = False
        self.dot_size = float(dot_size)
        self.dot_pen = QPen(dot_pen) if dot_pen is not None else QPen()
        self.dot_brush = QBrush(dot_brush) if dot_brush is not None else QBrush()

    # -- data --------------------------------------------------------------
    def set_path(self, x: np.ndarray, y: np.ndarray, count: int = 0) -> None:
        """The whole path a run will walk; ``count`` points are drawn."""
        self.prepareGeometryChange()
        self._x = np.ascontiguousarray(x, dtype=float)
        self._y = np.ascontiguousarray(y, dtype=float)
        self._keep_cache = None
        if len(self._x):
            x0, x1, y0, y1 = self._x.min(), self._x.max(), self._y.min(), self._y.max()
            self._bounds = QRectF(x0, y0, x1 - x0, y1 - y0)
        else:
            self._bounds = QRectF()
        self._count = min(max(int(count), 0), len(self._x))
        self.update()

    def set_count(self, count: int) -> None:
        """Draw the first ``count`` points; repaint only around the ones that changed."""
        count = min(max(int(count), 0), len(self._x))
        old, self._count = self._count, count
        if count == old:
            return
        lo, hi = min(old, count), max(old, count)
        # Points lo−1 … hi−1: the segments that appear or vanish, the old and
        # the new end (caps, dots) — padded by the pen's reach in pixels.
        a = max(lo - 1, 0)
        xs, ys = self._x[a:hi], self._y[a:hi]
        px, py = self._pad()
        self.update(QRectF(xs.min() - px, ys.min() - py,
                           xs.max() - xs.min() + 2 * px, ys.max() - ys.min() + 2 * py))

    def set_pen(self, pen: QPen) -> None:
        self.prepareGeometryChange()
        self.pen = _round(pen)
        self._pad_cache = None
        self.update()

    def set_dots(self, show: bool, size: float, pen: QPen, brush: QBrush) -> None:
        """Step dots of ``size`` pixels (diameter) on every drawn point, or none."""
        self.prepareGeometryChange()
        self.dots, self.dot_size = bool(show), float(size)
        self.dot_pen, self.dot_brush = QPen(pen), QBrush(brush)
        self._pad_cache = None
        self.update()

    @property
    def count(self) -> int:
        return self._count

    def getData(self) -> tuple[np.ndarray, np.ndarray]:
        """The drawn points (x, y)."""
        return self._x[: self._count], self._y[: self._count]

    # -- geometry ------------------------------------------------------------
    def _reach_px(self) -> float:
        """How far (pixels) the drawing reaches beyond a point: half the pen or dot, plus AA."""
        width = self.pen.widthF() or 1.0
        reach = 0.5 * width        # round caps and joins
        if self.dots:
            reach = max(reach, 0.5 * self.dot_size + self.dot_pen.widthF())
        return reach + AA_MARGIN

    def _pad(self) -> tuple[float, float]:
        """The reach in data units along x and y (0 before the item is in a view); cached."""
        if self._pad_cache is None:
            t = self.deviceTransform_()
            if t is None:
                return 0.0, 0.0
            self._pad_cache = self._pad_for(t)
        return self._pad_cache

    def _pad_for(self, t) -> tuple[float, float]:
        """The reach in data units under the item-to-device transform ``t``."""
        sx = float(np.hypot(t.m11(), t.m12())) or 1.0
        sy = float(np.hypot(t.m21(), t.m22())) or 1.0
        r = self._reach_px()
        return r / sx, r / sy

    def viewTransformChanged(self) -> None:
        # The padding is in pixels: a zoom changes it in data units.
        self._pad_cache = None
        self.prepareGeometryChange()

    def boundingRect(self) -> QRectF:
        if self._bounds.isNull() and not len(self._x):
            return QRectF()
        px, py = self._pad()
        return self._bounds.adjusted(-px, -py, px, py)

    def dataBounds(self, ax: int, frac: float = 1.0, orthoRange=None):
        """The path's extent (for auto-range), as PlotCurveItem's."""
        if not len(self._x):
            return None, None
        v = self._x if ax == 0 else self._y
        return float(v.min()), float(v.max())

    # -- drawing ---------------------------------------------------------------
    def _visible_points(self, n: int, t) -> np.ndarray:
        """Indices of the points 0 … n−1 worth drawing under the transform ``t``.

        A run that has converged piles hundreds of steps onto a few pixels,
        and stroking them all every frame would make frames cost more the
        longer the run.  Walking the path, a point is kept only if it is more
        than half a pixel (along x or y) from the last kept point, so no line
        moves by more than 0.71 px.  The walk depends only on the scale
        (cached), and a prefix of the path keeps the same points as the whole
        path, so every repaint — partial or full — draws the same polylines.
        The current end point n−1 is always kept.
        """
        tx = 0.5 / (float(np.hypot(t.m11(), t.m12())) or 1.0)
        ty = 0.5 / (float(np.hypot(t.m21(), t.m22())) or 1.0)
        if self._keep_cache is None or self._keep_cache[:2] != (tx, ty):
            self._keep_cache = (tx, ty, _thin(self._x, self._y, tx, ty))
        keep = self._keep_cache[2]
        keep = keep[: np.searchsorted(keep, n)]
        if keep[-1] != n - 1:
            keep = np.append(keep, n - 1)
        return keep

    def paint(self, p: QPainter, option, widget=None) -> None:
        n = self._count
        if n == 0:
            return
        t = p.transform()
        px, py = self._pad_for(t)
        boxes = self._exposed_boxes(p, option.exposedRect, px, py)
        keep = self._visible_points(n, t)
        xs, ys = self._x[keep], self._y[keep]
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        if len(keep) >= 2:
            x0, x1 = np.minimum(xs[:-1], xs[1:])[:, None], np.maximum(xs[:-1], xs[1:])[:, None]
            y0, y1 = np.minimum(ys[:-1], ys[1:])[:, None], np.maximum(ys[:-1], ys[1:])[:, None]
            seg = ((x1 >= boxes[0]) & (x0 <= boxes[1]) & (y1 >= boxes[2]) & (y0 <= boxes[3])).any(axis=1)
            # Whole fixed chunks, so that a partial repaint strokes exactly what
            # a full one strokes there (a path crossing itself is antialiased
            # the same way); round caps make the chunk ends look like joins.
            chunks = np.unique(np.flatnonzero(seg) // CHUNK).tolist()
            if chunks:
                p.setPen(self.pen)
                p.setBrush(QBrush())
                last = len(keep) - 1
                poly = _polygon(xs, ys)
                for c in chunks:
                    # Segments a … b−1 join the kept points a … b.
                    a, b = c * CHUNK, min((c + 1) * CHUNK, last)
                    p.drawPolyline(poly.mid(a, b - a + 1))
        if self.dots and self.dot_size > 0:
            inside = ((xs[:, None] >= boxes[0]) & (xs[:, None] <= boxes[1])
                      & (ys[:, None] >= boxes[2]) & (ys[:, None] <= boxes[3])).any(axis=1)
            if inside.any():
                dx = t.m11() * xs[inside] + t.m21() * ys[inside] + t.dx()
                dy = t.m12() * xs[inside] + t.m22() * ys[inside] + t.dy()
                p.resetTransform()
                p.setPen(self.dot_pen)
                p.setBrush(self.dot_brush)
                r = 0.5 * self.dot_size
                for cx, cy in zip(dx.tolist(), dy.tolist(), strict=True):
                    p.drawEllipse(QPointF(cx, cy), r, r)
                p.setTransform(t)

    @staticmethod
    def _exposed_boxes(p: QPainter, exposed: QRectF, px: float, py: float) -> np.ndarray:
        """The areas being repainted, in data units and padded: rows x0, x1, y0, y1.

        ``exposedRect`` is the bounding rect of the whole repainted region —
        with six runs moving in six corners, most of the view.  The paint
        engine's system clip holds the region's own rectangles (device
        pixels); mapped back to data units they let a run skip the segments
        between them.
        """
        rects = [exposed]
        region = p.paintEngine().systemClip() if p.paintEngine() is not None else None
        if region is not None and 0 < region.rectCount() <= MAX_RECTS:
            inverse, ok = p.deviceTransform().inverted()
            if ok:
                rects = [inverse.mapRect(QRectF(r)) for r in region]
        boxes = np.array([(r.left(), r.right(), r.top(), r.bottom()) for r in rects], dtype=float).T
        boxes[0] -= px
        boxes[1] += px
        boxes[2] -= py
        boxes[3] += py
        return boxes


def _thin(x: np.ndarray, y: np.ndarray, tx: float, ty: float) -> np.ndarray:
    """Indices of the points kept by walking the path: each is > tx or > ty from the last kept one."""
    keep = [0]
    xs, ys = x.tolist(), y.tolist()
    lx, ly = xs[0], ys[0]
    for i in range(1, len(xs)):
        xi, yi = xs[i], ys[i]
        if abs(xi - lx) > tx or abs(yi - ly) > ty:
            keep.append(i)
            lx, ly = xi, yi
    return np.array(keep, dtype=np.intp)


def _polygon(x: np.ndarray, y: np.ndarray) -> QPolygonF:
    """The points (x, y) as a QPolygonF, filled straight from the arrays."""
    poly = pg.functions.create_qpolygonf(len(x))
    buf = pg.functions.ndarray_from_qpolygonf(poly)
    buf[:, 0] = x
    buf[:, 1] = y
    return poly


def _round(pen: QPen) -> QPen:
    """``pen`` with round caps and joins."""
    pen = QPen(pen)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    return pen
