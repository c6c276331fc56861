"""The training lab on a table: the bundled housing data or a CSV, the housing experiment, and the
regression view (RMSE / R² curves, predicted-vs-actual and residuals of the test rows)."""

from __future__ import annotations

import numpy as np
import pytest

from optilab.training import RunConfig
from optilab.ui.training_lab.dock_parts import SOURCE_HOUSING


def _axis(plot, name):
    return plot.getAxis(name).labelText


@pytest.fixture
def lab(window):
    return window.training_pane


def test_the_housing_experiment_fills_the_regression_view(qtbot, lab):
    with qtbot.waitSignal(lab.finished, timeout=60_000) as blocker:
        assert lab.start_preset("housing", epochs=3)      # momentum η 0.1 diverges at step 154 of 168
    assert blocker.args == ["finished"]                       # momentum η 0.1 diverging is the lesson's
    assert "as the lesson expects" in lab.status_label.text()
    view = lab.regression_view
    assert lab.views.currentWidget() is view
    assert "14,448 training, 3,096 validation and 3,096 test rows" in lab.data_label.text()
    assert "RMSE ($100,000)" in _axis(view.rmse_plot, "left") and "epoch" in _axis(view.rmse_plot, "bottom")
    assert "actual MedHouseVal ($100,000)" in _axis(view.fit_plot, "bottom")
    assert "predicted ($100,000)" in _axis(view.fit_plot, "left")
    assert "predicted MedHouseVal ($100,000)" in _axis(view.residual_plot, "bottom")
    finished = [r for r in lab.results if r.status == "finished"]
    assert sorted(view.fits) == sorted(r.config.label for r in finished)
    adam = next(r for r in finished if r.config.label == "Adam")
    view.show_fit("Adam")
    x, y = view.fit_points.getData()
    fit = view.fits["Adam"]
    np.testing.assert_array_equal(x, fit.actual)                # x axis: actual, y axis: predicted
    np.testing.assert_array_equal(y, fit.predicted)
    rx, ry = view.residual_points.getData()
    np.testing.assert_allclose(ry, fit.actual - fit.predicted)
    np.testing.assert_array_equal(rx, fit.predicted)
    assert (f"test RMSE {adam.summary.rmse:.3f}, MAE {adam.summary.mae:.3f}, R² {adam.summary.r2:.3f}"
            in view.fit_caption.text())
    # The points wear the chosen run's colour, the one its curves and the legend give it (they were
    # always blue and orange: Adam's test rows looked like "Adam + plateau"'s).
    from optilab.ui.palette import run_color

    for i, label in enumerate(r.config.label for r in lab.results):
        if label in view.fits:
            view.show_fit(label)
            for points in (view.fit_points, view.residual_points):
                brush = points.opts["brush"]
                assert brush.color().name() == run_color(i).lower(), (label, points)


def test_a_csv_chosen_in_the_dock_trains_a_regression(qtbot, lab, tmp_path):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(300, 2))
    y = 2 * x[:, 0] - x[:, 1]
    path = tmp_path / "t.csv"
    path.write_text("first,second,value,note\n" + "".join(
        f"{a:.4f},{b:.4f},{c:.4f},{7 + i}\n" for i, ((a, b), c) in enumerate(zip(x, y, strict=True))))
    lab.dock.set_csv(str(path), target="value")
    assert [lab.dock.target.itemText(i) for i in range(lab.dock.target.count())] == ["first", "second", "value",
                                                                                   "note"]
    assert lab.dock.table_choice() == (str(path), "value", None)
    cfg = RunConfig(optimizer="adam", hparams={"lr": 0.01}, hidden=(8,), activation="leaky_relu", batch_size=30,
                    epochs=20, iterations=None)
    with qtbot.waitSignal(lab.finished, timeout=60_000) as blocker:
        assert lab.start(cfg)
    assert blocker.args == ["finished"]
    s = lab.results[0].summary
    assert s.task == "regression" and s.n_train == 210 and s.r2 > 0.9
    assert lab.views.currentWidget() is lab.regression_view
    assert "value (target units)" in _axis(lab.regression_view.fit_plot, "bottom")


def test_a_bad_csv_says_what_is_wrong_in_the_data_note(lab, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("1,2\n3,4\n")
    lab.dock.set_csv(str(path))
    assert "line 1 holds numbers" in lab.dock.data_note.text()


def test_an_mnist_experiment_with_a_table_chosen_fails_with_one_line(qtbot, lab):
    lab.dock.source.setCurrentIndex(SOURCE_HOUSING)
    with qtbot.waitSignal(lab.finished, timeout=30_000) as blocker:
        assert lab.start_preset("optimizer-compare")
    assert blocker.args == ["error"]
    assert "trains on MNIST: choose MNIST under Data" in lab.error_message


def test_the_loss_landscape_says_it_is_not_for_a_regression(qtbot, lab):
    lab.dock.source.setCurrentIndex(SOURCE_HOUSING)
    cfg = RunConfig(optimizer="adam", hidden=(4,), activation="leaky_relu", batch_size=256, iterations=20)
    with qtbot.waitSignal(lab.finished, timeout=60_000):
        assert lab.start(cfg)
    assert not lab.landscape.button.isEnabled()
    assert "regression on a table" in lab.landscape.button.toolTip()
