"""Regression metrics of a run (the PyTorch chapter's California housing lesson).

For predictions ŷ and targets y of n rows:

* RMSE = √( (1/n) Σ (ŷᵢ − yᵢ)² )    in the target's units ($100,000 for housing);
* MAE  = (1/n) Σ |ŷᵢ − yᵢ|            in the same units;
* R²   = 1 − Σ (ŷᵢ − yᵢ)² / Σ (yᵢ − ȳ)²   the share of the target's variance explained
  (1 perfect, 0 as good as predicting the mean ȳ of these rows, negative worse).

The training loss is MSE = RMSE² of the batch (`nn.losses.MeanSquaredError`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from optilab.nn import MLP

__all__ = ["RegressionMetrics", "mae", "predictions", "r2", "regression_metrics", "rmse"]


def rmse(prediction: np.ndarray, target: np.ndarray) -> float:
    """√( (1/n) Σ (ŷ − y)² ); nan for no rows."""
    e = np.asarray(prediction, dtype=np.float64).ravel() - np.asarray(target, dtype=np.float64).ravel()
    return float(np.sqrt(np.mean(e * e))) if e.size else float("nan")


def mae(prediction: np.ndarray, target: np.ndarray) -> float:
    """(1/n) Σ |ŷ − y|; nan for no rows."""
    e = np.asarray(prediction, dtype=np.float64).ravel() - np.asarray(target, dtype=np.float64).ravel()
    return float(np.mean(np.abs(e))) if e.size else float("nan")


def r2(prediction: np.ndarray, target: np.ndarray) -> float:
    """1 − Σ (ŷ − y)² / Σ (y − ȳ)²; nan for no rows or a constant target."""
    y = np.asarray(target, dtype=np.float64).ravel()
    e = np.asarray(prediction, dtype=np.float64).ravel() - y
    total = float(np.sum((y - y.mean()) ** 2)) if y.size else 0.0
    return 1.0 - float(np.sum(e * e)) / total if total > 0 else float("nan")


def predictions(net: MLP, x: np.ndarray, chunk: int = 10_000) -> np.ndarray:
    """The network's outputs ŷ for ``x`` (N,) — regression has one output — in chunks of rows."""
    out = np.empty(len(x), dtype=np.float64)
    for start in range(0, len(x), chunk):
        out[start:start + chunk] = net.predict(x[start:start + chunk])[:, 0]
    return out


@dataclass(frozen=True)
class RegressionMetrics:
    """RMSE, MAE and R² of one split (nan for an empty one)."""

    rmse: float
    mae: float
    r2: float


def regression_metrics(net: MLP, x: np.ndarray, t: np.ndarray, chunk: int = 10_000) -> RegressionMetrics:
    """`RegressionMetrics` of ``net`` on the rows ``x`` with targets ``t``."""
    if len(t) == 0:
        return RegressionMetrics(float("nan"), float("nan"), float("nan"))
    y = predictions(net, x, chunk)
    return RegressionMetrics(rmse(y, t), mae(y, t), r2(y, t))
