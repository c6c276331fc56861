"""Suite-wide fixtures: keep every test away from the user's files and threads."""

from __future__ import annotations

import os
import tempfile
import threading

# The user's folders are out of reach for the whole session, also for module- and session-scoped
# fixtures that build a window before the per-test `_isolated_user_dirs` runs: a settings file left
# in ~/.config/optilab by running the app (its dock width) made the zoom audit fail.
_SESSION_HOME = tempfile.mkdtemp(prefix="optilab-tests-home-")
for _var, _sub in (("XDG_CACHE_HOME", "cache"), ("XDG_CONFIG_HOME", "config"), ("XDG_DATA_HOME", "data")):
    os.makedirs(os.path.join(_SESSION_HOME, _sub), exist_ok=True)
    os.environ[_var] = os.path.join(_SESSION_HOME, _sub)

# One BLAS thread, as `optilab train` and the app's training process use: the
# suite measures the same runs, and on a 2-core machine a threaded BLAS beside
# another process made the experiment tests 70x slower.  Before numpy loads.
from optilab.threads import default_one_blas_thread  # noqa: E402 - after the temporary home

default_one_blas_thread()

import pytest  # noqa: E402 - after the BLAS thread setting, before numpy loads
from hypothesis import settings  # noqa: E402

# CI runs the fuzz tests derandomized, so a submission passes or fails the
# same way every time; locally they explore new examples on every run.
settings.register_profile("ci", derandomize=True, database=None, deadline=None)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory, monkeypatch):
    """Caches, settings and data land in a temporary home, never the user's."""
    home = tmp_path_factory.mktemp("home")
    for var, sub in (("XDG_CACHE_HOME", "cache"), ("XDG_CONFIG_HOME", "config"), ("XDG_DATA_HOME", "data")):
        path = home / sub
        path.mkdir()
        monkeypatch.setenv(var, str(path))
    monkeypatch.delenv("OPTILAB_MNIST_DIR", raising=False)
    yield


@pytest.fixture(autouse=True)
def _no_dangling_threads():
    """Fail a test that leaves a Python thread running (as napari's fixture does)."""
    before = set(threading.enumerate())
    yield
    leftover = [t for t in threading.enumerate() if t not in before and t.is_alive() and not t.daemon]
    for t in leftover:
        t.join(2.0)
    leftover = [t for t in leftover if t.is_alive()]
    assert not leftover, f"test left threads running: {leftover}"


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session, exitstatus):
    """Tear Qt down while the X server still runs.

    pytest-xvfb stops Xvfb when pytest unconfigures; a QApplication (and its
    GL windows) destroyed after that, at interpreter exit, crashes in C++.
    Close and delete every window and the application here, first.
    """
    import gc
    import sys

    if "PySide6.QtWidgets" not in sys.modules:
        return
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        return
    for widget in app.topLevelWidgets():
        widget.close()
        widget.deleteLater()
    for window in app.topLevelWindows():
        window.close()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    app.processEvents()
    gc.collect()
    app.shutdown()


@pytest.fixture
def local_http_server():
    """Start ``ThreadingHTTPServer(handler)`` on 127.0.0.1 (port 0) in a thread.

    Returns ``start(handler) -> httpd`` with ``httpd.base`` (its URL) and
    ``httpd.release`` (an Event a stalling handler may wait on).  Every
    server started is released, shut down and joined after the test.
    """
    from http.server import ThreadingHTTPServer

    started = []

    def start(handler):
        httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        httpd.daemon_threads = True
        httpd.release = threading.Event()
        httpd.base = f"http://127.0.0.1:{httpd.server_address[1]}"
        thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        thread.start()
        started.append((httpd, thread))
        return httpd

    yield start
    for httpd, thread in started:
        httpd.release.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)
