"""Every experiment's caption (`Preset.shows`), measured in the mode it opens in (issue #11).

The app opens an experiment with Quick unticked, so the opening mode is
``quick=False``; a preset's quick mode, where it has one (`Preset.has_quick`),
must show the lesson too and is measured here as well.  Each experiment is
trained once (module fixtures) on the bundled sample, 8,000 train / 2,000 test
images.  The thresholds are the book's statements made numbers:

* chance level of 10 classes is 10 % accuracy, cross-entropy ln 10 ≈ 2.303;
* "clearly last" is a mean loss over the run at least 1.5× every other's;
* "at most weight scales" is at least 6 of the 8 scales shown.
"""

from __future__ import annotations

import math
import time

import numpy as np
import pytest

from optilab import data, surfaces, training
from optilab.training.experiments import batchnorm_pairs

pytestmark = pytest.mark.slow

CHANCE_LOSS = math.log(10)


@pytest.fixture(scope="module")
def sample():
    return data.load(sample=True)


_RESULTS: dict[tuple[str, bool], training.ExperimentResult] = {}


def _run(name: str, sample, quick: bool = False) -> training.ExperimentResult:
    key = (name, quick)
    if key not in _RESULTS:
        t0 = time.perf_counter()
        _RESULTS[key] = training.run_preset(name, sample, quick=quick)
        print(f"\n{name} ({'quick' if quick else 'opening mode'}): {time.perf_counter() - t0:.1f} s")
    return _RESULTS[key]


def _by_label(result: training.ExperimentResult) -> dict[str, training.RunResult]:
    return {r.config.label: r for r in result.runs}


def _gap(run: training.RunResult) -> float:
    return run.summary.train_acc - run.summary.test_acc


def test_no_lesson_has_a_quick_mode_that_is_not_measured_here():
    assert [n for n in training.names() if training.get(n).has_quick] == ["activation-histograms", "gd-vs-sgd"]


def test_optimizer_compare_sgd_is_clearly_last(sample):
    runs = _by_label(_run("optimizer-compare", sample))
    mean_loss = {label: float(np.mean(r.history.loss)) for label, r in runs.items()}
    others = {k: v for k, v in mean_loss.items() if k != "sgd"}
    assert mean_loss["sgd"] >= 1.5 * max(others.values()), mean_loss
    for fast in ("momentum", "adagrad", "adam"):     # "fall much faster"
        assert mean_loss[fast] <= 0.5 * mean_loss["sgd"], mean_loss


def test_init_compare_std001_barely_learns_xavier_learns_he_fastest(sample):
    runs = _by_label(_run("init-compare", sample))
    final = {k: float(np.mean(r.history.loss[-100:])) for k, r in runs.items()}
    assert final["std 0.01"] > CHANCE_LOSS - 0.05            # still at chance level
    assert final["std 0.01"] > final["Xavier"] > final["He"]
    assert final["Xavier"] < 0.5 * CHANCE_LOSS


@pytest.mark.parametrize("quick", [False, True])
def test_activation_histograms_saturate_collapse_or_spread(quick):
    h = training.run_preset("activation-histograms", quick=quick).histograms
    for layer in h[("sigmoid", "1.0")]:                   # std 1: piles at 0 and 1
        assert np.mean((layer < 0.1) | (layer > 0.9)) > 0.5
    for layer in h[("sigmoid", "0.01")][1:]:              # std 0.01: collapses to 0.5
        assert np.mean(np.abs(layer - 0.5) < 0.05) > 0.95
    for layer in h[("sigmoid", "xavier")]:                # Xavier: spread, not piled
        assert np.mean((layer > 0.1) & (layer < 0.9)) > 0.8 and np.std(layer) > 0.05
    for layer in h[("tanh", "xavier")]:
        assert np.mean(np.abs(layer) < 0.9) > 0.8 and np.std(layer) > 0.1
    relu = h[("relu", "he")]                              # He keeps the ReLU outputs' size
    assert all(0.3 < np.std(layer) / np.std(relu[0]) < 3 for layer in relu)
    assert all(np.mean(layer > 0) > 0.2 for layer in relu)


@pytest.fixture(scope="module")
def batchnorm(sample):
    return _run("batchnorm-compare", sample)


