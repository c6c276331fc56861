"""Fault injection for the stored settings: every damaged value, and a settings file that is no file.

Each case: the app starts, the status bar says once which setting of which
file was dropped, the defaults are used, the app works, and the file is
clean again afterwards (or, when it is no regular file, left as it was).
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QSettings

from optilab.ui import settings
from optilab.ui.app import share_gl_contexts

share_gl_contexts()  # before pytest-qt makes the QApplication (3-D views share GL resources)
ROOT = os.geteuid() == 0
#: Qt warns (rightly) about a "@Variant(...)" of an unknown type; that is the damage under test.
pytestmark = pytest.mark.qt_log_ignore("QVariant::load", "QSettings")

JUNK_VARIANT = rb"@Variant(\0\0\0\x7f\0\0\0\x5fjunk)"
INT_VARIANT = rb"@Variant(\0\0\0\x2\0\0\0\x5)"
#: A byte array that is no saved geometry or state: `restoreGeometry`/`restoreState` refuse it.
JUNK_BLOB = rb"@ByteArray(\0\x1\x2 junk junk junk)"
HUGE_LIST = b", ".join(b"/tmp/s%d.json" % i for i in range(1000))
LONG_PATH = b"/" + b"x" * 5000

#: Damaged values of every key, as they stand in the INI file.  The first of each goes
#: into the window test (JUNK_BLOB is refused only by the window's restoreGeometry/State).
BAD: dict[str, list[bytes]] = {
    settings.SCALE: [b"nan", b"inf", b"-1", b"1e308", b"hello", b"", b"true", b"1, 2", b"-inf", b"0",
                     b"@ByteArray(1.3)", JUNK_VARIANT],
    settings.GEOMETRY: [JUNK_BLOB, b"hello", b"", b"nan", b"1, 2", JUNK_VARIANT, b"@ByteArray()", INT_VARIANT],
    settings.STATE: [JUNK_BLOB, b"hello", b"", b"-1", b"1, 2", JUNK_VARIANT, b"@ByteArray()"],
    settings.LANGUAGE: [b"xx", b"", b"1", b"en, ko", b"\xff\xfe\x00en", b"@ByteArray(en)"],
    settings.THEME: [b"purple", b"", b"1, 2", b"@ByteArray(dark)", INT_VARIANT],
    settings.PALETTE: [b"rainbow", b"", b"0", b"colour-blind, high-contrast"],
    settings.RECENT: [HUGE_LIST, INT_VARIANT, b"@ByteArray(x)", b"/a.json, , /b.json", LONG_PATH],
    settings.LAST_SCENARIO: [b"", b"@ByteArray(x)", INT_VARIANT, LONG_PATH, b"/a.json, /b.json"],
    settings.LAST_DATA_FOLDER: [b"", b"@ByteArray(x)", INT_VARIANT, LONG_PATH, b"/a, /b"],
}
PURE_CASES = [(key, raw) for key, values in BAD.items() for raw in values if raw != JUNK_BLOB]


@pytest.fixture(autouse=True)
def _settings_dir(tmp_path, monkeypatch):
    """optilab's settings file in this test's folder (``$XDG_CONFIG_HOME``), nothing pending from others."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    settings.notice()   # forget what an earlier test left untold
    yield


@pytest.fixture(autouse=True)
def _defaults_after():
    yield
    from PySide6.QtWidgets import QApplication

    from optilab.ui import i18n, palette

    i18n.set_language("en")
    palette.set_palette("colour-blind")
    if QApplication.instance() is not None:
        from optilab.ui.presentation import apply_font, apply_theme

        apply_font("en", 1.0)
        apply_theme("light")


def conf_file() -> Path:
    """The settings file (``$XDG_CONFIG_HOME/optilab/optilab.conf``), its folder made."""
    path = Path(os.environ["XDG_CONFIG_HOME"]) / "optilab" / "optilab.conf"
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def write_conf(values: dict[str, bytes]) -> Path:
    """An INI settings file holding ``values`` (key "section/name" → raw bytes after '=')."""
    sections: dict[str, list[bytes]] = {}
    for key, raw in values.items():
        section, name = key.split("/")
        sections.setdefault(section, []).append(name.encode() + b"=" + raw)
    path = conf_file()
    path.write_bytes(b"".join(b"[" + s.encode() + b"]\n" + b"\n".join(lines) + b"\n"
                              for s, lines in sections.items()))
    return path


def open_window(qtbot):
    from optilab.ui import MainWindow
    from optilab.ui.app import create_app

    create_app()
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def close_window(win) -> None:
    win.surface_pane.pause()
    if win.error_box is not None:
        win.error_box.close()
    win.close()


def assert_works(win, tmp_path: Path) -> None:
    """The defaults are in use and the lab steps and saves."""
    assert win.scale == 1.0 and win.theme == "light"
    pane = win.surface_pane
    pane.set_step(4)
    assert pane.step == 4
    saved = win.save_scenario(str(tmp_path / "works.json"))
    assert saved is not None and saved.stat().st_size > 0, win.last_error


