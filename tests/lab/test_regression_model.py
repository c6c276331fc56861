"""The lab's regression pictures: curves from the history, the test rows' fit from the final weights."""

from __future__ import annotations

import numpy as np
import pytest

from optilab.data.table import load_table
from optilab.lab.regression import axis_titles, curves, fit_on_test_rows
from optilab.training import RunConfig, RunResult, Trainer


@pytest.fixture(scope="module")
def table(tmp_path_factory):
    rng = np.random.default_rng(3)
    x = rng.normal(size=(400, 2))
    y = 1.5 * x[:, 0] - x[:, 1] + 0.1 * rng.normal(size=400)
    path = tmp_path_factory.mktemp("t") / "t.csv"
    path.write_text("p,q,value\n" + "".join(f"{a!r},{b!r},{c!r}\n" for (a, b), c in
                                            zip(x.tolist(), y.tolist(), strict=True)))
    return load_table(path, "value")


@pytest.fixture(scope="module")
def result(table):
    t = Trainer(RunConfig(hidden=(6, 3), activation="leaky_relu", optimizer="adam", hparams={"lr": 0.01},
                          batch_size=32, epochs=10, iterations=None, snapshots=5), table)
    t.run()
    return RunResult.from_trainer(t)


def test_fit_of_the_final_weights_gives_the_runs_final_test_figures(result, table):
    fit = fit_on_test_rows(result, table)
    assert fit is not None
    np.testing.assert_array_equal(fit.actual, table.t_test)
    np.testing.assert_allclose(fit.residual, fit.actual - fit.predicted)
    # the same numbers the trainer measured at its last evaluation (computed here by hand)
    assert np.sqrt(np.mean(fit.residual ** 2)) == pytest.approx(result.summary.rmse, rel=1e-6)
    ss = np.sum((fit.actual - fit.actual.mean()) ** 2)
    assert 1 - np.sum(fit.residual ** 2) / ss == pytest.approx(result.summary.r2, rel=1e-6)
    assert np.mean(np.abs(fit.residual)) == pytest.approx(result.summary.mae, rel=1e-6)


def test_no_weights_kept_means_no_fit(table):
    t = Trainer(RunConfig(hidden=(4,), iterations=5, snapshots=0), table)
    t.run()
    assert fit_on_test_rows(RunResult.from_trainer(t), table) is None


def test_curves_are_the_history_columns_by_split(result):
    c = curves("a", result.history)
    h = result.history
    np.testing.assert_array_equal(c.epochs, h.eval_epochs)
    np.testing.assert_array_equal(c.rmse["val"], h.regression("val_rmse"))
    np.testing.assert_array_equal(c.r2["test"], h.regression("test_r2"))


def test_axis_titles_name_the_target_and_its_units(table):
    titles = axis_titles(table)
    assert titles.actual == "actual value (target units)" and titles.predicted == "predicted value (target units)"
    assert titles.residual == "residual (target units)" and titles.predicted_short == "predicted (target units)"
    housing = axis_titles(table.__class__(**{**table.__dict__, "unit": "$100,000", "target_name": "MedHouseVal"}))
    assert housing.rmse == "RMSE ($100,000)" and housing.actual == "actual MedHouseVal ($100,000)"
