"""Issue #11 item 4: the training lab uses the data the user has, in the CLI's order, and remembers it."""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
import pytest

NAMES = ("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")


def _idx(array: np.ndarray) -> bytes:
    array = np.asarray(array, dtype=np.uint8)
    magic = {1: 0x00000801, 3: 0x00000803}[array.ndim]
    return struct.pack(">I", magic) + struct.pack(f">{array.ndim}I", *array.shape) + array.tobytes()


def _mnist_folder(folder: Path, seed: int = 0) -> Path:
    """Four tiny files in the MNIST IDX format (raw, not gzipped)."""
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    arrays = (rng.integers(0, 256, (30, 28, 28)), rng.integers(0, 10, 30),
              rng.integers(0, 256, (10, 28, 28)), rng.integers(0, 10, 10))
    for name, array in zip(NAMES, arrays, strict=False):
        (folder / name).write_bytes(_idx(array))
    return folder


@pytest.fixture
def clean_env(tmp_path, monkeypatch):
    """No OPTILAB_MNIST_DIR, an empty download cache in tmp_path."""
    monkeypatch.delenv("OPTILAB_MNIST_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path


def _dock(qtbot):
    from optilab.ui.training_lab.settings_dock import SettingsDock

    dock = SettingsDock()
    qtbot.addWidget(dock)
    return dock


def test_the_mnist_variable_is_used_and_said(qtbot, clean_env, monkeypatch):
    folder = _mnist_folder(clean_env / "mine")
    monkeypatch.setenv("OPTILAB_MNIST_DIR", str(folder))
    dock = _dock(qtbot)
    assert (dock.data_spec().kind, dock.data_spec().folder) == ("folder", str(folder))
    assert "OPTILAB_MNIST_DIR" in dock.data_note.text() and str(folder) in dock.data_note.text()
    assert dock.data_folder() == str(folder)              # what a saved scenario stores


def test_the_full_set_in_the_download_cache_is_used_and_said(qtbot, clean_env):
    from optilab.data import cache_dir

    cache = _mnist_folder(cache_dir())
    dock = _dock(qtbot)
    assert (dock.data_spec().kind, dock.data_spec().folder) == ("folder", str(cache))
    assert "download cache" in dock.data_note.text()


def test_the_folder_chosen_is_remembered_across_restarts_and_beats_the_variable(qtbot, clean_env, monkeypatch):
    from optilab.ui import settings as store

    chosen = _mnist_folder(clean_env / "chosen", seed=1)
    first = _dock(qtbot)
    first.set_data_folder(str(chosen))
    assert store.value(store.LAST_DATA_FOLDER) == str(chosen)
    monkeypatch.setenv("OPTILAB_MNIST_DIR", str(_mnist_folder(clean_env / "env")))
    again = _dock(qtbot)                                  # the next start
    assert (again.data_spec().kind, again.data_spec().folder) == ("folder", str(chosen))
    assert "last time" in again.data_note.text()
    # A remembered folder that is gone, or is now a FIFO (never opened: it would block), is skipped.
    import os
    import shutil

    shutil.rmtree(chosen)
    os.mkfifo(chosen)
    env_folder = str(clean_env / "env")
    assert (_dock(qtbot).data_spec().folder) == env_folder
    os.unlink(chosen)
    assert (_dock(qtbot).data_spec().folder) == env_folder
    store.set_value(store.LAST_DATA_FOLDER, str(chosen))
    # Choosing the sample is remembered too: the folder is forgotten.
    again.source.setCurrentIndex(0)
    assert store.value(store.LAST_DATA_FOLDER) is None
    monkeypatch.delenv("OPTILAB_MNIST_DIR")
    assert _dock(qtbot).data_spec().kind == "sample"


def test_the_lab_trains_on_the_folder_found(qtbot, clean_env, monkeypatch):
    from optilab.training import RunConfig
    from optilab.ui.training_lab import TrainingLabPane

    folder = _mnist_folder(clean_env / "mine")
    monkeypatch.setenv("OPTILAB_MNIST_DIR", str(folder))
    pane = TrainingLabPane(_dock(qtbot))               # a lab started with the variable set
    qtbot.addWidget(pane)
    cfg = RunConfig(optimizer="sgd", hparams={"lr": 0.1}, hidden=(8,), iterations=3, batch_size=10, eval_interval=3)
    with qtbot.waitSignal(pane.finished, timeout=60_000) as blocker:
        assert pane.start(cfg)
    assert blocker.args == ["finished"], pane.error_label.text()
    assert pane.run_infos[0].n_train == 30 and not pane.run_infos[0].is_sample
    assert str(folder) in pane.data_label.text()
    pane.shutdown()
