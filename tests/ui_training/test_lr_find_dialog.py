"""The "Find η…" dialog: runs the range test in a child process, shows the suggestions, and one click
puts a suggestion in the dock's η; Cancel and a killed child each end in one line."""

from __future__ import annotations

import os
import signal

import numpy as np
import pytest

from optilab.training import RunConfig
from optilab.training import lr_find as lf
from optilab.training.remote import DataSpec

SMALL = RunConfig(optimizer="sgd", hparams={"lr": 0.01}, hidden=(10,), batch_size=32, iterations=50, snapshots=0)


def _dock(qtbot, data):
    from optilab.ui.training_lab.settings_dock import SettingsDock

    dock = SettingsDock()
    qtbot.addWidget(dock)
    dock.set_config(SMALL)
    dock.data_spec = lambda: DataSpec("dataset", dataset=data)   # the tiny set instead of the sample
    return dock


def _dialog(qtbot, data, config=SMALL):
    from optilab.ui.training_lab.lr_find_dialog import LRFindDialog

    dialog = LRFindDialog(config, DataSpec("dataset", dataset=data))
    qtbot.addWidget(dialog)
    return dialog


def test_find_button_runs_the_test_and_a_click_applies_the_suggestion(qtbot, tiny_data):
    dock = _dock(qtbot, tiny_data)
    assert dock.find_lr.isEnabled()
    dock.find_lr.click()
    dialog = next(w for w in dock.findChildren(object) if type(w).__name__ == "LRFindDialog")
    qtbot.addWidget(dialog)
    assert dialog.running and not dialog.run_button.isEnabled()
    qtbot.waitUntil(lambda: not dialog.running, timeout=60_000)
    result = dialog.result
    assert result is not None and result.steps >= 10, dialog.status.text()
    np.testing.assert_allclose(result.lrs, lf.schedule(1e-7, 10.0, 100)[: result.steps])
    assert set(dialog.apply_buttons) == {"steepest", "min_over_10"}
    chosen = result.suggestions["min_over_10"].lr
    assert dialog.apply_buttons["min_over_10"].text() == f"Use η = {chosen:.2g}"
    with qtbot.waitSignal(dock.lr_changed) as got:
        dialog.apply_buttons["min_over_10"].click()
    assert dock.lr.value() == float(f"{chosen:.2g}") == got.args[0]
    assert dock.config().hparams["lr"] == float(f"{chosen:.2g}")


def test_marks_sit_at_the_suggested_eta(qtbot, tiny_data):
    import pyqtgraph as pg

    dialog = _dialog(qtbot, tiny_data)
    lrs = lf.schedule(1e-4, 1.0, 41)
    u = np.log10(lrs)
    smoothed = np.where(u <= -1, 1 - np.tanh(u + 3), 1 - np.tanh(2) + (u + 1) ** 2)   # steepest 1e-3, min 0.1
    result = lf.LRFindResult(lrs, smoothed, smoothed, 41, lf.suggest(lrs, smoothed))
    dialog.show_result(result)
    lines = sorted(item.value() for item in dialog.plot.items if isinstance(item, pg.InfiniteLine))
    assert lines == pytest.approx([-3.0, -2.0])        # log10 of 1e-3 (steepest) and 0.1 ÷ 10
    texts = [dialog.suggestion_grid.itemAt(i).widget().text() for i in range(dialog.suggestion_grid.count())]
    assert any("suggested η = 0.001 (steepest descent of the smoothed loss)" in t for t in texts)
    assert any("suggested η = 0.01 (minimum of the smoothed loss ÷ 10)" in t for t in texts)


def test_bad_range_is_one_line_and_nothing_starts(qtbot, tiny_data):
    dialog = _dialog(qtbot, tiny_data)
    dialog.fields["start_lr"].set_value(1.0)
    dialog.fields["end_lr"].set_value(0.1)
    assert dialog.start() is False
    assert dialog.job is None
    assert "must be smaller than the end η" in dialog.status.text()
    assert "\n" not in dialog.status.text()


def test_cancel_stops_the_child_and_says_so(qtbot, tiny_data):
    dialog = _dialog(qtbot, tiny_data, SMALL.replace(hidden=(200, 200)))
    dialog.fields["steps"].setValue(10_000)
    dialog.fields["end_lr"].set_value(1e-6)     # a tiny η: the test would run all 10,000 steps
    assert dialog.start()
    qtbot.waitUntil(lambda: dialog.progress.value() > 0, timeout=60_000)
    dialog.cancel_button.click()
    qtbot.waitUntil(lambda: not dialog.running, timeout=30_000)
    assert dialog.status.text() == "the learning-rate range test was cancelled"
    assert dialog.run_button.isEnabled()


def test_a_killed_child_is_one_line(qtbot, tiny_data):
    dialog = _dialog(qtbot, tiny_data, SMALL.replace(hidden=(200, 200)))
    dialog.fields["steps"].setValue(10_000)
    dialog.fields["end_lr"].set_value(1e-6)
    assert dialog.start()
    qtbot.waitUntil(lambda: dialog.progress.value() > 0, timeout=60_000)
    os.kill(dialog.job.pid, signal.SIGKILL)
    qtbot.waitUntil(lambda: not dialog.running, timeout=30_000)
    text = dialog.status.text()
    assert text.startswith("the training process ended unexpectedly (killed by signal 9 (SIGKILL))")
    assert "\n" not in text
