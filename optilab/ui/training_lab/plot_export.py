"""The training lab's plots as PNG or SVG: registered in the one export registry (`optilab.exporters`).

PNG and SVG are drawn by `optilab.ui.svg` (the one SVG strategy: the same
picture in QtSvg, librsvg and the PNG) and written through `optilab.fileio`
(never a half-written file).  The subject of a plot exporter is the training
pane (`TrainingLabPane.plot_items`); its loss CSV is the core's "loss-csv".
"""

from __future__ import annotations

import os
from functools import partial
from pathlib import Path
from typing import Any

import pyqtgraph as pg

from optilab import exporters
from optilab.exporters import Exporter, ExportOptions
from optilab.ui import exports

#: Width of a plot export in pixels (text and lines scaled with it).
PLOT_WIDTH = 1600
#: The plots, in menu order: key -> English menu text.
PLOTS = {"loss": "Loss plot (PNG or SVG)…", "accuracy": "Accuracy plot (PNG or SVG)…",
         "lr": "Learning-rate plot (PNG or SVG)…", "gradients": "Gradient-norm plot (PNG or SVG)…"}
#: A plot's writer by file suffix: the one list of what a plot export writes (its exporters'
#: ``suffixes`` too).
WRITERS = {".png": exports.export_plot_png, ".svg": exports.export_plot_svg}


def export_plot(plot: pg.PlotItem, path: str | os.PathLike[str], width: int = PLOT_WIDTH) -> Path:
    """Save ``plot`` as PNG or SVG (by the suffix), ``width`` pixels wide, text and lines scaled with it."""
    writer = WRITERS.get(Path(path).suffix.lower())
    if writer is None:
        raise exporters.PNG_OR_SVG.error()
    return writer(plot, path, width)


def plot_exporter(which: str) -> Exporter:
    """The registered exporter of plot ``which`` (`UNKNOWN_PLOT` when there is none)."""
    if which not in PLOTS:
        raise exporters.UNKNOWN_PLOT.error(which=which, choices=", ".join(PLOTS))
    return exporters.get(f"plot-{which}")


def _write_plot(which: str, pane: Any, path: Path, options: ExportOptions) -> Path:
    return export_plot(pane.plot_items()[which], path, options.width or PLOT_WIDTH)


for _order, (_which, _label) in enumerate(PLOTS.items(), start=2):
    exporters.register(Exporter(
        f"plot-{_which}", _label, ".png", "PNG image (*.png);;SVG drawing (*.svg)", "training",
        partial(_write_plot, _which), order=10 * _order, title="Export plot", default_name=f"{_which}.png",
        suffixes=tuple(WRITERS)))
