"""`Preset`: one lesson of the training lab as data (docs/experiments.md).

A preset lists the `RunConfig`s of its lesson as it opens, what the class
should look at (``shows``), and how a UI shows it first.  The lessons live in
modules of their own, one per source (`chapter6`: the book's chapter 6), and
`experiments.PRESETS` lists them all.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from optilab.training.config import RunConfig

__all__ = ["BOOK_NET", "Preset", "variants"]

BOOK_NET = (100, 100, 100, 100)


@dataclass(frozen=True)
class Preset:
    """One lesson.

    ``kind`` is "runs" (train each config, overlay the curves), "histograms",
    "random-search", "trajectories", or "ensemble" / "transfer" (runs whose
    result also has a table: members against their average, transfer against scratch).
    ``view`` tells a UI what to show first: "loss" curves, "accuracy" (train vs test) or "rmse"
    (a regression's RMSE per split).  ``shows`` is the "shows"
    line of docs/experiments.md: what the class should look at.
    """

    name: str
    title: str
    shows: str
    kind: str = "runs"
    view: str = "loss"
    runs: tuple[RunConfig, ...] = ()
    quick: Mapping[str, Any] = field(default_factory=dict)
    options: Mapping[str, Any] = field(default_factory=dict)
    quick_options: Mapping[str, Any] = field(default_factory=dict)
    quick_pick: tuple[int, ...] | None = None   # quick mode keeps these runs only
    #: Runs whose config has these field values may diverge, and that is the
    #: lesson's result, not a fault (no batch norm at large weight scales).
    diverges_when: Mapping[str, Any] = field(default_factory=dict)
    #: What to say of such a run instead of an error.
    diverged_note: str = ""
    #: How a UI should scale the loss axis: "linear", or "log" where the
    #: lesson lies in final losses that differ by decades (LR schedules).
    loss_axis: str = "linear"
    #: The bundled table (`data.table.BUNDLED`) a tabular lesson trains on when given no
    #: data ("" for the MNIST lessons); such a preset trains on a `TableData`, not MNIST.
    table: str = ""
    #: Each run's seed is its config's seed + its index (the ensemble's members differ by seed,
    #: also when a seed is given for the whole experiment).
    distinct_seeds: bool = False

    @property
    def has_quick(self) -> bool:
        """True when ``quick=True`` gives a shorter version (that still shows the lesson)."""
        return bool(self.quick or self.quick_options or self.quick_pick is not None)

    def divergence_expected(self, config: RunConfig) -> bool:
        """True when ``config`` diverging is an expected result of this lesson."""
        return bool(self.diverges_when) and all(
            getattr(config, k) == v for k, v in self.diverges_when.items())

    @property
    def needs_mnist(self) -> bool:
        return self.kind in ("runs", "random-search", "ensemble", "transfer") and not self.table

    @property
    def needs_table(self) -> bool:
        """True for a lesson on tabular data (its bundled `table` unless given another)."""
        return bool(self.table)

    def configs(self, quick: bool = False, **overrides: Any) -> list[RunConfig]:
        """The run configs, shrunk when ``quick``, with ``overrides`` applied to each."""
        changes = {**(self.quick if quick else {}), **overrides}
        out = []
        runs = self.runs
        if quick and self.quick_pick is not None:
            runs = tuple(runs[i] for i in self.quick_pick)
        for cfg in runs:
            c = dict(changes)
            if "iterations" in c and cfg.epochs is not None and "epochs" not in c:
                c["epochs"] = None
            if "epochs" in c and c["epochs"] is not None:
                c.setdefault("iterations", None)
            out.append(cfg.replace(**c) if c else cfg)
        if self.distinct_seeds:
            out = [cfg.replace(seed=cfg.seed + i) for i, cfg in enumerate(out)]
        return out

    def option(self, key: str, quick: bool = False) -> Any:
        if quick and key in self.quick_options:
            return self.quick_options[key]
        return self.options[key]


def variants(base: RunConfig, changes: Sequence[Mapping[str, Any]]) -> tuple[RunConfig, ...]:
    """``base`` with each of ``changes`` applied: one run per variant."""
    return tuple(base.replace(**v) for v in changes)
