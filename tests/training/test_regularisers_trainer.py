"""The Trainer's parts of CS231n lecture 7's lessons: L1, augmentation, digits and few examples,
frozen pre-trained layers (transfer), the test-set probabilities (ensembles), serial and in children."""

from __future__ import annotations

import numpy as np
import pytest

from optilab.data import Dataset
from optilab.nn.layers import softmax
from optilab.training import RunConfig, Trainer
from optilab.training.experiments import run_configs
from tests.training.conftest import blobs


def digit_blobs(n: int = 1200, classes: int = 10, dim: int = 16, seed: int = 3) -> Dataset:
    """Ten separable blobs, 16 = 4×4 "pixels" (square, so augmentation applies)."""
    x, t = blobs(n + 300, dim=dim, classes=classes, seed=seed)
    return Dataset(x[:n], t[:n], x[n:], t[n:], source="synthetic digits")


def small(**kw) -> RunConfig:
    base = dict(hidden=(16, 16), batch_size=50, iterations=60, optimizer="sgd", hparams={"lr": 0.1},
                snapshots=0)
    base.update(kw)
    return RunConfig(**base)


def test_digits_keep_those_images_only_in_train_and_test():
    data = digit_blobs()
    tr = Trainer(small(digits=(5, 6, 7, 8, 9)), data)
    s = tr.split
    assert set(np.unique(s.t_train)) == {5, 6, 7, 8, 9} == set(np.unique(s.t_test))
    assert len(s.t_train) == int(np.isin(data.t_train, [5, 6, 7, 8, 9]).sum())
    assert tr.net.sizes[-1] == 10                       # labels keep their values: 10 outputs
    assert Trainer(small(digits=(0, 1, 2, 3, 4)), data).net.sizes[-1] == 5


def test_per_class_takes_the_first_n_images_of_each_digit():
    data = digit_blobs()
    s = Trainer(small(digits=(5, 6, 7, 8, 9), per_class=3), data).split
    assert np.array_equal(np.bincount(s.t_train, minlength=10)[5:], [3] * 5)
    for d in range(5, 10):                               # the first 3 of that digit, in data order
        first = data.x_train[data.t_train == d][:3]
        np.testing.assert_array_equal(s.x_train[s.t_train == d], first)


def test_augmentation_changes_the_batches_reproducibly():
    data = digit_blobs()
    runs = [Trainer(small(augment=a, seed=s), data) for a, s in ((False, 0), (True, 0), (True, 0))]
    for tr in runs:
        tr.run()
    plain, aug, again = (tr.history.loss for tr in runs)
    assert np.array_equal(aug, again)                   # same seed → same augmented batches
    assert not np.array_equal(aug, plain)


def test_l1_reaches_the_network():
    tr = Trainer(small(l1=0.01), digit_blobs())
    assert tr.net.l1 == 0.01


def test_pretraining_copies_its_layers_and_they_stay_frozen_bitwise():
    data = digit_blobs()
    cfg = small(digits=(5, 6, 7, 8, 9), per_class=4, freeze=2, iterations=40, seed=4,
                pretrain={"digits": [0, 1, 2, 3, 4], "iterations": 150})
    tr = Trainer(cfg, data)
    tr.step()                                            # the first step pre-trains, then steps
    copied = {k: tr.net.params[k].copy() for k in ("W1", "b1", "W2", "b2")}
    head = tr.net.params["W3"].copy()
    tr.run()
    pre = Trainer(cfg.pretraining(), data)               # the same pre-training, by hand
    pre.run()
    for key, value in copied.items():
        np.testing.assert_array_equal(value, pre.net.params[key])        # copied from it …
        np.testing.assert_array_equal(tr.net.params[key], value)         # … and never updated
    assert tr.net.params["W3"].shape == (16, 10) and not np.array_equal(tr.net.params["W3"], head)
    assert tr.pretrain_test_acc == pre.history.test_acc[-1] > 0.9


def test_pretraining_needs_frozen_layers_and_shares_the_network():
    with pytest.raises(ValueError, match="freeze of at least 1"):
        small(pretrain={"digits": [0, 1]})
    with pytest.raises(ValueError, match="pretrain cannot set hidden"):
        small(freeze=1, pretrain={"hidden": [8]})
    with pytest.raises(ValueError, match="unknown training setting 'colour'"):
        small(freeze=1, pretrain={"colour": 1})


def test_test_probabilities_are_the_softmax_of_the_scores_and_give_the_test_accuracy():
    data = digit_blobs()
    tr = Trainer(small(keep_probabilities=True), data)
    tr.run()
    p = tr.test_probabilities()
    scores = tr.net.predict(tr.split.x_test.astype(np.float64))
    e = np.exp(scores - scores.max(axis=1, keepdims=True))
    np.testing.assert_allclose(p, e / e.sum(axis=1, keepdims=True), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-5)
    assert np.mean(p.argmax(axis=1) == data.t_test) == tr.history.test_acc[-1]
    np.testing.assert_allclose(softmax(np.array([[0.0, np.log(3.0)]])), [[0.25, 0.75]])


def test_probabilities_and_pretraining_come_back_from_child_processes_as_serially():
    data = digit_blobs()
    configs = [small(keep_probabilities=True, seed=1, label="a"),
               small(digits=(5, 6, 7, 8, 9), per_class=4, freeze=1, label="b", keep_probabilities=True,
                     pretrain={"digits": [0, 1, 2, 3, 4], "iterations": 50})]
    serial, _ = run_configs(configs, data, jobs=1)
    parallel, _ = run_configs(configs, data, jobs=2)
    for s, p in zip(serial, parallel, strict=True):
        assert p.test_probabilities is not None and p.test_probabilities.shape == s.test_probabilities.shape
        np.testing.assert_array_equal(p.test_probabilities, s.test_probabilities)
        assert p.pretrain_test_acc == s.pretrain_test_acc
    assert serial[0].pretrain_test_acc is None and serial[1].pretrain_test_acc is not None
    assert serial[1].test_probabilities.shape == (int(np.isin(data.t_test, [5, 6, 7, 8, 9]).sum()), 10)


def test_stopping_a_run_stops_its_pretraining_too():
    import threading
    import time

    data = digit_blobs()
    cfg = small(digits=(5, 6, 7, 8, 9), per_class=4, freeze=1, pretrain={"digits": [0, 1, 2, 3, 4],
                                                                        "iterations": 10_000_000})
    tr = Trainer(cfg, data)
    threading.Timer(0.3, tr.request_stop).start()
    t0 = time.perf_counter()
    fin = tr.run()
    assert fin.status == "stopped" and tr.iteration == 0
    assert time.perf_counter() - t0 < 10
