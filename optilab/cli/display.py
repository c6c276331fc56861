"""Is there a screen for the desktop app?  Checked before Qt is loaded.

Without a display Qt's xcb plugin aborts the process (exit 134) with a
misleading hint about ``libxcb-cursor0``.  `display_problem` finds the usual
cases first, cheaply and without Qt:

* macOS and Windows always have a display.
* ``QT_QPA_PLATFORM`` naming another platform than xcb/wayland (offscreen,
  minimal, vnc, eglfs, ...) needs no display server: Qt is trusted.
* A Wayland socket (``$WAYLAND_DISPLAY``, relative to ``$XDG_RUNTIME_DIR``)
  that exists is a display.
* ``$DISPLAY`` = ``[host]:n[.screen]``: a local display is reachable when the
  X socket ``/tmp/.X11-unix/X<n>`` (or its abstract twin on Linux) accepts a
  connection; a remote one when TCP port 6000 + n does, within a second.
  This only tests that a server answers; authorisation is left to Qt.
"""

from __future__ import annotations

import os
import socket
import sys
from collections.abc import Mapping

from optilab import messages
from optilab.messages import Message

CONNECT_TIMEOUT_S = 1.0
NO_DISPLAY = messages.declare(
    "cli.no_display", "no display found ({why}); the app needs a screen, but the subcommands "
    "(optilab trajectory, stability, train, lr-find, landscape, mnist) work without one: see 'optilab --help'")
NO_WAYLAND_SOCKET = messages.declare(
    "cli.no_display.wayland", "QT_QPA_PLATFORM={qpa} but no Wayland socket (WAYLAND_DISPLAY={wayland})")
DISPLAY_UNSET = messages.declare(
    "cli.no_display.unset_wayland", "DISPLAY is not set and WAYLAND_DISPLAY={wayland} has no socket")
NOTHING_SET = messages.declare("cli.no_display.unset", "neither DISPLAY nor WAYLAND_DISPLAY is set")
NO_ANSWER = messages.declare("cli.no_display.no_answer", "DISPLAY={display} does not answer")


def display_problem(env: Mapping[str, str] | None = None, platform: str | None = None) -> Message | None:
    """None when the app can open a window, else the one-line reason (`NO_DISPLAY`)."""
    env = os.environ if env is None else env
    platform = sys.platform if platform is None else platform
    if platform == "darwin" or platform.startswith(("win", "cygwin")):
        return None
    qpa = env.get("QT_QPA_PLATFORM", "").strip().lower()
    first = qpa.split(";")[0].split(":")[0].strip()
    if first and first not in ("xcb", "wayland", "wayland-egl"):
        return None
    if first != "xcb" and _wayland_socket_exists(env):
        return None
    if first.startswith("wayland"):
        return NO_DISPLAY(why=NO_WAYLAND_SOCKET(qpa=qpa, wayland=repr(env.get("WAYLAND_DISPLAY", ""))))
    display = env.get("DISPLAY", "").strip()
    if not display:
        wayland = env.get("WAYLAND_DISPLAY", "").strip()
        return NO_DISPLAY(why=DISPLAY_UNSET(wayland=wayland) if wayland else NOTHING_SET())
    if not x_server_answers(display):
        return NO_DISPLAY(why=NO_ANSWER(display=display))
    return None


def _wayland_socket_exists(env: Mapping[str, str]) -> bool:
    name = env.get("WAYLAND_DISPLAY", "").strip()
    if not name:
        return False
    path = name if os.path.isabs(name) else os.path.join(env.get("XDG_RUNTIME_DIR", ""), name)
    return os.path.exists(path)


def x_server_answers(display: str, timeout: float = CONNECT_TIMEOUT_S) -> bool:
    """True when an X server accepts a connection for ``display`` (":0", "host:1.0")."""
    host, sep, rest = display.rpartition(":")
    number = rest.split(".")[0]
    if not sep or not number.isdigit():
        return False
    if host.startswith("/"):          # macOS launchd style "/path/to/socket:0": trust it
        return True
    if host in ("", "unix"):
        path = f"/tmp/.X11-unix/X{int(number)}"
        return _connects(socket.AF_UNIX, path, timeout) or (
            sys.platform.startswith("linux") and _connects(socket.AF_UNIX, "\0" + path, timeout))
    return _connects(socket.AF_INET, (host, 6000 + int(number)), timeout)


def _connects(family: int, address: object, timeout: float) -> bool:
    try:
        with socket.socket(family, socket.SOCK_STREAM) as s:
            s.settimeout(timeout)
            s.connect(address)
        return True
    except (OSError, ValueError):
        return False
