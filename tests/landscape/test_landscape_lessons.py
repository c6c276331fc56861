"""The loss-landscape lessons (optilab/landscape/lessons.py): every caption's claim, measured.

Each lesson is trained as it opens (its own configs and options) on the
bundled sample, 8,000 train / 2,000 test images, once per module; its
landscapes are computed by `lessons.landscapes`, and the caption's statements
are checked with the lesson's own measurement functions, whose formulas are
checked first against hand-computed values.  The measured figures are listed
in docs/landscape.md#lessons.
"""

from __future__ import annotations

import math
import time

import numpy as np
import pytest

from optilab import data, training
from optilab.landscape import Landscape, LandscapeOptions, Path
from optilab.landscape import lessons as ll
from optilab.messages import OptilabError
from optilab.training import Trainer
from optilab.training.experiments import RunResult

# -- the measurement functions, on hand-made slices -------------------------------------


def _slice(f, grid: int = 25, span: float = 1.0) -> Landscape:
    g = np.linspace(-span, span, grid)
    loss = f(g[:, None], g[None, :])
    return Landscape(g, g.copy(), loss, "test", LandscapeOptions(grid=grid, span=span, directions="random"),
                     center_loss=float(f(0.0, 0.0)))


def test_sharpness_of_a_quadratic_bowl_is_its_rise_at_the_distance():
    # L = 0.5 + 3α² + 5β²: at r = 0.25 the four points rise by 3r², 3r², 5r², 5r²; mean 4r² = 0.25.
    bowl = _slice(lambda a, b: 0.5 + 3 * a**2 + 5 * b**2)
    assert ll.sharpness(bowl, 0.25) == pytest.approx(0.25, rel=1e-12)
    assert ll.sharpness(bowl, 1.0) == pytest.approx(4.0, rel=1e-12)


def test_sharpness_needs_the_distance_on_the_grid():
    with pytest.raises(ValueError, match="±2"):
        ll.sharpness(_slice(lambda a, b: a + b), 2.0)


def test_share_below_counts_the_grid_points_under_the_level():
    # 5×5 grid over [−1, 1]: α² + β² < 0.3 holds at the centre and its 4 neighbours (0.25), not at (±0.5, ±0.5).
    assert ll.share_below(_slice(lambda a, b: a**2 + b**2, grid=5), 0.3) == pytest.approx(5 / 25)
    assert ll.share_below(_slice(lambda a, b: a * 0 + 3.0, grid=5)) == 0.0        # 3 > ln 10


def test_path_length_sums_the_steps_on_the_plane():
    # (0,0) → (3,4) → (3,0): 5 + 4.
    path = Path("p", np.arange(3), np.array([0.0, 3.0, 3.0]), np.array([0.0, 4.0, 0.0]), np.zeros(3), np.zeros(3))
    assert ll.path_length(path) == pytest.approx(9.0)


def test_lessons_are_listed_and_an_unknown_one_is_one_line_naming_the_choices():
    assert ll.names() == ["landscape-optimizers", "landscape-batch-size", "landscape-batchnorm"]
    assert all(ll.get(k).key == k for k in ll.names())
    with pytest.raises(OptilabError) as err:
        ll.get("landscape-skips")
    text = str(err.value)
    assert "\n" not in text and "'landscape-skips'" in text and "landscape-batchnorm" in text
    assert abs(ll.CHANCE_LOSS - 2.302585) < 1e-6


def test_planes_say_which_runs_each_landscape_is_of():
    class _Run:
        def __init__(self, config):
            self.config = config

    shared, each = ll.get("landscape-optimizers"), ll.get("landscape-batch-size")
    runs = [_Run(c) for c in each.configs]
    # A shared plane is named after its runs, the optimizers' keys by their display names (the
    # lesson's own title stays in the lesson bar).
    assert [c.label for c in shared.configs] == ["adam", "sgd"]
    assert ll.planes(shared, [_Run(c) for c in shared.configs]) == [((0, 1), "Adam and SGD")]
    assert ll.planes(each, runs) == [((0,), "batch 32"), ((1,), "batch 1024")]
    assert ll.run_names(["batch 32", "momentum", "my run"]) == "batch 32, Momentum and my run"
    assert ll.titles(shared) == ["Adam and SGD"] and ll.titles(each) == ["batch 32", "batch 1024"]


def test_a_lessons_maps_share_the_range_of_all_their_finite_losses():
    opts = LandscapeOptions(grid=3, directions="random")
    axis = np.array([-1.0, 0.0, 1.0])
    a = Landscape(axis, axis, np.array([[5.0, 1.0, 7.0], [2.0, 0.5, np.inf], [3.0, np.nan, 75.9]]), "no BN", opts)
    b = Landscape(axis, axis, np.full((3, 3), 0.2) + np.eye(3), "BN", opts)
    shared = ll.share_levels([a, b])
    assert [ls.levels for ls in shared] == [(0.2, 75.9), (0.2, 75.9)]
    assert [ls.title for ls in shared] == ["no BN", "BN"] and shared[0].loss is a.loss
    assert ll.shared_levels([]) is None


# -- each lesson, trained as it opens ---------------------------------------------------

@pytest.fixture(scope="module")
def sample():
    return data.load(sample=True)


_OPENED: dict[str, tuple[list[RunResult], list[Landscape]]] = {}


