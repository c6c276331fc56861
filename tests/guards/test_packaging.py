"""The release artefacts work (issue #13 item 10): wheel and sdist build, and the wheel,
installed into a fresh virtual environment, runs ``optilab --version`` and a short
``optilab train`` on the bundled sample.

Cache-friendly: ``python -m build`` and ``pip`` read the same index and cache as the
README's set-up, so the whole module takes well under a minute when the dependencies
are already in pip's cache or local index.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

import optilab

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "optilab"

pytestmark = pytest.mark.slow


def _run(cmd: list[str], what: str, timeout: float, cwd: Path | None = None,
         env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``cmd``; on failure, fail with one line saying ``what`` broke, then the tool's output."""
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1", **(env or {})}
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env, cwd=cwd)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{what}: took longer than {timeout:.0f} s ({' '.join(cmd)})", pytrace=False)
    if r.returncode != 0:
        tail = (r.stdout + r.stderr).strip().splitlines()[-25:]
        pytest.fail(f"{what}: exit code {r.returncode} ({' '.join(cmd)})\n" + "\n".join(tail), pytrace=False)
    return r


@pytest.fixture(scope="module")
def dists(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Wheel and sdist built the way a release is (``python -m build``: sdist first, wheel from it)."""
    pytest.importorskip("build", reason="the 'build' package is not installed: pip install -e '.[test]'")
    # Built from a copy, so the test writes nothing into the working tree (egg-info, build/).
    src = tmp_path_factory.mktemp("src") / "optilab"
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns(
        ".git", ".venv", "venv", "__pycache__", "*.egg-info", "build", "dist", ".*_cache", ".hypothesis",
        "screenshots"))
    out = tmp_path_factory.mktemp("dist")
    _run([sys.executable, "-m", "build", "--outdir", str(out), str(src)],
         "packaging: 'python -m build' could not build the sdist and wheel", timeout=300)
    wheels, sdists = list(out.glob("*.whl")), list(out.glob("*.tar.gz"))
    assert len(wheels) == 1 and len(sdists) == 1, f"packaging: expected one wheel and one sdist, got {os.listdir(out)}"
    return {"wheel": wheels[0], "sdist": sdists[0]}


def _expected_data_files() -> list[str]:
    """Files besides Python sources that the installed app reads: sample, fonts, licences, catalogs."""
    wanted = ["optilab/data/sample/t10k-images-idx3-ubyte.gz", "optilab/data/sample/t10k-labels-idx1-ubyte.gz",
              "optilab/assets/NotoSans-Regular.ttf", "optilab/assets/NotoSans-Bold.ttf",
              "optilab/assets/NotoSans-OFL.txt"]
    locale = PACKAGE / "locale"
    if locale.is_dir():
        wanted += sorted(p.relative_to(ROOT).as_posix() for p in locale.rglob("*") if p.suffix in (".po", ".mo"))
    return wanted


def test_wheel_holds_the_data_the_app_reads_and_no_tests(dists: dict[str, Path]) -> None:
    names = set(zipfile.ZipFile(dists["wheel"]).namelist())
    missing = [f for f in _expected_data_files() if f not in names]
    assert not missing, f"packaging: the wheel lacks {missing}; list them under [tool.setuptools.package-data]"
    locale = PACKAGE / "locale"
    languages = sorted(p.name for p in locale.iterdir() if p.is_dir()) if locale.is_dir() else []
    for lang in languages:
        for suffix in (".po", ".mo"):
            assert any(n.startswith(f"optilab/locale/{lang}/") and n.endswith(suffix) for n in names), (
                f"packaging: the wheel has no {suffix} catalog for '{lang}' (optilab/locale/{lang}/LC_MESSAGES/)")
    tests = sorted(n for n in names if n.startswith(("tests/", "optilab/tests/")) or "/conftest.py" in n)
    assert not tests, f"packaging: the wheel ships test files {tests[:5]}; keep them out of [tool.setuptools.packages]"
    version = f"optilab-{optilab.__version__}.dist-info/METADATA"
    assert version in names, f"packaging: the wheel is not version {optilab.__version__} (no {version})"


def test_sdist_holds_the_sources_and_data(dists: dict[str, Path]) -> None:
    with tarfile.open(dists["sdist"]) as tar:
        names = {n.split("/", 1)[1] for n in tar.getnames() if "/" in n}
    sources = sorted(p.relative_to(ROOT).as_posix() for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)
    missing = [f for f in [*sources, *_expected_data_files(), "pyproject.toml", "README.md"] if f not in names]
    assert not missing, f"packaging: the sdist lacks {missing[:8]}"


def test_wheel_installed_in_a_fresh_venv_runs_version_and_a_short_training(
        dists: dict[str, Path], tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", str(venv)], "packaging: could not create a fresh virtual environment", 120)
    bindir = venv / ("Scripts" if os.name == "nt" else "bin")
    _run([str(bindir / "python"), "-m", "pip", "install", "--quiet", str(dists["wheel"])],
         "packaging: 'pip install' of the wheel (and its dependencies) failed in a fresh venv", 600)
    exe = str(bindir / "optilab")
    out = tmp_path / "run"
    out.mkdir()
    # a user's own folders stay untouched: the run's cache and settings go to the test's folder
    home = {"XDG_CACHE_HOME": str(tmp_path / "cache"), "XDG_CONFIG_HOME": str(tmp_path / "config"),
            "XDG_DATA_HOME": str(tmp_path / "share")}
    r = _run([exe, "--version"], "packaging: the installed 'optilab --version' failed", 60, cwd=out, env=home)
    assert r.stdout.strip() == f"optilab {optilab.__version__}", (
        f"packaging: 'optilab --version' printed {r.stdout.strip()!r}, not 'optilab {optilab.__version__}'")
    _run([exe, "train", "--sample", "--iterations", "20", "--train-size", "500", "--batch-size", "50",
          "--quiet", "--json", "run.json", "--csv", "run.csv"],
         "packaging: the installed 'optilab train' on the bundled sample failed", 120, cwd=out, env=home)
    summary = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert summary, "packaging: 'optilab train --json' wrote an empty summary"
    rows = (out / "run.csv").read_text(encoding="utf-8").splitlines()
    assert rows[0].startswith("run,seed,iteration,epoch,loss"), f"packaging: unexpected CSV header {rows[0]!r}"
    losses = [row.split(",")[4] for row in rows[1:] if row.split(",")[4]]
    assert len(losses) == 20, f"packaging: 20 iterations should log 20 losses, the CSV has {len(losses)}"
