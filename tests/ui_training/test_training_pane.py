"""The training lab driven through its real widgets (pytest-qt, under Xvfb)."""

from __future__ import annotations

import csv
import io
import threading
import time

import numpy as np
import pytest
from PySide6.QtCore import Qt

from optilab.training import RunConfig

LONG = dict(optimizer="sgd", hparams={"lr": 0.05}, hidden=(16,), iterations=1_000_000, batch_size=50,
            eval_interval=100_000)


def _wait_for_steps(qtbot, pane, n=1):
    qtbot.waitUntil(lambda: bool(pane.curves.runs) and pane.curves.runs[-1].it.n >= n, timeout=5000)


def test_short_run_finishes_and_its_curves_hold_points(qtbot, pane, small_config):
    with qtbot.waitSignal(pane.finished, timeout=10_000) as blocker:
        assert pane.start(small_config)
    assert blocker.args == ["finished"]
    assert not pane.is_running()
    run = pane.curves.runs[0]
    x, y = run.items["raw"].getData()
    assert len(x) == 30 and x[0] == 1 and x[-1] == 30
    assert np.all(np.isfinite(y))
    assert len(run.items["smooth"].getData()[1]) == 30
    # The η curve (redrawn less often while training) is complete at the end.
    np.testing.assert_array_equal(run.items["lr"].getData()[0], x)
    np.testing.assert_allclose(run.items["lr"].getData()[1], small_config.hparams["lr"])
    # The axes span the whole run: x from 0 to the planned 30 iterations, loss from 0.
    (x0, x1), _ = pane.curves.loss_plot.viewRange()
    assert x0 <= 0 and 30 <= x1 < 32
    _, (y0, y1) = pane.curves.loss_plot.viewRange()
    assert y0 == 0 and y1 >= float(np.max(y))
    # evaluations at 0, 10, 20, 30
    np.testing.assert_array_equal(run.items["test"].getData()[0], [0, 10, 20, 30])
    assert "Finished" in pane.status_label.text()
    assert pane.progress.value() == 1000


def test_stop_mid_run_returns_within_one_second(qtbot, pane):
    pane.start(RunConfig(**LONG))
    _wait_for_steps(qtbot, pane, 5)
    t0 = time.perf_counter()
    with qtbot.waitSignal(pane.finished, timeout=1000) as blocker:
        pane.stop()
    assert time.perf_counter() - t0 < 1.0
    assert blocker.args == ["stopped"]
    assert "Stopped" in pane.status_label.text()
    assert pane.results[0].status == "stopped"


def test_stop_while_paused_ends_the_run(qtbot, pane):
    pane.start(RunConfig(**LONG))
    _wait_for_steps(qtbot, pane, 5)
    pane.pause()
    assert "Paused" in pane.status_label.text()
    qtbot.wait(100)                               # batches already on their way arrive
    n = pane.curves.runs[0].it.n
    qtbot.wait(200)
    assert pane.curves.runs[0].it.n - n <= 1      # at most the step in flight
    with qtbot.waitSignal(pane.finished, timeout=1000):
        pane.stop()


def test_pause_and_resume_continue_the_same_run(qtbot, pane):
    pane.start(RunConfig(**LONG))
    _wait_for_steps(qtbot, pane, 3)
    pane.pause_button.click()
    assert pane.pause_button.text() == "Resume"
    n = pane.curves.runs[0].it.n
    pane.pause_button.click()
    qtbot.waitUntil(lambda: pane.curves.runs[0].it.n > n + 10, timeout=5000)
    with qtbot.waitSignal(pane.finished, timeout=1000):
        pane.stop_button.click()


def test_closing_the_window_mid_run_stops_the_worker_cleanly(qtbot, window, pane):
    pane.start(RunConfig(**LONG))
    _wait_for_steps(qtbot, pane, 5)
    t0 = time.perf_counter()
    window.close()
    assert time.perf_counter() - t0 < 1.0
    assert not pane.is_running()
    assert [t for t in threading.enumerate() if t.name == "optilab-training"] == []


def test_a_huge_learning_rate_ends_in_diverged(qtbot, pane):
    cfg = RunConfig(optimizer="sgd", hparams={"lr": 1e6}, init=1.0, hidden=(64, 64), iterations=500,
                    batch_size=50)
    with qtbot.waitSignal(pane.finished, timeout=10_000) as blocker:
        pane.start(cfg)
    assert blocker.args == ["diverged"]
    k = pane.results[0].summary.diverged_at
    assert k is not None and k < 500
    assert f"Diverged at step {k}" in pane.status_label.text()
    assert f"diverged at step {k}" in pane.curves.legend.item(0).text()


