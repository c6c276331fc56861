"""What the map draws over the paths: markers, arrows with heads, the legend's arrow samples.

`Marker` is the current-point dot (or the square where a run left the map):
a fixed pixel size at a data position (``ItemIgnoresTransformations``), so
moving it repaints two small squares.  `Arrow` is a −gradient or velocity
arrow with a real head, drawn in pixels so the head keeps its shape at any
zoom.  `map_exit` is the one rule for where a run leaves the plotted map; the
2-D and 3-D views both draw a run up to there and mark the edge.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from pyqtgraph.graphicsItems.LegendItem import ItemSample
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsItem

from optilab.surfaces import SampledSurface, Surface
from optilab.trajectory import Trajectory
from optilab.ui.surface_lab.trail import AA_MARGIN

#: Samples per axis of the map.
GRID = 200
#: Colour values are kept within ±COLOR_LIMIT (their differences must stay finite).
COLOR_LIMIT = 1e300
#: A band for the legend outside the map leaves the map at least this share of the view's height.
MIN_MAP_SHARE = 0.6
#: Each path segment is sampled at this many points when the legend looks for a free corner.
SEGMENT_SAMPLES = 8
#: Pixels between the legend and the corner of the plot it sits in.
LEGEND_MARGIN = 8
#: Corners the legend may take, in order of preference: (x, y), 1 = right / bottom.
LEGEND_CORNERS = ((1, 0), (0, 0), (1, 1), (0, 1))


@dataclass(frozen=True)
class MapData:
    """Draw data of one surface: the grid, the colour values and their range."""

    xs: np.ndarray
    ys: np.ndarray
    values: np.ndarray          # what is coloured: f, or log10(f − shift + δ)
    levels: tuple[float, float]
    log: bool
    shift: float = 0.0          # log colours: f_min, or 0 for a loss landscape (log10 L itself)
    delta: float = 0.0

    @classmethod
    def from_surface(cls, surface: Surface, n: int = GRID) -> MapData:
        """Sample ``surface`` with `Surface.grid` and choose the colour range.

        Linear maps are clipped at the 99th percentile so one steep corner does
        not wash out the rest; log maps colour log10(f − f_min + δ).  A sampled
        loss landscape is drawn on a grid through its samples (`SampledSurface.refined`):
        bilinear between them, the colours' range is the samples' own, or the ``levels`` shared
        by a lesson's maps; its log map is log10 L.
        """
        # A sampled landscape: at least n points per axis, every sample among them.
        xs, ys, z = surface.grid(*surface.refined(n)) if isinstance(surface, SampledSurface) else surface.grid(n, n)
        z = np.where(np.isfinite(z), z, np.nan)
        finite = z[np.isfinite(z)]
        if finite.size == 0:
            finite = np.zeros(1)
        zmin, zmax = float(finite.min()), float(finite.max())
        shared = surface.levels if isinstance(surface, SampledSurface) else None
        if shared is not None:      # a lesson's maps: one loss range for all, colours and heights alike
            zmin, zmax = shared
        shift = delta = 0.0
        if surface.log_color:
            # A loss landscape's log colours are log10 L (its losses are > 0: `spans_decades`);
            # subtracting its minimum would dig a pit of −7 decades at θ* that the loss does not have.
            if not isinstance(surface, SampledSurface):
                shift, delta = zmin, max((zmax - zmin) * 1e-7, 1e-12)
            values = np.log10(np.maximum(z - shift, 0.0) + delta)
            lo, hi = float(np.nanmin(values)), float(np.nanmax(values))
            if shared is not None:
                lo, hi = math.log10(zmin), math.log10(zmax)
        else:
            values = z
            lo, hi = zmin, zmax if shared is not None else float(np.percentile(finite, 99.0))
        # A range wider than floats can subtract (f = x² − 10³⁰⁸·y) would make
        # the colour bar's tick arithmetic overflow: keep it within ±10³⁰⁰.
        lo, hi = max(lo, -COLOR_LIMIT), min(hi, COLOR_LIMIT)
        if not hi > lo:
            hi = lo + 1.0
        values = np.nan_to_num(values, nan=hi, posinf=hi, neginf=lo)
        return cls(xs, ys, values, (lo, hi), surface.log_color, shift, delta)


def free_corner(px: np.ndarray, py: np.ndarray, box: tuple[float, float], size: tuple[float, float],
                reach: float, keep: tuple[int, int] | None = None) -> tuple[int, int, int]:
    """The first of `LEGEND_CORNERS` where a legend of ``size`` in a view of ``box`` (pixels)
    covers none of the points (px, py), each drawn ``reach`` pixels wide; else the one covering fewest.
    A free corner ``keep`` (where the legend is) wins: the legend only moves when it must.
    Returns (x, y, points covered).
    """
    (w, h), (lw, lh) = box, size
    best = None
    for ax, ay in ([keep] if keep in LEGEND_CORNERS else []) + list(LEGEND_CORNERS):
        x0 = LEGEND_MARGIN if ax == 0 else w - LEGEND_MARGIN - lw
        y0 = LEGEND_MARGIN if ay == 0 else h - LEGEND_MARGIN - lh
        hits = int(np.count_nonzero((px > x0 - reach) & (px < x0 + lw + reach)
                                    & (py > y0 - reach) & (py < y0 + lh + reach)))
        if hits == 0:
            return ax, ay, 0
        if best is None or hits < best[0]:
            best = (hits, ax, ay)
    return best[1], best[2], best[0]


def map_exit(t: Trajectory, domain: tuple[float, float, float, float]) -> tuple[int, tuple[float, float] | None] | None:
    """Where run ``t`` first leaves the plotted ``domain``: (step, edge point), or None if it never does.

    The step is the first recorded point outside the domain (or not finite);
    the edge point is where the segment from the point before crosses the
    domain's border (None when the start itself is outside).
    """
    xmin, xmax, ymin, ymax = domain
    x, y = np.asarray(t.x, dtype=float), np.asarray(t.y, dtype=float)
    with np.errstate(invalid="ignore"):
        out = ~((x >= xmin) & (x <= xmax) & (y >= ymin) & (y <= ymax))
    if not out.any():
        return None
    k = int(np.argmax(out))
    if k == 0:
        return 0, None
    x0, y0, x1, y1 = float(x[k - 1]), float(y[k - 1]), float(x[k]), float(y[k])
    if not (math.isfinite(x1) and math.isfinite(y1)):
        return k, (x0, y0)
    # The largest s in (0, 1] keeping (x0, y0) + s·(x1 − x0, y1 − y0) inside the box.
    s = 1.0
    for p0, p1, lo, hi in ((x0, x1, xmin, xmax), (y0, y1, ymin, ymax)):
        if p1 > hi:
            s = min(s, (hi - p0) / (p1 - p0))
        elif p1 < lo:
            s = min(s, (lo - p0) / (p1 - p0))
    return k, (x0 + s * (x1 - x0), y0 + s * (y1 - y0))


class Marker(pg.GraphicsObject):
    """A round (or square) dot of ``size`` pixels at a data point; moving it repaints only two small squares."""

    def __init__(self, size: float, pen: QPen, brush: QBrush, square: bool = False) -> None:
        super().__init__()
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations, True)
        self.size, self.pen, self.brush = float(size), QPen(pen), QBrush(brush)
        self.square = bool(square)

    def set_style(self, size: float, pen: QPen, brush: QBrush) -> None:
        self.prepareGeometryChange()
        self.size, self.pen, self.brush = float(size), QPen(pen), QBrush(brush)
        self.update()

    def point(self) -> tuple[float, float]:
        """Where the marker is, in data coordinates."""
        pos = self.pos()
        return pos.x(), pos.y()

    def boundingRect(self) -> QRectF:
        r = 0.5 * self.size + self.pen.widthF() + AA_MARGIN
        return QRectF(-r, -r, 2 * r, 2 * r)

    def dataBounds(self, ax: int, frac: float = 1.0, orthoRange=None):
        return None, None

    def paint(self, p: QPainter, option, widget=None) -> None:
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.setPen(self.pen)
        p.setBrush(self.brush)
        r = 0.5 * self.size
        if self.square:
            p.drawRect(QRectF(-r, -r, 2 * r, 2 * r))
        else:
            p.drawEllipse(QPointF(0.0, 0.0), r, r)


class Arrow(pg.GraphicsObject):
    """An arrow from a tail to a tip (data coordinates) with a filled head, over a halo.

    The shaft is stroked with ``pen`` (solid or dashed) over a wider pen of
    ``halo`` colour; the head is a triangle of ``head`` pixels filled with the
    pen's colour and outlined in the halo colour.  Lengths are in pixels
    (drawn in device coordinates), so the head keeps its shape at any zoom.
    """

    def __init__(self, pen: QPen, halo: str, head: float = 14.0) -> None:
        super().__init__()
        self._tail = self._tip = None
        self.set_style(pen, halo, head)

    def set_style(self, pen: QPen, halo: str, head: float) -> None:
        """The shaft pen, the halo colour and the head length (pixels)."""
        self.prepareGeometryChange()
        self.pen = QPen(pen)
        self.pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        self.halo = QPen(pg.mkColor(halo), self.pen.widthF() + 3.0)
        self.halo.setCapStyle(Qt.PenCapStyle.RoundCap)
        self.head = float(head)
        self.update()

    def set_vector(self, tail: tuple[float, float] | None, tip: tuple[float, float] | None = None) -> None:
        """Draw from ``tail`` to ``tip``; None hides the arrow."""
        self.prepareGeometryChange()
        self._tail, self._tip = (tail, tip) if tail is not None and tip is not None else (None, None)
        self.update()

    def vector(self) -> tuple[tuple[float, float], tuple[float, float]] | None:
        """(tail, tip) in data coordinates, or None when hidden."""
        return None if self._tail is None else (self._tail, self._tip)

    def head_polygon(self, tail: QPointF, tip: QPointF) -> QPolygonF:
        """The head's triangle for a shaft from ``tail`` to ``tip`` (device pixels)."""
        dx, dy = tip.x() - tail.x(), tip.y() - tail.y()
        n = float(np.hypot(dx, dy)) or 1.0
        ux, uy = dx / n, dy / n
        length = min(self.head, 0.6 * n) if n > 1 else self.head
        back = QPointF(tip.x() - ux * length, tip.y() - uy * length)
        half = 0.45 * length
        return QPolygonF([tip, QPointF(back.x() - uy * half, back.y() + ux * half),
                          QPointF(back.x() + uy * half, back.y() - ux * half)])

    def boundingRect(self) -> QRectF:
        if self._tail is None:
            return QRectF()
        (x0, y0), (x1, y1) = self._tail, self._tip
        t = self.deviceTransform_()
        r = self.head + self.halo.widthF() + AA_MARGIN
        sx = sy = 0.0
        if t is not None:
            sx = r / (float(np.hypot(t.m11(), t.m12())) or 1.0)
            sy = r / (float(np.hypot(t.m21(), t.m22())) or 1.0)
        return QRectF(min(x0, x1) - sx, min(y0, y1) - sy, abs(x1 - x0) + 2 * sx, abs(y1 - y0) + 2 * sy)

    def viewTransformChanged(self) -> None:
        self.prepareGeometryChange()

    def dataBounds(self, ax: int, frac: float = 1.0, orthoRange=None):
        return None, None

    def paint(self, p: QPainter, option, widget=None) -> None:
        if self._tail is None:
            return
        t = p.transform()
        tail, tip = t.map(QPointF(*self._tail)), t.map(QPointF(*self._tip))
        head = self.head_polygon(tail, tip)
        # The shaft ends where the head begins (a dash pattern never blunts the tip).
        base = QPointF((head[1].x() + head[2].x()) / 2, (head[1].y() + head[2].y()) / 2)
        p.resetTransform()
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.setBrush(QBrush())
        p.setPen(self.halo)
        p.drawLine(tail, base)
        p.setPen(self.pen)
        p.drawLine(tail, base)
        outline = QPen(self.halo.color(), 1.5)
        outline.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
        p.setPen(outline)
        p.setBrush(QBrush(self.pen.color()))
        p.drawPolygon(head)
        p.setTransform(t)


