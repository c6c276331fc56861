"""The main window: a tab per lab (the surface lab first), wired to menus, shortcuts and settings.

The window is wiring: its menus (`optilab.ui.window.menus`), scenarios
(`~.scenarios`), exports (`~.export_actions`, over the one export registry
`optilab.exporters`) and presentation (`~.look`: language, zoom, theme,
palette, full screen) are mixins of their own; this module keeps the tabs, the
deferred training lab, the stored settings, errors and help.

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
* exports (Ctrl+E): `export(choice, path)`, `export_gif(...)` (the registry's surface-lab
  exporters, pictures from `optilab.ui.exports`);
* presentation: F11 full screen, `set_scale` (only steps that fit the screen, see
  `offered_scales`; the window never grows past the screen: the labs sit in a
  scroll area), `set_theme`, `set_palette`;
* settings restored in `__init__` and saved in `closeEvent` (`optilab.ui.settings`);
* help: the lesson guide (F1), the shortcut list, About with versions.

Errors go through `show_error` (a non-blocking message box, the status bar and
`last_error`), so tests never hang on a modal dialog.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QLabel,
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QSizePolicy,
    QTabWidget,
    QWidget,
)

from optilab.landscape import Landscape
from optilab.ui import settings as store
from optilab.ui.dialogs import about_html
from optilab.ui.help import HtmlDialog, lesson_guide_dialog, shortcuts_dialog
from optilab.ui.i18n import (
    LANGUAGES,
    bind,
    language,
    on_language_changed,
    set_language,
    system_language,
    tr,
    untranslate,
)
from optilab.ui.palette import palette
from optilab.ui.presentation import apply_qt_translation, follow_scale
from optilab.ui.resources import app_icon
from optilab.ui.surface_lab import SurfaceLabPane
from optilab.ui.window.export_actions import ExportActions
from optilab.ui.window.look import LookActions
from optilab.ui.window.menus import MenuActions
from optilab.ui.window.scenarios import ScenarioActions

if TYPE_CHECKING:  # built after the first paint (`ensure_training_lab`), imported then
    from optilab.ui.training_lab import SettingsDock, TrainingLabPane

#: Default size: fills a 1280×800 projector with room for the window frame.
DEFAULT_SIZE = (1270, 760)
#: How long the start-up hint stays in the status bar (ms).
HINT_MS = 20000
#: The start-up hint (kept in its own status-bar slot, beside restored-settings notices).
START_HINT = "Drag the 3-D view to orbit it; click the 2-D map to move the start point."


class MainWindow(MenuActions, ScenarioActions, ExportActions, LookActions, QMainWindow):
    """optilab's main window.  `surface_pane` is the surface lab; `tabs` the tab widget.

    Attributes: `last_error` (the last message shown by `show_error`), `settings_notice`
    (the line about damaged stored settings dropped at start-up, '' when none),
    `scale` (presentation scale), `theme` ("light"/"dark"), `recent_files`;
    `training_pane` and `settings_dock`, the training lab's parts (None until it is built:
    `optilab.ui.training_lab.install` sets them).  The menus, scenarios, exports and
    presentation are the mixins of `optilab.ui.window`; this class wires the tabs, settings,
    errors and help.
    """

    training_pane: TrainingLabPane | None
    settings_dock: SettingsDock | None

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
        self._hint_expired = False
        QTimer.singleShot(HINT_MS, self._expire_hint)
        self.statusBar().messageChanged.connect(self._place_hint)
        self.surface_pane.lab.landscape_changed.connect(self._show_hint)
        self.training_pane = None
        self.settings_dock = None
        # The training lab's tab until the lab is built (see ensure_training_lab).
        self.training_placeholder: QWidget | None = QWidget()
        self.add_tab(self.training_placeholder, "Training lab")
        self.tabs.currentChanged.connect(self._tab_opened)
        self.restore_settings()
        self.surface_pane.view_2d.plot.setFocus()
        self._first_paint = _FirstPaint(self.surface_pane.view_2d.plot.viewport(), self._after_first_paint)

    def ensure_training_lab(self) -> TrainingLabPane | None:
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

    def _expire_hint(self) -> None:
        self._hint_expired = True
        self._place_hint()

    def _place_hint(self, *_: object) -> None:
        """The surface lab's hint shows on its tab only, for `HINT_MS` after start, and gives way to
        a status message too long to share the bar with it (both were clipped at 1280×800)."""
        bar, hint = self.statusBar(), self.hint_label
        message = bar.currentMessage()
        room = bar.width() - hint.sizeHint().width() - 4 * bar.fontMetrics().averageCharWidth()
        fits = not message or bar.fontMetrics().horizontalAdvance(message) <= room
        hint.setVisible(not self._hint_expired and fits and self.tabs.currentWidget() is self.surface_pane)

    def _show_hint(self, landscape: Landscape | None) -> None:
        """The status bar's hint: what the user can do with the surface lab as it is.  On a loss
        landscape the paths are recorded (a click on the map moves nothing): the player follows
        them; without paths (random directions) only the orbit is left."""
        if landscape is None:
            bind(self.hint_label, "setText", START_HINT)
        elif landscape.paths:
            bind(self.hint_label, "setText",
                 "Drag the 3-D view to orbit it; step or play to follow the runs' recorded weights.")
        else:
            bind(self.hint_label, "setText", "Drag the 3-D view to orbit it.")

    def _tab_opened(self, index: int) -> None:
        self._only_current_tab_sized()
        self._place_hint()
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

    def _retranslate(self) -> None:
        for i in range(self.tabs.count()):
            source = self._tab_titles.get(id(self.tabs.widget(i)))
            if source is not None:
                self.tabs.setTabText(i, tr(source))
        self.statusBar().clearMessage()

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

    def closeEvent(self, event: QCloseEvent) -> None:
        """Save the settings, stop a running training, close."""
        self.surface_pane.pause()
        self.save_settings()
        if self.training_pane is not None:
            self.training_pane.shutdown()
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


class _FirstPaint(QObject):
    """Calls ``callback`` once, after ``widget``'s first paint event."""

    def __init__(self, widget: QWidget, callback: Callable[[], None]) -> None:
        super().__init__(widget)
        self._callback = callback
        widget.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Type.Paint:
            obj.removeEventFilter(self)
            self._callback()
        return False
