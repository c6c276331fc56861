"""The surface lab's views in landscape mode (issue #14 item 3): the map, the 3-D view, the player,
the numbers, the controls and the lesson bar show a network's sampled loss and its projected paths."""

from __future__ import annotations

import numpy as np
import pytest

from optilab import exporters, scenario
from optilab.landscape import Landscape, LandscapeOptions
from tests.lab.test_surface_landscape import quadratic_landscape


@pytest.fixture
def shown(pane):
    ls = quadratic_landscape(n=21, title="Adam")
    pane.show_landscape(ls, caption="Adam's path on its own plane")
    return pane, ls


def test_the_map_draws_the_sampled_loss_with_the_directions_on_its_axes(shown):
    pane, ls = shown
    v = pane.view_2d
    assert v.plot_item.getAxis("bottom").labelText == "α (PC1, 91 %)"
    assert v.plot_item.getAxis("left").labelText == "β (PC2, 5 %)"
    # Colours from the loss grid: linear (1.2/0.1 spans one decade), from its minimum.
    assert not v.map.log and v.map.levels[0] == pytest.approx(float(ls.loss.min()), abs=1e-3)
    assert v.map.levels[1] <= float(ls.loss.max())
    assert v.colorbar.getAxis("left").labelText == "L"
    assert not v.start_marker.isVisible()
    assert [label.text for _sample, label in v.legend.items] == ["SGD", "Adam"]


def test_random_directions_name_the_axes_after_the_directions(pane):
    ls = quadratic_landscape()
    pane.show_landscape(Landscape(ls.alphas, ls.betas, ls.loss, "SGD", LandscapeOptions(directions="random")))
    axis = pane.view_2d.plot_item.getAxis
    assert (axis("bottom").labelText, axis("left").labelText) == ("α (direction δ)", "β (direction η)")
    assert "filter-normalised random directions" in pane.landscape_info.text()
    assert pane.trajectories == [] and "Random directions carry no path" in pane.numbers.toPlainText()


def test_the_player_moves_the_points_along_the_snapshots_and_the_numbers_read_the_paths(shown):
    pane, ls = shown
    assert pane.timeline.step_label.text() == "step 5 / 5"
    sgd, adam = ls.paths
    assert pane.view_2d.current_point(0) == pytest.approx((0.0, 0.0))      # the first run ends at θ*
    pane.set_step(2)
    assert pane.view_2d.current_point(0) == pytest.approx((sgd.alpha[2], sgd.beta[2]))
    assert pane.view_2d.current_point(1) == pytest.approx((adam.alpha[2], adam.beta[2]))
    n = pane.numbers
    assert n.cell(0, "iteration") == "20" and n.cell(1, "iteration") == "40"
    assert float(n.cell(0, "x")) == pytest.approx(sgd.alpha[2], rel=1e-5)
    assert float(n.cell(0, "f")) == pytest.approx(sgd.plane_loss[2], rel=1e-5)
    assert float(n.cell(0, "weights_loss")) == pytest.approx(sgd.loss[2], rel=1e-5)
    pane.set_step(5)      # Adam's 4 snapshots end at its last
    assert n.cell(1, "iteration") == "60"
    assert "loss on the plane" in n.toPlainText() and "loss of θᵢ" in n.toPlainText()


def test_the_controls_say_what_this_is_instead_of_the_optimizer_editor(shown):
    pane, _ls = shown
    text = pane.landscape_info.text()
    assert "Loss landscape of Adam: PCA directions (PC1 91 %, PC2 5 % of the variance)" in text
    assert "Grid 21×21, the loss on 500 training images" in text and "θ* + αδ + βη" in text
    assert pane.landscape_info.isVisible()
    assert not pane.run_list.isVisible() and not pane.hparams.isVisible() and not pane.start_controls.isVisible()
    assert pane.surface_controls.combo.currentData() == "landscape"
    assert not pane.surface_controls.formula.isEnabled()
    assert pane.lesson_bar.caption.text() == "Adam's path on its own plane"


