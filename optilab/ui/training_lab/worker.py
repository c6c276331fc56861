"""The training worker: `Trainer` runs in a `QThread`, records come back in batches.

Pattern (napari's ``qthreading``, Orange's ``TaskState``): a `TrainingWorker`
(a `QObject`) is moved to a `QThread`; ``thread.started`` calls `run`, which
trains a `TrainingJob` (one config, or all configs of a preset) one run after
another.  The trainer's observer appends every record to a pending list;
at most `MAX_RATE` times a second (and at the end of every run) the list is
handed to the GUI thread as one `RecordBatch` through the `batch` signal —
records, never calls into widgets.  Control (`request_stop`, `pause`,
`resume`, `set_lr`) may be called from the GUI thread at any time; it goes to
the trainer's thread-safe methods.  `finished` is always emitted, even after
an exception (which becomes the `error` signal's message).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import numpy as np
from PySide6.QtCore import QCoreApplication, QObject, Signal

from optilab import data as datamod
from optilab.training import Evaluation, Finished, RunConfig, RunResult, Step, Trainer

#: Batches per second sent to the GUI, at most.
MAX_RATE = 30.0


@dataclass(frozen=True)
class DataSpec:
    """Where the images come from: the bundled sample, or a folder of MNIST files."""

    kind: str = "sample"            # "sample" or "folder"
    folder: str = ""

    def load(self) -> datamod.Dataset:
        """Load it (raises `optilab.data.DataError` with a readable message)."""
        if self.kind == "sample":
            return datamod.load(sample=True)
        return datamod.load(self.folder)


class DataCache:
    """Datasets loaded so far, keyed by `DataSpec`; thread-safe (the worker loads)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cache: dict[DataSpec, datamod.Dataset] = {}

    def get(self, spec: DataSpec) -> datamod.Dataset:
        with self._lock:
            if spec not in self._cache:
                self._cache[spec] = spec.load()
            return self._cache[spec]

    def put(self, spec: DataSpec, dataset: datamod.Dataset) -> None:
        with self._lock:
            self._cache[spec] = dataset


@dataclass
class TrainingJob:
    """What one press of Start (or of an experiment button) trains.

    ``configs`` run one after another; ``data`` is a `Dataset`, or a callable
    returning one (called in the worker thread, so a slow load does not
    freeze the window).  ``preset`` names the experiment, if any.
    """

    configs: Sequence[RunConfig]
    data: datamod.Dataset | Callable[[], datamod.Dataset]
    preset: str | None = None
    kind: str = "runs"


@dataclass
class RunInfo:
    """Sent when a run starts: enough for the view to prepare its curves."""

    index: int                  # position in the job
    count: int                  # runs in the job
    config: RunConfig
    total_iterations: int
    iters_per_epoch: int
    n_train: int
    n_val: int
    data_source: str
    is_sample: bool
    layer_names: tuple[str, ...]


@dataclass
class RecordBatch:
    """The records of one run since the previous batch, packed as arrays.

    ``iterations``, ``loss``, ``lr``: one entry per `Step`;
    ``evaluations``: the `Evaluation` records; ``grad_norms``: ‖dWᵢ‖ of the
    latest step (one sample per batch, keyed "W1"…); ``finished``: the
    `Finished` record when the run ended with this batch.
    """

    run_index: int
    iterations: np.ndarray
    loss: np.ndarray
    lr: np.ndarray
    evaluations: list[Evaluation] = field(default_factory=list)
    grad_norms: tuple[int, dict[str, float]] | None = None
    finished: Finished | None = None
    sent_at: float = 0.0


class _Collector:
    """The trainer's observer (worker thread): collects records, sends batches."""

    def __init__(self, worker: "TrainingWorker", run_index: int, trainer: Trainer) -> None:
        self.worker = worker
        self.run_index = run_index
        self.trainer = trainer
        self.lock = threading.Lock()
        self.steps: list[Step] = []
        self.evaluations: list[Evaluation] = []
        self.last_sent = time.perf_counter()
        self.interval = 1.0 / MAX_RATE

    def __call__(self, record: Any) -> None:
        with self.lock:
            if type(record) is Step:
                self.steps.append(record)
            elif type(record) is Evaluation:
                self.evaluations.append(record)
        if type(record) is Finished:
            self.flush(record)
        elif time.perf_counter() - self.last_sent >= self.interval:
            self.flush()

    def flush(self, finished: Finished | None = None) -> None:
        """Send what is pending now (any thread; the worker calls it ≤ 30×/s)."""
        with self.lock:
            steps, self.steps = self.steps, []
            evaluations, self.evaluations = self.evaluations, []
            self.last_sent = time.perf_counter()
        if not steps and not evaluations and finished is None:
            return
        norms = None
        if steps and threading.get_ident() == self.worker.thread_ident:
            norms = (steps[-1].iteration, self.trainer.net.layer_grad_norms())
        if steps:
            arr = np.array([(s.iteration, s.loss, s.lr) for s in steps], dtype=np.float64)
            its, loss, lr = arr[:, 0].astype(np.int64), arr[:, 1], arr[:, 2]
        else:
            its, loss, lr = np.empty(0, np.int64), np.empty(0), np.empty(0)
        self.worker.batch.emit(RecordBatch(self.run_index, its, loss, lr, evaluations, norms, finished,
                                           time.perf_counter()))