class ArrowSample(ItemSample):
    """A legend sample drawing an arrow like the map's (the legend names −g and v)."""

    def __init__(self, color: str, halo: str, dashed: bool) -> None:
        super().__init__(pg.PlotDataItem())
        self.color, self.halo, self.dashed, self.scale = color, halo, dashed, 1.0

    def paint(self, p: QPainter, *args) -> None:
        style = Qt.PenStyle.DashLine if self.dashed else Qt.PenStyle.SolidLine
        arrow = Arrow(pg.mkPen(self.color, width=2.5, style=style), self.halo, 9.0)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        tail, tip = QPointF(1, 14), QPointF(19, 6)
        head = arrow.head_polygon(tail, tip)
        base = QPointF((head[1].x() + head[2].x()) / 2, (head[1].y() + head[2].y()) / 2)
        p.setPen(arrow.halo)
        p.drawLine(tail, base)
        p.setPen(arrow.pen)
        p.drawLine(tail, base)
        p.setPen(pg.mkPen(self.halo, width=1.2))
        p.setBrush(pg.mkBrush(self.color))
        p.drawPolygon(head)

    def mouseClickEvent(self, event) -> None:
        event.accept()       # naming only: a click does not hide anything


def path_samples(paths: list[tuple[np.ndarray, np.ndarray]], per_segment: int) -> np.ndarray:
    """The points of the paths (x, y) and ``per_segment`` points along each segment; finite ones, (n, 2)."""
    parts = []
    s = np.linspace(0.0, 1.0, per_segment, endpoint=False)[:, None]
    for x, y in paths:
        if len(x) >= 2:
            xs = (x[:-1] + s * (x[1:] - x[:-1])).ravel()
            ys = (y[:-1] + s * (y[1:] - y[:-1])).ravel()
            x, y = np.concatenate([xs, x[-1:]]), np.concatenate([ys, y[-1:]])
        parts.append(np.column_stack([x, y]))
    pts = np.concatenate(parts) if parts else np.zeros((0, 2))
    return pts[np.isfinite(pts).all(axis=1)]


