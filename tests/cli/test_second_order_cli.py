"""Newton and L-BFGS on the command line (issue #16 item 4): `optilab trajectory` runs them, `optilab train` refuses."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import numpy as np


def optilab(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "optilab", *args], capture_output=True, text=True, timeout=120)


def test_newton_on_the_saddle_lands_on_it_and_notes_the_indefinite_hessian():
    r = optilab("trajectory", "--surface", "saddle", "--optimizer", "newton", "--steps", "3")
    assert r.returncode == 0, r.stderr
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert [(float(row["x"]), float(row["y"])) for row in rows] == [(-1.5, 1e-3), (0.0, 0.0), (0.0, 0.0), (0.0, 0.0)]
    lines = r.stderr.splitlines()
    assert len(lines) == 1 and "indefinite (eigenvalue -2 < 0)" in lines[0] and "3 of 3 steps" in lines[0]


def test_damped_newton_and_lbfgs_take_their_settings_and_reach_rosenbrocks_minimum():
    r = optilab("trajectory", "--surface", "rosenbrock", "--optimizer", "lbfgs:history=5",
                "--optimizer", "newton:damping=0,lr=1", "--steps", "60", "--format", "json")
    assert r.returncode == 0, r.stderr
    lbfgs, newton = json.loads(r.stdout)["runs"]
    assert lbfgs["hparams"] == {"lr": 1.0, "history": 5} and newton["hparams"] == {"lr": 1.0, "damping": 0.0}
    for run in (lbfgs, newton):
        last = run["points"][-1]
        np.testing.assert_allclose([last["x"], last["y"]], [1.0, 1.0], atol=1e-8)


def test_a_method_that_reads_f_is_refused_on_a_sampled_surface_with_exit_2():
    r = optilab("trajectory", "--surface", "least-squares", "--batch-size", "10", "--optimizer", "lbfgs")
    assert r.returncode == 2 and r.stdout == ""
    assert len(r.stderr.splitlines()) == 1 and "samples a minibatch gradient" in r.stderr
    # The same surface with every point (GD) is exact: Newton solves it in one step.
    r = optilab("trajectory", "--surface", "least-squares", "--batch-size", "100", "--optimizer", "newton",
                "--steps", "1")
    assert r.returncode == 0, r.stderr


def test_batch_size_is_for_least_squares_only():
    r = optilab("trajectory", "--surface", "bowl", "--batch-size", "10", "--optimizer", "sgd")
    assert r.returncode == 2 and len(r.stderr.splitlines()) == 1 and "least-squares only" in r.stderr


def test_the_help_names_the_second_order_methods_and_their_settings():
    r = optilab("trajectory", "--help")
    assert r.returncode == 0
    for word in ("newton", "lbfgs", "damping", "history", "--batch-size", "strong-Wolfe"):
        assert word in r.stdout, word


def test_train_refuses_newton_in_one_line_before_loading_data():
    r = optilab("train", "--optimizer", "newton", "--epochs", "1")
    assert r.returncode == 2
    assert r.stderr.strip().splitlines() == [
        "optilab: error: --optimizer 'newton': newton needs the loss itself (∇f and the Hessian ∇²f) at any point, "
        "not only gradients: it runs on the 2-D loss surfaces (surface lab, optilab trajectory), not on a network"]
    assert "data:" not in r.stdout


def test_stability_refuses_newton_and_lbfgs_in_one_line():
    for name in ("newton", "lbfgs"):
        r = optilab("stability", "--surface", "bowl", "--optimizer", name, "--x", "lr:0.1:1", "--grid", "8",
                    "--steps", "10")
        assert r.returncode == 2 and r.stdout == ""
        assert len(r.stderr.strip().splitlines()) == 1 and "sweeps only the gradient methods" in r.stderr
