"""The lessons' measurements (optilab.training.regularisers) on hand-made inputs with known answers."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from optilab.training import RunConfig
from optilab.training.regularisers import ensemble_accuracy, ensemble_probabilities, ensemble_table, sparsity
from optilab.training.snapshots import Layout, Snapshots


def _member(probs, labels, acc, label="m"):
    return SimpleNamespace(test_probabilities=np.asarray(probs, dtype=np.float32), test_labels=np.asarray(labels),
                           config=RunConfig(label=label), summary=SimpleNamespace(run=label, test_acc=acc))


def test_the_ensemble_averages_probabilities_and_can_beat_every_member():
    labels = [0, 1, 2]
    # Each member is narrowly wrong on a different image and surely right on the other two.
    a = [[0.45, 0.55, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]
    b = [[1.0, 0.0, 0.0], [0.55, 0.45, 0.0], [0.0, 0.0, 1.0]]
    c = [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.55, 0.45]]
    members = [_member(p, labels, 2 / 3, f"m{i}") for i, p in enumerate((a, b, c))]
    # image 0 averages to (2.45, 0.55, 0)/3: right, as images 1 and 2 by symmetry
    np.testing.assert_allclose(ensemble_probabilities(members)[0], [2.45 / 3, 0.55 / 3, 0.0], rtol=1e-6)
    assert ensemble_accuracy(members) == 1.0
    assert ensemble_accuracy([a_ := members[0], a_]) == pytest.approx(2 / 3)    # one member twice: itself
    rows = {r["run"]: r["test_acc"] for r in ensemble_table(members)}
    assert rows["mean of members"] == pytest.approx(2 / 3) and rows["best member"] == pytest.approx(2 / 3)


def test_an_ensemble_without_probabilities_is_one_line():
    m = _member([[1.0]], [0], 1.0)
    m.test_probabilities = None
    with pytest.raises(ValueError, match="keep_probabilities"):
        ensemble_probabilities([m])


def test_sparsity_counts_weights_below_the_threshold_not_biases():
    layout = Layout((("W1", (2, 2)), ("b1", (2,)), ("W2", (2, 1)), ("b2", (1,))))
    theta = np.array([0.0, 5e-4, -2e-3, 0.1,   0.0, 0.0,   -9e-4, 1.0,   0.0], dtype=np.float32)
    snaps = Snapshots(np.array([0, 10]), np.stack([np.ones(9, np.float32), theta]), layout)
    run = SimpleNamespace(snapshots=snaps, config=RunConfig())
    assert sparsity(run) == pytest.approx(3 / 6)                    # 0, 5e-4, −9e-4 of the 6 weights
    assert sparsity(run, threshold=1e-5) == pytest.approx(1 / 6)
    with pytest.raises(ValueError, match="kept no weights"):
        sparsity(SimpleNamespace(snapshots=None, config=RunConfig()))
