"""The training-lab pane: live curves of the book's MNIST network, with one-click experiments.

The pane only views and wires.  Start builds a `TrainingJob` from the
settings dock (or from a preset), hands it to a `TrainingWorker` in a
`QThread`, and appends each `RecordBatch` the worker sends (≤ 30 per
second) to the curves.  Public API relied on by tests: `start()`, `stop()`,
`pause()`, `resume()`, `is_running()`, `shutdown()`, `start_preset(name)`,
`export_csv(path)`, `export_plot(which, path)`, the `finished(str)` signal
(status of the job: "finished", "stopped", "diverged", "error"), and
`results` (the `RunResult`s of the last job, one per run that ran).
"""

from __future__ import annotations

import math
import time
from collections import deque
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, QThread, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from optilab import data as datamod
from optilab import training
from optilab.training import RunConfig, RunResult
from optilab.training.export import write_loss_csv
from optilab.ui.i18n import bind, on_language_changed, tr, tr_message, unbind
from optilab.ui.palette import ERROR
from optilab.ui.training_lab.download_dialog import Downloads
from optilab.ui.training_lab.experiments_view import RandomSearchView
from optilab.ui.training_lab.histograms import HistogramView
from optilab.ui.training_lab.plots import CurvesView, GradNormView, RunCurves
from optilab.ui.training_lab.plots import export_plot as _export_plot
from optilab.ui.training_lab.settings_dock import SettingsDock
from optilab.ui.training_lab.worker import RecordBatch, RunInfo, TrainingJob, TrainingWorker

#: Curve redraws per second while training.
DRAW_RATE = 10
#: Seconds of recent progress used for the it/s figure.
RATE_WINDOW = 2.0
#: Items of the Export menu: (English text, what to export).
EXPORT_ITEMS = (("Loss CSV…", "csv"), ("Loss plot (PNG or SVG)…", "loss"),
                ("Accuracy plot (PNG or SVG)…", "accuracy"), ("Learning-rate plot (PNG or SVG)…", "lr"),
                ("Gradient-norm plot (PNG or SVG)…", "gradients"))
#: Titles of the view tabs, in tab order.
VIEW_TITLES = ("Curves", "Gradients per layer", "Activation histograms", "Random search")


