"""CS231n lecture 7's regularisers on MNIST (docs/experiments.md): l1, augmentation, ensemble, transfer.

The first three start from the overfitting setting of the book's chapter 6
(`chapter6._OVERFIT`: a 7-layer net on 300 images, 201 epochs) and each shrinks
its train–test gap in its own way; ``transfer`` pre-trains on the digits 0–4 and
learns 5–9 from 10 images of each.  Each is sized for the bundled 8,000-image
sample (wall times measured in tests/audit/test_cs231n_claims.py and written in
docs/experiments.md); none has a quick mode (each is a few seconds already).
"""

from __future__ import annotations

from optilab.training.chapter6 import _OVERFIT
from optilab.training.config import RunConfig
from optilab.training.preset import BOOK_NET, Preset

__all__ = ["ENSEMBLE_MEMBERS", "PRESETS"]

#: How many networks the ensemble lesson averages.
ENSEMBLE_MEMBERS = 5

# Transfer: every run learns 5–9 from the first 10 training images of each digit (50 images),
# SGD η 0.05, 300 iterations of the whole 50; test accuracy on the 973 test images of 5–9.
_FEW = RunConfig(hidden=BOOK_NET, digits=(5, 6, 7, 8, 9), per_class=10, batch_size=50, iterations=300,
                 optimizer="sgd", hparams={"lr": 0.05}, eval_interval=10, snapshots=0)
# The pre-training: all the sample's training images of 0–4 (4,112), Adam η 0.001, 5 epochs.
_PRETRAIN = {"digits": [0, 1, 2, 3, 4], "per_class": None, "epochs": 5, "iterations": None, "batch_size": 100,
             "optimizer": "adam", "hparams": {"lr": 0.001}, "eval_interval": None}

PRESETS: tuple[Preset, ...] = (
    Preset(
        "l1",
        "L1 regularisation",
        "L1 (λ₁ = 0.01) drives most weights to near zero (|W| < 0.001: 59 % of them, 1 % without) "
        "and narrows the train–test gap of the overfitting lesson (12 against 20 points), "
        "by fitting the training images less; test accuracy stays near 80 %.",
        view="accuracy",
        runs=(_OVERFIT.replace(label="no regularisation"),
              _OVERFIT.replace(l1=0.01, label="L1 λ₁=0.01")),
        loss_axis="log",   # the L1 run's loss holds its penalty: 90 → 40 against 0.02 without
    ),
    Preset(
        "augmentation",
        "Data augmentation",
        "Shifting each training image by up to ±2 pixels and turning it by up to ±15° "
        "(new every batch) shrinks the train–test gap of the overfitting lesson from 20 to "
        "6 points and raises test accuracy (80 % → 84 %).",
        view="accuracy",
        runs=(_OVERFIT.replace(label="no augmentation"),
              _OVERFIT.replace(augment=True, label="augmentation")),
    ),
    Preset(
        "ensemble",
        "Model ensembles",
        f"{ENSEMBLE_MEMBERS} networks of the overfitting lesson, differing only in their seed: "
        "averaging their softmax probabilities gives a test accuracy (85.7 %) above their mean "
        "(80.5 %) and above the best of them (81.1 %).",
        kind="ensemble",
        view="accuracy",
        runs=tuple(_OVERFIT.replace(keep_probabilities=True, label=f"member {i + 1}")
                   for i in range(ENSEMBLE_MEMBERS)),
        distinct_seeds=True,
    ),
    Preset(
        "transfer",
        "Transfer learning",
        "Learning 5–9 from 10 images each: layers pre-trained on 0–4 and frozen are much better "
        "features than random frozen ones (75 % against 63 % with two frozen), and freezing "
        "fewer is better (1 frozen 77 %, 4 frozen 70 %); but a network trained from scratch on "
        "the same 50 images does as well (78 %): the higher layers learnt 0–4, not 5–9.",
        kind="transfer",
        view="accuracy",
        runs=(
            _FEW.replace(freeze=1, pretrain=_PRETRAIN, label="pre-trained, 1 layer frozen"),
            _FEW.replace(freeze=2, pretrain=_PRETRAIN, label="pre-trained, 2 layers frozen"),
            _FEW.replace(freeze=4, pretrain=_PRETRAIN, label="pre-trained, 4 layers frozen"),
            _FEW.replace(freeze=2, label="random, 2 layers frozen"),
            _FEW.replace(label="from scratch"),
        ),
    ),
)
