"""The training lab: live MNIST training in a worker thread, a settings dock, experiments.

    >>> from optilab.ui.training_lab import install
    >>> pane = install(main_window)     # adds the tab and the dock
    >>> pane.start()                    # trains with the dock's settings
    >>> pane.finished                   # Signal(str): "finished", "stopped", "diverged", "error"

Modules: `worker` (QThread worker, record batches), `pane` (the tab),
`settings_dock`, `plots` (curves, smoothing, exports), `experiments_view`
(random search), `histograms`, `download_dialog`.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from optilab.ui.i18n import tr
from optilab.ui.training_lab.pane import TrainingLabPane
from optilab.ui.training_lab.settings_dock import SettingsDock

__all__ = ["TrainingLabPane", "SettingsDock", "install"]


def install(main_window: Any) -> TrainingLabPane:
    """Add the training lab to ``main_window`` and return its pane.

    Creates the pane (tab "Training lab", in place of the window's
    ``training_placeholder`` tab when it has one) and the settings dock
    (right dock area, shown only while the training tab is current; its
    saved state restored), sets ``main_window.training_pane`` and
    ``main_window.settings_dock``, and installs the pane as an event filter of
    the window: closing the window stops a running worker and waits for its
    thread (`TrainingLabPane.shutdown`).  Calling it twice returns the
    existing pane.
    """
    existing = getattr(main_window, "training_pane", None)
    if isinstance(existing, TrainingLabPane):
        return existing
    dock = SettingsDock(main_window)
    pane = TrainingLabPane(dock)
    placeholder = getattr(main_window, "training_placeholder", None)
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

    surface = getattr(main_window, "surface_pane", None)
    if surface is not None:
        def _open_lesson(key: str) -> None:
            if key:
                surface.load_lesson(key)
            tabs.setCurrentWidget(surface)

        pane.surface_lab_requested.connect(_open_lesson)
    theme = getattr(main_window, "theme", None)
    if isinstance(theme, str):
        from optilab.ui.palette import THEMES
        if theme in THEMES:
            pane.set_theme(THEMES[theme])
    return pane
