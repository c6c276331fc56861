"""optilab's desktop app (the only package importing Qt).

    >>> from optilab.ui import MainWindow
    >>> window = MainWindow()       # built, not shown
    >>> window.surface_pane         # the surface lab
"""

from optilab.ui.main_window import MainWindow

__all__ = ["MainWindow"]
