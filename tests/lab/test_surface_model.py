"""The surface lab's Qt-free model (optilab.lab.surface), driven without Qt."""

from __future__ import annotations

import subprocess
import sys

import pytest

from optilab import lessons, scenario
from optilab.lab.surface import MAX_STEPS, SurfaceLab
from optilab.messages import OptilabError


@pytest.fixture
def lab() -> SurfaceLab:
    model = SurfaceLab(colors=lambda: ("#111111", "#222222", "#333333", "#444444"))
    model.load_lesson("book-figure")
    return model


def _record(signal) -> list:
    seen: list = []
    signal.connect(lambda *args: seen.append(args))
    return seen


def test_the_model_runs_without_qt():
    code = ("import sys; from optilab.lab.surface import SurfaceLab; lab = SurfaceLab(); "
            "lab.load_lesson('book-figure'); print(sorted(m for m in sys.modules "
            "if m.split('.')[0] in ('PySide6', 'pyqtgraph') or m.startswith('optilab.ui')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_a_lesson_loads_its_runs_start_and_steps_at_its_last_step(lab):
    lesson = lessons.get("book-figure")
    assert [lab.title(r) for r in lab.runs] == ["SGD", "Momentum", "AdaGrad", "Adam"]
    assert [r.color for r in lab.runs] == ["#111111", "#222222", "#333333", "#444444"]
    assert lab.start == (-7.0, 2.0) and lab.steps == lab.step == lesson.steps == 30
    assert len(lab.trajectories) == 4 and not lab.lesson_edited()
    # SGD on x²/20 + y² with η = 0.95: y_k = (1 − 2η)^k y_0 (the book's figure, by hand).
    sgd = lab.trajectories[0]
    assert sgd.y[3] == pytest.approx(2.0 * (1 - 2 * 0.95) ** 3)
    assert sgd.x[3] == pytest.approx(-7.0 * (1 - 0.95 / 10) ** 3)


def test_editing_a_run_checks_once_relabels_and_marks_the_lesson_edited(lab):
    changed = _record(lab.run_changed)
    lab.set_hparam(0, "lr", 0.5)
    assert changed == [(0,)]
    assert lab.runs[0].hparams["lr"] == 0.5 and lab.title(lab.runs[0]) == "SGD η=0.5"
    assert lab.lesson_edited()
    assert lab.trajectories[0].y[1] == pytest.approx(2.0 * (1 - 2 * 0.5))


def test_a_bad_value_is_rejected_once_with_a_coded_message_and_nothing_changes(lab):
    before = lab.runs[0]
    trajectories = lab.trajectories
    with pytest.raises(OptilabError) as caught:
        lab.set_hparam(0, "lr", -1.0)
    assert caught.value.code == "rules.out_of_range"
    assert caught.value.params["name"] == "lr"
    assert str(caught.value) == "sgd: lr must be a number > 0 and ≤ 1e6, got -1.0"
    assert lab.runs[0] is before and lab.trajectories is trajectories
    with pytest.raises(OptilabError) as caught:
        lab.set_hparam(9, "lr", 0.1)
    assert caught.value.code == "lab.no_such_run"


def test_start_and_steps_recompute_and_the_step_is_clamped(lab):
    assert lab.set_start(-5.0, 1.0) and lab.start == (-5.0, 1.0)
    assert lab.trajectories[0].x[0] == -5.0 and lab.lesson_edited()
    lab.set_steps(10)
    assert lab.steps == 10 and lab.step == 10 and lab.trajectories[0].last_step == 10
    assert lab.set_step(99) == 10 and lab.set_step(-3) == 0
    lab.set_steps(10 ** 6)
    assert lab.steps == MAX_STEPS
    lab.set_surface(lab.apply_formula("log(x) + y**2"))
    assert not lab.set_start(-1.0, 0.0)       # f undefined there: refused, nothing changed
    assert lab.start_defined


def test_unticking_a_run_drops_its_trajectory_but_not_the_lesson(lab):
    lab.set_run_enabled(2, False)
    assert [t.label for t in lab.trajectories] == ["SGD", "Momentum", "Adam"]
    assert not lab.lesson_edited()


def test_leaving_the_lesson_names_runs_by_their_settings(lab):
    lab.set_surface("rosenbrock")
    assert lab.lesson is None
    assert [lab.title(r) for r in lab.runs] == ["SGD η=0.95", "Momentum η=0.1", "AdaGrad η=1.5", "Adam η=0.3"]


def test_a_scenario_round_trips_through_its_file_text(lab):
    lab.load_lesson("gd-vs-sgd")
    lab.set_hparam(1, "lr", 0.2)
    lab.set_step(17)
    text = scenario.dumps(lab.to_scenario())
    again = SurfaceLab()
    again.from_scenario(scenario.loads(text))
    assert again.lesson is lessons.get("gd-vs-sgd")
    assert [again.title(r) for r in again.runs] == ["GD (100 points)", "SGD (1 point) η=0.2", "Minibatch (10 points)"]
    assert again.step == 17 and again.steps == lab.steps and again.start == lab.start
    assert [r.surface.batch_size for r in again.runs] == [100, 1, 10]   # each run its own minibatch data
    for a, b in zip(again.trajectories, lab.trajectories, strict=True):
        assert (a.x == b.x).all()


def test_a_formula_scenario_is_parsed_once_by_the_loader(lab):
    lab.set_surface(lab.apply_formula("x**2 + 3*y**2"))
    loaded = scenario.loads(scenario.dumps(lab.to_scenario()))
    assert loaded.parsed is not None
    again = SurfaceLab()
    again.from_scenario(loaded)
    assert again.surface is loaded.parsed          # not parsed a second time
    assert again.surface.f(1.0, 1.0) == pytest.approx(4.0)


def test_signals_announce_each_change():
    lab = SurfaceLab()
    steps, trajectories = _record(lab.step_changed), _record(lab.trajectories_changed)
    lab.load_lesson("momentum-overshoot")
    assert trajectories and steps[-1] == (80,)
    arrows = _record(lab.arrows_changed)
    lab.set_arrows(True, False)
    assert arrows == [(True, False)] and lab.gradient_arrows and not lab.velocity_arrows
