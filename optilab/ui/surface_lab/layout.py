"""Where the surface lab's parts sit: controls column, 2-D and 3-D views, numbers panel, lesson bar, timeline."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QSplitter, QTabWidget, QVBoxLayout, QWidget

from optilab.ui.surface_lab.stability_panel import StabilityPanel

if TYPE_CHECKING:
    from optilab.ui.surface_lab.pane import SurfaceLabPane


def lay_out(pane: SurfaceLabPane) -> None:
    """Put the pane's parts in place (its `controls_scroll` and splitters are set here)."""
    column = QWidget()
    col = QVBoxLayout(column)
    col.setContentsMargins(4, 4, 4, 4)
    col.addWidget(pane.surface_controls)
    col.addWidget(pane.landscape_info)     # in landscape mode, in place of the runs and their settings
    col.addWidget(pane.run_list)
    col.addWidget(pane.hparams)
    col.addWidget(pane.start_controls)
    col.addStretch(1)
    pane.controls_scroll = QScrollArea()
    pane.controls_scroll.setWidget(column)
    pane.controls_scroll.setWidgetResizable(True)
    pane.controls_scroll.setFrameShape(QFrame.Shape.NoFrame)
    pane.controls_scroll.setMinimumWidth(300)
    pane.controls_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    pane.views_splitter = QSplitter(Qt.Orientation.Horizontal)
    pane.views_splitter.addWidget(pane.view_2d)
    pane.views_splitter.addWidget(_view_tabs(pane))
    pane.views_splitter.setChildrenCollapsible(False)
    pane.views_splitter.setStretchFactor(0, 1)
    pane.views_splitter.setStretchFactor(1, 1)
    pane.views_splitter.setSizes([540, 420])
    pane.right_splitter = QSplitter(Qt.Orientation.Vertical)
    pane.right_splitter.addWidget(pane.views_splitter)
    pane.right_splitter.addWidget(pane.numbers)
    pane.right_splitter.setStretchFactor(0, 3)
    pane.right_splitter.setStretchFactor(1, 1)
    pane.right_splitter.setSizes([460, 170])
    pane.main_splitter = QSplitter(Qt.Orientation.Horizontal)
    pane.main_splitter.addWidget(pane.controls_scroll)
    pane.main_splitter.addWidget(pane.right_splitter)
    pane.main_splitter.setStretchFactor(1, 1)
    pane.main_splitter.setSizes([320, 960])

    layout = QVBoxLayout(pane)
    layout.setContentsMargins(2, 2, 2, 2)
    layout.setSpacing(2)
    layout.addWidget(pane.lesson_bar)
    layout.addWidget(pane.main_splitter, 1)
    layout.addWidget(pane.timeline)


def _view_tabs(pane: SurfaceLabPane) -> QTabWidget:
    """The 3-D view and the stability map (`stability_panel`) as tabs beside the 2-D map, so a teacher
    shows the map of settings next to the path of the one picked (`view_tabs`, `stability`)."""
    pane.stability = StabilityPanel(pane)
    tabs = pane.view_tabs = QTabWidget()
    tabs.setDocumentMode(True)
    tabs.addTab(pane.view_3d, "")
    tabs.addTab(pane.stability.view, "")
    pane.stability.attach(tabs)
    return tabs
