"""Exports of training runs: a tidy loss CSV and a JSON summary."""

from __future__ import annotations

import io
import json
import math
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from optilab.fileio import write_text_atomic
from optilab.training.experiments import RunResult
from optilab.training.records import REGRESSION_COLUMNS
from optilab.training.seeds import group

CSV_COLUMNS = ("run", "seed", "iteration", "epoch", "loss", "lr", "train_acc", "val_acc", "test_acc")


def _cell(v: float | None) -> str:
    return "" if v is None or (isinstance(v, float) and math.isnan(v)) else repr(float(v))


def loss_csv(results: Iterable[RunResult]) -> str:
    """Tidy CSV, one row per iteration (and a row for iteration 0):
    ``run,seed,iteration,epoch,loss,lr,train_acc,val_acc,test_acc``; cells are
    empty where nothing was measured (accuracies only at evaluations).  When a
    run is a regression (a table's numeric target; loss = MSE) the columns
    `REGRESSION_COLUMNS` follow (``train_rmse,val_rmse,test_rmse,train_mae,…,test_r2``)."""
    results = list(results)
    regression = any(r.summary.task == "regression" for r in results)
    out = io.StringIO()
    out.write(",".join(CSV_COLUMNS + (REGRESSION_COLUMNS if regression else ())) + "\n")
    for r in results:
        h = r.history
        label = r.config.label
        if any(c in label for c in ',"\n'):
            label = '"' + label.replace('"', '""') + '"'
        evals = {int(it): (tr, va, te) for it, tr, va, te in
                 zip(h.eval_iterations, h.train_acc, h.val_acc, h.test_acc, strict=False)}
        steps = {int(it): (loss, lr) for it, loss, lr in zip(h.iterations, h.loss, h.lr, strict=False)}
        extra: dict[int, str] = {}
        if regression:
            columns = [h.regression(key) for key in REGRESSION_COLUMNS]
            extra = {int(it): "," + ",".join(_cell(c[i]) for c in columns) for i, it in enumerate(h.eval_iterations)}
        empty = "," * len(REGRESSION_COLUMNS) if regression else ""
        for it in sorted(set(steps) | set(evals)):
            loss, lr = steps.get(it, (None, None))
            tr, va, te = evals.get(it, (None, None, None))
            epoch = it / r.iters_per_epoch
            out.write(f"{label},{r.config.seed},{it},{epoch:.6g},{_cell(loss)},{_cell(lr)},{_cell(tr)},{_cell(va)},"
                      f"{_cell(te)}{extra.get(it, empty)}\n")
    return out.getvalue()


def summary_json(results: Iterable[RunResult], extra: dict[str, Any] | None = None) -> str:
    """JSON: each run's config (its seed among them), its ``seed`` and final metrics (plus ``extra``
    fields); for runs repeated over seeds, ``seeds``: per label its seeds and the mean ± sd of
    each final metric (`seeds.SeedGroup.summary`)."""
    results = list(results)
    doc: dict[str, Any] = dict(extra or {})
    doc["runs"] = [{**r.summary.to_dict(), "seed": r.config.seed} for r in results]
    groups = group(results)
    if any(len(g.results) > 1 for g in groups):
        doc["seeds"] = [{"run": g.label, "seeds": g.seeds,
                         **{key: spread.to_dict() for key, spread in g.summary().items()}} for g in groups]
    return json.dumps(doc, indent=1, allow_nan=False) + "\n"


def write_loss_csv(results: Iterable[RunResult], path: str | os.PathLike[str]) -> Path:
    """`loss_csv` written atomically to ``path`` (`optilab.fileio.WriteError` when it cannot be)."""
    return write_text_atomic(path, loss_csv(results))


def write_summary_json(results: Iterable[RunResult], path: str | os.PathLike[str],
                       extra: dict[str, Any] | None = None) -> Path:
    """`summary_json` written atomically to ``path`` (`optilab.fileio.WriteError` when it cannot be)."""
    return write_text_atomic(path, summary_json(results, extra))
