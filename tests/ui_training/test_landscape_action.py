"""The training lab's "Show its loss landscape" through the real window (pytest-qt, under Xvfb):
offered when a run has its snapshots, the dialog, progress and Cancel, the cache, a killed child,
the surface lab receiving the landscape, and a landscape lesson."""

from __future__ import annotations

import os
import signal
import time

import numpy as np
import pytest
from PySide6.QtWidgets import QDialogButtonBox, QPushButton

from optilab import data as datamod
from optilab.lab import landscape as model
from optilab.landscape import LandscapeLesson, LandscapeOptions
from optilab.training import RunConfig
from optilab.ui.i18n import tr_message
from optilab.ui.training_lab.worker import TrainingJob

#: The brief's tiny run: 30 iterations of a 784-10-10 net, 10 weight snapshots.
TINY = dict(optimizer="sgd", hparams={"lr": 0.1}, hidden=(10,), iterations=30, batch_size=50,
            eval_interval=None, snapshots=10)
#: A slice that takes a few seconds (to cancel or kill it mid-way).
SLOW = LandscapeOptions(grid=81, samples=2000)


@pytest.fixture(scope="module")
def sample():
    return datamod.load(sample=True)


@pytest.fixture
def lab(window, sample):
    pane = window.training_pane
    pane.set_dataset(sample)
    return pane


def _train(qtbot, pane, **changes):
    with qtbot.waitSignal(pane.finished, timeout=20_000) as blocker:
        assert pane.start(RunConfig(**{**TINY, **changes}))
    assert blocker.args == ["finished"]


