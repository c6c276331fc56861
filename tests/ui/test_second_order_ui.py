"""Newton and L-BFGS in the surface lab's widgets (issue #16 item 4), under Xvfb."""

from __future__ import annotations

import numpy as np
from PySide6.QtWidgets import QSpinBox

from optilab import lessons


def _load(pane, key):
    combo = pane.lesson_bar.combo
    combo.setCurrentIndex(combo.findData(key))
    combo.activated.emit(combo.currentIndex())


def test_the_add_menu_offers_newton_and_lbfgs(pane):
    titles = [a.text() for a in pane.run_list.add_button.menu().actions()]
    assert "Newton" in titles and "L-BFGS" in titles


def test_the_saddle_lesson_shows_newton_at_the_saddle_and_its_indefinite_note(pane):
    _load(pane, "newton-saddle")
    newton = pane.trajectories[0]
    assert pane.step == lessons.get("newton-saddle").steps
    x, y = pane.view_2d._lines[0].getData()
    np.testing.assert_array_equal(x[1:], 0.0)
    np.testing.assert_array_equal(y[1:], 0.0)
    note = pane.numbers.cell(0, "note")
    assert note == str(newton.step_note(pane.step)) and "indefinite (eigenvalue -2 < 0)" in note
    assert "⚠ " + note in pane.numbers.toPlainText()
    assert pane.numbers.cell(1, "note") == ""          # gradient descent has no note
    lines = pane.numbers.equation_lines(0)
    assert lines[0] == "H = ∇²f(x) = [[2, 0], [0, -2]], eigenvalues λ = (-2, 2)"


def test_lbfgs_shows_its_line_search_and_a_whole_number_history_field(pane, qtbot):
    _load(pane, "lbfgs-rosenbrock")
    pane.set_step(40)
    assert pane.numbers.cell(0, "x") == "1" and pane.numbers.cell(0, "y") == "1"
    assert any(line.startswith("strong Wolfe line search: α = ") for line in pane.numbers.equation_lines(0))
    pane.run_list.list.setCurrentRow(0)
    field = pane.hparams.fields["history"]
    assert isinstance(field, QSpinBox) and field.value() == 10
    field.setValue(3)                                  # the form sets m through the one check
    assert pane.runs[0].settings["history"] == 3 and isinstance(pane.runs[0].settings["history"], int)


def test_a_refused_run_shows_its_reason_in_the_numbers_panel(pane):
    _load(pane, "gd-vs-sgd")
    lab = pane.lab
    sgd_run = lab.runs[1]
    lab.runs[1] = type(sgd_run)("newton", {}, surface=sgd_run.surface, color=sgd_run.color)
    lab.recompute()
    assert lab.trajectories[1].status == "refused"
    assert "samples a minibatch gradient" in pane.numbers.cell(1, "status")
    assert "samples a minibatch gradient" in pane.numbers.toPlainText()


def test_the_stability_tab_says_why_a_newton_run_is_not_mapped(pane, qtbot):
    _load(pane, "newton-saddle")                 # rows: Newton, GD, Momentum
    pane.view_tabs.setCurrentWidget(pane.stability.view)
    pane.run_list.list.setCurrentRow(2)          # momentum: a map is computed
    qtbot.waitUntil(pane.stability.model.up_to_date, timeout=10_000)
    pane.run_list.list.setCurrentRow(0)          # Newton
    qtbot.waitUntil(lambda: "reads the surface itself" in pane.stability.view.status.text(), timeout=5_000)
    assert pane.stability.model.current() is None
    assert not pane.stability.view.plot.isVisible()  # the momentum run's map is not shown for Newton
    pane.stability.pick(0, 0)                    # a click on the old map changes nothing of Newton's
    assert pane.runs[0].settings == {"lr": 1.0, "damping": 0.0}
    pane.run_list.list.setCurrentRow(2)          # back to momentum: its map again
    qtbot.waitUntil(lambda: pane.stability.view.plot.isVisible(), timeout=10_000)
