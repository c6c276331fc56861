"""The training lab's "Show its loss landscape": the button, the worker, the progress, the lessons.

A finished (or stopped) run or experiment offers its landscape (Li et al.
2018; docs/landscape.md): the `LandscapeDialog` asks how, a
`LandscapeWorker` in a `QThread` pumps the events of a
`optilab.landscape.job.LandscapeJob` (a child process, as the training
worker does for training: the GUI thread never computes), a progress dialog
counts the grid points and cancels, and the landscape — cached per runs and
options in the Qt-free `optilab.lab.landscape.LandscapeSession` — goes out
with the pane's ``landscape_ready(landscape, caption)`` (the window shows it
in the surface lab).  The landscape lessons (`optilab.landscape.lessons`)
train their runs with the same machinery as an experiment and then show
their landscape with their caption.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QMenu, QProgressDialog, QPushButton, QToolButton, QWidget

from optilab import training
from optilab.lab.landscape import DONE, LandscapeRequest, LandscapeSession, unavailable
from optilab.lab.regression import NO_REGRESSION_LANDSCAPE
from optilab.landscape import LandscapeLesson, LandscapeOptions
from optilab.landscape import lessons as lesson_rules
from optilab.messages import Message
from optilab.training.events import JobDone
from optilab.ui.i18n import bind, on_language_changed, tr, tr_message, unbind
from optilab.ui.training_lab.landscape_dialog import LandscapeDialog
from optilab.ui.training_lab.worker import TrainingJob, data_spec, pump

__all__ = ["CANCEL_GRACE_MS", "LandscapeAction", "LandscapeWorker", "lessons"]

#: After Cancel, how long the child may take to stop before it is killed (ms).
CANCEL_GRACE_MS = 800


def lessons() -> dict[str, LandscapeLesson]:
    """The landscape lessons (`optilab.landscape.lessons.LESSONS`), in teaching order."""
    return dict(lesson_rules.LESSONS)


class LandscapeWorker(QObject):
    """Computes one landscape in a child process (`LandscapeJob`); mirrors `TrainingWorker`.

    Signals: ``job_event(Event)`` for each event, `JobDone` last, then ``finished()``.
    `cancel` and `kill` may be called from the GUI thread at any time.
    """

    job_event = Signal(object)
    finished = Signal()

    #: How long the worker thread waits on the pipe per turn (seconds).
    POLL = 0.05

    def __init__(self, results: Sequence[Any], data: Any, options: LandscapeOptions, title: str) -> None:
        super().__init__()
        self.results, self.data, self.options, self.title = list(results), data, options, title
        self._lock = threading.Lock()
        self._cancel = threading.Event()
        self._killed = False
        self._proc: Any = None

    @property
    def pid(self) -> int | None:
        """The child's process id while it runs (None before and after)."""
        with self._lock:
            return self._proc.pid if self._proc is not None else None

    def cancel(self) -> None:
        """Ask the child to stop between chunks; the job ends with JobDone."""
        self._cancel.set()
        with self._lock:
            if self._proc is not None:
                self._proc.cancel()

    def kill(self) -> None:
        """End the child at once (it did not answer `cancel`)."""
        self._cancel.set()
        with self._lock:
            self._killed = True
            if self._proc is not None:
                self._proc.kill()

    def run(self) -> None:
        """Compute the landscape (slot of ``QThread.started``)."""
        from optilab.landscape.job import LandscapeJob

        def started(proc: Any) -> None:
            if self._killed:
                proc.kill()
            elif self._cancel.is_set():
                proc.cancel()

        pump(self, lambda: LandscapeJob(self.results, data_spec(self.data), self.options, title=self.title),
             started)