def test_values_set_in_the_dock_reach_the_trainer(qtbot, window, pane):
    dock = window.settings_dock
    dock.optimizer.setCurrentIndex(dock.optimizer.findData("momentum"))
    for field, text in ((dock.lr.field, "0.03"), (dock._hparam_fields["momentum"], "0.8"),
                        (dock.dropout, "0.25"), (dock.weight_decay, "0.001"), (dock.val_fraction, "0.2"),
                        (dock.length, "2")):
        field.clear()
        qtbot.keyClicks(field, text)
        qtbot.keyClick(field, Qt.Key.Key_Return)
    dock.init.setCurrentIndex([t for t, _ in __import__("optilab.ui.training_lab.settings_dock",
                                                        fromlist=["x"]).INIT_CHOICES].index("Xavier"))
    dock.activation.setCurrentIndex(dock.activation.findData("tanh"))
    dock.hidden.setText("20, 12")
    dock.hidden.editingFinished.emit()
    dock.batchnorm.setChecked(True)
    dock.schedule.setCurrentIndex(dock.schedule.findData("step"))
    dock._schedule_fields["step_size"].setText("50")
    dock._schedule_fields["step_size"].editingFinished.emit()
    dock.batch_size.setValue(40)
    dock.length_unit.setCurrentIndex(1)    # epochs
    dock.train_size.setValue(600)
    dock.eval_interval.setValue(0)
    dock.seed.setValue(7)
    dock.snapshots.setValue(5)
    expected = RunConfig(
        label="momentum", optimizer="momentum", hparams={"lr": 0.03, "momentum": 0.8},
        schedule="step", schedule_args={"step_size": 50, "gamma": 0.1}, hidden=(20, 12), activation="tanh",
        init="xavier", batchnorm=True, dropout=0.25, weight_decay=0.001, batch_size=40, iterations=None,
        epochs=2.0, train_size=600, val_fraction=0.2, eval_interval=None, seed=7, snapshots=5)
    assert dock.error == ""
    with qtbot.waitSignal(pane.finished, timeout=20_000):
        pane.start_button.click()
    result = pane.results[0]
    assert result.config == expected
    s = result.summary
    assert s.n_train == 480 and s.n_val == 120                # 600 images, 20 % held out
    assert s.iterations == 2 * (480 // 40)                    # 2 epochs of 12 iterations
    assert "Next run" in dock.summary.text() and "momentum" in dock.summary.text()
    assert len(result.snapshots) == 5                        # the dock's Weight snapshots reach the trainer


def test_an_invalid_field_keeps_start_from_running(qtbot, window, pane):
    dock = window.settings_dock
    dock.dropout.clear()
    qtbot.keyClicks(dock.dropout, "2")           # beyond 0.95
    assert not dock.dropout.is_valid()
    assert not pane.start()
    assert pane.error_label.isVisible() and "dropout" in pane.error_label.text()
    assert not pane.is_running()


def test_changing_lr_in_the_dock_takes_effect_live(qtbot, window, pane):
    dock = window.settings_dock
    dock.set_config(RunConfig(**LONG))
    pane.start()
    _wait_for_steps(qtbot, pane, 5)
    dock.lr.field.setText("0.02")
    dock.lr.field.editingFinished.emit()
    qtbot.waitUntil(lambda: np.any(pane.curves.runs[0].lr.view() == 0.02), timeout=5000)
    assert pane.curves.runs[0].lr.view()[0] == 0.05
    assert dock.running_note.isVisible()
    with qtbot.waitSignal(pane.finished, timeout=1000):
        pane.stop()
    assert not dock.running_note.isVisible()


def test_an_exception_in_the_training_process_becomes_a_message(qtbot, pane, small_config):
    import numpy as np

    from optilab.data import Dataset

    # Images without a pixel axis: the Trainer in the child process fails for real.
    broken = Dataset(x_train=np.zeros(50, np.float32), t_train=np.zeros(50, np.int64),
                     x_test=np.zeros(5, np.float32), t_test=np.zeros(5, np.int64), source="broken")
    pane.set_dataset(broken)
    with qtbot.waitSignal(pane.finished, timeout=20_000) as blocker:
        pane.start(small_config)
    assert blocker.args == ["error"]
    assert pane.error_label.isVisible()
    assert "IndexError" in pane.error_label.text()


def test_a_missing_folder_is_reported_not_raised(qtbot, window, pane, tmp_path):
    pane.set_dataset(None)
    window.settings_dock.set_data_folder(str(tmp_path / "nowhere"))
    with qtbot.waitSignal(pane.finished, timeout=5000) as blocker:
        pane.start(RunConfig(hidden=(8,), iterations=5))
    assert blocker.args == ["error"]
    assert "nowhere" in pane.error_label.text()


def test_exported_csv_parses_and_matches_the_run(qtbot, pane, small_config, tmp_path):
    cfg = small_config.replace(val_fraction=0.1)
    with qtbot.waitSignal(pane.finished, timeout=10_000):
        pane.start(cfg)
    path = pane.export_csv(str(tmp_path / "run.csv"))
    rows = list(csv.DictReader(io.StringIO(path.read_text())))
    h = pane.results[0].history
    steps = [r for r in rows if r["loss"]]
    assert [int(r["iteration"]) for r in steps] == list(h.iterations)
    np.testing.assert_allclose([float(r["loss"]) for r in steps], h.loss, rtol=0, atol=0)
    np.testing.assert_allclose([float(r["lr"]) for r in steps], h.lr)
    evals = [r for r in rows if r["test_acc"]]
    assert [int(r["iteration"]) for r in evals] == list(h.eval_iterations)
    np.testing.assert_allclose([float(r["val_acc"]) for r in evals], h.val_acc)
    # what the plot shows is what the file holds
    np.testing.assert_allclose(pane.curves.runs[0].items["raw"].getData()[1], [float(r["loss"]) for r in steps])
    assert {r["run"] for r in rows} == {"sgd"}


@pytest.mark.parametrize("suffix, magic", [(".png", b"\x89PNG"), (".svg", b"<svg")])
def test_plots_export_as_png_and_svg(qtbot, pane, small_config, tmp_path, suffix, magic):
    with qtbot.waitSignal(pane.finished, timeout=10_000):
        pane.start(small_config)
    for which in ("loss", "accuracy", "lr", "gradients"):
        path = pane.export_plot(which, str(tmp_path / f"{which}{suffix}"))
        data = path.read_bytes()
        assert magic in data[:400]
        assert len(data) > 1000
    assert not list(tmp_path.glob("tmp*"))


def test_gradient_norm_view_gets_one_curve_per_layer(qtbot, pane, small_config):
    with qtbot.waitSignal(pane.finished, timeout=10_000):
        pane.start(small_config.replace(hidden=(16, 8)))
    layers = pane.grad_view.layers
    assert list(layers) == ["W1", "W2", "W3"]
    xs, ys, _item = layers["W1"]
    assert xs.n >= 1 and np.all(ys.view() > 0)


def test_smoothing_slider_resmooths_and_zero_shows_raw(qtbot, pane, small_config):
    with qtbot.waitSignal(pane.finished, timeout=10_000):
        pane.start(small_config)
    run = pane.curves.runs[0]
    pane.curves.smoothing_slider.setValue(0)
    np.testing.assert_array_equal(run.items["smooth"].getData()[1], run.loss.view())
    pane.curves.smoothing_slider.setValue(95)
    assert not np.array_equal(run.items["smooth"].getData()[1], run.loss.view())


def test_legend_untick_hides_a_runs_curves(qtbot, pane, small_config):
    with qtbot.waitSignal(pane.finished, timeout=10_000):
        pane.start(small_config)
    item = pane.curves.legend.item(0)
    item.setCheckState(Qt.CheckState.Unchecked)
    assert not pane.curves.runs[0].items["smooth"].isVisible()
    item.setCheckState(Qt.CheckState.Checked)
    assert pane.curves.runs[0].items["test"].isVisible()


def test_dock_shows_only_with_the_training_tab(qtbot, window):
    dock = window.settings_dock
    assert dock.isVisible()
    window.tabs.setCurrentWidget(window.surface_pane)
    assert not dock.isVisible()
    window.tabs.setCurrentWidget(window.training_pane)
    assert dock.isVisible()


def test_histograms_follow_init_and_activation_from_the_dock(qtbot, window, pane):
    dock = window.settings_dock
    dock.activation.setCurrentIndex(dock.activation.findData("sigmoid"))
    dock.init.setCurrentIndex(2)                    # std 1
    layers = pane.hist_view.last
    assert len(layers) == 5
    saturated = np.mean((layers[-1] < 0.05) | (layers[-1] > 0.95))
    assert saturated > 0.5                           # sigmoid with std 1 piles up at 0 and 1
    dock.init.setCurrentIndex(1)                    # std 0.01
    assert np.std(pane.hist_view.last[-1]) < 0.02    # collapsed near 0.5: every unit alike
    assert np.allclose(pane.hist_view.last[-1], 0.5, atol=0.1)