def test_batchnorm_learns_at_least_as_well_and_faster_at_most_scales(batchnorm):
    pairs = batchnorm_pairs(batchnorm.runs)
    assert len(pairs) == 8 and all(bn is not None and plain is not None for _, bn, plain in pairs)
    final = [bn.history.train_acc[-1] >= plain.history.train_acc[-1] for _, bn, plain in pairs]
    assert sum(final) >= 6, [(s, bn.history.train_acc[-1], p.history.train_acc[-1]) for s, bn, p in pairs]
    faster = [np.mean(bn.history.train_acc) > np.mean(plain.history.train_acc) for _, bn, plain in pairs]
    assert sum(faster) >= 6


def test_batchnorm_small_scales_stay_at_chance_and_large_ones_diverge_as_expected(batchnorm):
    pairs = batchnorm_pairs(batchnorm.runs)
    for scale, _bn, plain in pairs:
        if scale <= 0.01:
            assert plain.history.train_acc[-1] < 0.2       # "never leave about 10 %"
    _, bn_big, plain_big = pairs[0]
    assert pairs[0][0] == 1.0 and plain_big.status == "diverged" and bn_big.status == "finished"
    assert batchnorm.expected_divergence(plain_big)
    assert batchnorm.unexpected_divergences == []


@pytest.fixture(scope="module")
def weight_decay(sample):
    return _by_label(_run("weight-decay", sample))


def test_overfitting_train_near_100_test_far_below(weight_decay):
    # The overfitting lesson's only run is the weight-decay lesson's baseline: trained once.
    assert training.get("overfit").configs() == [weight_decay["no regularisation"].config]
    run = weight_decay["no regularisation"]
    assert run.summary.train_acc >= 0.95
    assert _gap(run) >= 0.15


def test_weight_decay_shrinks_the_gap(weight_decay):
    assert _gap(weight_decay["weight decay λ=0.1"]) < _gap(weight_decay["no regularisation"])


def test_dropout_narrows_the_gap_and_fits_slower(sample):
    runs = _by_label(_run("dropout", sample))
    plain, drop = runs["no regularisation"], runs["dropout p=0.2"]
    assert _gap(plain) >= 0.15 and _gap(drop) < _gap(plain)
    at_100 = int(np.searchsorted(plain.history.eval_epochs, 100))
    assert drop.history.train_acc[at_100] < plain.history.train_acc[at_100]


def test_random_search_best_runs_have_eta_1e3_to_1e2_and_spread_lambda(sample):
    res = _run("random-search", sample)
    best = res.table[:5]
    assert all(1e-3 <= row["lr"] <= 1e-2 for row in best), best
    assert all(row["val_acc"] > 0.3 for row in best[:3])            # well above chance
    lams = [math.log10(row["weight_decay"]) for row in best]
    assert max(lams) - min(lams) >= 1.0, best                      # λ spread: it matters little
    rest = [row["val_acc"] for row in res.table if not 1e-3 <= row["lr"] <= 1e-2]
    assert max(rest) < best[2]["val_acc"]


@pytest.mark.parametrize("quick", [False, True])
def test_gd_smooth_sgd_jitters_minibatch_between(quick):
    gd, sgd, mini = training.run_preset("gd-vs-sgd", quick=quick).trajectories
    full = surfaces.least_squares(n_points=100, batch_size=None, seed=0)
    rises = []
    for tr in (gd, mini, sgd):
        loss = np.array([full.func(float(x), float(y)) for x, y in zip(tr.x, tr.y, strict=False)])
        np.testing.assert_allclose(loss, tr.loss, rtol=1e-9)   # the curve drawn is the full-data loss
        rises.append(float(np.sum(np.clip(np.diff(loss), 0, None))))
    assert rises[0] == 0.0 < rises[1] < rises[2], rises


def test_lr_schedules_decay_lowers_the_final_loss_warmup_is_gentle_plateau_cuts(sample):
    runs = _by_label(_run("lr-schedules", sample))
    final = {k: float(np.mean(r.history.loss[-100:])) for k, r in runs.items()}
    for decay in ("step", "exponential", "1/t", "cosine"):
        assert final[decay] < final["constant"], final
    early = {k: float(np.mean(r.history.loss[:100])) for k, r in runs.items()}
    assert early["warm-up"] > early["constant"]
    lr = runs["plateau"].history.lr
    cuts = np.flatnonzero(np.diff(lr) != 0)
    assert len(cuts) >= 1 and np.all(np.isclose(lr[cuts + 1] / lr[cuts], 0.5))
    assert lr[0] == 0.01
