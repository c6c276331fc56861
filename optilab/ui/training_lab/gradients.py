"""Gradient norm per layer over iterations (log scale): the vanishing-gradient view."""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from optilab.ui.i18n import bind, on_language_changed, tr
from optilab.ui.palette import OKABE_ITO
from optilab.ui.training_lab.curve_items import curve
from optilab.ui.training_lab.plot_style import label_plot, make_plot_widget, style_plot
from optilab.ui.training_lab.plots import add_legend, fit_legend_columns
from optilab.ui.training_lab.series import Growable


class GradNormView(QWidget):
    """‖dWᵢ‖ per layer over iterations for the current run (log scale): vanishing gradients."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.widget = make_plot_widget()
        self.plot = self.widget.getPlotItem()
        style_plot(self.plot, "", "", "")
        self.retranslate()
        self.plot.setLogMode(y=True)
        add_legend(self.plot)
        self.note = QLabel()
        bind(self.note, "setText", "Layers whose gradient is orders of magnitude smaller than the others "
                                   "barely learn: vanishing gradients (try sigmoid with std 1 or 0.01).")
        self.note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.widget, 1)
        layout.addWidget(self.note)
        self.layers: dict[str, tuple[Growable, Growable, Any]] = {}
        on_language_changed(self.retranslate)

    def retranslate(self) -> None:
        """Title and axis labels in the current language."""
        label_plot(self.plot, tr("Gradient norm per layer ‖dW‖ (latest run)"), tr("‖dW‖"), tr("iteration"))

    def reset(self, layer_names: tuple[str, ...]) -> None:
        self.plot.clear()
        if self.plot.legend is not None:
            self.plot.legend.clear()
        self.layers = {}
        colors = list(OKABE_ITO.values())
        for i, name in enumerate(layer_names):
            item = curve(self.plot, colors[i % len(colors)], 2.0)
            item.opts["name"] = name
            self.plot.legend.addItem(item, name)
            self.layers[name] = (Growable(256), Growable(256), item)
        fit_legend_columns(self.plot.legend)

    def append(self, iteration: int, norms: dict[str, float]) -> None:
        for name, value in norms.items():
            entry = self.layers.get(name)
            if entry is None:
                continue
            xs, ys, item = entry
            xs.extend(np.array([iteration], dtype=np.float64))
            ys.extend(np.array([max(value, 1e-30)]))
            item.setData(xs.view(), ys.view())
