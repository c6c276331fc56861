"""Fault injection for the training child process and the training-lab pane.

The child is killed with SIGKILL (what the out-of-memory killer does) at
several points; the pipe's end must become a `Failed` naming the signal and
a `JobDone` within 2 s, without a busy loop, and the pane must say so, keep its
curves, accept Start again and close cleanly.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import threading
import time

import numpy as np
import pytest

from optilab.data import Dataset
from optilab.training import RunConfig
from optilab.training.events import Failed, JobDone, StepBatch
from optilab.training.remote import DataSpec, JobProcess

#: How soon a dead child must be reported (seconds).
DEADLINE = 2.0
LONG = dict(optimizer="sgd", hparams={"lr": 0.05}, hidden=(16,), iterations=1_000_000, batch_size=50,
            eval_interval=100_000)


def _data(dim: int = 20) -> Dataset:
    rng = np.random.default_rng(1)
    x = rng.random((600, dim), dtype=np.float32)
    t = rng.integers(0, 3, 600).astype(np.int64)
    return Dataset(x[:500], t[:500], x[500:], t[500:], source="synthetic fault data", is_sample=False)


def _drain(proc: JobProcess, limit: float, until=None) -> list:
    got: list = []
    end = time.monotonic() + limit
    while not proc.done and time.monotonic() < end:
        for msg in proc.messages(0.05):
            got.append(msg)
            if until is not None and until(msg):
                return got
    return got


# -- the core: JobProcess -------------------------------------------------------------

@pytest.mark.parametrize("when", ["before the first record", "mid-run", "while paused"])
def test_a_killed_child_is_reported_within_two_seconds_without_spinning(when):
    proc = JobProcess([RunConfig(**LONG)], DataSpec("dataset", dataset=_data()))
    proc.start()
    try:
        if when != "before the first record":
            got = _drain(proc, 20, until=lambda m: isinstance(m, StepBatch))
            assert any(isinstance(m, StepBatch) for m in got)
        if when == "while paused":
            proc.pause()
            _drain(proc, 0.2)
        os.kill(proc.pid, signal.SIGKILL)
        wall, cpu = time.monotonic(), time.process_time()
        msgs = _drain(proc, DEADLINE + 1)
        wall, cpu = time.monotonic() - wall, time.process_time() - cpu
        assert proc.done and msgs[-1] == JobDone(), msgs[-3:]
        assert wall < DEADLINE
        errors = [m.message for m in msgs if isinstance(m, Failed)]
        assert len(errors) == 1 and errors[0].code == "training.died"
        assert str(errors[0]).startswith("the training process ended unexpectedly (killed by signal 9 (SIGKILL))")
        assert cpu < 0.5 * wall + 0.05       # waited, did not spin
        assert proc.messages(0.05) == []     # the end is reported once
    finally:
        proc.close()


def test_a_child_that_exits_without_a_word_reports_its_exit_code():
    proc = JobProcess([RunConfig(**LONG)], DataSpec("dataset", dataset=_data()))
    proc.start()
    try:
        _drain(proc, 20, until=lambda m: isinstance(m, StepBatch))
        # SIGTERM's default action is to end the process: exitcode -15.
        os.kill(proc.pid, signal.SIGTERM)
        msgs = _drain(proc, DEADLINE)
        assert msgs[-1] == JobDone()
        assert "(killed by signal 15 (SIGTERM))" in str(next(m.message for m in msgs if isinstance(m, Failed)))
    finally:
        proc.close()


# -- the pane ---------------------------------------------------------------------------

@pytest.fixture
def window(qtbot):
    """The main window with the training lab installed and current (as in tests/ui_training)."""
    pytest.importorskip("PySide6")
    from PySide6.QtCore import QSettings

    from optilab.ui import MainWindow
    from optilab.ui.app import create_app, share_gl_contexts
    from optilab.ui.training_lab import install

    share_gl_contexts()
    create_app()
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope,
                      os.path.join(os.environ["XDG_CONFIG_HOME"], "qt"))
    win = MainWindow()
    qtbot.addWidget(win)
    pane = getattr(win, "training_pane", None) or install(win)
    win.resize(1280, 800)
    win.tabs.setCurrentWidget(pane)
    win.show()
    qtbot.waitExposed(win)
    yield win
    pane.shutdown()
    win.surface_pane.pause()


@pytest.fixture
def pane(window):
    p = window.training_pane
    p.set_dataset(_data(784))
    return p


@pytest.fixture
def lone_pane(qtbot):
    """The training-lab pane alone, with its own settings dock (no main window: quicker to build)."""
    pytest.importorskip("PySide6")
    from optilab.ui.app import create_app
    from optilab.ui.training_lab.pane import TrainingLabPane

    create_app()
    p = TrainingLabPane()
    qtbot.addWidget(p)
    qtbot.addWidget(p.dock)
    p.set_dataset(_data(784))
    p.show()
    qtbot.waitExposed(p)
    yield p
    assert p.shutdown()


def _children() -> list:
    return [p for p in mp.active_children() if p.name == "optilab-training"]


def _start_long(qtbot, pane, steps: int = 5) -> None:
    assert pane.start(RunConfig(**LONG))
    qtbot.waitUntil(lambda: bool(pane.curves.runs) and pane.curves.runs[-1].it.n >= steps, timeout=10_000)


def _kill_child() -> None:
    (child,) = _children()
    os.kill(child.pid, signal.SIGKILL)


def _assert_closes_cleanly(window) -> None:
    t0 = time.perf_counter()
    window.close()
    assert time.perf_counter() - t0 < DEADLINE
    assert not window.training_pane.is_running()
    assert [t for t in threading.enumerate() if t.name == "optilab-training"] == []
    assert _children() == []


def test_a_killed_child_is_shown_the_curves_stay_and_start_works_again(qtbot, lone_pane):
    pane = lone_pane
    _start_long(qtbot, pane)
    drawn = pane.curves.runs[0].it.n
    with qtbot.waitSignal(pane.finished, timeout=int(DEADLINE * 1000)) as blocker:
        _kill_child()
    assert blocker.args == ["error"]
    assert not pane.is_running()
    assert "Error" in pane.status_label.text()
    assert pane.error_label.isVisible()
    assert "ended unexpectedly (killed by signal 9 (SIGKILL))" in pane.error_label.text()
    assert pane.curves.runs[0].it.n >= drawn                    # the curves so far are kept
    assert pane.start_button.isEnabled() and not pane.stop_button.isEnabled()
    cpu = time.process_time()
    qtbot.wait(500)
    assert time.process_time() - cpu < 0.25                     # nothing spins once it is over
    small = RunConfig(optimizer="sgd", hparams={"lr": 0.1}, hidden=(16,), iterations=30, batch_size=50,
                      eval_interval=10)
    with qtbot.waitSignal(pane.finished, timeout=10_000) as blocker:
        assert pane.start(small)
    assert blocker.args == ["finished"]
    assert not pane.error_label.isVisible()
    assert pane.results[0].summary.iterations == 30


def test_stop_after_the_child_died_while_paused_does_not_hang(qtbot, lone_pane):
    pane = lone_pane
    _start_long(qtbot, pane)
    pane.pause()
    with qtbot.waitSignal(pane.finished, timeout=int(DEADLINE * 1000)) as blocker:
        _kill_child()
        pane.stop()
    assert blocker.args == ["error"]
    assert "killed by signal 9" in pane.error_label.text()
    assert pane.start_button.isEnabled()


@pytest.mark.parametrize("state", ["running", "paused", "child killed", "child frozen"])
def test_closing_the_window_is_clean(qtbot, window, pane, state):
    _start_long(qtbot, pane)
    if state == "paused":
        pane.pause()
    elif state == "child killed":
        _kill_child()
        qtbot.wait(100)         # the close may come before or after the pane noticed
    elif state == "child frozen":
        (child,) = _children()
        os.kill(child.pid, signal.SIGSTOP)    # answers nothing, not even Stop
    _assert_closes_cleanly(window)


# -- downloads from the pane ---------------------------------------------------------------

def _counting_server(local_http_server, answer: str):
    """A loopback server counting requests; ``answer``: "404" at once, or "stall" until released."""
    from http.server import BaseHTTPRequestHandler

    requests: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requests.append(self.path)
            if answer == "stall":
                self.server.release.wait(10)
            self.send_error(404)

        def log_message(self, *args) -> None:
            pass

    httpd = local_http_server(Handler)
    return httpd, requests


@pytest.mark.parametrize("answer, timeout", [("404", None), ("stall", 0.3)])
def test_a_failed_download_can_be_started_again(qtbot, lone_pane, local_http_server, tmp_path, answer, timeout):
    pane, dock = lone_pane, lone_pane.dock
    httpd, requests = _counting_server(local_http_server, answer)
    pane.download_options = {"dest": str(tmp_path / "mnist"), "mirrors": httpd.base, "timeout": timeout}
    for clicks in (1, 2):
        dock.download_button.click()
        qtbot.waitUntil(lambda clicks=clicks: len(requests) == clicks and not pane.downloads.is_running(), timeout=3000)
        assert "Download failed" in pane.error_label.text()
        assert ("404" if answer == "404" else "0.3 s") in pane.error_label.text()
    assert len(requests) == 2
    assert not list((tmp_path / "mnist").glob("*.part"))


@pytest.mark.parametrize("how", ["Cancel button", "dialog closed"])
def test_a_cancelled_download_can_be_started_again_at_once(qtbot, lone_pane, local_http_server, tmp_path, how):
    from PySide6.QtWidgets import QApplication, QPushButton

    pane, dock = lone_pane, lone_pane.dock
    httpd, requests = _counting_server(local_http_server, "stall")
    pane.download_options = {"dest": str(tmp_path / "mnist"), "mirrors": httpd.base, "timeout": 10}
    dock.download_button.click()
    qtbot.waitUntil(lambda: len(requests) == 1, timeout=3000)
    (dialog,) = [w for w in QApplication.topLevelWidgets() if w.isVisible() and w.windowTitle() == "Download MNIST"]
    if how == "Cancel button":
        dialog.findChild(QPushButton).click()
    else:
        dialog.close()
    dock.download_button.click()
    qtbot.waitUntil(lambda: len(requests) == 2, timeout=3000)
    httpd.release.set()                          # both transfers end; the cancelled one says nothing
    qtbot.waitUntil(lambda: not pane.downloads.is_running(), timeout=3000)
    assert pane.error_label.text().count("Download failed") == 1


# -- nothing kept per run ---------------------------------------------------------------------

#: Objects one start/stop cycle creates; none may outlive the cycle.
PER_RUN_KINDS = ("JobProcess", "TrainingWorker", "DownloadDialog", "Connection", "RunCurves", "RunInfo",
                 "RecordBatch", "PlotDataItem", "PlotCurveItem", "ScatterPlotItem", "QThread")


def _census() -> dict[str, int]:
    import gc

    from optilab.ui import i18n

    gc.collect()
    counts = dict.fromkeys(PER_RUN_KINDS, 0)
    for obj in gc.get_objects():
        name = type(obj).__name__
        if name in counts:
            counts[name] += 1
    counts["i18n bindings"] = i18n.binding_count()
    counts["i18n callbacks"] = len(i18n._callbacks)
    counts["open files"] = len(os.listdir("/proc/self/fd"))
    counts["child processes"] = len(mp.active_children())
    return counts


def test_start_stop_cycles_leave_nothing_behind(qtbot, lone_pane):
    pane = lone_pane
    from PySide6.QtCore import QCoreApplication, QEvent

    def cycle() -> None:
        with qtbot.waitSignal(pane.finished, timeout=10_000):
            assert pane.start(RunConfig(**LONG))
            qtbot.waitUntil(lambda: len(pane.run_infos) == 1, timeout=10_000)
            pane.stop()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)

    for _ in range(2):
        cycle()
    before = _census()
    for _ in range(2):
        cycle()
    assert _census() == before


def test_closing_while_a_download_stalls_is_quick(qtbot, lone_pane, local_http_server, tmp_path):
    pane = lone_pane
    httpd, requests = _counting_server(local_http_server, "stall")
    pane.download_mnist(str(tmp_path / "mnist"), httpd.base, timeout=10)
    qtbot.waitUntil(lambda: len(requests) == 1, timeout=3000)
    t0 = time.perf_counter()
    pane.shutdown()
    assert time.perf_counter() - t0 < DEADLINE
    # The stalled read is left to a daemon thread (a QThread would abort the app's exit) and ends silently.
    assert not [t for t in threading.enumerate() if t.name == "optilab-download" and not t.daemon]
    httpd.release.set()
    qtbot.waitUntil(lambda: not pane.downloads.is_running(), timeout=3000)
    assert "Download failed" not in pane.error_label.text()
    assert not list((tmp_path / "mnist").glob("*.part"))
