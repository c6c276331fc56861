"""Saving a training-lab plot as PNG or SVG: the app's one export stack (`optilab.ui.exports`).

PNG and SVG are drawn by `optilab.ui.svg` (the same picture in QtSvg, librsvg
and the PNG) and written through `optilab.fileio` (never a half-written file).
"""

from __future__ import annotations

import os
from pathlib import Path

import pyqtgraph as pg

from optilab.ui import exports
from optilab.ui.i18n import tr


def export_plot(plot: pg.PlotItem, path: str | os.PathLike[str], width: int = 1600) -> Path:
    """Save ``plot`` as PNG or SVG (by the suffix), ``width`` pixels wide, text and lines scaled with it."""
    suffix = Path(path).suffix.lower()
    if suffix == ".png":
        return exports.export_plot_png(plot, path, width)
    if suffix == ".svg":
        return exports.export_plot_svg(plot, path, width)
    raise ValueError(tr("Choose a file name ending in .png or .svg"))
