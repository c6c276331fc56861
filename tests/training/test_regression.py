"""Regression on a table: the trainer's MSE loss, RMSE / MAE / R² by hand, the summary JSON and loss CSV."""

from __future__ import annotations

import csv
import io
import json

import numpy as np
import pytest

from optilab import training
from optilab.data.table import load_table
from optilab.training import RunConfig, Trainer
from optilab.training.metrics import mae, r2, rmse

NOISE = 0.3


@pytest.fixture(scope="module")
def linear_table(tmp_path_factory):
    """y = 2 x1 − x2 + 0.5 x3 + 1 + N(0, 0.3²): the best possible R² is known in closed form."""
    rng = np.random.default_rng(5)
    x = rng.normal(size=(2000, 3)) * [1.0, 2.0, 0.5] + [0.0, 3.0, -1.0]
    y = x @ [2.0, -1.0, 0.5] + 1.0 + NOISE * rng.normal(size=2000)
    path = tmp_path_factory.mktemp("table") / "linear.csv"
    rows = (",".join(repr(float(v)) for v in (*row, t)) for row, t in zip(x, y, strict=True))
    path.write_text("x1,x2,x3,y\n" + "".join(r + "\n" for r in rows))
    return load_table(path, "y")


def _config(**kw):
    base = dict(hidden=(8,), activation="leaky_relu", optimizer="adam", hparams={"lr": 0.01}, batch_size=64,
                epochs=15, iterations=None, snapshots=0, dtype="float64")
    return RunConfig(**{**base, **kw})


def test_metrics_match_a_hand_computation():
    y_hat, y = np.array([1.0, 2.0, 4.0]), np.array([2.0, 2.0, 1.0])
    # errors −1, 0, 3: MSE 10/3; Σ(y−ȳ)² with ȳ = 5/3: 1/9 + 1/9 + 4/9 = 6/9
    assert rmse(y_hat, y) == pytest.approx(np.sqrt(10 / 3))
    assert mae(y_hat, y) == pytest.approx(4 / 3)
    assert r2(y_hat, y) == pytest.approx(1 - 10 / (6 / 9))
    assert r2(np.full(3, 5 / 3), y) == pytest.approx(0.0)          # predicting the mean explains nothing


def test_trainer_regression_metrics_are_those_of_its_predictions(linear_table):
    t = Trainer(_config(epochs=2), linear_table)
    t.run()
    y_hat = t.net.predict(t.split.x_test)[:, 0]
    y = linear_table.t_test
    err = y_hat - y
    assert t.net.sizes[-1] == 1 and t.net.loss_name == "mse"
    assert t.history.last("test_rmse") == pytest.approx(np.sqrt(np.mean(err ** 2)), rel=1e-9)
    assert t.history.last("test_mae") == pytest.approx(np.mean(np.abs(err)), rel=1e-9)
    assert t.history.last("test_r2") == pytest.approx(1 - np.sum(err ** 2) / np.sum((y - y.mean()) ** 2), rel=1e-9)
    assert np.all(np.isnan(t.history.test_acc))                   # no accuracy for a regression


def test_a_linear_target_is_learned_to_the_noise_floor(linear_table):
    """Closed form: the best RMSE is the noise sd 0.3, the best R² var(signal) / (var(signal) + 0.3²)."""
    signal_var = 2.0 ** 2 * 1.0 + 1.0 * 2.0 ** 2 + 0.5 ** 2 * 0.5 ** 2
    best_r2 = signal_var / (signal_var + NOISE ** 2)
    t = Trainer(_config(), linear_table)
    t.run()
    s = t.summary()
    assert s.status == "finished"
    assert NOISE * 0.85 < s.rmse < NOISE * 1.25, s.rmse
    assert best_r2 - 0.01 < s.r2 <= best_r2 + 0.01, (s.r2, best_r2)
    # the training loss is the MSE (no ½): on all training rows it is train RMSE², near σ² = 0.09
    full = float(t.net.loss(t.split.x_train, t.split.t_train, train=False))
    assert full == pytest.approx(np.mean((t.net.predict(t.split.x_train)[:, 0] - t.split.t_train) ** 2))
    assert full == pytest.approx(s.train_rmse ** 2) and full < 1.5 * NOISE ** 2


def test_summary_json_has_rmse_and_r2_beside_the_existing_fields(linear_table, blob_data):
    t = Trainer(_config(epochs=1), linear_table)
    t.run()
    run = json.loads(training.summary_json([training.RunResult.from_trainer(t)]))["runs"][0]
    assert run["task"] == "regression"
    assert run["rmse"] == pytest.approx(t.history.last("test_rmse"))
    assert run["r2"] == pytest.approx(t.history.last("test_r2"))
    assert run["mae"] == pytest.approx(t.history.last("test_mae"))
    assert run["val_rmse"] == pytest.approx(t.history.last("val_rmse"))
    assert {"final_loss", "test_acc", "n_train", "n_val", "n_test"} <= set(run)
    assert (run["n_train"], run["n_val"], run["n_test"]) == (1400, 300, 300)
    c = Trainer(RunConfig(hidden=(8,), iterations=5, snapshots=0), blob_data)
    c.run()
    mnist_like = json.loads(training.summary_json([training.RunResult.from_trainer(c)]))["runs"][0]
    assert "rmse" not in mnist_like and "task" not in mnist_like     # classification JSON as before


def test_loss_csv_gets_the_regression_columns(linear_table):
    t = Trainer(_config(epochs=2, eval_interval=10), linear_table)
    t.run()
    rows = list(csv.DictReader(io.StringIO(training.loss_csv([training.RunResult.from_trainer(t)]))))
    assert list(rows[0])[-9:] == ["train_rmse", "val_rmse", "test_rmse", "train_mae", "val_mae", "test_mae",
                                  "train_r2", "val_r2", "test_r2"]
    evaluated = [r for r in rows if r["test_rmse"]]
    assert [int(r["iteration"]) for r in evaluated] == t.history.eval_iterations.tolist()
    np.testing.assert_allclose([float(r["test_r2"]) for r in evaluated], t.history.regression("test_r2"))
    assert all(r["test_acc"] == "" for r in rows)


def test_a_classification_table_trains_with_softmax(tmp_path):
    rng = np.random.default_rng(1)
    x = rng.normal(size=(600, 2))
    kind = np.where(x[:, 0] + x[:, 1] > 0, "up", "down")
    path = tmp_path / "c.csv"
    path.write_text("u,v,kind\n" + "".join(f"{a},{b},{k}\n" for (a, b), k in zip(x, kind, strict=True)))
    d = load_table(path, "kind")
    t = Trainer(RunConfig(hidden=(8,), optimizer="adam", batch_size=50, iterations=300, snapshots=0), d)
    t.run()
    assert t.net.sizes[-1] == 2 and t.net.loss_name == "softmax"
    assert t.summary().test_acc > 0.9                                # a linear boundary: nearly separable
