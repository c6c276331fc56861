"""Tabular data for training: a CSV (or the bundled California housing) split and standardised.

:func:`load_table` reads a CSV through the strict reader (`csv_table`), picks
the target column, splits the rows 70 / 15 / 15 % into training, validation
and test rows (a seeded shuffle, `split_rows`) and standardises every feature
with the mean and standard deviation of the *training* rows only
(`standardise`: the validation and test rows never leak into the scaling, as
scikit-learn's ``StandardScaler`` fitted on the training split).

The task is regression when the target column holds numbers (the target is
kept in its own units, so RMSE and MAE are in them: the housing target is in
$100,000), classification when it holds text (class names, sorted, become
class ids 0…K−1), unless told otherwise.  A classification table trains with
softmax as MNIST does.

:func:`load_bundled` reads the copy of California housing shipped in the
package (20,640 block groups of the 1990 census; R. K. Pace and R. Barry,
"Sparse Spatial Autoregressions", Statistics & Probability Letters 33 (1997)
291–297), offline, its sha256 checked.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from optilab import messages
from optilab.data.csv_table import RawTable, decode, gunzip, parse_csv, parse_number, read_bytes
from optilab.data.errors import file_error
from optilab.messages import Message

__all__ = ["BUNDLED", "SPLIT", "TASKS", "TableData", "load_bundled", "load_table", "open_table", "split_rows",
           "standardise"]

TASKS = ("regression", "classification")
#: Shares of the rows for training, validation and test.
SPLIT = (0.70, 0.15, 0.15)
SPLIT_SEED = 0
#: A classification target with more distinct values than this is refused (use regression).
MAX_CLASSES = 1000
TABLES_DIR = Path(__file__).resolve().parent / "tables"


@dataclass(frozen=True)
class Bundled:
    """A table shipped with optilab: its file, target column, sha256 (uncompressed) and unit."""

    file: str
    target: str
    sha256: str
    unit: str
    description: Message


HOUSING_SOURCE = messages.declare(
    "data.source.california_housing",
    "bundled California housing (20,640 block groups of the 1990 census; Pace & Barry 1997)")
TABLE_SOURCE = messages.declare("data.source.table", "{path} ({rows} rows, target {target}, {task})")
#: The tables ``--table NAME`` reads from the package.
BUNDLED: dict[str, Bundled] = {
    "california-housing": Bundled(
        "california_housing.csv.gz", "MedHouseVal",
        "94ef369b909f5c725340b512b7c9a05c1550a554b6592d29303990e3ba521a1f", "$100,000", HOUSING_SOURCE()),
}

BAD_TASK = messages.declare("data.table.bad_task", "task must be one of {choices}, got {value}")
TEXT_TARGET = messages.declare(
    "data.table.text_target", "{path}: row {row}, column {column}: {value} is not a number, so the target "
    "cannot be regressed on; use the classification task")
CONSTANT = messages.declare(
    "data.table.constant", "{path}: column {column} is constant: it carries nothing; drop it")
CONSTANT_TARGET = messages.declare(
    "data.table.constant_target", "{path}: the target column {column} has one value only: there is nothing to learn")
TOO_MANY_CLASSES = messages.declare(
    "data.table.too_many_classes", "{path}: the target column {column} has {n} distinct values, more than the "
    "{limit} classes allowed; use the regression task")
NEED_TARGET = messages.declare("data.table.need_target", "{path}: say which column is the target (--target COLUMN)")
HUGE = messages.declare(
    "data.table.huge", "{path}: column {column} holds numbers too large to standardise; rescale the column")
DAMAGED = messages.declare(
    "data.table.damaged", "{path}: the bundled table is damaged (sha256 differs); reinstall optilab")


@dataclass(frozen=True, eq=False)
class TableData:
    """A table ready for training: the `Dataset` fields and a validation split.

    ``x_*`` are the standardised features (float64), ``(x − mean) / std`` with
    the training rows' ``mean`` and ``std`` (population sd; 1 where the training
    rows are constant); ``t_*`` are float64 targets in the table's units
    (regression) or int64 class ids (classification, ``class_names[id]``).
    ``rows_*`` are the rows' line numbers in the file.
    """

    x_train: np.ndarray
    t_train: np.ndarray
    x_val: np.ndarray
    t_val: np.ndarray
    x_test: np.ndarray
    t_test: np.ndarray
    source: str
    task: str
    feature_names: tuple[str, ...]
    target_name: str
    mean: np.ndarray
    std: np.ndarray
    class_names: tuple[str, ...] = ()
    unit: str = ""
    rows_train: np.ndarray | None = None
    rows_val: np.ndarray | None = None
    rows_test: np.ndarray | None = None
    source_message: Message | None = None
    is_sample: bool = False

    @property
    def n_train(self) -> int:
        return len(self.x_train)

    @property
    def n_val(self) -> int:
        return len(self.x_val)

    @property
    def n_test(self) -> int:
        return len(self.x_test)

    @property
    def is_regression(self) -> bool:
        return self.task == "regression"

    def __repr__(self) -> str:
        return (f"TableData(task={self.task!r}, target={self.target_name!r}, n_train={self.n_train}, "
                f"n_val={self.n_val}, n_test={self.n_test}, source={self.source!r})")


def split_rows(n: int, seed: int = SPLIT_SEED, shares: tuple[float, float, float] = SPLIT,
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sorted row indices (train, validation, test) of a seeded shuffle of ``range(n)``:
    round(n · share) validation and test rows (at least one each), the rest for training."""
    n_val = max(1, round(n * shares[1]))
    n_test = max(1, round(n * shares[2]))
    order = np.random.default_rng([seed, 16]).permutation(n)
    test, val, train = order[:n_test], order[n_test:n_test + n_val], order[n_test + n_val:]
    return np.sort(train), np.sort(val), np.sort(test)


