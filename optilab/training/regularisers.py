"""What CS231n lecture 7's lessons measure of their runs (docs/experiments.md#l1 … #transfer).

Plain functions of finished `RunResult`s, shared by the claims (`claims.CLAIMS`),
``run_preset``'s tables (`lesson_table`), the command line and the app:

* `sparsity`: the share of a run's final weights (W, not biases) with |W| < 10⁻³;
* `ensemble_probabilities`: the members' softmax probabilities of the test images
  averaged, p̄ = (1/k) Σᵢ pᵢ (docs/equations.md#ensemble), and its accuracy;
* the tables: one row per run (the ensemble's: its members, their mean, the ensemble).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from optilab import messages

__all__ = ["NEAR_ZERO", "TABLES", "ensemble_accuracy", "ensemble_probabilities", "ensemble_table", "gap_table",
           "lesson_table", "sparsity", "transfer_table"]

#: A weight counts as "near zero" below this magnitude.
NEAR_ZERO = 1e-3

NO_WEIGHTS = messages.declare(
    "training.no_final_weights", "run {run!r} kept no weights (snapshots 0): its sparsity cannot be measured")
NO_PROBABILITIES = messages.declare(
    "training.no_probabilities", "run {run!r} kept no test probabilities: an ensemble needs keep_probabilities")


def sparsity(result: Any, threshold: float = NEAR_ZERO) -> float:
    """Share of the final weight-matrix entries (W1…Wn) with |W| < ``threshold`` (the last snapshot)."""
    snaps = result.snapshots
    if snaps is None:
        raise NO_WEIGHTS.error(run=result.config.label)
    views = snaps.layout.views(snaps.final)
    weights = np.concatenate([v.ravel() for k, v in views.items() if snaps.layout.kind(k) == "weight"])
    return float(np.mean(np.abs(weights) < threshold))


def ensemble_probabilities(members: Sequence[Any]) -> np.ndarray:
    """p̄ = (1/k) Σᵢ pᵢ: the members' test-set softmax probabilities averaged (docs/equations.md#ensemble)."""
    for m in members:
        if m.test_probabilities is None:
            raise NO_PROBABILITIES.error(run=m.config.label)
    return np.asarray(np.mean([m.test_probabilities for m in members], axis=0, dtype=np.float64))


def ensemble_accuracy(members: Sequence[Any]) -> float:
    """Test accuracy of the ensemble's prediction argmax p̄ (the labels the members kept)."""
    p = ensemble_probabilities(members)
    return float(np.mean(p.argmax(axis=1) == members[0].test_labels))


def _gap(s: Any) -> float | None:
    return None if s.train_acc is None or s.test_acc is None else s.train_acc - s.test_acc


def gap_table(results: Sequence[Any], with_sparsity: bool = False) -> list[dict[str, Any]]:
    """One row per run: train and test accuracy and their gap (``with_sparsity``: and the share of
    near-zero weights, for the runs that kept their weights)."""
    rows = []
    for r in results:
        s = r.summary
        row = {"run": s.run, "train_acc": s.train_acc, "test_acc": s.test_acc, "gap": _gap(s)}
        if with_sparsity and r.snapshots is not None:
            row["sparsity"] = sparsity(r)
        rows.append(row)
    return rows


#: The names of the ensemble table's last three rows (a UI shows them in its language).
SUMMARY_ROWS = ("mean of members", "best member", "ensemble")


def ensemble_table(results: Sequence[Any]) -> list[dict[str, Any]]:
    """The members' test accuracy, their mean, their best, and the ensemble's (`SUMMARY_ROWS`)."""
    accs = [r.summary.test_acc for r in results]
    rows: list[dict[str, Any]] = [{"run": r.summary.run, "test_acc": a} for r, a in zip(results, accs, strict=True)]
    mean_row, best_row, ensemble_row = SUMMARY_ROWS
    rows.append({"run": mean_row, "test_acc": float(np.mean(accs))})
    rows.append({"run": best_row, "test_acc": float(max(accs))})
    rows.append({"run": ensemble_row, "test_acc": ensemble_accuracy(results)})
    return rows


def transfer_table(results: Sequence[Any]) -> list[dict[str, Any]]:
    """One row per run: layers frozen, pre-trained or not (with the pre-training's test accuracy on
    its digits), train and test accuracy on the few examples' digits."""
    return [{"run": r.summary.run, "frozen": r.config.freeze, "pretrained": r.config.pretrain is not None,
             "pretrain_test_acc": r.pretrain_test_acc, "train_acc": r.summary.train_acc,
             "test_acc": r.summary.test_acc, "n_train": r.summary.n_train} for r in results]


def _ensemble(results: Sequence[Any]) -> list[dict[str, Any]]:
    from optilab.training.claims import per_seed

    seeds = per_seed(results)
    return ensemble_table(list(seeds[0].values())) if seeds else []


#: The table of each of these lessons, from its runs.
TABLES: Mapping[str, Callable[[Sequence[Any]], list[dict[str, Any]]]] = {
    "l1": lambda results: gap_table(results, with_sparsity=True),
    "augmentation": gap_table,
    "ensemble": _ensemble,
    "transfer": transfer_table,
}


def lesson_table(preset: str, results: Sequence[Any]) -> list[dict[str, Any]]:
    """The table of ``preset`` (`TABLES`; the ensemble's of its first seed), [] for other lessons."""
    table = TABLES.get(preset)
    return table(results) if table is not None and results else []