class LandscapeAction(QObject):
    """The landscape part of a `TrainingLabPane` (``pane.landscape``): see the module docstring.

    Public: ``button``, ``lessons_button``, ``session``, ``dialog`` (while open),
    ``progress`` (while computing), `open_dialog`, `compute`, `cancel`,
    `start_lesson`, `is_computing`, `shutdown`, ``jobs_started``.
    """

    def __init__(self, pane: Any) -> None:
        super().__init__(pane)
        self.pane = pane
        self.session = LandscapeSession(pane.session)
        self.options = LandscapeOptions()
        self.dialog: LandscapeDialog | None = None
        self.progress: QProgressDialog | None = None
        self.jobs_started = 0
        self._thread: QThread | None = None
        self._worker: LandscapeWorker | None = None
        self._lesson: LandscapeLesson | None = None
        self._first: LandscapeRequest | None = None      # what to show once `_pending` is computed
        self._pending: list[LandscapeRequest] = []
        self._lesson_maps: list[LandscapeRequest] = []   # the last lesson's maps: one loss range once all are in
        self._data: Any = None
        self.button = QPushButton()
        bind(self.button, "setText", "Show its loss landscape")
        self.button.clicked.connect(self.open_dialog)
        self.lessons_button = QToolButton()
        bind(self.lessons_button, "setText", "Landscape lessons")
        bind(self.lessons_button, "setToolTip", "Train a lesson's runs, then show their loss landscape")
        self.lessons_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.lessons_button)
        for key, lesson in lessons().items():
            action = menu.addAction("")
            bind(action, "setText", lesson.title)
            action.setData(key)
            action.triggered.connect(lambda _=False, k=key: self.start_lesson(k))
        self.lessons_button.setMenu(menu)
        #: After a lesson with a landscape per run: a button for each (``lesson_buttons``; the row is
        #: laid out by the pane), only the current lesson's: gone when the landscapes they show are.
        self.lesson_views = QWidget()
        self._row = QHBoxLayout(self.lesson_views)
        self._row.setContentsMargins(0, 0, 0, 0)
        self._row.addStretch(1)
        self.lesson_views.hide()
        self.lesson_buttons: list[QPushButton] = []
        self.lessons_button.setVisible(bool(menu.actions()))
        self.session.progressed.connect(self._on_progress)
        self.session.done.connect(self._on_done)
        self.session.failed.connect(self._on_failed)
        self.session.state_changed.connect(lambda *_: self.refresh())
        self.session.cleared.connect(self._forget_lesson)       # a new run, experiment or lesson started
        pane.session.state_changed.connect(lambda *_: self.refresh())
        pane.finished.connect(self._training_finished)
        pane.started.connect(self._training_started)
        self.refresh()
        on_language_changed(self.refresh)

    # -- when it is offered ------------------------------------------------------------
    def reason(self) -> Message | None:
        """Why the landscape cannot be shown now (None: it can)."""
        shown = self.pane._shows_preset
        trains = shown is None or shown.needs_mnist
        if self.pane._is_regression_job() and not self.pane.is_running():
            return NO_REGRESSION_LANDSCAPE()
        return unavailable(self.pane.session, computing=self.is_computing(), trains=trains)

    def refresh(self) -> None:
        """Enable the button, or disable it with the reason as its tooltip."""
        reason = self.reason()
        self.button.setEnabled(reason is None)
        if reason is None:
            bind(self.button, "setToolTip",
                 "The loss on a plane through the trained weights, with the paths the runs took (Li et al. 2018)")
        else:
            unbind(self.button, "setToolTip")
            self.button.setToolTip(tr_message(reason))
        self.lessons_button.setEnabled(not self.pane.is_running() and not self.is_computing())

    def is_computing(self) -> bool:
        return self._thread is not None

    # -- the dialog and the computation --------------------------------------------------
    def _labels(self) -> list[str]:
        return [r.config.label for r in self.pane.session.results]

    def _title(self, runs: tuple[int, ...]) -> str:
        results = self.pane.session.results
        if len(runs) == 1:
            return results[runs[0]].config.label
        preset = self.pane.session.preset
        return training.get(preset).title if preset else lesson_rules.run_names([results[i].config.label for i in runs])

    def open_dialog(self) -> LandscapeDialog | None:
        """Open the settings dialog (non-blocking); OK computes.  None when not offered now."""
        if self.reason() is not None:
            return None
        dialog = LandscapeDialog(self._labels(), self.options, self.pane)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.compute(dialog.options(), dialog.runs(len(self._labels()))))
        dialog.finished.connect(lambda _=0: setattr(self, "dialog", None))
        self.dialog = dialog
        dialog.open()
        return dialog

    def compute(self, options: LandscapeOptions | None = None, runs: Sequence[int] | None = None,
                title: str | None = None, caption: str | None = None) -> bool:
        """Show the landscape of ``runs`` (default: all) sampled with ``options``: from the cache at
        once, else computed in a child process.  False when it is not offered now."""
        results = self.pane.session.results
        chosen = tuple(runs) if runs is not None else tuple(range(len(results)))
        self.options = options if options is not None else self.options
        return self.compute_all([LandscapeRequest(chosen, self.options, title or self._title(chosen), caption)])

    def compute_all(self, requests: Sequence[LandscapeRequest]) -> bool:
        """Compute each of ``requests`` in turn (those not cached), then show the first (a lesson with
        a landscape per run: the others are then one click away, from the cache; once all of a
        lesson's maps are in they share one loss range).  False when not offered now."""
        if self.reason() is not None or not requests:
            return False
        self._first, self._pending = requests[0], list(requests)
        self.options = requests[0].options       # what the dialog offers next (then from the cache)
        self._next()
        return True

    def _next(self) -> None:
        """Start the next request not yet cached; when none is left, show the first."""
        while self._pending and self.session.cached(self._pending[0]) is not None:
            self._pending.pop(0)
        if not self._pending:
            self.session.share_levels(self._lesson_maps)
            first, self._first = self._first, None
            if first is not None:
                self.session.show(first)
            return
        self._start(self._pending.pop(0))

    def _start(self, request: LandscapeRequest) -> None:
        results = self.pane.session.results
        worker = LandscapeWorker([results[i] for i in request.runs], self._data, request.options, request.title)
        self.session.start(request, worker)
        thread = QThread()
        thread.setObjectName("optilab-landscape")
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        worker.finished.connect(thread.quit, Qt.ConnectionType.DirectConnection)
        worker.job_event.connect(self._on_event)
        thread.finished.connect(self._on_thread_finished)
        self._thread, self._worker = thread, worker
        self.jobs_started += 1
        self.pane._hide_error()
        self._show_progress(request)
        self.refresh()
        self.pane._set_controls()
        thread.start()

    def _show_progress(self, request: LandscapeRequest) -> None:
        progress = QProgressDialog(self.pane)
        bind(progress, "setWindowTitle", "Loss landscape")
        bind(progress, "setLabelText", "Computing the loss landscape of {title}…", title=tr(request.title))
        bind(progress, "setCancelButtonText", "Cancel")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setAutoClose(False)
        progress.setAutoReset(False)
        progress.setMinimumDuration(0)
        progress.setRange(0, request.options.grid ** 2)
        progress.setValue(0)
        progress.canceled.connect(self.cancel)
        progress.show()
        self.progress = progress

    def cancel(self) -> None:
        """Stop the computation (the child is killed if it has not stopped within `CANCEL_GRACE_MS`)."""
        worker = self._worker
        if worker is None:
            return
        self.session.cancel()
        QTimer.singleShot(CANCEL_GRACE_MS, lambda: worker.kill() if worker is self._worker else None)

    def _on_event(self, event: Any) -> None:
        """An event of the child: into the session; its end (`JobDone`) is taken once the thread has
        ended (`_finish_job`), so the landscape goes out when a new one may already start."""
        if self.sender() is not self._worker or self._worker is None:
            return
        if isinstance(event, JobDone):
            self._close_progress()        # at once: the child's exit is waited for in the worker thread
        else:
            self.session.receive(event)

    def _on_progress(self, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress.setMaximum(max(total, 1))
            self.progress.setValue(done)
            title = self.session.request.title if self.session.request is not None else ""
            bind(self.progress, "setLabelText", "Computing the loss landscape of {title}: {done:,} of {total:,} "
                 "grid points", title=tr(title), done=done, total=total)

    def _on_done(self, landscape: Any, request: LandscapeRequest) -> None:
        if self._first is None:          # not one of several still being computed
            self.pane.landscape_ready.emit(landscape, request.caption)

    def _on_failed(self, message: Message) -> None:
        self.pane._show_error("Loss landscape failed: {msg}", msg=tr_message(message))

    def _on_thread_finished(self) -> None:
        thread = self._thread
        if thread is None or thread is not self.sender():
            return
        self._finish_job(thread)

    def _finish_job(self, thread: QThread) -> None:
        thread.wait()
        worker = self._worker
        self._thread, self._worker = None, None
        if worker is not None:
            worker.deleteLater()
        thread.deleteLater()
        self._close_progress()
        self.session.end()                # done, failed or cancelled: announced now
        if self.session.state == DONE and self._first is not None:
            self._next()
        else:
            self._first, self._pending = None, []
        self.refresh()
        self.pane._set_controls()

    def _close_progress(self) -> None:
        if self.progress is not None:
            self.progress.canceled.disconnect(self.cancel)
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None

    def shutdown(self, timeout_ms: int = 2000) -> bool:
        """Cancel the computation and wait for its thread (the window is closing).  True if it ended."""
        thread, worker = self._thread, self._worker
        if thread is None:
            return True
        if worker is not None:
            worker.cancel()
        thread.quit()
        grace = timeout_ms // 2
        ended = bool(thread.wait(grace))
        if not ended and worker is not None:
            worker.kill()
            ended = bool(thread.wait(timeout_ms - grace))
        if ended:
            self._finish_job(thread)
        return ended

    # -- the lessons -------------------------------------------------------------------
    def start_lesson(self, lesson: str | LandscapeLesson) -> bool:
        """Train the lesson's runs (live curves, as an experiment); when they finish, show their
        landscape sampled with the lesson's options, captioned.  False if training cannot start."""
        if isinstance(lesson, str):
            lesson = _lesson(lesson)
        pane = self.pane
        if pane.is_running() or self.is_computing():
            return False
        pane._shows_preset = None
        pane.surface_link.hide()
        pane.dock.set_experiment_note(lesson.title)
        pane.shows_label.setText(f"<b>{tr(lesson.title)}</b> — {tr(lesson.caption)}")
        ok = bool(pane._launch(TrainingJob(list(lesson.configs), pane._data_source()), view="loss"))
        if ok:
            self._lesson = lesson
        return ok

    def _training_started(self) -> None:
        self._lesson = None
        self._data = self.pane._data_source()     # the images it trains on: its landscape's too

    def _training_finished(self, status: str) -> None:
        lesson, self._lesson = self._lesson, None
        self.refresh()
        if lesson is not None and status == "finished":
            requests = lesson_requests(lesson, self.pane.session.results)
            if self.reason() is None:
                self._offer(requests)             # first: the last of them to arrive shares the range
                self.compute_all(requests)

    def _offer(self, requests: Sequence[LandscapeRequest]) -> None:
        """The maps of a lesson, in place of the last lesson's: they share one loss range once all are
        in, and when there are several, one button each shows it (from the cache)."""
        self._forget_lesson()
        self._lesson_maps = list(requests)
        for k, request in enumerate(requests if len(requests) > 1 else ()):
            button = QPushButton()
            bind(button, "setText", "Show “{run}”", run=tr(request.title))
            button.clicked.connect(lambda _=False, r=request: self._show_cached(r))
            self._row.insertWidget(k, button)         # (before the row's stretch)
            self.lesson_buttons.append(button)
        self.lesson_views.setVisible(bool(self.lesson_buttons))

    def _forget_lesson(self) -> None:
        """Take the last lesson's buttons away now: out of the row and off the widget (a button only
        `deleteLater`'d stays a hidden child until an event loop deletes it, and came back on top of
        the next lesson's when the row was shown again)."""
        for button in self.lesson_buttons:
            self._row.removeWidget(button)
            button.hide()
            button.setParent(None)
            button.deleteLater()
        self.lesson_buttons, self._lesson_maps = [], []
        self.lesson_views.hide()

    def _show_cached(self, request: LandscapeRequest) -> None:
        if not self.is_computing() and not self.session.show(request):
            self.compute_all([request])


def lesson_requests(lesson: LandscapeLesson, results: Sequence[Any]) -> list[LandscapeRequest]:
    """What ``lesson`` shows of its trained ``results``, each captioned: the runs and title of each
    of its landscapes by `optilab.landscape.lessons.planes`, the one rule (one shared plane, or one
    landscape per run) that `optilab.landscape.lessons.landscapes` and the CLI follow too."""
    return [LandscapeRequest(runs, lesson.options, title, lesson.caption)
            for runs, title in lesson_rules.planes(lesson, results)]


def _lesson(key: str) -> LandscapeLesson:
    return lesson_rules.get(key)
