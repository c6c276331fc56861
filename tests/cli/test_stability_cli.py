"""`optilab stability`: the CSV and JSON of a stability map and its one-line errors."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest

from optilab.cli import main


def run(capsys, *args: str) -> tuple[int, str, str]:
    try:
        code = main(["stability", *args])
    except SystemExit as exc:      # argparse's own errors
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_a_strip_of_gradient_descent_on_the_bowl_as_a_user_runs_it():
    # bowl x²/20 + y²: λ_max = 2, so SGD diverges for η > 1 (y_k = 2(1 − 2η)^k); η = 0.5 lands on the
    # minimum of y at once: after 1 step x = −7(1 − 0.05), y = 0, f = 6.65²/20.
    r = subprocess.run([sys.executable, "-m", "optilab", "stability", "--surface", "bowl", "--optimizer", "sgd",
                        "--x", "lr:0.5:1.5", "--grid", "3", "--steps", "1", "--start", "-7", "2"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[0] == "x,y,loss,diverged_at"
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert [float(row["x"]) for row in rows] == [0.5, 1.0, 1.5]
    assert all(row["y"] == "" for row in rows)
    assert float(rows[0]["loss"]) == pytest.approx(6.65**2 / 20, rel=1e-14)
    assert all(row["diverged_at"] == "" for row in rows)   # one step does not leave the map


def test_a_two_axis_map_marks_where_momentum_diverges(capsys, tmp_path):
    # ½(x² + 10y²) from (1, 1): heavy ball diverges for η > 2(1 + μ)/10 (docs/equations.md#stability).
    out = tmp_path / "map.csv"
    code, stdout, err = run(capsys, "--surface", "0.5*(x**2 + 10*y**2)", "--optimizer", "momentum",
                            "--x", "lr:0.1:0.5", "--y", "momentum:0:0.5", "--grid", "5", "--steps", "1500",
                            "--start", "1", "1", "-o", str(out))
    assert code == 0, err
    assert stdout == ""
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert len(rows) == 25 and list(rows[0]) == ["x", "y", "loss", "diverged_at"]
    for row in rows:
        eta, mu = float(row["x"]), float(row["y"])
        bound = 2 * (1 + mu) / 10
        if abs(eta / bound - 1) < 0.02:
            continue
        assert (row["diverged_at"] != "") == (eta > bound), row
        assert (row["loss"] == "") == (eta > bound), row


def test_json_names_the_axes_and_log_spacing(capsys):
    code, stdout, err = run(capsys, "--surface", "rosenbrock", "--optimizer", "adam:beta2=0.99",
                            "--x", "lr:0.001:0.1", "--log-x", "--y", "beta1:0:0.9", "--grid", "3",
                            "--steps", "10", "--format", "json")
    assert code == 0, err
    doc = json.loads(stdout)
    assert doc["x"]["key"] == "lr" and doc["x"]["symbol"] == "η" and doc["x"]["log"] is True
    assert doc["x"]["values"] == pytest.approx([1e-3, 1e-2, 1e-1])
    assert doc["y"]["values"] == pytest.approx([0.0, 0.45, 0.9])
    assert doc["settings"]["beta2"] == 0.99 and "lr" not in doc["settings"]
    assert len(doc["cells"]) == 9 and set(doc["cells"][0]) == {"x", "y", "loss", "diverged_at"}


@pytest.mark.parametrize(("args", "words"), [
    (["--x", "momentum:0:0.9"], "--x: sgd has no number 'momentum'"),
    (["--x", "lr:0.5:0.1"], "LO < HI"),
    (["--x", "lr:0.1:0.1"], "LO < HI"),
    (["--x", "lr:0:1", "--log-x"], "log axis needs LO > 0"),
    (["--x", "lr:0.1"], "--x needs KEY:LO:HI"),
    (["--x", "lr:a:1"], "--x needs a number"),
    (["--x", "lr:0.1:1", "--y", "lr:0.1:1"], "same hyperparameter"),
    (["--x", "lr:0.1:1", "--grid", "1"], "--grid must be a whole number in [2, 256]"),
    (["--x", "lr:0.1:1", "--grid", "300"], "--grid must be"),
    (["--x", "lr:0.1:1", "--steps", "0"], "--steps must be"),
    (["--x", "lr:0.1:1", "--start", "0", "nan"], "--start needs a finite number"),
    (["--x", "lr:0.1:1", "--optimizer", "sgd:lr=-1"], "--optimizer: sgd: lr must be"),
    (["--x", "lr:0.1:1", "--optimizer", "nope"], "--optimizer: "),
    (["--x", "lr:0.1:1", "--surface", "x**"], "--surface: "),
    (["--x", "lr:0.1:1", "--surface", "log(x)", "--start", "-1", "0"], "not finite at the start"),
    (["--x", "lr:0.1:1", "--format", "xml"], "invalid choice"),
])
def test_bad_options_are_one_line_and_exit_2(capsys, args, words):
    base = {"--surface": "bowl", "--optimizer": "sgd", "--grid": "4", "--steps": "5"}
    given = dict(zip(args[::2], args[1::2], strict=False)) if "--log-x" not in args else {}
    argv = [v for k, val in base.items() if k not in given for v in (k, val)] + args
    code, stdout, err = run(capsys, *argv)
    assert code == 2
    assert stdout == ""
    assert words in err and len(err.strip().splitlines()) == 1, err
    assert "Traceback" not in err


def test_an_unwritable_output_is_refused_before_any_work(capsys, tmp_path):
    code, _out, err = run(capsys, "--surface", "bowl", "--optimizer", "sgd", "--x", "lr:0.1:1", "--grid", "4",
                          "--steps", "5", "-o", str(tmp_path / "missing" / "map.csv"))
    assert code == 2 and len(err.strip().splitlines()) == 1


def test_the_help_lists_only_the_optimizers_a_map_can_sweep(capsys):
    """Newton and L-BFGS are refused by a stability map (one line): the help does not offer them."""
    import pytest

    from optilab.cli import main

    with pytest.raises(SystemExit):
        main(["stability", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    listed = text.split("optimizers (the gradient methods): ")[1].split(";")[0]
    assert "adam" in listed and "lion" in listed
    assert "newton" not in listed and "lbfgs" not in listed
