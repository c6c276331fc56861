"""Where optilab keeps its files on each system: settings, caches, data.

One place decides, through platformdirs (the choice of pip, black, jupyter
and napari), so students at home on Windows and macOS get their system's
folders while Linux users keep the folders optilab has always used:

- `config_dir` (the settings file): ``$XDG_CONFIG_HOME/optilab`` (default
  ``~/.config/optilab``) on Linux, ``~/Library/Application Support/optilab`` on
  macOS, ``%LOCALAPPDATA%\\optilab`` on Windows;
- `cache_dir` (the MNIST download and its fast copies): ``$XDG_CACHE_HOME/optilab``
  (default ``~/.cache/optilab``) on Linux, ``~/Library/Caches/optilab`` on macOS,
  ``%LOCALAPPDATA%\\optilab\\Cache`` on Windows;
- `data_dir`: ``$XDG_DATA_HOME/optilab`` (default ``~/.local/share/optilab``) on
  Linux, ``~/Library/Application Support/optilab`` on macOS,
  ``%LOCALAPPDATA%\\optilab`` on Windows.

An ``XDG_*`` variable counts only when it holds an absolute path (the XDG
Base Directory rule, as before; tests redirect the folders with it); macOS
honours them too (platformdirs does).  Nothing is created here.
"""

from __future__ import annotations

from pathlib import Path

import platformdirs

__all__ = ["APP_NAME", "cache_dir", "config_dir", "data_dir"]

#: The folder name under each system base.
APP_NAME = "optilab"


def _dirs() -> platformdirs.api.PlatformDirsABC:
    """This system's folders for optilab (looked up at call time, so the environment may change)."""
    return platformdirs.PlatformDirs(APP_NAME, appauthor=False)


def config_dir() -> Path:
    """The folder of optilab's settings file (``optilab.conf``)."""
    return Path(_dirs().user_config_dir)


def cache_dir() -> Path:
    """The folder of what optilab can fetch or rebuild (the MNIST download and its fast copies)."""
    return Path(_dirs().user_cache_dir)


def data_dir() -> Path:
    """The folder of optilab's own data files; on Linux its parent is the XDG data home."""
    return Path(_dirs().user_data_dir)
