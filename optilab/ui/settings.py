"""What the app remembers between sessions, in ``optilab/optilab.conf`` (an INI file).

Keys (strings, so the training lab can share them):

====================  ==============================================
``window/geometry``   `QMainWindow.saveGeometry()`
``window/state``      `QMainWindow.saveState()` (docks, toolbars)
``ui/language``       a language of `optilab.ui.i18n.LANGUAGES` ("en", "ko", …)
``ui/theme``          "light" or "dark"
``ui/palette``        "colour-blind" or "high-contrast"
``ui/scale``          presentation scale factor (float)
``scenario/recent``   recent scenario files, newest first (≤ 8)
``scenario/last``     the scenario last opened or saved
``data/last_folder``  the folder data (MNIST) was last read from
====================  ==============================================

The file is ``optilab.conf`` in `optilab.paths.config_dir` on every system:
``$XDG_CONFIG_HOME/optilab/`` (default ``~/.config/optilab/``) on Linux, as
always; ``~/Library/Application Support/optilab/`` on macOS and
``%LOCALAPPDATA%\\optilab\\`` on Windows (one INI file everywhere, as napari
keeps its settings file in platformdirs' folder, so the checks below hold on
every system).  Tests point it at a temporary folder with ``XDG_CONFIG_HOME``.

Every value read goes through `SPECS` (key → default and check, declared once
here): a damaged value is removed from the file, its default is used, and
`notice()` says so once.  A settings file that is not a regular readable file
(a directory, a FIFO — reading one would block —, a device) or is absurdly
large is never opened: the session keeps its settings in memory instead.
"""

from __future__ import annotations

import math
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings

from optilab import messages, paths
from optilab.messages import Message
from optilab.ui.i18n import LANGUAGES, tr_message
from optilab.ui.palette import PALETTES, THEMES

GEOMETRY = "window/geometry"
STATE = "window/state"
LANGUAGE = "ui/language"
THEME = "ui/theme"
PALETTE = "ui/palette"
SCALE = "ui/scale"
RECENT = "scenario/recent"
LAST_SCENARIO = "scenario/last"
LAST_DATA_FOLDER = "data/last_folder"

#: How many recent scenario files are kept.
MAX_RECENT = 8
#: Presentation scales accepted from the file (the menu offers 0.85…2.5).
SCALE_RANGE = (0.5, 3.0)
#: Longest path accepted from the file (Linux's PATH_MAX).
MAX_PATH_CHARS = 4096
#: Largest saved window geometry or dock state accepted (Qt writes well under 4 KB).
MAX_BLOB_BYTES = 64 * 1024
#: Largest settings file read (a few KB in practice).
MAX_FILE_BYTES = 1024 * 1024

#: The settings file's name in `optilab.paths.config_dir`.
FILE_NAME = "optilab.conf"

CANNOT_USE = messages.declare(
    "settings.cannot_use", "Cannot use the settings file {path}: {reason}; remove it to keep settings again")
DAMAGED_ONE = messages.declare("settings.damaged_one", "Ignored a damaged setting {keys} in {path} (reset to default)")
DAMAGED_MANY = messages.declare(
    "settings.damaged_many", "Ignored damaged settings {keys} in {path} (reset to defaults)")
NOT_REGULAR = messages.declare("settings.not_regular", "it is not a regular file")
TOO_LARGE = messages.declare("settings.too_large", "it is larger than 1 MB")
UNREADABLE = messages.declare("settings.unreadable", "it cannot be read")


# -- checks: each returns the clean value or raises ValueError -----------------------
def _blob(raw: Any) -> QByteArray:
    data = bytes(raw.data()) if isinstance(raw, QByteArray) else raw
    if not isinstance(data, bytes) or not 0 < len(data) <= MAX_BLOB_BYTES:
        raise ValueError("not a saved window layout")
    return QByteArray(data)


def _one_of(choices) -> Callable[[Any], str]:
    def check(raw: Any) -> str:
        if not isinstance(raw, str) or raw not in choices:
            raise ValueError(f"not one of {', '.join(choices)}")
        return raw
    return check


def _scale(raw: Any) -> float:
    if isinstance(raw, bool) or not isinstance(raw, (str, int, float)):
        raise ValueError("not a number")
    number = float(raw)  # ValueError for text
    if not (math.isfinite(number) and SCALE_RANGE[0] <= number <= SCALE_RANGE[1]):
        raise ValueError("out of range")
    return number


def _path(raw: Any) -> str:
    if not isinstance(raw, str) or not raw or len(raw) > MAX_PATH_CHARS or "\0" in raw:
        raise ValueError("not a path")
    return raw


def _recent(raw: Any) -> list[str]:
    if raw == "":
        return []
    items = [raw] if isinstance(raw, str) else raw
    if not isinstance(items, list) or len(items) > MAX_RECENT:
        raise ValueError("not a short list of paths")
    clean = [_path(item) for item in items]
    return list(dict.fromkeys(clean))


