"""Optional: the real 60k MNIST from /work/shared/data/mnist (skipped when absent)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import optilab.data.sources
from optilab.data import load

REAL = Path("/work/shared/data/mnist")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (REAL / "train-images-idx3-ubyte.gz").is_file(), reason=f"{REAL} is absent"),
]


def test_real_mnist_loads_verified_and_reloads_from_npy(monkeypatch):
    first = load(REAL)
    assert (first.n_train, first.n_test) == (60000, 10000)
    assert first.source == f"full MNIST from {REAL}"  # every file passed its sha256
    assert np.array_equal(np.bincount(first.t_test), [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009])

    def refuse(path):
        raise AssertionError(f"read {path} although the .npy copy should have been used")

    monkeypatch.setattr(optilab.data.sources, "read_idx_bytes", refuse)
    second = load(REAL)
    np.testing.assert_array_equal(second.x_train[:100], first.x_train[:100])
    np.testing.assert_array_equal(second.t_train, first.t_train)
