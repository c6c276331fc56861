"""`optilab train` for CS231n lecture 7's lessons: --l1, --augment, and the presets' tables."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from optilab.cli import build_parser
from optilab.cli import train as train_cli
from optilab.cli.lesson_tables import format_table

ROOT = Path(__file__).resolve().parents[2]


def optilab(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "optilab", *args], capture_output=True, text=True,
                          timeout=300, env=env)


def test_l1_and_augment_options_reach_the_run():
    args = build_parser().parse_args(["train", "--sample", "--l1", "0.01", "--augment"])
    assert train_cli._overrides(args) == {"l1": 0.01, "augment": True}
    assert train_cli._overrides(build_parser().parse_args(["train", "--sample"])) == {}


def test_a_plain_run_with_l1_and_augmentation_writes_them_in_its_summary(tmp_path):
    out = tmp_path / "s.json"
    r = optilab("train", "--sample", "--quiet", "--l1", "0.001", "--augment", "--iterations", "5",
                "--train-size", "200", "--hidden", "20", "--json", str(out))
    assert r.returncode == 0, r.stderr
    config = json.loads(out.read_text())["runs"][0]["config"]
    assert config["l1"] == 0.001 and config["augment"] is True


def test_list_presets_shows_the_four_lessons():
    r = optilab("train", "--list-presets")
    for name in ("l1", "augmentation", "ensemble", "transfer"):
        assert any(line.split()[0] == name for line in r.stdout.splitlines()), name


def test_the_table_is_aligned_with_percentages_and_dashes():
    lines = format_table([{"run": "a", "frozen": 2, "pretrain_test_acc": None, "test_acc": 0.5},
                          {"run": "longer", "frozen": 0, "pretrain_test_acc": 0.98, "test_acc": 0.125}])
    assert lines[0].split() == ["run", "frozen", "pre-train", "acc", "test", "acc"]
    assert lines[1].split() == ["a", "2", "–", "50.0", "%"]
    assert lines[2].split() == ["longer", "0", "98.0", "%", "12.5", "%"]
    assert len({len(line) for line in lines}) == 1


@pytest.mark.slow
def test_the_transfer_preset_prints_its_table_and_claim(tmp_path):
    out = tmp_path / "t.json"
    r = optilab("train", "--preset", "transfer", "--sample", "--quiet", "--json", str(out))
    assert r.returncode == 0, r.stderr
    assert "from scratch" in r.stdout and "pre-train acc" in r.stdout
    assert "claim holds: pre-trained features beat random ones" in r.stdout
    rows = json.loads(out.read_text())["table"]
    assert [row["frozen"] for row in rows] == [1, 2, 4, 2, 0] and all(row["n_train"] == 50 for row in rows)
