"""The picture exporters: the surface lab's map, 3-D view, window and animation, registered.

Every format optilab writes is an `optilab.exporters.Exporter` in the one
registry; this module registers the surface lab's pictures ("map-png",
"map-svg", "3d-png", "window-png", "gif"; the trajectories' CSV and JSON are
registered by the core), and `optilab.ui.training_lab.plot_export` the
training plots.  The window's Export dialog and the training pane's Export
menu list `exporters.for_view`.

Every export is encoded in memory first, then written with
`optilab.fileio.write_bytes_atomic`: a temporary file beside the target
replaces it only once complete, so a failed or cancelled export (a full disk,
a read-only folder) never leaves half a file behind nor harms the previous
one, a symlink is written through, and a folder, FIFO or device is refused.
Failures are `OSError`s whose ``strerror`` says what is wrong and what to do
(`optilab.fileio.WriteError`); `write_failure` makes the one line the window shows.

The 2-D plot goes to PNG and SVG through `optilab.ui.svg`: one picture, the
screen scaled as a whole to the width asked (text, lines, markers and legend
grow with it), whose SVG draws alike in QtSvg and librsvg.  The 3-D view is
rendered off-screen at any size with `GLViewWidget.renderToArray`, its line
widths, marker sizes and label fonts scaled with the picture; an animation is rendered frame by frame
(one frame per step, at most `MAX_GIF_FRAMES`) and written with Pillow.
"""

from __future__ import annotations

import io
import math
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import pyqtgraph as pg
import pyqtgraph.opengl as gl
from PySide6.QtCore import QBuffer, QIODevice, QPoint, QRect, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPixmap
from PySide6.QtWidgets import QWidget

from optilab import exporters, fileio, messages
from optilab.exporters import Exporter, ExportOptions
from optilab.ui import svg
from optilab.ui.i18n import tr, tr_message


class SurfaceLabPane(Protocol):
    """What the surface lab's exporters read of `optilab.ui.surface_lab.SurfaceLabPane` (typed here so
    that the training lab, which exports through this module, never imports the surface lab)."""

    view_2d: Any
    view_3d: Any
    trajectories: Any
    surface: Any
    steps: int
    step: int

    def pause(self) -> None: ...
    def set_step(self, k: int, force: bool = False) -> None: ...
    def show_views(self, show_2d: bool | None = None, show_3d: bool | None = None) -> None: ...
    def grab_picture(self) -> QPixmap: ...
    def isVisible(self) -> bool: ...
    def mapTo(self, parent: QWidget, pos: QPoint) -> QPoint: ...
    def window(self) -> QWidget: ...

#: Longest animation written: a 1000-step lesson is sampled every few steps.
MAX_GIF_FRAMES = 200
#: What a GIF shows.
GIF_VIEWS = ("2d", "3d", "both")



