"""The main window's menus and actions: File, View (with Presentation) and Help.

Mixed into `optilab.ui.main_window.MainWindow`; every text is bound with
`optilab.ui.i18n.bind`, so the menus follow the language.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenu

from optilab.ui.i18n import LANGUAGES, bind, language, language_name, tr
from optilab.ui.palette import PALETTES, THEME_LABELS

if TYPE_CHECKING:
    from optilab.ui.main_window import MainWindow



class MenuActions:
    """The window's actions and menus (mixed into `MainWindow`)."""

    def _action(self: MainWindow, text: str, slot: Callable, shortcut=None, checkable: bool = False,
                checked: bool = False, context: Qt.ShortcutContext | None = None) -> QAction:
        """A window action whose text (and tooltip, with its shortcut) follows the language."""
        action = QAction(self)
        shortcuts = shortcut if isinstance(shortcut, (list, tuple)) else ([shortcut] if shortcut is not None else [])
        keys = [QKeySequence(s) for s in shortcuts]
        if keys:
            action.setShortcuts(keys)
        if context is not None:
            action.setShortcutContext(context)
        bind(action, "setText", text)
        key_text = keys[0].toString(QKeySequence.SequenceFormat.NativeText) if keys else ""
        if key_text:
            bind(action, "setToolTip", "{what} ({key})", what=_Tr(text.replace("&", "")), key=key_text)
        if checkable:
            action.setCheckable(True)
            action.setChecked(checked)
            action.toggled.connect(slot)
        else:
            action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        return action

    def _menu(self: MainWindow, parent, text: str) -> QMenu:
        menu = parent.addMenu("")
        bind(menu, "setTitle", text)
        return menu

    def _build_menus(self: MainWindow) -> None:
        pane = self.surface_pane
        bar = self.menuBar()
        file_menu = self._menu(bar, "&File")
        self.open_action = self._action("Open scenario…", self.open_scenario, "Ctrl+O")
        self.save_action = self._action("Save scenario…", self.save_scenario, "Ctrl+S")
        self.export_action = self._action("Export…", self.open_export_dialog, "Ctrl+E")
        file_menu.addAction(self.open_action)
        self.recent_menu = self._menu(file_menu, "Open recent")
        file_menu.addAction(self.save_action)
        file_menu.addSeparator()
        file_menu.addAction(self.export_action)
        file_menu.addAction(self._action("Export picture…", self.export_picture))
        file_menu.addAction(self._action("Export trajectories (CSV)…", self.export_csv))
        file_menu.addSeparator()
        file_menu.addAction(self._action("Quit", self.close, QKeySequence.StandardKey.Quit))
        self._fill_recent_menu()

        view = self._menu(bar, "&View")
        self.show_2d_action = self._action("2-D map", lambda on: pane.show_views(show_2d=on), "Ctrl+2", True, True)
        self.show_3d_action = self._action("3-D surface", lambda on: pane.show_views(show_3d=on), "Ctrl+3", True, True)
        self.show_numbers_action = self._action("Numbers behind the step", pane.numbers.setVisible, "Ctrl+N",
                                                True, True)
        self.show_controls_action = self._action("Controls", pane.controls_scroll.setVisible, "Ctrl+L", True, True)
        for action in (self.show_2d_action, self.show_3d_action, self.show_numbers_action, self.show_controls_action):
            view.addAction(action)
        view.addSeparator()
        self.gradient_action = self._action("Gradient arrows (−g)", self._arrows_changed, "Ctrl+G", True, False)
        self.velocity_action = self._action("Velocity arrows (v)", self._arrows_changed, "Ctrl+V", True, False)
        view.addAction(self.gradient_action)
        view.addAction(self.velocity_action)
        view.addSeparator()
        view.addAction(self._action("Reset 3-D view", pane.view_3d.reset_view, "Ctrl+R"))
        view.addAction(self._action("Reset 2-D view", pane.view_2d.reset_view))
        view.addSeparator()
        # Space, arrows and Home act only while the surface lab has the focus, and a
        # focused text field keeps them (QLineEdit claims them as shortcut overrides).
        lab = Qt.ShortcutContext.WidgetWithChildrenShortcut
        self.play_action = self._action("Play / pause", pane.toggle_play, ["Space", "Ctrl+Space"], context=lab)
        self.forward_action = self._action("Step forward", pane.step_forward, ["Right", "PgDown"], context=lab)
        self.back_action = self._action("Step back", pane.step_back, ["Left", "PgUp"], context=lab)
        self.home_action = self._action("Back to step 0", lambda: pane.set_step(0), "Home", context=lab)
        for action in (self.play_action, self.forward_action, self.back_action, self.home_action):
            self.removeAction(action)
            pane.addAction(action)
            view.addAction(action)
        view.addSeparator()
        self.language_menu = self._menu(view, "Language")
        self.language_group = QActionGroup(self)
        self.language_actions: dict[str, QAction] = {}
        for code in LANGUAGES:
            action = QAction(language_name(code), self)
            action.setCheckable(True)
            action.setChecked(code == language())
            action.triggered.connect(lambda _on=False, c=code: self.set_language(c))
            self.language_group.addAction(action)
            self.language_menu.addAction(action)
            self.language_actions[code] = action
        self._build_presentation_menu(view)

        help_menu = self._menu(bar, "&Help")
        help_menu.addAction(self._action("Lesson guide", self.show_lesson_guide, "F1"))
        help_menu.addAction(self._action("Keyboard shortcuts", self.show_shortcuts))
        help_menu.addSeparator()
        help_menu.addAction(self._action("About optilab", self.about))

    def _build_presentation_menu(self: MainWindow, view: QMenu) -> None:
        menu = self.presentation_menu = self._menu(view, "Presentation")
        self.full_screen_action = self._action("Full screen", self.toggle_full_screen, "F11", True, False)
        self.zoom_in_action = self._action("Larger text and lines", lambda: self.zoom(+1), ["Ctrl+=", "Ctrl++"])
        self.zoom_out_action = self._action("Smaller text and lines", lambda: self.zoom(-1), "Ctrl+-")
        self.zoom_reset_action = self._action("Normal size", lambda: self.set_scale(1.0), "Ctrl+0")
        for action in (self.full_screen_action, self.zoom_in_action, self.zoom_out_action, self.zoom_reset_action):
            menu.addAction(action)
        menu.addSeparator()
        self.palette_group = QActionGroup(self)
        self.palette_actions: dict[str, QAction] = {}
        for key, (label, _colors) in PALETTES.items():
            action = self._action(label, lambda k=key: self.set_palette(k), checkable=False)
            action.setCheckable(True)
            self.palette_group.addAction(action)
            menu.addAction(action)
            self.palette_actions[key] = action
        menu.addSeparator()
        self.theme_group = QActionGroup(self)
        self.theme_actions: dict[str, QAction] = {}
        for key, label in THEME_LABELS.items():
            action = self._action(label, lambda k=key: self.set_theme(k), checkable=False)
            action.setCheckable(True)
            self.theme_group.addAction(action)
            menu.addAction(action)
            self.theme_actions[key] = action

    def _fill_recent_menu(self: MainWindow) -> None:
        self.recent_menu.clear()
        for path in self.recent_files:
            action = self.recent_menu.addAction(Path(path).name)
            action.setToolTip(path)
            action.triggered.connect(lambda _on=False, p=path: self.open_scenario(p))
        self.recent_menu.setEnabled(bool(self.recent_files))

    def _arrows_changed(self: MainWindow, _on: bool = False) -> None:
        self.surface_pane.set_arrows(self.gradient_action.isChecked(), self.velocity_action.isChecked())



class _Tr(str):
    """A format argument translated when the text is composed (for bound tooltips)."""

    def __format__(self, spec: str) -> str:
        return format(tr(str.__str__(self)), spec)

