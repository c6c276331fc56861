"""Exports of the surface lab: pictures, vector maps, trajectories, animated GIFs.

Every function writes atomically: the data go to a temporary file in the
target's folder, which then replaces the target (`os.replace`), so a failed
or cancelled export never leaves half a file behind.

The 2-D plot goes to PNG through pyqtgraph's `ImageExporter` (any width) and to
SVG through Qt's `QSvgGenerator`; the 3-D view is rendered off-screen at any size
with `GLViewWidget.renderToArray`; an animation is rendered frame by frame
(one frame per step, at most `MAX_GIF_FRAMES`) and written with Pillow.
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import TYPE_CHECKING, Callable

import numpy as np
import pyqtgraph as pg
import pyqtgraph.exporters  # noqa: F401  (registers the exporters)
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter

from optilab import fileio
from optilab.trajectory import to_csv, to_json
from optilab.ui.i18n import tr

if TYPE_CHECKING:
    from optilab.ui.surface_lab.pane import SurfaceLabPane

#: Longest animation written: a 1000-step lesson is sampled every few steps.
MAX_GIF_FRAMES = 200
#: What a GIF shows.
GIF_VIEWS = ("2d", "3d", "both")


class ExportError(OSError):
    """An export that could not be written; the message names the file."""


def atomic_write(path: str | os.PathLike[str], write: Callable[[Path], object]) -> Path:
    """Call ``write(tmp)`` to fill a temporary file beside ``path``, then rename it to ``path``.

    The temporary file keeps ``path``'s suffix (Qt and pyqtgraph pick the
    format from it).  ``write`` returning False counts as a failure.
    """
    try:
        return fileio.write_atomic(path, write)
    except fileio.AtomicWriteError:
        raise ExportError(tr("Could not write {path}").format(path=Path(path))) from None


def write_text(path: str | os.PathLike[str], text: str) -> Path:
    """Write ``text`` (UTF-8) atomically."""
    return atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def export_plot_png(plot_item: pg.PlotItem, path: str | os.PathLike[str], width: int | None = None,
                    dpi: float | None = None) -> Path:
    """A pyqtgraph plot as PNG, ``width`` pixels wide (height keeps the aspect), ``dpi`` in its metadata."""
    exporter = pg.exporters.ImageExporter(plot_item)
    if width:
        exporter.parameters()["width"] = int(width)

    def write(tmp: Path) -> bool:
        exporter.export(str(tmp))
        if dpi:
            image = QImage(str(tmp))
            dots = int(round(dpi / 0.0254))
            image.setDotsPerMeterX(dots)
            image.setDotsPerMeterY(dots)
            return image.save(str(tmp), "PNG")
        return True

    return atomic_write(path, write)


def export_plot_svg(plot_item: pg.PlotItem, path: str | os.PathLike[str]) -> Path:
    """A pyqtgraph plot as SVG: lines, markers and text as vectors, the colour map as an embedded image.

    Rendered with Qt's `QSvgGenerator` rather than pyqtgraph's `SVGExporter`,
    whose path rewriting fails on the SVG that Qt 6.11 writes
    (pyqtgraph issue #3485: ``x,y = c.split(',')`` ValueError).
    """
    from PySide6.QtCore import QRectF
    from PySide6.QtSvg import QSvgGenerator

    source = plot_item.sceneBoundingRect()
    w, h = int(round(source.width())), int(round(source.height()))

    def write(tmp: Path) -> None:
        generator = QSvgGenerator()
        generator.setFileName(str(tmp))
        generator.setSize(QRectF(0, 0, w, h).size().toSize())
        generator.setViewBox(QRectF(0, 0, w, h))
        generator.setTitle("optilab")
        painter = QPainter(generator)
        plot_item.scene().render(painter, QRectF(0, 0, w, h), source)
        painter.end()

    return atomic_write(path, write)


def image_from_bgra(array: np.ndarray) -> QImage:
    """A QImage (RGB888, own copy) from a (h, w, 4) BGRA array such as `renderToArray` returns."""
    rgb = np.ascontiguousarray(array[..., [2, 1, 0]])
    h, w = rgb.shape[:2]
    return QImage(rgb.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()


def render_3d(pane: "SurfaceLabPane", size: tuple[int, int]) -> QImage:
    """The 3-D view rendered off-screen at ``size`` = (width, height) pixels."""
    w, h = int(size[0]), int(size[1])
    return image_from_bgra(pane.view_3d.gl_view.renderToArray((w, h)))


def export_3d_png(pane: "SurfaceLabPane", path: str | os.PathLike[str], size: tuple[int, int]) -> Path:
    """The 3-D view as PNG at ``size`` pixels (any size: rendered in tiles)."""
    image = render_3d(pane, size)
    return atomic_write(path, lambda tmp: image.save(str(tmp), "PNG"))


def export_trajectories(pane: "SurfaceLabPane", path: str | os.PathLike[str]) -> Path:
    """The trajectories as CSV (``.csv``) or JSON (any other suffix)."""
    if Path(path).suffix.lower() == ".csv":
        return write_text(path, to_csv(pane.trajectories))
    return write_text(path, to_json(pane.trajectories, pane.surface))


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


def render_frame(pane: "SurfaceLabPane", k: int, which: str = "2d") -> QImage:
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
    pane: "SurfaceLabPane",
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
        raise ValueError(f"which must be one of {', '.join(GIF_VIEWS)}, got {which!r}")
    if not fps > 0:
        raise ValueError(f"fps must be positive, got {fps!r}")
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
    duration = max(20, int(round(1000 / fps)))

    def write(tmp: Path) -> None:
        frames[0].save(tmp, format="GIF", save_all=True, append_images=frames[1:], duration=duration, loop=0)

    atomic_write(path, write)
    return len(frames)