def write_bytes(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` atomically (`optilab.fileio.write_bytes_atomic`); OSError on failure."""
    return fileio.write_bytes_atomic(path, data)


def write_failure(path: str | Path, exc: BaseException) -> str:
    """One line for a file that could not be written: the file, what is wrong and what to do.

    `optilab.fileio.WriteError` says what is wrong and what to do (naming the
    folder when the folder is at fault); another OSError gives its system
    reason (never the temporary file's name) and the advice; any other
    exception its message (`optilab.messages.of`).
    """
    if isinstance(exc, fileio.WriteError) and exc.strerror:
        # Its message is "{file or folder}: what is wrong; what to do", translated by its code.
        line = tr_message(messages.of(exc))
        named = Path(exc.filename) if exc.filename else None
        prefix = f"{exc.filename}: "
        if (named is None or named in (Path(path), Path(os.path.realpath(path)))) and line.startswith(prefix):
            line = line[len(prefix):]  # the file is named once, by the sentence around it
        return tr("Could not write {path}: {reason}").format(path=path, reason=line)
    if not isinstance(exc, OSError):
        # optilab's own refusals (a wrong suffix, a too-large picture) already say what to do.
        return tr("Could not write {path}: {reason}").format(path=path, reason=tr_message(messages.of(exc)))
    reason = tr_message(exc.strerror or type(exc).__name__)
    return tr("Could not write {path}: {reason}; choose another file or folder").format(path=path, reason=reason)


def png_bytes(image: QImage, dpi: float | None = None) -> bytes:
    """``image`` encoded as PNG (``dpi`` in its metadata); b"" if Qt cannot encode it."""
    if dpi:
        image = QImage(image)
        dots = round(dpi / 0.0254)
        image.setDotsPerMeterX(dots)
        image.setDotsPerMeterY(dots)
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    ok = image.save(buffer, "PNG")
    buffer.close()
    return bytes(buffer.data().data()) if ok else b""


def export_image_png(image: QImage, path: str | os.PathLike[str]) -> Path:
    """``image`` as a PNG file."""
    return write_bytes(path, png_bytes(image))


def export_plot_png(plot_item: pg.PlotItem, path: str | os.PathLike[str], width: int | None = None,
                    dpi: float | None = None) -> Path:
    """A pyqtgraph plot as PNG, ``width`` pixels wide (the screen scaled as a whole), ``dpi`` in its metadata."""
    return write_bytes(path, png_bytes(svg.render_image(plot_item, width), dpi))


def export_plot_svg(plot_item: pg.PlotItem, path: str | os.PathLike[str], width: int | None = None) -> Path:
    """A pyqtgraph plot as SVG (`optilab.ui.svg`): vectors, the colour map as an embedded image.

    ``width`` in pixels (None: as on screen); the same picture as `export_plot_png`.
    """
    return svg.write_svg(plot_item, path, width)


def image_from_bgra(array: np.ndarray) -> QImage:
    """A QImage (RGB888, own copy) from a (h, w, 4) BGRA array such as `renderToArray` returns."""
    rgb = np.ascontiguousarray(array[..., [2, 1, 0]])
    h, w = rgb.shape[:2]
    return QImage(rgb.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()


@contextmanager
def _gl_scaled(gl_view, k: float) -> Iterator[None]:
    """The 3-D items' pixel sizes (line widths, marker sizes, label fonts) × ``k``, restored afterwards."""
    restore: list[Callable[[], object]] = []
    try:
        if abs(k - 1.0) > 1e-6:
            for item in gl_view.items:
                if isinstance(item, gl.GLLinePlotItem):
                    width = item.width
                    item.setData(width=width * k)
                    restore.append(lambda item=item, width=width: item.setData(width=width))
                elif isinstance(item, gl.GLScatterPlotItem) and item.pxMode:
                    size = item.size
                    item.setData(size=np.asarray(size, dtype=float) * k if np.ndim(size) else size * k)
                    restore.append(lambda item=item, size=size: item.setData(size=size))
                elif isinstance(item, gl.GLTextItem):
                    font = QFont(item.font)
                    bigger = QFont(font)
                    if font.pointSizeF() > 0:
                        bigger.setPointSizeF(font.pointSizeF() * k)
                    else:
                        bigger.setPixelSize(max(1, round(font.pixelSize() * k)))
                    item.setData(font=bigger)
                    restore.append(lambda item=item, font=font: item.setData(font=font))
        yield
    finally:
        for undo in reversed(restore):
            undo()


def render_3d(pane: SurfaceLabPane, size: tuple[int, int]) -> QImage:
    """The 3-D view rendered off-screen at ``size`` = (width, height) pixels: the screen scaled.

    Line widths, marker sizes and label fonts grow by the ratio of ``width`` to
    the on-screen width (the camera's field of view spans the width).
    """
    w, h = int(size[0]), int(size[1])
    gl_view = pane.view_3d.gl_view
    k = w / max(1, gl_view.width())
    texts = [item for item in gl_view.items
             if isinstance(item, gl.GLTextItem) and item.visible() and item.text]
    with _gl_scaled(gl_view, k):
        # A GLTextItem paints with a QPainter on the widget itself: in
        # renderToArray's off-screen tiles it would miss the picture and
        # scribble each tile's labels over the window.  Hidden meanwhile,
        # the labels are drawn on the picture afterwards.
        for item in texts:
            item.setVisible(False)
        try:
            image = image_from_bgra(gl_view.renderToArray((w, h)))
        finally:
            for item in texts:
                item.setVisible(True)
        _paint_gl_texts(gl_view, texts, image, k)
    gl_view.update()
    return image


def _paint_gl_texts(gl_view, texts: list, image: QImage, k: float) -> None:
    """Draw the 3-D labels ``texts`` (`GLTextItem`s) on ``image``, rendered ``k``× the screen.

    Each label's on-screen position is projected as pyqtgraph does, then
    mapped to the export (scaled by ``k`` about the centre: the field of view
    spans the width).
    """
    from PySide6.QtGui import QMatrix4x4, QVector3D

    sw, sh = gl_view.width(), gl_view.height()
    projection = gl_view.projectionMatrix((0, 0, sw, sh), (0, 0, sw, sh))
    to_pixels = QMatrix4x4()
    to_pixels.viewport(0, sh, sw, -sh)
    painter = QPainter(image)
    painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
    try:
        for item in texts:
            mvp = to_pixels * projection * gl_view.viewMatrix() * item.viewTransform()
            at = mvp.map(QVector3D(*[float(v) for v in item.pos])).toPointF()
            at.setX((at.x() - sw / 2) * k + image.width() / 2)
            at.setY((at.y() - sh / 2) * k + image.height() / 2)
            painter.setPen(item.color)
            painter.setFont(item.font)
            painter.drawText(item.align_text(at), item.text)
    finally:
        painter.end()


def export_3d_png(pane: SurfaceLabPane, path: str | os.PathLike[str], size: tuple[int, int],
                  dpi: float | None = None) -> Path:
    """The 3-D view as PNG at ``size`` pixels (any size: rendered in tiles), ``dpi`` in its metadata."""
    return write_bytes(path, png_bytes(render_3d(pane, size), dpi))


def grab_window(window: QWidget, pane: SurfaceLabPane) -> QPixmap:
    """``window`` as a picture, with the surface lab's 3-D frame painted in when the lab is shown
    (a GL view grabs blank in `QWidget.grab`)."""
    pixmap = window.grab()
    if pane.isVisible():
        painter = QPainter(pixmap)
        painter.drawPixmap(pane.mapTo(window, QPoint(0, 0)), pane.grab_picture())
        painter.end()
    return pixmap


# -- animation ----------------------------------------------------------------
def gif_steps(steps: int, max_frames: int = MAX_GIF_FRAMES) -> list[int]:
    """The steps drawn as frames: every step 0…steps, or evenly sampled (always with the last)."""
    stride = max(1, math.ceil((steps + 1) / max_frames))
    chosen = list(range(0, steps + 1, stride))
    if chosen[-1] != steps:
        chosen.append(steps)
    return chosen


def _stamp(image: QImage, text: str, scale: float = 1.0) -> QImage:
    """``image`` with ``text`` in a box at its top-left corner (each frame names its step)."""
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    painter = QPainter(image)
    font = QFont()
    font.setPointSizeF(12 * scale)
    font.setBold(True)
    painter.setFont(font)
    metrics = painter.fontMetrics()
    box = QRect(6, 6, metrics.horizontalAdvance(text) + 14, metrics.height() + 8)
    painter.fillRect(box, QColor(255, 255, 255, 225))
    painter.setPen(QColor("#111111"))
    painter.drawText(box, int(Qt.AlignmentFlag.AlignCenter), text)
    painter.end()
    return image


def _side_by_side(left: QImage, right: QImage) -> QImage:
    height = max(left.height(), right.height())
    out = QImage(left.width() + right.width(), height, QImage.Format.Format_RGB888)
    out.fill(QColor("white"))
    painter = QPainter(out)
    painter.drawImage(0, (height - left.height()) // 2, left)
    painter.drawImage(left.width(), (height - right.height()) // 2, right)
    painter.end()
    return out


def render_frame(pane: SurfaceLabPane, k: int, which: str = "2d") -> QImage:
    """Step ``k`` of the animation as the 2-D map, the 3-D view or both side by side."""
    parts = []
    if which in ("2d", "both"):
        pane.view_2d.show_step(k)
        parts.append(pane.view_2d.plot.grab().toImage())
    if which in ("3d", "both"):
        pane.view_3d.show_step(k)
        parts.append(pane.view_3d.gl_view.grabFramebuffer())
    image = parts[0] if len(parts) == 1 else _side_by_side(*parts)
    return _stamp(image, tr("step {k} / {n}").format(k=k, n=pane.steps))


def _to_pil(image: QImage):
    from PIL import Image

    image = image.convertToFormat(QImage.Format.Format_RGB888)
    w, h = image.width(), image.height()
    data = bytes(image.constBits())
    return Image.frombuffer("RGB", (w, h), data, "raw", "RGB", image.bytesPerLine(), 1).copy()


def export_gif(
    pane: SurfaceLabPane,
    path: str | os.PathLike[str],
    which: str = "2d",
    fps: float = 10,
    progress: Callable[[int, int], object] | None = None,
    cancel: Callable[[], bool] | None = None,
    width: int | None = None,
    max_frames: int = MAX_GIF_FRAMES,
) -> int:
    """Write the animation of the current runs as an animated GIF; returns the number of frames.

    One frame per step 0…steps (sampled down to ``max_frames``), each
    stamped "step k / n" and shown 1/``fps`` s; the GIF loops.  ``progress(done,
    total)`` is called after each frame; when ``cancel()`` turns true the
    export stops, nothing is written and 0 is returned.  ``width`` scales the
    frames (None: the views' size on screen).  The lab's step is restored.
    """
    if which not in GIF_VIEWS:
        raise exporters.BAD_GIF_VIEW.error(choices=", ".join(GIF_VIEWS), which=which)
    if not fps > 0:
        raise exporters.BAD_FPS.error(fps=fps)
    fileio.resolve_target(path)  # a folder, FIFO or missing folder fails before the frames are drawn
    pane.pause()
    shown_step = pane.step
    hidden = {"2d": pane.view_2d.isHidden(), "3d": pane.view_3d.isHidden()}
    pane.show_views(show_2d=which in ("2d", "both") or not hidden["2d"],
                    show_3d=which in ("3d", "both") or not hidden["3d"])
    frames = []
    steps = gif_steps(pane.steps, max_frames)
    try:
        for done, k in enumerate(steps, start=1):
            if cancel is not None and cancel():
                return 0
            image = render_frame(pane, k, which)
            if width:
                image = image.scaledToWidth(int(width), Qt.TransformationMode.SmoothTransformation)
            frames.append(_to_pil(image))
            if progress is not None:
                progress(done, len(steps))
    finally:
        pane.show_views(show_2d=not hidden["2d"], show_3d=not hidden["3d"])
        pane.set_step(shown_step, force=True)
    duration = max(20, round(1000 / fps))

    data = io.BytesIO()
    frames[0].save(data, format="GIF", save_all=True, append_images=frames[1:], duration=duration, loop=0)
    write_bytes(path, data.getvalue())
    return len(frames)


# -- the surface lab's pictures in the one registry (`optilab.exporters`) ------------------
def _map_png(pane: SurfaceLabPane, path: Path, o: ExportOptions) -> Path:
    return export_plot_png(pane.view_2d.plot_item, path, o.width, o.dpi)


def _map_svg(pane: SurfaceLabPane, path: Path, o: ExportOptions) -> Path:
    return export_plot_svg(pane.view_2d.plot_item, path, o.width)


def _view_3d_png(pane: SurfaceLabPane, path: Path, o: ExportOptions) -> Path:
    return export_3d_png(pane, path, (o.width or pane.view_3d.gl_view.width(),
                                      o.height or pane.view_3d.gl_view.height()), o.dpi)


def _window_png(pane: SurfaceLabPane, path: Path, _o: ExportOptions) -> Path:
    return export_image_png(grab_window(pane.window(), pane).toImage(), path)


def _gif(pane: SurfaceLabPane, path: Path, o: ExportOptions) -> Path | None:
    frames = export_gif(pane, path, o.which, o.fps, o.progress, o.cancel, o.width)
    return path if frames else None


_PNG, _SVG = "PNG images (*.png)", "SVG images (*.svg)"
for _exporter in (
    Exporter("map-png", "2-D map as PNG", ".png", _PNG, "surface", _map_png, frozenset({"width", "dpi"}), order=10),
    Exporter("map-svg", "2-D map as SVG", ".svg", _SVG, "surface", _map_svg, order=20),
    Exporter("3d-png", "3-D view as PNG", ".png", _PNG, "surface", _view_3d_png,
             frozenset({"width", "height", "dpi"}), order=30),
    Exporter("window-png", "Whole window as PNG", ".png", _PNG, "surface", _window_png, order=40),
    Exporter("gif", "Animation as GIF", ".gif", "GIF animations (*.gif)", "surface", _gif,
             frozenset({"width", "which", "fps"}), order=70),
):
    exporters.register(_exporter)
