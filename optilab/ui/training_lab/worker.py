"""The training worker: a `QThread` that drives a training process.

Pattern (napari's ``qthreading``, Orange's ``TaskState``): a `TrainingWorker`
(a `QObject`) is moved to a `QThread`; ``thread.started`` calls `run`.  The
`Trainer` itself runs in a child process (`optilab.training.remote.JobProcess`):
in one process the GUI thread and a training thread fight over Python's GIL,
which halved training speed and made the window stutter.  The worker thread
only waits on the child's pipe, turns its messages into `RunInfo` and
`RecordBatch` objects and emits them — records, never calls into widgets.
The child already batches steps (at most `MAX_RATE` batches a second).
Control (`request_stop`, `pause`, `resume`, `set_lr`) may be called from the
GUI thread at any time and goes to the child as a command.  `finished` is
always emitted, even after an error (which becomes the `error` signal's
message).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import numpy as np
from PySide6.QtCore import QCoreApplication, QObject, Signal

from optilab import data as datamod
from optilab.training import Evaluation, Finished, RunConfig, RunResult
from optilab.training.remote import MAX_RATE, DataSpec, JobProcess

__all__ = ["MAX_RATE", "DataSpec", "TrainingJob", "RunInfo", "RecordBatch", "TrainingWorker",
           "DownloadWorker"]


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


class TrainingWorker(QObject):
    """Trains a `TrainingJob` in a child process; see the module docstring.

    Signals: ``run_started(RunInfo)``, ``batch(RecordBatch)``,
    ``run_done(RunResult)``, ``error(str)``, ``finished()`` (always last).
    """

    run_started = Signal(object)
    batch = Signal(object)
    run_done = Signal(object)
    error = Signal(str)
    finished = Signal()

    #: How long the worker thread waits on the pipe per turn (seconds).
    POLL = 0.05

    def __init__(self, job: TrainingJob) -> None:
        super().__init__()
        self.job = job
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._paused = False
        self._proc: JobProcess | None = None
        self.thread_ident: int | None = None   # get_ident(), not current_thread(): no dummy Thread objects
        self.results: list[RunResult] = []

    # -- control, from any thread ----------------------------------------
    def request_stop(self) -> None:
        """Stop after the current iteration (also while paused); no further runs."""
        self._stop.set()
        with self._lock:
            if self._proc is not None:
                self._proc.stop()

    def pause(self) -> None:
        with self._lock:
            self._paused = True
            if self._proc is not None:
                self._proc.pause()   # the child sends its pending steps first

    def resume(self) -> None:
        with self._lock:
            self._paused = False
            if self._proc is not None:
                self._proc.resume()

    def set_lr(self, lr: float) -> None:
        """Change η of the current run live (validated by the trainer in the child)."""
        with self._lock:
            if self._proc is not None:
                self._proc.set_lr(lr)

    def kill(self) -> None:
        """End the training process at once (it does not answer `request_stop`); `finished` follows."""
        self._stop.set()
        with self._lock:
            if self._proc is not None:
                self._proc.kill()

    def flush(self) -> None:
        """Kept for callers: the child flushes by itself (≤ 30×/s, on pause, at a run's end)."""

    @property
    def stop_requested(self) -> bool:
        return self._stop.is_set()

    # -- the thread's work -----------------------------------------------
    def _data_spec(self) -> DataSpec:
        data = self.job.data
        if isinstance(data, DataSpec):
            return data
        if isinstance(data, datamod.Dataset):
            return DataSpec("dataset", dataset=data)
        loaded = data()            # a callable: may raise DataError with a readable message
        return DataSpec("dataset", dataset=loaded) if isinstance(loaded, datamod.Dataset) else loaded

    def run(self) -> None:
        """Train every config of the job (slot of ``QThread.started``)."""
        self.thread_ident = threading.get_ident()
        proc = None
        try:
            proc = JobProcess(self.job.configs, self._data_spec())
            with self._lock:
                self._proc = proc
                proc.start()
                if self._stop.is_set():
                    proc.stop()
                elif self._paused:
                    proc.pause()
            while not proc.done:
                for msg in proc.messages(self.POLL):
                    self._dispatch(msg)
        except Exception as exc:  # noqa: BLE001 - any failure becomes a message in the pane
            self.error.emit(f"{type(exc).__name__}: {exc}" if not isinstance(exc, (ValueError, datamod.DataError))
                            else str(exc))
        finally:
            with self._lock:
                self._proc = None
            if proc is not None:
                proc.close()
            # Back to the GUI thread (only the owning thread may push an object away), so the
            # pane can delete it once the thread has ended.
            app = QCoreApplication.instance()
            if app is not None:
                self.moveToThread(app.thread())
            self.finished.emit()

    def _dispatch(self, msg: tuple) -> None:
        kind = msg[0]
        now = time.perf_counter()
        empty_i, empty_f = np.empty(0, np.int64), np.empty(0)
        if kind == "run_started":
            index, info = msg[1], msg[2]
            self.run_started.emit(RunInfo(
                index, info["count"], self.job.configs[index], info["total_iterations"], info["iters_per_epoch"],
                info["n_train"], info["n_val"], info["data_source"], info["is_sample"], info["layer_names"]))
        elif kind == "steps":
            index, its, loss, lr, norms = msg[1:]
            self.batch.emit(RecordBatch(index, its, loss, lr, [], (int(its[-1]), norms), None, now))
        elif kind == "evaluation":
            self.batch.emit(RecordBatch(msg[1], empty_i, empty_f, empty_f, [msg[2]], None, None, now))
        elif kind == "run_done":
            index, result = msg[1], msg[2]
            s = result.summary
            fin = Finished(result.config.label, s["status"], s["iterations"], s["diverged_at"], s["elapsed_s"])
            self.batch.emit(RecordBatch(index, empty_i, empty_f, empty_f, [], None, fin, now))
            self.results.append(result)
            self.run_done.emit(result)
        elif kind == "error":
            self.error.emit(msg[1])


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

    def __init__(self, dest: str | None = None, mirrors: Any = None, timeout: float | None = None) -> None:
        super().__init__()
        self.dest = dest
        self.mirrors = mirrors
        self.timeout = timeout            # socket timeout (s); None: the downloader's default
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
            extra = {} if self.timeout is None else {"timeout": self.timeout}
            folder = datamod.download(self.dest, self.mirrors, progress=self._progress,
                                      cancel=self._cancel.is_set, **extra)
            self.done.emit(str(folder))
        except datamod.DownloadCancelled:
            self.cancelled.emit()
        except datamod.DataError as exc:
            self.failed.emit(str(exc))
        except Exception as exc:  # noqa: BLE001 - shown in the dialog, never a crash
            self.failed.emit(f"{type(exc).__name__}: {exc}")
        finally:
            self.finished.emit()