def format_eta(seconds: float) -> str:
    """12 → "0:12", 3725 → "1:02:05"; "—" when unknown."""
    if not math.isfinite(seconds) or seconds < 0:
        return "—"
    s = int(round(seconds))
    h, rest = divmod(s, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


class TrainingLabPane(QWidget):
    """The training-lab tab (see the module docstring)."""

    finished = Signal(str)
    started = Signal()
    surface_lab_requested = Signal()

    def __init__(self, dock: SettingsDock | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.dock = dock if dock is not None else SettingsDock()
        self.results: list[RunResult] = []
        self.run_infos: list[RunInfo] = []
        self.status = "ready"
        self.error_message = ""
        self._dataset_override: datamod.Dataset | None = None
        self._thread: QThread | None = None
        self._worker: TrainingWorker | None = None
        self._job_id = 0
        self._job: TrainingJob | None = None
        self._curves: dict[int, RunCurves] = {}
        self._current: RunInfo | None = None
        self._done_iterations = 0
        self._run_iterations = 0
        self._rate_samples: deque[tuple[float, int]] = deque()
        self._rate = float("nan")
        self._last_status: str | None = None
        self._status_source: str | None = "Ready"   # a fixed status text (English), or None: composed
        self._rate_text: tuple[str, str] | None = None
        self._shows_preset: training.Preset | None = None
        self._data_info: RunInfo | None = None
        self._paused = False
        self.downloads = Downloads(self)
        #: Keyword arguments of the downloads started by the dock's button (dest, mirrors, timeout).
        self.download_options: dict[str, Any] = {}
        self._build()
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
        self._dock_changed()
        self._set_controls()
        on_language_changed(self.retranslate)

    # -- building --------------------------------------------------------------
    def _build(self) -> None:
        self.start_button = QPushButton()
        bind(self.start_button, "setText", "▶ Start")
        bind(self.start_button, "setToolTip", "Train one run with the settings on the right (F5)")
        self.start_button.setShortcut(QKeySequence("F5"))
        self.pause_button = QPushButton()
        bind(self.pause_button, "setText", "Pause")
        self.pause_button.setCheckable(True)
        self.stop_button = QPushButton()
        bind(self.stop_button, "setText", "■ Stop")
        self.stop_button.setShortcut(QKeySequence("Shift+F5"))
        self.preset = QComboBox()
        for name in training.names():
            self.preset.addItem(tr(training.get(name).title), name)
        bind(self.preset, "setToolTip", "The experiments of chapter 6")
        self.preset.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.preset.setMinimumContentsLength(12)
        self.quick = QCheckBox()
        bind(self.quick, "setText", "Quick")
        bind(self.quick, "setToolTip", "A short version of the experiment for a demo")
        self.quick.setChecked(True)
        self.run_preset_button = QPushButton()
        bind(self.run_preset_button, "setText", "Run experiment")
        self.export_button = QToolButton()
        bind(self.export_button, "setText", "Export")
        self.export_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.export_button)
        self.export_actions: dict[str, QAction] = {}
        for text, what in EXPORT_ITEMS:
            action = QAction(menu)
            bind(action, "setText", text)
            action.triggered.connect(lambda _checked=False, w=what: self.export_csv() if w == "csv"
                                     else self.export_plot(w))
            menu.addAction(action)
            self.export_actions[what] = action
        self.export_button.setMenu(menu)

        self.start_button.clicked.connect(lambda: self.start())
        self.pause_button.toggled.connect(self._pause_toggled)
        self.stop_button.clicked.connect(self.stop)
        self.run_preset_button.clicked.connect(lambda: self.start_preset(self.preset.currentData()))
        self.preset.currentIndexChanged.connect(self._preset_chosen)

        row = QHBoxLayout()
        for w in (self.start_button, self.pause_button, self.stop_button):
            row.addWidget(w)
        row.addSpacing(12)
        experiment_label = QLabel()
        bind(experiment_label, "setText", "Experiment")
        row.addWidget(experiment_label)
        row.addWidget(self.preset, 1)
        row.addWidget(self.quick)
        row.addWidget(self.run_preset_button)
        row.addSpacing(12)
        row.addWidget(self.export_button)

        self.status_label = QLabel(tr("Ready"))
        self._last_status = self.status_label.text()
        font = QFont(self.status_label.font())
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        self.status_label.setFont(font)
        self.status_label.setWordWrap(True)
        self.status_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setValue(0)
        self.progress.setTextVisible(True)
        self.progress.setFormat("%p%")
        self.progress.setMaximumWidth(260)
        self.rate_label = QLabel("")
        self.rate_label.setMinimumWidth(190)
        status_row = QHBoxLayout()
        status_row.addWidget(self.status_label, 1)
        status_row.addWidget(self.progress)
        status_row.addWidget(self.rate_label)

        self.shows_label = QLabel()
        self.shows_label.setWordWrap(True)
        self.data_label = QLabel()
        self.data_label.setWordWrap(True)
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(f"QLabel {{ color: {ERROR}; font-weight: bold; }}")
        self.error_label.hide()
        self.surface_link = QPushButton()
        bind(self.surface_link, "setText", "Open the surface lab")
        self.surface_link.clicked.connect(self.surface_lab_requested)
        self.surface_link.hide()

        self.curves = CurvesView()
        self.grad_view = GradNormView()
        self.hist_view = HistogramView()
        self.search_view = RandomSearchView()
        self.views = QTabWidget()
        for view, title in zip((self.curves, self.grad_view, self.hist_view, self.search_view), VIEW_TITLES):
            self.views.addTab(view, tr(title))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(row)
        layout.addLayout(status_row)
        layout.addWidget(self.error_label)
        layout.addWidget(self.data_label)
        info = QHBoxLayout()
        info.addWidget(self.shows_label, 1)
        info.addWidget(self.surface_link)
        layout.addLayout(info)
        layout.addWidget(self.views, 1)

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
            self._show_error("Cannot start: {reason}", reason=tr_message(str(exc)))
            return False
        self._shows_preset = None
        self.shows_label.setText("")
        self.surface_link.hide()
        return self._launch(TrainingJob([cfg], self._data_source()), view="loss")

    def start_preset(self, name: str, quick: bool | None = None) -> bool:
        """Run the experiment ``name`` (all its runs, overlaid).  ``quick``: default the checkbox."""
        if self.is_running():
            return False
        preset = training.get(name)
        quick = self.quick.isChecked() if quick is None else quick
        self._show_shows(preset)
        if preset.kind == "histograms":
            self.views.setCurrentWidget(self.hist_view)
            self.hist_view.follow.setChecked(False)
            self.hist_view.set_choice("sigmoid", 1.0)
            return False
        if preset.kind == "trajectories":
            self.surface_link.show()
            return False
        configs = preset.configs(quick)
        if preset.kind == "random-search":
            configs = training.random_search_configs(
                configs[0], preset.option("trials", quick), preset.option("lr_range"),
                preset.option("wd_range"), seed=configs[0].seed)
            self.search_view.clear(top=preset.option("top", quick))
        job = TrainingJob(configs, self._data_source(), preset=name, kind=preset.kind)
        ok = self._launch(job, view=preset.view)
        if ok and preset.kind == "random-search":
            self.views.setCurrentWidget(self.search_view)
        return ok

    def stop(self) -> None:
        """Ask the run to stop (works while paused); `finished` follows within a step."""
        if self._worker is not None:
            self._worker.request_stop()
            self._set_status_source("Stopping…")

    def pause(self) -> None:
        if self._worker is not None and not self._paused:
            self._paused = True
            self._worker.pause()
            self.pause_button.blockSignals(True)
            self.pause_button.setChecked(True)
            bind(self.pause_button, "setText", "Resume")
            self.pause_button.blockSignals(False)
            self.status = "paused"
            self._update_status()

    def resume(self) -> None:
        if self._worker is not None and self._paused:
            self._paused = False
            self._worker.resume()
            self.pause_button.blockSignals(True)
            self.pause_button.setChecked(False)
            bind(self.pause_button, "setText", "Pause")
            self.pause_button.blockSignals(False)
            self.status = "running"
            self._update_status()

    def shutdown(self, timeout_ms: int = 2000) -> bool:
        """Stop the worker and wait for its thread (the window is closing).  True if it ended."""
        self.downloads.shutdown()
        thread, worker = self._thread, self._worker
        if thread is None:
            return True
        if worker is not None:
            worker.request_stop()
        thread.quit()
        grace = timeout_ms // 2           # then the child is killed: a frozen one never answers
        ended = bool(thread.wait(grace))
        if not ended and worker is not None:
            worker.kill()
            ended = bool(thread.wait(timeout_ms - grace))
        if ended:
            self._finish_job(thread)
        return ended

    # -- exports ---------------------------------------------------------------
    def export_csv(self, path: str | None = None) -> Path | None:
        """Write the runs' loss CSV (the engine's tidy format).  Asks for a name when ``path`` is None."""
        if not self.results:
            self._show_error("Nothing to export yet: train a run first.")
            return None
        if not path:
            path, _ = QFileDialog.getSaveFileName(self, tr("Export loss CSV"), "training.csv", tr("CSV files (*.csv)"))
            if not path:
                return None
        try:
            return write_loss_csv(self.results, path)
        except OSError as exc:
            self._show_raw_error(str(exc))
            return None

    def export_plot(self, which: str, path: str | None = None) -> Path | None:
        """Save plot ``which`` ("loss", "accuracy", "lr", "gradients") as PNG or SVG by the suffix."""
        plots = {**self.curves.plots(), "gradients": self.grad_view.plot}
        if which not in plots:
            raise ValueError(f"unknown plot {which!r}; choose one of: {', '.join(plots)}")
        if not path:
            path, _ = QFileDialog.getSaveFileName(self, tr("Export plot"), f"{which}.png",
                                                  tr("PNG image (*.png);;SVG drawing (*.svg)"))
            if not path:
                return None
        try:
            return _export_plot(plots[which], path)
        except (OSError, ValueError) as exc:
            self._show_raw_error(str(exc))
            return None

    def download_mnist(self, dest: str | None = None, mirrors: Any = None, timeout: float | None = None) -> None:
        """Download MNIST into the cache with a cancellable progress dialog; then use it.

        Unset arguments come from `download_options`; see `Downloads.start`.
        """
        given = {"dest": dest, "mirrors": mirrors, "timeout": timeout}
        options = {**self.download_options, **{k: v for k, v in given.items() if v is not None}}
        self.downloads.start(options.get("dest"), options.get("mirrors"), options.get("timeout"))

    # -- the worker ----------------------------------------------------------------
    def _data_source(self) -> Any:
        if self._dataset_override is not None:
            return self._dataset_override
        spec = self.dock.data_spec()
        if spec.kind == "folder" and not spec.folder:
            return _raise_no_folder
        return spec          # the training process loads it (from the .npy cache: fast)

    def _launch(self, job: TrainingJob, view: str) -> bool:
        if self._thread is not None:
            return False
        self._job_id += 1
        self._job = job
        self.results, self.run_infos = [], []
        self._curves = {}
        self.curves.clear()
        self.curves.emphasise_accuracy(view == "accuracy")
        self._hide_error()
        self._done_iterations = self._run_iterations = 0
        self._rate_samples.clear()
        self._rate = float("nan")
        self._paused = False
        self.progress.setValue(0)
        worker = TrainingWorker(job)
        worker.job_id = self._job_id
        thread = QThread()
        thread.setObjectName("optilab-training")
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        # Direct: quit the thread's loop from the worker thread, so it ends even while the GUI waits.
        worker.finished.connect(thread.quit, Qt.ConnectionType.DirectConnection)
        worker.run_started.connect(self._on_run_started)
        worker.batch.connect(self._on_batch)
        worker.run_done.connect(self._on_run_done)
        worker.error.connect(self._on_error)
        thread.finished.connect(self._on_thread_finished)
        self._thread, self._worker = thread, worker
        self.status = "starting"
        self._set_status_source("Loading data…")
        self._set_controls()
        self.dock.set_running(True)
        thread.start()
        self.draw_timer.start()
        self.started.emit()
        return True

    def _is_current(self) -> bool:
        return self.sender() is self._worker and self._worker is not None

    def _on_run_started(self, info: RunInfo) -> None:
        if not self._is_current():
            return
        self._done_iterations += self._run_iterations
        self._run_iterations = 0
        self._current = info
        self.run_infos.append(info)
        curves = self.curves.add_run(info.config.label, info.index, info.iters_per_epoch, info.total_iterations)
        self._curves[info.index] = curves
        self.grad_view.reset(info.layer_names)
        self._data_info = info
        self.data_label.setText(self._data_text(info))
        self.status = "paused" if self._paused else "running"
        self._update_status()

    def _on_batch(self, batch: RecordBatch) -> None:
        if not self._is_current():
            return
        self._draw_batch(batch)

    def _draw_batch(self, batch: RecordBatch) -> None:
        run = self._curves.get(batch.run_index)
        if run is None:
            return
        self.curves.append(run, batch.iterations, batch.loss, batch.lr, batch.evaluations, draw=False)
        if batch.grad_norms is not None:
            self.grad_view.append(*batch.grad_norms)
        if len(batch.iterations):
            self._run_iterations = int(batch.iterations[-1])
            now = time.perf_counter()
            total = self._done_iterations + self._run_iterations
            self._rate_samples.append((now, total))
            while len(self._rate_samples) > 2 and now - self._rate_samples[0][0] > RATE_WINDOW:
                self._rate_samples.popleft()
            t0, n0 = self._rate_samples[0]
            if now - t0 > 0.2:
                self._rate = (total - n0) / (now - t0)
        if batch.finished is not None:
            fin = batch.finished
            self.curves.set_status(run, fin.status, fin.diverged_at)
            self._update_status()
        elif batch.evaluations:
            self.curves.refresh_legend(run)

    def _redraw(self) -> None:
        self.curves.redraw()
        self._update_status()

    def _on_run_done(self, result: RunResult) -> None:
        if not self._is_current():
            return
        self.results.append(result)
        run = self._curves.get(len(self.results) - 1)
        if run is not None:
            self.curves.refresh_legend(run)
        if self._job is not None and self._job.kind == "random-search":
            self.search_view.add_result(result)

    def _on_error(self, message: str) -> None:
        if not self._is_current():
            return
        self.error_message = message
        self._show_error("Training failed: {msg}", msg=tr_message(message))

    def _on_thread_finished(self) -> None:
        thread = self._thread
        if thread is None or thread is not self.sender():
            return
        self._finish_job(thread)

    def _finish_job(self, thread: QThread) -> None:
        thread.wait()
        worker = self._worker
        stop_requested = worker is not None and worker.stop_requested
        self._thread, self._worker = None, None
        self.draw_timer.stop()
        self.curves.redraw(force=True)
        # Signal connections hold the worker and the thread in a cycle Python cannot see:
        # delete both on the C++ side.
        if worker is not None:
            worker.job = None
            worker.results = []
            worker.deleteLater()
        thread.deleteLater()
        self._paused = False
        if self.error_message and self._last_job_error():
            status = "error"
        elif any(r.summary["status"] == "diverged" for r in self.results):
            status = "diverged"
        elif stop_requested or any(r.summary["status"] == "stopped" for r in self.results):
            status = "stopped"
        else:
            status = "finished"
        self.status = status
        self._update_status()
        self.pause_button.blockSignals(True)
        self.pause_button.setChecked(False)
        bind(self.pause_button, "setText", "Pause")
        self.pause_button.blockSignals(False)
        self._set_controls()
        self.dock.set_running(False)
        self.finished.emit(status)

    def _last_job_error(self) -> bool:
        return self.error_label.isVisible() or bool(self.error_message)

    # -- status and labels ----------------------------------------------------------------
    def _update_status(self) -> None:
        info = self._current
        total_runs = info.count if info else 1
        if info is not None and self.is_running():
            per_run = max(info.total_iterations, 1)
            frac = (info.index + min(self._run_iterations / per_run, 1.0)) / total_runs
            self.progress.setValue(int(1000 * frac))
            remaining = (per_run - self._run_iterations) + per_run * (total_runs - info.index - 1)
            eta = remaining / self._rate if self._rate and self._rate > 0 else float("nan")
            rate = "—" if not math.isfinite(self._rate) else f"{self._rate:,.0f}"
            self._rate_text = (rate, format_eta(eta))
            self._render_rate()
        which = ""
        if info is not None and total_runs > 1:
            which = tr("run {i}/{n} “{label}”: ").format(i=info.index + 1, n=total_runs, label=info.config.label)
        elif info is not None:
            which = f"“{info.config.label}”: "
        it = f"{self._run_iterations:,}/{info.total_iterations:,}" if info else ""
        if self.status == "running":
            text = tr("Running — {which}iteration {it}").format(which=which, it=it)
        elif self.status == "paused":
            text = tr("Paused — {which}iteration {it}").format(which=which, it=it)
        elif self.status == "diverged":
            div = next((r for r in self.results if r.summary["status"] == "diverged"), None)
            k = div.summary["diverged_at"] if div else "?"
            label = div.config.label if div else ""
            text = tr("Diverged at step {k} (“{label}”: the loss became NaN or infinite; try a smaller η)").format(
                k=k, label=label)
        elif self.status == "stopped":
            text = tr("Stopped — {which}iteration {it}").format(which=which, it=it)
        elif self.status == "finished":
            text = tr("Finished — {n} run(s)").format(n=len(self.results))
            self.progress.setValue(1000)
        elif self.status == "error":
            text = tr("Error — see the message below")
        else:
            return
        self._status_source = None
        self._set_status_text(text)

    def _set_status_source(self, text: str) -> None:
        """Show the fixed status ``text`` (English) in the current language."""
        self._status_source = text
        self._set_status_text(tr(text))

    def _render_rate(self) -> None:
        if self._rate_text is not None:
            rate, eta = self._rate_text
            self.rate_label.setText(tr("{rate} it/s · ETA {eta}").format(rate=rate, eta=eta))

    def _set_status_text(self, text: str) -> None:
        if text != self._last_status:
            self._last_status = text
            self.status_label.setText(text)

    def _data_text(self, info: RunInfo) -> str:
        text = tr("Data: {source} — training on {n:,} images").format(source=tr_message(info.data_source), n=info.n_train)
        if info.n_val:
            text += tr(", {n:,} held out for validation").format(n=info.n_val)
        if info.is_sample:
            text += tr(". This is the bundled sample, not the full MNIST.")
        return text

    def _show_shows(self, preset: training.Preset) -> None:
        self._shows_preset = preset
        text = f"<b>{tr(preset.title)}</b> — {tr('look for')}: {tr(preset.shows)}"
        if preset.kind == "trajectories":
            text += " " + tr("This lesson runs on the least-squares surface in the surface lab.")
        self.shows_label.setText(text)

    def _show_error(self, message: str, **kwargs: Any) -> None:
        """Show ``message`` (English, formatted with ``kwargs``); it follows the language."""
        bind(self.error_label, "setText", message, **kwargs)
        self.error_label.show()

    def _show_raw_error(self, message: str) -> None:
        """Show a message that is already in words (e.g. from the system) as it is."""
        unbind(self.error_label, "setText")
        self.error_label.setText(tr_message(message))
        self.error_label.show()

    def _hide_error(self) -> None:
        self.error_message = ""
        self.error_label.hide()
        unbind(self.error_label, "setText")
        self.error_label.setText("")

    def retranslate(self) -> None:
        """Re-compose the texts the pane builds itself (status, data, lesson note, choices) in the
        current language; curves, settings and the running job are untouched."""
        for i in range(self.preset.count()):
            self.preset.setItemText(i, tr(training.get(self.preset.itemData(i)).title))
        for i, title in enumerate(VIEW_TITLES):
            self.views.setTabText(i, tr(title))
        if self._status_source is not None:
            self._set_status_text(tr(self._status_source))
        else:
            self._update_status()
        self._render_rate()
        if self._shows_preset is not None:
            self._show_shows(self._shows_preset)
        if self._dataset_override is not None and self._data_info is None:
            self.data_label.setText(tr("Data: {source}").format(source=tr(self._dataset_override.source)))
        elif self._data_info is not None:
            self.data_label.setText(self._data_text(self._data_info))

    def _set_controls(self) -> None:
        running = self.is_running()
        self.start_button.setEnabled(not running)
        self.run_preset_button.setEnabled(not running)
        self.preset.setEnabled(not running)
        self.pause_button.setEnabled(running)
        self.stop_button.setEnabled(running)

    def _pause_toggled(self, on: bool) -> None:
        self.pause() if on else self.resume()

    def _live_lr(self, lr: float) -> None:
        if self._worker is None:
            return
        try:
            self._worker.set_lr(lr)
        except ValueError as exc:
            self._show_raw_error(str(exc))

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

    # -- window close ------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt name
        """Installed on the main window by `install`: stop the worker when the window closes."""
        if event.type() == QEvent.Type.Close:
            self.shutdown()
        return False


def _raise_no_folder() -> datamod.Dataset:
    raise datamod.DataError(tr("Choose the folder that holds the MNIST files, or use the bundled sample."))