@dataclass(frozen=True)
class Spec:
    """How a stored value is checked, and what is used when it is absent or damaged."""

    default: Any
    check: Callable[[Any], Any]


#: Every key the app reads: its default and its check (the one place they are declared).
SPECS: dict[str, Spec] = {
    GEOMETRY: Spec(None, _blob),
    STATE: Spec(None, _blob),
    LANGUAGE: Spec(None, _one_of(LANGUAGES)),
    THEME: Spec("light", _one_of(tuple(THEMES))),
    PALETTE: Spec("colour-blind", _one_of(tuple(PALETTES))),
    SCALE: Spec(1.0, _scale),
    RECENT: Spec([], _recent),
    LAST_SCENARIO: Spec(None, _path),
    LAST_DATA_FOLDER: Spec(None, _path),
}


# -- the store ---------------------------------------------------------------------
class _MemoryStore:
    """Stands in for QSettings when the settings file cannot be used (same few methods)."""

    def __init__(self, file_name: str) -> None:
        self._file_name = file_name
        self._data: dict[str, Any] = {}

    def value(self, key: str, default: Any = None) -> Any:
        return self._data.get(key, default)

    def setValue(self, key: str, data: Any) -> None:
        self._data[key] = data

    def remove(self, key: str) -> None:
        self._data.pop(key, None)

    def contains(self, key: str) -> bool:
        return key in self._data

    def sync(self) -> None:
        pass

    def fileName(self) -> str:
        return self._file_name


_memory: dict[str, _MemoryStore] = {}
#: Damaged keys not yet told, per settings file.
_damaged: dict[str, list[str]] = {}


def settings_file() -> Path:
    """Where the settings file is (`optilab.paths.config_dir` / ``optilab.conf``), found without opening it."""
    return paths.config_dir() / FILE_NAME


def file_problem(path: Path) -> Message | None:
    """Why ``path`` cannot be used as the settings file (a `Message`), or None (absent is fine)."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        return messages.TEXT(text=exc.strerror or str(exc))
    if not stat.S_ISREG(info.st_mode):
        return NOT_REGULAR()
    if info.st_size > MAX_FILE_BYTES:
        return TOO_LARGE()
    if not os.access(path, os.R_OK):
        return UNREADABLE()
    return None


def settings() -> QSettings:
    """optilab's settings store (in memory for the session when the file cannot be used)."""
    path = settings_file()
    problem = file_problem(path)
    if problem is None:
        return QSettings(str(path), QSettings.Format.IniFormat)
    return _memory.setdefault(str(path), _MemoryStore(str(path)))  # type: ignore[return-value]


def reject(key: str, store: QSettings | None = None) -> None:
    """Remove a damaged ``key`` from the file; `notice()` will say so."""
    store = store if store is not None else settings()
    store.remove(key)
    store.sync()
    keys = _damaged.setdefault(store.fileName(), [])
    if key not in keys:
        keys.append(key)


def value(key: str) -> Any:
    """The stored value of ``key`` (one of `SPECS`), checked; its default when absent or damaged."""
    spec = SPECS[key]
    store = settings()
    raw = store.value(key, None)
    if raw is None:
        if store.contains(key):  # there, but Qt could not decode it ("@Variant(" junk)
            reject(key, store)
        return spec.default
    try:
        return spec.check(raw)
    except (TypeError, ValueError, OverflowError):
        reject(key, store)
        return spec.default


def check_all() -> None:
    """Read every key once, so that each damaged one is removed and told by `notice()`."""
    for key in SPECS:
        value(key)


def notice() -> str:
    """One line about the settings file in use, in the UI's language: unusable, or the damaged keys
    dropped since the last call ('' when all is well).  Clears what it told."""
    path = str(settings_file())
    problem = file_problem(Path(path))
    keys = _damaged.pop(path, [])
    _damaged.clear()
    if problem is not None:
        return tr_message(CANNOT_USE(path=path, reason=problem))
    names = ", ".join(f"'{key}'" for key in keys)
    if keys:
        return tr_message((DAMAGED_ONE if len(keys) == 1 else DAMAGED_MANY)(keys=names, path=path))
    return ""


def set_value(key: str, data: Any) -> None:
    """Store a value (written to disk at once)."""
    store = settings()
    store.setValue(key, data)
    store.sync()


def set_values(values: dict[str, Any]) -> None:
    """Store several values with one write."""
    store = settings()
    for key, data in values.items():
        store.setValue(key, data)
    store.sync()


def recent_files() -> list[str]:
    """Recent scenario files, newest first."""
    return list(value(RECENT))


def add_recent_file(path: str) -> list[str]:
    """Put ``path`` first in the recent files (at most `MAX_RECENT`); returns the new list."""
    files = [path] + [p for p in recent_files() if p != path]
    files = files[:MAX_RECENT]
    set_values({RECENT: files, LAST_SCENARIO: path})
    return files