def declutter(labels: list, vb, obstacle: QRectF) -> None:
    """Move each `TextItem` in ``labels`` off ``obstacle`` and the labels before it: sideways, else down or up."""
    view = vb.sceneBoundingRect()
    taken = [obstacle]
    for label in labels:
        label.updateTransform(force=True)
        r = label.sceneBoundingRect()
        # First into the view (a long label anchored near an edge may stick out).
        dx = max(view.left() + 2 - r.left(), 0.0) + min(view.right() - 2 - r.right(), 0.0)
        dy = max(view.top() + 2 - r.top(), 0.0) + min(view.bottom() - 2 - r.bottom(), 0.0)
        if dx or dy:
            label.setPos(vb.mapSceneToView(vb.mapViewToScene(label.pos()) + QPointF(dx, dy)))
        for _ in range(2 * len(taken) + 2):
            label.updateTransform(force=True)
            r = label.sceneBoundingRect()
            hit = next((o for o in taken if r.intersects(o)), None)
            if hit is None:
                break
            moves = [(hit.left() - 2 - r.right(), 0.0), (hit.right() + 2 - r.left(), 0.0),
                     (0.0, hit.bottom() + 2 - r.top()), (0.0, hit.top() - 2 - r.bottom())]
            fits = [m for m in moves if view.contains(r.translated(*m))]
            free = [m for m in fits if not any(r.translated(*m).intersects(o) for o in taken)]
            dx, dy = min(free or fits or moves[2:], key=lambda m: abs(m[0]) + abs(m[1]))
            label.setPos(vb.mapSceneToView(vb.mapViewToScene(label.pos()) + QPointF(dx, dy)))
        label.updateTransform(force=True)
        taken.append(label.sceneBoundingRect())


