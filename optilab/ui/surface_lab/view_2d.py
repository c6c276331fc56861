"""The 2-D view: a filled contour map of the surface with the runs' trajectories.

Scene: an `ImageItem` coloured with viridis (log colouring for surfaces the
core flags ``log_color``) and a colour bar, white contour lines (one path,
traced by `optilab.surfaces.contours`),
the minima as stars, the start as a ring, and per run an outlined polyline
with step dots, a current-point marker, optional −gradient (solid, white) and
velocity (dashed, black) arrows with heads, named in the legend, and a
"diverged at step k" or "left the map at step k" label.  A run that leaves the
map is drawn up to the map's edge, where a square marks where it left (the 3-D
view does the same, see `map_exit`).  The first run (or the one given to
`set_highlight`) is drawn above the others; the legend sits in the corner of
the view that no trajectory crosses (`_place_legend`).  Items are made once per surface (map) or
per run slot (pooled: the pool only grows) and then only fed new data.  The
paths are `Trail` items: a frame repaints only around the segments it adds
or removes, so its cost does not grow with the paths (see `trail`).
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QGraphicsPathItem, QVBoxLayout, QWidget

from optilab.surfaces import Surface
from optilab.surfaces.contours import contour_segments
from optilab.trajectory import Trajectory
from optilab.ui.i18n import on_language_changed, tr
from optilab.ui.palette import COLORMAP, GRADIENT_ARROW, OUTLINE, THEMES, VELOCITY_ARROW, Theme
from optilab.ui.surface_lab.overlays import (  # noqa: F401 (re-exported)
    GRID,
    LEGEND_MARGIN,
    Arrow,
    ArrowSample,
    LegendPlacer,
    MapData,
    Marker,
    declutter,
    draw_order,
    map_exit,
)
from optilab.ui.surface_lab.trail import Trail

#: Contour lines drawn on the map.
N_CONTOURS = 14
#: Above this many recorded points a run is drawn without step dots.
MAX_DOTS = 300


class ContourView(LegendPlacer, QWidget):
    """The 2-D map with trajectories.  Emits `start_clicked(x, y)` on a left click."""

    start_clicked = Signal(float, float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plot = pg.PlotWidget(background="w")
        self.plot_item = self.plot.getPlotItem()
        self.plot_item.setMenuEnabled(False)
        self.plot_item.hideButtons()
        self.plot_item.setAspectLocked(False)
        axis_font = QFont()
        axis_font.setPointSize(11)
        for name in ("left", "bottom"):
            axis = self.plot_item.getAxis(name)
            axis.setTextPen("k")
            axis.setPen("k")
            axis.setTickFont(axis_font)
        self.axis_names = ("x", "y")
        self.set_axis_names("x", "y")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot)

        self.colormap = pg.colormap.get(COLORMAP)
        self.image = pg.ImageItem(axisOrder="col-major")
        self.image.setZValue(-10)
        self.plot_item.addItem(self.image)
        self.colorbar = pg.ColorBarItem(
            values=(0, 1), colorMap=self.colormap, interactive=False, width=18, colorMapMenu=False
        )
        self.colorbar.setImageItem(self.image, insert_in=self.plot_item)
        # All contour levels in one path item: one drawPath per repaint.
        self.contours = QGraphicsPathItem()
        self.contours.setPen(pg.mkPen(255, 255, 255, 110, width=1))
        self.contours.setZValue(-9)
        self.plot_item.addItem(self.contours)
        self.minima = pg.ScatterPlotItem(
            symbol="star", size=18, pen=pg.mkPen(OUTLINE, width=1.5), brush=pg.mkBrush("w")
        )
        self.minima.setZValue(5)
        self.start_marker = pg.ScatterPlotItem(
            symbol="o", size=16, pen=pg.mkPen("w", width=3), brush=pg.mkBrush(None)
        )
        self.start_marker.setZValue(6)
        self.plot_item.addItem(self.minima)
        self.plot_item.addItem(self.start_marker)
        self.legend = self.plot_item.addLegend(
            offset=(-8, 8), labelTextSize="11pt", labelTextColor=OUTLINE, brush=pg.mkBrush(255, 255, 255, 190)
        )

        self._outlines: list[Trail] = []
        self._lines: list[Trail] = []
        self._markers: list[Marker] = []
        self._legend_samples: list[pg.PlotDataItem] = []
        self._arrow_shown: list[bool] = []
        self._hidden_titles: set[str] = set()     # runs hidden by a click on their legend sample
        self._labels: list[pg.TextItem] = []
        self._grad_arrows: list[Arrow] = []
        self._vel_arrows: list[Arrow] = []
        self._edges: list[Marker] = []          # where a run left the map
        self._exits: list[tuple[int, tuple[float, float] | None] | None] = []
        self._arrow_samples = (ArrowSample(GRADIENT_ARROW, VELOCITY_ARROW, False),
                               ArrowSample(VELOCITY_ARROW, GRADIENT_ARROW, True))
        self.highlight: int | None = 0
        self._band = (0, 0.0)   # (0 none, 1 above, 2 below the map; data height): room for the legend
        self.step = 0
        self._colors: list[str] = []
        self._titles: list[str] = []
        self._trajectories: list[Trajectory] = []
        self.show_gradient = False
        self.show_velocity = False
        self.surface: Surface | None = None
        self.map: MapData | None = None
        self.scale = 1.0
        self.theme: Theme = THEMES["light"]
        self.plot.scene().sigMouseClicked.connect(self._on_click)
        self.legend.geometryChanged.connect(self._place_legend)   # its labels are sized late
        self._placing = False
        self.plot_item.vb.sigResized.connect(self._place_legend)
        self.plot_item.vb.sigRangeChanged.connect(self._place_legend)
        on_language_changed(self._retranslate_colorbar)

    # -- presentation ------------------------------------------------------
    def set_scale(self, factor: float) -> None:
        """Scale line widths, markers and fonts by ``factor``; `set_runs` applies it to runs."""
        self.scale = f = float(factor)
        self.minima.setSize(18 * f)
        self.minima.setPen(pg.mkPen(OUTLINE, width=1.5 * f))
        self.start_marker.setSize(16 * f)
        self.start_marker.setPen(pg.mkPen("w", width=3 * f))
        axis_font = QFont()
        axis_font.setPointSizeF(11 * f)
        for name in ("left", "bottom"):
            self.plot_item.getAxis(name).setTickFont(axis_font)
        self.colorbar.getAxis("left").setTickFont(axis_font)
        self.legend.setLabelTextSize(f"{11 * f:g}pt")
        for label in self._labels:
            label.setFont(_bold(11 * f))
        for sample in self._arrow_samples:
            sample.scale = f
        self._place_legend()

    def set_axis_names(self, x: str, y: str) -> None:
        """Name the map's axes (e.g. "w", "b" for a line fit); "x", "y" by default."""
        self.axis_names = (str(x), str(y))
        self.plot_item.setLabel("bottom", self.axis_names[0])
        self.plot_item.setLabel("left", self.axis_names[1])

    def set_highlight(self, index: int | None) -> None:
        """Draw run ``index`` above every other run (None: the runs in their order, the first on top)."""
        self.highlight = index
        self._apply_z()

    def _apply_z(self) -> None:
        """Stack the runs: the highlighted run on top, then the runs in order (the first above the later)."""
        n = len(self._lines)
        for rank, i in enumerate(draw_order(n, self.highlight)):
            lift = (n - rank) * 0.01
            self._outlines[i].setZValue(10 + lift)
            self._lines[i].setZValue(10.005 + lift)
            self._edges[i].setZValue(19 + lift)
            self._markers[i].setZValue(20 + lift)

    def set_theme(self, theme: Theme) -> None:
        """Background, axes and legend for a light or dark theme (the map keeps viridis)."""
        self.theme = theme
        self.plot.setBackground(theme.plot_background)
        for name in ("left", "bottom"):
            axis = self.plot_item.getAxis(name)
            axis.setTextPen(theme.plot_foreground)
            axis.setPen(theme.plot_foreground)
        cb_axis = self.colorbar.getAxis("left")
        cb_axis.setTextPen(theme.plot_foreground)
        cb_axis.setPen(theme.plot_foreground)
        self._retranslate_colorbar()

    def _retranslate_colorbar(self) -> None:
        if self.map is not None:
            if self.surface is not None and self.surface.name == "landscape":   # a network's sampled loss
                text = tr("log₁₀ L") if self.map.log else "L"
            else:
                text = tr("log₁₀(f − f_min)") if self.map.log else "f"
            self.colorbar.setLabel("left", text, color=self.theme.plot_foreground)

    # -- scene -------------------------------------------------------------
    def set_surface(self, surface: Surface) -> None:
        """Draw the map of ``surface`` (colour image, contours, minima)."""
        self.surface = surface
        self._band = (0, 0.0)
        m = self.map = MapData.from_surface(surface)
        xmin, xmax, ymin, ymax = surface.domain
        self.image.setImage(m.values, levels=m.levels, autoLevels=False)
        # Pixel centres on the samples (a pixel is one sample step wide), so
        # the colours sit under the contour lines traced from the same samples.
        hx, hy = (m.xs[1] - m.xs[0]) / 2, (m.ys[1] - m.ys[0]) / 2
        self.image.setRect(QRectF(xmin - hx, ymin - hy, xmax - xmin + 2 * hx, ymax - ymin + 2 * hy))
        self.colorbar.setLevels(m.levels)
        self._retranslate_colorbar()
        self.colorbar.getAxis("left").setTextPen(self.theme.plot_foreground)
        lo, hi = m.levels
        levels = np.linspace(lo, hi, N_CONTOURS + 2)[1:-1]
        segments = [contour_segments(m.xs, m.ys, m.values, float(level)) for level in levels]
        seg = np.concatenate(segments, axis=0) if segments else np.zeros((0, 2, 2))
        self.contours.setPath(pg.arrayToQPath(seg[:, :, 0].ravel(), seg[:, :, 1].ravel(), connect="pairs"))
        self.minima.setData(pos=np.array(surface.minima, dtype=float).reshape(-1, 2))
        self.plot_item.setLimits(
            xMin=xmin - (xmax - xmin), xMax=xmax + (xmax - xmin),
            yMin=ymin - 2 * (ymax - ymin), yMax=ymax + 2 * (ymax - ymin),   # room for a legend band
        )
        self.reset_view()

    def reset_view(self) -> None:
        """Show the surface's whole domain."""
        if self.surface is not None:
            xmin, xmax, _ymin, _ymax = self.surface.domain
            self.plot_item.setRange(xRange=(xmin, xmax), yRange=self._y_range(), padding=0)

    def set_start(self, x: float, y: float, shown: bool = True) -> None:
        """Mark the start point (``shown`` False: no start to mark, as on a loss landscape)."""
        self.start_marker.setData([x], [y])
        self.start_marker.setVisible(shown)

    def set_runs(self, titles: list[str], colors: list[str]) -> None:
        """Give the runs their legend entries and colours (pooled items)."""
        self._titles, self._colors = list(titles), list(colors)
        while len(self._lines) < len(titles):
            outline = Trail(pg.mkPen(OUTLINE))
            line = Trail(pg.mkPen("k"))
            marker = Marker(15, pg.mkPen("w"), pg.mkBrush("k"))
            label = pg.TextItem(anchor=(0, 1), fill=pg.mkBrush(255, 255, 255, 220))
            label.setFont(_bold(11 * self.scale))
            grad = Arrow(pg.mkPen(GRADIENT_ARROW, width=3), VELOCITY_ARROW)
            vel = Arrow(pg.mkPen(VELOCITY_ARROW, width=3, style=Qt.PenStyle.DashLine), GRADIENT_ARROW)
            edge = Marker(13, pg.mkPen("w"), pg.mkBrush("k"), square=True)
            grad.setZValue(25)
            vel.setZValue(25)
            label.setZValue(30)
            grad.setVisible(False)
            vel.setVisible(False)
            edge.setVisible(False)
            for item in (outline, line, marker, label, grad, vel, edge):
                self.plot_item.addItem(item)
            # The legend draws its sample from a PlotDataItem's options; this
            # one is never drawn itself.  A click on the sample hides the run.
            sample = pg.PlotDataItem([0.0], [0.0], antialias=True)  # a point: the symbol styles reach its scatter
            sample.visibleChanged.connect(lambda i=len(self._lines): self._sample_toggled(i))  # noqa: B008 - binds the row
            self._outlines.append(outline)
            self._lines.append(line)
            self._markers.append(marker)
            self._labels.append(label)
            self._grad_arrows.append(grad)
            self._vel_arrows.append(vel)
            self._edges.append(edge)
            self._legend_samples.append(sample)
            self._arrow_shown.append(False)
        self._apply_z()
        self.legend.clear()
        f = self.scale
        for i, sample in enumerate(self._legend_samples):
            used = i < len(titles)
            # A run hidden from the legend stays hidden while its title is on it.
            shown = used and titles[i] not in self._hidden_titles
            sample.blockSignals(True)
            sample.setVisible(shown or not used)
            sample.blockSignals(False)
            for item in self._run_items(i):
                item.setVisible(shown)
            self._labels[i].setVisible(False)
            if used:
                color = colors[i]
                self._outlines[i].set_pen(pg.mkPen(OUTLINE, width=5.5 * f))
                self._lines[i].set_pen(pg.mkPen(color, width=3 * f))
                self._markers[i].set_style(15 * f, pg.mkPen("w", width=2.5 * f), pg.mkBrush(color))
                self._grad_arrows[i].set_style(pg.mkPen(GRADIENT_ARROW, width=3 * f), VELOCITY_ARROW, 16 * f)
                self._vel_arrows[i].set_style(
                    pg.mkPen(VELOCITY_ARROW, width=3 * f, style=Qt.PenStyle.DashLine), GRADIENT_ARROW, 16 * f)
                self._edges[i].set_style(13 * f, pg.mkPen("w", width=2.5 * f), pg.mkBrush(color))
                self._labels[i].setColor(OUTLINE)
                sample.setPen(pg.mkPen(color, width=3 * f))
                sample.setSymbol("o")
                sample.setSymbolBrush(pg.mkBrush(color))
                sample.setSymbolPen(pg.mkPen(OUTLINE, width=1 * f))
                sample.setSymbolSize(6 * f)
                self.legend.addItem(sample, titles[i])
            else:
                self._lines[i].set_path(np.zeros(0), np.zeros(0))
                self._outlines[i].set_path(np.zeros(0), np.zeros(0))
                self._edges[i].setVisible(False)
        self.legend.setColumnCount(1)
        self._add_arrow_legend()

    def _add_arrow_legend(self) -> None:
        """Name the arrows shown in the legend, after the runs; hide the legend when it names nothing."""
        for sample, on, text in ((self._arrow_samples[0], self.show_gradient, tr("−g: steepest descent")),
                                 (self._arrow_samples[1], self.show_velocity, tr("v: velocity"))):
            if any(s is sample for s, _ in self.legend.items):
                self.legend.removeItem(sample)
            if on:
                sample.scale = self.scale
                self.legend.addItem(sample, text)
        self.legend.setVisible(bool(self.legend.items))   # nothing to name (a map without paths): no empty box
        self._place_legend()

    def _run_items(self, i: int) -> tuple:
        """The items drawn for run slot ``i`` whatever the step (its divergence label is shown per step)."""
        return (self._outlines[i], self._lines[i], self._markers[i], self._grad_arrows[i], self._vel_arrows[i])

    def show_all_runs(self) -> None:
        """Forget the runs hidden from the legend (they show again at the next `set_runs`)."""
        self._hidden_titles.clear()

    def _sample_toggled(self, i: int) -> None:
        shown = self._legend_samples[i].isVisible()
        if i < len(self._titles):
            (self._hidden_titles.discard if shown else self._hidden_titles.add)(self._titles[i])
        for item in self._run_items(i):
            item.setVisible(shown)

    def line_pen(self, i: int):
        """The pen of run ``i``'s path."""
        return self._lines[i].pen

    def current_point(self, i: int) -> tuple[float, float]:
        """Where run ``i``'s current-point marker is (data coordinates)."""
        return self._markers[i].point()

    def set_trajectories(self, trajectories: list[Trajectory]) -> None:
        """New trajectories for the runs (same order as `set_runs`); call `show_step` next."""
        self._trajectories = list(trajectories)
        domain = self.surface.domain if self.surface is not None else None
        self._exits = [map_exit(t, domain) if domain else None for t in self._trajectories]
        f = self.scale
        for i, t in enumerate(self._trajectories):
            self._outlines[i].set_path(t.x, t.y)
            self._lines[i].set_path(t.x, t.y)
            self._lines[i].set_dots(t.n_points <= MAX_DOTS, 6 * f, pg.mkPen(OUTLINE, width=1 * f),
                                    pg.mkBrush(self._colors[i]))
        self._place_legend()

    # -- per frame ---------------------------------------------------------
    def show_step(self, k: int) -> None:
        """Draw every run up to step ``k`` (a diverged run up to its last point)."""
        self.step = k
        stacked: dict[tuple[float, float], int] = {}   # labels already at a point this frame
        for i, t in enumerate(self._trajectories):
            n = min(k, t.last_step) + 1
            # Drawn where it was: off the map the view clips the path at the map's edge.
            self._outlines[i].set_count(n)
            self._lines[i].set_count(n)
            exit_ = self._exits[i] if i < len(self._exits) else None
            left = exit_ is not None and n > exit_[0]     # the current point is off the map
            shown = self._lines[i].isVisible()
            # A run whose start is outside f's domain has no point at all.
            px, py = (float(t.x[n - 1]), float(t.y[n - 1])) if n else t.start
            self._markers[i].setPos(px, py)
            self._markers[i].setVisible(n > 0 and shown and not left)
            edge = exit_[1] if left else None
            if edge is not None:
                self._edges[i].setPos(*edge)
                px, py = edge
            self._edges[i].setVisible(edge is not None and shown)
            label = self._labels[i]
            text = ""
            if t.diverged_at is not None and k >= t.diverged_at and shown:
                text = tr("{title}: diverged at step {k}").format(title=self._titles[i], k=t.diverged_at)
            elif left and shown:
                text = tr("{title}: left the map at step {k}").format(title=self._titles[i], k=exit_[0])
            if text:
                label.setText(text)
                lx, ly = self._inside(px, py)
                (x0, x1), _ = self.plot_item.viewRange()
                # Anchor by the point's place across the view: the text never leaves it.
                # Labels of runs ending at the same point (all from one undefined
                # start, say) stack instead of printing over each other: away
                # from the nearer edge, upwards in the lower half of the view.
                nth = stacked.get((lx, ly), 0)
                stacked[(lx, ly)] = nth + 1
                (_, _), (y0, y1) = self.plot_item.viewRange()
                row = 1 + nth if ly < (y0 + y1) / 2 else -nth      # upper half: below the point
                label.setAnchor((min(max((lx - x0) / (x1 - x0), 0.0), 1.0), row))
                label.setPos(lx, ly)
                label.setVisible(True)
            else:
                label.setVisible(False)
            self._update_arrow(i, t, n - 1 if n and not left else -1)
        self._declutter_labels()

    def _declutter_labels(self) -> None:
        """Move each shown label off the legend and the labels before it."""
        declutter([label for label in self._labels if label.isVisible()], self.plot_item.vb,
                  self.legend.sceneBoundingRect())

    def label_text(self, i: int) -> str:
        """The divergence label of run ``i`` ('' when hidden)."""
        label = self._labels[i]
        return label.toPlainText() if label.isVisible() else ""

    def set_arrows(self, gradient: bool, velocity: bool) -> None:
        """Show −gradient and/or velocity arrows at the current points (named in the legend)."""
        changed = (bool(gradient), bool(velocity)) != (self.show_gradient, self.show_velocity)
        self.show_gradient, self.show_velocity = bool(gradient), bool(velocity)
        if changed:
            self._add_arrow_legend()

    def arrows(self, i: int) -> tuple[Arrow, Arrow]:
        """Run ``i``'s −gradient and velocity arrow items."""
        return self._grad_arrows[i], self._vel_arrows[i]

    def _update_arrow(self, i: int, t: Trajectory, k: int) -> None:
        """Point run ``i``'s arrows from its point at step ``k`` (k < 0: hide them)."""
        wanted = (self.show_gradient, self.show_velocity and "v" in t.state and t.optimizer in ("momentum", "nesterov"))
        shown = self._lines[i].isVisible() and k >= 0 and self.surface is not None
        for arrow, on, vec in ((self._grad_arrows[i], wanted[0], lambda: -t.grad[k]),
                               (self._vel_arrows[i], wanted[1], lambda: t.state["v"][k])):
            tip = None
            if on and shown:
                xmin, xmax, ymin, ymax = self.surface.domain
                v = np.asarray(vec(), dtype=float)
                norm = float(np.hypot(*v))
                if norm > 0 and math.isfinite(norm):
                    # Unit length on screen, scaled by the domain: direction is the lesson.
                    px, py = float(t.x[k]), float(t.y[k])
                    dx, dy = v / norm * 0.12 * math.hypot(xmax - xmin, ymax - ymin)
                    tip = (px, py), (px + dx, py + dy)
            if tip is None:
                if arrow.isVisible():
                    arrow.set_vector(None)
                    arrow.setVisible(False)
            else:
                arrow.set_vector(*tip)
                arrow.setVisible(True)

    def _inside(self, x: float, y: float) -> tuple[float, float]:
        """(x, y) pulled inside the view so a label of a far-away point stays visible."""
        (x0, x1), (y0, y1) = self.plot_item.viewRange()
        if not (math.isfinite(x) and math.isfinite(y)):
            return x0, y1
        mx, my = 0.02 * (x1 - x0), 0.08 * (y1 - y0)
        return min(max(x, x0 + mx), x1 - mx), min(max(y, y0 + my), y1 - 0.02 * (y1 - y0))

    # -- input -------------------------------------------------------------
    def view_to_widget(self, x: float, y: float) -> QPoint:
        """Where the data point (x, y) is in the plot widget's viewport (for tests)."""
        scene = self.plot_item.vb.mapViewToScene(QPointF(x, y))
        return self.plot.mapFromScene(scene)

    def _on_click(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton or event.double() or event.isAccepted():
            return  # an item took the click (a legend sample toggling its run)
        vb = self.plot_item.vb
        pos = event.scenePos()
        if not vb.sceneBoundingRect().contains(pos):
            return
        point = vb.mapSceneToView(pos)
        event.accept()
        self.start_clicked.emit(float(point.x()), float(point.y()))


def _bold(size: float) -> QFont:
    font = QFont()
    font.setPointSizeF(size)
    font.setBold(True)
    return font
