"""``optilab train --preset l1|augmentation|ensemble|transfer``: the lesson's table, as text.

The rows are `ExperimentResult.table` (`optilab.training.regularisers.lesson_table`):
train/test accuracy and gap (with the weights' sparsity), the ensemble's members
against their mean and the ensemble, transfer against random features and scratch.
"""

from __future__ import annotations

from typing import Any

__all__ = ["format_table"]

#: Column → (heading, as a percentage).
_COLUMNS = {
    "frozen": ("frozen", False),
    "pretrain_test_acc": ("pre-train acc", True),
    "train_acc": ("train acc", True),
    "test_acc": ("test acc", True),
    "gap": ("gap", True),
    "sparsity": ("|W|<0.001", True),
    "n_train": ("images", False),
}


def _cell(value: Any, pct: bool) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return f"{100 * value:.1f} %" if pct else str(value)


def format_table(rows: list[dict[str, Any]]) -> list[str]:
    """The lines of ``rows`` as an aligned table: the run's name, then each known column present."""
    if not rows:
        return []
    columns = [c for c in _COLUMNS if any(c in row for row in rows)]
    width = max(len(str(row["run"])) for row in rows)
    heads = [_COLUMNS[c][0] for c in columns]
    lines = [f"{'run':{width}s}  " + "  ".join(f"{h:>13s}" for h in heads)]
    for row in rows:
        cells = [_cell(row.get(c), _COLUMNS[c][1]) for c in columns]
        lines.append(f"{row['run']:{width}s}  " + "  ".join(f"{v:>13s}" for v in cells))
    return lines
