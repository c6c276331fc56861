"""Repeating an experiment over k seeds, and the spread of its runs (issue #15 item 2).

One run per configuration says little: "is Adam really better, or was that
run lucky?".  `expand` repeats each config with seeds s, s+1, …, s+k−1 (its
label kept, so the runs of one label form a group); `group` gathers finished
runs by label, in seed order; `band` gives, per iteration of a common grid,
the mean, the standard deviation, the minimum and the maximum of one history
column over the runs; `SeedGroup.summary` the mean ± sd of the final metrics.

The band the app draws is **mean ± 1 sd** (`BAND`), not min–max: the range of
k samples widens as k grows (more seeds, a wider band, the same optimizer),
while the sample standard deviation estimates the spread itself — the
"mean ± std over 5 seeds" of the optimizer papers.  The sd is the sample sd
(ddof = 1: sd² = Σ(xᵢ − x̄)² / (k − 1)); with one value it is 0.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from optilab import messages
from optilab.rules import Number, Setting
from optilab.training.config import RunConfig
from optilab.training.records import History

__all__ = ["BAND", "FINAL_METRICS", "SEEDS", "Band", "SeedGroup", "Spread", "band", "expand", "group",
           "label_groups"]

#: How many seeds an experiment is repeated over (the CLI's ``--seeds``, the app's field).
SEEDS = Setting("seeds", Number(1, 50, integer=True), label="Seeds",
                description="Repeat every run with this many seeds (seed, seed+1, …); curves show the mean ± 1 sd")
#: The band drawn around a mean curve: ± 1 sample standard deviation.
BAND = "sd"
#: The final metrics `SeedGroup.summary` gives the spread of (`RunSummary` fields).
FINAL_METRICS = ("final_loss", "train_acc", "val_acc", "test_acc")


def expand(configs: Iterable[RunConfig], k: int) -> list[RunConfig]:
    """Each config repeated with seeds s, s+1, …, s+k−1 (s its own seed), label kept;
    the k runs of a config stay together, configs in their order.  k = 1 returns them as given."""
    k = int(SEEDS.check(k))
    return [c if i == 0 else c.replace(seed=c.seed + i) for c in configs for i in range(k)]


def label_groups(configs: Sequence[Any]) -> list[tuple[str, list[int]]]:
    """``[(label, [indices in seed order]), …]`` in first-seen order; ``configs`` are `RunConfig`s
    or anything with ``.config`` (a `RunResult`, an `events.RunInfo`)."""
    groups: dict[str, list[int]] = {}
    for i, item in enumerate(configs):
        groups.setdefault(_config(item).label, []).append(i)
    return [(label, sorted(idx, key=lambda i: _config(configs[i]).seed)) for label, idx in groups.items()]


def _config(item: Any) -> RunConfig:
    return item if isinstance(item, RunConfig) else item.config


@dataclass(frozen=True)
class Band:
    """A history column over several runs on one iteration grid.

    ``mean``, ``sd`` (sample sd, 0 where one run has a value), ``min``, ``max`` and
    ``count`` (runs with a value there) per entry of ``iterations``; nan where no run has one.
    """

    iterations: np.ndarray
    mean: np.ndarray
    sd: np.ndarray
    min: np.ndarray
    max: np.ndarray
    count: np.ndarray

    @property
    def lower(self) -> np.ndarray:
        """The band's lower edge, mean − 1 sd (`BAND`)."""
        return self.mean - self.sd

    @property
    def upper(self) -> np.ndarray:
        """The band's upper edge, mean + 1 sd."""
        return self.mean + self.sd


UNKNOWN_COLUMN = messages.declare("training.seeds.unknown_column",
                                  "unknown history column {key}; choose one of: {choices}")
_STEP_KEYS = ("loss", "lr")
_EVAL_KEYS = ("train_acc", "val_acc", "test_acc")


