"""`optilab train --table FILE|california-housing --target COLUMN [--task ...]` as a user runs it."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import numpy as np
import pytest


def optilab(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "optilab", *args], capture_output=True, text=True, timeout=300)


@pytest.fixture
def price_csv(tmp_path):
    """price = 3 rooms − age/10 + noise: a regression table of 300 rows."""
    rng = np.random.default_rng(0)
    rooms, age = rng.uniform(1, 8, 300), rng.uniform(0, 50, 300)
    price = 3 * rooms - age / 10 + 0.2 * rng.normal(size=300)
    path = tmp_path / "houses.csv"
    path.write_text("rooms,age,price\n" + "".join(f"{r:.4f},{a:.2f},{p:.4f}\n" for r, a, p in
                                                  zip(rooms, age, price, strict=True)))
    return path


def test_a_csv_trains_a_regression_and_reports_rmse_and_r2(price_csv, tmp_path):
    out_json, out_csv = tmp_path / "s.json", tmp_path / "l.csv"
    r = optilab("train", "--table", str(price_csv), "--target", "price", "--optimizer", "adam:lr=0.01",
                "--epochs", "40", "--hidden", "16", "--batch-size", "32", "--json", str(out_json),
                "--csv", str(out_csv), "--quiet")
    assert r.returncode == 0, r.stderr
    assert "houses.csv (300 rows, target price, regression)" in r.stderr
    assert "test RMSE" in r.stdout and "R²" in r.stdout and "test acc" not in r.stdout
    run = json.loads(out_json.read_text())["runs"][0]
    assert run["task"] == "regression" and (run["n_train"], run["n_val"], run["n_test"]) == (210, 45, 45)
    rows = list(csv.DictReader(io.StringIO(out_csv.read_text())))
    last = [row for row in rows if row["test_rmse"]][-1]
    assert float(last["test_rmse"]) == pytest.approx(run["rmse"]) and float(last["test_r2"]) == pytest.approx(run["r2"])
    # the target spans sd ≈ 6.3; noise sd 0.2: a fitted net explains nearly all of it
    assert run["r2"] > 0.95 and run["rmse"] < 1.0


def test_a_class_column_trains_with_softmax(tmp_path):
    rng = np.random.default_rng(1)
    x = rng.normal(size=(400, 2))
    path = tmp_path / "c.csv"
    path.write_text("u,v,side\n" + "".join(f"{a:.3f},{b:.3f},{'left' if a < 0 else 'right'}\n" for a, b in x))
    out = tmp_path / "s.json"
    r = optilab("train", "--table", str(path), "--target", "side", "--optimizer", "adam", "--iterations", "400",
                "--hidden", "8", "--batch-size", "20", "--json", str(out), "--quiet")
    assert r.returncode == 0, r.stderr
    assert "classification" in r.stderr and "test acc" in r.stdout
    run = json.loads(out.read_text())["runs"][0]
    assert "rmse" not in run and run["test_acc"] > 0.9


@pytest.mark.parametrize(("args", "expected"), [
    (["--target", "price"], "--target needs --table"),
    (["--task", "regression"], "--task needs --table"),
    (["--table", "california-housing", "--sample"], "--table cannot be combined with --data-dir or --sample"),
    (["--table", "california-housing", "--preset", "overfit"], "preset 'overfit' trains on MNIST, not on a table"),
    (["--table", "california-housing", "--target", "Price"], "no column 'Price'; the columns are MedInc"),
    (["--table", "nowhere.csv", "--target", "y"], "nowhere.csv: no such file"),
    (["--table", "california-housing", "--task", "ordinal"], "invalid choice: 'ordinal'"),
])
def test_bad_table_options_exit_2_with_one_line(args, expected):
    r = optilab("train", *args, "--iterations", "1")
    assert r.returncode == 2
    assert expected in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_a_bad_csv_is_one_line_naming_row_and_column(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("a,b,y\n" + "1,2,3\n" * 5 + "1,oops,3\n" + "1,2,3\n" * 6)
    r = optilab("train", "--table", str(path), "--target", "y", "--iterations", "1")
    assert r.returncode == 2
    assert "bad.csv: row 7, column 'b': 'oops' is not a number" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_preset_housing_trains_on_the_bundled_table(tmp_path):
    out = tmp_path / "h.json"
    r = optilab("train", "--preset", "housing", "--epochs", "3", "--json", str(out), "--quiet", "--jobs", "1")
    assert r.returncode == 0, r.stderr
    assert "bundled California housing" in r.stderr
    doc = json.loads(out.read_text())
    assert doc["preset"] == "housing"
    assert [run["run"] for run in doc["runs"]] == ["Adam", "Adam + plateau", "SGD η=0.001", "SGD η=0.01",
                                                   "momentum η=0.01", "momentum η=0.1"]
    assert all(run["n_train"] == 14_448 and run["n_test"] == 3_096 for run in doc["runs"])
    assert all("rmse" in run and "r2" in run for run in doc["runs"])
    assert "diverged, as it should" in r.stdout


def test_list_presets_names_housing():
    r = optilab("train", "--list-presets")
    assert r.returncode == 0 and "housing" in r.stdout


def test_seeds_of_a_regression_report_the_spread_of_test_r2(price_csv, tmp_path):
    out = tmp_path / "s.json"
    r = optilab("train", "--table", str(price_csv), "--target", "price", "--optimizer", "adam:lr=0.01",
                "--epochs", "5", "--hidden", "8", "--batch-size", "32", "--seeds", "2", "--jobs", "1",
                "--json", str(out), "--quiet")
    assert r.returncode == 0, r.stderr
    r2 = [run["r2"] for run in json.loads(out.read_text())["runs"]]
    mean, sd = sum(r2) / 2, abs(r2[0] - r2[1]) / 2 ** 0.5       # sample sd of two values
    assert "over 2 seeds final loss" in r.stdout and f"test R² {mean:.4f} ± {sd:.4f}" in r.stdout


def test_the_landscape_of_the_housing_preset_is_refused_in_one_line(tmp_path):
    r = optilab("landscape", "--preset", "housing", "--epochs", "1", "-o", str(tmp_path / "l.json"))
    assert r.returncode == 2
    assert "preset 'housing' is a regression on a table" in r.stderr and len(r.stderr.strip().splitlines()) == 1
