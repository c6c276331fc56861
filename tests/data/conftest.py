"""Fixtures for the data tests: synthetic IDX files and an isolated cache.

IDX bytes are built here with ``struct`` straight from the format's
definition, independently of the reader under test.
"""

from __future__ import annotations

import gzip
import hashlib
import struct
from pathlib import Path

import numpy as np
import pytest

import optilab.data.files


def idx_bytes(array: np.ndarray) -> bytes:
    """The IDX encoding of a uint8 array of 1 or 3 dimensions."""
    array = np.asarray(array, dtype=np.uint8)
    magic = {1: 0x00000801, 3: 0x00000803}[array.ndim]
    return struct.pack(">I", magic) + struct.pack(f">{array.ndim}I", *array.shape) + array.tobytes()


def write_file(path: Path, content: bytes) -> Path:
    """Write ``content`` to ``path``, gzip-compressed when the name ends in .gz."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(content) if path.suffix == ".gz" else content)
    return path


def synthetic_set(seed: int, n_train: int = 30, n_test: int = 10) -> dict[str, np.ndarray]:
    """Four small random arrays shaped like the MNIST files, keyed by standard name."""
    rng = np.random.default_rng(seed)
    arrays = {
        "train-images-idx3-ubyte": rng.integers(0, 256, size=(n_train, 28, 28), dtype=np.uint8),
        "train-labels-idx1-ubyte": rng.integers(0, 10, size=n_train, dtype=np.uint8),
        "t10k-images-idx3-ubyte": rng.integers(0, 256, size=(n_test, 28, 28), dtype=np.uint8),
        "t10k-labels-idx1-ubyte": rng.integers(0, 10, size=n_test, dtype=np.uint8),
    }
    arrays["train-images-idx3-ubyte"][0, 0, 0] = 255  # so that 1.0 occurs
    arrays["train-images-idx3-ubyte"][0, 0, 1] = 0
    return arrays


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the user cache at a temporary folder; forget OPTILAB_MNIST_DIR."""
    cache_home = tmp_path / "xdg-cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache_home))
    monkeypatch.delenv("OPTILAB_MNIST_DIR", raising=False)
    return cache_home


@pytest.fixture
def make_idx():
    """``make_idx(path, array_or_bytes)``: write an IDX file (gzip if .gz)."""

    def make(path: Path, content) -> Path:
        data = content if isinstance(content, (bytes, bytearray)) else idx_bytes(content)
        return write_file(path, bytes(data))

    return make


@pytest.fixture
def synthetic():
    """The synthetic four-file set (seed 1) as uint8 arrays."""
    return synthetic_set(1)


@pytest.fixture
def write_set():
    """``write_set(folder, arrays, gz=True)``: the four files in a folder."""

    def write(folder: Path, arrays: dict[str, np.ndarray], gz: bool = True) -> Path:
        for name, array in arrays.items():
            write_file(folder / (name + (".gz" if gz else "")), idx_bytes(array))
        return folder

    return write


@pytest.fixture
def trust(monkeypatch: pytest.MonkeyPatch):
    """``trust(arrays)``: make the sha256 table expect these arrays' IDX bytes."""

    def patch(arrays: dict[str, np.ndarray]) -> None:
        for name, array in arrays.items():
            monkeypatch.setitem(optilab.data.files.SHA256, name, hashlib.sha256(idx_bytes(array)).hexdigest())

    return patch
