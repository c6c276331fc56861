"""Visual audit of the surface lab (issue #11 items 6, 11, 13, 14): every lesson
as it opens, its caption's claims measured on the runs drawn, labels that say
the settings, axis titles that name the data, and the rough edges of the
controls (steps limit, playback speed, clicked starts, undefined starts).

Claims are checked against hand derivations and the numbers drawn, never
against values computed by the code under test.
"""

from __future__ import annotations

import math
import re
import time

import numpy as np
import pytest

pytest.importorskip("PySide6")

from optilab.ui.app import share_gl_contexts

share_gl_contexts()  # before pytest-qt's QApplication (see tests/ui/conftest.py)

from PySide6.QtCore import Qt  # noqa: E402

from optilab import lessons, optim  # noqa: E402
from optilab.scenario import Scenario  # noqa: E402
from optilab.trajectory import Run  # noqa: E402


@pytest.fixture(scope="module")
def _window(qapp, tmp_path_factory):
    """One shown main window at projector size for the module (building one takes seconds)."""
    from PySide6.QtCore import QSettings

    from optilab.ui import MainWindow
    from optilab.ui.app import create_app

    config = tmp_path_factory.mktemp("config")
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(config))
    create_app()
    win = MainWindow()
    win.resize(1280, 800)
    win.show()
    win.ensure_training_lab()   # built now, not by a timer in the middle of a measured interval
    yield win
    win.surface_pane.pause()
    win.close()
    win.deleteLater()


@pytest.fixture
def pane(_window, qtbot):
    """The surface lab, in English, on the book's figure."""
    from optilab.ui import i18n

    i18n.set_language("en")
    qtbot.waitExposed(_window)
    pane = _window.surface_pane
    pane.load_lesson("book-figure")
    yield pane
    pane.pause()


def _choose_lesson(pane, key: str) -> None:
    combo = pane.lesson_bar.combo
    combo.setCurrentIndex(combo.findData(key))
    combo.activated.emit(combo.currentIndex())


def _legend_texts(pane) -> list[str]:
    return [label.text for _sample, label in pane.view_2d.legend.items]


def _list_texts(pane) -> list[str]:
    return [pane.run_list.list.item(i).text() for i in range(pane.run_list.list.count())]


_TOKEN = re.compile(r"(η|μ|ρ|β₁|β₂|ε|λ)=(\S+)")
_KEY = {"η": "lr", "μ": "momentum", "ρ": "decay_rate", "β₁": "beta1", "β₂": "beta2", "ε": "eps", "λ": "weight_decay"}


def _assert_label_says_settings(label: str, optimizer: str, hparams: dict) -> None:
    """Every 'sym=value' a label shows is the run's setting (defaults filled in)."""
    values = {**optim.get_class(optimizer).defaults, **hparams}
    for sym, text in _TOKEN.findall(label):
        assert float(text) == pytest.approx(values[_KEY[sym]], rel=5e-3), (label, values)
    if "no correction" in label or "no bias correction" in label:
        assert values["bias_correction"] is False, label


def _sign_changes(values) -> int:
    s = np.sign(np.asarray(values, dtype=float))
    s = s[s != 0]
    return int((s[1:] != s[:-1]).sum())


# -- item 6: labels and captions follow the settings -------------------------------------


def test_changing_eta_relabels_the_list_the_legend_and_the_scenario(pane, qtbot):
    _choose_lesson(pane, "lr-too-large")
    pane.run_list.list.setCurrentRow(3)
    field = pane.hparams.fields["lr"].field
    field.selectAll()
    qtbot.keyClicks(field, "0.5")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert pane.runs[3].hparams["lr"] == 0.5
    assert _list_texts(pane)[3] == "SGD η=0.5"
    assert "SGD η=0.5" in _legend_texts(pane) and "SGD η=1.5" not in _legend_texts(pane)
    saved = pane.to_scenario().optimizers[3]
    assert (saved.label, saved.hparams["lr"]) == ("SGD η=0.5", 0.5)
    # The caption "η = 1.5 diverges" no longer describes the runs: it says so.
    caption = pane.lesson_bar.caption.text()
    assert "Edited" in caption and "1.5 diverges" not in caption
    assert "Learning rate too large" in caption
    assert not pane.lesson_bar.look_at.isVisible()
    # Choosing the lesson again reloads it: its own caption and labels.
    _choose_lesson(pane, "lr-too-large")
    assert pane.lesson_bar.caption.text() == lessons.get("lr-too-large").caption
    assert _list_texts(pane)[3] == "SGD η=1.5"


