"""CS231n lecture 7's lessons (issue #16 item 2), each caption measured in the mode it opens in.

Each preset is trained once (module cache) on the bundled sample, 8,000 train / 2,000 test images;
the figures are computed here from the runs' raw outputs (final weights, test probabilities,
accuracies), not from `optilab.training.regularisers`, and the preset's `claims` verdict must agree.
"""

from __future__ import annotations

import time

import numpy as np
import pytest

from optilab import data, training
from optilab.training import claims

pytestmark = pytest.mark.slow

_RESULTS: dict[str, training.ExperimentResult] = {}
WALL: dict[str, float] = {}


@pytest.fixture(scope="module")
def sample():
    return data.load(sample=True)


def _run(name: str, sample) -> dict[str, training.RunResult]:
    if name not in _RESULTS:
        t0 = time.perf_counter()
        _RESULTS[name] = training.run_preset(name, sample)
        WALL[name] = time.perf_counter() - t0
        print(f"\n{name} (opening mode): {WALL[name]:.1f} s")
    return {r.config.label: r for r in _RESULTS[name].runs}


def _gap(run: training.RunResult) -> float:
    return run.summary.train_acc - run.summary.test_acc


def _weights(run: training.RunResult) -> np.ndarray:
    snaps = run.snapshots
    views = snaps.layout.views(snaps.final)
    return np.concatenate([views[f"W{i}"].ravel() for i in range(1, len(run.config.hidden) + 2)])


def _holds(name: str) -> bool:
    report = claims.check(name, _RESULTS[name].runs)
    assert report is not None and report.seeds == 1
    return report.holds == 1


def test_the_four_lessons_are_listed_under_their_names_without_a_quick_mode():
    for name in ("l1", "augmentation", "ensemble", "transfer"):
        assert name in training.names() and not training.get(name).has_quick


def test_l1_drives_most_weights_to_near_zero_and_narrows_the_gap(sample):
    runs = _run("l1", sample)
    plain, reg = runs["no regularisation"], runs["L1 λ₁=0.01"]
    near_zero = {k: float(np.mean(np.abs(_weights(r)) < 1e-3)) for k, r in runs.items()}
    print(near_zero, {k: (r.summary.train_acc, r.summary.test_acc) for k, r in runs.items()})
    assert near_zero["L1 λ₁=0.01"] >= 0.5 and near_zero["no regularisation"] < 0.05
    assert _gap(reg) < _gap(plain) and _gap(plain) >= 0.15
    assert reg.summary.train_acc < plain.summary.train_acc          # "by fitting the training images less"
    assert abs(reg.summary.test_acc - 0.80) < 0.03                   # "test accuracy stays near 80 %"
    assert [row["sparsity"] for row in _RESULTS["l1"].table] == pytest.approx(list(near_zero.values()))
    assert _holds("l1")


def test_augmentation_shrinks_the_gap_and_raises_test_accuracy(sample):
    runs = _run("augmentation", sample)
    plain, aug = runs["no augmentation"], runs["augmentation"]
    print({k: (r.summary.train_acc, r.summary.test_acc) for k, r in runs.items()})
    assert aug.config.augment and not plain.config.augment
    assert _gap(aug) < _gap(plain) - 0.05
    assert aug.summary.test_acc > plain.summary.test_acc
    assert _holds("augmentation")


def test_the_ensemble_beats_its_mean_and_its_best_member(sample):
    runs = _run("ensemble", sample)
    members = list(runs.values())
    assert len(members) == 5 and len({m.config.seed for m in members}) == 5
    probs = np.stack([m.test_probabilities for m in members])           # (k, 2000, 10)
    assert probs.shape == (5, 2000, 10)
    for m, p in zip(members, probs, strict=True):                         # each member's own accuracy
        assert np.mean(p.argmax(axis=1) == sample.t_test) == pytest.approx(m.summary.test_acc)
    ensemble = float(np.mean(probs.mean(axis=0).argmax(axis=1) == sample.t_test))
    accs = [m.summary.test_acc for m in members]
    print({"members": accs, "mean": np.mean(accs), "ensemble": ensemble})
    assert ensemble > np.mean(accs) and ensemble > max(accs)
    table = {row["run"]: row["test_acc"] for row in _RESULTS["ensemble"].table}
    assert table["ensemble"] == pytest.approx(ensemble) and table["mean of members"] == pytest.approx(np.mean(accs))
    assert _holds("ensemble")


def test_transfer_pretrained_beats_random_features_and_scratch_does_as_well(sample):
    runs = _run("transfer", sample)
    acc = {k: r.summary.test_acc for k, r in runs.items()}
    print(acc, {k: r.pretrain_test_acc for k, r in runs.items()})
    for r in runs.values():                                               # 10 images of each of 5–9
        assert r.summary.n_train == 50 and r.summary.n_test == int(np.isin(sample.t_test, [5, 6, 7, 8, 9]).sum())
    assert all(runs[k].pretrain_test_acc > 0.95 for k in acc if k.startswith("pre-trained"))   # learnt 0–4
    f1, f2, f4 = acc["pre-trained, 1 layer frozen"], acc["pre-trained, 2 layers frozen"], \
        acc["pre-trained, 4 layers frozen"]
    assert f2 > acc["random, 2 layers frozen"] + 0.05
    assert f1 > f2 > f4
    assert acc["from scratch"] >= f1
    assert _holds("transfer")


def test_each_lesson_runs_in_a_wait_a_class_accepts(sample):
    for name in ("l1", "augmentation", "ensemble", "transfer"):
        _run(name, sample)
    print("wall times:", {k: round(v, 1) for k, v in WALL.items()})
    assert all(v < 90 for v in WALL.values()), WALL
