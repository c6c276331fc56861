"""Source resolution: folder argument, OPTILAB_MNIST_DIR, the cache, the sample; the .npy cache."""

from __future__ import annotations

import os
import sys

import numpy as np
import pytest

import optilab.data.sources
from optilab.data import FILES, DataError, cache_dir, load, resolve


def _expect_same(data, arrays) -> None:
    np.testing.assert_array_equal(data.x_train, arrays["train-images-idx3-ubyte"].reshape(-1, 784) / np.float32(255))
    np.testing.assert_array_equal(data.t_train, arrays["train-labels-idx1-ubyte"])
    np.testing.assert_array_equal(data.x_test, arrays["t10k-images-idx3-ubyte"].reshape(-1, 784) / np.float32(255))
    np.testing.assert_array_equal(data.t_test, arrays["t10k-labels-idx1-ubyte"])


def _forbid_idx_reading(monkeypatch) -> None:
    def refuse(path):
        raise AssertionError(f"read {path} although a .npy copy should have been used")

    monkeypatch.setattr(optilab.data.sources, "read_idx_bytes", refuse)


# ------------------------------------------------------------------ cache_dir

def test_cache_dir_follows_xdg_cache_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "c"))
    assert cache_dir() == tmp_path / "c" / "optilab" / "mnist"


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="Linux default")
def test_cache_dir_defaults_to_dot_cache_on_linux(monkeypatch, tmp_path):
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert cache_dir() == tmp_path / ".cache" / "optilab" / "mnist"


def test_relative_xdg_cache_home_is_ignored(monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/dir")
    assert cache_dir().is_absolute()


# --------------------------------------------------------------------- folder

@pytest.mark.parametrize("gz", [True, False])
def test_folder_argument_loads_its_files(tmp_path, synthetic, write_set, gz):
    folder = write_set(tmp_path / "mnist", synthetic, gz=gz)
    data = load(folder)
    _expect_same(data, synthetic)
    assert not data.is_sample
    assert data.x_train.dtype == np.float32
    assert data.x_train.max() == 1.0 and data.x_train.min() == 0.0
    assert str(folder) in data.source


def test_folder_with_unofficial_hashes_says_so(tmp_path, synthetic, write_set):
    data = load(write_set(tmp_path / "mnist", synthetic))
    assert "not the official MNIST" in data.source


def test_folder_with_official_hashes_is_called_full_mnist(tmp_path, synthetic, write_set, trust):
    trust(synthetic)
    folder = write_set(tmp_path / "mnist", synthetic)
    assert load(folder).source == f"full MNIST from {folder}"


def test_folder_missing_a_file_names_it(tmp_path, synthetic, write_set):
    folder = write_set(tmp_path / "mnist", synthetic)
    (folder / "t10k-labels-idx1-ubyte.gz").unlink()
    with pytest.raises(DataError, match="t10k-labels-idx1-ubyte"):
        load(folder)


def test_folder_that_does_not_exist_is_an_error(tmp_path):
    with pytest.raises(DataError, match="no such folder"):
        load(tmp_path / "nope")


def test_folder_with_mismatched_counts_is_an_error(tmp_path, synthetic, write_set):
    synthetic["t10k-labels-idx1-ubyte"] = synthetic["t10k-labels-idx1-ubyte"][:-1]
    folder = write_set(tmp_path / "mnist", synthetic)
    with pytest.raises(DataError, match=r"10 images but .* 9 labels"):
        load(folder)


def test_env_variable_names_the_folder(tmp_path, synthetic, write_set, monkeypatch):
    folder = write_set(tmp_path / "mnist", synthetic)
    monkeypatch.setenv("OPTILAB_MNIST_DIR", str(folder))
    assert resolve() == ("env", folder)
    data = load()
    _expect_same(data, synthetic)
    assert "OPTILAB_MNIST_DIR" in data.source


def test_folder_argument_wins_over_env_variable(tmp_path, synthetic, write_set, monkeypatch):
    folder = write_set(tmp_path / "mnist", synthetic)
    monkeypatch.setenv("OPTILAB_MNIST_DIR", str(tmp_path / "elsewhere"))
    _expect_same(load(folder), synthetic)


def test_env_variable_with_a_bad_folder_is_an_error_not_a_fallback(tmp_path, monkeypatch):
    monkeypatch.setenv("OPTILAB_MNIST_DIR", str(tmp_path / "nope"))
    with pytest.raises(DataError, match="nope"):
        load()


# ---------------------------------------------------------------------- cache

def test_verified_cache_is_used_when_nothing_is_given(synthetic, write_set, trust):
    trust(synthetic)
    write_set(cache_dir(), synthetic)
    assert resolve() == ("cache", cache_dir())
    data = load()
    _expect_same(data, synthetic)
    assert "download cache" in data.source and not data.is_sample


def test_cache_failing_its_hash_is_an_error_naming_the_file(synthetic, write_set):
    write_set(cache_dir(), synthetic)  # hashes are not the official ones
    with pytest.raises(DataError, match=r"train-images-idx3-ubyte\.gz: sha256 mismatch"):
        load()


def test_incomplete_cache_falls_back_to_the_sample(synthetic, write_set, trust):
    trust(synthetic)
    write_set(cache_dir(), {k: v for k, v in synthetic.items() if k != FILES[0]})
    assert resolve() == ("sample", None)
    assert load().is_sample


def test_nothing_anywhere_gives_the_sample():
    assert load().is_sample


# ------------------------------------------------------------------ npy cache

def test_second_load_reads_the_npy_copies(tmp_path, synthetic, write_set, monkeypatch):
    folder = write_set(tmp_path / "mnist", synthetic)
    load(folder)
    assert len(list((cache_dir() / "npy").glob("*/*.npy"))) == 4
    _forbid_idx_reading(monkeypatch)
    _expect_same(load(folder), synthetic)


def test_changed_file_is_not_served_stale(tmp_path, synthetic, write_set, make_idx):
    folder = write_set(tmp_path / "mnist", synthetic)
    load(folder)
    new_labels = (synthetic["t10k-labels-idx1-ubyte"] + 1) % 10
    path = make_idx(folder / "t10k-labels-idx1-ubyte.gz", new_labels)
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    np.testing.assert_array_equal(load(folder).t_test, new_labels)
    assert len(list((cache_dir() / "npy").iterdir())) == 1  # the stale entry was removed


def test_damaged_npy_copy_is_rebuilt(tmp_path, synthetic, write_set):
    folder = write_set(tmp_path / "mnist", synthetic)
    load(folder)
    (npy,) = list((cache_dir() / "npy").glob("*/train-images-idx3-ubyte.npy"))
    npy.write_bytes(b"garbage")
    _expect_same(load(folder), synthetic)


def test_cache_source_is_verified_once_then_served_from_npy(synthetic, write_set, trust, monkeypatch):
    trust(synthetic)
    write_set(cache_dir(), synthetic)
    load()
    _forbid_idx_reading(monkeypatch)
    assert "download cache" in load().source


def test_unwritable_npy_cache_only_warns(tmp_path, synthetic, write_set, monkeypatch):
    folder = write_set(tmp_path / "mnist", synthetic)
    blocker = tmp_path / "blocked"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    with pytest.warns(RuntimeWarning, match="fast-loading copy"):
        data = load(folder)
    _expect_same(data, synthetic)


def test_dataset_repr_is_short(tmp_path, synthetic, write_set):
    text = repr(load(write_set(tmp_path / "mnist", synthetic)))
    assert "n_train=30" in text and "n_test=10" in text and len(text) < 300
