"""`optilab install-desktop` writes to (and cleans) a temporary XDG home."""

from __future__ import annotations

import configparser
import os
import subprocess
import sys


def run(*args, home):
    env = dict(os.environ, XDG_DATA_HOME=str(home))
    return subprocess.run([sys.executable, "-m", "optilab", "install-desktop", *args], capture_output=True,
                          text=True, env=env, timeout=60)


def test_install_and_uninstall(tmp_path):
    r = run(home=tmp_path)
    assert r.returncode == 0, r.stderr
    entry = tmp_path / "applications" / "optilab.desktop"
    svg = tmp_path / "icons" / "hicolor" / "scalable" / "apps" / "optilab.svg"
    png = tmp_path / "icons" / "hicolor" / "256x256" / "apps" / "optilab.png"
    for p in (entry, svg, png):
        assert p.is_file(), p
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert b"<svg" in svg.read_bytes()
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str
    parser.read(entry, encoding="utf-8")
    d = parser["Desktop Entry"]
    assert d["Type"] == "Application" and d["Icon"] == "optilab" and d["Name"] == "optilab"
    assert "optilab" in d["Exec"]
    r = run("--uninstall", home=tmp_path)
    assert r.returncode == 0
    assert not entry.exists() and not svg.exists() and not png.exists()
    assert "nothing to remove" in run("--uninstall", home=tmp_path).stdout


def test_unwritable_home_gives_one_line(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    r = run(home=blocker)
    assert r.returncode == 2
    assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr
