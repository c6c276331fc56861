"""Fixtures for the training lab: a shown main window with the lab installed, tiny data."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("PySide6")

from optilab.ui.app import share_gl_contexts

# The surface lab in the same window builds GL views: contexts must share (see tests/ui/conftest.py).
share_gl_contexts()


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path, monkeypatch):
    from PySide6.QtCore import QSettings

    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(tmp_path / "config"))
    yield


@pytest.fixture
def tiny_data():
    """A learnable synthetic MNIST-shaped dataset: 1000 train / 200 test images of 784 pixels, 10 classes."""
    from optilab.data import Dataset

    rng = np.random.default_rng(0)
    w = rng.standard_normal((784, 10))
    x = rng.random((1200, 784), dtype=np.float32)
    t = np.argmax((x - 0.5) @ w, axis=1).astype(np.int64)
    return Dataset(x_train=x[:1000], t_train=t[:1000], x_test=x[1000:], t_test=t[1000:],
                   source="synthetic test data", is_sample=False)


@pytest.fixture
def window(qtbot):
    """The main window at projector size with the training lab installed and current."""
    from optilab.ui import MainWindow
    from optilab.ui.app import create_app
    from optilab.ui.training_lab import install

    create_app()
    win = MainWindow()
    qtbot.addWidget(win)
    pane = getattr(win, "training_pane", None) or install(win)
    win.resize(1280, 800)
    win.tabs.setCurrentWidget(pane)
    win.show()
    qtbot.waitExposed(win)
    yield win
    pane.shutdown()
    if hasattr(win, "surface_pane"):
        win.surface_pane.pause()


@pytest.fixture
def pane(window, tiny_data):
    """The training lab, training on `tiny_data`."""
    p = window.training_pane
    p.set_dataset(tiny_data)
    return p


@pytest.fixture
def small_config():
    from optilab.training import RunConfig

    return RunConfig(optimizer="sgd", hparams={"lr": 0.1}, hidden=(16,), iterations=30, batch_size=50,
                     eval_interval=10)
