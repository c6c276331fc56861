"""The 3-D view: a shaded viridis surface with the trajectories lifted above it.

The height drawn is the map's colour value (f, or log10(f − f_min) for
log-coloured surfaces), clipped to its colour range and scaled so the surface
is about 0.35× as tall as the domain is wide: a steep corner (Rosenbrock,
Goldstein–Price) is a plateau, not a spike.  Trajectories use the same
transform of their recorded loss plus a small lift, and are drawn without
depth test so the surface never hides them; a run that leaves the map is
drawn up to the map's edge (`map_exit`), where a square marks where it left —
never along the edge it never walked.  The first run (or `set_highlight`'s)
is drawn above the others.  The x and y axes are named at the far edges.  Mouse: drag to orbit, wheel to
zoom; "Reset view" restores the default camera.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import pyqtgraph.opengl as gl
from OpenGL import GL
from pyqtgraph.opengl.GLViewWidget import GLViewMixin
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFont, QVector3D
from PySide6.QtOpenGL import QOpenGLWindow
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from optilab.surfaces import Surface
from optilab.trajectory import Trajectory
from optilab.ui.i18n import bind, tr
from optilab.ui.palette import COLORMAP, THEMES, Theme
from optilab.ui.surface_lab.overlays import draw_order, map_exit
from optilab.ui.surface_lab.view_2d import MapData

#: Samples per axis of the 3-D mesh (the 2-D map uses a finer grid).
GRID_3D = 90
#: Height of the surface relative to the domain's mean side (geometric mean).
HEIGHT = 0.35

_ON_TOP = {
    GL.GL_DEPTH_TEST: False,
    GL.GL_BLEND: True,
    GL.GL_CULL_FACE: False,
    "glBlendFuncSeparate": (GL.GL_SRC_ALPHA, GL.GL_ONE_MINUS_SRC_ALPHA, GL.GL_ONE, GL.GL_ONE_MINUS_SRC_ALPHA),
}


class HeightMap:
    """Maps (x, y, f) to the drawn 3-D point, consistently for mesh and paths."""

    def __init__(self, surface: Surface, n: int = GRID_3D) -> None:
        self.map = MapData.from_surface(surface, n)
        xmin, xmax, ymin, ymax = surface.domain
        self.domain = surface.domain
        self.span = max(xmax - xmin, ymax - ymin)
        self.height = HEIGHT * float(np.sqrt((xmax - xmin) * (ymax - ymin)))
        self.lift = 0.02 * self.height
        lo, hi = self.map.levels
        self._lo, self._hi = lo, hi
        # Paths' heights by the map's own log transform (log10(f − shift + δ)).
        self._offset = (self.map.shift, self.map.delta) if self.map.log else None

    def normalised(self, values: np.ndarray) -> np.ndarray:
        """Colour values → [0, 1]."""
        with np.errstate(all="ignore"):
            out = (values - self._lo) / (self._hi - self._lo)
        return np.clip(np.nan_to_num(out, nan=1.0, posinf=1.0, neginf=0.0), 0.0, 1.0)

    def z_of_loss(self, loss: np.ndarray) -> np.ndarray:
        """Recorded losses → drawn heights (same transform as the mesh)."""
        loss = np.asarray(loss, dtype=float)
        if self._offset is not None:
            zmin, delta = self._offset
            with np.errstate(all="ignore"):
                loss = np.log10(np.maximum(loss - zmin, 0.0) + delta)
        return self.normalised(loss) * self.height

    def path(self, t: Trajectory, surface: Surface) -> tuple[np.ndarray, int | None]:
        """Run ``t``'s drawn 3-D points — up to where it leaves the map, ending on the edge — and that step."""
        exit_ = map_exit(t, self.domain)
        n = t.n_points if exit_ is None else exit_[0]
        x, y, z = t.x[:n], t.y[:n], self.z_of_loss(t.loss[:n])
        if exit_ is not None and exit_[1] is not None:
            ex, ey = exit_[1]
            with np.errstate(all="ignore"):
                ez = self.z_of_loss(np.array([float(surface.f(ex, ey))]))
            x, y, z = np.append(x, ex), np.append(y, ey), np.append(z, ez)
        pts = np.column_stack([x, y, z + self.lift]) if len(x) else np.zeros((0, 3))
        return np.ascontiguousarray(pts, dtype=np.float32), None if exit_ is None else exit_[0]