def test_choosing_a_surface_leaves_the_mode_and_restores_the_controls(shown):
    pane, _ls = shown
    pane.surface_controls.combo.activated.emit(pane.surface_controls.combo.findData("rosenbrock"))
    assert pane.landscape is None and pane.surface.name == "rosenbrock"
    assert pane.run_list.isVisible() and not pane.landscape_info.isVisible()
    assert pane.surface_controls.combo.findData("landscape") < 0 and pane.surface_controls.formula.isEnabled()
    assert pane.run_list.list.count() == 4 and pane.view_2d.start_marker.isVisible()
    assert pane.view_2d.plot_item.getAxis("bottom").labelText == "x"
    assert pane.numbers.cell(0, "g")   # optimizer steps again


def test_the_trajectories_csv_of_the_paths_carries_the_iteration(shown, tmp_path):
    pane, _ls = shown
    path = exporters.get("csv")(pane, tmp_path / "paths.csv")
    lines = path.read_text().splitlines()
    assert lines[0] == "optimizer,step,iteration,x,y,loss,weights_loss" and len(lines) == 11
    assert lines[1].split(",")[:3] == ["SGD", "0", "0"] and lines[-1].split(",")[:3] == ["Adam", "3", "60"]


def test_the_map_png_export_shows_the_landscape(shown, tmp_path):
    pane, _ls = shown
    out = exporters.get("map-png")(pane, tmp_path / "map.png")
    assert out.stat().st_size > 1000


def test_a_scenario_saved_in_the_mode_reloads_to_the_same_picture(shown, tmp_path):
    pane, ls = shown
    pane.set_step(3)
    before = pane.view_2d.map.values.copy()
    file = tmp_path / "landscape.json"
    scenario.save(pane.to_scenario(), file)
    pane.set_surface("bowl")
    pane.apply_scenario(scenario.load(file))
    assert pane.landscape is not None and pane.step == 3 and pane.lab.caption == "Adam's path on its own plane"
    assert np.allclose(pane.view_2d.map.values, before, rtol=1e-8)    # losses kept to 9 digits
    assert pane.view_2d.current_point(1) == pytest.approx((ls.paths[1].alpha[3], ls.paths[1].beta[3]))
    assert pane.view_2d.plot_item.getAxis("bottom").labelText == "α (PC1, 91 %)"


@pytest.mark.parametrize("key", ["map-svg", "3d-png", "window-png"])
def test_every_picture_export_writes_the_landscape(shown, tmp_path, key):
    pane, _ls = shown
    exporter = exporters.get(key)
    out = exporter(pane, tmp_path / f"picture{exporter.suffix}")
    assert out.stat().st_size > 1000
    if key == "map-svg":
        assert "PC1, 91 %)" in out.read_text(encoding="utf-8")     # the axis title, in the picture


def test_the_json_and_gif_exports_follow_the_paths(shown, tmp_path):
    import json

    from PIL import Image

    pane, ls = shown
    doc = json.loads(exporters.get("json")(pane, tmp_path / "paths.json").read_text())
    assert doc["surface"] == {"name": "landscape", "formula": "L(θ* + αδ + βη)"}
    adam = doc["runs"][1]
    assert [p["iteration"] for p in adam["points"]] == [0, 20, 40, 60]
    assert adam["points"][3]["weights_loss"] == pytest.approx(ls.paths[1].loss[3])
    gif = exporters.get("gif")(pane, tmp_path / "paths.gif")
    with Image.open(gif) as image:
        assert image.n_frames == 6       # steps 0…5: one frame per snapshot of the longest path
    assert pane.step == 5                # the step shown is restored


def _bowl(rise: float, bottom: float, title: str) -> Landscape:
    """A random-direction map L = bottom + rise·(α² + β²) on [−1, 1]² (21×21), no paths."""
    alphas = betas = np.linspace(-1.0, 1.0, 21)
    A, B = np.meshgrid(alphas, betas, indexing="ij")
    return Landscape(alphas, betas, bottom + rise * (A**2 + B**2), title,
                     LandscapeOptions(grid=21, directions="random"))