def standardise(x_train: np.ndarray, *others: np.ndarray) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
    """``(mean, std, [scaled arrays])``: z = (x − μ) / σ with μ, σ of ``x_train`` alone (σ the
    population sd, ddof 0, as StandardScaler; 1 for a column constant over the training rows)."""
    mean = x_train.mean(axis=0)
    std = x_train.std(axis=0)
    std = np.where(std > 0, std, 1.0)
    return mean, std, [(a - mean) / std for a in (x_train, *others)]


def check_task(task: str | None) -> str | None:
    """``task`` when it is one of `TASKS` (or None: decided by the target column)."""
    if task is not None and task not in TASKS:
        raise BAD_TASK.error(choices=", ".join(TASKS), value=repr(task))
    return task


def _targets(raw: RawTable, task: str | None) -> tuple[str, np.ndarray, tuple[str, ...]]:
    """(task, targets, class names) of the target column."""
    numbers = [parse_number(c) for c in raw.target_cells]
    numeric = all(v is not None and np.isfinite(v) for v in numbers)
    task = task or ("regression" if numeric else "classification")
    column = repr(raw.target)
    if task == "regression":
        if not numeric:
            i = next(i for i, v in enumerate(numbers) if v is None or not np.isfinite(v))
            raise file_error(TEXT_TARGET, raw.path, row=int(raw.lines[i]), column=column,
                             value=repr(raw.target_cells[i]))
        t = np.asarray(numbers, dtype=np.float64)
        if np.ptp(t) == 0:
            raise file_error(CONSTANT_TARGET, raw.path, column=column)
        return task, t, ()
    names = sorted(set(raw.target_cells), key=lambda c: (0, parse_number(c), c) if numeric else (1, 0.0, c))
    if len(names) > MAX_CLASSES:
        raise file_error(TOO_MANY_CLASSES, raw.path, column=column, n=len(names), limit=MAX_CLASSES)
    if len(names) < 2:
        raise file_error(CONSTANT_TARGET, raw.path, column=column)
    index = {name: i for i, name in enumerate(names)}
    return task, np.array([index[c] for c in raw.target_cells], dtype=np.int64), tuple(names)


def from_raw(raw: RawTable, task: str | None = None, seed: int = SPLIT_SEED, unit: str = "",
             source: Message | None = None) -> TableData:
    """Split and standardise a checked CSV (`csv_table.parse_csv`)."""
    task = check_task(task)
    for j, name in enumerate(raw.feature_names):
        if np.all(raw.features[:, j] == raw.features[0, j]):
            raise file_error(CONSTANT, raw.path, column=repr(name))
    task, t, classes = _targets(raw, task)
    train, val, test = split_rows(len(t), seed)
    with np.errstate(all="ignore"):
        mean, std, (x_train, x_val, x_test) = standardise(raw.features[train], raw.features[val],
                                                          raw.features[test])
    for j, name in enumerate(raw.feature_names):
        if not all(np.all(np.isfinite(x[:, j])) for x in (x_train, x_val, x_test)):
            raise file_error(HUGE, raw.path, column=repr(name))
    source = source or TABLE_SOURCE(path=raw.path, rows=f"{len(t):,}", target=raw.target, task=task)
    return TableData(x_train, t[train], x_val, t[val], x_test, t[test], str(source), task, raw.feature_names,
                     raw.target, mean, std, classes, unit, raw.lines[train], raw.lines[val], raw.lines[test], source)


def load_table(path: str | os.PathLike[str], target: str, task: str | None = None,
               seed: int = SPLIT_SEED) -> TableData:
    """Read the CSV at ``path`` (``.gz`` too) and make it a `TableData` with ``target`` as the target."""
    check_task(task)
    return from_bytes(read_bytes(path), target, task, seed, str(Path(path).expanduser()))


def from_bytes(data: bytes, target: str, task: str | None = None, seed: int = SPLIT_SEED,
               where: str = "<table>") -> TableData:
    """A `TableData` from a CSV's bytes (already gunzipped): any bytes give one or a `DataError`."""
    return from_raw(parse_csv(decode(data, where), target, where), task, seed)


def load_bundled(name: str = "california-housing", target: str | None = None, task: str | None = None,
                 seed: int = SPLIT_SEED) -> TableData:
    """A bundled table (`BUNDLED`) read offline from the package, its sha256 checked."""
    spec = BUNDLED[name]
    path = TABLES_DIR / spec.file
    data = gunzip(read_bytes_raw(path), path)
    if hashlib.sha256(data).hexdigest() != spec.sha256:
        raise file_error(DAMAGED, path)
    target = target or spec.target
    raw = parse_csv(decode(data, path), target, str(path))
    unit = spec.unit if target == spec.target else ""
    return from_raw(raw, task, seed, unit, spec.description if target == spec.target else None)


def read_bytes_raw(path: Path) -> bytes:
    """The bundled file's bytes (gzip, not yet decompressed)."""
    try:
        return path.read_bytes()
    except OSError:
        raise file_error(DAMAGED, path) from None


def open_table(spec: str | os.PathLike[str], target: str | None = None, task: str | None = None,
               seed: int = SPLIT_SEED) -> TableData:
    """``spec`` a bundled table's name (`BUNDLED`, its own target by default) or a CSV path
    (``target`` then required)."""
    if str(spec) in BUNDLED:
        return load_bundled(str(spec), target, task, seed)
    if not target:
        raise NEED_TARGET.error(path=str(spec))
    return load_table(spec, target, task, seed)

