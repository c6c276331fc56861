"""Seeds: expand, group, band and summary against hand-computed means and sds (issue #15 item 2)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from optilab.messages import OptilabError
from optilab.training import RunConfig, Trainer
from optilab.training.experiments import RunResult
from optilab.training.records import Evaluation, History
from optilab.training.seeds import SEEDS, Spread, band, expand, group, label_groups


def _history(its, loss, evals=()):
    h = History(capacity=4)
    h.add_steps(np.array(its, dtype=np.int64), np.array(loss, dtype=float), np.full(len(its), 0.1))
    for it, acc in evals:
        h.add_evaluation(Evaluation("r", it, it / 10, acc, math.nan, acc))
    return h


def test_expand_repeats_each_config_with_consecutive_seeds_and_keeps_labels():
    a, b = RunConfig(label="sgd", seed=7), RunConfig(label="adam", optimizer="adam", seed=0)
    out = expand([a, b], 3)
    assert [(c.label, c.seed) for c in out] == [("sgd", 7), ("sgd", 8), ("sgd", 9),
                                                ("adam", 0), ("adam", 1), ("adam", 2)]
    assert out[1] == a.replace(seed=8) and out[0] is a
    assert expand([a, b], 1) == [a, b]
    assert label_groups(out) == [("sgd", [0, 1, 2]), ("adam", [3, 4, 5])]


@pytest.mark.parametrize("k", [0, 51, 2.5, "x"])
def test_expand_refuses_seeds_outside_1_to_50(k):
    with pytest.raises(OptilabError, match="seeds"):
        expand([RunConfig()], k)
    assert SEEDS.rule.low == 1 and SEEDS.rule.high == 50


def test_band_mean_sd_min_max_by_hand():
    # losses at iterations 0,1,2 of three seeds: (1,2,3), (3,4,5), (2,0,4)
    hs = [_history([0, 1, 2], [1, 2, 3]), _history([0, 1, 2], [3, 4, 5]), _history([0, 1, 2], [2, 0, 4])]
    b = band(hs, "loss")
    np.testing.assert_array_equal(b.iterations, [0, 1, 2])
    np.testing.assert_allclose(b.mean, [2, 2, 4])
    # sample sd: iteration 0: deviations -1,1,0 → sqrt(2/2) = 1; it 1: 0,2,-2 → sqrt(8/2) = 2; it 2: 1
    np.testing.assert_allclose(b.sd, [1, 2, 1])
    np.testing.assert_allclose(b.min, [1, 0, 3])
    np.testing.assert_allclose(b.max, [3, 4, 5])
    np.testing.assert_allclose(b.lower, [1, 0, 3])
    np.testing.assert_allclose(b.upper, [3, 4, 5])
    np.testing.assert_array_equal(b.count, [3, 3, 3])


def test_band_of_a_shorter_run_and_an_interpolated_grid():
    long, short = _history([0, 2, 4], [4, 2, 0]), _history([0, 2], [2, 2])   # the short one stopped at 2
    b = band([long, short], "loss")
    np.testing.assert_array_equal(b.count, [2, 2, 1])
    np.testing.assert_allclose(b.mean, [3, 2, 0])
    np.testing.assert_allclose(b.sd, [math.sqrt(2), 0, 0])      # one value: sd 0
    mid = band([long, short], "loss", np.array([1, 3]))
    np.testing.assert_allclose(mid.mean, [(3 + 2) / 2, 1])     # 3 and 2 at it 1; long alone (1) at 3


def test_band_of_accuracies_and_of_a_diverged_value():
    hs = [_history([0, 1], [1, math.inf], evals=[(0, 0.1), (10, 0.5)]),
          _history([0, 1], [3, 1], evals=[(0, 0.3), (10, 0.7)])]
    acc = band(hs, "test_acc")
    np.testing.assert_array_equal(acc.iterations, [0, 10])
    np.testing.assert_allclose(acc.mean, [0.2, 0.6])
    np.testing.assert_allclose(acc.sd, [math.sqrt(0.02), math.sqrt(0.02)])
    loss = band(hs, "loss")
    np.testing.assert_allclose(loss.mean, [2, 1])                # the infinite loss has no value
    with pytest.raises(OptilabError, match="unknown history column"):
        band(hs, "nope")


def test_spread_is_the_sample_mean_and_sd():
    s = Spread.of([0.9, 0.8, None, 1.0])
    assert s.n == 3 and s.mean == pytest.approx(0.9) and s.sd == pytest.approx(0.1)
    assert Spread.of([]).n == 0 and Spread.of([]).to_dict() == {"mean": None, "sd": None, "n": 0}
    assert Spread.of([2.0]).sd == 0.0


def test_group_and_summary_of_real_runs_same_seed_same_curve(blob_data):
    base = RunConfig(hidden=(8,), batch_size=50, iterations=15, eval_interval=5, hparams={"lr": 0.1})
    configs = expand([base.replace(label="a"), base.replace(label="b", optimizer="momentum")], 2)
    results = []
    for c in reversed(configs):                         # any order: groups come back in seed order
        t = Trainer(c, blob_data)
        t.run()
        results.append(RunResult.from_trainer(t))
    groups = group(results)
    assert [g.label for g in groups] == ["b", "a"] and [g.seeds for g in groups] == [[0, 1], [0, 1]]
    a = groups[1]
    again = Trainer(configs[0], blob_data)
    again.run()
    np.testing.assert_array_equal(a.results[0].history.loss, again.history.loss)   # same seed, same curve
    assert not np.array_equal(a.results[0].history.loss, a.results[1].history.loss)
    finals = [r.summary.final_loss for r in a.results]
    s = a.summary()["final_loss"]
    assert s.mean == pytest.approx(sum(finals) / 2) and s.sd == pytest.approx(abs(finals[0] - finals[1]) / math.sqrt(2))
    np.testing.assert_allclose(a.band("loss").mean, (a.results[0].history.loss + a.results[1].history.loss) / 2)
