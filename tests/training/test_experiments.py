"""Presets run in quick mode; random search; exports."""

from __future__ import annotations

import csv
import io
import json

import numpy as np
import pytest

from optilab import data, training
from optilab.training import RunConfig, Trainer


@pytest.fixture(scope="module")
def sample():
    return data.load(sample=True)


def test_every_spec_preset_is_defined():
    assert training.names() == [
        "optimizer-compare", "init-compare", "activation-histograms", "batchnorm-compare", "overfit",
        "weight-decay", "dropout", "random-search", "gd-vs-sgd", "lr-schedules",
        "l1", "augmentation", "ensemble", "transfer", "housing"]


def test_full_size_presets_follow_the_spec():
    oc = training.get("optimizer-compare").configs()
    assert [c.optimizer for c in oc] == ["sgd", "momentum", "adagrad", "rmsprop", "adam"]
    assert all(c.batch_size == 128 and c.iterations == 1000 and c.hidden == (100,) * 4 for c in oc)
    # The book's defaults; RMSprop (not in the book's figure) at 0.001.
    assert [c.hparams for c in oc] == [{}, {}, {}, {"lr": 0.001}, {}]
    bn = training.get("batchnorm-compare").configs()
    assert len(bn) == 16                                   # every second of the book's 16 scales
    np.testing.assert_allclose(sorted({c.init for c in bn}, reverse=True), np.logspace(0, -4, 16)[::2])
    over = training.get("overfit").configs()[0]
    assert (over.train_size, over.epochs, over.hidden, over.batch_size) == (300, 201, (100,) * 6, 100)
    drop = training.get("dropout").configs()[1]
    assert (drop.dropout, drop.epochs) == (0.2, 300)
    wd = training.get("weight-decay").configs()[1]
    assert wd.weight_decay == 0.1


@pytest.mark.parametrize("name", training.names())
def test_every_preset_runs_in_quick_mode(name, sample):
    preset = training.get(name)
    short = {} if preset.has_quick or not (preset.needs_mnist or preset.needs_table) else {"epochs": 0.25}
    result = training.run_preset(name, None if preset.needs_table else sample, quick=True, **short)  # a smoke run
    if preset.kind == "histograms":
        assert len(result.histograms) == 12
        assert all(len(layers) == 5 for layers in result.histograms.values())
    elif preset.kind == "trajectories":
        assert len(result.trajectories) == 3
    else:
        assert result.runs and all(r.status in ("finished", "diverged") for r in result.runs)
        assert all(len(r.history.loss) > 0 for r in result.runs)
    if preset.kind == "random-search":
        vals = [row["val_acc"] for row in result.table]
        assert vals == sorted(vals, reverse=True)


def test_activation_histograms_show_the_book_effects():
    res = training.run_preset("activation-histograms", quick=True)
    sat = res.histograms[("sigmoid", "1.0")][-1]
    mid = res.histograms[("sigmoid", "0.01")][-1]
    assert np.mean((sat < 0.1) | (sat > 0.9)) > 0.5          # std 1: piles at 0 and 1
    assert np.mean(np.abs(mid - 0.5) < 0.05) > 0.95           # std 0.01: collapses to 0.5
    xav = res.histograms[("sigmoid", "xavier")][-1]
    assert np.std(xav) > np.std(mid) * 5


def test_gd_trajectory_is_smoother_than_sgd():
    res = training.run_preset("gd-vs-sgd")
    gd, sgd, _ = res.trajectories
    assert np.all(np.diff(gd.loss) <= 1e-12)                  # GD: monotone with a small η
    assert np.any(np.diff(sgd.loss) > 0)                      # SGD: noisy


def test_random_search_in_parallel_gives_the_same_table(sample):
    one = training.run_preset("random-search", sample, n_jobs=1, epochs=0.5)
    two = training.run_preset("random-search", sample, n_jobs=2, epochs=0.5)
    assert one.table == two.table
    lrs = [row["lr"] for row in one.table]
    assert all(1e-6 <= lr <= 1e-2 for lr in lrs)
    assert all(1e-8 <= row["weight_decay"] <= 1e-4 for row in one.table)


def test_stop_callback_ends_an_experiment(sample):
    res = training.run_preset("optimizer-compare", sample, quick=True, stop=lambda: True)
    assert res.stopped and res.runs == []


def test_loss_csv_is_tidy_and_matches_the_history(blob_data):
    t = Trainer(RunConfig(hidden=(8,), batch_size=100, iterations=25, eval_interval=10, label="a,b"), blob_data)
    t.run()
    result = training.RunResult.from_trainer(t)
    rows = list(csv.DictReader(io.StringIO(training.loss_csv([result]))))
    assert list(rows[0]) == ["run", "seed", "iteration", "epoch", "loss", "lr", "train_acc", "val_acc", "test_acc"]
    assert {r["seed"] for r in rows} == {"0"}
    assert [int(r["iteration"]) for r in rows] == list(range(26))
    assert rows[0]["loss"] == "" and rows[0]["train_acc"] != ""
    assert rows[0]["run"] == "a,b"
    np.testing.assert_allclose([float(r["loss"]) for r in rows[1:]], t.history.loss)
    evaluated = [int(r["iteration"]) for r in rows if r["test_acc"]]
    assert evaluated == [0, 10, 20, 25]
    assert all(r["val_acc"] == "" for r in rows)
    assert float(rows[10]["epoch"]) == pytest.approx(1.0)
    doc = json.loads(training.summary_json([result]))
    assert doc["runs"][0]["test_acc"] == pytest.approx(t.history.test_acc[-1])
    assert doc["runs"][0]["config"]["hidden"] == [8]
    assert doc["runs"][0]["seed"] == 0 and "seeds" not in doc          # one seed: no spread


