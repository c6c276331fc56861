"""An experiment repeated over k seeds in the curves view: one mean line and a ±1 sd band per label.

Issue #15 item 2.  The runs of one label (the seeds of one config, as
`optilab.training.seeds.expand` makes them) keep their data in their own
`RunCurves` (hidden); the view draws, per label, the mean of the seeds
(`optilab.training.seeds.band`, the one rule the CLI's summaries use too)
as the run's line would be drawn and a translucent band mean ± 1 sd
(`seeds.BAND`) behind it, on the loss (smoothed), accuracy (test) and η
plots.  While the seeds arrive (one after another, or in parallel
processes), each point averages the seeds that have reached it and the
runs list says how many of the k seeds have ended ("2 of 3 seeds").  The
runs list has one line per label with the final loss and accuracy as
mean ± sd over its seeds that ended.
The plot titles say what the band is, so the PNG and SVG exports say it too.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import QListWidgetItem

from optilab.training import seeds
from optilab.ui.i18n import tr
from optilab.ui.training_lab.series import RunCurves

#: The roles drawn once per label (the mean over its seeds), as the run's own items are styled.
MEAN_ROLES = ("smooth", "lr", "train", "val", "test")
#: The roles with a band behind the mean: role → plot.
BAND_ROLES = {"smooth": "loss", "lr": "lr", "test": "accuracy"}
#: Opacity of a band's fill (0–255): the mean line stays visible through it.
BAND_ALPHA = 60
#: A band's outline is drawn with at most this many points (a long run's band stays cheap).
BAND_POINTS = 2000
#: What the plot titles add when the runs are repeated over seeds (English).
BAND_NOTE = "mean of {k} seeds, band ±1 sd"


@dataclass
class BandCurves:
    """The seeds of one label: their runs' data and the mean and band items drawn for them."""

    row: int                                  # its line in the runs list (and in each plot's legend)
    label: str
    color: str
    color_index: int
    seeds: int                                # planned seeds of the label
    members: list[RunCurves] = field(default_factory=list)
    items: dict[str, Any] = field(default_factory=dict)     # role → mean line
    bands: dict[str, tuple[Any, Any, Any]] = field(default_factory=dict)   # role → (low, high, fill)
    visible: bool = True

    def all_items(self) -> list[Any]:
        return [*self.items.values(), *(part for band in self.bands.values() for part in band)]

    # -- drawing -------------------------------------------------------------------------
    def redraw(self) -> None:
        """Mean and ±1 sd of the members' curves on the longest seed's iterations (`seeds.band`:
        a seed counts where it has reached; the smoothed loss is the mean of the seeds' smoothed
        losses, the EMA being linear)."""
        columns = [SimpleNamespace(iterations=m.it.view(), loss=m.smooth.view(), lr=m.lr.view(),
                                   eval_iterations=m.ev_it.view(), train_acc=m.train.view(),
                                   val_acc=m.val.view(), test_acc=m.test.view()) for m in self.members]
        if any(m.it.n for m in self.members):
            for role, key in (("smooth", "loss"), ("lr", "lr")):
                self._draw(role, seeds.band(columns, key))
        if any(m.ev_it.n for m in self.members):
            for role in ("train", "val", "test"):
                if role != "val" or any(m.has_val for m in self.members):
                    self._draw(role, seeds.band(columns, f"{role}_acc"))

    def _draw(self, role: str, band: seeds.Band) -> None:
        x = np.asarray(band.iterations, dtype=np.float64)
        self.items[role].setData(x, band.mean)
        if role in self.bands:
            low, high, _fill = self.bands[role]
            step = max(1, math.ceil(len(x) / BAND_POINTS))
            keep = np.isfinite(band.mean[::step])
            low.setData(x[::step][keep], band.lower[::step][keep])
            high.setData(x[::step][keep], band.upper[::step][keep])

    def set_visible(self, visible: bool) -> None:
        self.visible = visible
        for item in self.all_items():
            item.setVisible(visible)

    def restyle(self, color: str, style: Any) -> None:
        """Colour the items ``color`` (``style(item, role, color)`` styles a mean line)."""
        self.color = color
        for role, item in self.items.items():
            style(item, role, color)
        for _low, _high, fill in self.bands.values():
            fill.setBrush(band_brush(color))

    # -- the runs list -----------------------------------------------------------------------
    def legend_text(self) -> str:
        """"SGD · 3 seeds · loss 0.31 ± 0.02 · test 91.2% ± 0.4%": the final values' mean ± sd over
        the seeds that ended ("2 of 3 seeds" while others run: a seed half-way would mix an
        early loss into the final ones; the curves show every seed as it goes)."""
        ended = [m for m in self.members if m.status != "running"]
        parts = [tr(self.label)]
        if len(ended) < self.seeds:
            parts.append(tr("{n} of {k} seeds").format(n=len(ended), k=self.seeds))
        else:
            parts.append(tr("{k} seeds").format(k=self.seeds))
        loss = seeds.Spread.of(m.smooth.view()[-1] for m in ended if m.smooth.n)
        test = seeds.Spread.of(m.test.view()[-1] for m in ended if m.test.n)
        if loss.n:
            parts.append(tr("loss {m:.3g} ± {s:.2g}").format(m=loss.mean, s=loss.sd))
        if test.n:
            parts.append(tr("test {m:.1%} ± {s:.1%}").format(m=test.mean, s=test.sd))
        diverged = sum(m.status == "diverged" for m in self.members)
        if diverged:
            parts.append(tr("{n} diverged").format(n=diverged))
        return " · ".join(parts)


def band_brush(color: str) -> Any:
    c = QColor(color)
    c.setAlpha(BAND_ALPHA)
    return pg.mkBrush(c)


def make_band(plot: pg.PlotItem, color: str) -> tuple[Any, Any, Any]:
    """A band's two outlines (not drawn themselves) and the fill between them, behind the lines."""
    # Curve items, not PlotDataItems: a PlotDataItem without a pen gives its curve no path to fill.
    low, high = pg.PlotCurveItem(pen=pg.mkPen(None)), pg.PlotCurveItem(pen=pg.mkPen(None))
    fill = pg.FillBetweenItem(low, high, brush=band_brush(color), pen=pg.mkPen(None))
    fill.setZValue(-10)
    plot.addItem(fill)
    return low, high, fill


def list_item(text: str, color: str) -> QListWidgetItem:
    """A line of the runs list: its colour and a tick box (ticked)."""
    item = QListWidgetItem(text)
    pix = QPixmap(18, 18)
    pix.fill(QColor(color))
    item.setIcon(QIcon(pix))
    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
    item.setCheckState(Qt.CheckState.Checked)
    return item
