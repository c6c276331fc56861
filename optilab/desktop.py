"""Desktop integration: a launcher and icon for the current user (XDG).

`install()` writes ``optilab.desktop`` into ``$XDG_DATA_HOME/applications``
(default ``~/.local/share/applications``) with ``Exec`` pointing at this
installation, and the icon into the hicolor theme; `uninstall()` removes
exactly those files.  Files are written atomically.
"""

from __future__ import annotations

import os
import shlex
import shutil
import sys
from importlib import resources
from pathlib import Path

from optilab import paths
from optilab.fileio import write_bytes_atomic


def data_home() -> Path:
    """The XDG data home (``$XDG_DATA_HOME``, default ``~/.local/share``): the parent of `optilab.paths.data_dir`."""
    return paths.data_dir().parent


def targets() -> dict[str, Path]:
    """Where each file goes."""
    base = data_home()
    return {
        "desktop": base / "applications" / "optilab.desktop",
        "svg": base / "icons" / "hicolor" / "scalable" / "apps" / "optilab.svg",
        "png": base / "icons" / "hicolor" / "256x256" / "apps" / "optilab.png",
    }


def launch_command() -> str:
    """The command that starts this installation's app."""
    exe = shutil.which("optilab")
    if exe:
        return shlex.quote(os.path.realpath(exe))
    return f"{shlex.quote(sys.executable)} -m optilab"


def _asset(name: str) -> bytes:
    return (resources.files("optilab") / "assets" / name).read_bytes()


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_bytes_atomic(path, data)


def install() -> list[Path]:
    """Install launcher and icons; returns the files written."""
    t = targets()
    entry = _asset("optilab.desktop").decode("utf-8")
    lines = [f"Exec={launch_command()}" if line.startswith("Exec=") else line for line in entry.splitlines()]
    _write_atomic(t["desktop"], ("\n".join(lines) + "\n").encode("utf-8"))
    os.chmod(t["desktop"], 0o755)
    _write_atomic(t["svg"], _asset("optilab.svg"))
    _write_atomic(t["png"], _asset("optilab.png"))
    return [t["desktop"], t["svg"], t["png"]]


def uninstall() -> list[Path]:
    """Remove what `install` wrote; returns the files removed."""
    removed = []
    for path in targets().values():
        try:
            path.unlink()
            removed.append(path)
        except FileNotFoundError:
            pass
    return removed
