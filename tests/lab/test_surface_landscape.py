"""The surface lab's landscape mode (issue #14 item 3), driven without Qt: a sampled loss on a plane
through θ*, the runs' projected paths played step by step."""

from __future__ import annotations

import numpy as np
import pytest

from optilab import trajectory
from optilab.lab.surface import SurfaceLab
from optilab.landscape import Landscape, LandscapeOptions, Path
from optilab.messages import OptilabError


def quadratic_landscape(n: int = 21, title: str = "optimizer-compare") -> Landscape:
    """L(α, β) = 0.1 + α² + 3β² on [−1, 1]², two paths ending at θ* = (0, 0) (the first) and near it."""
    alphas = betas = np.linspace(-1.0, 1.0, n)
    A, B = np.meshgrid(alphas, betas, indexing="ij")
    loss = 0.1 + A**2 + 3 * B**2
    t = np.linspace(0.0, 1.0, 6)
    sgd = Path("SGD", np.arange(0, 60, 10), 0.9 * (1 - t), 0.5 * (1 - t) ** 2,
               loss=0.2 + (1 - t), plane_loss=0.1 + (0.9 * (1 - t)) ** 2 + 3 * (0.5 * (1 - t) ** 2) ** 2)
    s = np.linspace(0.0, 1.0, 4)
    adam = Path("Adam", np.array([0, 20, 40, 60]), -0.8 + 0.7 * s, 0.6 - 0.5 * s, loss=1.0 - 0.5 * s,
                plane_loss=0.1 + (-0.8 + 0.7 * s) ** 2 + 3 * (0.6 - 0.5 * s) ** 2)
    return Landscape(alphas, betas, loss, title, LandscapeOptions(grid=n, samples=500), (sgd, adam),
                     explained=(0.91, 0.05), center_loss=0.1)


@pytest.fixture
def lab() -> SurfaceLab:
    model = SurfaceLab(colors=lambda: ("#111111", "#222222", "#333333"))
    model.load_lesson("book-figure")
    return model


def _record(signal) -> list:
    seen: list = []
    signal.connect(lambda *args: seen.append(args))
    return seen


def test_show_landscape_enters_the_mode_with_the_sampled_surface_and_one_trajectory_per_path(lab):
    ls = quadratic_landscape()
    changed = _record(lab.landscape_changed)
    lab.show_landscape(ls, caption="SGD and Adam on one plane")
    assert changed == [(ls,)] and lab.landscape is ls and lab.caption == "SGD and Adam on one plane"
    assert lab.surface.name == "landscape" and lab.surface.title == "optimizer-compare"
    assert lab.axis_names == ("α", "β") and lab.runs == [] and lab.lesson is None
    # steps: the longest path's points − 1; shown at the end.
    assert lab.steps == 5 and lab.step == 5
    sgd, adam = lab.trajectories
    assert sgd.is_path and sgd.label == "SGD" and adam.label == "Adam"
    assert np.array_equal(sgd.x, ls.paths[0].alpha) and np.array_equal(sgd.y, ls.paths[0].beta)
    assert np.array_equal(sgd.loss, ls.paths[0].plane_loss)          # what lies on the map
    assert np.array_equal(sgd.weights_loss, ls.paths[0].loss)        # the recorded θᵢ's own loss
    assert list(sgd.iterations) == [0, 10, 20, 30, 40, 50]
    assert (sgd.x[-1], sgd.y[-1]) == (0.0, 0.0)                       # the first run ends at θ*
    assert lab.legend() == [("SGD", "#111111"), ("Adam", "#222222")]
    assert sgd.step_lines(3) == []


def test_the_path_on_the_map_lies_on_the_sampled_loss_and_its_arrows_follow_the_map(lab):
    lab.show_landscape(quadratic_landscape(n=41))
    sgd = lab.trajectories[0]
    # The surface is the bilinear interpolation of 0.1 + α² + 3β² on a 0.05 grid: within h²/4·(1 + 3).
    assert lab.surface.f(sgd.x, sgd.y) == pytest.approx(sgd.loss, abs=0.05**2)
    # −g arrows on a path point down the map: ∂L/∂α ≈ 2α, ∂L/∂β ≈ 6β (one grid step's error).
    assert sgd.grad[0] == pytest.approx([2 * 0.9, 6 * 0.5], abs=0.31)