def _opened(key: str, sample) -> tuple[list[RunResult], list[Landscape]]:
    """The lesson ``key`` trained and computed as it opens (once per module)."""
    if key not in _OPENED:
        lesson = ll.get(key)
        t0 = time.perf_counter()
        results = []
        for config in lesson.configs:
            trainer = Trainer(config, sample)
            trainer.run()
            results.append(RunResult.from_trainer(trainer))
        t1 = time.perf_counter()
        _OPENED[key] = (results, ll.landscapes(lesson, results, sample))
        print(f"\n{key}: training {t1 - t0:.1f} s, landscapes {time.perf_counter() - t1:.1f} s")
    return _OPENED[key]


@pytest.mark.slow
def test_optimizers_lesson_is_the_comparisons_adam_and_sgd_on_one_shared_plane(sample):
    lesson = ll.get("landscape-optimizers")
    compare = {c.label: c for c in training.get("optimizer-compare").configs()}
    assert lesson.configs == (compare["adam"], compare["sgd"])          # the experiment's runs, as they are
    assert lesson.options.directions == "pca" and lesson.extra["plane"] == "shared"
    _, shown = _opened("landscape-optimizers", sample)
    assert len(shown) == 1
    (land,) = shown
    adam, sgd = land.paths
    assert (adam.label, sgd.label) == ("adam", "sgd")
    assert sum(land.explained) > 0.9                                     # "over 90 % of the paths' spread"
    # "From the same initial weights": both paths start at one point.
    assert (adam.alpha[0], adam.beta[0]) == pytest.approx((sgd.alpha[0], sgd.beta[0]), abs=1e-9)
    # The plane goes through Adam's final weights.
    assert (adam.alpha[-1], adam.beta[-1]) == pytest.approx((0.0, 0.0), abs=1e-6)


@pytest.mark.slow
def test_optimizers_lesson_adam_travels_ten_times_as_far_and_ends_at_less_than_half_the_loss(sample):
    (land,) = _opened("landscape-optimizers", sample)[1]
    adam, sgd = land.paths
    assert ll.path_length(adam) > 10 * ll.path_length(sgd), (ll.path_length(adam), ll.path_length(sgd))
    assert adam.loss[-1] < 0.5 * sgd.loss[-1], (adam.loss[-1], sgd.loss[-1])
    # "SGD stays near the start": it gets less than a fifth as far from it as Adam.
    sgd_way = math.hypot(sgd.alpha[-1] - sgd.alpha[0], sgd.beta[-1] - sgd.beta[0])
    adam_way = math.hypot(adam.alpha[-1] - adam.alpha[0], adam.beta[-1] - adam.beta[0])
    assert sgd_way < 0.2 * adam_way, (sgd_way, adam_way)


@pytest.mark.slow
def test_batch_size_lesson_small_batch_minimum_is_flatter_at_the_same_epochs(sample):
    lesson = ll.get("landscape-batch-size")
    small, large = lesson.configs
    assert (small.batch_size, large.batch_size) == (32, 1024)
    assert small.epochs == large.epochs == 10 and small.replace(batch_size=1024, label="") == large.replace(label="")
    assert small.weight_decay == 0.0                                      # the paper's case: no weight decay
    r = lesson.extra["distance"]
    assert r == 0.25
    results, (flat, sharp) = _opened("landscape-batch-size", sample)
    assert all(land.paths == () and land.explained is None for land in (flat, sharp))     # random planes
    s_small, s_large = ll.sharpness(flat, r), ll.sharpness(sharp, r)
    assert s_large > 3 * s_small > 0, (s_small, s_large)                # "over three times as much"
    assert ll.sharpness(sharp, 2 * r) > ll.sharpness(flat, 2 * r)
    # "The large batch (32 times fewer steps) also ends higher."
    assert (results[0].summary.iterations, results[1].summary.iterations) == (2500, 70)   # ⌊8000/32⌋·10, ⌊8000/1024⌋·10
    assert sharp.center_loss > flat.center_loss


@pytest.mark.slow
def test_batchnorm_lesson_is_flatter_and_keeps_more_of_the_plane_below_chance(sample):
    lesson = ll.get("landscape-batchnorm")
    plain_cfg, bn_cfg = lesson.configs
    assert not plain_cfg.batchnorm and bn_cfg.batchnorm
    assert bn_cfg.replace(batchnorm=False, label="") == plain_cfg.replace(label="")
    assert lesson.extra["level"] == ll.CHANCE_LOSS
    _, (plain, bn) = _opened("landscape-batchnorm", sample)
    assert plain.loss.max() > 10 * bn.loss.max(), (plain.loss.max(), bn.loss.max())  # "past ten times"
    assert bn.loss.max() < 2 * ll.CHANCE_LOSS, bn.loss.max()                         # "levels off"
    share_plain, share_bn = ll.share_below(plain), ll.share_below(bn)
    assert share_bn >= 2 * share_plain, (share_plain, share_bn)                     # "at least twice as much"


def test_every_lesson_is_documented_in_docs_landscape_with_its_caption():
    from pathlib import Path as FsPath

    doc = (FsPath(__file__).resolve().parents[2] / "docs" / "landscape.md").read_text(encoding="utf-8")
    missing = [k for k in ll.names() if f'<a id="{k}"></a>' not in doc]
    assert not missing, f"document these lessons in docs/landscape.md#lessons: {missing}"
    flat = " ".join(doc.split())
    stale = [k for k in ll.names() if " ".join(ll.get(k).caption.split()) not in flat]
    assert not stale, f"docs/landscape.md quotes an old caption of: {stale}"
