"""The surface lab driven through its real widgets (pytest-qt, under Xvfb)."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from optilab import lessons, surfaces
from optilab.trajectory import run


def _engine(pane, i):
    """The trajectory engine's own run for the pane's i-th ticked run."""
    r = pane.active_runs[i]
    return run(r.surface or pane.surface, r.optimizer, dict(r.hparams), start=pane.start, steps=pane.steps,
               seed=pane.seed, label=pane.lab.title(r))


def test_main_window_builds_without_showing(qtbot):
    from optilab.ui import MainWindow

    win = MainWindow()
    qtbot.addWidget(win)
    assert not win.isVisible()
    assert win.tabs.widget(0) is win.surface_pane
    assert "optilab" in win.windowTitle()
    assert not win.windowIcon().isNull()
    titles = [a.text().replace("&", "") for a in win.menuBar().actions()]
    assert titles == ["File", "View", "Help"]


def test_add_tab_puts_another_lab_beside_the_surface_lab(window):
    from PySide6.QtWidgets import QLabel

    before = window.tabs.count()  # the surface lab, and the training lab when installed
    index = window.add_tab(QLabel("another"), "Another lab")
    assert index == before and window.tabs.tabText(index) == "Another lab"
    assert window.tabs.widget(0) is window.surface_pane


@pytest.mark.parametrize("key", lessons.keys())
def test_choosing_a_preset_draws_one_trajectory_per_optimizer(pane, qtbot, key):
    combo = pane.lesson_bar.combo
    combo.setCurrentIndex(combo.findData(key))
    combo.activated.emit(combo.currentIndex())
    lesson = lessons.get(key)
    assert pane.lesson is lesson
    assert len(pane.trajectories) == len(lesson.runs)
    assert pane.lesson_bar.caption.text() == lesson.caption
    for i, t in enumerate(pane.trajectories):
        line = pane.view_2d._lines[i]
        assert line.isVisible()
        x, y = line.getData()
        n = min(pane.step, t.last_step) + 1
        np.testing.assert_array_equal(x, t.x[:n])
        np.testing.assert_array_equal(y, t.y[:n])
        assert pane.view_3d._lines[i].visible()
    # Unused pooled items stay hidden.
    for line in pane.view_2d._lines[len(lesson.runs):]:
        assert not line.isVisible()


def test_stepping_shows_exactly_the_engines_numbers(pane, qtbot):
    pane.load_lesson("book-figure")
    pane.set_step(0)
    for _ in range(3):
        qtbot.mouseClick(pane.timeline.forward_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(pane.timeline.back_button, Qt.MouseButton.LeftButton)
    assert pane.step == 2
    assert pane.timeline.slider.value() == 2
    for i in range(len(pane.trajectories)):
        ref = _engine(pane, i)
        k = 2
        panel = pane.numbers
        assert float(panel.cell(i, "x")) == pytest.approx(ref.x[k], rel=1e-5)
        assert float(panel.cell(i, "y")) == pytest.approx(ref.y[k], rel=1e-5)
        assert float(panel.cell(i, "f")) == pytest.approx(ref.loss[k], rel=1e-5)
        g = [float(v) for v in panel.cell(i, "g").strip("()").split(",")]
        np.testing.assert_allclose(g, ref.grad[k], rtol=1e-5)
        assert float(panel.cell(i, "|g|")) == pytest.approx(np.hypot(*ref.grad[k]), rel=1e-5)
        step = [float(v) for v in panel.cell(i, "step").strip("()").split(",")]
        np.testing.assert_allclose(step, [ref.x[k] - ref.x[k - 1], ref.y[k] - ref.y[k - 1]], rtol=1e-5)
        for name, arr in ref.state.items():
            shown = [float(v) for v in panel.cell(i, name).strip("()").split(",")]
            np.testing.assert_allclose(shown, arr[k], rtol=1e-5, atol=1e-12)
        assert panel.equation_lines(i) == ref.step_lines(k)
        # The current-point marker sits on the engine's point.
        assert pane.view_2d.current_point(i) == (ref.x[k], ref.y[k])
        x, _ = pane.view_2d._lines[i].getData()
        assert len(x) == k + 1


def test_momentum_state_shown_is_the_velocity_by_hand(pane):
    pane.load_lesson("book-figure")
    pane.set_step(1)
    i = [r.optimizer for r in pane.active_runs].index("momentum")
    # v₁ = −η g₀ = −0.1·(−0.7, 4) at (−7, 2) on x²/20 + y².
    assert pane.numbers.cell(i, "v") == "(0.07, -0.4)"


def test_a_click_on_the_2d_map_moves_the_start(pane, qtbot):
    pane.load_lesson("book-figure")
    pos = pane.view_2d.view_to_widget(3.0, -2.0)
    qtbot.mouseClick(pane.view_2d.plot.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    x, y = pane.start
    # One pixel of the map is about 20/600 in x and 10/400 in y.
    assert x == pytest.approx(3.0, abs=0.1) and y == pytest.approx(-2.0, abs=0.1)
    for t in pane.trajectories:
        assert (t.x[0], t.y[0]) == (x, y)
    assert pane.start_controls.x_field.value() == x


def test_typing_a_start_point_recomputes(pane, qtbot):
    field = pane.start_controls.x_field
    field.selectAll()
    qtbot.keyClicks(field, "4.5")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert pane.start[0] == 4.5
    assert all(t.x[0] == 4.5 for t in pane.trajectories)


def test_an_invalid_number_turns_red_and_keeps_the_last_value(pane, qtbot):
    field = pane.start_controls.y_field
    before = pane.start
    field.selectAll()
    qtbot.keyClicks(field, "abc")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert not field.is_valid() and "c0392b" in field.styleSheet()
    assert pane.start == before and field.value() == before[1]


def test_a_bad_formula_shows_an_inline_error_and_keeps_the_surface(pane, qtbot):
    old = pane.surface
    controls = pane.surface_controls
    controls.formula.clear()
    qtbot.keyClicks(controls.formula, "x**2 + import(y)")
    qtbot.keyClick(controls.formula, Qt.Key.Key_Return)
    assert controls.error.isVisible() and controls.error.text().startswith("Formula error")
    assert pane.surface is old
    assert len(pane.trajectories) == len(pane.active_runs) > 0
    # A good formula afterwards clears the error and is used.
    controls.formula.clear()
    qtbot.keyClicks(controls.formula, "x**2 + 3*y**2")
    qtbot.keyClick(controls.formula, Qt.Key.Key_Return)
    assert not controls.error.isVisible()
    assert pane.surface.f(1.0, 1.0) == pytest.approx(4.0)


def test_a_huge_lr_shows_the_divergence_label_everywhere(pane, qtbot):
    pane.load_lesson("book-figure")
    pane.run_list.list.setCurrentRow(0)  # SGD
    lr = pane.hparams.fields["lr"].field
    lr.selectAll()
    qtbot.keyClicks(lr, "50")
    qtbot.keyClick(lr, Qt.Key.Key_Return)
    assert pane.runs[0].hparams["lr"] == 50.0
    sgd = pane.trajectories[0]
    assert sgd.status == "diverged"
    pane.set_step(pane.steps)
    expected = f"diverged at step {sgd.diverged_at}"
    assert expected in pane.view_2d.label_text(0)
    assert expected in pane.view_3d.label_text(0)
    assert pane.numbers.cell(0, "status") == expected
    # Nothing else is disturbed.
    for i in range(1, len(pane.trajectories)):
        assert pane.trajectories[i].status == "ok"
        assert pane.view_2d.label_text(i) == ""


def test_moving_the_lr_slider_recomputes_at_once(pane, qtbot):
    pane.load_lesson("book-figure")
    pane.run_list.list.setCurrentRow(1)  # Momentum
    before = pane.trajectories[1].x.copy()
    slider = pane.hparams.fields["lr"].slider
    slider.setValue(slider.value() - 100)
    lr = pane.runs[1].hparams["lr"]
    assert lr < 0.1
    assert not np.array_equal(pane.trajectories[1].x, before)
    np.testing.assert_array_equal(pane.trajectories[1].x, _engine(pane, 1).x)


def test_unticking_a_run_removes_its_trajectory(pane):
    pane.load_lesson("book-figure")
    item = pane.run_list.list.item(2)
    item.setCheckState(Qt.CheckState.Unchecked)
    assert [pane.lab.title(r) for r in pane.active_runs] == ["SGD", "Momentum", "Adam"]
    assert len(pane.trajectories) == 3
    assert not pane.view_2d._lines[3].isVisible()


def test_play_runs_on_the_timer_to_the_end(pane, qtbot):
    pane.load_lesson("book-figure")
    pane.set_speed(300)
    pane.play()
    assert pane.step == 0 and pane.timer.isActive()
    qtbot.waitUntil(lambda: pane.step == pane.steps, timeout=5000)
    assert not pane.timer.isActive()


@pytest.mark.parametrize("key", lessons.keys())
def test_every_preset_plays_to_its_end_in_both_views(pane, qtbot, key):
    # Qt warnings fail the test (qt_log_level_fail): the whole animation must be clean.
    pane.load_lesson(key)
    pane.show_views(show_2d=True, show_3d=True)
    pane.set_speed(pane.steps * 3)          # about 20 frames whatever the length
    pane.play()
    qtbot.waitUntil(lambda: pane.step == pane.steps and not pane.timer.isActive(), timeout=10_000)
    for i, t in enumerate(pane.trajectories):
        n = min(pane.steps, t.last_step) + 1
        assert len(pane.view_2d._lines[i].getData()[0]) == n
        assert pane.view_2d.current_point(i) == (t.x[n - 1], t.y[n - 1])
        xmin, xmax, ymin, ymax = pane.surface.domain
        on_map = bool(np.all((t.x[:n] >= xmin) & (t.x[:n] <= xmax) & (t.y[:n] >= ymin) & (t.y[:n] <= ymax)))
        drawn = pane.view_3d._lines[i].pos.shape[0]
        # The 3-D path is drawn up to where the run leaves the map (helper I, issue #11 item 11).
        assert drawn == n if on_map else drawn <= n


def test_the_3d_view_renders_a_real_picture(pane, qtbot):
    pane.load_lesson("book-figure")
    image = pane.view_3d.grab_image()
    assert image.width() > 100 and image.height() > 100
    ptr = image.constBits()
    arr = np.frombuffer(ptr, dtype=np.uint8).reshape(image.height(), image.bytesPerLine())
    arr = arr[:, : image.width() * 4].reshape(image.height(), image.width(), 4)[..., :3].astype(float)
    # A flat image has variance 0; the shaded viridis surface is far from it.
    assert arr.var() > 500
    # Viridis purple/green/yellow, not just the background: many distinct colours.
    assert len(np.unique(arr.reshape(-1, 3)[::7], axis=0)) > 200


def test_hiding_a_view_keeps_the_other_in_step(window, pane):
    window.show_3d_action.setChecked(False)
    assert pane.view_3d.isHidden()
    pane.set_step(5)
    x, _ = pane.view_2d._lines[0].getData()
    assert len(x) == 6
    window.show_3d_action.setChecked(True)
    assert pane.view_3d._lines[0].pos.shape[0] == 6


def test_export_writes_csv_and_png(window, tmp_path):
    csv = window.export_csv(str(tmp_path / "t.csv"))
    assert csv.read_text().splitlines()[0] == "optimizer,step,x,y,loss"
    png = window.export_picture(str(tmp_path / "p.png"))
    assert png.stat().st_size > 10_000


def test_every_surface_loads_without_error(pane):
    for name in surfaces.names():
        pane.set_surface(name)
        assert pane.surface.name == name
        assert len(pane.trajectories) == len(pane.active_runs)


def test_clicking_a_legend_sample_hides_and_shows_that_run(pane, qtbot):
    pane.load_lesson("book-figure")
    view = pane.view_2d
    sample = view.legend.items[1][0]          # Momentum's line sample
    centre = sample.mapToScene(sample.boundingRect().center())
    pos = view.plot.mapFromScene(centre)
    start = pane.start
    qtbot.mouseClick(view.plot.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert not view._lines[1].isVisible() and not view._outlines[1].isVisible()
    assert pane.start == start               # the legend took the click, not the map
    # It stays hidden when the runs change (here: unticking SGD moves Momentum to slot 0).
    pane.set_hparam(1, "lr", 0.05)
    pane.set_run_enabled(0, False)
    assert next(pane.lab.title(r) for r in pane.active_runs) == "Momentum η=0.05"   # its label follows its η
    assert not view._lines[0].isVisible() and view._lines[1].isVisible()
    pane.set_run_enabled(0, True)
    assert not view._lines[1].isVisible()
    assert view._lines[0].isVisible()
    # The legend may have moved (its labels changed): find the sample again.
    sample = view.legend.items[1][0]
    pos = view.plot.mapFromScene(sample.mapToScene(sample.boundingRect().center()))
    # QTest stamps events with its own clock: without a delay the second click
    # would count as a double click.
    qtbot.mouseClick(view.plot.viewport(), Qt.MouseButton.LeftButton, pos=pos,
                     delay=QApplication.doubleClickInterval() + 100)
    assert view._lines[1].isVisible() and view._outlines[1].isVisible()
    # A newly loaded lesson shows every run.
    qtbot.mouseClick(view.plot.viewport(), Qt.MouseButton.LeftButton, pos=pos,
                     delay=QApplication.doubleClickInterval() + 100)
    assert not view._lines[1].isVisible()
    pane.load_lesson("book-figure")
    assert all(view._lines[i].isVisible() for i in range(4))


def test_a_start_where_f_is_undefined_is_refused_inline(pane, qtbot):
    import dataclasses

    pane.load_lesson("book-figure")
    # A scenario may start where f is undefined (a formula's default start moves inside its domain).
    pane.apply_scenario(dataclasses.replace(pane.to_scenario(), surface=None, formula="log(x) + y**2",
                                            domain=(-5.0, 5.0, -5.0, 5.0), start=(-3.5, 3.5), lesson=None))
    start = pane.start
    assert start == (-3.5, 3.5)                      # log undefined there
    assert pane.start_controls.error.text() == "f is not defined at (-3.5, 3.5): choose another start."
    # The runs have no point at all, and say so.
    for i in range(len(pane.trajectories)):
        assert pane.trajectories[i].n_points == 0
        assert "diverged at step 0" in pane.view_2d.label_text(i)
        assert pane.numbers.cell(i, "status") == "diverged at step 0"
        assert pane.view_3d.label_text(i)
    # All four labels stand at the same start: they stack, none covers another.
    rects = [pane.view_2d._labels[i].sceneBoundingRect() for i in range(len(pane.trajectories))]
    for a in range(len(rects)):
        for b in range(a + 1, len(rects)):
            assert not rects[a].intersected(rects[b]).height() > 1, (a, b)
    # Clicking where f is undefined keeps the start and explains why.
    pos = pane.view_2d.view_to_widget(-3.0, 1.0)
    qtbot.mouseClick(pane.view_2d.plot.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert pane.start == start
    assert "not defined" in pane.start_controls.error.text() and pane.start_controls.error.isVisible()
    # A start where f is defined clears the message and the runs go again.
    assert pane.set_start(3.0, 1.0)
    assert not pane.start_controls.error.isVisible()
    assert all(t.n_points > 0 for t in pane.trajectories)
    # Stepping, playing and the gradient arrows work on those runs.
    pane.set_step(3)
    pane.view_2d.set_arrows(True, True)
    pane.set_step(4)


@pytest.mark.parametrize("formula", ["x**2 - 1e308*y", "exp(exp(x)) + y", "1/(x - y)", "sqrt(x) + y**2", "0*x"])
def test_hostile_formulas_draw_without_errors(pane, qtbot, formula):
    # Ranges beyond what floats can subtract, poles, half-planes where f is
    # undefined, a flat surface: every start and step draws (exceptions in
    # paint or slot code fail the test through pytest-qt).
    pane.load_lesson("book-figure")
    pane.view_2d.set_arrows(True, True)
    assert pane.apply_formula(formula)
    lo, hi = pane.view_2d.map.levels
    assert np.isfinite(hi - lo) and hi > lo
    for start in [(-3.0, 1.0), (0.0, 0.0), (2.0, -1.0), (4.9, 4.9)]:
        pane.set_start(*start)
        for k in (0, 1, 5, pane.steps):
            pane.set_step(k)
        pane.view_2d.plot.viewport().repaint()
        pane.view_3d.grab_image()


def test_an_edit_in_the_editor_is_not_pushed_back_but_one_from_elsewhere_is_shown(pane, qtbot):
    pane.load_lesson("book-figure")
    pane.run_list.list.setCurrentRow(0)  # SGD
    lr = pane.hparams.fields["lr"]
    pushed: list[float] = []
    original = lr.set_value
    lr.set_value = lambda v: (pushed.append(v), original(v))
    lr.slider.setValue(lr.slider.value() - 50)
    assert pushed == [] and pane.runs[0].hparams["lr"] == lr.value()
    pane.set_hparam(0, "lr", 0.5)               # from a script: the field follows
    assert lr.field.value() == 0.5 and pane.hparams.title() == "Hyperparameters of SGD η=0.5"
