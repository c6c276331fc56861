"""``optilab train --table FILE|california-housing --target COLUMN [--task regression|classification]``.

The options that train on tabular data instead of MNIST, and the line a
regression run prints.  The table is read by `optilab.data.table.open_table`
(70/15/15 split, features standardised with the training rows' statistics);
``--preset housing`` reads the bundled California housing when no ``--table``
is given.
"""

from __future__ import annotations

import argparse
from typing import Any

from optilab import messages
from optilab.cli.common import CLIError
from optilab.data.table import BUNDLED, TASKS

NEEDS_TABLE_OPTION = messages.declare("cli.table.needs_table", "{option} needs --table FILE|california-housing")
EXCLUSIVE = messages.declare(
    "cli.table.exclusive", "--table cannot be combined with --data-dir or --sample: a run trains on one dataset")
ONLY_TRAIN = messages.declare(
    "cli.table.only_train", "preset {name!r} is a regression on a table: train it with 'optilab train --preset {name}'")
PRESET_NEEDS_MNIST = messages.declare(
    "cli.table.preset_mnist", "preset {name!r} trains on MNIST, not on a table; leave out --table")


def add_table_options(p: argparse.ArgumentParser) -> None:
    """--table, --target, --task (``optilab train``)."""
    names = "|".join(BUNDLED)
    g = p.add_argument_group(
        "tabular data", "train on a CSV file instead of MNIST: a header line, numeric feature columns and a target "
                        "column; rows split 70/15/15 % into training, validation and test (seeded), features "
                        "standardised with the training rows' mean and sd. Regression: MSE loss, RMSE, MAE and R² "
                        "reported; classification: softmax as MNIST")
    g.add_argument("--table", metavar=f"FILE|{names}",
                   help="a CSV file (.csv or .csv.gz), or the bundled California housing data (20,640 rows; "
                        "Pace & Barry 1997) by its name")
    g.add_argument("--target", metavar="COLUMN",
                   help="the column to predict (default for california-housing: MedHouseVal, in $100,000)")
    g.add_argument("--task", choices=TASKS,
                   help="regression (a numeric target) or classification (class names); default: regression "
                        "when every target cell is a number, classification otherwise")


def check_table_options(args: argparse.Namespace, preset: Any) -> None:
    """One line (exit 2) for options that do not go together."""
    table = getattr(args, "table", None)
    if table is None:
        for option in ("target", "task"):
            if getattr(args, option, None) is not None:
                raise CLIError(NEEDS_TABLE_OPTION(option="--" + option))
        return
    if args.data_dir or args.sample:
        raise CLIError(EXCLUSIVE())
    if preset is not None and not preset.needs_table:
        raise CLIError(PRESET_NEEDS_MNIST(name=preset.name))


def table_dataset(args: argparse.Namespace, preset: Any) -> Any:
    """The `TableData` to train on (``--table``, or a tabular preset's bundled table), else None."""
    from optilab.data import DataError
    from optilab.data.table import open_table

    check_table_options(args, preset)
    table = getattr(args, "table", None)
    if table is None and (preset is None or not preset.needs_table):
        return None
    if not hasattr(args, "table"):        # `optilab landscape` / `lr-find`: their lessons are MNIST's
        raise CLIError(ONLY_TRAIN(name=preset.name))
    try:
        return open_table(table or preset.table, getattr(args, "target", None), getattr(args, "task", None))
    except (DataError, ValueError) as exc:
        raise CLIError.of(exc) from None


def regression_line(s: Any, status: str) -> str:
    """What a regression run prints: its loss (MSE), test RMSE, MAE, R², validation RMSE and R²."""
    def num(v: float | None) -> str:
        return "–" if v is None else f"{v:.4f}"
    return (f"{s['run']}: {status}; final loss (MSE) {num(s['final_loss'])}, test RMSE {num(s['rmse'])}, "
            f"MAE {num(s['mae'])}, R² {num(s['r2'])}, val RMSE {num(s['val_rmse'])}, val R² {num(s['val_r2'])}, "
            f"{s['elapsed_s']:.1f} s")
