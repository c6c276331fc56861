"""Visual audit of the training lab (issue #11): every experiment, opened as a teacher opens it.

Each experiment of chapter 6 runs in the real window at 1280×800 on the bundled
sample, in its opening mode (Quick as the pane opens), shrunk to a few
iterations — this audits the VIEW; the claims tests measure the lessons.
Then: its own view is in front, each axis title names the data drawn on it
(the drawn arrays are compared with the engine's records), a legend lists
every run, no text is clipped, the loss axis range is finite, and the dock
says its settings are for single runs.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

pytest.importorskip("PySide6")

from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QComboBox,
    QLabel,
    QStyle,
    QStyleOptionComboBox,
    QWidget,
)

from optilab import training
from optilab.ui.app import share_gl_contexts

share_gl_contexts()

#: How each experiment is shrunk for the audit of its view (RunConfig overrides; trials for the search).
SHRINK = dict(iterations=10, train_size=300)
TRIALS = 3
#: Pixels a text may overhang its widget's box (antialiasing).
SLACK = 1


@pytest.fixture(scope="module")
def lab(qapp, tmp_path_factory):
    """The main window with the training lab current, on the bundled sample, settings in a temp folder."""
    import os

    from PySide6.QtCore import QSettings

    from optilab.ui import MainWindow
    from optilab.ui.training_lab import install

    tmp = tmp_path_factory.mktemp("training-audit")
    saved = {k: os.environ.get(k) for k in ("XDG_CACHE_HOME", "OPTILAB_MNIST_DIR")}
    os.environ["XDG_CACHE_HOME"] = str(tmp / "cache")
    os.environ.pop("OPTILAB_MNIST_DIR", None)
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(tmp / "config"))
    win = MainWindow()
    pane = getattr(win, "training_pane", None) or install(win)
    win.resize(1280, 800)
    win.tabs.setCurrentWidget(pane)
    win.show()
    yield win
    pane.shutdown()
    win.surface_pane.pause()
    win.close()
    win.deleteLater()
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


def _plain(text: str) -> str:
    return re.sub(r"<[^>]+>", "", text).replace("&", "")


def clipped_texts(root: QWidget) -> list[str]:
    """Texts of visible labels, buttons and combo boxes under ``root`` wider than their room."""
    bad = []
    for w in root.findChildren(QWidget):
        if not w.isVisible() or w.width() <= 0:
            continue
        fm = QFontMetrics(w.font())
        if isinstance(w, QComboBox):
            opt = QStyleOptionComboBox()
            w.initStyleOption(opt)
            room = w.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, opt,
                                            QStyle.SubControl.SC_ComboBoxEditField, w).width()
            text = w.currentText()
        elif isinstance(w, QCheckBox):
            indicator = w.style().pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth, None, w)
            spacing = w.style().pixelMetric(QStyle.PixelMetric.PM_CheckBoxLabelSpacing, None, w)
            room, text = w.width() - indicator - spacing, w.text()
        elif isinstance(w, QAbstractButton):
            room, text = w.width(), w.text()
        elif isinstance(w, QLabel) and not w.wordWrap() and w.pixmap().isNull():
            room, text = w.contentsRect().width(), _plain(w.text())
        else:
            continue
        text = _plain(text)
        if text and fm.horizontalAdvance(text) > room + SLACK:
            bad.append(f"{type(w).__name__} {text!r}: {fm.horizontalAdvance(text)} px in {room} px")
    return bad


def _check_curves(pane, results, log: bool = False) -> None:
    curves = pane.curves
    labels = [r.config.label for r in results]
    assert [r.label for r in curves.runs] == labels
    for name, legend in curves.plot_legends.items():
        assert [label.text for _s, label in legend.items] == labels, f"the {name} legend must list every run"
    titles = {name: plot.getAxis("left").labelText for name, plot in curves.plots().items()}
    assert "loss" in titles["loss"] and "accuracy" in titles["accuracy"] and "η" in titles["lr"]
    for name, plot in curves.plots().items():
        assert "iteration" in plot.getAxis("bottom").labelText, name
    for run, res in zip(curves.runs, results, strict=False):
        h = res.history
        x, y = run.items["raw"].getOriginalDataset()    # loss axis: the recorded losses
        # A lesson whose losses differ by decades draws them on a decade axis (Preset.loss_axis).
        assert curves.loss_plot.getAxis("left").logMode == log
        np.testing.assert_allclose(x, h.iterations)
        np.testing.assert_allclose(y, h.loss)
        x, y = run.items["lr"].getData()                # η axis: the recorded rates
        np.testing.assert_allclose(y, h.lr)
        x, y = run.items["test"].getData()              # accuracy axis: the recorded test accuracies
        np.testing.assert_allclose(x, h.eval_iterations)
        np.testing.assert_allclose(y, h.test_acc)
    low, high = curves.loss_plot.viewRange()[1]
    assert math.isfinite(low) and math.isfinite(high) and high > 0


def _check_search(pane, results) -> None:
    view = pane.search_view
    x, y = view.scatter.getData()
    assert sorted(np.round(x, 9)) == sorted(round(math.log10(r.config.hparams["lr"]), 9) for r in results)
    assert sorted(np.round(y, 9)) == sorted(round(math.log10(r.config.weight_decay), 9) for r in results)
    assert "η" in view.scatter_plot.getAxis("bottom").labelText
    assert "λ" in view.scatter_plot.getAxis("left").labelText
    assert view.table.rowCount() == len(results)
    shown = [label.text for _s, label in view.curves_legend.items]
    assert shown == [row["run"] for row in training.search_table(results)][: view.top]


def _check_bn(pane, results) -> None:
    from optilab.ui.training_lab.bn_view import BN_STYLE, NO_BN_STYLE

    def style_of(r):
        color, style = BN_STYLE if r.config.batchnorm else NO_BN_STYLE
        return color.upper(), style

    view = pane.bn_view
    scales = list(dict.fromkeys(repr(r.config.init) for r in results))
    assert len(view.plots) == len(scales)
    assert [label.text for _s, label in view.legend.items] == ["batch norm", "no batch norm"]
    for k, (plot, scale) in enumerate(zip(view.plots, scales, strict=False)):
        runs = [r for r in results if repr(r.config.init) == scale]
        items = plot.listDataItems()
        assert len(items) == len(runs) == 2
        for item in items:
            key = (item.opts["pen"].color().name().upper(), item.opts["pen"].style())
            res = next(r for r in runs if style_of(r) == key)
            x, y = item.getData()                       # y: training accuracy; x: epochs
            np.testing.assert_allclose(y, res.history.train_acc)
            np.testing.assert_allclose(x, res.history.eval_iterations / res.iters_per_epoch)
        if k % 4 == 0:
            assert "train acc" in plot.getAxis("left").labelText
    assert "epoch" in view.plots[-1].getAxis("bottom").labelText


def _check_regression(pane, runs) -> None:
    """Housing: RMSE and R² lines per run and split hold the engine's records against epochs; the
    scatter's x is the actual price, y the prediction; the axis titles say so, with the unit."""
    view = pane.regression_view
    for r in runs:
        epochs = r.history.eval_epochs
        for split in ("train", "val", "test"):
            for metric in ("rmse", "r2"):
                item = view.lines[(r.config.label, metric, split)]
                x, y = item.getData()
                values = r.history.regression(f"{split}_{metric}")
                keep = np.isfinite(values)
                np.testing.assert_allclose(y, values[keep])
                np.testing.assert_allclose(x, epochs[keep])
    assert "RMSE ($100,000)" in view.rmse_plot.getAxis("left").labelText
    assert "R²" in view.r2_plot.getAxis("left").labelText
    assert "epoch" in view.rmse_plot.getAxis("bottom").labelText
    assert "actual MedHouseVal ($100,000)" in view.fit_plot.getAxis("bottom").labelText
    assert "predicted ($100,000)" in view.fit_plot.getAxis("left").labelText
    fit = view.fits[view.run_box.currentText()]
    x, y = view.fit_points.getData()
    np.testing.assert_array_equal(x, fit.actual)
    np.testing.assert_array_equal(y, fit.predicted)
    assert all(r.config.label in view.legend.text() for r in runs)


