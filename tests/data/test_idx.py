"""The IDX reader: exact round trips and one clear DataError per kind of damage."""

from __future__ import annotations

import gzip
import struct

import numpy as np
import pytest

from optilab.data import DataError, load_mnist, read_idx


def _idx(array: np.ndarray) -> bytes:
    magic = {1: 0x801, 3: 0x803}[array.ndim]
    return struct.pack(">I", magic) + struct.pack(f">{array.ndim}I", *array.shape) + array.astype(np.uint8).tobytes()


@pytest.fixture
def images():
    return np.random.default_rng(0).integers(0, 256, size=(7, 28, 28), dtype=np.uint8)


@pytest.fixture
def labels():
    return np.array([3, 1, 4, 1, 5, 9, 2], dtype=np.uint8)


def _assert_error_names(excinfo: pytest.ExceptionInfo, path, *fragments: str) -> None:
    message = str(excinfo.value)
    assert str(path) in message
    assert "\n" not in message
    for fragment in fragments:
        assert fragment in message


@pytest.mark.parametrize("suffix", [".gz", ""])
def test_images_round_trip_exactly(tmp_path, make_idx, images, suffix):
    path = make_idx(tmp_path / f"images{suffix}", images)
    out = read_idx(path)
    assert out.dtype == np.uint8
    assert out.shape == (7, 28, 28)
    np.testing.assert_array_equal(out, images)


@pytest.mark.parametrize("suffix", [".gz", ""])
def test_labels_round_trip_exactly(tmp_path, make_idx, labels, suffix):
    out = read_idx(make_idx(tmp_path / f"labels{suffix}", labels))
    assert out.shape == (7,)
    np.testing.assert_array_equal(out, labels)


def test_gzip_is_recognised_by_content_whatever_the_name(tmp_path, labels):
    path = tmp_path / "labels.idx"
    path.write_bytes(gzip.compress(_idx(labels)))
    np.testing.assert_array_equal(read_idx(path), labels)


def test_returned_array_is_writable(tmp_path, make_idx, labels):
    out = read_idx(make_idx(tmp_path / "labels.gz", labels))
    out[0] = 7
    assert out[0] == 7


def test_truncated_file_says_declared_and_actual_sizes(tmp_path, make_idx, images):
    data = _idx(images)[:-100]
    path = make_idx(tmp_path / "images.gz", data)
    with pytest.raises(DataError) as excinfo:
        read_idx(path)
    _assert_error_names(excinfo, path, "truncated", f"header says {7 * 784} bytes of data, file has {7 * 784 - 100}")


def test_truncated_header_is_an_error(tmp_path, make_idx):
    path = make_idx(tmp_path / "images", struct.pack(">II", 0x803, 5))
    with pytest.raises(DataError) as excinfo:
        read_idx(path)
    _assert_error_names(excinfo, path, "truncated")


def test_trailing_bytes_are_an_error(tmp_path, make_idx, labels):
    path = make_idx(tmp_path / "labels", _idx(labels) + b"\x00\x00\x00")
    with pytest.raises(DataError) as excinfo:
        read_idx(path)
    _assert_error_names(excinfo, path, "3 unexpected trailing bytes")


@pytest.mark.parametrize("magic", [0x00000802, 0x00000D03, 0x00000808, 0x89504E47])
def test_wrong_magic_number_is_reported_in_hex(tmp_path, make_idx, magic):
    path = make_idx(tmp_path / "x.idx", struct.pack(">II", magic, 1) + b"\x00" * 4)
    with pytest.raises(DataError) as excinfo:
        read_idx(path)
    _assert_error_names(excinfo, path, f"wrong magic number 0x{magic:08x}, expected an IDX file")


def test_file_shorter_than_a_magic_number_is_an_error(tmp_path, make_idx):
    path = make_idx(tmp_path / "tiny", b"\x00\x00")
    with pytest.raises(DataError) as excinfo:
        read_idx(path)
    _assert_error_names(excinfo, path, "too short")