class TrainingWorker(QObject):
    """Trains a `TrainingJob` in its thread; see the module docstring.

    Signals: ``run_started(RunInfo)``, ``batch(RecordBatch)``,
    ``run_done(RunResult)``, ``error(str)``, ``finished()`` (always last).
    """

    run_started = Signal(object)
    batch = Signal(object)
    run_done = Signal(object)
    error = Signal(str)
    finished = Signal()

    def __init__(self, job: TrainingJob) -> None:
        super().__init__()
        self.job = job
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._paused = False
        self._pending_lr: float | None = None
        self.trainer: Trainer | None = None
        self._collector: _Collector | None = None
        self.thread_ident: int | None = None   # get_ident(), not current_thread(): no dummy Thread objects
        self.results: list[RunResult] = []

    # -- control, from any thread ----------------------------------------
    def request_stop(self) -> None:
        """Stop after the current iteration (also while paused); no further runs."""
        self._stop.set()
        with self._lock:
            if self.trainer is not None:
                self.trainer.request_stop()

    def pause(self) -> None:
        with self._lock:
            self._paused = True
            if self.trainer is not None:
                self.trainer.pause()
        self.flush()

    def resume(self) -> None:
        with self._lock:
            self._paused = False
            if self.trainer is not None:
                self.trainer.resume()

    def set_lr(self, lr: float) -> None:
        """Change η of the current run live (validated by the trainer)."""
        with self._lock:
            if self.trainer is not None:
                self.trainer.set_lr(lr)

    def flush(self) -> None:
        """Send the pending records now (e.g. on pause, so the plot is complete)."""
        collector = self._collector
        if collector is not None:
            collector.flush()

    @property
    def stop_requested(self) -> bool:
        return self._stop.is_set()

    # -- the thread's work -----------------------------------------------
    def run(self) -> None:
        """Train every config of the job (slot of ``QThread.started``)."""
        self.thread_ident = threading.get_ident()
        try:
            dataset = self.job.data() if callable(self.job.data) else self.job.data
            count = len(self.job.configs)
            for index, config in enumerate(self.job.configs):
                if self._stop.is_set():
                    break
                trainer = Trainer(config, dataset)
                collector = _Collector(self, index, trainer)
                trainer.observers.append(collector)
                with self._lock:
                    self.trainer, self._collector = trainer, collector
                    if self._stop.is_set():
                        trainer.request_stop()
                    if self._paused:
                        trainer.pause()
                self.run_started.emit(RunInfo(
                    index, count, config, trainer.total_iterations, trainer.iters_per_epoch,
                    trainer.n_train, int(len(trainer.split.t_val)), dataset.source, dataset.is_sample,
                    tuple(f"W{i}" for i in range(1, len(config.hidden) + 2))))
                trainer.run()
                trainer.observers.remove(collector)    # break trainer ↔ collector: freed at once, not at a gc pass
                collector.trainer = None
                result = RunResult.from_trainer(trainer)
                self.results.append(result)
                self.run_done.emit(result)
        except Exception as exc:  # noqa: BLE001 - any failure becomes a message in the pane
            self.error.emit(f"{type(exc).__name__}: {exc}" if not isinstance(exc, (ValueError, datamod.DataError))
                            else str(exc))
        finally:
            with self._lock:
                self.trainer = None
                self._collector = None
            # Back to the GUI thread (only the owning thread may push an object away), so the
            # pane can delete it once the thread has ended.
            app = QCoreApplication.instance()
            if app is not None:
                self.moveToThread(app.thread())
            self.finished.emit()


class DownloadWorker(QObject):
    """Downloads MNIST into ``dest`` in its thread (`optilab.data.download`).

    Signals: ``progress(file, done, total, rate)`` at most 10×/s,
    ``done(str folder)``, ``failed(str message)``, ``finished()`` (always last).
    """

    progress = Signal(str, float, float, float)
    done = Signal(str)
    failed = Signal(str)
    cancelled = Signal()
    finished = Signal()

    def __init__(self, dest: str | None = None, mirrors: Any = None) -> None:
        super().__init__()
        self.dest = dest
        self.mirrors = mirrors
        self._cancel = threading.Event()
        self._last = 0.0

    def cancel(self) -> None:
        self._cancel.set()

    def _progress(self, file: str, done: int, total: int | None, rate: float) -> None:
        now = time.perf_counter()
        if now - self._last >= 0.1 or (total is not None and done >= total):
            self._last = now
            self.progress.emit(file, float(done), float(total or 0), float(rate))

    def run(self) -> None:
        try:
            folder = datamod.download(self.dest, self.mirrors, progress=self._progress,
                                      cancel=self._cancel.is_set)
            self.done.emit(str(folder))
        except datamod.DownloadCancelled:
            self.cancelled.emit()
        except datamod.DataError as exc:
            self.failed.emit(str(exc))
        except Exception as exc:  # noqa: BLE001 - shown in the dialog, never a crash
            self.failed.emit(f"{type(exc).__name__}: {exc}")
        finally:
            self.finished.emit()
