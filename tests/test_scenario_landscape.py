"""Scenarios saved in the surface lab's landscape mode (issue #14 item 3): the landscape is stored and
read back, and a damaged landscape section is one ScenarioError line naming its field."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from optilab import scenario as sc
from optilab.landscape import Landscape, LandscapeOptions
from optilab.scenario import Scenario, ScenarioError
from tests.lab.test_surface_landscape import quadratic_landscape


def _saved(landscape: Landscape | None = None, caption: str | None = "a caption", step: int | None = 2) -> dict:
    scenario = Scenario(landscape=landscape or quadratic_landscape(n=5), landscape_caption=caption,
                        landscape_step=step)
    return json.loads(sc.dumps(scenario))


def test_the_landscape_round_trips_through_a_file(tmp_path):
    ls = quadratic_landscape(n=7)
    file = tmp_path / "s.json"
    sc.save(Scenario(landscape=ls, landscape_caption="SGD and Adam", landscape_step=4), file)
    back = sc.load(file)
    got = back.landscape
    assert back.landscape_caption == "SGD and Adam" and back.landscape_step == 4
    assert np.array_equal(got.alphas, ls.alphas) and np.array_equal(got.betas, ls.betas)
    assert np.allclose(got.loss, ls.loss, rtol=1e-8, atol=0)       # 9 significant digits
    assert got.title == ls.title and got.options == ls.options and got.explained == ls.explained
    assert got.center_loss == ls.center_loss and got.plane is None
    assert [p.label for p in got.paths] == ["SGD", "Adam"]
    for a, b in zip(got.paths, ls.paths, strict=True):
        assert np.array_equal(a.iterations, b.iterations) and np.array_equal(a.alpha, b.alpha)
        assert np.array_equal(a.beta, b.beta)
        assert np.allclose(a.loss, b.loss, rtol=1e-8) and np.allclose(a.plane_loss, b.plane_loss, rtol=1e-8)


def test_float32_losses_round_trip_exactly_and_non_finite_ones_are_null():
    ls = quadratic_landscape(n=5)
    loss = (ls.loss / 3).astype(np.float32).astype(float)     # float32 losses, as the network computes them
    loss[0, 0], loss[4, 4] = np.inf, np.nan
    ls = Landscape(ls.alphas, ls.betas, loss, "t", ls.options, (), None, math.nan)
    doc = _saved(ls, step=None)
    assert doc["landscape"]["loss"][0][0] is None and doc["landscape"]["center_loss"] is None
    back = sc.loads(json.dumps(doc)).landscape
    assert np.isnan(back.loss[0, 0]) and np.isnan(back.loss[4, 4]) and math.isnan(back.center_loss)
    finite = np.isfinite(loss)
    assert np.array_equal(back.loss[finite].astype(np.float32), loss[finite].astype(np.float32))
    assert back.explained is None and back.paths == ()


def test_a_scenario_without_a_landscape_has_no_landscape_section():
    assert "landscape" not in json.loads(sc.dumps(Scenario()))
    assert sc.loads(sc.dumps(Scenario())).landscape is None


def test_a_201_grid_fits_in_a_scenario_file():
    ls = quadratic_landscape(n=201)
    rng = np.random.default_rng(0)
    ls = Landscape(ls.alphas, ls.betas, ls.loss * (1 + rng.random(ls.loss.shape)), "t", ls.options, ls.paths)
    assert len(sc.dumps(Scenario(landscape=ls)).encode()) < sc.MAX_BYTES


def _damage(path: str, value):
    doc = _saved()
    *parents, last = path.split(".")
    target = doc["landscape"]
    for key in parents:
        target = target[int(key)] if key.isdigit() else target[key]
    if value is KeyError:
        del target[int(last) if last.isdigit() else last]
    else:
        target[int(last) if last.isdigit() else last] = value
    return json.dumps(doc)


@pytest.mark.parametrize(("path", "value", "field", "words"), [
    ("alphas", KeyError, "landscape.alphas", "missing"),
    ("paths", KeyError, "landscape.paths", "missing"),
    ("alphas", [0.0, 1.0], "landscape.loss", "must be 2 rows (one per α) of 5 numbers"),
    ("alphas", [-1.0, -0.5, 0.0, 0.0, 1.0], "landscape.alphas", "increase"),
    ("betas", [0, 1, 2, 3, "x"], "landscape.betas[4]", "finite number"),
    ("alphas", [0.0], "landscape.alphas", "list of 2 to 201"),
    ("loss.2", [1.0, 2.0], "landscape.loss[2]", "list of 5 finite"),
    ("loss", [[1.0] * 5] * 4, "landscape.loss", "5 rows"),
    ("loss.1.1", "high", "landscape.loss[1][1]", "finite number"),
    ("options", {"grid": 1}, "landscape.options", "grid"),
    ("options", {"directions": "sideways"}, "landscape.options", "directions"),
    ("explained", [0.9, 1.5], "landscape.explained", "from 0 to 1"),
    ("center_loss", "low", "landscape.center_loss", "finite number"),
    ("title", 3, "landscape.title", "text"),
    ("step", 9, "landscape.step", "from 0 to 5"),
    ("surprise", 1, "landscape.surprise", "unknown field"),
    ("paths.0.alpha", [0.0, 1.0], "landscape.paths[0].alpha", "list of 6 finite"),
    ("paths.1.iterations", [0, 1.5, 2, 3], "landscape.paths[1].iterations[1]", "whole number"),
    ("paths.0.plane_loss", KeyError, "landscape.paths[0].plane_loss", "missing"),
    ("paths.0.label", None, "landscape.paths[0].label", "text"),
    ("paths", [{}] * 40, "landscape.paths", "at most 32 paths"),
    ("levels", [3.0, 1.0], "landscape.levels", "two finite numbers, the lower loss first"),
    ("levels", [1.0], "landscape.levels", "two finite numbers"),
    ("levels", [1.0, "high"], "landscape.levels", "two finite numbers"),
    ("levels", [True, 2.0], "landscape.levels", "two finite numbers"),
    ("levels", {"low": 1}, "landscape.levels", "two finite numbers"),
])
def test_a_damaged_landscape_is_one_line_naming_the_field(path, value, field, words):
    with pytest.raises(ScenarioError) as caught:
        sc.loads(_damage(path, value), "lesson.json")
    text = str(caught.value)
    assert "\n" not in text and text.startswith(f"lesson.json: field '{field}': ") and words in text


def test_non_finite_alphas_are_refused_by_the_json_reader_itself():
    text = _damage("alphas", [0, 1, 2, 3, 4]).replace('"alphas": [0, 1, 2, 3, 4]', '"alphas": [0, 1, 2, 3, NaN]')
    with pytest.raises(ScenarioError) as caught:
        sc.loads(text, "s.json")
    assert "not a finite number (NaN)" in str(caught.value)


def test_the_options_saved_are_the_options_given():
    options = LandscapeOptions(grid=5, span=0.5, directions="random", samples=100, subset="test", seed=7,
                               bias_bn="keep", bn_stats="keep")
    ls = quadratic_landscape(n=5)
    back = sc.loads(sc.dumps(Scenario(landscape=Landscape(ls.alphas, ls.betas, ls.loss, "t", options)))).landscape
    assert back.options == options


def test_the_shared_loss_range_of_a_lessons_maps_round_trips_and_is_left_out_when_unset():
    ls = quadratic_landscape(n=5)
    assert "levels" not in _saved(ls)["landscape"] and sc.loads(json.dumps(_saved(ls))).landscape.levels is None
    shared = Landscape(ls.alphas, ls.betas, ls.loss, ls.title, ls.options, ls.paths, ls.explained, ls.center_loss,
                       levels=(0.0172, 75.93))
    doc = _saved(shared)
    assert doc["landscape"]["levels"] == [0.0172, 75.93]
    assert sc.loads(json.dumps(doc)).landscape.levels == (0.0172, 75.93)
