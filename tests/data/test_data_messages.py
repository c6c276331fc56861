"""The data package's messages are data (issue #13 item 4): a code, parameters, what to do a message of its own.

The English sentences are typed here as the user reads them; the codes are
what the UI translates by.
"""

from __future__ import annotations

import os
import struct

import pytest

from optilab import messages
from optilab.data import DataError, DownloadCancelled, check_timeout, download, load, load_folder, load_mnist, read_idx

REFETCH = "run 'optilab mnist download' to fetch a fresh copy"


def _raised(call, *args, **kwargs) -> DataError:
    with pytest.raises(DataError) as info:
        call(*args, **kwargs)
    return info.value


def test_a_missing_file_is_a_code_a_path_and_an_advice(tmp_path):
    path = tmp_path / "none-idx1-ubyte.gz"
    err = _raised(read_idx, path)
    assert str(err) == f"{path}: file not found; check the path, or {REFETCH}"
    assert messages.of(err) is err.message
    assert err.code == "data.file_not_found" and err.params["path"] == str(path)
    assert err.params["advice"].code == "data.advice.check_path"
    assert err.path == path


def test_a_wrong_magic_number_keeps_its_hex_and_the_not_mnist_advice(tmp_path, make_idx):
    path = make_idx(tmp_path / "x-idx1-ubyte", struct.pack(">I", 0x12345678) + b"\0" * 8)
    err = _raised(read_idx, path)
    assert err.code == "data.bad_magic" and err.params["magic"] == "0x12345678"
    assert err.params["advice"].code == "data.advice.not_mnist"
    assert str(err).startswith(f"{path}: wrong magic number 0x12345678, expected an IDX file ")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_is_named_by_the_one_table_of_kinds(tmp_path):
    path = tmp_path / "labels.gz"
    os.mkfifo(path)
    err = _raised(read_idx, path)
    assert err.code == "data.not_a_file"
    assert err.params["kind"].code == "fileio.kind.fifo"     # optilab.fileio.file_kind
    assert str(err) == f"{path}: is a FIFO, not a file; give the path of an IDX file"


def test_images_and_labels_of_different_sets_name_both_files(tmp_path, make_idx):
    import numpy as np

    images = make_idx(tmp_path / "i-idx3-ubyte", np.zeros((3, 28, 28), np.uint8))
    labels = make_idx(tmp_path / "l-idx1-ubyte", np.zeros(2, np.uint8))
    err = _raised(load_mnist, images, labels)
    assert err.code == "data.count_mismatch"
    assert (err.params["n_images"], err.params["n_labels"]) == (3, 2)
    assert str(err) == (f"{images} holds 3 images but {labels} holds 2 labels; use the images and labels "
                        "of the same set (train with train, t10k with t10k)")


def test_a_folder_missing_a_file_lists_the_set_in_its_advice(tmp_path):
    err = _raised(load_folder, tmp_path)
    assert err.code == "data.missing"
    assert err.params["advice"].code == "data.advice.must_hold"
    assert str(err) == (f"{tmp_path / 'train-images-idx3-ubyte.gz'}: missing; the folder must hold "
                        "train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], t10k-images-idx3-ubyte[.gz], "
                        "t10k-labels-idx1-ubyte[.gz]; copy it there or run 'optilab mnist download'")


def test_an_advice_translates_on_its_own(tmp_path):
    """A translator sees whole sentences: the advice is looked up by its own code."""
    err = _raised(read_idx, tmp_path / "gone")
    table = {"data.file_not_found": "{path} — introuvable ; {advice}", "data.advice.check_path": "vérifiez"}
    translated = err.message.render(lambda code, english: table.get(code, english))
    assert translated == f"{tmp_path / 'gone'} — introuvable ; vérifiez"


def test_download_refusals_are_declared(tmp_path):
    err = _raised(download, tmp_path, [])
    assert err.code == "data.no_mirror" and str(err) == "no mirror to download MNIST from; give one with --mirror URL"
    err = _raised(check_timeout, 0, "--timeout")
    assert err.code == "data.bad_timeout"
    assert str(err) == "--timeout must be a number of seconds greater than 0 and at most 3600, got 0"
    with pytest.raises(DownloadCancelled) as info:
        download(tmp_path, "http://127.0.0.1:9/", cancel=lambda: True)
    assert info.value.code == "data.cancelled" and info.value.params["file"] == "train-images-idx3-ubyte.gz"


def test_each_mirror_s_failure_is_a_message_of_its_own(tmp_path):
    """Two refused connections (nothing listens on port 9 of this machine): 'reason from url; reason from url'."""
    mirrors = ["http://127.0.0.1:9/a/", "http://127.0.0.1:9/b/"]
    err = _raised(download, tmp_path, mirrors, timeout=5)
    assert err.code == "data.download_failed"
    failures = err.params["failures"]
    assert failures.code == "data.joined"
    first, rest = failures.params["first"], failures.params["rest"]
    assert (first.code, rest.code) == ("data.fetch.from", "data.fetch.from")
    assert first.params["url"] == mirrors[0] + "train-images-idx3-ubyte.gz"
    assert first.params["reason"].code == "data.fetch.cannot_connect"
    assert str(err).startswith("could not download train-images-idx3-ubyte.gz: cannot connect (")
    assert str(err).endswith(f"from {mirrors[1]}train-images-idx3-ubyte.gz; try another --mirror")


def test_where_the_data_came_from_is_a_message(tmp_path, monkeypatch, write_set, synthetic):
    write_set(tmp_path / "set", synthetic)
    monkeypatch.setenv("OPTILAB_MNIST_DIR", str(tmp_path / "set"))
    data = load()
    assert data.source_message.code == "data.source.unofficial"
    assert data.source_message.params["where"].code == "data.source.from_env"
    assert data.source == (f"MNIST-format files from {tmp_path / 'set'} (from OPTILAB_MNIST_DIR) "
                           "(not the official MNIST: sha256 differs)")
    sample = load(sample=True)
    assert sample.source_message.code == "data.source.sample" and sample.source == str(sample.source_message)
