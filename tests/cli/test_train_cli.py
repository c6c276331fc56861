"""`optilab train` as a user runs it."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest


def optilab(*args: str, env=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "optilab", *args], capture_output=True, text=True,
                          timeout=300, env=env)


def test_list_presets_names_all_ten():
    r = optilab("train", "--list-presets")
    assert r.returncode == 0
    for name in ("optimizer-compare", "init-compare", "activation-histograms", "batchnorm-compare", "overfit",
                 "weight-decay", "dropout", "random-search", "gd-vs-sgd", "lr-schedules"):
        assert name in r.stdout


def test_quick_run_on_the_sample_writes_csv_and_json(tmp_path):
    csv_path, json_path = tmp_path / "loss.csv", tmp_path / "summary.json"
    r = optilab("train", "--sample", "--optimizer", "adam:lr=0.001", "--iterations", "30", "--batch-size", "50",
                "--hidden", "50,50", "--csv", str(csv_path), "--json", str(json_path), "--seed", "1")
    assert r.returncode == 0, r.stderr
    assert "bundled sample" in r.stderr
    assert "it/s" in r.stderr and "ETA" in r.stderr
    assert "final loss" in r.stdout and "test acc" in r.stdout
    rows = list(csv.DictReader(io.StringIO(csv_path.read_text())))
    assert [int(row["iteration"]) for row in rows] == list(range(31))
    doc = json.loads(json_path.read_text())
    run = doc["runs"][0]
    assert run["config"]["optimizer"] == "adam" and run["config"]["hidden"] == [50, 50]
    assert run["iterations"] == 30 and run["status"] == "finished"
    assert float(rows[-1]["test_acc"]) == pytest.approx(run["test_acc"])


def test_preset_quick_runs_and_overlays_runs(tmp_path):
    csv_path = tmp_path / "loss.csv"
    r = optilab("train", "--preset", "init-compare", "--iterations", "30", "--sample", "--csv", str(csv_path))
    assert r.returncode == 0, r.stderr
    runs = {row["run"] for row in csv.DictReader(io.StringIO(csv_path.read_text()))}
    assert runs == {"std 0.01", "Xavier", "He"}


def test_batchnorm_preset_divergence_without_bn_is_a_result_not_an_error():
    # No BN at weight std 1 blows up within 5 iterations: the lesson's result (exit 0, said as such).
    r = optilab("train", "--preset", "batchnorm-compare", "--epochs", "0.5", "--sample", "--quiet")
    assert r.returncode == 0, r.stderr
    line = next(x for x in r.stdout.splitlines() if x.startswith("no BN std=1:"))
    assert "diverged: without batch norm weights this large blow up (the expected result) at iteration" in line
    assert "try a smaller learning rate" not in r.stderr and "Traceback" not in r.stderr


def test_divergence_exits_3_with_one_clear_line():
    r = optilab("train", "--sample", "--optimizer", "sgd:lr=100000", "--iterations", "50", "--quiet")
    assert r.returncode == 3
    assert "diverged at iteration" in r.stderr and "Traceback" not in r.stderr


@pytest.mark.parametrize(
    "args,fragment",
    [
        (["--optimizer", "adamx"], "choose one of"),
        (["--optimizer", "sgd:lr=0"], "lr must be"),
        (["--hidden", "100,x"], "--hidden"),
        (["--init", "glorot"], "--init"),
        (["--dropout", "1.5"], "dropout"),
        (["--batch-size", "0"], "--batch-size"),
        (["--iterations", "10", "--epochs", "2"], "not allowed with"),
        (["--preset", "nope"], "choose one of"),
        (["--schedule", "linear"], "schedule"),
        (["--data-dir", "/nonexistent/mnist"], "/nonexistent/mnist"),
        (["--activation", "softsign"], "invalid choice"),
        (["--seeds", "0"], "--seeds must be a whole number in [1, 50], got 0"),
        (["--seeds", "51"], "--seeds must be"),
        (["--seeds", "two"], "--seeds must be"),
        (["--jobs", "0"], "--jobs must be a whole number in [1, 64], got 0"),
        (["--jobs", "1.5"], "--jobs must be"),
        (["--seed", str(2**63 - 1), "--seeds", "2"], "seed must be"),
    ],
)
def test_bad_options_exit_2_with_one_line(args, fragment):
    r = optilab("train", "--sample", *args) if "--data-dir" not in args else optilab("train", *args)
    assert r.returncode == 2, r.stderr
    lines = [ln for ln in r.stderr.strip().splitlines() if ln.strip()]
    assert len(lines) == 1, r.stderr
    assert fragment in lines[0]
    assert "Traceback" not in r.stderr


def test_corrupt_data_folder_gives_one_line(tmp_path):
    for name in ("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
                 "t10k-labels-idx1-ubyte"):
        (tmp_path / name).write_bytes(b"\x00\x00\x08\x03garbage")
    r = optilab("train", "--data-dir", str(tmp_path))
    assert r.returncode == 2
    assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr


@pytest.mark.parametrize("args,line", [
    (["--dropout", "2"], "optilab: error: --dropout must be a number in [0, 0.95], got 2"),
    (["--batch-size", "1e6"], "optilab: error: --batch-size must be a whole number in [1, 100000], got 1e6"),
    (["--hidden", "10,0"], "optilab: error: --hidden must be 1 to 20 layer sizes between 1 and 4096, got [10, 0]"),
    (["--val-fraction", "0.95"], "optilab: error: --val-fraction must be a number in [0, 0.9], got 0.95"),
])
def test_a_setting_out_of_its_declared_range_is_one_line_naming_the_option(capsys, args, line):
    from optilab.cli import main

    assert main(["train", "--sample", "--quiet", *args]) == 2
    err = capsys.readouterr().err
    assert err.splitlines() == [line]


def test_seeds_and_jobs_repeat_a_run_in_parallel_with_a_seed_column(tmp_path):
    out = tmp_path / "s.csv"
    r = optilab("train", "--sample", "--iterations", "10", "--train-size", "500", "--batch-size", "50",
                "--hidden", "8", "--seeds", "3", "--jobs", "2", "--quiet", "--csv", str(out),
                "--json", str(tmp_path / "s.json"))
    assert r.returncode == 0, r.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert sorted({(row["run"], row["seed"]) for row in rows}) == [("sgd", "0"), ("sgd", "1"), ("sgd", "2")]
    doc = json.loads((tmp_path / "s.json").read_text())
    assert [run["seed"] for run in doc["runs"]] == [0, 1, 2] and doc["seeds"][0]["final_loss"]["n"] == 3
    assert "sgd: over 3 seeds final loss" in r.stdout


def test_a_preset_over_seeds_says_for_how_many_its_claim_holds():
    r = optilab("train", "--sample", "--preset", "weight-decay", "--epochs", "2", "--seeds", "2", "--quiet")
    assert r.returncode == 0, r.stderr
    claim = [ln for ln in r.stdout.splitlines() if ln.startswith("claim ")]
    assert len(claim) == 1 and claim[0].endswith("of 2 seeds: weight decay shrinks the train–test gap"), r.stdout