def _column(history: History, key: str) -> tuple[np.ndarray, np.ndarray]:
    if key in _STEP_KEYS:
        return history.iterations, getattr(history, key)
    if key in _EVAL_KEYS:
        return history.eval_iterations, getattr(history, key)
    raise UNKNOWN_COLUMN.error(key=repr(key), choices=", ".join(_STEP_KEYS + _EVAL_KEYS))


def band(histories: Sequence[History], key: str, iterations: np.ndarray | None = None) -> Band:
    """Mean, sd, min, max of column ``key`` ("loss", "lr", "train_acc", "val_acc", "test_acc")
    of ``histories`` (live ones too) at ``iterations`` (default: those of the run recorded
    longest).  A run's value between two of its records is interpolated linearly; before its
    first or after its last record (a stopped or diverged run), and where not finite, it has none."""
    columns = [_column(h, key) for h in histories]
    if iterations is None:
        iterations = max((its for its, _ in columns), key=len, default=np.zeros(0, dtype=np.int64))
    grid = np.asarray(iterations)
    values = np.full((len(columns), len(grid)), np.nan)
    for row, (its, col) in zip(values, columns, strict=True):
        n = min(len(its), len(col))
        if n == 0:
            continue
        its, col = np.asarray(its[:n], dtype=np.float64), np.asarray(col[:n], dtype=np.float64)
        inside = (grid >= its[0]) & (grid <= its[-1])
        row[inside] = np.interp(grid[inside], its, col)
    values[~np.isfinite(values)] = np.nan
    count = np.sum(~np.isnan(values), axis=0)
    some = count > 0
    mean, sd, low, high = (np.full(len(grid), np.nan) for _ in range(4))
    if some.any():
        v = values[:, some]
        mean[some] = np.nanmean(v, axis=0)
        low[some], high[some] = np.nanmin(v, axis=0), np.nanmax(v, axis=0)
        dev = np.nansum((v - mean[some]) ** 2, axis=0)
        sd[some] = np.sqrt(dev / np.maximum(count[some] - 1, 1))
    return Band(grid, mean, sd, low, high, count)


@dataclass(frozen=True)
class Spread:
    """Mean ± sd (sample sd; 0 for one value) of one metric over ``n`` runs; nan mean when n = 0."""

    mean: float
    sd: float
    n: int

    @classmethod
    def of(cls, values: Iterable[float | None]) -> Spread:
        xs = [float(v) for v in values if v is not None and math.isfinite(v)]
        if not xs:
            return cls(math.nan, math.nan, 0)
        mean = sum(xs) / len(xs)
        sd = math.sqrt(sum((x - mean) ** 2 for x in xs) / (len(xs) - 1)) if len(xs) > 1 else 0.0
        return cls(mean, sd, len(xs))

    def to_dict(self) -> dict[str, float | int | None]:
        """JSON-ready (None for nan)."""
        def num(v: float) -> float | None:
            return v if math.isfinite(v) else None
        return {"mean": num(self.mean), "sd": num(self.sd), "n": self.n}


@dataclass(frozen=True)
class SeedGroup:
    """The runs of one label (`RunResult`s), in seed order."""

    label: str
    results: tuple[Any, ...]

    @property
    def seeds(self) -> list[int]:
        return [r.config.seed for r in self.results]

    def band(self, key: str, iterations: np.ndarray | None = None) -> Band:
        """`band` of the group's histories."""
        return band([r.history for r in self.results], key, iterations)

    def summary(self) -> dict[str, Spread]:
        """Mean ± sd of each of `FINAL_METRICS` over the group's runs (unmeasured ones left out)."""
        return {key: Spread.of(r.summary[key] for r in self.results) for key in FINAL_METRICS}


def group(results: Sequence[Any]) -> list[SeedGroup]:
    """The `RunResult`s by label (first-seen order), each group in seed order."""
    return [SeedGroup(label, tuple(results[i] for i in idx)) for label, idx in label_groups(results)]
