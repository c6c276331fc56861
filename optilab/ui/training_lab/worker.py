"""The training worker: a `QThread` that pumps a training process's events to the GUI thread.

Pattern (napari's ``qthreading``, Orange's ``TaskState``): a `TrainingWorker`
(a `QObject`) is moved to a `QThread`; ``thread.started`` calls `run`.  The
`Trainer` itself runs in a child process (`optilab.training.remote.JobProcess`):
in one process the GUI thread and a training thread fight over Python's GIL,
which halved training speed and made the window stutter.  The worker thread
only waits on the child's pipe and emits each typed event of
`optilab.training.events` as it came (the child already batches steps, at
most `MAX_RATE` batches a second) — the pane hands them to its
`optilab.lab.training.TrainingSession`, in the GUI thread.  Control (`stop`,
`pause`, `resume`, `set_lr`: the session's `Control`) may be called from the
GUI thread at any time and goes to every child as a command: a job's runs train in
parallel, ``TrainingJob.jobs`` processes at once, their events interleaved.  The events end
with `JobDone`, and `finished` is always emitted, even after a failure here
(loading the data, starting the process), which becomes a `Failed` event.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Signal

from optilab import data as datamod
from optilab.data.table import TableData
from optilab.training import RunConfig
from optilab.training.events import Failed, JobDone, RunInfo, failure
from optilab.training.remote import MAX_RATE, DataSpec, JobProcess
from optilab.training.seeds import expand

__all__ = ["MAX_RATE", "DataSpec", "DownloadWorker", "RunInfo", "TrainingJob", "TrainingWorker", "data_spec"]


@dataclass
class TrainingJob:
    """What one press of Start (or of an experiment button) trains.

    ``configs`` are the experiment's runs, repeated over ``seeds`` seeds once, here, by the
    core's `seeds.expand` (so ``configs`` afterwards holds every run the job trains, the
    k runs of a label together); ``jobs`` of them train at once, each in its own process
    (None: one per core, `remote.default_jobs`).  ``data`` is a `DataSpec`, a `Dataset`, or a
    callable returning one (called in the worker thread, so a slow load does not freeze the
    window).  ``preset`` names the experiment, if any.
    """

    configs: Sequence[RunConfig]
    data: DataSpec | datamod.Dataset | Callable[[], Any]
    preset: str | None = None
    kind: str = "runs"
    seeds: int = 1
    jobs: int | None = None

    def __post_init__(self) -> None:
        self.configs = expand(self.configs, self.seeds)


def data_spec(data: DataSpec | datamod.Dataset | Callable[[], Any]) -> DataSpec:
    """The `DataSpec` a child process loads ``data`` from (a callable is called here: it may raise
    `DataError` with a readable message; call it in a worker thread)."""
    if isinstance(data, DataSpec):
        return data
    if isinstance(data, (datamod.Dataset, TableData)):
        return DataSpec("dataset", dataset=data)   # type: ignore[arg-type]   # a table is pickled as a dataset
    loaded = data()
    return DataSpec("dataset", dataset=loaded) if isinstance(loaded, (datamod.Dataset, TableData)) else loaded


class TrainingWorker(QObject):
    """Trains a `TrainingJob` in a child process; see the module docstring.

    Signals: ``job_event(Event)`` for each event of the job, `JobDone` last (not named
    ``event``: that is QObject's event handler, which deletes it later), then ``finished()``.
    """

    job_event = Signal(object)
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

    # -- control, from any thread (the session's `Control`) ------------------------
    def stop(self) -> None:
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
        """End the training process at once (it does not answer `stop`); `finished` follows."""
        self._stop.set()
        with self._lock:
            if self._proc is not None:
                self._proc.kill()

    @property
    def stop_requested(self) -> bool:
        return self._stop.is_set()

    # -- the thread's work -----------------------------------------------
    def run(self) -> None:
        """Train every config of the job (slot of ``QThread.started``)."""
        self.thread_ident = threading.get_ident()

        def started(proc: Any) -> None:
            if self._stop.is_set():
                proc.stop()
            elif self._paused:
                proc.pause()

        pump(self, lambda: JobProcess(self.job.configs, data_spec(self.job.data), jobs=self.job.jobs), started)


def pump(worker: Any, make: Callable[[], Any], started: Callable[[Any], None]) -> None:
    """A job worker's thread: start the child job ``make()`` (``started(proc)`` under the worker's
    lock, to pass on a stop or pause asked meanwhile), emit each of its events as
    ``worker.job_event`` until `JobDone` (made up if the child never said it; any failure one
    `Failed`), close it, then hand the worker back to the GUI thread and emit ``finished``.
    Shared by the training worker and the landscape worker."""
    proc = None
    ended = False
    try:
        proc = make()
        with worker._lock:
            worker._proc = proc
            proc.start()
            started(proc)
        while not proc.done:
            for event in proc.messages(worker.POLL):
                ended = ended or isinstance(event, JobDone)
                worker.job_event.emit(event)
    except Exception as exc:  # noqa: BLE001 - any failure becomes a message in the pane
        worker.job_event.emit(Failed(failure(exc)))
    finally:
        with worker._lock:
            worker._proc = None
        if proc is not None:
            proc.close()
        if not ended:
            worker.job_event.emit(JobDone())
        # Back to the GUI thread (only the owning thread may push an object away), so the
        # pane can delete it once the thread has ended.
        app = QCoreApplication.instance()
        if app is not None:
            worker.moveToThread(app.thread())
        worker.finished.emit()


class DownloadWorker(QObject):
    """Downloads MNIST into ``dest`` in its thread (`optilab.data.download`).

    Signals: ``progress(file, done, total, rate)`` at most 10×/s,
    ``done(str folder)``, ``failed(Message)``, ``finished()`` (always last).
    """

    progress = Signal(str, float, float, float)
    done = Signal(str)
    failed = Signal(object)
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
        except Exception as exc:  # noqa: BLE001 - shown in the dialog, never a crash
            self.failed.emit(failure(exc))
        finally:
            self.finished.emit()
