"""Fault injection for the window's file flows: Save/Open scenario, Open recent and every export.

Targets: a folder, a FIFO, a device node, a missing folder, a read-only folder,
a full disk (RLIMIT_FSIZE in a subprocess) and a symlink (written through).
Each failing case: an error in the window (one line naming the file, no
traceback, no temporary file name), nothing left behind, what was at the path
still there and unchanged, and the app still usable.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import stat
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from optilab.ui.app import share_gl_contexts
from optilab.ui.dialogs import ExportChoice

share_gl_contexts()  # before pytest-qt makes the QApplication (3-D views share GL resources)
ROOT = os.geteuid() == 0
GOOD = b"the previous good file\n"

#: Every flow that writes a file: name -> (suffix, call on the window returning None/0 on failure).
WRITES = {
    "scenario": (".json", lambda win, p: win.save_scenario(p)),
    "map-png": (".png", lambda win, p: win.export(ExportChoice("map-png", width=300, dpi=96), p)),
    "map-svg": (".svg", lambda win, p: win.export(ExportChoice("map-svg"), p)),
    "3d-png": (".png", lambda win, p: win.export(ExportChoice("3d-png", width=160, height=120), p)),
    "window-png": (".png", lambda win, p: win.export_picture(p)),
    "csv": (".csv", lambda win, p: win.export_csv(p)),
    "json": (".json", lambda win, p: win.export(ExportChoice("json"), p)),
    "gif": (".gif", lambda win, p: win.export_gif_with_progress(p, "2d", 10, width=120)),
}


@pytest.fixture(scope="module")
def win(tmp_path_factory):
    """One shown main window for the module (a window per case would be slow); settings go to each test's
    own ``$XDG_CONFIG_HOME`` (tests/conftest.py)."""
    from PySide6.QtWidgets import QApplication

    from optilab.ui import MainWindow, i18n
    from optilab.ui.app import create_app

    create_app()
    i18n.set_language("en")
    window = MainWindow()
    window.resize(900, 600)
    window.show()
    window.surface_pane.load_lesson("book-figure")
    window.surface_pane.set_steps(3)
    QApplication.processEvents()
    yield window
    if window.training_pane is not None:
        window.training_pane.shutdown()
    window.surface_pane.pause()
    if window.error_box is not None:
        window.error_box.close()
    window.close()
    window.deleteLater()
    QApplication.processEvents()


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


@contextlib.contextmanager
def fifo_watchdog(path: Path, after: float = 5.0):
    """If the code under test blocks on FIFO ``path`` for ``after`` s, open its other end (and fail later)."""
    done = threading.Event()
    fired = []

    def unblock() -> None:
        if done.wait(after):
            return
        fired.append(True)
        fd = os.open(path, os.O_RDWR | os.O_NONBLOCK)   # both ends: a blocked reader or writer goes on
        time.sleep(0.2)
        with contextlib.suppress(OSError):
            while os.read(fd, 65536):
                pass
        os.close(fd)

    thread = threading.Thread(target=unblock, daemon=True)
    thread.start()
    try:
        yield fired
    finally:
        done.set()
        thread.join(10)


def assert_failed_cleanly(win, result, path: Path) -> None:
    """The call failed with one line naming the file in the window, and the window still works."""
    message = win.last_error
    assert not result, f"{path} written?"
    assert message and "\n" not in message and "Traceback" not in message
    assert path.name in message and ".optilab-tmp-" not in message, message
    assert win.statusBar().currentMessage() == message
    assert win.error_box is not None and win.error_box.text() == message
    win.error_box.close()
    pane = win.surface_pane
    pane.set_step(2)
    assert pane.step == 2


def make_device(path: Path) -> None:
    """A copy of /dev/null (char 1, 3) at ``path``, or skip."""
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except (PermissionError, AttributeError, OSError):
        pytest.skip("cannot make a device node here")


# -- writes -----------------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["folder", "fifo", "device", "missing-folder"])
@pytest.mark.parametrize("flow", list(WRITES))
def test_a_write_to_a_non_file_is_refused_in_the_window(win, tmp_path, flow, kind):
    suffix, write = WRITES[flow]
    path = tmp_path / f"target{suffix}"
    if kind == "folder":
        path.mkdir()
        (path / "keep.txt").write_bytes(GOOD)
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "device":
        make_device(path)
    else:
        path = tmp_path / "missing" / f"target{suffix}"
    win.last_error = ""
    started = time.monotonic()
    with fifo_watchdog(path) if kind == "fifo" else contextlib.nullcontext([]) as fired:
        result = write(win, str(path))
    assert not fired and time.monotonic() - started < 5, "blocked on the FIFO"
    assert_failed_cleanly(win, result, path)
    assert leftovers(tmp_path) == []
    if kind == "folder":
        assert path.is_dir() and (path / "keep.txt").read_bytes() == GOOD
    elif kind == "fifo":
        assert stat.S_ISFIFO(path.lstat().st_mode)
    elif kind == "device":
        assert stat.S_ISCHR(path.lstat().st_mode)
    else:
        assert not path.parent.exists()


@pytest.mark.parametrize("flow", list(WRITES))
def test_a_write_through_a_symlink_lands_in_its_target(win, tmp_path, flow):
    suffix, write = WRITES[flow]
    real = tmp_path / "real" / f"target{suffix}"
    real.parent.mkdir()
    real.write_bytes(GOOD)
    link = tmp_path / f"link{suffix}"
    link.symlink_to(real)
    win.last_error = ""
    assert write(win, str(link)), win.last_error
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_bytes() not in (GOOD, b"")
    assert leftovers(tmp_path) == [] and leftovers(real.parent) == []


@pytest.fixture
def read_only_folder(tmp_path):
    """A folder holding ``target.*`` files with GOOD in them that cannot be written to.

    As root, permissions do not stop writes: a tmpfs remounted read-only is used (skip if mounting fails).
    """
    folder = tmp_path / "ro"
    folder.mkdir()
    mounted = False
    if ROOT:
        made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(folder)],
                              capture_output=True, timeout=10)
        if made.returncode != 0:
            pytest.skip("running as root and cannot mount a read-only tmpfs")
        mounted = True
    for suffix in {s for s, _ in WRITES.values()}:
        (folder / f"target{suffix}").write_bytes(GOOD)
    try:
        if mounted:
            subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True, capture_output=True, timeout=10)
        else:
            folder.chmod(0o555)
        yield folder
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(folder)], capture_output=True, timeout=10)
        else:
            folder.chmod(0o755)


def test_writes_into_a_read_only_folder_keep_the_good_files(win, read_only_folder):
    for flow, (suffix, write) in WRITES.items():
        path = read_only_folder / f"target{suffix}"
        win.last_error = ""
        assert_failed_cleanly(win, write(win, str(path)), path)
        assert path.read_bytes() == GOOD, flow
        assert "read-only" in win.last_error or "permission denied" in win.last_error.lower(), win.last_error
    assert leftovers(read_only_folder) == []


_FULL_DISK = textwrap.dedent("""
    import importlib.util, json, os, resource, signal, sys
    from pathlib import Path
    from PySide6.QtTest import QTest
    from optilab.ui.app import create_app
    create_app()
    from optilab.ui import MainWindow
    out, config = Path(sys.argv[1]), sys.argv[2]
    spec = importlib.util.spec_from_file_location("gui_file_faults", sys.argv[3])
    tests = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tests)
    os.environ["XDG_CONFIG_HOME"] = config
    win = MainWindow()
    win.resize(900, 600)
    win.show()
    QTest.qWaitForWindowExposed(win, 10000)   # the 3-D view renders only once its GL context is up
    QTest.qWait(200)
    win.surface_pane.load_lesson("book-figure")
    win.surface_pane.set_steps(3)
    writes, good = tests.WRITES, tests.GOOD
    for suffix in {s for s, _ in writes.values()}:
        (out / f"target{suffix}").write_bytes(good)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)   # a write past the limit fails with EFBIG instead
    report = {}
    for flow, (suffix, write) in writes.items():
        resource.setrlimit(resource.RLIMIT_FSIZE, (200, resource.RLIM_INFINITY))
        try:
            result = write(win, str(out / f"target{suffix}"))
        finally:
            resource.setrlimit(resource.RLIMIT_FSIZE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
        report[flow] = {"ok": bool(result), "error": win.last_error, "status": win.statusBar().currentMessage(),
                        "good": (out / f"target{suffix}").read_bytes() == good}
        win.last_error = ""
    report["_leftovers"] = sorted(p.name for p in out.iterdir() if p.name.startswith("."))
    win.surface_pane.set_step(2)
    report["_step"] = win.surface_pane.step
    print("REPORT", json.dumps(report), flush=True)
""")
def test_a_full_disk_fails_every_write_in_the_window_and_keeps_the_good_files(tmp_path):
    out, config = tmp_path / "out", tmp_path / "config"
    out.mkdir()
    config.mkdir()
    if not os.environ.get("DISPLAY"):
        pytest.skip("needs pytest-xvfb's screen (the 3-D export needs OpenGL)")
    done = subprocess.run([sys.executable, "-c", _FULL_DISK, str(out), str(config), __file__],
                          capture_output=True, text=True, timeout=90)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr[-3000:]
    line = next(row for row in done.stdout.splitlines() if row.startswith("REPORT "))
    report = json.loads(line[len("REPORT "):])
    assert report.pop("_leftovers") == [] and report.pop("_step") == 2
    assert set(report) == set(WRITES)
    for flow, seen in report.items():
        message = seen["error"]
        assert not seen["ok"] and seen["good"], (flow, seen)
        assert message and message == seen["status"] and "\n" not in message, (flow, seen)
        assert "target" in message and ".optilab-tmp-" not in message, (flow, message)
        assert "space" in message.lower() or "too large" in message.lower(), (flow, message)


# -- the training lab's exports ---------------------------------------------------------------
@pytest.fixture(scope="module")
def trained(win):
    """The window's training lab after one tiny run (30 iterations on synthetic data)."""
    import numpy as np
    from PySide6.QtTest import QTest

    from optilab.data import Dataset
    from optilab.training import RunConfig

    pane = win.ensure_training_lab()
    rng = np.random.default_rng(0)
    x = rng.random((600, 784), dtype=np.float32)
    t = np.argmax((x - 0.5) @ rng.standard_normal((784, 10)), axis=1).astype(np.int64)
    pane.set_dataset(Dataset(x_train=x[:500], t_train=t[:500], x_test=x[500:], t_test=t[500:],
                             source="synthetic test data", is_sample=False))
    ended: list[str] = []
    pane.finished.connect(ended.append)
    assert pane.start(RunConfig(optimizer="sgd", hparams={"lr": 0.1}, hidden=(8,), iterations=20, batch_size=50,
                                eval_interval=10))
    deadline = time.monotonic() + 30
    while not ended and time.monotonic() < deadline:
        QTest.qWait(50)
    assert ended == ["finished"]
    yield pane
    pane.shutdown()


def _training_target(tmp_path: Path, kind: str, suffix: str) -> Path:
    path = tmp_path / f"{kind}{suffix}"
    if kind == "folder":
        path.mkdir()
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "device":
        make_device(path)
    elif kind == "missing-folder":
        path = tmp_path / "missing" / f"x{suffix}"
    return path


def _check_training_exports(pane, tmp_path: Path, export, suffix: str) -> None:
    real = tmp_path / "real" / f"target{suffix}"
    real.parent.mkdir()
    real.write_bytes(GOOD)
    link = tmp_path / f"link{suffix}"
    link.symlink_to(real)
    assert export(str(link)) and link.is_symlink() and real.read_bytes() not in (GOOD, b"")
    for kind in ("folder", "fifo", "device", "missing-folder"):
        path = _training_target(tmp_path, kind, suffix)
        pane._hide_error()
        with fifo_watchdog(path) if kind == "fifo" else contextlib.nullcontext([]) as fired:
            result = export(str(path))
        assert not fired and not result, (kind, result)
        shown = pane.error_label.text()
        named = path.name in shown or (kind == "missing-folder" and str(path.parent) in shown)
        assert not pane.error_label.isHidden() and named and "\n" not in shown, (kind, shown)
        assert kind != "fifo" or stat.S_ISFIFO(path.lstat().st_mode)
        assert kind != "device" or stat.S_ISCHR(path.lstat().st_mode)
    assert leftovers(tmp_path) == [] and leftovers(real.parent) == []


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_training_plot_exports_refuse_non_files_and_write_through_links(trained, tmp_path, suffix):
    _check_training_exports(trained, tmp_path, lambda p: trained.export_plot("loss", p), suffix)


def test_the_training_csv_export_refuses_non_files_and_writes_through_links(trained, tmp_path):
    _check_training_exports(trained, tmp_path, trained.export_csv, ".csv")


# -- reads --------------------------------------------------------------------------------
def _bad_scenario_path(tmp_path: Path, kind: str) -> Path:
    path = tmp_path / "scenario.json"
    if kind == "folder":
        path.mkdir()
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "dev-zero-link":
        path.symlink_to("/dev/zero")
    elif kind == "dev-urandom-link":
        path.symlink_to("/dev/urandom")
    elif kind == "device":
        make_device(path)
    elif kind == "missing":
        pass
    elif kind == "huge":
        with open(path, "wb") as f:
            f.truncate(50 * 1024 * 1024)    # sparse: no disk used
    elif kind == "not-text":
        path.write_bytes(b"\xff\xfe\x00\x01" * 100)
    return path


OPEN_KINDS = ["folder", "fifo", "dev-zero-link", "dev-urandom-link", "device", "missing", "huge", "not-text"]
_BOUNDED_READ = textwrap.dedent("""
    import resource, sys
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
    from optilab import scenario
    try:
        scenario.load(sys.argv[1])
    except scenario.ScenarioError:
        print("REFUSED")
""")


@functools.cache
def _endless_read_refused(device: str) -> bool:
    """Whether the core refuses a link to ``device`` (checked in a subprocess with 1 GB of memory, once)."""
    with tempfile.TemporaryDirectory() as folder:
        link = Path(folder) / "scenario.json"
        link.symlink_to(device)
        try:
            done = subprocess.run([sys.executable, "-c", _BOUNDED_READ, str(link)], capture_output=True,
                                  text=True, timeout=30)
        except subprocess.TimeoutExpired:
            return False
    return "REFUSED" in done.stdout


@pytest.mark.parametrize("how", ["open", "recent"])
@pytest.mark.parametrize("kind", OPEN_KINDS)
def test_opening_a_hostile_scenario_shows_an_error_and_changes_nothing(win, tmp_path, kind, how):
    pane = win.surface_pane
    pane.set_step(1)
    formula = pane.surface_controls.formula.text()
    path = tmp_path / "scenario.json"
    if how == "recent":   # saved once, then replaced by something hostile before Open recent
        assert win.save_scenario(str(path)), win.last_error
        path.unlink()
    path = _bad_scenario_path(tmp_path, kind)
    if kind.startswith("dev-"):   # else the window would read the device until memory runs out
        assert _endless_read_refused(os.readlink(path)), "optilab.scenario.load reads an endless device"
    win.last_error = ""
    started = time.monotonic()
    with fifo_watchdog(path) if kind == "fifo" else contextlib.nullcontext([]) as fired:
        if how == "open":
            result = win.open_scenario(str(path))
        else:
            action = next(a for a in win.recent_menu.actions() if a.toolTip() == str(path.resolve())
                          or a.toolTip() == str(path))
            action.trigger()
            result = not win.last_error
    assert not fired and time.monotonic() - started < 5, "blocked reading the scenario"
    assert_failed_cleanly(win, result, path)
    pane.set_step(1)
    assert pane.surface_controls.formula.text() == formula
    if kind == "fifo":
        assert stat.S_ISFIFO(path.lstat().st_mode)


def test_opening_a_scenario_through_a_symlink_works(win, tmp_path):
    real = tmp_path / "real.json"
    pane = win.surface_pane
    pane.set_step(3)
    assert win.save_scenario(str(real)), win.last_error
    link = tmp_path / "link.json"
    link.symlink_to(real)
    pane.set_step(0)
    assert win.open_scenario(str(link)), win.last_error
    assert pane.step == 3 and link.is_symlink()
