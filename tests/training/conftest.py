from __future__ import annotations

import numpy as np
import pytest

from optilab.data import Dataset


def blobs(n: int, dim: int = 20, classes: int = 3, seed: int = 0, spread: float = 0.5) -> tuple[np.ndarray, np.ndarray]:
    """Well separated Gaussian blobs around random unit centres (scaled ×3)."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(classes, dim))
    centres *= 3 / np.linalg.norm(centres, axis=1, keepdims=True)
    t = rng.integers(0, classes, n)
    x = centres[t] + spread * rng.normal(size=(n, dim))
    return x.astype(np.float32), t.astype(np.int64)


@pytest.fixture
def blob_data() -> Dataset:
    x, t = blobs(1200, seed=1)
    return Dataset(x[:1000], t[:1000], x[1000:], t[1000:], source="synthetic blobs")