@pytest.mark.parametrize("name", training.names())
def test_each_experiment_opens_readable_in_its_own_view(qtbot, lab, name):
    pane = lab.training_pane
    preset = training.get(name)
    pane.views.setCurrentIndex(pane.views.count() - 2)    # something else in front first
    kwargs = dict(SHRINK)
    if preset.kind == "random-search":
        kwargs["trials"] = TRIALS
    if preset.kind in ("runs", "random-search", "ensemble", "transfer"):
        with qtbot.waitSignal(pane.finished, timeout=120_000) as blocker:
            assert pane.start_preset(name, **kwargs)
        assert blocker.args[0] in ("finished", "diverged"), pane.error_label.text()
        assert len(pane.results) == (TRIALS if preset.kind == "random-search" else len(preset.configs()))
        assert all(r.status in ("finished", "diverged") for r in pane.results)
    else:
        assert not pane.start_preset(name)
    qtbot.wait(30)
    expected = {"histograms": pane.hist_view, "random-search": pane.search_view,
                "ensemble": pane.table_view, "transfer": pane.table_view}.get(
        preset.kind, pane.bn_view if name == "batchnorm-compare" else
        pane.regression_view if preset.view == "rmse" else pane.curves)
    if preset.kind == "trajectories":
        assert pane.surface_link.isVisible()
    else:
        assert pane.views.currentWidget() is expected, f"{name} must show its own view"
    if expected is pane.curves and preset.kind == "runs":
        _check_curves(pane, pane.results, log=name in ("lr-schedules", "l1"))   # final losses decades apart
    elif expected is pane.bn_view:
        _check_bn(pane, pane.results)
    elif preset.kind == "random-search":
        _check_search(pane, pane.results)
    elif expected is pane.regression_view:
        _check_regression(pane, pane.results)
    note = pane.dock.experiment_note
    assert note.isVisible() and "single runs" in note.text()
    assert pane.rate_label.text() == ""
    assert clipped_texts(lab) == []
