"""The training lab's CS231n lessons: the dock's L1 and augmentation fields, the lesson table view."""

from __future__ import annotations

import numpy as np

from optilab import training
from optilab.training import RunConfig


def test_the_dock_edits_l1_and_augmentation(pane):
    dock = pane.dock
    dock.set_config(RunConfig(l1=0.01, augment=True))
    cfg = dock.config()
    assert cfg.l1 == 0.01 and cfg.augment is True
    dock.l1.set_value(0.0)
    dock.augment.setChecked(False)
    cfg = dock.config()
    assert cfg.l1 == 0.0 and cfg.augment is False


def test_the_four_lessons_are_offered(pane):
    offered = [pane.preset.itemData(i) for i in range(pane.preset.count())]
    i = offered.index("l1")
    assert offered[i:i + 4] == ["l1", "augmentation", "ensemble", "transfer"]


def test_a_lesson_whose_losses_differ_by_decades_draws_them_on_a_decade_axis(qtbot, pane):
    """L1's loss holds its penalty (tens) and the plain run's falls to hundredths: on a linear axis
    from 0 the plain run was a flat line on the floor.  `Preset.loss_axis` "log" was declared for
    such lessons (L1, LR schedules, housing) but never reached the plot."""
    with qtbot.waitSignal(pane.finished, timeout=120_000) as blocker:
        assert pane.start_preset("l1", epochs=20, eval_interval=None)
    assert blocker.args[0] == "finished", pane.error_label.text()
    plot = pane.curves.loss_plot
    assert plot.getAxis("left").logMode
    low, high = plot.viewRange()[1]                  # in decades
    losses = np.concatenate([np.asarray(r.history.loss) for r in pane.results])
    assert low <= np.log10(losses.min()) + 0.5 and high >= np.log10(losses.max()) - 0.5
    with qtbot.waitSignal(pane.finished, timeout=120_000):
        assert pane.start(RunConfig(hidden=(20,), iterations=20, batch_size=50))
    assert not plot.getAxis("left").logMode           # a single run: from 0 again


def _cells(view) -> list[list[str]]:
    t = view.table
    return [[t.item(r, c).text() for c in range(t.columnCount())] for r in range(t.rowCount())]


def test_the_ensemble_shows_its_members_mean_best_and_ensemble(qtbot, pane, tiny_data):
    with qtbot.waitSignal(pane.finished, timeout=120_000) as blocker:
        assert pane.start_preset("ensemble", epochs=3, eval_interval=None)
    assert blocker.args[0] == "finished", pane.error_label.text()
    assert pane.views.currentWidget() is pane.table_view
    assert pane.table_view.note.isHidden()          # its "appears here when one has finished" is done
    rows = _cells(pane.table_view)
    assert [r[0] for r in rows] == [f"member {i}" for i in range(1, 6)] + ["mean of members", "best member",
                                                                         "ensemble"]
    accs = [r.summary.test_acc for r in pane.results]
    probs = np.mean([r.test_probabilities for r in pane.results], axis=0)
    ensemble = float(np.mean(probs.argmax(axis=1) == tiny_data.t_test))
    assert rows[5][-1] == f"{100 * np.mean(accs):.1f} %" and rows[7][-1] == f"{100 * ensemble:.1f} %"


def test_transfer_shows_pretrained_random_and_scratch_runs(qtbot, pane, tiny_data):
    with qtbot.waitSignal(pane.finished, timeout=120_000) as blocker:
        assert pane.start_preset("transfer", iterations=20)
    assert blocker.args[0] == "finished", pane.error_label.text()
    assert pane.views.currentWidget() is pane.table_view
    view = pane.table_view
    assert view.columns[:4] == ["run", "frozen", "pretrain_test_acc", "n_train"]
    rows = _cells(view)
    assert [r[1] for r in rows] == ["1", "2", "4", "2", "0"]
    assert rows[3][2] == "—" and rows[0][2].endswith("%")          # random features: no pre-training
    labels = [c.label for c in training.get("transfer").configs()]
    assert [r[0] for r in rows] == labels
