"""The surface lab's stability map tab: computed off the GUI thread, a click sets the run's hyperparameters."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt

from optilab.ui.surface_lab.stability_view import DIVERGED


@pytest.fixture
def momentum(pane, qtbot):
    """The ill-conditioned valley (λ = 0.05, 5) with one momentum run, its stability tab shown."""
    pane.set_surface("ill-conditioned")
    while pane.runs:
        pane.remove_run(0)
    pane.add_run("momentum")
    pane.set_steps(300)          # enough for a cell 5 % past the boundary to leave the map 1000× blown up
    pane.run_list.selected.emit(0)
    pane.view_tabs.setCurrentWidget(pane.stability.view)
    stab = pane.stability
    stab.model.set_grid(12)
    stab.model.set_axis("x", low=0.05, high=1.0, log=False)
    stab.model.set_axis("y", low=0.0, high=0.9)
    qtbot.waitUntil(stab.model.up_to_date, timeout=10_000)
    return pane


def _click_cell(qtbot, view, i: int, j: int) -> None:
    m = view.map
    x = float(m.x_values[i])
    y = float(m.y_values[j]) if m.y_values is not None else 0.5
    x = float(np.log10(x)) if view.log_axes[0] else x      # a log axis is drawn in log₁₀ of the values
    scene = view.plot_item.vb.mapViewToScene(QPointF(x, y))
    pos = view.plot.mapFromScene(scene)
    qtbot.mouseClick(view.plot.viewport(), Qt.MouseButton.LeftButton, pos=pos)


def test_clicking_a_cell_gives_the_run_its_settings_and_shows_that_trajectory(momentum, qtbot):
    pane, stab = momentum, momentum.stability
    m = stab.model.map
    assert m.loss.shape == (12, 12) and (m.x_key, m.y_key) == ("lr", "momentum")
    _click_cell(qtbot, stab.view, 3, 7)
    eta, mu = float(m.x_values[3]), float(m.y_values[7])
    settings = pane.runs[0].settings
    assert settings["lr"] == pytest.approx(eta, rel=5e-3) and settings["momentum"] == pytest.approx(mu, rel=5e-3)
    assert pane.trajectories[0].hparams["lr"] == settings["lr"]        # the 2-D map's path is that cell's run
    assert stab.model.map is m and stab.model.up_to_date()             # the map's inputs did not change
    (px,), (py,) = stab.view.mark.getData()
    assert (px, py) == pytest.approx((settings["lr"], settings["momentum"]))
    assert pane.hparams.isVisible()


def test_the_boundary_is_two_times_one_plus_mu_over_lambda_max_and_diverged_cells_are_red(momentum):
    # λ_max = 5: heavy ball diverges for η > 0.4(1 + μ) (docs/equations.md#stability).
    m = momentum.stability.model.map
    E, M = np.meshgrid(m.x_values, m.y_values, indexing="ij")
    clear = np.abs(E / (0.4 * (1 + M)) - 1) > 0.05
    np.testing.assert_array_equal(m.diverged[clear], (E > 0.4 * (1 + M))[clear])
    overlay = momentum.stability.view.overlay.image
    red = np.array([214, 39, 40, 255])
    assert DIVERGED == "#d62728"
    assert np.all(overlay[m.diverged] == red) and not np.any(np.all(overlay[~m.diverged] == red, axis=-1))
    names = momentum.stability.view.legend_names
    assert names == ["diverged", "this run's setting"]
    assert DIVERGED in momentum.stability.view.legend.text()


def test_the_map_follows_the_steps_and_the_start(momentum, qtbot):
    pane, stab = momentum, momentum.stability
    pane.set_steps(40)
    qtbot.waitUntil(stab.model.up_to_date, timeout=10_000)
    assert stab.model.map.steps == 40
    pane.set_start(2.0, -1.0)
    qtbot.waitUntil(stab.model.up_to_date, timeout=10_000)
    assert stab.model.map.start == (2.0, -1.0)


def test_sgd_is_a_strip_and_a_bad_range_is_one_inline_line(pane, qtbot):
    pane.set_surface("bowl")
    while pane.runs:
        pane.remove_run(0)
    pane.add_run("sgd")
    pane.run_list.selected.emit(0)
    pane.view_tabs.setCurrentWidget(pane.stability.view)
    stab = pane.stability
    qtbot.waitUntil(stab.model.up_to_date, timeout=10_000)
    assert stab.model.map.is_strip and stab.model.map.loss.shape[1] == 1
    assert stab.view.log_axes[0]          # η's slider range, 1e-4 … 10, is a log axis
    _click_cell(qtbot, stab.view, 5, 0)
    assert pane.runs[0].settings["lr"] == pytest.approx(float(stab.model.map.x_values[5]), rel=5e-3)
    edit = stab.view.fields["x_low"]
    edit.setText("20")
    edit.setModified(True)
    edit.editingFinished.emit()
    assert "LO < HI" in stab.view.error.text()
    assert stab.model.x.low != 20.0