# -- each value, read alone -------------------------------------------------------------
@pytest.mark.parametrize(("key", "raw"), PURE_CASES, ids=[f"{k}={r[:20]!r}" for k, r in PURE_CASES])
def test_a_damaged_value_reads_as_its_default_is_removed_and_told_once(key, raw):
    good, good_raw = (settings.PALETTE, "high-contrast") if key == settings.THEME else (settings.THEME, "dark")
    path = write_conf({key: raw, good: good_raw.encode()})
    assert settings.value(key) == settings.SPECS[key].default
    assert settings.value(key) == settings.SPECS[key].default   # a second read: no second notice
    text = settings.notice()
    assert text == f"Ignored a damaged setting '{key}' in {path} (reset to default)"
    assert settings.notice() == ""
    stored = QSettings(str(path), QSettings.Format.IniFormat)
    assert not stored.contains(key)
    assert stored.value(good) == good_raw                          # the good ones stay


def test_good_values_are_kept_and_nothing_is_told():
    write_conf({settings.SCALE: b"1.3", settings.THEME: b"dark", settings.LANGUAGE: b"ko",
                settings.RECENT: b"/a.json, /b.json", settings.LAST_DATA_FOLDER: b"/data/mnist"})
    settings.check_all()
    assert settings.notice() == ""
    assert settings.value(settings.SCALE) == pytest.approx(1.3)
    assert settings.recent_files() == ["/a.json", "/b.json"]
    assert settings.value(settings.LAST_DATA_FOLDER) == "/data/mnist"


def test_a_settings_file_larger_than_the_limit_is_not_read():
    path = conf_file()
    path.write_bytes(b"[ui]\nscale=1.3\n" + b"; padding\n" * (settings.MAX_FILE_BYTES // 10 + 1))
    before = path.read_bytes()
    assert settings.value(settings.SCALE) == 1.0
    assert "larger than 1 MB" in settings.notice()
    settings.set_value(settings.SCALE, 2.0)
    assert path.read_bytes() == before


# -- the window starts with every key damaged at once -------------------------------------
def test_the_window_starts_with_every_setting_damaged(qtbot, tmp_path):
    values = {key: bad[0] for key, bad in BAD.items()}
    path = write_conf(values)
    win = open_window(qtbot)
    message = win.statusBar().currentMessage()
    assert message == win.settings_notice and "\n" not in message
    assert message.startswith("Ignored damaged settings ") and str(path) in message
    for key in BAD:
        assert message.count(f"'{key}'") == 1, (key, message)
    assert win.recent_files == []
    assert_works(win, tmp_path)
    close_window(win)
    again = open_window(qtbot)   # what the first window saved is clean
    assert again.settings_notice == ""
    close_window(again)


# -- a settings file that is no regular file ------------------------------------------------
def test_a_folder_as_the_settings_file_is_told_and_left_alone(qtbot, tmp_path):
    path = conf_file()
    path.mkdir()
    win = open_window(qtbot)
    assert f"Cannot use the settings file {path}: it is not a regular file" in win.statusBar().currentMessage()
    assert_works(win, tmp_path)
    win.set_theme("dark")
    close_window(win)
    assert path.is_dir() and list(path.iterdir()) == []


@pytest.mark.skipif(ROOT, reason="root reads any file")
def test_an_unreadable_settings_file_is_told_and_not_replaced(qtbot, tmp_path):
    path = write_conf({settings.SCALE: b"1.3"})
    path.chmod(0)
    try:
        win = open_window(qtbot)
        assert "it cannot be read" in win.statusBar().currentMessage()
        assert_works(win, tmp_path)
        close_window(win)
        assert stat.S_IMODE(path.stat().st_mode) == 0
    finally:
        path.chmod(0o600)
    assert path.read_bytes() == b"[ui]\nscale=1.3\n"


_START = textwrap.dedent("""
    import os, sys
    from optilab.ui.app import create_app
    create_app()
    from optilab.ui import MainWindow
    for config in sys.argv[1:]:
        os.environ["XDG_CONFIG_HOME"] = config   # optilab.paths.config_dir: the settings file's folder
        window = MainWindow()
        print("STATUS", window.statusBar().currentMessage(), flush=True)
        window.set_scale(2.0)
        window.close()
        print("CLOSED", flush=True)
""")


def test_a_fifo_or_endless_device_as_the_settings_file_does_not_block_start_up(tmp_path):
    fifo, zero = tmp_path / "fifo", tmp_path / "zero"
    for config in (fifo, zero):
        (config / "optilab").mkdir(parents=True)
    os.mkfifo(fifo / "optilab" / "optilab.conf")
    (zero / "optilab" / "optilab.conf").symlink_to("/dev/zero")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("DISPLAY", None)
    try:
        done = subprocess.run([sys.executable, "-c", _START, str(fifo), str(zero)], env=env,
                              capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail("start-up blocked on a settings file that is a FIFO or /dev/zero")
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    for config in (fifo, zero):
        path = config / "optilab" / "optilab.conf"
        assert f"STATUS Cannot use the settings file {path}: it is not a regular file" in done.stdout
    assert done.stdout.count("CLOSED") == 2
    assert stat.S_ISFIFO((fifo / "optilab" / "optilab.conf").lstat().st_mode)
    assert (zero / "optilab" / "optilab.conf").is_symlink()
