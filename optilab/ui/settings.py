"""What the app remembers between sessions, in `QSettings("optilab", "optilab")`.

Keys (strings, so the training lab can share them):

====================  ==============================================
``window/geometry``   `QMainWindow.saveGeometry()`
``window/state``      `QMainWindow.saveState()` (docks, toolbars)
``ui/language``       "en" or "ko"
``ui/theme``          "light" or "dark"
``ui/palette``        "colour-blind" or "high-contrast"
``ui/scale``          presentation scale factor (float)
``scenario/recent``   recent scenario files, newest first (≤ 8)
``scenario/last``     the scenario last opened or saved
``data/last_folder``  the folder data (MNIST) was last read from
====================  ==============================================

On Linux the file is ``$XDG_CONFIG_HOME/optilab/optilab.conf``; tests point
it at a temporary directory with `QSettings.setPath`.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSettings

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


def settings() -> QSettings:
    """optilab's settings store."""
    return QSettings("optilab", "optilab")


def value(key: str, default: Any = None, kind: type | None = None) -> Any:
    """A stored value (``default`` when absent or of the wrong kind)."""
    raw = settings().value(key, default)
    if raw is None:
        return default
    if kind is None:
        return raw
    try:
        return kind(raw)
    except (TypeError, ValueError):
        return default


def set_value(key: str, data: Any) -> None:
    """Store a value (written to disk at once)."""
    store = settings()
    store.setValue(key, data)
    store.sync()


def recent_files() -> list[str]:
    """Recent scenario files, newest first."""
    raw = settings().value(RECENT, [])
    if isinstance(raw, str):
        raw = [raw] if raw else []
    return [str(p) for p in (raw or [])][:MAX_RECENT]


def add_recent_file(path: str) -> list[str]:
    """Put ``path`` first in the recent files (at most `MAX_RECENT`); returns the new list."""
    files = [path] + [p for p in recent_files() if p != path]
    files = files[:MAX_RECENT]
    set_value(RECENT, files)
    set_value(LAST_SCENARIO, path)
    return files