def test_empty_dimension_is_an_error(tmp_path, make_idx):
    path = make_idx(tmp_path / "images", struct.pack(">IIII", 0x803, 3, 0, 28))
    with pytest.raises(DataError) as excinfo:
        read_idx(path)
    _assert_error_names(excinfo, path, "wrong dimensions")


def test_gz_name_with_raw_content_is_not_gzip(tmp_path, labels):
    path = tmp_path / "labels.gz"
    path.write_bytes(_idx(labels))
    with pytest.raises(DataError) as excinfo:
        read_idx(path)
    _assert_error_names(excinfo, path, "not a gzip file")


def test_corrupt_gzip_is_an_error(tmp_path, images):
    blob = bytearray(gzip.compress(_idx(images)))
    for i in range(len(blob) // 3, len(blob) // 3 + 40):  # damage the deflate stream
        blob[i] ^= 0xFF
    path = tmp_path / "images.gz"
    path.write_bytes(bytes(blob))
    with pytest.raises(DataError) as excinfo:
        read_idx(path)
    _assert_error_names(excinfo, path, "corrupt gzip")


def test_gzip_with_bad_crc_is_an_error(tmp_path, labels):
    blob = bytearray(gzip.compress(_idx(labels)))
    blob[-8] ^= 0xFF  # the CRC32 of the trailer
    path = tmp_path / "labels.gz"
    path.write_bytes(bytes(blob))
    with pytest.raises(DataError) as excinfo:
        read_idx(path)
    _assert_error_names(excinfo, path, "corrupt gzip")


def test_cut_off_gzip_is_an_error(tmp_path, images):
    path = tmp_path / "images.gz"
    path.write_bytes(gzip.compress(_idx(images))[:-30])
    with pytest.raises(DataError) as excinfo:
        read_idx(path)
    _assert_error_names(excinfo, path, "corrupt gzip")


def test_missing_file_is_an_error(tmp_path):
    path = tmp_path / "nowhere" / "train-images-idx3-ubyte.gz"
    with pytest.raises(DataError) as excinfo:
        read_idx(path)
    _assert_error_names(excinfo, path, "not found")


def test_load_mnist_returns_the_pair(tmp_path, make_idx, images, labels):
    x, t = load_mnist(make_idx(tmp_path / "i.gz", images), make_idx(tmp_path / "l.gz", labels))
    np.testing.assert_array_equal(x, images)
    np.testing.assert_array_equal(t, labels)


def test_load_mnist_rejects_count_mismatch(tmp_path, make_idx, images, labels):
    images_path = make_idx(tmp_path / "i.gz", images)
    labels_path = make_idx(tmp_path / "l.gz", labels[:5])
    with pytest.raises(DataError) as excinfo:
        load_mnist(images_path, labels_path)
    _assert_error_names(excinfo, images_path, "7 images", "5 labels", str(labels_path))


def test_load_mnist_rejects_images_that_are_not_28_by_28(tmp_path, make_idx, labels):
    images_path = make_idx(tmp_path / "i.gz", np.zeros((7, 27, 28), dtype=np.uint8))
    with pytest.raises(DataError) as excinfo:
        load_mnist(images_path, make_idx(tmp_path / "l.gz", labels))
    _assert_error_names(excinfo, images_path, "wrong dimensions", "27×28")


def test_load_mnist_rejects_swapped_files(tmp_path, make_idx, images, labels):
    labels_path = make_idx(tmp_path / "l.gz", labels)
    with pytest.raises(DataError) as excinfo:
        load_mnist(labels_path, make_idx(tmp_path / "i.gz", images))
    _assert_error_names(excinfo, labels_path, "expected images")


def test_load_mnist_rejects_labels_above_nine(tmp_path, make_idx, images):
    labels_path = make_idx(tmp_path / "l.gz", np.array([0, 1, 2, 3, 4, 5, 10], dtype=np.uint8))
    with pytest.raises(DataError) as excinfo:
        load_mnist(make_idx(tmp_path / "i.gz", images), labels_path)
    _assert_error_names(excinfo, labels_path, "label 10")
