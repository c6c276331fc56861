"""`optilab landscape` as a user runs it: the files it writes, its stderr, its bad options."""

from __future__ import annotations

import csv
import io
import json
import re

import numpy as np
import pytest

from optilab.cli import main

#: A small run: 30 iterations of a 784-10-10 net, a 5×5 grid on 100 images (well under a second).
SMALL = ["--sample", "--hidden", "10", "--iterations", "30", "--grid", "5", "--samples", "100"]


def _run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["landscape", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _rows(path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_slice_csv_is_the_grid_alpha_outer_beta_inner_and_the_path_csv_every_snapshot(capsys, tmp_path):
    out, paths = tmp_path / "slice.csv", tmp_path / "path.csv"
    code, _, err = _run(capsys, *SMALL, "-o", str(out), "--path-csv", str(paths))
    assert code == 0, err
    text = out.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "alpha,beta,loss"
    rows = [tuple(float(v) for v in line.split(",")) for line in text.splitlines()[1:]]
    assert len(rows) == 25
    alphas = [rows[5 * i][0] for i in range(5)]
    betas = [rows[j][1] for j in range(5)]
    for i in range(5):
        for j in range(5):
            assert rows[5 * i + j][:2] == (alphas[i], betas[j])
    # span 1 with pca: the grid −r…r, r the paths' largest |α| or |β|; equally spaced, 0 in the middle.
    path = _rows(paths)
    reach = max(abs(float(r[k])) for r in path for k in ("alpha", "beta"))
    assert alphas == pytest.approx(list(np.linspace(-reach, reach, 5)), rel=1e-12, abs=1e-15)
    assert betas == alphas and alphas[2] == 0.0
    assert all(np.isfinite(r[2]) for r in rows)
    # one row per recorded snapshot: iterations 0…30 (30 iterations, fewer than the 40 snapshots kept).
    assert paths.read_text(encoding="utf-8").splitlines()[0] == "run,iteration,alpha,beta,loss"
    assert [int(r["iteration"]) for r in path] == list(range(31))
    assert {r["run"] for r in path} == {"sgd"}
    # the final weights are the slice's centre: they project to (0, 0), with the centre's loss.
    last = path[-1]
    assert abs(float(last["alpha"])) < 1e-5 and abs(float(last["beta"])) < 1e-5
    centre = re.search(r"centre loss L\(θ\*\) = (\d+\.\d{4}) on 100 images \(--subset train\)", err)
    assert centre is not None, err
    assert float(last["loss"]) == pytest.approx(float(centre.group(1)), abs=5e-5)
    assert rows[12][2] == pytest.approx(float(centre.group(1)), abs=5e-5)


def test_stderr_shows_the_training_bar_the_grid_bar_and_the_pca_summary(capsys, tmp_path):
    code, out, err = _run(capsys, *SMALL, "-o", str(tmp_path / "s.csv"))
    assert code == 0, err
    assert "it/s" in err and "30/30" in err and "ETA" in err
    assert "landscape 5×5" in err and "25/25" in err
    explained = re.search(r"^PCA directions explain (\d+\.\d) % \+ (\d+\.\d) % of the trajectory's variance$",
                          err, re.M)
    assert explained is not None, err
    assert 0 <= float(explained.group(2)) <= float(explained.group(1)) <= 100
    assert float(explained.group(1)) + float(explained.group(2)) <= 100.1
    assert out == "" and "Traceback" not in err


def test_random_directions_say_their_seed(capsys, tmp_path):
    code, _, err = _run(capsys, *SMALL, "--directions", "random", "--seed", "3", "--quiet",
                        "-o", str(tmp_path / "s.csv"))
    assert code == 0, err
    assert "filter-normalised random directions (seed 3)" in err.splitlines()
    # span 1 with random directions: the grid −1…1 in the directions' own units.
    alphas = sorted({float(r["alpha"]) for r in _rows(tmp_path / "s.csv")})
    assert alphas == [-1.0, -0.5, 0.0, 0.5, 1.0]


def test_npz_holds_the_slice_the_options_and_the_path(capsys, tmp_path):
    out = tmp_path / "slice.npz"
    code, _, err = _run(capsys, *SMALL, "--span", "2", "-o", str(out), "--quiet")   # format from the suffix
    assert code == 0, err
    with np.load(out, allow_pickle=False) as z:
        assert z["alphas"].shape == z["betas"].shape == (5,) and z["loss"].shape == (5, 5)
        assert z["explained"].shape == (2,) and z["center_loss"].shape == ()
        assert list(z["run_labels"]) == ["sgd"]
        assert list(z["path_0_iteration"]) == list(range(31))
        assert {z[f"path_0_{f}"].shape for f in ("alpha", "beta", "loss")} == {(31,)}
        options = json.loads(str(z["options"]))
        assert options["grid"] == 5 and options["span"] == 2.0 and options["samples"] == 100
        # span 2: the grid reaches twice the path's extent.
        reach = max(np.abs(z["path_0_alpha"]).max(), np.abs(z["path_0_beta"]).max())
        assert z["alphas"][-1] == pytest.approx(2 * reach)


def test_csv_to_standard_output(capsys):
    code, out, err = _run(capsys, *SMALL, "--quiet", "--format", "csv", "-o", "-")
    assert code == 0, err
    assert out.splitlines()[0] == "alpha,beta,loss" and len(out.splitlines()) == 26


def test_a_preset_puts_every_run_on_one_shared_plane(capsys, tmp_path):
    paths = tmp_path / "paths.csv"
    code, _, err = _run(capsys, "--preset", "optimizer-compare", "--iterations", "20", "--sample", "--hidden", "10",
                        "--grid", "3", "--samples", "100", "-o", str(tmp_path / "s.csv"), "--path-csv", str(paths))
    assert code == 0, err
    rows = _rows(paths)
    runs = list(dict.fromkeys(r["run"] for r in rows))
    assert runs == ["sgd", "momentum", "adagrad", "rmsprop", "adam"]
    assert all([int(r["iteration"]) for r in rows if r["run"] == run] == list(range(21)) for run in runs)
    # the same initialisation: every path starts at the same point of the plane.
    starts = {(r["alpha"], r["beta"]) for r in rows if r["iteration"] == "0"}
    assert len(starts) == 1
    # the centre is the first run's final weights; the others end elsewhere.
    ends = {r["run"]: (float(r["alpha"]), float(r["beta"])) for r in rows if r["iteration"] == "20"}
    assert max(map(abs, ends["sgd"])) < 1e-5 and max(map(abs, ends["adam"])) > 1e-3
    assert len(_rows(tmp_path / "s.csv")) == 9


@pytest.mark.parametrize("args,fragment", [
    (["--grid", "2"], "--grid"),
    (["--grid", "500"], "--grid"),
    (["--span", "0"], "--span"),
    (["--span", "-1"], "--span"),
    (["--directions", "foo"], "--directions"),
    (["--samples", "0"], "--samples"),
    (["--subset", "val"], "--subset"),
    (["--directions", "random", "--path-csv", "PATHS"], "--path-csv needs --directions pca"),
    (["--preset", "activation-histograms"], "--preset activation-histograms"),
    (["--preset", "gd-vs-sgd"], "--preset gd-vs-sgd"),
    (["--preset", "random-search"], "--preset random-search"),
    (["--preset", "nope"], "choose one of"),
    (["--hidden", "10,x"], "--hidden"),
    (["--format", "png"], "invalid choice"),
])
def test_bad_options_exit_2_with_one_line_and_write_nothing(capsys, tmp_path, args, fragment):
    args = [str(tmp_path / "paths.csv") if a == "PATHS" else a for a in args]
    code, _out, err = _run(capsys, *SMALL, *args, "-o", str(tmp_path / "s.csv")) if "--format" not in args \
        else _bad_format(capsys, tmp_path, args)
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert fragment in lines[0] and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def _bad_format(capsys, tmp_path, args) -> tuple[int, str, str]:
    """argparse refuses a choice by exiting (SystemExit 2), as for `optilab train --activation`."""
    with pytest.raises(SystemExit) as caught:
        main(["landscape", *SMALL, *args, "-o", str(tmp_path / "s.csv")])
    captured = capsys.readouterr()
    return int(caught.value.code), captured.out, captured.err


@pytest.mark.parametrize("where", ["missing-folder", "directory", "path-csv-directory"])
def test_an_output_that_cannot_be_written_is_refused_before_any_training(capsys, tmp_path, where):
    (tmp_path / "taken").mkdir()
    if where == "missing-folder":
        args = ["-o", str(tmp_path / "no" / "s.csv")]
    elif where == "directory":
        args = ["-o", str(tmp_path / "taken")]
    else:
        args = ["-o", str(tmp_path / "s.csv"), "--path-csv", str(tmp_path / "taken")]
    code, _, err = _run(capsys, *SMALL, *args)
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("optilab: error: ") and "Traceback" not in err
    assert "data:" not in err   # nothing loaded, nothing trained
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken"] and not list((tmp_path / "taken").iterdir())


def test_a_diverged_run_exits_3_with_trains_line(capsys, tmp_path):
    code, _, err = _run(capsys, "--sample", "--optimizer", "sgd:lr=100000", "--iterations", "50", "--quiet",
                        "-o", str(tmp_path / "s.csv"))
    assert code == 3
    assert "diverged at iteration" in err.strip().splitlines()[-1] and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_the_help_documents_the_command_and_optilab_lists_it(capsys):
    with pytest.raises(SystemExit):
        main(["landscape", "--help"])
    text = capsys.readouterr().out
    for option in ("--grid", "--span", "--directions", "--samples", "--format", "--path-csv", "--preset",
                   "--optimizer", "alpha,beta,loss", "run,iteration,alpha,beta,loss", "Li et al.", "examples:"):
        assert option in text
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "landscape" in capsys.readouterr().out


def test_a_full_disk_is_one_line_and_the_previous_file_stays(capsys, tmp_path, monkeypatch):
    import errno
    import pathlib

    out = tmp_path / "s.csv"
    out.write_text("the previous slice\n")

    def full(self, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pathlib.Path, "write_bytes", full)   # the disk, not our code: fileio writes through it
    code, _, err = _run(capsys, *SMALL, "--quiet", "-o", str(out))
    assert code == 2
    lines = err.strip().splitlines()
    assert lines[-1].startswith("optilab: error: ") and "not enough space" in lines[-1] and "Traceback" not in err
    assert out.read_text() == "the previous slice\n"
    assert [p.name for p in tmp_path.iterdir()] == ["s.csv"]


def test_snapshots_sets_how_many_path_points_are_recorded(capsys, tmp_path):
    """--snapshots K (a training setting, shared with optilab train): K evenly spaced θᵢ, 0 and the last included."""
    paths = tmp_path / "p.csv"
    code, _out, err = _run(capsys, "--sample", "--hidden", "10", "--iterations", "30", "--snapshots", "7",
                           "--grid", "5", "--samples", "100", "-o", str(tmp_path / "s.csv"),
                           "--path-csv", str(paths))
    assert code == 0, err
    assert [int(r["iteration"]) for r in _rows(paths)] == [0, 5, 10, 15, 20, 25, 30]
    code, _out, err = _run(capsys, "--sample", "--snapshots", "-1", "-o", str(tmp_path / "t.csv"))
    assert code == 2 and len(err.strip().splitlines()) == 1 and "--snapshots" in err
