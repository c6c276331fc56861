"""What the training lab shows of a regression (a table's numeric target), computed without Qt.

* `curves`: RMSE and R² of the training, validation and test rows at each evaluation
  of a run (its `History`), against epochs — drawn instead of accuracy;
* `fit_on_test_rows`: the test rows' actual target against the trained network's prediction
  (for the predicted-vs-actual scatter with its y = x line) and the residuals
  actual − predicted (for the residual plot against the prediction, with its zero
  line), from the run's final weights (`Trainer.snapshots`);
* `axis_titles`: the plots' axis titles with the target's name and units.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from optilab import messages
from optilab.data.table import TableData
from optilab.nn import MLP
from optilab.training.experiments import RunResult
from optilab.training.metrics import mae, predictions, r2, rmse
from optilab.training.records import History
from optilab.training.trainer import network

__all__ = ["AxisTitles", "Fit", "RegressionCurves", "axis_titles", "curves", "fit_on_test_rows"]

SPLITS = ("train", "val", "test")
RMSE_AXIS = messages.declare("lab.regression.rmse_axis", "RMSE ({unit})")
R2_AXIS = messages.declare("lab.regression.r2_axis", "R²")
ACTUAL_AXIS = messages.declare("lab.regression.actual_axis", "actual {target} ({unit})")
PREDICTED_AXIS = messages.declare("lab.regression.predicted_axis", "predicted {target} ({unit})")
PREDICTED_SHORT = messages.declare("lab.regression.predicted_short", "predicted ({unit})")
RESIDUAL_AXIS = messages.declare("lab.regression.residual_axis", "residual ({unit})")
TARGET_UNITS = messages.declare("lab.regression.target_units", "target units")
NO_REGRESSION_LANDSCAPE = messages.declare(
    "lab.regression.no_landscape",
    "The loss landscape is drawn for runs on MNIST; this job is a regression on a table.")


@dataclass(frozen=True)
class RegressionCurves:
    """One run's RMSE and R² per split (``rmse["val"]``, …) at the evaluations' ``epochs``."""

    label: str
    epochs: np.ndarray
    rmse: dict[str, np.ndarray]
    r2: dict[str, np.ndarray]


def curves(label: str, history: History) -> RegressionCurves:
    """The regression columns of ``history`` (a live one too), one array per split."""
    epochs = history.eval_epochs
    n = len(epochs)
    return RegressionCurves(label, epochs.copy(),
                            {s: history.regression(f"{s}_rmse")[:n].copy() for s in SPLITS},
                            {s: history.regression(f"{s}_r2")[:n].copy() for s in SPLITS})


@dataclass(frozen=True)
class Fit:
    """The test rows of one run: ``actual`` target, ``predicted`` value, ``residual`` = actual − predicted,
    and their RMSE, R² and MAE (the run's final test figures)."""

    label: str
    actual: np.ndarray
    predicted: np.ndarray
    residual: np.ndarray
    rmse: float
    r2: float
    mae: float = float("nan")


def final_net(result: RunResult, n_features: int) -> MLP | None:
    """The run's network with its final weights (its last snapshot); None when it kept none."""
    snaps = result.snapshots
    if snaps is None or len(snaps) == 0:
        return None
    net = network(result.config, n_features, 1, "regression")
    net.flat_params[...] = snaps.final
    for bn, (mean, var) in zip(net.bn_layers, snaps.running, strict=False):
        bn.running_mean, bn.running_var = mean.copy(), var.copy()
    return net


def fit_on_test_rows(result: RunResult, table: TableData) -> Fit | None:
    """Actual against predicted for ``table``'s test rows with ``result``'s final weights
    (None: not a regression, or no weights kept — ``snapshots`` 0)."""
    if table.task != "regression":
        return None
    net = final_net(result, table.x_test.shape[1])
    if net is None:
        return None
    with np.errstate(all="ignore"):
        predicted = predictions(net, table.x_test.astype(net.dtype))
    actual = np.asarray(table.t_test, dtype=np.float64)
    return Fit(result.config.label, actual, predicted, actual - predicted, rmse(predicted, actual),
               r2(predicted, actual), mae(predicted, actual))


@dataclass(frozen=True)
class AxisTitles:
    """``predicted`` names the target (a bottom axis), ``predicted_short`` only the unit (a left one)."""

    rmse: str
    r2: str
    actual: str
    predicted: str
    predicted_short: str
    residual: str


def axis_titles(table: TableData) -> AxisTitles:
    """Axis titles with the target's name and unit ("target units" when the table gives none)."""
    unit = table.unit or str(TARGET_UNITS())
    name = table.target_name
    return AxisTitles(str(RMSE_AXIS(unit=unit)), str(R2_AXIS()), str(ACTUAL_AXIS(target=name, unit=unit)),
                      str(PREDICTED_AXIS(target=name, unit=unit)), str(PREDICTED_SHORT(unit=unit)),
                      str(RESIDUAL_AXIS(unit=unit)))
