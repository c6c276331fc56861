"""The training lab: live MNIST training in a worker thread, a settings dock, experiments.

    >>> from optilab.ui.training_lab import install
    >>> pane = install(main_window)     # adds the tab and the dock
    >>> pane.start()                    # trains with the dock's settings
    >>> pane.finished                   # Signal(str): "finished", "stopped", "diverged", "error"
    >>> pane.landscape.compute()        # "Show its loss landscape" of the last job (surface lab)

Modules: `worker` (QThread worker, record batches), `pane` (the tab),
`settings_dock`, `plots` (curves, smoothing, exports), `experiments_view`
(random search), `histograms`, `download_dialog`, `landscape_action` and
`landscape_dialog` (the loss landscape of a trained run, Li et al. 2018).
"""

from __future__ import annotations

from typing import Any, Protocol

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QDockWidget, QTabWidget, QWidget

from optilab.ui.i18n import tr
from optilab.ui.training_lab.pane import TrainingLabPane
from optilab.ui.training_lab.settings_dock import SettingsDock

__all__ = ["LabHost", "SettingsDock", "TrainingLabPane", "install"]


class LabHost(Protocol):
    """What `install` needs of the window it joins (`optilab.ui.main_window.MainWindow` is one;
    typed here so that this package never imports the window, nor through it the surface lab)."""

    training_pane: TrainingLabPane | None
    settings_dock: SettingsDock | None
    training_placeholder: QWidget | None
    tabs: QTabWidget
    surface_pane: Any  # the surface lab: load_lesson(key), show_landscape(landscape, caption)
    theme: str

    def add_tab(self, widget: QWidget, title: str) -> int: ...
    def replace_tab(self, old: QWidget, new: QWidget) -> int: ...
    def addDockWidget(self, area: Qt.DockWidgetArea, dock: QDockWidget) -> None: ...
    def restoreDockWidget(self, dock: QDockWidget) -> bool: ...
    def installEventFilter(self, obj: QObject) -> None: ...


def install(main_window: LabHost) -> TrainingLabPane:
    """Add the training lab to ``main_window`` and return its pane.

    Creates the pane (tab "Training lab", in place of the window's
    ``training_placeholder`` tab when it has one) and the settings dock
    (right dock area, shown only while the training tab is current; its
    saved state restored), sets ``main_window.training_pane`` and
    ``main_window.settings_dock``, and installs the pane as an event filter of
    the window: closing the window stops a running worker and waits for its
    thread (`TrainingLabPane.shutdown`).  The pane's
    ``landscape_ready(landscape, caption)`` opens the landscape in the surface
    lab (``surface_pane.show_landscape``) and makes that tab current, as an
    experiment's "Open the surface lab" does.  Calling it twice returns the
    existing pane.
    """
    if main_window.training_pane is not None:
        return main_window.training_pane
    dock = SettingsDock(main_window)
    pane = TrainingLabPane(dock)
    placeholder = main_window.training_placeholder
    if placeholder is not None and main_window.tabs.indexOf(placeholder) >= 0:
        main_window.replace_tab(placeholder, pane)
    else:
        main_window.add_tab(pane, tr("Training lab"))
    main_window.training_placeholder = None
    main_window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
    main_window.restoreDockWidget(dock)
    main_window.training_pane = pane
    main_window.settings_dock = dock
    main_window.installEventFilter(pane)
    tabs = main_window.tabs

    def _tab_changed(_index: int = 0) -> None:
        dock.setVisible(tabs.currentWidget() is pane)

    tabs.currentChanged.connect(_tab_changed)
    _tab_changed()

    surface = main_window.surface_pane

    def _open_lesson(key: str) -> None:
        if key:
            surface.load_lesson(key)
        tabs.setCurrentWidget(surface)

    pane.surface_lab_requested.connect(_open_lesson)

    def _show_landscape(landscape: Any, caption: str | None) -> None:
        surface.show_landscape(landscape, caption)
        tabs.setCurrentWidget(surface)

    pane.landscape_ready.connect(_show_landscape)
    from optilab.ui.palette import THEMES

    if main_window.theme in THEMES:
        pane.set_theme(THEMES[main_window.theme])
    return pane
