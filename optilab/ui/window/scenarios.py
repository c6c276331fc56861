"""Scenarios in the main window: the screen as a `Scenario`, save, open (validated first), recent files.

Mixed into `optilab.ui.main_window.MainWindow`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from optilab import messages
from optilab import scenario as scenario_io
from optilab.scenario import Scenario, ScenarioError
from optilab.training.config import RunConfig
from optilab.ui import exports
from optilab.ui import settings as store
from optilab.ui.i18n import tr, tr_message

if TYPE_CHECKING:
    from optilab.ui.main_window import MainWindow



class ScenarioActions:
    """Save, open and apply scenarios (mixed into `MainWindow`)."""

    def _scenario_folder(self: MainWindow) -> str:
        last = store.value(store.LAST_SCENARIO)
        return str(Path(last).parent) if last else str(Path.home())

    # -- scenarios ---------------------------------------------------------
    def current_scenario(self: MainWindow) -> Scenario:
        """Everything on screen as a `Scenario` (training settings when the training lab is there).

        ValueError (one line) if a training setting is invalid.
        """
        self.ensure_training_lab()
        dock = self.settings_dock
        training = dock.config() if dock is not None else RunConfig()
        # The folder the next run reads, however the dock found it (chosen, variable or cache).
        data_dir = dock.data_folder() if dock is not None else store.value(store.LAST_DATA_FOLDER)
        return self.surface_pane.to_scenario(training, data_dir)

    def save_scenario(self: MainWindow, path: str | None = None) -> Path | None:
        """Save the scenario (asks for a file when ``path`` is None); the file is written atomically."""
        try:
            current = self.current_scenario()
        except ValueError as exc:
            reason = tr_message(messages.of(exc))
            self.show_error(tr("Save scenario"), tr("Cannot save: {reason}").format(reason=reason))
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

    def open_scenario(self: MainWindow, path: str | None = None) -> bool:
        """Open a scenario file.  It is read and validated completely first: on any
        problem an error names the field and the current state stays untouched."""
        if not path:
            path = self.ask_path(False, tr("Open scenario"), self._scenario_folder(), tr("optilab scenarios (*.json)"))
            if not path:
                return False
        try:
            loaded = scenario_io.load(path)
        except ScenarioError as exc:
            self._cannot_open(exc)
            return False
        except (OSError, MemoryError) as exc:  # the core reports file faults as ScenarioError; never a traceback
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else type(exc).__name__
            self.show_error(tr("Open scenario"), tr("Could not read {path}: {reason}; choose another file").format(
                path=path, reason=tr_message(reason)))
            return False
        return self.apply_scenario(loaded, Path(path))

    def apply_scenario(self: MainWindow, loaded: Scenario, path: Path | None = None) -> bool:
        """Show a validated scenario in the labs."""
        try:
            self.surface_pane.apply_scenario(loaded)
        except ValueError as exc:
            self._cannot_open(exc)
            return False
        self.ensure_training_lab()
        dock = self.settings_dock
        if dock is not None:
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

    def _cannot_open(self: MainWindow, exc: Exception) -> None:
        reason = tr_message(messages.of(exc))
        self.show_error(tr("Open scenario"), tr("Cannot open this scenario: {reason}").format(reason=reason))

    def _remember_scenario(self: MainWindow, path: Path) -> None:
        self.recent_files = store.add_recent_file(str(Path(path).resolve()))
        self._fill_recent_menu()