def test_replacing_every_run_of_the_book_figure_marks_it_edited(pane):
    _choose_lesson(pane, "book-figure")
    for _ in range(4):
        pane.remove_run(0)
    for name in ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw"):
        pane.add_run(name)
    assert "Edited" in pane.lesson_bar.caption.text()
    assert lessons.get("book-figure").caption not in pane.lesson_bar.caption.text()
    assert _list_texts(pane) == [optim.get_class(n).title for n in
                                 ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw")]


@pytest.mark.parametrize("edit", ["steps", "start", "hparam"])
def test_any_edit_of_a_lesson_is_said_and_undoing_it_is_not(pane, edit):
    _choose_lesson(pane, "momentum-overshoot")
    caption = lessons.get("momentum-overshoot").caption
    if edit == "steps":
        pane.set_steps(120)
    elif edit == "start":
        pane.set_start(-6.0, 2.0)
    else:
        pane.set_hparam(2, "momentum", 0.8)
    assert pane.lesson_bar.caption.text() != caption and "Edited" in pane.lesson_bar.caption.text()
    if edit == "steps":
        pane.set_steps(80)
    elif edit == "start":
        pane.set_start(-7.0, 2.0)
    else:
        pane.set_hparam(2, "momentum", 0.9)
    assert pane.lesson_bar.caption.text() == caption
    assert _list_texts(pane)[2] == "Momentum μ=0.9"


def test_scenario_labels_follow_the_settings_they_store(pane):
    scenario = Scenario(surface="bowl", start=(-7.0, 2.0), steps=20, optimizers=(
        Run("sgd", {"lr": 0.8}, "SGD η=0.9"),             # stale: made from settings
        Run("sgd", {"lr": 0.2}, "my favourite"),          # typed by a user: kept
        Run("adam", {"lr": 0.3, "bias_correction": False}),
    ))
    pane.apply_scenario(scenario)
    assert _list_texts(pane) == ["SGD η=0.8", "my favourite", "Adam η=0.3 no bias correction"]
    assert [e.label for e in pane.to_scenario().optimizers] == _list_texts(pane)


def test_a_saved_lesson_reopens_as_the_lesson(pane):
    _choose_lesson(pane, "adam-bias-correction")
    saved = pane.to_scenario()
    assert [e.label for e in saved.optimizers] == ["Adam (corrected)", "Adam (no correction)"]
    pane.load_lesson("book-figure")
    pane.apply_scenario(saved)
    assert pane.lesson_bar.caption.text() == lessons.get("adam-bias-correction").caption
    pane.set_hparam(1, "bias_correction", True)   # the label "no correction" would now lie
    assert _list_texts(pane)[1] == "Adam η=0.3"


# -- every lesson as it opens: captions measured, labels, axes -----------------------------


def _measure_claims(key: str, ts: list) -> None:
    """The caption's claims of lesson ``key``, on the trajectories drawn (hand derivations)."""
    by = {t.label: t for t in ts}
    if key == "book-figure":
        sgd, mom, ada, adam = (by[k] for k in ("SGD", "Momentum", "AdaGrad", "Adam"))
        assert _sign_changes(sgd.y) >= 25                       # zig-zags across y every step (1 − 2η < 0)
        assert np.all(np.diff(sgd.x) > 0) and np.all(sgd.x < 0)  # crawls along x, never past 0
        assert np.mean(np.abs(np.diff(sgd.y[:10]))) > 3 * np.mean(np.abs(np.diff(sgd.x[:10])))
        assert _sign_changes(mom.x) >= 1                        # a ball rolls past the bottom
        steps = np.hypot(np.diff(ada.x), np.diff(ada.y))
        assert steps[-1] < steps[0] / 50 and steps[-5:].max() < steps[:5].min()   # AdaGrad slows down
        assert _sign_changes(adam.x) >= 1 and math.hypot(adam.x[-1], adam.y[-1]) < 1.0   # damped ball
    elif key == "momentum-overshoot":
        gd, m9, m99 = by["SGD η=0.1"], by["Momentum μ=0.9"], by["Momentum μ=0.99"]
        assert _sign_changes(m9.x) >= 2                          # past the minimum and back
        assert _sign_changes(m99.x[40:]) >= 1 or _sign_changes(m99.y[40:]) >= 1   # still swinging late
        assert math.hypot(m99.x[-1], m99.y[-1]) > math.hypot(m9.x[-1], m9.y[-1])
        assert _sign_changes(gd.x) == 0 and _sign_changes(gd.y) == 0   # x·0.99, y·0.8 per step: no overshoot
    elif key == "nesterov-vs-momentum":
        mom, nes = by["Momentum"], by["Nesterov"]
        path = {t.label: np.hypot(np.diff(t.x), np.diff(t.y)).sum() for t in (mom, nes)}
        assert path["Nesterov"] < path["Momentum"]               # oscillates less
        assert int((np.diff(nes.loss) > 0).sum()) < int((np.diff(mom.loss) > 0).sum())

        def settled(t) -> int:
            far = np.flatnonzero(np.hypot(t.x, t.y) > 0.1)
            return int(far[-1]) + 1 if far.size else 0
        assert settled(nes) < settled(mom)                       # settles sooner
    elif key == "saddle-escape":
        def escape(t) -> int:
            out = np.flatnonzero(np.abs(t.y) > 0.5)
            return int(out[0]) if out.size else 10**9
        sgd, mom, rms, adam = (by[k] for k in ("SGD", "Momentum", "RMSprop", "Adam"))
        assert escape(sgd) > sgd.last_step and math.hypot(sgd.x[-1], sgd.y[-1]) < 0.1   # lingers at (0, 0)
        assert max(escape(rms), escape(adam)) < escape(mom) <= mom.last_step            # later, but escapes
        assert max(escape(rms), escape(adam)) <= 20                                   # "at once"
    elif key == "adagrad-stall":
        ada, rms = by["AdaGrad"], by["RMSprop"]
        last = np.hypot(np.diff(ada.x[-100:]), np.diff(ada.y[-100:])).sum()
        assert last < 0.25 and math.hypot(ada.x[-1] - 1, ada.y[-1] - 1) > 1.0     # stops in the valley
        assert math.hypot(rms.x[-1] - 1, rms.y[-1] - 1) < 0.5                      # keeps going to (1, 1)
    elif key == "adam-bias-correction":
        good, raw = by["Adam (corrected)"], by["Adam (no correction)"]
        ratio = (1 - 0.9) / math.sqrt(1 - 0.999)                 # ≈ 3.16
        assert abs(raw.x[1] - raw.x[0]) == pytest.approx(ratio * 0.3, rel=1e-3)
        assert abs(good.x[1] - good.x[0]) == pytest.approx(0.3, rel=1e-3)
        assert raw.x.max() > 2 * max(good.x.max(), 0.1)          # lurches past the valley
    elif key == "lr-too-large":
        creep, zig, bounce, bad = (by[f"SGD η={v}"] for v in ("0.1", "0.9", "1.0", "1.5"))
        assert np.all(np.diff(creep.y) < 0) and creep.x[-1] < -4.5   # y·0.8, x·0.99: creeps, never overshoots
        assert _sign_changes(zig.y) == zig.last_step and abs(zig.y[-1]) < 0.01   # y·(−0.8)
        np.testing.assert_allclose(np.abs(bounce.y), 2.0)           # y·(−1) for ever
        assert bad.status == "diverged"                             # y·(−2)
        assert all(t.status == "ok" for t in (creep, zig, bounce))
    elif key == "gd-vs-sgd":
        gd, sgd, mini = by["GD (100 points)"], by["SGD (1 point)"], by["Minibatch (10 points)"]
        ups = {t.label: int((np.diff(t.loss) > 0).sum()) for t in (gd, sgd, mini)}
        assert ups["GD (100 points)"] == 0 < ups["Minibatch (10 points)"] < ups["SGD (1 point)"]
        crow = math.hypot(gd.x[-1] - gd.x[0], gd.y[-1] - gd.y[0])
        assert np.hypot(np.diff(gd.x), np.diff(gd.y)).sum() < 1.3 * crow      # straight down
        lengths = [np.hypot(np.diff(t.x), np.diff(t.y)).sum() for t in (gd, mini, sgd)]
        assert lengths == sorted(lengths)                         # minibatch in between
    elif key == "newton-one-step":
        newton, gd, lbfgs = by["Newton"], by["GD η=0.396"], by["L-BFGS"]
        assert math.hypot(newton.x[1], newton.y[1]) < 1e-12 and not newton.notes()   # one step, H > 0
        assert round(math.hypot(gd.x[60], gd.y[60]), 1) == 1.5                        # 1.5 away after 60
        assert int(np.argmax(np.hypot(lbfgs.x, lbfgs.y) < 1e-6)) == 11                 # L-BFGS in 11
    elif key == "newton-saddle":
        newton, gd, mom = by["Newton"], by["GD η=0.12"], by["Momentum μ=0.7"]
        assert np.all(newton.x[1:] == 0.0) and np.all(newton.y[1:] == 0.0)           # at the saddle, stays
        assert "optim.newton_indefinite" in newton.notes()
        assert (round(gd.y[35], 2), round(mom.y[35], 2)) == (1.86, 1.18)              # slide off along y
    elif key == "lbfgs-rosenbrock":
        lbfgs, adam = by["L-BFGS"], by["Adam"]
        k = int(np.argmax(np.hypot(lbfgs.x - 1, lbfgs.y - 1) < 1e-6))
        assert k == 40 and int(lbfgs.state["ls"][1:k + 1, 1].sum()) == 50
        far = np.hypot(adam.x - 1, adam.y - 1)
        assert (round(far[30], 1), round(far[300], 2)) == (2.3, 0.71)
    else:
        pytest.fail(f"lesson {key!r} has a caption no audit measures: add its claims here")


@pytest.mark.parametrize("key", lessons.keys())
def test_every_lesson_as_it_opens_shows_what_its_caption_says(pane, key):
    _choose_lesson(pane, key)
    lesson = lessons.get(key)
    assert pane.step == lesson.steps                       # it opens at its last step
    assert pane.lesson_bar.caption.text() == lesson.caption
    assert not pane.lesson_edited()
    _measure_claims(key, pane.trajectories)
    # Labels say the settings, in the run list and the legend alike.
    assert _list_texts(pane) == _legend_texts(pane) == [lessons.run_title(r) for r in lesson.runs]
    for run, text in zip(pane.runs, _list_texts(pane), strict=False):
        _assert_label_says_settings(text, run.optimizer, run.hparams)
    # The axes name the data: w and b of the fitted line, x and y otherwise.
    names = ("w", "b") if key == "gd-vs-sgd" else ("x", "y")
    plot = pane.view_2d.plot_item
    assert (plot.getAxis("bottom").labelText, plot.getAxis("left").labelText) == names
    assert (pane.start_controls.x_name.text(), pane.start_controls.y_name.text()) == names
    assert tuple(label.text for label in pane.view_3d._axis_labels) == names
    assert pane.numbers.axis_names == names
    # First and last step: every path drawn from the start to its last point.
    for k in (0, lesson.steps):
        pane.set_step(k)
        for i, t in enumerate(pane.trajectories):
            x, y = pane.view_2d._lines[i].getData()
            n = min(k, t.last_step) + 1
            assert len(x) == n and (x[0], y[0]) == pytest.approx(lesson.start_point())
        assert pane.lesson_bar.caption.text() == lesson.caption


def test_gd_is_drawn_over_the_noisy_paths(pane, qtbot, tmp_path):
    """Where the paths cross near the start, GD's colour is the one on top."""
    _choose_lesson(pane, "gd-vs-sgd")
    i = [pane.lab.title(r) for r in pane.active_runs].index("GD (100 points)")
    qtbot.wait(50)
    image = pane.view_2d.plot.grab().toImage()
    gd = pane.trajectories[i]
    color = np.array([int(pane.active_runs[i].color[j:j + 2], 16) for j in (1, 3, 5)])
    hits = total = 0
    for k in range(1, 12):       # the first steps, where all three runs leave the start together
        mx, my = (gd.x[k - 1] + gd.x[k]) / 2, (gd.y[k - 1] + gd.y[k]) / 2
        p = pane.view_2d.view_to_widget(mx, my)
        near = [image.pixelColor(p.x() + dx, p.y() + dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1)]
        total += 1
        hits += any(np.abs(np.array([c.red(), c.green(), c.blue()]) - color).max() < 40 for c in near)
    assert hits >= total - 1, f"GD's colour at {hits} of {total} midpoints of its first steps"


# -- item 13: the controls' rough edges --------------------------------------------------------


def test_typing_more_steps_than_the_limit_says_the_limit(pane, qtbot):
    box = pane.start_controls.steps
    box.lineEdit().selectAll()
    qtbot.keyClicks(box.lineEdit(), "100000")
    qtbot.keyClick(box.lineEdit(), Qt.Key.Key_Return)
    assert pane.steps == 5000                  # the lab's limit, said below the field
    note = pane.start_controls.steps_note
    assert note.isVisibleTo(pane) and "at most 5000 steps" in note.text() and "100000" in note.text()
    qtbot.waitUntil(lambda: note.visibleRegion().boundingRect().height() == note.height(), timeout=2000)  # on screen
    pane.load_lesson("book-figure")            # a lesson's own steps: no note left over
    assert not note.isVisibleTo(pane)
    pane.set_steps(9000)
    assert pane.steps == 5000 and note.isVisibleTo(pane) and "9000" in note.text()
    pane.set_steps(200)
    assert not note.isVisibleTo(pane)


def test_playback_keeps_300_steps_per_second_with_seven_long_runs(pane, qtbot):
    pane.load_lesson("book-figure")
    for name in ("nesterov", "rmsprop", "adamw"):
        pane.add_run(name)
    pane.set_steps(5000)
    assert len(pane.trajectories) == 7
    pane.timeline.speed.setCurrentIndex(pane.timeline.speed.findData(300))
    pane.set_step(3800)
    shown: list[tuple[float, int]] = []        # (when, step) of every frame drawn
    record = lambda k: shown.append((time.perf_counter(), k))  # noqa: E731
    pane.step_changed.connect(record)
    pane.play()
    qtbot.wait(1500)
    pane.pause()
    pane.step_changed.disconnect(record)
    (t0, k0), (t1, k1) = shown[0], shown[-1]
    assert len(shown) >= 3 and t1 - t0 > 0.5
    rate = (k1 - k0) / (t1 - t0)
    assert 0.85 * 300 <= rate <= 1.15 * 300, f"played {rate:.0f} steps/s at 300 steps/s ({len(shown)} frames)"


def test_a_clicked_start_is_rounded_to_the_views_scale(pane, qtbot):
    pane.load_lesson("book-figure")
    (x0, x1), (y0, y1) = pane.view_2d.plot_item.viewRange()
    pos = pane.view_2d.view_to_widget(4.97037, -3.01211)
    qtbot.mouseClick(pane.view_2d.plot.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    x, y = pane.start
    # Two significant digits of the visible range: 0.1 on a 10…100-wide view, 0.01 on 1…10.
    for value, span in ((x, x1 - x0), (y, y1 - y0)):
        step = 10.0 ** (math.floor(math.log10(span)) - 2)
        assert value / step == pytest.approx(round(value / step), abs=1e-6), (value, span)
    assert x == pytest.approx(4.97037, abs=0.1) and y == pytest.approx(-3.01211, abs=0.1)
    assert pane.start_controls.x_field.text() in ("5", "5.0")


# -- item 14 (start): a formula undefined at its default start -----------------------------------


@pytest.mark.parametrize("formula, moved", [("log(x)", True), ("sqrt(x)", True), ("log(-x)", False), ("1/x", False)])
def test_a_formula_starts_where_it_is_defined_and_says_so_once(pane, formula, moved):
    pane.load_lesson("book-figure")
    assert pane.apply_formula(formula)
    default = pane.surface.start                       # (−3.5, 3.5) on the default box
    assert all(not t.undefined_at_start for t in pane.trajectories)
    assert all("step 0" not in pane.view_2d.label_text(i) for i in range(len(pane.trajectories)))
    note = pane.start_controls.note
    if moved:
        x, y = pane.start
        assert x > 0 and y == pytest.approx(default[1], abs=0.1)   # nearest the default start
        assert x <= 1.0                                            # ... and near it
        assert note.isVisibleTo(pane) and note.text().count("not defined") == 1
        assert "(-3.5, 3.5)" in note.text() and f"({x:.4g}, {y:.4g})" in note.text()
    else:
        assert pane.start == default and not note.isVisibleTo(pane)
    pane.set_start(2.0, 1.0)            # a start chosen by hand clears the note
    assert not note.isVisibleTo(pane)
