"""Adadelta, NAdam, AMSGrad and Lion in both labs: the registry lists them, the Trainer trains the
book's network with each on the bundled MNIST sample, the trajectory engine runs each on every
built-in surface, and a run added in the surface lab moves visibly in the lab's 30 steps."""

from __future__ import annotations

import math

import numpy as np
import pytest

from optilab import optim, surfaces
from optilab.data import Dataset
from optilab.data.sources import load_sample
from optilab.lab.surface import SurfaceLab
from optilab.stability import default_axes
from optilab.training import RunConfig, Trainer
from optilab.trajectory import run

NEW = ["adadelta", "nadam", "amsgrad", "lion"]


@pytest.fixture(scope="module")
def mnist_part():
    data = load_sample()
    return Dataset(data.x_train[:2000], data.t_train[:2000], data.x_test[:500], data.t_test[:500], source="sample")


# η for 150 minibatch steps of the (100, 100) network: Adadelta its default 1; the Adam family
# 1e-3 (as Adam); Lion 3e-4 (its paper: 3-10 times below AdamW's).
TRAIN_LR = {"adadelta": 1.0, "nadam": 1e-3, "amsgrad": 1e-3, "lion": 3e-4}


@pytest.mark.parametrize("name", NEW)
def test_each_trains_the_network_on_the_mnist_sample(name, mnist_part):
    cfg = RunConfig(optimizer=name, hparams={"lr": TRAIN_LR[name]}, hidden=(100, 100), iterations=150,
                    batch_size=100, eval_interval=150, seed=1, snapshots=0)
    trainer = Trainer(cfg, mnist_part)
    trainer.run()
    loss = trainer.history.loss
    assert len(loss) == 150 and np.isfinite(loss).all()
    # ln 10 ≈ 2.30 is chance; the mean of the last 20 minibatch losses is far below the first 20's
    assert loss[-20:].mean() < 0.6 * loss[:20].mean(), f"{name}: {loss[:20].mean():.3f} → {loss[-20:].mean():.3f}"
    # chance is 10 %; measured after 150 steps: 85 % (Lion) to 90 % (AMSGrad) of 500 test images
    assert trainer.history.test_acc[0] < 0.2 and trainer.history.test_acc[-1] > 0.8


@pytest.mark.parametrize("name", NEW)
@pytest.mark.parametrize("surface", surfaces.names())
def test_each_runs_on_every_built_in_surface(name, surface):
    hp = {"lr": 0.1} if name == "lion" else {}
    t = run(surfaces.get(surface), name, hp, None, 30)
    assert t.status in ("ok", "diverged")
    assert len(t.x) == len(t.y) == len(t.loss) and all(math.isfinite(v) for v in t.loss)


def test_the_labs_offer_them_and_maps_sweep_their_momentum_like_setting():
    assert set(NEW) <= set(optim.names())
    assert [default_axes(n) for n in NEW] == [("lr", "decay_rate"), ("lr", "beta1"), ("lr", "beta1"),
                                              ("lr", "beta1")]


@pytest.mark.parametrize("name", NEW)
def test_a_run_added_in_the_surface_lab_moves_visibly_on_the_bowl(name):
    """From (−7, 2) in the lab's 30 steps: Lion at its paper's η = 1e-4 would move 30·1e-4·√2 = 0.004."""
    lab = SurfaceLab()
    lab.add_run(name)
    t = lab.trajectories[-1]
    moved = math.hypot(t.x[-1] - t.x[0], t.y[-1] - t.y[0])
    if name == "lion":
        assert lab.title(lab.runs[-1]) == "Lion η=0.1"
        # a sign step: each coordinate moves by exactly η per step, 30·0.1 = 3 along x (g_x < 0 throughout)
        assert t.x[-1] - t.x[0] == pytest.approx(3.0, abs=1e-9)
        assert moved > 3.0
    else:
        assert lab.title(lab.runs[-1]) == optim.get_class(name).title
        assert moved > 0.04                     # what Adam moves at its default; Adadelta 0.15
