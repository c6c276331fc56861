"""The main window: a tab per lab (the surface lab first), menus, status bar.

`MainWindow()` builds everything without showing it (tests rely on this).
Another lab joins with `add_tab(widget, title)`.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction, QKeySequence, QPainter, QPixmap
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox, QTabWidget, QWidget

from optilab import __version__
from optilab.trajectory import to_csv
from optilab.ui.i18n import tr
from optilab.ui.resources import app_icon
from optilab.ui.surface_lab import SurfaceLabPane

#: Default size: fills a 1280×800 projector with room for the window frame.
DEFAULT_SIZE = (1270, 760)


class MainWindow(QMainWindow):
    """optilab's main window.  `surface_pane` is the surface lab; `tabs` the tab widget."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("optilab — how optimizers behave"))
        self.setWindowIcon(app_icon())
        self.resize(*DEFAULT_SIZE)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.setCentralWidget(self.tabs)
        self.surface_pane = SurfaceLabPane()
        self.add_tab(self.surface_pane, tr("Surface lab"))
        self._build_menus()
        self.statusBar().showMessage(
            tr("Drag the 3-D view to orbit it; click the 2-D map to move the start point."), 8000
        )

    def add_tab(self, widget: QWidget, title: str) -> int:
        """Add a lab as a tab; returns its index."""
        return self.tabs.addTab(widget, title)

    # -- menus -------------------------------------------------------------
    def _action(self, text: str, slot, shortcut=None, checkable: bool = False, checked: bool = False) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if checkable:
            action.setCheckable(True)
            action.setChecked(checked)
            action.toggled.connect(slot)
        else:
            action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_menus(self) -> None:
        pane = self.surface_pane
        bar = self.menuBar()
        file_menu = bar.addMenu(tr("&File"))
        file_menu.addAction(self._action(tr("Export picture…"), self.export_picture, QKeySequence.StandardKey.Save))
        file_menu.addAction(self._action(tr("Export trajectories (CSV)…"), self.export_csv))
        file_menu.addSeparator()
        file_menu.addAction(self._action(tr("Quit"), self.close, QKeySequence.StandardKey.Quit))

        view = bar.addMenu(tr("&View"))
        self.show_2d_action = self._action(tr("2-D map"), lambda on: pane.show_views(show_2d=on), "Ctrl+2", True, True)
        self.show_3d_action = self._action(tr("3-D surface"), lambda on: pane.show_views(show_3d=on), "Ctrl+3", True, True)
        self.show_numbers_action = self._action(tr("Numbers behind the step"), pane.numbers.setVisible, "Ctrl+N", True, True)
        self.show_controls_action = self._action(tr("Controls"), pane.controls_scroll.setVisible, "Ctrl+L", True, True)
        for action in (self.show_2d_action, self.show_3d_action, self.show_numbers_action, self.show_controls_action):
            view.addAction(action)
        view.addSeparator()
        self.gradient_action = self._action(tr("Gradient arrows (−g)"), self._arrows_changed, "Ctrl+G", True, False)
        self.velocity_action = self._action(tr("Velocity arrows (v)"), self._arrows_changed, "Ctrl+V", True, False)
        view.addAction(self.gradient_action)
        view.addAction(self.velocity_action)
        view.addSeparator()
        view.addAction(self._action(tr("Reset 3-D view"), pane.view_3d.reset_view, "Ctrl+R"))
        view.addAction(self._action(tr("Reset 2-D view"), pane.view_2d.reset_view))
        view.addSeparator()
        view.addAction(self._action(tr("Play / pause"), pane.toggle_play, "Ctrl+Space"))
        view.addAction(self._action(tr("Step forward"), pane.step_forward, QKeySequence(Qt.Key.Key_PageDown)))
        view.addAction(self._action(tr("Step back"), pane.step_back, QKeySequence(Qt.Key.Key_PageUp)))

        help_menu = bar.addMenu(tr("&Help"))
        help_menu.addAction(self._action(tr("About optilab"), self.about))

    def _arrows_changed(self, _on: bool = False) -> None:
        self.surface_pane.set_arrows(self.gradient_action.isChecked(), self.velocity_action.isChecked())

    def grab_picture(self) -> QPixmap:
        """The whole window as a picture, with the 3-D view's frame painted in."""
        pixmap = self.grab()
        if self.tabs.currentWidget() is self.surface_pane:
            pane_pixmap = self.surface_pane.grab_picture()
            painter = QPainter(pixmap)
            painter.drawPixmap(self.surface_pane.mapTo(self, QPoint(0, 0)), pane_pixmap)
            painter.end()
        return pixmap

    # -- actions -----------------------------------------------------------
    def export_picture(self, path: str | None = None) -> Path | None:
        """Save the current tab as a PNG (asks for a file name when ``path`` is None)."""
        if not path:
            path, _ = QFileDialog.getSaveFileName(self, tr("Export picture"), "optilab.png", tr("PNG images (*.png)"))
            if not path:
                return None
        target = Path(path)
        if not self.grab_picture().save(str(target), "PNG"):
            QMessageBox.warning(self, tr("Export picture"), tr("Could not write {path}").format(path=target))
            return None
        self.statusBar().showMessage(tr("Saved {path}").format(path=target), 5000)
        return target

    def export_csv(self, path: str | None = None) -> Path | None:
        """Save the surface lab's trajectories as CSV (optimizer,step,x,y,loss)."""
        if not path:
            path, _ = QFileDialog.getSaveFileName(self, tr("Export trajectories"), "trajectories.csv", tr("CSV files (*.csv)"))
            if not path:
                return None
        target = Path(path)
        try:
            target.write_text(to_csv(self.surface_pane.trajectories), encoding="utf-8")
        except OSError as exc:
            QMessageBox.warning(self, tr("Export trajectories"), str(exc))
            return None
        self.statusBar().showMessage(tr("Saved {path}").format(path=target), 5000)
        return target

    def about(self) -> None:
        """The About box."""
        QMessageBox.about(
            self,
            tr("About optilab"),
            tr(
                "<h3>optilab {version}</h3>"
                "<p>Watch neural-network optimizers work: SGD, Momentum, Nesterov, AdaGrad, "
                "RMSprop, Adam and AdamW on loss surfaces, step by step, with the numbers behind "
                "each step.</p><p>After the optimizers of “Deep Learning from Scratch”, ch. 6.</p>"
            ).format(version=__version__),
        )
