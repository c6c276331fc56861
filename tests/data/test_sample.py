"""The bundled sample: 8,000/2,000, stratified, fixed, faithful to the raw files."""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np
import pytest

import optilab.data
from optilab.data import load, load_sample, sample_split

SAMPLE_DIR = Path(optilab.data.__file__).parent / "sample"


@pytest.fixture(scope="module")
def raw():
    """The sample's images and labels, decoded here without the reader under test."""
    images = np.frombuffer(gzip.decompress((SAMPLE_DIR / "t10k-images-idx3-ubyte.gz").read_bytes()), np.uint8,
                           offset=16)
    labels = np.frombuffer(gzip.decompress((SAMPLE_DIR / "t10k-labels-idx1-ubyte.gz").read_bytes()), np.uint8, offset=8)
    return images.reshape(10000, 784), labels


@pytest.fixture(scope="module")
def sample():
    return load_sample()


def test_sample_has_8000_train_and_2000_test_images(sample):
    assert sample.x_train.shape == (8000, 784)
    assert sample.t_train.shape == (8000,)
    assert sample.x_test.shape == (2000, 784)
    assert sample.t_test.shape == (2000,)
    assert sample.is_sample
    assert "sample" in sample.source


def test_sample_pixels_are_float32_in_unit_interval(sample):
    for x in (sample.x_train, sample.x_test):
        assert x.dtype == np.float32
        assert x.min() == 0.0
        assert x.max() == 1.0


def test_sample_split_is_stratified(sample, raw):
    per_class = np.bincount(raw[1], minlength=10)
    for t, share in ((sample.t_test, 0.2), (sample.t_train, 0.8)):
        counts = np.bincount(t, minlength=10)
        assert np.all(np.abs(counts - per_class * share) <= 1), (counts, per_class * share)


def test_sample_is_the_same_every_time(sample):
    again = load_sample()
    np.testing.assert_array_equal(again.x_train, sample.x_train)
    np.testing.assert_array_equal(again.t_test, sample.t_test)


def test_sample_labels_and_pixels_match_the_raw_files_at_the_split_indices(sample, raw):
    images, labels = raw
    train, test = sample_split(labels)
    np.testing.assert_array_equal(sample.t_train, labels[train])
    np.testing.assert_array_equal(sample.t_test, labels[test])
    np.testing.assert_array_equal(sample.x_train, images[train].astype(np.float32) / np.float32(255))
    np.testing.assert_array_equal(sample.x_test, images[test].astype(np.float32) / np.float32(255))


def test_split_indices_are_disjoint_and_cover_everything(raw):
    train, test = sample_split(raw[1])
    assert len(train) == 8000 and len(test) == 2000
    assert np.intersect1d(train, test).size == 0
    np.testing.assert_array_equal(np.sort(np.concatenate([train, test])), np.arange(10000))


def test_split_shares_follow_largest_remainder_by_hand():
    # 10 zeros and 5 ones, 3 for test: exact shares 2.0 and 1.0
    labels = np.array([0] * 10 + [1] * 5)
    _, test = sample_split(labels, n_test=3, seed=0)
    assert sorted(labels[test].tolist()) == [0, 0, 1]
    # 4, 3 and 3 items, 5 for test: exact 2.0, 1.5, 1.5 -> 2, then one of the 1.5s rounds up
    labels = np.array([0] * 4 + [1] * 3 + [2] * 3)
    _, test = sample_split(labels, n_test=5, seed=0)
    counts = np.bincount(labels[test], minlength=3)
    assert counts[0] == 2 and sorted(counts[1:].tolist()) == [1, 2]


def test_split_depends_on_the_seed(raw):
    _, test0 = sample_split(raw[1], seed=0)
    _, test1 = sample_split(raw[1], seed=1)
    assert not np.array_equal(test0, test1)


def test_load_with_sample_flag_ignores_folder_and_env(tmp_path, monkeypatch):
    monkeypatch.setenv("OPTILAB_MNIST_DIR", str(tmp_path / "missing"))
    data = load(tmp_path / "also-missing", sample=True)
    assert data.is_sample and data.n_train == 8000
