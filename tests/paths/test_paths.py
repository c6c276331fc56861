"""Per-OS places (issue #13 item 9): Linux keeps its folders, Windows and macOS get platformdirs' ones.

The Linux expectations are typed from the code before `optilab.paths`:
ui/settings.py (Qt's ``$XDG_CONFIG_HOME`` or ``~/.config``, then
``optilab/optilab.conf``), data/sources.py (``$XDG_CACHE_HOME`` when absolute,
else ``~/.cache``, then ``optilab/mnist``) and desktop.py (``$XDG_DATA_HOME``
when absolute, else ``~/.local/share``).  Windows and macOS: what platformdirs
documents for ``appname="optilab", appauthor=False``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import platformdirs
import platformdirs.macos
import platformdirs.windows
import pytest

from optilab import desktop, paths
from optilab.data import sources

_XDG = ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME")


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    """A fake home with no XDG variables set."""
    monkeypatch.setenv("HOME", str(tmp_path))
    for var in _XDG:
        monkeypatch.delenv(var, raising=False)
    return tmp_path


@pytest.fixture
def on(monkeypatch):
    """Make platformdirs answer as on another system (its PlatformDirs class is picked at import)."""
    def use(cls: type) -> None:
        monkeypatch.setattr(platformdirs, "PlatformDirs", cls)
    return use


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Linux folders")
def test_linux_defaults_are_the_old_folders(home):
    assert paths.config_dir() == home / ".config" / "optilab"
    assert paths.cache_dir() == home / ".cache" / "optilab"
    assert paths.data_dir() == home / ".local" / "share" / "optilab"
    assert sources.cache_dir() == home / ".cache" / "optilab" / "mnist"
    assert desktop.data_home() == home / ".local" / "share"
    assert desktop.targets()["desktop"] == home / ".local" / "share" / "applications" / "optilab.desktop"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Linux folders")
def test_linux_absolute_xdg_variables_win_as_before(home, tmp_path, monkeypatch):
    for var in _XDG:
        monkeypatch.setenv(var, str(tmp_path / var.lower()))
    assert paths.config_dir() == tmp_path / "xdg_config_home" / "optilab"
    assert paths.cache_dir() == tmp_path / "xdg_cache_home" / "optilab"
    assert sources.cache_dir() == tmp_path / "xdg_cache_home" / "optilab" / "mnist"
    assert desktop.data_home() == tmp_path / "xdg_data_home"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Linux folders")
def test_linux_relative_or_empty_xdg_variables_are_ignored_as_before(home, monkeypatch):
    for value in ("relative/dir", ""):
        for var in _XDG:
            monkeypatch.setenv(var, value)
        assert paths.config_dir() == home / ".config" / "optilab"
        assert sources.cache_dir() == home / ".cache" / "optilab" / "mnist"
        assert desktop.data_home() == home / ".local" / "share"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Qt's own Linux rule")
def test_linux_settings_file_is_where_qt_put_it(home, tmp_path, monkeypatch):
    """The old ui/settings.py asked Qt; ``config_dir()/optilab.conf`` (its new rule) is the same file,
    with and without XDG."""
    QSettings = pytest.importorskip("PySide6.QtCore").QSettings

    def qt_file() -> Path:
        probe = QSettings(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, "optilab.settings-probe", "probe")
        name = Path(probe.fileName())
        return name.parent.parent / "optilab" / ("optilab" + name.suffix)

    for value in (None, str(tmp_path / "cfg")):
        if value is None:
            monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
        else:
            monkeypatch.setenv("XDG_CONFIG_HOME", value)
        for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):   # Qt re-reads the variable
            QSettings.setPath(fmt, QSettings.Scope.UserScope, value or str(home / ".config"))
        assert paths.config_dir() / "optilab.conf" == qt_file()
        expected = Path(value) if value else home / ".config"
        assert qt_file() == expected / "optilab" / "optilab.conf"


def test_windows_folders_are_platformdirs_local_appdata(on, monkeypatch):
    local = "C:\\Users\\ana\\AppData\\Local"
    monkeypatch.setattr(platformdirs.windows, "get_win_folder",
                        lambda csidl: local if csidl == "CSIDL_LOCAL_APPDATA" else "C:\\Users\\ana\\AppData\\Roaming")
    on(platformdirs.windows.Windows)
    assert paths.config_dir() == Path(local) / "optilab"            # %LOCALAPPDATA%\optilab
    assert paths.data_dir() == Path(local) / "optilab"
    assert paths.cache_dir() == Path(local) / "optilab" / "Cache"   # %LOCALAPPDATA%\optilab\Cache
    assert sources.cache_dir() == Path(local) / "optilab" / "Cache" / "mnist"


def test_macos_folders_are_library(on, home):
    on(platformdirs.macos.MacOS)
    assert paths.config_dir() == home / "Library" / "Application Support" / "optilab"
    assert paths.data_dir() == home / "Library" / "Application Support" / "optilab"
    assert paths.cache_dir() == home / "Library" / "Caches" / "optilab"
    assert sources.cache_dir() == home / "Library" / "Caches" / "optilab" / "mnist"


def test_nothing_is_created(home):
    for folder in (paths.config_dir(), paths.cache_dir(), paths.data_dir(), sources.cache_dir()):
        assert not folder.exists()


def test_the_settings_file_is_in_config_dir_on_every_system(on, home):
    pytest.importorskip("PySide6")
    from optilab.ui import settings

    on(platformdirs.macos.MacOS)
    assert settings.settings_file() == home / "Library" / "Application Support" / "optilab" / "optilab.conf"
    store = settings.settings()          # an INI file there, not Qt's plist
    assert Path(store.fileName()) == settings.settings_file()
