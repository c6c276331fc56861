"""`optilab` with no screen says so in one line and exits 2 (issue #11 item 15).

Before the check Qt's xcb plugin aborted the process (exit 134, a core dump)
with a hint about libxcb-cursor0.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "XAUTHORITY")}
    env.update(XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_CACHE_HOME=str(tmp_path / "cache"),
               XDG_RUNTIME_DIR=str(tmp_path), **extra)
    return env


def _run_app(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "optilab"], env=env, capture_output=True, text=True,
                          timeout=30, stdin=subprocess.DEVNULL)


def _free_display_number() -> int:
    """An X display number with no server: neither its socket file nor its abstract socket answers."""
    for n in range(4711, 4800):
        path = f"/tmp/.X11-unix/X{n}"
        if os.path.exists(path):
            continue
        with socket.socket(socket.AF_UNIX) as s:
            try:
                s.connect("\0" + path)
            except OSError:
                return n
    pytest.skip("no free X display number")


def _assert_one_clear_line(done: subprocess.CompletedProcess, why: str) -> None:
    assert done.returncode == 2, (done.returncode, done.stderr)
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "Traceback" not in done.stderr and "xcb-cursor" not in done.stderr
    assert lines[0].startswith("optilab: error: no display found (")
    assert why in lines[0]
    assert "subcommands" in lines[0] and "optilab --help" in lines[0]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11/Wayland displays are a Linux matter")
def test_no_display_variable_gives_one_line_and_exit_2(tmp_path: Path) -> None:
    _assert_one_clear_line(_run_app(_env(tmp_path)), "neither DISPLAY nor WAYLAND_DISPLAY is set")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11/Wayland displays are a Linux matter")
def test_unreachable_display_gives_one_line_and_exit_2(tmp_path: Path) -> None:
    n = _free_display_number()
    _assert_one_clear_line(_run_app(_env(tmp_path, DISPLAY=f":{n}")), f"DISPLAY=:{n} does not answer")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11/Wayland displays are a Linux matter")
def test_wayland_name_without_its_socket_is_no_display(tmp_path: Path) -> None:
    done = _run_app(_env(tmp_path, WAYLAND_DISPLAY="wayland-no-such"))
    _assert_one_clear_line(done, "DISPLAY is not set and WAYLAND_DISPLAY=wayland-no-such has no socket")


def test_subcommands_still_work_without_a_display(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "optilab", "trajectory", "--help"], env=_env(tmp_path),
                          capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr
