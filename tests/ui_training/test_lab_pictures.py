"""Issue #11 in the training lab: what the plots, the dock and the status line show must be true."""

from __future__ import annotations

import math

import numpy as np
import pytest
from PySide6.QtCore import Qt

from optilab import training
from optilab.training import RunConfig, RunResult
from optilab.training.records import Evaluation, History, RunSummary


@pytest.fixture
def lone(qtbot, tiny_data):
    """The training lab alone (no main window: a few times faster to build), on tiny data."""
    from optilab.ui.training_lab import SettingsDock, TrainingLabPane

    dock = SettingsDock()
    pane = TrainingLabPane(dock)
    qtbot.addWidget(dock)
    qtbot.addWidget(pane)
    pane.set_dataset(tiny_data)
    pane.resize(900, 700)
    pane.show()
    dock.show()
    yield pane
    pane.shutdown()


def _result(cfg: RunConfig, status: str = "finished", val: float | None = 0.5,
            evals: list[tuple[int, float]] = ()) -> RunResult:
    """A finished run as the engine reports it (config, history, summary)."""
    h = History()
    for it, acc in evals:
        h.add_evaluation(Evaluation(run=cfg.label, iteration=it, epoch=it / 10, train_acc=acc, val_acc=val or math.nan,
                                    test_acc=acc))
    summary = RunSummary(run=cfg.label, config=cfg.to_dict(), status=status,
                         diverged_at=3 if status == "diverged" else None, iterations=10, epochs=1.0, elapsed_s=0.0,
                         final_loss=None, val_acc=val, train_acc=0.4, test_acc=0.3, n_train=100, n_val=0, n_test=10)
    return RunResult(cfg, h, 10, summary)


# -- item 1: the random-search scatter ------------------------------------------------------
def test_random_search_scatter_has_eta_along_x_and_lambda_along_y_with_decade_ticks(qtbot):
    from optilab.ui.training_lab.experiments_view import RandomSearchView

    view = RandomSearchView()
    qtbot.addWidget(view)
    view.resize(900, 500)
    view.show()
    view.clear(top=2)
    trials = [(0.000572, 2.02e-05), (1e-3, 1e-7), (3e-6, 5e-5)]
    for i, (lr, wd) in enumerate(trials):
        cfg = RunConfig(optimizer="sgd", hparams={"lr": lr}, weight_decay=wd, label=f"trial {i + 1}")
        view.add_result(_result(cfg, val=0.1 * (i + 1)))
    x, y = view.scatter.getData()
    pairs = sorted(zip(np.round(x, 9), np.round(y, 9), strict=False))
    assert pairs == sorted((round(math.log10(lr), 9), round(math.log10(wd), 9)) for lr, wd in trials)
    bottom, left = view.scatter_plot.getAxis("bottom"), view.scatter_plot.getAxis("left")
    assert "η" in bottom.labelText and "λ" not in bottom.labelText
    assert "λ" in left.labelText and "η" not in left.labelText
    view.clear(top=2, lr_range=(-6.0, -2.0), wd_range=(-8.0, -4.0))   # the preset's ranges frame it
    qtbot.wait(50)
    for axis, decades in ((bottom, range(-6, -1)), (left, range(-8, -3))):
        (spacing, values), = axis.tickValues(*axis.range, 400)
        assert values == [float(k) for k in decades]
        strings = axis.tickStrings(values, 1.0, spacing)
        assert strings[0] == "10⁻" + "⁰¹²³⁴⁵⁶⁷⁸⁹"[-decades[0]]
        assert all(s.startswith("10") and s[2:].startswith("⁻") for s in strings)
        assert "x1e" not in axis.labelString() and "(x" not in axis.labelString()
        assert axis.autoSIPrefix is False


# -- item 5: the opening mode ---------------------------------------------------------------
def test_quick_is_off_by_default_as_in_the_cli(lone):
    import argparse

    from optilab.cli import train as cli_train

    parser = argparse.ArgumentParser()
    cli_train.register(parser.add_subparsers())
    cli_default = parser.parse_args(["train", "--preset", "overfit"]).quick
    assert cli_default is False
    assert lone.quick.isChecked() is cli_default


# -- item 8: loss axis, expected divergence -------------------------------------------------
def test_one_blown_up_run_does_not_flatten_the_loss_axis(qtbot):
    from optilab.ui.training_lab.plots import CurvesView

    view = CurvesView()
    qtbot.addWidget(view)
    calm, wild = view.add_run("calm", total_iterations=100), view.add_run("wild", total_iterations=100)
    it = np.arange(1, 51, dtype=float)
    view.append(calm, it, np.linspace(2.3, 0.4, 50), np.full(50, 0.1))
    view.append(wild, it, np.r_[2.4, 10.0 ** np.linspace(1, 27, 49)], np.full(50, 0.1))
    view.redraw(force=True)
    _low, high = view.loss_plot.viewRange()[1]
    assert math.isfinite(high) and 2.4 <= high <= 3 * 2.35 * 1.06   # 3 × the median start, +5 %


def _session(configs, results):
    """A job's session that received these runs' ends (as the pane's does)."""
    from optilab.lab.training import TrainingSession
    from optilab.training.events import RunDone
    from optilab.training.records import Finished

    session = TrainingSession()
    session.start(configs)
    for i, r in enumerate(results):
        s = r.summary
        session.receive(RunDone(i, Finished(s.run, s.status, s.iterations, s.diverged_at, 0.0), r))
    return session


def test_expected_no_bn_divergence_is_reported_as_the_result():
    from optilab.ui.training_lab.status import status_text

    configs = training.get("batchnorm-compare").configs()
    results = [_result(c, "diverged" if (not c.batchnorm and i in (1, 3, 5)) else "finished")
               for i, c in enumerate(configs)]
    session = _session(configs, results)
    assert session.unexpected_divergences() == []
    n_scales = len({repr(c.init) for c in configs})
    assert status_text("finished", session) == f"Finished — no-BN diverged at 3 of {n_scales} scales, as expected"
    # A BN run that diverges is still a failure, worded as one.
    results[0] = _result(configs[0], "diverged")
    session = _session(configs, results)
    assert [r.config.label for r in session.unexpected_divergences()] == [configs[0].label]
    assert status_text("diverged", session).startswith("Diverged at step 3")


# -- item 12: legends, markers ----------------------------------------------------------------
def test_every_plot_has_a_legend_listing_every_run_and_exports_keep_it(qtbot, tmp_path):
    from optilab.ui.training_lab.plots import CurvesView, export_plot

    view = CurvesView()
    qtbot.addWidget(view)
    view.resize(1000, 700)
    view.show()
    labels = ["sgd", "momentum", "adagrad", "rmsprop", "adam"]
    for i, label in enumerate(labels):
        run = view.add_run(label, total_iterations=20)
        view.append(run, np.arange(1, 21, dtype=float), np.linspace(2.3, 1.0 - 0.1 * i, 20), np.full(20, 0.01))
    view.redraw(force=True)
    for name, legend in view.plot_legends.items():
        assert [label.text for _sample, label in legend.items] == labels, name
    svg = export_plot(view.loss_plot, tmp_path / "loss.svg").read_text(encoding="utf-8")
    assert all(label in svg for label in labels)        # the legend is drawn into the export


def test_accuracy_markers_are_thinned_so_the_line_styles_show(qtbot):
    from optilab.training.records import Evaluation as Ev
    from optilab.ui.training_lab.plots import CurvesView

    most = 12                                                   # a dozen markers per curve at most

    view = CurvesView()
    qtbot.addWidget(view)
    run = view.add_run("overfit", total_iterations=201)
    evals = [Ev(run="overfit", iteration=k, epoch=k, train_acc=min(1, k / 100), val_acc=math.nan, test_acc=0.5)
             for k in range(201)]
    view.append(run, np.arange(1, 202, dtype=float), np.ones(201), np.ones(201), evals)
    view.redraw(force=True)
    for role in ("train", "test"):
        line_x, _ = run.items[role].getData()
        assert len(line_x) == 201
        assert run.items[role].opts["symbol"] is None          # the line carries no markers
        marker_x, _ = run.items[role + "_m"].getData()
        assert 2 <= len(marker_x) <= most


# -- item 12: the pane -------------------------------------------------------------------------
def test_a_single_run_comes_to_the_front_and_its_speed_shows_paused_then_nothing(qtbot, lone, small_config):
    """After an experiment (its view in front, the dock noting it is for single runs), Start shows
    the curves; while paused the speed says "paused", once stopped nothing (it froze before)."""
    pane = lone
    assert not pane.start_preset("activation-histograms")
    assert pane.views.currentWidget() is pane.hist_view
    assert not pane.dock.experiment_note.isHidden()
    assert "single runs" in pane.dock.experiment_note.text()
    cfg = small_config.replace(iterations=200_000, eval_interval=100_000)
    assert pane.start(cfg)
    assert pane.views.currentWidget() is pane.curves
    assert pane.dock.experiment_note.isHidden()
    qtbot.waitUntil(lambda: "it/s" in pane.rate_label.text() and pane.session.run_iterations > 20, timeout=60_000)
    pane.pause()
    assert pane.rate_label.text() == "paused"
    with qtbot.waitSignal(pane.finished, timeout=60_000):
        pane.stop()
    assert pane.rate_label.text() == ""


def test_in_the_window_the_surface_link_loads_its_lesson_and_the_theme_reaches_the_plots(
        qtbot, window, pane, small_config):
    from optilab.ui.palette import THEMES, run_color

    pane = window.training_pane
    surface = window.surface_pane
    from optilab import lessons

    surface.load_lesson(next(k for k in lessons.keys() if k != "gd-vs-sgd"))
    assert surface.lesson.key != "gd-vs-sgd"
    assert not pane.start_preset("gd-vs-sgd")
    assert pane.surface_link.isVisible()
    qtbot.mouseClick(pane.surface_link, Qt.MouseButton.LeftButton)
    assert window.tabs.currentWidget() is surface
    assert surface.lesson.key == "gd-vs-sgd"
    window.tabs.setCurrentWidget(pane)

    with qtbot.waitSignal(pane.finished, timeout=60_000):
        assert pane.start(small_config)
    window.set_theme("dark")
    try:
        for widget in (pane.curves.loss_widget, pane.search_view.scatter_widget):
            assert widget.backgroundBrush().color().name() == THEMES["dark"].plot_background
        axis = pane.curves.loss_plot.getAxis("left")
        assert axis.textPen().color().name() == THEMES["dark"].text
        window.set_palette("high-contrast")
        window.tabs.setCurrentIndex(0)
        window.tabs.setCurrentWidget(pane)
        pen = pane.curves.runs[0].items["smooth"].opts["pen"]
        assert pen.color().name().lower() == run_color(0).lower()
    finally:
        window.set_palette("colour-blind")
        window.set_theme("light")


def test_export_dialog_offers_every_training_export(qtbot, lone):
    pane = lone
    menu = pane.export_dialog()
    try:
        qtbot.waitUntil(menu.isVisible, timeout=5000)
        whats = [a.text() for a in menu.actions()]
        assert len(whats) == 5 and whats[0].startswith("Loss CSV")
    finally:
        menu.close()