class GLViewWindow(GLViewMixin, QOpenGLWindow):
    """pyqtgraph's 3-D view as a native `QOpenGLWindow` (embedded with a window container).

    A `QOpenGLWidget` makes Qt compose the *whole* main window through OpenGL
    on every repaint of any widget, which under software GL (a projector
    laptop, Xvfb) triples the cost of each 2-D animation frame.  A native
    child window renders on its own and leaves the rest of the window on the
    raster backing store.  Same API as `GLViewWidget` (items, camera, grabFramebuffer).
    """

    def __init__(self) -> None:
        super().__init__()

    def rect(self) -> QRect:
        """The window's rectangle in its own coordinates (`GLTextItem` asks for it)."""
        return QRect(0, 0, self.width(), self.height())


class SurfaceView3D(QWidget):
    """The 3-D surface with trajectories; `gl_view` is the `GLViewWidget`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.gl_view = GLViewWindow()
        self.gl_view.setBackgroundColor((250, 250, 250))
        self.gl_container = QWidget.createWindowContainer(self.gl_view, self)
        self.gl_container.setMinimumSize(200, 200)
        self.gl_container.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.reset_button = QPushButton()
        bind(self.reset_button, "setText", "Reset view")
        bind(self.reset_button, "setToolTip", "Drag to orbit, wheel to zoom; this restores the default camera")
        self.reset_button.clicked.connect(self.reset_view)
        bar = QHBoxLayout()
        bar.setContentsMargins(4, 2, 4, 2)
        bar.addStretch(1)
        bar.addWidget(self.reset_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.gl_container, 1)
        layout.addLayout(bar)

        self.colormap = pg.colormap.get(COLORMAP)
        self.surface_item = gl.GLSurfacePlotItem(shader="shaded", smooth=True, computeNormals=True)
        self.gl_view.addItem(self.surface_item)
        self.minima = gl.GLScatterPlotItem(size=14, color=(1, 1, 1, 1), pxMode=True)
        self.minima.setGLOptions(_ON_TOP)
        self.gl_view.addItem(self.minima)
        self.current = gl.GLScatterPlotItem(size=14, pxMode=True)
        self.current.setGLOptions(_ON_TOP)
        self.current.setDepthValue(20)
        self.gl_view.addItem(self.current)
        self.edges = gl.GLScatterPlotItem(size=12, pxMode=True)   # where runs left the map
        self.edges.setGLOptions(_ON_TOP)
        self.edges.setDepthValue(19)
        self.gl_view.addItem(self.edges)
        self.axis_names = ("x", "y")
        self._axis_labels = [gl.GLTextItem(color=(20, 20, 20)) for _ in range(2)]
        for item in self._axis_labels:
            item.setGLOptions(_ON_TOP)
            item.setDepthValue(25)
            self.gl_view.addItem(item)
        self.highlight: int | None = 0
        self._exits: list[int | None] = []
        self._outlines: list[gl.GLLinePlotItem] = []
        self._lines: list[gl.GLLinePlotItem] = []
        self._labels: list[gl.GLTextItem] = []
        self._colors: list[tuple[float, float, float, float]] = []
        self._titles: list[str] = []
        self._trajectories: list[Trajectory] = []
        self._paths: list[np.ndarray] = []
        self.heights: HeightMap | None = None
        self.surface: Surface | None = None
        self.scale = 1.0
        self.theme: Theme = THEMES["light"]

    # -- presentation ------------------------------------------------------
    def set_scale(self, factor: float) -> None:
        """Scale line widths, markers and label fonts by ``factor``; `set_runs` applies it to runs."""
        self.scale = float(factor)
        self.minima.setData(size=14 * self.scale)
        self._place_axis_labels()

    def set_theme(self, theme: Theme) -> None:
        """Background and label colour for a light or dark theme."""
        self.theme = theme
        self.gl_view.setBackgroundColor(theme.gl_background)
        text = (20, 20, 20) if theme.key == "light" else (240, 240, 240)
        for label in self._labels + self._axis_labels:
            label.setData(color=text)

    def set_axis_names(self, x: str, y: str) -> None:
        """Name the axes (drawn at the far edges of the surface); "x", "y" by default."""
        self.axis_names = (str(x), str(y))
        self._place_axis_labels()

    def _place_axis_labels(self) -> None:
        if self.heights is None:
            return
        xmin, xmax, ymin, ymax = self.heights.domain
        font = QFont()
        font.setPointSizeF(12 * self.scale)
        font.setBold(True)
        self._axis_labels[0].setData(pos=(xmax, ymin - 0.06 * (ymax - ymin), 0.0), text=self.axis_names[0], font=font)
        self._axis_labels[1].setData(pos=(xmin - 0.06 * (xmax - xmin), ymax, 0.0), text=self.axis_names[1], font=font)

    def set_highlight(self, index: int | None) -> None:
        """Draw run ``index`` above every other run (None: the first on top)."""
        self.highlight = index
        self._apply_depth()

    def _apply_depth(self) -> None:
        """The highlighted (else the first) run drawn last, then the runs in order above the later ones."""
        n = len(self._lines)
        for rank, i in enumerate(draw_order(n, self.highlight)):
            self._outlines[i].setDepthValue(10 + 2 * (n - rank))
            self._lines[i].setDepthValue(11 + 2 * (n - rank))

    # -- scene -------------------------------------------------------------
    def set_surface(self, surface: Surface) -> None:
        """Build the mesh of ``surface`` and point the camera at it."""
        self.surface = surface
        h = self.heights = HeightMap(surface)
        m = h.map
        zn = h.normalised(m.values)
        colors = self.colormap.map(zn, mode="float")
        self.surface_item.setData(x=m.xs, y=m.ys, z=zn * h.height, colors=colors)
        _fill_vertex_normals(self.surface_item.opts["meshdata"])
        minima = np.array(surface.minima, dtype=float).reshape(-1, 2)
        if len(minima):
            z = h.z_of_loss(surface.f(minima[:, 0], minima[:, 1]) * np.ones(len(minima))) + h.lift
            self.minima.setData(pos=np.column_stack([minima, z]))
            self.minima.setVisible(True)
        else:
            self.minima.setVisible(False)
        self._place_axis_labels()
        self.reset_view()

    def reset_view(self) -> None:
        """The default camera: the whole surface from the front-left, above."""
        if self.heights is None:
            return
        xmin, xmax, ymin, ymax = self.heights.domain
        center = QVector3D((xmin + xmax) / 2, (ymin + ymax) / 2, self.heights.height * 0.35)
        self.gl_view.setCameraPosition(
            pos=center, distance=1.45 * self.heights.span, elevation=45, azimuth=-75
        )

    def set_runs(self, titles: list[str], colors: list[str]) -> None:
        """Colours and titles of the runs (pooled line items)."""
        self._titles = list(titles)
        self._colors = [pg.mkColor(c).getRgbF() for c in colors]
        font = QFont()
        font.setPointSizeF(11 * self.scale)
        font.setBold(True)
        text_color = (20, 20, 20) if self.theme.key == "light" else (240, 240, 240)
        while len(self._lines) < len(titles):
            outline = gl.GLLinePlotItem(width=6, color=(0.1, 0.1, 0.1, 1), antialias=True, mode="line_strip")
            line = gl.GLLinePlotItem(width=3, antialias=True, mode="line_strip")
            label = gl.GLTextItem(
                font=font, color=text_color,
                alignment=Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom,
            )
            outline.setGLOptions(_ON_TOP)
            line.setGLOptions(_ON_TOP)
            label.setGLOptions(_ON_TOP)
            outline.setDepthValue(10)
            line.setDepthValue(11)
            label.setDepthValue(30)
            for item in (outline, line, label):
                self.gl_view.addItem(item)
            self._outlines.append(outline)
            self._lines.append(line)
            self._labels.append(label)
        self._apply_depth()
        for i, (outline, line, label) in enumerate(zip(self._outlines, self._lines, self._labels, strict=False)):
            used = i < len(titles)
            outline.setVisible(used)
            line.setVisible(used)
            label.setVisible(False)
            label.setData(font=font)
            if used:
                line.setData(color=self._colors[i], width=3 * self.scale)
                outline.setData(width=6 * self.scale)

    def set_trajectories(self, trajectories: list[Trajectory]) -> None:
        """New trajectories; their 3-D paths are prepared once here."""
        self._trajectories = list(trajectories)
        self._paths, self._exits = [], []
        h = self.heights
        for t in self._trajectories:
            if h is None or self.surface is None:
                self._paths.append(np.zeros((t.n_points, 3), dtype=np.float32))
                self._exits.append(None)
                continue
            path, exit_step = h.path(t, self.surface)
            self._paths.append(path)
            self._exits.append(exit_step)

    # -- per frame ---------------------------------------------------------
    def show_step(self, k: int) -> None:
        """Draw every run up to step ``k``."""
        current, colors, owners, edges, edge_colors = [], [], [], [], []
        stacked: dict[tuple[float, ...], int] = {}   # labels already at a point this frame
        span = self.heights.span if self.heights else 1.0
        for i, (t, path) in enumerate(zip(self._trajectories, self._paths, strict=False)):
            exit_step = self._exits[i]
            left = exit_step is not None and k >= exit_step
            # Up to step k; after leaving, the path ends on the edge (its last drawn point).
            n = len(path) if left else min(k, t.last_step) + 1
            if left and n:
                pts = path if n > 1 else np.repeat(path[:1], 2, axis=0)
                self._outlines[i].setData(pos=pts)
                self._lines[i].setData(pos=pts)
                end = path[n - 1]
                if n > exit_step:       # there is an edge point (the start was on the map)
                    edges.append(end)
                    edge_colors.append(self._colors[i])
            elif n:
                pts = path[:n] if n > 1 else np.repeat(path[:1], 2, axis=0)
                self._outlines[i].setData(pos=pts)
                self._lines[i].setData(pos=pts)
                current.append(path[n - 1])
                colors.append(self._colors[i])
                owners.append(i)
                end = path[n - 1]
            else:
                # The start is outside f's domain: nothing to draw; the label
                # floats above the start at the top of the box.
                top = self.heights.height if self.heights else 0.0
                end = np.array([t.start[0], t.start[1], top], dtype=float)
            self._outlines[i].setVisible(n > 0)
            self._lines[i].setVisible(n > 0)
            label = self._labels[i]
            text = ""
            if t.diverged_at is not None and k >= t.diverged_at:
                text = tr("{title}: diverged at step {k}").format(title=self._titles[i], k=t.diverged_at)
            elif left:
                text = tr("{title}: left the map at step {k}").format(title=self._titles[i], k=exit_step)
            if text:
                # Labels of runs ending at the same point stack upwards.
                # (and so do labels of runs ending near each other: within a third of the map)
                near = [key for key in stacked if np.hypot(key[0] - end[0], key[1] - end[1]) < 0.35 * span]
                above = sum(stacked[key] for key in near)
                stacked[tuple(end.tolist())] = stacked.get(tuple(end.tolist()), 0) + 1
                lift = self.heights.lift if self.heights else 0.0
                label.setData(
                    pos=end + np.array([0, 0, (2 + 16 * above) * lift]),
                    text=text,
                )
                label.setVisible(True)
            else:
                label.setVisible(False)
        if current:
            # Drawn in order, the last on top: the highlighted (else the first) run last.
            top = self.highlight if self.highlight is not None else 0
            order = sorted(range(len(current)), key=lambda j: owners[j] == top)
            current, colors = [current[j] for j in order], [colors[j] for j in order]
            self.current.setData(pos=np.array(current), color=np.array(colors), size=16 * self.scale)
            self.current.setVisible(True)
        else:
            self.current.setVisible(False)
        if edges:
            self.edges.setData(pos=np.array(edges), color=np.array(edge_colors), size=14 * self.scale)
        self.edges.setVisible(bool(edges))

    def label_text(self, i: int) -> str:
        """The divergence label of run ``i`` ('' when hidden)."""
        label = self._labels[i]
        return label.text if label.visible() else ""

    def grab_image(self):
        """The rendered framebuffer as a QImage."""
        return self.gl_view.grabFramebuffer()


def _fill_vertex_normals(md: gl.MeshData) -> None:
    """Give ``md`` its per-vertex normals now, vectorised.

    pyqtgraph computes them lazily at the first paint with a Python loop over
    the 8,100 vertices (about 0.15 s of start-up, profiled, and again on
    every surface change).  Same definition: the normalised sum of the normals of the faces
    that touch the vertex.
    """
    verts, faces = md.vertexes(), md.faces()
    # Face normals as MeshData.faceNormals defines them, (v1 − v0) × (v2 − v0),
    # computed here: calling faceNormals() caches face-indexed vertexes, and
    # the mesh item would then index the (nx, ny, 4) colours by face.
    v = verts[faces]
    face_normals = np.cross(v[:, 1] - v[:, 0], v[:, 2] - v[:, 0])
    sums = np.zeros((len(verts), 3))
    for axis in range(3):
        w = face_normals[:, axis]
        sums[:, axis] = sum(np.bincount(faces[:, k], weights=w, minlength=len(verts)) for k in range(3))
    norm = np.sqrt((sums ** 2).sum(axis=1, keepdims=True))
    with np.errstate(invalid="ignore", divide="ignore"):
        normals = np.where(norm > 0, sums / norm, 0.0)
    md._vertexNormals = normals.astype(np.float32)  # pyqtgraph has no public setter