def test_the_player_moves_along_the_snapshots_and_the_shorter_path_stops_at_its_end(lab):
    lab.show_landscape(quadratic_landscape())
    assert lab.set_step(2) == 2
    sgd, adam = lab.trajectories
    assert sgd.iterations[min(2, sgd.last_step)] == 20 and adam.iterations[min(2, adam.last_step)] == 40
    assert lab.set_step(99) == 5 and min(5, adam.last_step) == 3


def test_nothing_is_edited_in_the_mode(lab):
    lab.show_landscape(quadratic_landscape())
    before = [t.x.copy() for t in lab.trajectories]
    assert lab.set_start(0.3, 0.3) is False
    lab.set_steps(300)
    assert lab.steps == 5
    with pytest.raises(OptilabError) as caught:
        lab.add_run("sgd")
    assert "choose a surface" in str(caught.value)
    assert all(np.array_equal(a, t.x) for a, t in zip(before, lab.trajectories, strict=True))


def test_a_built_in_surface_leaves_the_mode_and_brings_back_the_runs(lab):
    titles = [lab.title(r) for r in lab.runs]
    lab.show_landscape(quadratic_landscape())
    changed = _record(lab.landscape_changed)
    lab.set_surface("rosenbrock")
    assert changed == [(None,)] and lab.landscape is None and lab.caption is None
    assert [lab.title(r) for r in lab.runs] == titles and lab.steps == 30
    assert lab.axis_names == ("x", "y") and len(lab.trajectories) == 4 and not lab.trajectories[0].is_path


@pytest.mark.parametrize("leave", [lambda lab: lab.load_lesson("lr-too-large"),
                                   lambda lab: lab.apply_formula("x**2 + y**2")])
def test_a_lesson_or_a_formula_leaves_the_mode(lab, leave):
    lab.show_landscape(quadratic_landscape())
    leave(lab)
    assert lab.landscape is None and lab.surface.name != "landscape"
    assert all(not t.is_path for t in lab.trajectories)


def test_random_directions_have_no_path_and_no_steps(lab):
    ls = quadratic_landscape()
    random = Landscape(ls.alphas, ls.betas, ls.loss, "Adam", LandscapeOptions(directions="random"))
    lab.show_landscape(random)
    assert lab.trajectories == [] and lab.steps == 0 and lab.step == 0 and lab.legend() == []


def test_the_paths_csv_carries_the_iteration_and_both_losses(lab):
    ls = quadratic_landscape()
    lab.show_landscape(ls)
    lines = trajectory.to_csv(lab.trajectories).splitlines()
    assert lines[0] == "optimizer,step,iteration,x,y,loss,weights_loss"
    assert len(lines) == 1 + 6 + 4
    p = ls.paths[1]
    assert lines[7] == "Adam,0,0,-0.8,0.6,1.8200000000000003,1.0"
    assert p.iterations[0] == 0
    assert lines[6].startswith("SGD,5,50,0.0,0.0,")


def test_a_scenario_saved_in_the_mode_reloads_to_the_same_landscape_over_the_runs_before(lab):
    ls = quadratic_landscape()
    lab.show_landscape(ls, caption="the caption")
    lab.set_step(2)
    sc = lab.to_scenario()
    assert sc.landscape is ls and sc.landscape_caption == "the caption" and sc.landscape_step == 2
    assert sc.lesson is None and len(sc.optimizers) == 4       # the runs the lab had before
    other = SurfaceLab(colors=lambda: ("#111111", "#222222"))
    other.from_scenario(sc)
    assert other.landscape is ls and other.caption == "the caption" and other.step == 2
    other.set_surface("bowl")
    assert len(other.runs) == 4