def test_seeds_repeat_a_preset_and_the_summary_gives_each_label_mean_and_sd(blob_data):
    res = training.run_preset("optimizer-compare", blob_data, seeds=2, iterations=10, hidden=(8,),
                              batch_size=50, eval_interval=5)
    assert [(r.config.label, r.config.seed) for r in res.runs][:4] == [("sgd", 0), ("sgd", 1),
                                                                       ("momentum", 0), ("momentum", 1)]
    doc = json.loads(training.summary_json(res.runs))
    sgd = doc["seeds"][0]
    finals = [r.summary.final_loss for r in res.runs[:2]]
    assert sgd["run"] == "sgd" and sgd["seeds"] == [0, 1] and sgd["final_loss"]["n"] == 2
    assert sgd["final_loss"]["mean"] == pytest.approx(sum(finals) / 2)
    assert sgd["final_loss"]["sd"] == pytest.approx(abs(finals[0] - finals[1]) / 2 ** 0.5)
    rows = list(csv.DictReader(io.StringIO(training.loss_csv(res.runs[:2]))))
    assert [r["seed"] for r in rows] == ["0"] * 11 + ["1"] * 11


def test_run_preset_in_parallel_gives_the_serial_numbers_and_streams_steps(blob_data):
    small = dict(iterations=30, hidden=(8,), batch_size=50, eval_interval=10)
    serial = training.run_preset("init-compare", blob_data, **small)
    steps: list = []
    parallel = training.run_preset("init-compare", blob_data, n_jobs=2, observers=[steps.append], **small)
    for a, b in zip(serial.runs, parallel.runs, strict=True):
        assert a.config == b.config
        np.testing.assert_array_equal(a.history.loss, b.history.loss)
        np.testing.assert_array_equal(a.history.test_acc, b.history.test_acc)
    assert sum(type(s).__name__ == "Step" for s in steps) == 3 * 30


@pytest.mark.slow
def test_adam_beats_sgd_after_300_iterations_on_the_sample(sample):
    def final_loss(opt):
        cfg = RunConfig(optimizer=opt, iterations=300, batch_size=100, eval_interval=300, seed=0)
        t = Trainer(cfg, sample)
        t.run()
        return t.history.loss[-50:].mean()

    assert final_loss("adam") < final_loss("sgd")


def test_only_batchnorm_without_bn_may_diverge_as_a_result():
    bn = training.get("batchnorm-compare")
    assert [bn.divergence_expected(c) for c in bn.configs()[:2]] == [False, True]   # BN, no BN at std 1
    assert "expected" in bn.diverged_note
    housing = training.get("housing")     # η 0.1 is too large for momentum: the lesson's other divergence
    assert [c.label for c in housing.configs() if housing.divergence_expected(c)] == ["momentum η=0.1"]
    for name in training.names():
        if name not in ("batchnorm-compare", "housing"):
            assert not any(training.get(name).divergence_expected(c) for c in training.get(name).configs())


def test_batchnorm_pairs_give_bn_and_no_bn_per_weight_scale():
    configs = training.get("batchnorm-compare").configs()
    pairs = training.experiments.batchnorm_pairs(configs)
    np.testing.assert_allclose([s for s, _, _ in pairs], np.logspace(0, -4, 16)[::2])
    assert all(bn.batchnorm and not plain.batchnorm and bn.init == plain.init == s for s, bn, plain in pairs)
    assert [bn.label for _, bn, _ in pairs][:2] == ["BN std=1", "BN std=0.29"]
    assert [plain.label for _, _, plain in pairs][-1] == "no BN std=0.00018"
    half = training.experiments.batchnorm_pairs(configs[:3])          # a stopped experiment
    assert half[-1][0] == configs[2].init and half[-1][2] is None


def test_expected_divergence_is_a_result_and_other_divergence_a_fault(sample):
    res = training.run_preset("batchnorm-compare", sample, epochs=0.5)
    diverged = [r for r in res.runs if r.status == "diverged"]
    assert diverged and all(not r.config.batchnorm for r in diverged)     # std 1 without BN blows up
    assert all(res.expected_divergence(r) for r in diverged) and res.unexpected_divergences == []
    wild = training.run_preset("init-compare", sample, iterations=5, hparams={"lr": 1e6})
    assert wild.unexpected_divergences == [r for r in wild.runs if r.status == "diverged"] != []
