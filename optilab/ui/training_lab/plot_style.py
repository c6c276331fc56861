"""How the training lab's plots look: projector-sized labels, the theme's colours, decade axes.

Every plot of the lab is made by `make_plot_widget` (or registered with
`register`) and labelled by `label_plot`, so `apply_theme` can recolour all
of them at once — background, axes, ticks, titles — when the window's theme
changes (dark theme: dark plots, light text).
"""

from __future__ import annotations

import math
import weakref
from typing import Any

import pyqtgraph as pg
import shiboken6
from PySide6.QtWidgets import QGraphicsItem

#: Font size of axis labels and ticks (points): readable on a projector.
AXIS_POINT_SIZE = 11
#: Superscript glyphs for decade tick labels ("10⁻³").
_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")

#: Colours of the plots now: background, text, axis lines (the light theme until `apply_theme`).
COLORS: dict[str, str] = {"background": "#ffffff", "text": "#222222", "axis": "#333333"}

_widgets: weakref.WeakSet[Any] = weakref.WeakSet()
_plots: weakref.WeakSet[pg.PlotItem] = weakref.WeakSet()
_labels: weakref.WeakKeyDictionary[pg.PlotItem, tuple[str, str, str, int]] = weakref.WeakKeyDictionary()


def decade_label(exponent: float) -> str:
    """-3 → "10⁻³" (superscript digits; the tick of a log10 axis)."""
    return "10" + str(round(float(exponent))).translate(_SUPERSCRIPT)


class DecadeAxis(pg.AxisItem):
    """An axis over log10 values with one tick per decade, labelled 10ᵏ (no SI scale factor)."""

    def __init__(self, orientation: str, **kwargs: Any) -> None:
        super().__init__(orientation, **kwargs)
        self.enableAutoSIPrefix(False)

    def tickValues(self, minVal: float, maxVal: float, size: float) -> list:
        lo, hi = math.ceil(minVal - 1e-9), math.floor(maxVal + 1e-9)
        if hi < lo:
            return []
        return [(1.0, [float(k) for k in range(lo, hi + 1)])]

    def tickStrings(self, values: list, scale: float, spacing: float) -> list[str]:
        return [decade_label(v) for v in values]


def _luminance(color: str) -> float:
    """Relative luminance (WCAG) of a colour "#rrggbb"."""
    channels = []
    for i in (1, 3, 5):
        c = int(color[i:i + 2], 16) / 255
        channels.append(c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4)
    r, g, b = channels
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


#: A run colour needs at least this contrast ratio with the plot background to be drawn as it is.
MIN_CONTRAST = 1.5


def visible_color(color: str) -> str:
    """``color``, or the text colour when it would vanish on the plot background (the high-contrast
    palette's white on a light plot)."""
    try:
        a, b = _luminance(color), _luminance(COLORS["background"])
    except (ValueError, IndexError):
        return color
    ratio = (max(a, b) + 0.05) / (min(a, b) + 0.05)
    return color if ratio >= MIN_CONTRAST else COLORS["text"]


def label_plot(plot: pg.PlotItem, title: str, left: str, bottom: str, title_pt: int = 13) -> None:
    """Set the title and axis labels of ``plot`` (texts as given: translate them first)."""
    _labels[plot] = (title, left, bottom, title_pt)
    plot.setTitle(f"<span style='font-size:{title_pt}pt;color:{COLORS['text']}'>{title}</span>")
    for name, text in (("left", left), ("bottom", bottom)):
        plot.getAxis(name).setLabel(
            f"<span style='font-size:{AXIS_POINT_SIZE}pt;color:{COLORS['text']}'>{text}</span>")


def _color_axes(plot: pg.PlotItem) -> None:
    for name in ("left", "bottom", "right"):
        axis = plot.getAxis(name)
        axis.setPen(pg.mkPen(COLORS["axis"]))
        axis.setTextPen(pg.mkPen(COLORS["text"]))


