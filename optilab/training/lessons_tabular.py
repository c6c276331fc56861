"""Regression on tabular data (docs/experiments.md): the PyTorch chapter's California housing lesson.

The chapter's network and settings: 8 standardised features → 6 → 5 → 4 → 3 → 1,
LeakyReLU (slope 0.01, as ``torch.nn.LeakyReLU``), identity output, MSE loss
(``nn.MSELoss``: the mean of squared errors), batch 256, Adam with its defaults
(η 0.001, β₁ 0.9, β₂ 0.999, ε 1e-8), 200 epochs of the 14,448 training rows
(the bundled table split 70/15/15).  Against it: Adam with reduce-on-plateau
(×0.5 after 10 epochs without a lower training loss, as ``ReduceLROnPlateau``),
plain SGD at η 0.001 and 0.01, SGD with momentum 0.9 at η 0.01 and 0.1.
The caption is what tests/audit/test_housing_claim.py measures
(`claims.housing`).
"""

from __future__ import annotations

from optilab.training.config import RunConfig
from optilab.training.preset import Preset, variants

__all__ = ["HOUSING_NET", "PRESETS"]

#: The chapter's hidden layers: 8 inputs → 6 → 5 → 4 → 3 → 1 output.
HOUSING_NET = (6, 5, 4, 3)
#: The run whose divergence is the lesson's result (η too large for momentum).
TOO_LARGE = {"optimizer": "momentum", "hparams": {"lr": 0.1, "momentum": 0.9}}

_BASE = RunConfig(hidden=HOUSING_NET, activation="leaky_relu", init="he", batch_size=256, epochs=200,
                  iterations=None, optimizer="adam", snapshots=40)

PRESETS: tuple[Preset, ...] = (
    Preset(
        "housing",
        "California housing: Adam vs SGD",
        "Adam's defaults work where SGD needs tuning: untouched Adam (η 0.001) ends within 0.05 R² of the "
        "best run; SGD at η 0.001 ends last and momentum at η 0.1 diverges, while tuned SGD and momentum "
        "(η 0.01) do as well. Reduce-on-plateau halves η and gains nothing",
        view="rmse",
        runs=variants(_BASE, [
            {"label": "Adam"},
            {"label": "Adam + plateau", "schedule": "plateau", "schedule_args": {"factor": 0.5, "patience": 10}},
            {"label": "SGD η=0.001", "optimizer": "sgd", "hparams": {"lr": 0.001}},
            {"label": "SGD η=0.01", "optimizer": "sgd", "hparams": {"lr": 0.01}},
            {"label": "momentum η=0.01", "optimizer": "momentum", "hparams": {"lr": 0.01, "momentum": 0.9}},
            {"label": "momentum η=0.1", **TOO_LARGE},
        ]),
        diverges_when=TOO_LARGE,
        diverged_note="diverged, as it should: η 0.1 is too large for momentum 0.9",
        loss_axis="log",
        table="california-housing",
    ),
)
