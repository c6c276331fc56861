"""Seeds in the training lab's curves (#15 item 2): per label a mean line and a ±1 sd band, one list line.

Expected numbers by hand: seeds with losses 1, 2, 3 have mean 2 and sample
sd √((1 + 0 + 1) / 2) = 1; accuracies 0.80 and 0.90 have mean 0.85 and sd
√(2 · 0.05² / 1) = 0.0707….
"""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pytest

pytest.importorskip("PySide6")

def _view(qtbot):
    from optilab.ui.app import create_app
    from optilab.ui.training_lab.plots import CurvesView

    create_app()
    view = CurvesView()
    qtbot.addWidget(view)
    view.set_smoothing(0.0)               # the smoothed curve is the loss itself
    view.set_seeds(3)
    return view


def _feed(view, label, losses, tests=()):
    """One seed of ``label`` whose loss is constant ``losses`` over 5 steps, η 0.1, one test accuracy."""
    run = view.add_run(label, total_iterations=5)
    it = np.arange(1, 6, dtype=float)
    evaluations = [SimpleNamespace(iteration=5, train_acc=t, val_acc=math.nan, test_acc=t) for t in tests]
    view.append(run, it, np.full(5, losses), np.full(5, 0.1), evaluations)
    return run


def test_three_seeds_draw_one_mean_line_and_a_one_sd_band(qtbot):
    view = _view(qtbot)
    for loss, test in ((1.0, 0.80), (2.0, 0.90), (3.0, 0.85)):
        _feed(view, "sgd", loss, [test])
    band = view.bands["sgd"]
    x, mean = band.items["smooth"].getData()
    np.testing.assert_allclose(x, [1, 2, 3, 4, 5])
    np.testing.assert_allclose(mean, 2.0)
    low, high, fill = band.bands["smooth"]
    np.testing.assert_allclose(low.getData()[1], 1.0)
    np.testing.assert_allclose(high.getData()[1], 3.0)
    np.testing.assert_allclose(band.items["test"].getData()[1], [0.85])
    np.testing.assert_allclose(band.bands["test"][1].getData()[1], [0.85 + 0.05])   # sd of .80,.90,.85 = .05
    np.testing.assert_allclose(band.bands["lr"][0].getData()[1], 0.1)                # equal η: zero width
    assert fill.scene() is view.loss_plot.scene()
    box = fill.path().boundingRect()              # the fill covers 1 … 5 in x, 1 … 3 in loss
    assert (box.left(), box.right(), box.top(), box.bottom()) == pytest.approx((1, 5, 1, 3))
    assert all(not item.isVisible() for run in view.runs for item in run.items.values())


def test_labels_keep_one_colour_and_one_list_line_each_with_mean_and_sd(qtbot):
    view = _view(qtbot)
    for label in ("sgd", "adam"):
        for loss in (1.0, 2.0, 3.0):
            _feed(view, label, loss if label == "sgd" else loss / 10, [0.8])
    assert view.legend.count() == 2
    assert len({b.color for b in view.bands.values()}) == 2
    assert [text.text for _sample, text in view.plot_legends["loss"].items] == ["sgd", "adam"]
    for run in view.runs:
        view.set_status(run, "finished")
    text = view.legend.item(0).text()
    assert text == "sgd · 3 seeds · loss 2 ± 1 · test 80.0% ± 0.0%"
    assert view.legend.item(1).text().startswith("adam · 3 seeds · loss 0.2 ± 0.1")
    assert "mean of 3 seeds, band ±1 sd" in view.loss_plot.titleLabel.text


def test_the_list_gives_the_final_numbers_of_the_seeds_that_ended(qtbot):
    view = _view(qtbot)
    first = _feed(view, "sgd", 1.0)
    view.set_status(first, "finished")
    second = _feed(view, "sgd", 3.0)
    # The curve averages both seeds; the final numbers only the seed that ended.
    np.testing.assert_allclose(view.bands["sgd"].items["smooth"].getData()[1], 2.0)
    assert view.legend.item(0).text() == "sgd · 1 of 3 seeds · loss 1 ± 0"
    view.set_status(second, "finished")
    assert view.legend.item(0).text() == "sgd · 2 of 3 seeds · loss 2 ± 1.4"      # sd of 1, 3: √2


def test_unticking_a_label_hides_its_mean_and_band(qtbot):
    from PySide6.QtCore import Qt

    view = _view(qtbot)
    for loss in (1.0, 2.0):
        _feed(view, "sgd", loss)
    view.legend.item(0).setCheckState(Qt.CheckState.Unchecked)
    assert not any(item.isVisible() for item in view.bands["sgd"].all_items())


def test_one_seed_draws_each_run_as_before(qtbot):
    from optilab.ui.app import create_app
    from optilab.ui.training_lab.plots import CurvesView

    create_app()
    view = CurvesView()
    qtbot.addWidget(view)
    run = view.add_run("sgd", total_iterations=5)
    assert not view.bands and run.items["smooth"].isVisible() is not False
    assert "seeds" not in view.loss_plot.titleLabel.text


def test_labels_named_up_front_keep_the_experiments_order_whichever_seed_comes_first(qtbot):
    view = _view(qtbot)
    view.clear()
    view.set_seeds(2, ["sgd", "adam"])
    assert [view.legend.item(i).text() for i in range(2)] == ["sgd · 0 of 2 seeds", "adam · 0 of 2 seeds"]
    _feed(view, "adam", 1.0)             # a parallel job: adam's first seed arrives before sgd's
    assert view.bands["adam"].row == 1 and len(view.bands["adam"].members) == 1
    np.testing.assert_allclose(view.bands["adam"].items["smooth"].getData()[1], 1.0)   # drawn as it goes
    assert view.bands["sgd"].color != view.bands["adam"].color