def style_plot(plot: pg.PlotItem, title: str, left: str, bottom: str) -> None:
    """Projector-friendly plot: big labels, grid, the theme's colours."""
    _plots.add(plot)
    label_plot(plot, title, left, bottom)
    font = pg.QtGui.QFont()
    font.setPointSize(AXIS_POINT_SIZE)
    for name in ("left", "bottom"):
        axis = plot.getAxis(name)
        axis.setTickFont(font)
        # An axis draws its grid lines across the whole plot, so every curve
        # update repainted it — replaying its tick texts each time was most
        # of a training update's paint cost.  Cached as a pixmap, it is
        # re-rendered only when its range or style changes.
        axis.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
    _color_axes(plot)
    plot.showGrid(x=True, y=True, alpha=0.25)


def register(widget: Any, plots: tuple[pg.PlotItem, ...] = ()) -> Any:
    """Let `apply_theme` recolour ``widget`` (a PlotWidget or GraphicsLayoutWidget) and ``plots``."""
    _widgets.add(widget)
    widget.setBackground(COLORS["background"])
    for plot in plots:
        _plots.add(plot)
        _color_axes(plot)
    return widget


def make_plot_widget(**kwargs: Any) -> pg.PlotWidget:
    """A plot widget in the theme's background (``kwargs`` go to `pg.PlotWidget`, e.g. axisItems)."""
    widget = pg.PlotWidget(background=COLORS["background"], **kwargs)
    widget.setMinimumSize(200, 150)
    return register(widget)


def apply_theme(background: str, text: str) -> None:
    """Recolour every plot of the lab: ``background`` behind the data, ``text`` for titles and ticks."""
    COLORS.update(background=background, text=text, axis=text)
    for widget in list(_widgets):
        if not shiboken6.isValid(widget):       # deleted on the C++ side (its window closed)
            _widgets.discard(widget)
            continue
        widget.setBackground(background)
    for plot in list(_plots):
        if not shiboken6.isValid(plot):
            _plots.discard(plot)
            continue
        _color_axes(plot)
        if plot in _labels:
            label_plot(plot, *_labels[plot])
        legend = getattr(plot, "legend", None)
        if legend is not None:
            legend.setLabelTextColor(text)
            for _sample, label in legend.items:
                label.setText(label.text, color=text)
            legend.setBrush(pg.mkBrush(background + "d0" if len(background) == 7 else background))
            legend.update()


# -- the legend inside a plot (exports include it) -------------------------------------

#: Legend entries per column in a plot (more runs → more columns).
LEGEND_ROWS = 8


#: Legend corners as pyqtgraph offsets (negative: from the right / bottom edge).
CORNERS = {"top-right": (-8, 8), "bottom-right": (-8, -8), "top-left": (8, 8)}
#: Where each plot's legend sits: where its curves usually are not (loss falls, accuracy rises).
LEGEND_CORNERS = {"loss": "top-right", "accuracy": "bottom-right", "lr": "top-right"}
#: Legend rows per plot (the η plot is low: its legend runs sideways).
LEGEND_ROW_COUNTS = {"loss": LEGEND_ROWS, "accuracy": LEGEND_ROWS, "lr": 2}


def add_legend(plot: pg.PlotItem, corner: str = "top-right") -> pg.LegendItem:
    """A legend in a corner of the plot, in the theme's colours (exports include it)."""
    legend = plot.addLegend(offset=CORNERS[corner], labelTextSize=f"{AXIS_POINT_SIZE - 1}pt",
                            labelTextColor=COLORS["text"], brush=pg.mkBrush(COLORS["background"] + "d0"),
                            pen=pg.mkPen(COLORS["axis"]), verSpacing=-4)
    legend.hide()                  # until it names a run (an empty box otherwise)
    return legend


def fit_legend_columns(legend: pg.LegendItem, rows: int = LEGEND_ROWS) -> None:
    """Spread the legend over as many columns as it needs for at most ``rows`` rows; hidden when empty."""
    legend.setColumnCount(max(1, math.ceil(len(legend.items) / rows)))
    legend.setVisible(bool(legend.items))


def raise_top(plot: pg.PlotItem, top: float, drawn: float, margin: float) -> float:
    """Show 0 … ``top``·``margin`` on ``plot``'s y axis when ``top`` is above the ``drawn`` top.

    During a run the axis is only ever raised (its maxima only grow), so it
    changes rarely and the curves repaint without their axis.  Returns the
    top now drawn.
    """
    if top > drawn and math.isfinite(top):
        plot.setYRange(0, top * margin, padding=0)
        return top
    return drawn
