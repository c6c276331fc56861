"""The training-lab pane: live curves of the book's MNIST network, with one-click experiments.

The pane only views and wires (napari's Qt controls over a Qt-free model).
The job's state and results live in `session`, an
`optilab.lab.training.TrainingSession`; Start builds a `TrainingJob` from
the settings dock (or from a preset), starts the session and a
`TrainingWorker` in a `QThread` that pumps the training process's typed
events (≤ 30 step batches a second) into the session, and the widgets
follow the session's signals.  Public API relied on by tests: `start()`,
`stop()`, `pause()`, `resume()`, `is_running()`, `shutdown()`,
`start_preset(name)`, `export_csv(path)`, `export_plot(which, path)`, the
`finished(str)` signal (status of the job: "finished", "stopped",
"diverged", "error"), `status`, `run_infos` and `results` (the `RunResult`s
of the last job, one per run that ran); ``landscape`` ("Show its loss
landscape", `landscape_action.LandscapeAction`) and the
`landscape_ready(landscape, caption)` signal the window shows in the surface lab.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import QEvent, QObject, Qt, QThread, QTimer, Signal
from PySide6.QtWidgets import QWidget

from optilab import data as datamod
from optilab import messages, training
from optilab.lab.training import FAILED, IDLE, PAUSED, RUNNING, TrainingSession
from optilab.messages import Message
from optilab.training import RunConfig, RunResult, claims
from optilab.training.events import Evaluated, RunDone, RunInfo, StepBatch
from optilab.training.seeds import label_groups
from optilab.ui.i18n import bind, on_language_changed, tr, tr_message
from optilab.ui.palette import palette
from optilab.ui.training_lab.bn_view import is_bn_comparison
from optilab.ui.training_lab.download_dialog import Downloads
from optilab.ui.training_lab.landscape_action import LandscapeAction
from optilab.ui.training_lab.pane_exports import ExportsAndLook
from optilab.ui.training_lab.pane_layout import VIEW_TITLES, build  # noqa: F401 - re-exported
from optilab.ui.training_lab.pane_status import StatusLine
from optilab.ui.training_lab.pane_table import TablePart
from optilab.ui.training_lab.plot_style import COLORS
from optilab.ui.training_lab.plots import RunCurves
from optilab.ui.training_lab.settings_dock import SettingsDock
from optilab.ui.training_lab.status import format_eta  # noqa: F401 - re-exported
from optilab.ui.training_lab.worker import TrainingJob, TrainingWorker

#: Curve redraws per second while training.
DRAW_RATE = 10
#: The surface-lab lesson each "trajectories" experiment points to (`SurfaceLabPane.load_lesson` key).
SURFACE_LESSONS = {"gd-vs-sgd": "gd-vs-sgd"}


class TrainingLabPane(TablePart, ExportsAndLook, StatusLine, QWidget):
    """The training-lab tab (see the module docstring)."""

    finished = Signal(str)
    started = Signal()
    #: The key of the surface-lab lesson an experiment points to ("Open the surface lab").
    surface_lab_requested = Signal(str)
    #: A loss landscape to show in the surface lab: (Landscape, caption or None).
    landscape_ready = Signal(object, object)

    def __init__(self, dock: SettingsDock | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.dock = dock if dock is not None else SettingsDock()
        #: The model of the training job: state, runs, results, progress (the widgets follow it).
        self.session = TrainingSession()
        self._dataset_override: datamod.Dataset | None = None
        self._thread: QThread | None = None
        self._worker: TrainingWorker | None = None
        self._curves: dict[int, RunCurves] = {}
        self._last_status: str | None = None
        self._status_source: str | None = "Ready"   # a fixed status text (English), or None: composed
        self._eta = float("nan")
        self._colored_with = (palette(), COLORS["background"])
        self._shows_preset: training.Preset | None = None
        self._data_info: RunInfo | None = None
        self._claim: claims.ClaimReport | None = None     # the last experiment's claim over its seeds
        self.downloads = Downloads(self)
        #: Keyword arguments of the downloads started by the dock's button (dest, mirrors, timeout).
        self.download_options: dict[str, Any] = {}
        #: "Show its loss landscape" and the landscape lessons (its buttons are laid out by `build`).
        self.landscape = LandscapeAction(self)
        build(self)
        # Curves are redrawn at most DRAW_RATE times a second (records arrive up to 30×/s):
        # every repaint runs many Python callbacks that compete with the worker for the GIL.
        self.draw_timer = QTimer(self)
        self.draw_timer.setInterval(int(1000 / DRAW_RATE))
        self.draw_timer.timeout.connect(self._redraw)
        self.dock.lr_changed.connect(self._live_lr)
        self.dock.changed.connect(self._dock_changed)
        self.dock.download_requested.connect(self.download_mnist)
        self.downloads.downloaded.connect(self.dock.set_data_folder)
        self.downloads.failed.connect(lambda msg: self._show_error("Download failed: {msg}", msg=tr_message(msg)))
        session = self.session
        session.run_started.connect(self._on_run_started)
        session.steps.connect(self._on_steps)
        session.evaluated.connect(self._on_evaluated)
        session.run_done.connect(self._on_run_done)
        session.failed.connect(self._on_failed)
        session.state_changed.connect(self._on_state_changed)
        self._dock_changed()
        self._set_controls()
        on_language_changed(self.retranslate)

    # -- public state (read from the session) ----------------------------------------
    @property
    def results(self) -> list[RunResult]:
        """The `RunResult`s of the last job, one per run that ran."""
        return self.session.results

    @property
    def run_infos(self) -> list[RunInfo]:
        """The `RunInfo` of each run of the last job that started."""
        return self.session.infos

    @property
    def status(self) -> str:
        """"ready", "starting" (loading data), "running", "paused", "finished", "stopped",
        "diverged" or "error" — the session's state in the pane's words."""
        state = self.session.state
        if state == RUNNING and self.session.current is None:
            return "starting"
        return {IDLE: "ready", FAILED: "error"}.get(state, state)

    @property
    def error_message(self) -> str:
        """The last job's failure, in English ("" when none)."""
        failure = self.session.failure
        return str(failure) if failure is not None else ""

    # -- public control ----------------------------------------------------------
    def is_running(self) -> bool:
        """True from `start` until the worker thread has ended."""
        return self._thread is not None

    def set_dataset(self, dataset: datamod.Dataset | None) -> None:
        """Train on ``dataset`` instead of the dock's source (tests, scripts); None to undo."""
        self._dataset_override = dataset
        self._dock_changed()

    def start(self, config: RunConfig | None = None) -> bool:
        """Train one run: ``config`` or the dock's settings.  False (and a message) if it cannot start."""
        if self.is_running():
            return False
        try:
            cfg = config if config is not None else self.dock.config()
        except ValueError as exc:
            self._show_error("Cannot start: {reason}", reason=tr_message(messages.of(exc)))
            return False
        self._shows_preset = None
        self.shows_label.setText("")
        self.surface_link.hide()
        self.dock.set_experiment_note(None)
        return self._launch(TrainingJob([cfg], self._data_source(None)), view="loss")

    def start_preset(self, name: str, quick: bool | None = None, trials: int | None = None,
                     seeds: int | None = None, jobs: int | None = None, **overrides: Any) -> bool:
        """Run the experiment ``name`` (all its runs) and bring its own view to the front.

        ``quick``: default the checkbox; ``trials`` (random search) and ``overrides`` (RunConfig
        fields, e.g. ``epochs=1``) shrink it for a test of the view.  ``seeds`` (each run
        repeated over k seeds: curves with bands) and ``jobs`` (runs trained at once) default
        to the fields beside the button; seeds apply to the experiments that overlay curves.
        """
        if self.is_running():
            return False
        preset = training.get(name)
        quick = self.quick.isChecked() if quick is None else quick
        self._show_shows(preset)
        self.dock.set_experiment_note(preset.title)
        self.preset.blockSignals(True)
        self.preset.setCurrentIndex(max(self.preset.findData(name), 0))
        self.preset.blockSignals(False)
        if preset.kind == "histograms":
            self.views.setCurrentWidget(self.hist_view)
            self.hist_view.follow.setChecked(False)
            self.hist_view.set_choice("sigmoid", 1.0)
            return False
        if preset.kind == "trajectories":
            self.surface_link.show()
            return False
        configs = preset.configs(quick, **overrides)
        view: QWidget = self.curves
        if preset.kind == "random-search":
            configs = training.random_search_configs(
                configs[0], trials or preset.option("trials", quick), preset.option("lr_range"),
                preset.option("wd_range"), seed=configs[0].seed)
            self.search_view.clear(top=preset.option("top", quick), lr_range=preset.option("lr_range"),
                                   wd_range=preset.option("wd_range"))
            view = self.search_view
        elif is_bn_comparison(configs):
            self.bn_view.prepare(configs)
            view = self.bn_view
        elif preset.view == "rmse":        # a regression lesson (housing)
            view = self.regression_view
        k = (self.seeds_field.value() if seeds is None else seeds) if _overlays_curves(name) else 1
        job = TrainingJob(configs, self._data_source(preset), preset=name, kind=preset.kind, seeds=k,
                          jobs=self.jobs_field.value() if jobs is None else jobs)
        ok = self._launch(job, view=preset.view)
        if ok:
            self.views.setCurrentWidget(view)
        return ok

    def stop(self) -> None:
        """Ask the run to stop (works while paused); `finished` follows within a step."""
        if self._worker is not None and self.session.is_active:
            self.session.stop()
            self._set_status_source("Stopping…")

    def pause(self) -> None:
        if self._worker is not None and self.session.state == RUNNING:
            self.session.pause()

    def resume(self) -> None:
        if self._worker is not None and self.session.state == PAUSED:
            self.session.resume()

    def _show_paused(self, paused: bool) -> None:
        self.pause_button.blockSignals(True)
        self.pause_button.setChecked(paused)
        bind(self.pause_button, "setText", "Resume" if paused else "Pause")
        self.pause_button.blockSignals(False)

    def shutdown(self, timeout_ms: int = 2000) -> bool:
        """Stop the worker and wait for its thread (the window is closing).  True if it ended."""
        self.downloads.shutdown()
        self.landscape.shutdown(timeout_ms)
        thread, worker = self._thread, self._worker
        if thread is None:
            return True
        if worker is not None:
            worker.stop()
        thread.quit()
        grace = timeout_ms // 2           # then the child is killed: a frozen one never answers
        ended = bool(thread.wait(grace))
        if not ended and worker is not None:
            worker.kill()
            ended = bool(thread.wait(timeout_ms - grace))
        if ended:
            self._finish_job(thread)
        return ended

    def _open_surface_lesson(self) -> None:
        preset = self._shows_preset
        key = SURFACE_LESSONS.get(preset.name if preset is not None else "", "")
        self.surface_lab_requested.emit(key)

    def download_mnist(self, dest: str | None = None, mirrors: Any = None, timeout: float | None = None) -> None:
        """Download MNIST into the cache with a cancellable progress dialog; then use it.

        Unset arguments come from `download_options`; see `Downloads.start`.
        """
        given = {"dest": dest, "mirrors": mirrors, "timeout": timeout}
        options = {**self.download_options, **{k: v for k, v in given.items() if v is not None}}
        self.downloads.start(options.get("dest"), options.get("mirrors"), options.get("timeout"))

    # -- the worker ----------------------------------------------------------------
    def _data_source(self, preset: Any = None) -> Any:
        if self._dataset_override is not None:
            return self._dataset_override
        loader = self._table_loader(preset)     # a table chosen, or a tabular experiment
        if loader is not None:
            return loader
        spec = self.dock.data_spec()
        if spec.kind == "folder" and not spec.folder:
            return _raise_no_folder
        return spec          # the training process loads it (from the .npy cache: fast)

    def _launch(self, job: TrainingJob, view: str) -> bool:
        if self._thread is not None or self.landscape.is_computing():
            return False
        if job.preset is None:
            self.views.setCurrentWidget(self.curves)
        self._curves = {}
        self.curves.clear()
        self.curves.set_loss_scale(training.get(job.preset).loss_axis if job.preset else "linear")
        self.regression_view.clear()
        self._job_table = None              # the job's loader sets it, in the worker thread
        self.curves.set_seeds(job.seeds, [label for label, _runs in label_groups(job.configs)])
        self._claim = None
        self.claim_label.hide()
        self.curves.emphasise_accuracy(view == "accuracy")
        self._hide_error()
        self.progress.setValue(0)
        worker = TrainingWorker(job)
        self.session.start(job.configs, worker, kind=job.kind, preset=job.preset)
        thread = QThread()
        thread.setObjectName("optilab-training")
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        # Direct: quit the thread's loop from the worker thread, so it ends even while the GUI waits.
        worker.finished.connect(thread.quit, Qt.ConnectionType.DirectConnection)
        worker.job_event.connect(self._on_event)
        thread.finished.connect(self._on_thread_finished)
        self._thread, self._worker = thread, worker
        self._set_status_source("Loading data…")
        self._set_controls()
        self.dock.set_running(True)
        thread.start()
        self.draw_timer.start()
        self.started.emit()
        return True

    def _on_event(self, event: Any) -> None:
        """An event of the training process: into the session (the worker of an earlier job is ignored)."""
        if self.sender() is self._worker and self._worker is not None and self.session.is_active:
            self.session.receive(event)

    # -- the session's signals -----------------------------------------------------------
    def _on_state_changed(self, new: str, old: str) -> None:
        if new in (RUNNING, PAUSED):
            self._show_paused(new == PAUSED)
            self._update_status()

    def _on_run_started(self, info: RunInfo) -> None:
        curves = self.curves.add_run(info.config.label, info.index, info.iters_per_epoch, info.total_iterations)
        self._curves[info.index] = curves
        self.grad_view.reset(info.layer_names)
        self._data_info = info
        self.data_label.setText(self._data_text(info))
        self._table_run_started(info)
        self._update_status()

    def _on_steps(self, batch: StepBatch) -> None:
        run = self._curves.get(batch.run_index)
        if run is None:
            return
        self.curves.append(run, batch.iterations, batch.loss, batch.lr, [], draw=False)
        if batch.grad_norms and len(batch.iterations):
            self.grad_view.append(batch.last_iteration, batch.grad_norms)

    def _on_evaluated(self, event: Evaluated) -> None:
        run = self._curves.get(event.run_index)
        if run is None or self._is_regression_job():   # no accuracy: the regression view draws it
            return
        empty = np.empty(0)
        self.curves.append(run, empty, empty, empty, [event.evaluation], draw=False)
        self.curves.refresh_legend(run)

    def _redraw(self) -> None:
        self.curves.redraw()
        self._table_redraw()
        self._update_status()

    def _on_run_done(self, done: RunDone) -> None:
        run = self._curves.get(done.run_index)
        if run is not None:
            fin = done.finished
            self.curves.set_status(run, fin.status, fin.diverged_at)
            self._update_status()
            self.curves.refresh_legend(run)
        if self.session.kind == "random-search":
            self.search_view.add_result(done.result)
        elif is_bn_comparison(self.session.configs):
            self.bn_view.add_result(done.run_index, done.result)
        self._table_run_done(done)

    def _on_failed(self, message: Message) -> None:
        self._show_error("Training failed: {msg}", msg=tr_message(message))

    def _on_thread_finished(self) -> None:
        thread = self._thread
        if thread is None or thread is not self.sender():
            return
        self._finish_job(thread)

    def _finish_job(self, thread: QThread) -> None:
        thread.wait()
        worker = self._worker
        self._thread, self._worker = None, None
        self.draw_timer.stop()
        self.curves.redraw(force=True)
        self._table_redraw()
        # Signal connections hold the worker and the thread in a cycle Python cannot see:
        # delete both on the C++ side.
        if worker is not None:
            worker.job = None
            worker.deleteLater()
        thread.deleteLater()
        if self.session.is_active:        # closed before the job's end arrived (its events are dropped)
            self.session.end()
        self._update_status()
        self._show_claim()
        self._show_table()
        self._show_paused(False)
        self._set_controls()
        self.dock.set_running(False)
        self.finished.emit(self.status)

    def _set_controls(self) -> None:
        running = self.is_running()
        busy = running or self.landscape.is_computing()
        self.start_button.setEnabled(not busy)
        self.run_preset_button.setEnabled(not busy)
        self.preset.setEnabled(not busy)
        self.seeds_field.setEnabled(not busy and _overlays_curves(self.preset.currentData()))
        self.jobs_field.setEnabled(not busy)
        self.pause_button.setEnabled(running)
        self.stop_button.setEnabled(running)

    def _pause_toggled(self, on: bool) -> None:
        self.pause() if on else self.resume()

    def _live_lr(self, lr: float) -> None:
        if self._worker is None:
            return
        try:
            self.session.set_lr(lr)
        except ValueError as exc:
            self._show_raw_error(messages.of(exc))

    def _dock_changed(self) -> None:
        if self._dataset_override is not None:
            self.data_label.setText(tr("Data: {source}").format(source=tr(self._dataset_override.source)))
        try:
            cfg = self.dock.config()
        except ValueError:
            return
        self.hist_view.follow_settings(cfg.activation, cfg.init if cfg.init != "zeros" else "zeros")

    def _preset_chosen(self) -> None:
        name = self.preset.currentData()
        if name:
            self._show_shows(training.get(name))
            self.surface_link.setVisible(training.get(name).kind == "trajectories")
        self.landscape.refresh()
        self._set_controls()

    # -- window close ------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Installed on the main window by `install`: stop the worker when the window closes."""
        if event.type() == QEvent.Type.Close:
            self.shutdown()
        return False


def _raise_no_folder() -> datamod.Dataset:
    raise datamod.DataError(tr("Choose the folder that holds the MNIST files, or use the bundled sample."))


def _overlays_curves(name: str | None) -> bool:
    """True when experiment ``name`` overlays its runs' curves, so seeds draw bands (the random
    search, the batch-norm grid and the lessons that train nothing have views of their own)."""
    if not name:
        return False
    preset = training.get(name)
    return preset.kind == "runs" and not is_bn_comparison(preset.configs())