def _gone(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_a_trained_run_shows_its_landscape_in_the_surface_lab_and_again_from_the_cache(qtbot, window, lab):
    action = lab.landscape
    assert not action.button.isEnabled()
    assert action.button.toolTip() == tr_message(model.NO_RESULT())
    with qtbot.waitSignal(lab.started, timeout=5000):
        lab.start(RunConfig(**{**TINY, "iterations": 400}))
    assert not action.button.isEnabled()
    assert action.button.toolTip() == tr_message(model.TRAINING())
    qtbot.waitUntil(lambda: not lab.is_running(), timeout=30_000)
    assert action.button.isEnabled()

    action.button.click()
    dialog = action.dialog
    assert dialog is not None and dialog.isVisible()
    assert not dialog.run.isVisible()                         # one run: no picker
    assert dialog.fields["directions"].currentData() == "pca"  # the default, from LandscapeOptions
    dialog.set_value("grid", 5)
    dialog.set_value("samples", 100)
    with qtbot.waitSignal(lab.landscape_ready, timeout=30_000) as blocker:
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
        assert action.progress is not None and action.progress.isVisible()
    landscape, caption = blocker.args
    assert caption is None
    assert landscape.loss.shape == (5, 5) and np.all(np.isfinite(landscape.loss))
    assert landscape.options == LandscapeOptions(grid=5, samples=100)
    assert [p.label for p in landscape.paths] == [lab.results[0].config.label]
    assert landscape.title == lab.results[0].config.label
    # The window showed it: the surface lab is current and in landscape mode with this landscape.
    assert window.tabs.currentWidget() is window.surface_pane
    assert window.surface_pane.lab.landscape is landscape
    assert action.progress is None and not action.is_computing()
    assert action.jobs_started == 1

    # Again with the same options: from the cache, at once, no process.
    window.tabs.setCurrentWidget(lab)
    with qtbot.waitSignal(lab.landscape_ready, timeout=100) as again:
        assert action.compute(LandscapeOptions(grid=5, samples=100))
    assert again.args[0] is landscape and action.jobs_started == 1 and not action.is_computing()
    assert window.tabs.currentWidget() is window.surface_pane

    # A new training job clears the cache.
    _train(qtbot, lab)
    assert action.session.cached(model.LandscapeRequest((0,), LandscapeOptions(grid=5, samples=100))) is None


def test_cancel_mid_computation_ends_within_a_second_and_leaves_the_action_usable(qtbot, lab):
    _train(qtbot, lab)
    action = lab.landscape
    assert action.compute(SLOW)
    qtbot.waitUntil(lambda: action.session.points[0] > 0, timeout=20_000)
    pid = action._worker.pid
    t0 = time.perf_counter()
    action.progress.findChild(QPushButton).click()            # the progress dialog's Cancel
    qtbot.waitUntil(lambda: not action.is_computing(), timeout=3000)
    assert time.perf_counter() - t0 < 1.0
    assert action.session.state == model.CANCELLED_STATE
    assert pid is not None and _gone(pid)                     # no zombie: the child was reaped
    assert not lab.error_label.isVisible()
    assert action.button.isEnabled() and lab.start_button.isEnabled()
    with qtbot.waitSignal(lab.landscape_ready, timeout=30_000):
        assert action.compute(LandscapeOptions(grid=3, samples=50))


def test_a_killed_child_shows_one_line_and_leaves_the_action_usable(qtbot, lab):
    _train(qtbot, lab)
    action = lab.landscape
    assert action.compute(SLOW)
    qtbot.waitUntil(lambda: action.session.points[0] > 0, timeout=20_000)
    os.kill(action._worker.pid, signal.SIGKILL)
    qtbot.waitUntil(lambda: not action.is_computing(), timeout=5000)
    assert action.session.state == model.FAILED
    text = lab.error_label.text()
    assert lab.error_label.isVisible() and "\n" not in text
    assert text.startswith("Loss landscape failed: ") and "SIGKILL" in text and "Traceback" not in text
    assert action.button.isEnabled()


def test_not_offered_for_runs_without_snapshots_nor_for_an_experiment_that_trains_nothing(qtbot, lab):
    _train(qtbot, lab, snapshots=0)
    action = lab.landscape
    assert not action.button.isEnabled()
    label = lab.results[0].config.label
    assert action.button.toolTip() == tr_message(model.NO_SNAPSHOTS(run=label))
    assert action.open_dialog() is None and not action.compute()
    _train(qtbot, lab)
    assert action.button.isEnabled()
    lab.start_preset("activation-histograms")                            # its lesson is in its own view
    assert not action.button.isEnabled()
    assert action.button.toolTip() == tr_message(model.NOT_TRAINED())


def test_an_experiment_of_two_runs_gets_one_shared_plane_or_one_run(qtbot, lab):
    configs = [RunConfig(**TINY), RunConfig(**{**TINY, "optimizer": "adam", "hparams": {"lr": 0.01}})]
    with qtbot.waitSignal(lab.finished, timeout=30_000):
        assert lab._launch(TrainingJob(configs, lab._data_source()), view="loss")
    action = lab.landscape
    dialog = action.open_dialog()
    assert dialog.run.isVisible() and dialog.run.count() == 3
    assert dialog.runs(2) == (0, 1)                           # all runs (shared plane) by default
    dialog.set_value("grid", 3)
    dialog.set_value("samples", 50)
    with qtbot.waitSignal(lab.landscape_ready, timeout=30_000) as blocker:
        dialog.accept()
    labels = [r.config.label for r in lab.results]
    assert [p.label for p in blocker.args[0].paths] == labels
    dialog = action.open_dialog()
    dialog.set_runs(1)
    assert dialog.runs(2) == (1,)
    dialog.reject()


def test_a_landscape_lesson_trains_its_runs_then_shows_its_captioned_landscape(qtbot, window, lab):
    lesson = LandscapeLesson("tiny", "A tiny lesson", "The path ends at the centre.",
                             (RunConfig(**TINY),), LandscapeOptions(grid=3, samples=50))
    with qtbot.waitSignal(lab.landscape_ready, timeout=40_000) as blocker:
        assert lab.landscape.start_lesson(lesson)
        assert "A tiny lesson" in lab.shows_label.text()
    landscape, caption = blocker.args
    # Titled by the lesson rules' plane (after its runs: the one run "sgd" is SGD); the lesson's own
    # title stays in the lesson bar.  One map: its loss range is its own.
    assert caption == lesson.caption and landscape.title == "SGD"
    assert landscape.options == lesson.options
    assert landscape.levels == (landscape.loss.min(), landscape.loss.max())
    assert window.surface_pane.lab.caption == lesson.caption


def test_a_lesson_with_a_landscape_per_run_computes_each_and_offers_them(qtbot, window, lab):
    configs = (RunConfig(**TINY), RunConfig(**{**TINY, "batch_size": 200, "label": "large batch"}))
    lesson = LandscapeLesson("tiny-each", "Two minima", "Each map is centred on its own minimum.", configs,
                             LandscapeOptions(grid=3, samples=50, directions="random"), {"plane": "each"})
    ready = []
    lab.landscape_ready.connect(lambda landscape, caption: ready.append((landscape, caption)))
    assert lab.landscape.start_lesson(lesson)
    qtbot.waitUntil(lambda: bool(ready) and not lab.landscape.is_computing(), timeout=40_000)
    assert len(ready) == 1 and lab.landscape.jobs_started == 2        # both computed, the first shown
    first, caption = ready[0]
    assert first.title == lab.results[0].config.label and caption == lesson.caption
    buttons = lab.landscape.lesson_views.findChildren(QPushButton)
    assert not lab.landscape.lesson_views.isHidden() and len(buttons) == 2   # (the surface lab is current)
    buttons[1].click()                                                # from the cache, at once
    assert len(ready) == 2 and ready[1][0].title == "large batch" and ready[1][1] == lesson.caption
    assert lab.landscape.jobs_started == 2
    # Both maps in one loss range: the lowest and highest loss over the two (every loss is finite here),
    # so a colour means the same loss on each.
    second = ready[1][0]
    both = np.concatenate([first.loss.ravel(), second.loss.ravel()])
    assert np.all(np.isfinite(both)) and first.loss.min() != second.loss.min()
    assert first.levels == second.levels == (both.min(), both.max())



def _shown_buttons(widget):
    return [b for b in widget.findChildren(QPushButton) if b.isVisible()]


def _box(widget, pane):
    return widget.rect().translated(widget.mapTo(pane, widget.rect().topLeft()))


def test_a_second_lesson_replaces_the_first_lessons_buttons_which_do_not_overlap(qtbot, window, lab):
    """Two lessons with a landscape per run, one after the other: the first's buttons are gone as the
    second starts (not left as children that come back when the row shows again), only the second's
    show, side by side without overlap at 1280×800; clearing the cache and a plain run take them away."""
    options = LandscapeOptions(grid=3, samples=50, directions="random")

    def lesson(key, *labels):
        configs = tuple(RunConfig(**{**TINY, "label": label}) for label in labels)
        return LandscapeLesson(key, key, "Each map is centred on its own minimum.", configs, options,
                               {"plane": "each"})

    action = lab.landscape
    for key, labels in (("first", ("batch 32", "batch 1024")), ("second", ("no batch norm", "batch norm"))):
        started = action.jobs_started
        window.tabs.setCurrentWidget(lab)
        assert action.start_lesson(lesson(key, *labels))
        assert action.lesson_views.findChildren(QPushButton) == [] and action.lesson_views.isHidden()
        qtbot.waitUntil(lambda n=started: action.jobs_started == n + 2 and not action.is_computing(),
                        timeout=40_000)
        window.tabs.setCurrentWidget(lab)
        shown = _shown_buttons(action.lesson_views)
        assert [b.text() for b in shown] == [f"Show “{label}”" for label in labels]
    boxes = [_box(w, lab) for w in (*shown, lab.shows_label, lab.views)]
    for i, a in enumerate(boxes):
        assert lab.rect().contains(a)
        for b in boxes[i + 1:]:
            assert not a.intersects(b)
    assert all(b.width() >= b.sizeHint().width() for b in shown)           # no text cut

    action.session.clear()                                                 # the landscapes are gone
    assert action.lesson_views.findChildren(QPushButton) == [] and action.lesson_views.isHidden()
    action._offer([model.LandscapeRequest((k,), options, label) for k, label in enumerate(labels)])
    assert not action.lesson_views.isHidden()
    assert lab.start(RunConfig(**TINY))                                    # a plain run: its own picture
    assert action.lesson_views.findChildren(QPushButton) == [] and action.lesson_views.isHidden()
    qtbot.waitUntil(lambda: not lab.is_running(), timeout=20_000)