def test_the_maps_of_one_lesson_share_their_colours_and_heights(pane):
    """The batch-norm lesson's two maps: without BN 0.2…100.2 (alone: log), with BN 0.17…3.17
    (alone: linear); with the lesson's shared range (0.17, 100.2) both are log, the colour bar
    reads log10 0.17…log10 100.2 on each and a loss of 1 stands at the same height on each."""
    from optilab.landscape import lessons

    shown = lessons.share_levels([_bowl(50.0, 0.2, "no batch norm"), _bowl(1.5, 0.17, "batch norm")])
    assert [ls.levels for ls in shown] == [pytest.approx((0.17, 100.2))] * 2
    seen = []
    for ls in shown:
        pane.show_landscape(ls, "caption")
        v = pane.view_2d
        seen.append((v.map.log, tuple(v.colorbar.levels()), float(pane.view_3d.heights.z_of_loss(np.array([1.0]))[0])))
    (log_a, bar_a, z_a), (log_b, bar_b, z_b) = seen
    assert log_a and log_b
    assert bar_a == pytest.approx((np.log10(0.17), np.log10(100.2))) and bar_b == pytest.approx(bar_a)
    assert z_b == pytest.approx(z_a) and z_a > 0


def test_the_sampling_line_has_thousands_separators_and_the_centre_loss_on_a_line_of_its_own(pane):
    ls = quadratic_landscape()
    pane.show_landscape(Landscape(ls.alphas, ls.betas, ls.loss, "SGD", LandscapeOptions(samples=2000),
                                  center_loss=0.04213))
    assert pane.landscape_info.sampling.text() == \
        "Grid 21×21, the loss on 2,000 training images, span 1<br>L(θ*) = 0.04213"


def test_a_map_without_paths_shows_no_empty_legend_box(pane):
    ls = quadratic_landscape()
    pane.show_landscape(Landscape(ls.alphas, ls.betas, ls.loss, "SGD", LandscapeOptions(directions="random")))
    assert pane.view_2d.legend.items == [] and not pane.view_2d.legend.isVisible()
    pane.show_landscape(ls)
    assert len(pane.view_2d.legend.items) == 2 and pane.view_2d.legend.isVisible()


def test_the_status_bar_hint_says_what_the_user_can_do_on_a_landscape(window):
    """A click on a landscape's map moves no start point: the hint offers the player instead
    (a map without paths: only the orbit), and leaving the mode brings the start hint back."""
    pane, hint = window.surface_pane, window.hint_label
    assert hint.text() == "Drag the 3-D view to orbit it; click the 2-D map to move the start point."
    ls = quadratic_landscape()
    pane.show_landscape(ls)
    assert hint.text() == "Drag the 3-D view to orbit it; step or play to follow the runs' recorded weights."
    pane.show_landscape(Landscape(ls.alphas, ls.betas, ls.loss, "SGD", LandscapeOptions(directions="random")))
    assert hint.text() == "Drag the 3-D view to orbit it."
    pane.surface_controls.combo.activated.emit(pane.surface_controls.combo.findData("rosenbrock"))
    assert "move the start point" in hint.text()


def test_a_lessons_shared_plane_is_named_after_its_runs_and_the_lesson_title_goes_in_the_lesson_bar(pane):
    from optilab.landscape import lessons

    lesson = lessons.get("landscape-optimizers")
    runs = [type("Result", (), {"config": c})() for c in lesson.configs]
    ((_runs, title),) = lessons.planes(lesson, runs)
    ls = quadratic_landscape(title=title)
    pane.show_landscape(ls, lesson.caption)
    assert "Loss landscape of Adam and SGD: PCA directions" in pane.landscape_info.text()
    assert lesson.title not in pane.landscape_info.text()
    assert pane.lesson_bar.caption.text().startswith("<b>SGD's and Adam's paths on one loss landscape</b> — SGD ")
    pane.show_landscape(ls, "a caption of no lesson")
    assert pane.lesson_bar.caption.text() == "a caption of no lesson"
