"""Download MNIST with a progress dialog that can be cancelled.

`optilab.data.download` runs in a `DownloadWorker` in its own thread; the
dialog shows the file, bytes and rate, and Cancel sets the flag the
downloader polls between chunks (nothing half-written is kept).  A Python
daemon thread, not a `QThread`: a read from a stalled server cannot be
interrupted, and a `QThread` still running when the app quits aborts it
("QThread: Destroyed while thread is still running"); a daemon thread is
simply left behind.

The end of a download is the end of its thread, announced by ``ended``
(after ``downloaded`` or ``failed``) whatever happened — a failure, a
cancel, the dialog closed.  Not `QDialog.finished`: a `QProgressDialog`
hides itself on cancel and on close, and a hidden dialog never finishes.
"""

from __future__ import annotations

import threading
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from optilab.messages import Message
from optilab.ui.i18n import bind
from optilab.ui.training_lab.worker import DownloadWorker


def _mb(n: float) -> str:
    return f"{n / 1e6:.1f} MB"


class DownloadDialog(QProgressDialog):
    """Progress of an MNIST download.

    Signals ``downloaded(folder)``, ``failed(message)`` (not after a cancel),
    ``ended()`` (always, last, once the thread has stopped).
    """

    downloaded = Signal(str)
    failed = Signal(object)          # a Message
    ended = Signal()

    def __init__(self, parent: QWidget | None = None, dest: str | None = None, mirrors: Any = None,
                 timeout: float | None = None) -> None:
        super().__init__(parent)
        self.setRange(0, 1000)
        bind(self, "setLabelText", "Downloading MNIST…")
        bind(self, "setCancelButtonText", "Cancel")
        bind(self, "setWindowTitle", "Download MNIST")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumDuration(0)
        self.setAutoClose(False)
        self.setAutoReset(False)
        self.setMinimumWidth(460)
        self.result_folder: str | None = None
        self.error: Message | None = None
        self.was_cancelled = False
        self.cancel_requested = False
        self.worker = DownloadWorker(dest, mirrors, timeout)
        self.thread_ = threading.Thread(target=self.worker.run, name="optilab-download", daemon=True)
        # Emitted in the download thread, delivered in the GUI thread (queued).
        self.worker.progress.connect(self._progress)
        self.worker.done.connect(self._done)
        self.worker.failed.connect(self._failed)
        self.worker.cancelled.connect(self._cancelled)
        self.worker.finished.connect(self._thread_finished)
        self.canceled.connect(self.cancel_download)      # the Cancel button and closing the dialog

    def start(self) -> None:
        self.show()
        self.thread_.start()

    def is_running(self) -> bool:
        """True until the download's thread has ended."""
        return self.thread_.is_alive()

    def cancel_download(self) -> None:
        self.cancel_requested = True
        bind(self, "setLabelText", "Cancelling…")
        self.worker.cancel()

    def shutdown(self, timeout_ms: int = 1000) -> bool:
        """Cancel and wait for the thread (window closing); True if it ended.

        A transfer stalled in a read ends at its socket timeout, silently.
        """
        self.cancel_requested = True
        self.worker.cancel()
        self.thread_.join(timeout_ms / 1000)
        return not self.thread_.is_alive()

    def _progress(self, file: str, done: float, total: float, rate: float) -> None:
        if self.cancel_requested:
            return                        # keep saying "Cancelling…"
        if total > 0:
            self.setValue(int(1000 * done / total))
        bind(self, "setLabelText", "{file}: {done} of {total} at {rate}/s",
             file=file, done=_mb(done), total=_mb(total) if total else "?", rate=_mb(rate))

    def _done(self, folder: str) -> None:
        self.result_folder = folder

    def _failed(self, message: Message) -> None:
        self.error = message

    def _cancelled(self) -> None:
        self.was_cancelled = True

    def _thread_finished(self) -> None:
        self.thread_.join()
        if self.result_folder:
            self.downloaded.emit(self.result_folder)
        elif self.error is not None and not self.cancel_requested:
            self.failed.emit(self.error)  # a cancelled download that then timed out is no failure
        self.hide()
        self.ended.emit()


class Downloads(QObject):
    """The downloads started from one widget: one current at a time.

    `start` while one runs only raises its dialog; once it failed, ended, was
    cancelled or its dialog was closed, `start` begins a new one (a cancelled
    transfer stops by itself in the background, silently).  Signals
    ``downloaded(folder)``, ``failed(message)``.
    """

    downloaded = Signal(str)
    failed = Signal(object)          # a Message

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._widget = parent
        self.current: DownloadDialog | None = None
        self._live: list[DownloadDialog] = []      # every dialog whose thread still runs

    def start(self, dest: str | None = None, mirrors: Any = None, timeout: float | None = None) -> DownloadDialog:
        """Start a download (or raise the running one's dialog) and return its dialog."""
        if self.current is not None:
            self.current.raise_()
            return self.current
        dialog = DownloadDialog(self._widget, dest, mirrors, timeout)
        dialog.downloaded.connect(self.downloaded)
        dialog.failed.connect(self.failed)
        dialog.canceled.connect(self._released)
        dialog.ended.connect(self._ended)
        self.current = dialog
        self._live.append(dialog)
        dialog.start()
        return dialog

    def is_running(self) -> bool:
        """True while a download's thread runs (also a cancelled one not yet stopped)."""
        return bool(self._live)

    def shutdown(self, timeout_ms: int = 1000) -> None:
        """Cancel every download and wait up to ``timeout_ms`` in all for their threads (window closing)."""
        cancelled = list(self._live)
        for dialog in cancelled:
            dialog.cancel_requested = True
            dialog.worker.cancel()
        for dialog in cancelled:
            dialog.shutdown(timeout_ms // max(len(cancelled), 1))

    def _released(self) -> None:
        if self.sender() is self.current:
            self.current = None

    def _ended(self) -> None:
        dialog = self.sender()
        if dialog is self.current:
            self.current = None
        if dialog in self._live:
            self._live.remove(dialog)
            dialog.deleteLater()
