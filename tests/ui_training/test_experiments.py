"""One-click experiments: every preset kind, on tiny synthetic data; start/stop cycles."""

from __future__ import annotations

import gc
import threading

import numpy as np
import pytest

from optilab import training
from optilab.training import RunConfig


def test_optimizer_compare_overlays_one_run_per_optimizer(qtbot, pane):
    with qtbot.waitSignal(pane.finished, timeout=60_000) as blocker:
        assert pane.start_preset("optimizer-compare", iterations=40, eval_interval=20, train_size=2000)
    assert blocker.args == ["finished"]
    labels = ["sgd", "momentum", "adagrad", "rmsprop", "adam"]
    # Runs train in parallel processes (#15 item 4): results and curves come as the runs end and start.
    assert [c.label for c in pane.session.configs] == labels
    assert sorted(r.config.label for r in pane.results) == sorted(labels)
    assert sorted(c.label for c in pane.curves.runs) == sorted(labels)
    assert all(c.it.n == 40 for c in pane.curves.runs)
    assert len({c.color for c in pane.curves.runs}) == 5
    assert "SGD is slowest" in pane.shows_label.text()


def test_overfit_preset_gives_the_accuracy_plot_the_larger_share(qtbot, pane):
    with qtbot.waitSignal(pane.finished, timeout=60_000):
        pane.start_preset("weight-decay", epochs=5)
    assert sorted(r.config.weight_decay for r in pane.results) == [0.0, 0.1]   # in the order they ended
    left, right = pane.curves.top_splitter.sizes()
    assert right > left
    run = next(r for r in pane.curves.runs if r.label == "weight decay λ=0.1")
    assert len(run.items["train"].getData()[0]) == len(run.items["test"].getData()[0]) >= 2


def test_random_search_fills_table_scatter_and_top_curves(qtbot, pane):
    with qtbot.waitSignal(pane.finished, timeout=60_000):
        pane.start_preset("random-search", trials=4, epochs=2)
    view = pane.search_view
    assert pane.views.currentWidget() is view
    assert view.table.rowCount() == 4
    assert len(view.scatter.data) == 4
    expected = training.search_table(pane.results)
    assert view.table.item(0, 0).text() == expected[0]["run"]
    x, y = view.scatter.getData()                               # η along x, λ along y
    np.testing.assert_allclose(sorted(x), sorted(np.log10([r["lr"] for r in expected])))
    np.testing.assert_allclose(sorted(y), sorted(np.log10([r["weight_decay"] for r in expected])))
    assert len(view.curves_plot.listDataItems()) == 2 * 4      # val and train per top run
    view.table.sortItems(1)                                      # by lr, numerically
    lrs = [float(view.table.item(i, 1).text()) for i in range(4)]
    assert lrs == sorted(lrs)


def test_histogram_preset_shows_the_book_case_without_training(qtbot, pane):
    assert not pane.start_preset("activation-histograms")
    assert pane.views.currentWidget() is pane.hist_view
    assert pane.hist_view.activation.currentData() == "sigmoid"
    assert not pane.is_running()


def test_gd_vs_sgd_points_to_the_surface_lab(qtbot, window, pane):
    assert not pane.start_preset("gd-vs-sgd")
    assert pane.surface_link.isVisible()
    pane.surface_link.click()
    assert window.tabs.currentWidget() is window.surface_pane


def test_every_preset_is_offered(pane):
    offered = [pane.preset.itemData(i) for i in range(pane.preset.count())]
    assert offered == training.names()


def _rss() -> int:
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) * 1024 for line in f if line.startswith("VmRSS"))


@pytest.mark.slow
def test_fifty_start_stop_cycles_leave_no_thread_and_no_growing_memory(qtbot, pane):
    cfg = RunConfig(optimizer="sgd", hparams={"lr": 0.05}, hidden=(4,), iterations=1_000_000, batch_size=10,
                    eval_interval=1_000_000, eval_train_size=100)
    before = set(threading.enumerate())

    def cycle():
        pane.start(cfg)
        qtbot.waitUntil(lambda: bool(pane.curves.runs) and pane.curves.runs[-1].it.n >= 2, timeout=5000)
        with qtbot.waitSignal(pane.finished, timeout=2000):
            pane.stop()
        assert not pane.is_running()

    for _ in range(10):          # warm-up: caches, first allocations
        cycle()
    gc.collect()
    first = _rss()
    for _ in range(40):
        cycle()
    gc.collect()
    grown = _rss() - first
    assert grown < 20_000_000, f"resident memory grew by {grown / 1e6:.1f} MB over 40 start/stop cycles"
    assert [t for t in threading.enumerate() if t not in before and t.is_alive()] == []
