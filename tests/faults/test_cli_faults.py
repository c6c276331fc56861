"""Fault injection on the command line: memory limits, impossible settings, bad
output paths, starts where f is undefined.  Each case runs ``python -m optilab``
in a subprocess (with a timeout) and asserts the documented exit code, one line
on stderr and no traceback."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX limits, FIFOs")

GIB = 2**30
#: A run that never finishes in time: the bad path must be refused before it starts.
ENDLESS = ("train", "--sample", "--hidden", "20", "--iterations", "100000000", "--quiet")


def optilab(*args: str, limit_as: int | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    """``optilab ARGS`` in a subprocess, optionally under RLIMIT_AS = ``limit_as`` bytes."""

    def limit() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (limit_as, limit_as))

    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
    return subprocess.run([sys.executable, "-m", "optilab", *args], capture_output=True, text=True, env=env,
                          timeout=timeout, preexec_fn=limit if limit_as else None)


def one_error_line(r: subprocess.CompletedProcess, code: int = 2) -> str:
    """The single stderr line of a run that failed with ``code``."""
    assert "Traceback" not in r.stderr, r.stderr
    assert r.returncode == code, r.stderr
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, r.stderr
    return lines[0]


# -- memory (issue #12, item 6) ---------------------------------------------------

def test_a_run_too_big_for_rlimit_as_is_refused_before_it_starts():
    r = optilab("train", "--sample", "--hidden", "4096,4096,4096,4096", "--optimizer", "adam",
                "--batch-size", "100000", "--quiet", limit_as=3 * GIB // 2)
    line = one_error_line(r)
    assert "this run needs about" in line and "GB of memory but only" in line and "is available" in line
    assert "smaller batch" in line


def address_space_after_import() -> int:
    """Bytes of address space a fresh ``optilab trajectory`` process holds before its work."""
    code = ("import optilab.cli, optilab.cli.trajectory, optilab.trajectory, optilab.surfaces; "
            "print(open('/proc/self/status').read().split('VmSize:')[1].split()[0])")
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=30)
    return int(out.stdout) * 1024


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="needs /proc")
def test_a_memory_error_during_a_cli_command_is_one_line():
    # A million trajectory steps take about 1 GB of Python floats; 80 MB more than the
    # start-up address space is used up after a tenth of them.
    limit = address_space_after_import() + 80 * 2**20
    r = optilab("trajectory", "--surface", "bowl", "--optimizer", "adam", "--steps", "1000000", limit_as=limit)
    assert "ran out of memory" in one_error_line(r)


# -- impossible settings (items 10, 11) ----------------------------------------------

@pytest.mark.parametrize("args", [
    ("--train-size", "1", "--val-fraction", "0.9"),
    ("--train-size", "2", "--val-fraction", "0.9"),
])
def test_a_validation_split_that_leaves_nothing_to_train_on(args):
    r = optilab("train", "--sample", *args, "--quiet")
    line = one_error_line(r)
    assert "leaves none to train on" in line and "val_fraction" in line


# -- output paths checked before the work (item 12) ----------------------------------

@pytest.mark.parametrize("option", ["--csv", "--json"])
def test_an_output_in_a_missing_folder_is_refused_before_training(tmp_path, option):
    target = tmp_path / "missing" / "out.txt"
    r = optilab(*ENDLESS, option, str(target), timeout=30)
    assert "no such folder" in one_error_line(r)
    assert list(tmp_path.iterdir()) == []


def test_a_good_csv_and_a_bad_json_write_nothing(tmp_path):
    good, bad = tmp_path / "loss.csv", tmp_path / "nowhere" / "summary.json"
    r = optilab(*ENDLESS, "--csv", str(good), "--json", str(bad), timeout=30)
    assert str(tmp_path / "nowhere") in one_error_line(r)
    assert not good.exists()


@pytest.mark.parametrize("kind", ["folder", "fifo"])
def test_a_non_regular_output_is_refused_before_training_and_left_alone(tmp_path, kind):
    target = tmp_path / "out"
    target.mkdir() if kind == "folder" else os.mkfifo(target)
    r = optilab(*ENDLESS, "--csv", str(target), timeout=30)
    assert "not a regular file" in one_error_line(r)
    assert target.is_dir() if kind == "folder" else target.is_fifo()


def test_a_trajectory_output_in_a_missing_folder_is_refused_before_the_steps(tmp_path):
    target = tmp_path / "missing" / "run.csv"
    # Four million steps take far longer than the timeout: -o must be checked first.
    r = optilab("trajectory", "--surface", "bowl", *["--optimizer", "sgd"] * 4, "--steps", "1000000",
                "-o", str(target), timeout=20)
    assert "no such folder" in one_error_line(r)
    assert r.stdout == "" and list(tmp_path.iterdir()) == []


# -- starts where f is undefined (item 15) ---------------------------------------------

@pytest.mark.parametrize("formula,loss", [("x**1e308", "inf"), ("1/(x-x)", "inf"), ("sqrt(-1-x**2)", "nan")])
def test_a_start_where_f_is_not_finite_keeps_step_0_and_says_so(formula, loss):
    r = optilab("trajectory", "--surface", formula, "--optimizer", "sgd", "--optimizer", "adam",
                "--start", "2", "1")
    line = one_error_line(r, code=3)
    assert "not finite at the start (2, 1)" in line and "sgd, adam" in line
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert [(row["optimizer"], row["step"], row["x"], row["y"], row["loss"]) for row in rows] == [
        ("sgd", "0", "2.0", "1.0", loss), ("adam", "0", "2.0", "1.0", loss)]


def test_an_undefined_start_in_json_is_valid_json_with_a_null_loss(tmp_path):
    out = tmp_path / "run.json"
    r = optilab("trajectory", "--surface", "sqrt(-1-x**2)", "--optimizer", "momentum", "--format", "json",
                "-o", str(out))
    assert "not finite at the start" in one_error_line(r, code=3)
    run = json.loads(out.read_text())["runs"][0]
    assert run["status"] == "diverged" and run["diverged_at"] == 0
    assert run["points"] == [{"step": 0, "x": run["start"][0], "y": run["start"][1], "loss": None}]


def test_a_start_far_outside_the_surface_is_reported():
    r = optilab("trajectory", "--surface", "bowl", "--optimizer", "sgd", "--start", "1e9", "0")
    assert "too far outside the surface" in one_error_line(r, code=3)
    assert r.stdout.splitlines()[1].startswith("sgd,0,1000000000.0,0.0,")
