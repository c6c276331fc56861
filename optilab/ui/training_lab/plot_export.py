"""Saving a training-lab plot as PNG or SVG (through `fileio.write_atomic`: never a half-written file)."""

from __future__ import annotations

import os
from pathlib import Path

import pyqtgraph as pg
import pyqtgraph.exporters  # noqa: F401 - registers ImageExporter / SVGExporter
from PySide6.QtGui import QColor

from optilab.fileio import write_atomic
from optilab.ui.i18n import tr


def export_plot(plot: pg.PlotItem, path: str | os.PathLike[str], width: int = 1600) -> Path:
    """Save ``plot`` as PNG or SVG (by the suffix) through `fileio.write_atomic`."""
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in (".png", ".svg"):
        raise ValueError(tr("Choose a file name ending in .png or .svg"))
    def write(tmp: Path) -> None:
        if suffix == ".png":
            exporter = pg.exporters.ImageExporter(plot)
            exporter.parameters()["width"] = int(width)
            exporter.export(str(tmp))
        else:
            try:
                pg.exporters.SVGExporter(plot).export(str(tmp))
            except ValueError:
                # pyqtgraph 0.14's SVGExporter cannot parse the path syntax Qt 6.11's
                # QSvgGenerator writes ("x,y" pairs expected); render the scene directly.
                _render_svg(plot, str(tmp))

    write_atomic(target, write)
    return target


def _render_svg(plot: pg.PlotItem, path: str) -> None:
    """Draw ``plot`` (its scene rectangle) into an SVG file with Qt's own generator."""
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QPainter
    from PySide6.QtSvg import QSvgGenerator

    rect = plot.sceneBoundingRect()
    generator = QSvgGenerator()
    generator.setFileName(path)
    generator.setSize(rect.size().toSize())
    generator.setViewBox(QRectF(0, 0, rect.width(), rect.height()))
    generator.setTitle(plot.titleLabel.text if hasattr(plot, "titleLabel") else "optilab plot")
    painter = QPainter(generator)
    try:
        painter.fillRect(QRectF(0, 0, rect.width(), rect.height()), QColor("white"))
        plot.scene().render(painter, QRectF(0, 0, rect.width(), rect.height()), rect)
    finally:
        painter.end()
