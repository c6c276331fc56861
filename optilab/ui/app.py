"""Start the desktop app: `run_app()` is what `optilab` with no arguments calls."""

from __future__ import annotations

import sys
from collections.abc import Sequence

import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication

from optilab.ui.presentation import BASE_POINT_SIZE, apply_font
from optilab.ui.resources import app_icon

__all__ = ["BASE_POINT_SIZE", "create_app", "run_app", "share_gl_contexts"]


def share_gl_contexts() -> None:
    """Make all OpenGL contexts share resources (call before the QApplication exists).

    pyqtgraph.opengl compiles each shader program once and reuses it in every
    `GLViewWidget`; without sharing, a second 3-D view (a new window, a test)
    would use a program from another context and fail with GL "invalid value".
    """
    if QCoreApplication.instance() is None:
        QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)


def create_app(argv: Sequence[str] | None = None) -> QApplication:
    """The QApplication (existing or new) with optilab's name, icon and font (the bundled
    Noto Sans at `BASE_POINT_SIZE` or more; `MainWindow` then sets its language and scale)."""
    app = QApplication.instance()
    if app is None:
        share_gl_contexts()
        app = QApplication(list(argv) if argv is not None else sys.argv[:1])
    app.setApplicationName("optilab")
    app.setApplicationDisplayName("optilab")
    app.setOrganizationName("optilab")
    app.setDesktopFileName("optilab")
    app.setWindowIcon(app_icon())
    apply_font("en", 1.0)
    pg.setConfigOptions(imageAxisOrder="col-major")
    return app


def run_app(argv: Sequence[str] | None = None) -> int:
    """Open the main window and run the event loop; returns its exit code."""
    app = create_app(argv)
    from optilab.ui.main_window import MainWindow

    window = MainWindow()
    window.show()
    return int(app.exec())
