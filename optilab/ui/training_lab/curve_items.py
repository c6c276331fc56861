"""How the training lab draws a run's curves: each item's style (`ITEM_STYLES`) and the plot item
that draws it (`curve`), shared by the curves view and the gradients view."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

__all__ = ["ITEM_STYLES", "curve", "style_item"]

#: How each item of a run is drawn: role → (plot, width, pen style, alpha, marker symbol).
ITEM_STYLES: dict[str, tuple[str, float, Qt.PenStyle, int, str | None]] = {
    "raw": ("loss", 1.0, Qt.PenStyle.SolidLine, 70, None),
    "smooth": ("loss", 2.5, Qt.PenStyle.SolidLine, 255, None),
    "lr": ("lr", 2.0, Qt.PenStyle.SolidLine, 255, None),
    "train": ("accuracy", 2.0, Qt.PenStyle.DashLine, 255, None),
    "val": ("accuracy", 2.0, Qt.PenStyle.DotLine, 255, None),
    "test": ("accuracy", 2.5, Qt.PenStyle.SolidLine, 255, None),
    "train_m": ("accuracy", 0.0, Qt.PenStyle.NoPen, 255, "t"),
    "val_m": ("accuracy", 0.0, Qt.PenStyle.NoPen, 255, "s"),
    "test_m": ("accuracy", 0.0, Qt.PenStyle.NoPen, 255, "o"),
}


def style_item(item: pg.PlotDataItem, role: str, color: str) -> None:
    """Give ``item`` the pen or marker of ``role`` (`ITEM_STYLES`) in ``color``."""
    _plot, width, style, alpha, symbol = ITEM_STYLES[role]
    c = QColor(color)
    c.setAlpha(alpha)
    if symbol is None:
        item.setPen(pg.mkPen(c, width=width, style=style))
    else:
        item.setPen(None)
        item.setSymbol(symbol)
        item.setSymbolBrush(QColor(color))
        item.setSymbolPen(None)
        item.setSymbolSize(8)


def curve(plot: pg.PlotItem, color: str, width: float = 2.0, style: Qt.PenStyle = Qt.PenStyle.SolidLine,
          alpha: int = 255, symbol: str | None = None) -> pg.PlotDataItem:
    """A line (or markers) in ``color`` added to ``plot``, downsampled and clipped to the view."""
    c = QColor(color)
    c.setAlpha(alpha)
    pen = pg.mkPen(c, width=width, style=style) if symbol is None else None
    item = pg.PlotDataItem(pen=pen, symbol=symbol, symbolBrush=QColor(color) if symbol else None,
                           symbolPen=None, symbolSize=8)
    item.setDownsampling(auto=True, method="peak")
    item.setClipToView(True)
    plot.addItem(item)
    return item
