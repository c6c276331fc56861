"""The housing lesson's caption, measured as the preset opens (issue #16): the PyTorch chapter's
8-6-5-4-3-1 LeakyReLU network, MSE, batch 256, 200 epochs on the bundled California housing
(14,448 / 3,096 / 3,096 rows).

Measured on this machine (seeds 0-4, test R²): Adam 0.742-0.771, Adam + plateau 0.710-0.758,
SGD η 0.001 0.520-0.688, SGD η 0.01 0.720-0.748, momentum η 0.01 0.755-0.781, momentum η 0.1
diverges in its first epoch; the preset takes ~20 s.
"""

from __future__ import annotations

import time

import numpy as np
import pytest

from optilab import data, training
from optilab.training import claims

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def housing():
    t0 = time.perf_counter()
    result = training.run_preset("housing")
    return result, time.perf_counter() - t0


def _by_label(result):
    return {r.config.label: r for r in result.runs}


def test_housing_opens_as_the_chapter_sets_it(housing):
    result, _ = housing
    cfg = result.runs[0].config
    assert cfg.hidden == (6, 5, 4, 3) and cfg.activation == "leaky_relu" and cfg.batch_size == 256
    assert cfg.optimizer == "adam" and cfg.hparams == {}                  # Adam's defaults, untouched
    assert result.runs[0].summary.n_train == 14_448 and result.runs[0].summary.task == "regression"


def test_adams_defaults_work_where_sgd_needs_tuning(housing):
    result, _ = housing
    runs = _by_label(result)
    r2 = {k: r.summary.r2 for k, r in runs.items() if r.status == "finished"}
    assert r2["Adam"] >= max(r2.values()) - 0.05, r2                     # untuned Adam: near the best
    assert min(r2, key=r2.get) == "SGD η=0.001", r2                       # SGD at too small an η: last
    assert r2["Adam"] - r2["SGD η=0.001"] >= 0.05, r2
    assert runs["momentum η=0.1"].status == "diverged"                    # too large an η: diverges
    assert result.expected_divergence(runs["momentum η=0.1"]) and not result.unexpected_divergences
    assert r2["SGD η=0.01"] > 0.7 and r2["momentum η=0.01"] > 0.7        # tuned SGD does well too
    assert claims.check("housing", result.runs).holds == 1


def test_plateau_halves_eta_and_ends_no_better_than_constant(housing):
    result, _ = housing
    runs = _by_label(result)
    lr = runs["Adam + plateau"].history.lr
    cuts = np.flatnonzero(np.diff(lr) != 0)
    assert len(cuts) >= 1 and np.allclose(lr[cuts + 1] / lr[cuts], 0.5)
    assert runs["Adam + plateau"].summary.r2 <= runs["Adam"].summary.r2 + 0.01


def test_rmse_is_in_the_targets_units_and_r2_agrees_with_it(housing):
    result, _ = housing
    adam = _by_label(result)["Adam"].summary
    y = data.table.load_bundled().t_test                      # $100,000
    var = float(np.mean((y - y.mean()) ** 2))
    assert adam.r2 == pytest.approx(1 - adam.rmse ** 2 / var, rel=1e-9)   # R² = 1 − MSE / var(y)
    assert 0.45 < adam.rmse < 0.65 and adam.mae < adam.rmse


def test_housing_takes_a_wait_a_class_accepts(housing):
    _, seconds = housing
    print(f"\nhousing (opening mode): {seconds:.1f} s")
    assert seconds < 60
