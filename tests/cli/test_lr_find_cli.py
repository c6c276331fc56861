"""`optilab lr-find` as a user runs it: its CSV columns, JSON keys, stderr lines and bad options."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from optilab.cli import main

#: A small test: a 784-10-10 net, 40 steps from 1e-4 to 10 (well under a second).
SMALL = ["--sample", "--hidden", "10", "--train-size", "2000", "--start-lr", "1e-4", "--end-lr", "10",
         "--steps", "40", "--quiet"]


def _run(capsys, *args: str) -> tuple[int, str, str]:
    try:
        code = main(["lr-find", *args])
    except SystemExit as exc:          # argparse's own errors
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_csv_columns_on_stdout_and_suggestions_on_stderr(capsys):
    code, out, err = _run(capsys, *SMALL)
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert out.splitlines()[0] == "step,lr,loss,smoothed_loss"
    assert [int(r["step"]) for r in rows] == list(range(1, len(rows) + 1))
    lrs = [float(r["lr"]) for r in rows]
    assert lrs[0] == 1e-4
    assert lrs[1] == pytest.approx(1e-4 * (1e5) ** (1 / 39), rel=1e-12)   # η_i = A·(B/A)^(i/(N−1))
    lines = [line for line in err.splitlines() if line.startswith("suggested η = ")]
    assert len(lines) == 2
    assert re.fullmatch(r"suggested η = [0-9.e+-]+ \(steepest descent of the smoothed loss\)", lines[0])
    assert re.fullmatch(r"suggested η = [0-9.e+-]+ \(minimum of the smoothed loss ÷ 10\)", lines[1])


def test_json_keys_to_a_file(capsys, tmp_path):
    out = tmp_path / "lr.json"
    code, stdout, err = _run(capsys, *SMALL, "--format", "json", "-o", str(out))
    assert code == 0, err
    assert stdout == ""
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert set(doc) == {"steps", "lr", "loss", "smoothed_loss", "suggestions", "stopped_early"}
    assert len(doc["lr"]) == len(doc["loss"]) == len(doc["smoothed_loss"]) == doc["steps"]
    assert set(doc["suggestions"]) == {"steepest", "min_over_10"}
    assert set(doc["suggestions"]["steepest"]) == {"lr", "why"}
    assert doc["suggestions"]["steepest"]["why"] == "steepest descent of the smoothed loss"
    assert doc["stopped_early"] == (doc["steps"] < 40)
    shown = re.search(r"suggested η = (\S+) \(steepest", err)
    assert shown is not None and float(shown.group(1)) == pytest.approx(doc["suggestions"]["steepest"]["lr"], rel=0.05)


@pytest.mark.parametrize("args, text", [
    (["--preset", "optimizer-compare"], "--preset: the range test probes one run"),
    (["--start-lr", "0"], "--start-lr must be"),
    (["--end-lr", "x"], "--end-lr must be"),
    (["--steps", "5"], "--steps must be a whole number in [10, 10000]"),
    (["--start-lr", "1", "--end-lr", "0.1"], "must be smaller than the end η"),
    (["--format", "xml"], "invalid choice"),
    (["--optimizer", "nope"], "--optimizer"),
])
def test_bad_options_exit_2_with_one_line(capsys, args, text):
    code, out, err = _run(capsys, "--sample", "--quiet", *args)
    assert code == 2
    assert text in err
    assert len(err.strip().splitlines()) == 1
    assert out == ""


def test_output_path_checked_before_any_step(capsys, tmp_path):
    code, _, err = _run(capsys, *SMALL, "-o", str(tmp_path / "missing" / "lr.csv"))
    assert code == 2
    assert "data:" not in err and "suggested" not in err
    assert len(err.strip().splitlines()) == 1
