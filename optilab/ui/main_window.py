"""The main window: a tab per lab (the surface lab first), menus, shortcuts, settings.

`MainWindow()` builds everything without showing it (tests rely on this).
Another lab joins with `add_tab(widget, title)`.  The training lab
(`optilab.ui.training_lab.install`) is built just after the window's first
paint, so the surface lab appears ~0.3 s sooner; its tab is there from the
start, and `ensure_training_lab()` (or opening the tab, a scenario, the
training settings) builds it at once.  Until then `training_pane` and
`settings_dock` are None.

What the window adds around the labs:

* language (View → Language): every text is bound with `optilab.ui.i18n.bind`,
  so switching keeps the whole state;
* scenarios: `current_scenario()`, `save_scenario(path)`, `open_scenario(path)`
  (validated by `optilab.scenario.load` before anything changes), recent files;
* exports (Ctrl+E): `export(choice, path)`, `export_gif(...)` (see `optilab.ui.exports`);
* presentation: F11 full screen, `set_scale` (only steps that fit the screen, see
  `offered_scales`; the window never grows past the screen: the labs sit in a
  scroll area), `set_theme`, `set_palette`;
* settings restored in `__init__` and saved in `closeEvent` (`optilab.ui.settings`);
* help: the lesson guide (F1), the shortcut list, About with versions.

Errors go through `show_error` (a non-blocking message box, the status bar and
`last_error`), so tests never hang on a modal dialog.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence, QPainter, QPixmap
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QFrame,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressDialog,
    QScrollArea,
    QSizePolicy,
    QTabWidget,
    QWidget,
)

from optilab import scenario as scenario_io
from optilab.scenario import Scenario, ScenarioError
from optilab.training.config import RunConfig
from optilab.ui import exports, settings as store
from optilab.ui.dialogs import ExportChoice, ExportDialog, about_html
from optilab.ui.help import HtmlDialog, lesson_guide_dialog, shortcuts_dialog
from optilab.ui.i18n import (
    LANGUAGES,
    bind,
    language,
    language_name,
    on_language_changed,
    set_language,
    system_language,
    tr,
    tr_message,
    untranslate,
)
from optilab.ui.palette import PALETTES, THEME_LABELS, palette, set_palette
from optilab.ui.presentation import (
    apply_font,
    apply_qt_translation,
    apply_theme,
    fit_docks,
    fit_scroll_column,
    fit_to_screen,
    follow_scale,
    screen_scales,
    step_scale,
)
from optilab.ui.resources import app_icon
from optilab.ui.surface_lab import SurfaceLabPane

#: Default size: fills a 1280×800 projector with room for the window frame.
DEFAULT_SIZE = (1270, 760)
#: How long the start-up hint stays in the status bar (ms).
HINT_MS = 20000
#: The start-up hint (kept in its own status-bar slot, beside restored-settings notices).
START_HINT = "Drag the 3-D view to orbit it; click the 2-D map to move the start point."


class MainWindow(QMainWindow):
    """optilab's main window.  `surface_pane` is the surface lab; `tabs` the tab widget.

    Attributes: `last_error` (the last message shown by `show_error`), `settings_notice`
    (the line about damaged stored settings dropped at start-up, '' when none),
    `scale` (presentation scale), `theme` ("light"/"dark"), `recent_files`.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.last_error = ""
        self.settings_notice = ""
        self.error_box: QMessageBox | None = None
        self.dialogs: dict[str, QWidget] = {}
        self.scale = 1.0
        self.theme = "light"
        self._tab_titles: dict[int, str] = {}
        store.check_all()  # each damaged setting is dropped here, and told once below
        start_language = store.value(store.LANGUAGE) or system_language()
        set_language(start_language if start_language in LANGUAGES else "en")
        bind(self, "setWindowTitle", "optilab — how optimizers behave")
        self.setWindowIcon(app_icon())
        self.resize(*DEFAULT_SIZE)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        # A lab larger than the window (a large zoom) scrolls instead of pushing the window off-screen.
        self.central_scroll = QScrollArea()
        self.central_scroll.setWidgetResizable(True)
        self.central_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.central_scroll.setWidget(self.tabs)
        self.setCentralWidget(self.central_scroll)
        self.surface_pane = SurfaceLabPane()
        self.add_tab(self.surface_pane, "Surface lab")
        self.recent_files: list[str] = store.recent_files()
        self._build_menus()
        on_language_changed(self._retranslate)
        self.hint_label = QLabel()
        bind(self.hint_label, "setText", START_HINT)
        self.statusBar().addPermanentWidget(self.hint_label)
        QTimer.singleShot(HINT_MS, self.hint_label.hide)
        self.training_pane = None
        self.settings_dock = None
        # The training lab's tab until the lab is built (see ensure_training_lab).
        self.training_placeholder: QWidget | None = QWidget()
        self.add_tab(self.training_placeholder, "Training lab")
        self.tabs.currentChanged.connect(self._tab_opened)
        self.restore_settings()
        self.surface_pane.view_2d.plot.setFocus()
        self._first_paint = _FirstPaint(self.surface_pane.view_2d.plot.viewport(), self._after_first_paint)

    def ensure_training_lab(self):
        """Build the training lab now if it is not built yet; returns its pane (None without the package)."""
        if self.training_pane is None and self.training_placeholder is not None:
            try:
                from optilab.ui.training_lab import install
            except ImportError:
                return None
            install(self)
            self._scale_training_lab(self.scale)
        return self.training_pane

    def _scale_training_lab(self, old_scale: float) -> None:
        """The training lab and its dock follow the scale: their self-set fonts are scaled from
        outside (`follow_scale`; neither has a ``set_scale`` of its own)."""
        for part in (self.training_pane, self.settings_dock):
            if part is not None:
                follow_scale(part, self.scale, old_scale)

    def _after_first_paint(self) -> None:
        # After this event-loop pass: the painted window reaches the screen first.
        QTimer.singleShot(0, self.ensure_training_lab)

    def _only_current_tab_sized(self) -> None:
        """Only the open lab's minimum size counts (a hidden lab must not make the open one scroll)."""
        current = self.tabs.currentWidget()
        for i in range(self.tabs.count()):
            page = self.tabs.widget(i)
            policy = QSizePolicy.Policy.Preferred if page is current else QSizePolicy.Policy.Ignored
            page.setSizePolicy(policy, policy)

    def _tab_opened(self, index: int) -> None:
        self._only_current_tab_sized()
        if self.training_placeholder is not None and self.tabs.widget(index) is self.training_placeholder:
            self.ensure_training_lab()
        elif self.training_pane is not None and self.tabs.widget(index) is self.training_pane:
            self._scale_training_lab(self.scale)  # plots made since (an experiment) catch up
            QTimer.singleShot(0, self._fit_docks)  # its dock, shown now, at this scale's width

    def replace_tab(self, old: QWidget, new: QWidget) -> int:
        """Put ``new`` in ``old``'s tab (same place, title and current state); returns the index."""
        index = self.tabs.indexOf(old)
        current = self.tabs.currentIndex() == index
        self.tabs.blockSignals(True)
        self.tabs.insertTab(index, new, self.tabs.tabText(index))
        self.tabs.removeTab(index + 1)
        if current:
            self.tabs.setCurrentIndex(index)
        self.tabs.blockSignals(False)
        self._tab_titles[id(new)] = self._tab_titles.pop(id(old), self.tabs.tabText(index))
        old.deleteLater()
        self._only_current_tab_sized()
        return index

    def add_tab(self, widget: QWidget, title: str) -> int:
        """Add a lab as a tab; returns its index.  The title follows the language
        (give the English text; an already translated one is recognised)."""
        source = untranslate(title)
        index = self.tabs.addTab(widget, tr(source))
        self._tab_titles[id(widget)] = source
        self._only_current_tab_sized()
        return index

    # -- menus -------------------------------------------------------------
    def _action(self, text: str, slot: Callable, shortcut=None, checkable: bool = False,
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

    def _menu(self, parent, text: str) -> QMenu:
        menu = parent.addMenu("")
        bind(menu, "setTitle", text)
        return menu

    def _build_menus(self) -> None:
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
        self.show_numbers_action = self._action("Numbers behind the step", pane.numbers.setVisible, "Ctrl+N", True, True)
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

    def _build_presentation_menu(self, view: QMenu) -> None:
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

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        for path in self.recent_files:
            action = self.recent_menu.addAction(Path(path).name)
            action.setToolTip(path)
            action.triggered.connect(lambda _on=False, p=path: self.open_scenario(p))
        self.recent_menu.setEnabled(bool(self.recent_files))

    def _arrows_changed(self, _on: bool = False) -> None:
        self.surface_pane.set_arrows(self.gradient_action.isChecked(), self.velocity_action.isChecked())

    def _retranslate(self) -> None:
        for i in range(self.tabs.count()):
            source = self._tab_titles.get(id(self.tabs.widget(i)))
            if source is not None:
                self.tabs.setTabText(i, tr(source))
        self.statusBar().clearMessage()

    # -- language and presentation ----------------------------------------
    def set_language(self, code: str) -> None:
        """Switch every text to language ``code`` ("en", "ko"); the labs keep their state."""
        set_language(code)
        apply_qt_translation(code)
        apply_font(code, self.scale)
        self.language_actions[code].setChecked(True)
        store.set_value(store.LANGUAGE, code)

    def scales(self) -> tuple[float, ...]:
        """The zoom steps offered on this window's screen (those whose layout fits it)."""
        return screen_scales(self)

    def set_scale(self, factor: float, announce: bool = True) -> None:
        """Presentation scale: application font, line widths, markers and both labs together.

        A scale larger than the screen offers (see `scales`) becomes the largest offered; the
        window stays within the screen (a maximised or full-screen window stays so)."""
        old = self.scale
        self.scale = min(float(factor), self.scales()[-1])
        apply_font(language(), self.scale)
        self.surface_pane.set_scale(self.scale)
        QTimer.singleShot(0, self._fit_controls_column)  # once the layouts have the new font
        QTimer.singleShot(0, self._fit_docks)
        self._scale_training_lab(old)
        self.fit_to_screen()
        if announce:
            self.statusBar().showMessage(tr("Scale {percent} %").format(percent=round(self.scale * 100)), 3000)

    def _fit_controls_column(self) -> None:
        fit_scroll_column(getattr(self.surface_pane, "controls_scroll", None))

    def _fit_docks(self) -> None:
        # the open lab keeps its minimum width beside the docks
        fit_docks(self, self.scale, self.width() - self.tabs.minimumSizeHint().width() - 12)

    def fit_to_screen(self) -> None:
        """Shrink and move the window so that its frame lies within the screen's available area."""
        fit_to_screen(self)

    def zoom(self, direction: int) -> None:
        """One offered scale step larger (+1) or smaller (−1)."""
        self.set_scale(step_scale(self.scale, direction, self.scales()))

    def set_theme(self, key: str) -> None:
        """"light" or "dark": Qt palette and plot colours."""
        theme = apply_theme(key)
        self.theme = key
        self.surface_pane.set_theme(theme)
        pane = getattr(self, "training_pane", None)
        if pane is not None and hasattr(pane, "set_theme"):
            pane.set_theme(theme)
        self.theme_actions[key].setChecked(True)

    def set_palette(self, key: str) -> None:
        """Run colours: "colour-blind" (Okabe–Ito) or "high-contrast"."""
        set_palette(key)
        self.surface_pane.recolor_runs()
        if self.training_pane is not None:
            self.training_pane.recolor_runs()
        self.palette_actions[key].setChecked(True)

    def toggle_full_screen(self, on: bool | None = None) -> None:
        """F11: full screen on or off."""
        on = not self.isFullScreen() if on is None else bool(on)
        self.showFullScreen() if on else self.showNormal()
        self.full_screen_action.blockSignals(True)
        self.full_screen_action.setChecked(on)
        self.full_screen_action.blockSignals(False)

    # -- settings ----------------------------------------------------------
    def restore_settings(self) -> None:
        """Apply what the last session saved (theme, palette, scale, geometry, docks)."""
        self.set_theme(store.value(store.THEME))
        self.set_palette(store.value(store.PALETTE))
        stored = store.value(store.SCALE)
        # A stored scale that does not fit this screen (another projector) starts at 100 %.
        self.set_scale(stored if stored <= self.scales()[-1] + 1e-9 else 1.0, announce=False)
        apply_qt_translation(language())
        self.language_actions[language()].setChecked(True)
        for key, restore in ((store.GEOMETRY, self.restoreGeometry), (store.STATE, self.restoreState)):
            saved = store.value(key)
            if saved is not None and not restore(saved):
                store.reject(key)
        self.fit_to_screen()
        self.settings_notice = store.notice()
        if self.settings_notice:  # in the message slot; the start-up hint keeps its own
            self.statusBar().showMessage(self.settings_notice)

    def save_settings(self) -> None:
        """Store geometry, docks, language, theme, palette and scale."""
        store.set_values({store.GEOMETRY: self.saveGeometry(), store.STATE: self.saveState(),
                          store.LANGUAGE: language(), store.THEME: self.theme, store.PALETTE: palette(),
                          store.SCALE: float(self.scale)})

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt name)
        """Save the settings, stop a running training, close."""
        self.surface_pane.pause()
        self.save_settings()
        pane = getattr(self, "training_pane", None)
        if pane is not None and hasattr(pane, "shutdown"):
            pane.shutdown()
        super().closeEvent(event)

    # -- errors and paths --------------------------------------------------
    def show_error(self, title: str, message: str) -> None:
        """Tell the user (non-blocking message box, status bar) and remember it in `last_error`."""
        self.last_error = message
        self.statusBar().showMessage(message, 15000)
        if self.error_box is not None:
            self.error_box.close()
        box = self.error_box = QMessageBox(QMessageBox.Icon.Warning, title, message,
                                           QMessageBox.StandardButton.Ok, self)
        box.open()

    def ask_path(self, save: bool, title: str, default: str, file_filter: str) -> str:
        """A file name from a file dialog ('' when cancelled); tests replace this method."""
        if save:
            path, _ = QFileDialog.getSaveFileName(self, title, default, file_filter)
        else:
            path, _ = QFileDialog.getOpenFileName(self, title, default, file_filter)
        return path

    def _scenario_folder(self) -> str:
        last = store.value(store.LAST_SCENARIO)
        return str(Path(last).parent) if last else str(Path.home())

    # -- scenarios ---------------------------------------------------------
    def current_scenario(self) -> Scenario:
        """Everything on screen as a `Scenario` (training settings when the training lab is there).

        ValueError (one line) if a training setting is invalid.
        """
        self.ensure_training_lab()
        dock = getattr(self, "settings_dock", None)
        training = dock.config() if dock is not None and hasattr(dock, "config") else RunConfig()
        # The folder the next run reads, however the dock found it (chosen, variable or cache).
        data_dir = dock.data_folder() if dock is not None else store.value(store.LAST_DATA_FOLDER)
        return self.surface_pane.to_scenario(training, data_dir)

    def save_scenario(self, path: str | None = None) -> Path | None:
        """Save the scenario (asks for a file when ``path`` is None); the file is written atomically."""
        try:
            current = self.current_scenario()
        except ValueError as exc:
            self.show_error(tr("Save scenario"), tr("Cannot save: {reason}").format(reason=tr_message(str(exc))))
            return None
        if not path:
            path = self.ask_path(True, tr("Save scenario"), str(Path(self._scenario_folder()) / "scenario.json"),
                                 tr("optilab scenarios (*.json)"))
            if not path:
                return None
        target = Path(path)
        try:
            scenario_io.save(current, target)
        except OSError as exc:
            self.show_error(tr("Save scenario"), exports.write_failure(target, exc))
            return None
        self._remember_scenario(target)
        self.statusBar().showMessage(tr("Saved {path}").format(path=target), 5000)
        return target

    def open_scenario(self, path: str | None = None) -> bool:
        """Open a scenario file.  It is read and validated completely first: on any
        problem an error names the field and the current state stays untouched."""
        if not path:
            path = self.ask_path(False, tr("Open scenario"), self._scenario_folder(), tr("optilab scenarios (*.json)"))
            if not path:
                return False
        try:
            loaded = scenario_io.load(path)
        except ScenarioError as exc:
            self.show_error(tr("Open scenario"), tr("Cannot open this scenario: {reason}").format(reason=tr_message(str(exc))))
            return False
        except (OSError, MemoryError) as exc:  # the core reports file faults as ScenarioError; never a traceback
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else type(exc).__name__
            self.show_error(tr("Open scenario"), tr("Could not read {path}: {reason}; choose another file").format(
                path=path, reason=tr_message(reason)))
            return False
        return self.apply_scenario(loaded, Path(path))

    def apply_scenario(self, loaded: Scenario, path: Path | None = None) -> bool:
        """Show a validated scenario in the labs."""
        try:
            self.surface_pane.apply_scenario(loaded)
        except ValueError as exc:
            self.show_error(tr("Open scenario"), tr("Cannot open this scenario: {reason}").format(reason=tr_message(str(exc))))
            return False
        self.ensure_training_lab()
        dock = getattr(self, "settings_dock", None)
        if dock is not None and hasattr(dock, "set_config"):
            dock.set_config(loaded.training)
        if loaded.data_dir:
            if dock is not None:
                dock.set_data_folder(loaded.data_dir)      # remembers it too
            else:
                store.set_value(store.LAST_DATA_FOLDER, loaded.data_dir)
        if path is not None:
            self._remember_scenario(path)
            self.statusBar().showMessage(tr("Opened {path}").format(path=path), 5000)
        self.last_error = ""
        return True

    def _remember_scenario(self, path: Path) -> None:
        self.recent_files = store.add_recent_file(str(Path(path).resolve()))
        self._fill_recent_menu()

    # -- exports -----------------------------------------------------------
    def grab_picture(self) -> QPixmap:
        """The whole window as a picture, with the 3-D view's frame painted in."""
        pixmap = self.grab()
        if self.tabs.currentWidget() is self.surface_pane:
            pane_pixmap = self.surface_pane.grab_picture()
            painter = QPainter(pixmap)
            painter.drawPixmap(self.surface_pane.mapTo(self, QPoint(0, 0)), pane_pixmap)
            painter.end()
        return pixmap

    def open_export_dialog(self) -> ExportDialog | QMenu:
        """Ctrl+E: the export chooser (non-blocking); on OK, asks for a file and exports.

        On the training tab: the training lab's exports (loss CSV, each plot as PNG/SVG).
        """
        if self.training_pane is not None and self.tabs.currentWidget() is self.training_pane:
            return self.training_pane.export_dialog()
        dialog = self.dialogs.get("export")
        if dialog is None:
            dialog = self.dialogs["export"] = ExportDialog(self)
            dialog.accepted.connect(lambda: self._export_chosen(dialog.choice()))
        dialog.open()
        return dialog  # type: ignore[return-value]

    def _export_chosen(self, choice: ExportChoice) -> None:
        path = self.ask_path(True, tr("Export"), str(Path.home() / f"optilab{choice.suffix}"), choice.file_filter)
        if path:
            if choice.kind == "gif":
                self.export_gif_with_progress(path, choice.which, choice.fps, choice.width)
            else:
                self.export(choice, path)

    def export(self, choice: ExportChoice, path: str) -> Path | None:
        """Export ``choice.kind`` to ``path`` (see `optilab.ui.dialogs.EXPORT_KINDS`); None on failure."""
        pane = self.surface_pane
        try:
            if choice.kind == "map-png":
                target = exports.export_plot_png(pane.view_2d.plot_item, path, choice.width, choice.dpi)
            elif choice.kind == "map-svg":
                target = exports.export_plot_svg(pane.view_2d.plot_item, path)
            elif choice.kind == "3d-png":
                target = exports.export_3d_png(pane, path, (choice.width, choice.height))
            elif choice.kind == "window-png":
                target = exports.export_image_png(self.grab_picture().toImage(), path)
            elif choice.kind in ("csv", "json"):
                target = exports.export_trajectories(pane, path)
            elif choice.kind == "gif":
                self.export_gif(path, choice.which, choice.fps, width=choice.width)
                target = Path(path)
            else:
                raise ValueError(f"unknown export kind {choice.kind!r}")
        except OSError as exc:
            self.show_error(tr("Export"), exports.write_failure(path, exc))
            return None
        self.statusBar().showMessage(tr("Saved {path}").format(path=target), 5000)
        return target

    def export_gif(self, path: str, which: str = "2d", fps: float = 10, progress=None, cancel=None,
                   width: int | None = None) -> int:
        """The surface animation as an animated GIF without any dialog; returns the frame count (0: cancelled)."""
        return exports.export_gif(self.surface_pane, path, which, fps, progress, cancel, width)

    def export_gif_with_progress(self, path: str, which: str = "2d", fps: float = 10,
                                 width: int | None = None) -> int:
        """`export_gif` with a progress dialog and Cancel."""
        dialog = QProgressDialog(tr("Rendering the animation…"), tr("Cancel"), 0, 100, self)
        dialog.setWindowTitle(tr("Export"))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)

        def progress(done: int, total: int) -> None:
            dialog.setMaximum(total)
            dialog.setValue(done)
            QApplication.processEvents()

        try:
            frames = self.export_gif(path, which, fps, progress, dialog.wasCanceled, width)
        except OSError as exc:
            self.show_error(tr("Export"), exports.write_failure(path, exc))
            return 0
        finally:
            dialog.close()
        if frames:
            self.statusBar().showMessage(tr("Saved {path}").format(path=path), 5000)
        else:
            self.statusBar().showMessage(tr("Export cancelled"), 5000)
        return frames

    def export_picture(self, path: str | None = None) -> Path | None:
        """Save the current tab as a PNG (asks for a file name when ``path`` is None)."""
        if not path:
            path = self.ask_path(True, tr("Export picture"), "optilab.png", tr("PNG images (*.png)"))
            if not path:
                return None
        return self.export(ExportChoice("window-png"), path)

    def export_csv(self, path: str | None = None) -> Path | None:
        """Save the surface lab's trajectories as CSV (optimizer,step,x,y,loss)."""
        if not path:
            path = self.ask_path(True, tr("Export trajectories"), "trajectories.csv", tr("CSV files (*.csv)"))
            if not path:
                return None
        return self.export(ExportChoice("csv"), path)

    # -- help --------------------------------------------------------------
    def _dialog(self, key: str, make: Callable[[QWidget], QWidget]) -> QWidget:
        dialog = self.dialogs.get(key)
        if dialog is None:
            dialog = self.dialogs[key] = make(self)
        dialog.show()
        dialog.raise_()
        return dialog

    def show_lesson_guide(self) -> HtmlDialog:
        """F1: what each lesson and training preset shows, in the current language."""
        return self._dialog("guide", lesson_guide_dialog)  # type: ignore[return-value]

    def show_shortcuts(self) -> HtmlDialog:
        """Help → Keyboard shortcuts."""
        return self._dialog("shortcuts", shortcuts_dialog)  # type: ignore[return-value]

    def about(self) -> QMessageBox:
        """The About box (non-blocking) with the versions of optilab, Qt, PySide6, numpy and pyqtgraph."""
        box = QMessageBox(self)
        box.setWindowTitle(tr("About optilab"))
        box.setIconPixmap(app_icon().pixmap(64, 64))
        box.setText(about_html())
        box.open()
        self.dialogs["about"] = box
        return box


class _Tr(str):
    """A format argument translated when the text is composed (for bound tooltips)."""

    def __format__(self, spec: str) -> str:
        return format(tr(str.__str__(self)), spec)


class _FirstPaint(QObject):
    """Calls ``callback`` once, after ``widget``'s first paint event."""

    def __init__(self, widget: QWidget, callback: Callable[[], None]) -> None:
        super().__init__(widget)
        self._callback = callback
        widget.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt name)
        if event.type() == QEvent.Type.Paint:
            obj.removeEventFilter(self)
            self._callback()
        return False