class LegendPlacer:
    """The 2-D view's legend placement (mixed into `ContourView`, which owns the attributes used).

    The legend takes the first corner of the view that no trajectory crosses;
    if none is free it goes to two columns, and if still none is free (and
    the view is the reset view) a band above, else below, the map makes room
    outside the map, as long as the map keeps `MIN_MAP_SHARE` of the height.
    """

    def _shown_points(self) -> np.ndarray:
        """Every point the runs' paths pass through (whole paths, segments sampled), (n, 2)."""
        return path_samples([(self._lines[i]._x, self._lines[i]._y) for i in range(len(self._trajectories))
                             if i < len(self._lines)], SEGMENT_SAMPLES)

    def _place_legend(self, *_args) -> None:
        """Put the legend in the first corner of the view that no trajectory crosses (else the emptiest)."""
        vb = self.plot_item.vb
        box = vb.boundingRect()
        if self._placing:
            return
        lw, lh = self.legend.width(), self.legend.height()
        if box.width() <= 0 or lw <= 0:
            return
        t = vb.childTransform()          # brings the view matrix up to date after a resize
        pts = self._shown_points()
        px = t.m11() * pts[:, 0] + t.m21() * pts[:, 1] + t.dx()
        py = t.m12() * pts[:, 0] + t.m22() * pts[:, 1] + t.dy()
        ax, ay, hits = free_corner(px, py, (box.width(), box.height()), (lw, lh), 6 * self.scale,
                                   getattr(self, "legend_corner", None))
        if hits and self.legend.columnCount == 1 and len(self.legend.items) > 2:
            self.legend.setColumnCount(2)        # shorter: it may fit a corner, or a thin band
            return                               # its geometry change places it again
        if hits and self._band[0] < 2 and self.surface is not None and self._at_reset_view():
            # No corner is free: show a band above (else below) the map, outside it, for the legend.
            ymin, ymax = self.surface.domain[2:]
            room = lh + 2 * LEGEND_MARGIN
            if box.height() - room >= MIN_MAP_SHARE * box.height():
                tried = self._band[0] + 1
                self._band = (tried, room * (ymax - ymin) / (box.height() - room))
                self.reset_view()          # its range change places the legend again
                return
        offset = (LEGEND_MARGIN if ax == 0 else -LEGEND_MARGIN, LEGEND_MARGIN if ay == 0 else -LEGEND_MARGIN)
        self._placing = True
        try:
            self.legend.anchor(itemPos=(ax, ay), parentPos=(ax, ay), offset=offset)
        finally:
            self._placing = False
        self.legend_corner = (ax, ay)

    def _at_reset_view(self) -> bool:
        """Whether the view shows what `reset_view` shows."""
        xmin, xmax, ymin, ymax = self.surface.domain
        (x0, x1), (y0, y1) = self.plot_item.viewRange()
        tol = 1e-6 * max(xmax - xmin, ymax - ymin)
        lo, hi = self._y_range()
        return max(abs(x0 - xmin), abs(x1 - xmax), abs(y0 - lo), abs(y1 - hi)) < tol

    def _y_range(self) -> tuple[float, float]:
        """The reset view's y range: the map, with the legend's band above (1) or below (2) it if any."""
        ymin, ymax = self.surface.domain[2:]
        side, extra = self._band
        return ymin - (extra if side == 2 else 0.0), ymax + (extra if side == 1 else 0.0)


def draw_order(n: int, highlight: int | None) -> list[int]:
    """Run indices from the top down: the highlighted run (else the first), then the others in order.

    The one stacking rule of both views (the GD path of "GD vs SGD" must not hide under the others).
    """
    top = highlight if highlight is not None and 0 <= highlight < n else 0
    return [top] + [i for i in range(n) if i != top] if n else []
