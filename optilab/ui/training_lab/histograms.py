"""Activation histograms per layer (book §6.2.2): the init lesson.

A forward pass only — `optilab.nn.activation_stats` on 1000 samples of
N(0, 1) through 5 layers of 100 units takes a few milliseconds, so it runs
in the GUI thread whenever the activation or the init changes (from the
view's own choosers, or from the settings dock when "follow the settings"
is ticked).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from optilab.nn import activation_stats
from optilab.training import ACTIVATIONS
from optilab.ui.i18n import bind, on_language_changed, tr
from optilab.ui.palette import OKABE_ITO
from optilab.ui.training_lab.plots import AXIS_POINT_SIZE

#: The init lesson's choices: (shown text, init value).
HIST_INITS: tuple[tuple[str, Any], ...] = (("std 1", 1.0), ("std 0.01", 0.01), ("Xavier", "xavier"), ("He", "he"))
N_LAYERS, WIDTH, N_SAMPLES, BINS = 5, 100, 1000, 30


def histogram_range(activation: str, layers: list[np.ndarray]) -> tuple[float, float]:
    """The x range shared by all layers' histograms: the activation's output range."""
    if activation == "sigmoid":
        return 0.0, 1.0
    if activation == "tanh":
        return -1.0, 1.0
    high = max((float(np.percentile(a, 99.5)) for a in layers if a.size), default=1.0)
    low = -0.1 * high if activation == "leaky_relu" else 0.0
    return low, max(high, 1e-6)


class HistogramView(QWidget):
    """One histogram per layer for the chosen activation and init."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.activation = QComboBox()
        for name in ACTIVATIONS:
            self.activation.addItem(name, name)
        self.init = QComboBox()
        for text, value in HIST_INITS:
            self.init.addItem(tr(text), value)
        self.follow = QCheckBox()
        bind(self.follow, "setText", "Follow the training settings")
        self.follow.setChecked(True)
        self.note = QLabel()
        self.note.setWordWrap(True)
        row = QHBoxLayout()
        activation_label, init_label = QLabel(), QLabel()
        bind(activation_label, "setText", "Activation")
        bind(init_label, "setText", "Weight init")
        row.addWidget(activation_label)
        row.addWidget(self.activation)
        row.addWidget(init_label)
        row.addWidget(self.init)
        row.addWidget(self.follow)
        row.addStretch(1)
        self.graphics = pg.GraphicsLayoutWidget()
        self.graphics.setBackground("w")
        self.plots: list[pg.PlotItem] = []
        self.bars: list[pg.PlotDataItem] = []
        for i in range(N_LAYERS):
            plot = self.graphics.addPlot(row=0, col=i)
            self._title_layer(plot, i)
            plot.hideAxis("left") if i else None
            font = pg.QtGui.QFont()
            font.setPointSize(AXIS_POINT_SIZE - 1)
            for axis in ("left", "bottom"):
                plot.getAxis(axis).setTickFont(font)
                plot.getAxis(axis).setTextPen(pg.mkPen("#222"))
            item = pg.PlotDataItem(stepMode="center", fillLevel=0, brush=pg.mkBrush(OKABE_ITO["blue"]),
                                   pen=pg.mkPen("#1a1a1a", width=1))
            plot.addItem(item)
            if i:
                plot.setYLink(self.plots[0])
            self.plots.append(plot)
            self.bars.append(item)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.graphics, 1)
        layout.addWidget(self.note)
        self.activation.currentIndexChanged.connect(self.refresh)
        self.init.currentIndexChanged.connect(self.refresh)
        self.last: list[np.ndarray] = []
        self._stds: list[float] = []
        self.refresh()
        on_language_changed(self.retranslate)

    @staticmethod
    def _title_layer(plot: pg.PlotItem, i: int) -> None:
        plot.setTitle(f"<span style='font-size:12pt;color:#222'>{tr('layer {k}').format(k=i + 1)}</span>")

    @staticmethod
    def _init_label(init: Any) -> str:
        """The shown name of an init value not among `HIST_INITS`."""
        if init == "zeros":
            return tr("zeros")
        return tr("std {v}").format(v=f"{init:g}") if isinstance(init, float) else str(init)

    def retranslate(self) -> None:
        """Choices, layer titles and the note in the current language (choice and histograms kept)."""
        for i in range(self.init.count()):
            value = self.init.itemData(i)
            text = next((t for t, v in HIST_INITS if v == value), None)
            self.init.setItemText(i, tr(text) if text is not None else self._init_label(value))
        for i, plot in enumerate(self.plots):
            self._title_layer(plot, i)
        self._render_note()

    def set_choice(self, activation: str, init: Any) -> None:
        """Show ``activation`` with ``init`` (a std not in the list is added)."""
        self.activation.blockSignals(True)
        self.init.blockSignals(True)
        self.activation.setCurrentIndex(max(self.activation.findData(activation), 0))
        index = next((i for i in range(self.init.count()) if self.init.itemData(i) == init), -1)
        if index < 0:
            self.init.addItem(self._init_label(init), init)
            index = self.init.count() - 1
        self.init.setCurrentIndex(index)
        self.activation.blockSignals(False)
        self.init.blockSignals(False)
        self.refresh()

    def follow_settings(self, activation: str, init: Any) -> None:
        """Called when the dock changes: follows it when "follow" is ticked."""
        if self.follow.isChecked():
            self.set_choice(activation, init)

    def refresh(self) -> None:
        act, init = self.activation.currentData(), self.init.currentData()
        layers = activation_stats(n_layers=N_LAYERS, width=WIDTH, activation=act, init=init, seed=0)
        self.last = layers
        low, high = histogram_range(act, layers)
        top = 0
        for a, plot, bars in zip(layers, self.plots, self.bars, strict=False):
            counts, edges = np.histogram(a.ravel(), bins=BINS, range=(low, high))
            bars.setData(edges, counts)
            plot.setXRange(low, high, padding=0.02)
            top = max(top, int(counts.max()))
        self.plots[0].setYRange(0, max(top, 1) * 1.05, padding=0)
        self._stds = [float(np.std(a)) for a in layers]
        self._render_note()

    def _render_note(self) -> None:
        self.note.setText(
            tr("{act}, init {init}: forward pass of 1000 random inputs through 5 layers of 100 units. "
               "Std of each layer's outputs: {stds}. Outputs piled at the ends mean vanishing gradients; "
               "all in one spike means every unit says the same thing.").format(
                act=self.activation.currentData(), init=self.init.currentText(),
                stds=", ".join(f"{s:.3f}" for s in self._stds)))
