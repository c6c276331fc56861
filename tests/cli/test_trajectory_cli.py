"""`optilab trajectory` as a user runs it: a subprocess."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import numpy as np
import pytest


def optilab(*args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "optilab", *args], capture_output=True, text=True,
                          timeout=120, cwd=cwd)


def test_book_figure_equals_closed_form():
    r = optilab("trajectory", "--surface", "bowl", "--optimizer", "sgd:lr=0.95", "--start", "-7", "2",
                "--steps", "30")
    assert r.returncode == 0, r.stderr
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert r.stdout.splitlines()[0] == "optimizer,step,x,y,loss"
    assert [int(row["step"]) for row in rows] == list(range(31))
    k = np.arange(31)
    np.testing.assert_allclose([float(row["x"]) for row in rows], -7 * 0.905**k, rtol=0, atol=1e-12)
    np.testing.assert_allclose([float(row["y"]) for row in rows], 2 * (-0.9) ** k, rtol=0, atol=1e-12)


def test_defaults_use_the_surface_start_and_30_steps():
    r = optilab("trajectory", "--surface", "rosenbrock", "--optimizer", "adam")
    assert r.returncode == 0, r.stderr
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert len(rows) == 31
    assert (float(rows[0]["x"]), float(rows[0]["y"])) == (-1.5, 2.0)


def test_several_optimizers_and_json_with_divergence(tmp_path):
    out = tmp_path / "run.json"
    r = optilab("trajectory", "--surface", "x**2/20 + y**2", "--optimizer", "sgd:lr=100",
                "--optimizer", "momentum:lr=0.1,momentum=0.8", "--format", "json", "-o", str(out))
    assert r.returncode == 0, r.stderr
    doc = json.loads(out.read_text())
    assert [run["status"] for run in doc["runs"]] == ["diverged", "ok"]
    assert doc["runs"][0]["diverged_at"] == 2
    assert doc["runs"][1]["hparams"]["momentum"] == 0.8


@pytest.mark.parametrize(
    "args,fragment",
    [
        (["--surface", "nowhere", "--optimizer", "sgd"], "unknown"),
        (["--surface", "bowl", "--optimizer", "sgdx"], "choose one of"),
        (["--surface", "bowl", "--optimizer", "sgd:lr=abc"], "lr"),
        (["--surface", "bowl", "--optimizer", "sgd:lr=-1"], "lr must be"),
        (["--surface", "bowl", "--optimizer", "adam:beta1=1.5"], "beta1"),
        (["--surface", "bowl", "--optimizer", "sgd", "--steps", "ten"], "--steps"),
        (["--surface", "bowl", "--optimizer", "sgd", "--steps", "-3"], "--steps"),
        (["--surface", "bowl", "--optimizer", "sgd", "--start", "1", "x"], "--start"),
        (["--surface", "bowl", "--optimizer", "sgd", "--start", "nan", "0"], "--start"),
        (["--surface", "__import__('os').system('echo hi')", "--optimizer", "sgd"], "formula"),
        (["--surface", "x +* y", "--optimizer", "sgd"], "formula"),
        (["--surface", "bowl", "--optimizer", "sgd", "-o", "/nonexistent-dir/out.csv"], "no such folder"),
        (["--surface", "bowl", "--optimizer", "sgd", "--format", "xml"], "invalid choice"),
        (["--surface", "bowl"], "--optimizer"),
    ],
)
def test_bad_input_exits_2_with_one_line(args, fragment):
    r = optilab("trajectory", *args)
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert fragment in lines[0]
    assert "Traceback" not in r.stderr
    assert r.stdout == ""


def test_unwritable_output_leaves_no_partial_file(tmp_path):
    # The target is an existing folder: the rename fails even for root.
    target = tmp_path / "taken"
    target.mkdir()
    r = optilab("trajectory", "--surface", "bowl", "--optimizer", "sgd", "-o", str(target))
    assert r.returncode == 2
    assert "not a regular file (a folder)" in r.stderr and "Traceback" not in r.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken"]
    assert list(target.iterdir()) == []


def test_version_and_help_are_plain_words():
    r = optilab("--version")
    assert r.returncode == 0 and r.stdout.startswith("optilab ")
    r = optilab("--help")
    assert r.returncode == 0 and "trajectory" in r.stdout and "train" in r.stdout and "mnist" in r.stdout
    r = optilab("trajectory", "--help")
    assert r.returncode == 0 and "optimizer,step,x,y,loss" in r.stdout


def test_the_formats_are_the_export_registry_s_and_write_what_the_app_writes(tmp_path):
    """One export stack (#13 item 6): ``--format`` offers the registry's trajectory formats, and a
    format written by the CLI is the file the app's exporter writes for the same runs."""
    from optilab import exporters, surfaces, trajectory

    formats = exporters.by_format("surface")
    assert set(formats) == {"csv", "json"}
    assert "--format {" + ",".join(formats) + "}" in optilab("trajectory", "--help").stdout
    r = optilab("trajectory", "--surface", "bowl", "--optimizer", "sgd:lr=0.95", "--start", "-7", "2",
                "--steps", "3", "--format", "json")
    assert r.returncode == 0, r.stderr
    bowl = surfaces.get("bowl")
    runs = exporters.Trajectories([trajectory.run(bowl, "sgd", {"lr": 0.95}, start=(-7.0, 2.0), steps=3)], bowl)
    written = formats["json"](runs, tmp_path / "app.json")
    assert json.loads(written.read_text(encoding="utf-8")) == json.loads(r.stdout)
