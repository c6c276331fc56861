"""Every lesson of the training lab (docs/experiments.md) by name, and a runner for them.

The lessons are `Preset`s declared in one module per source: `chapter6` (the
book's chapter 6), `lessons_cs231n` (CS231n lecture 7's regularisers) and
`lessons_tabular` (the PyTorch chapter's regression on California housing).
`PRESETS` lists them in teaching order; `run_preset` trains one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from optilab import messages
from optilab.training import chapter6, lessons_cs231n, lessons_tabular
from optilab.training.config import RunConfig
from optilab.training.preset import BOOK_NET, Preset
from optilab.training.records import History, RunSummary
from optilab.training.regularisers import lesson_table
from optilab.training.snapshots import Snapshots, job_share
from optilab.training.trainer import Trainer, check_memory

#: Every lesson by name, in teaching order: the book's chapter 6 first.
PRESETS: dict[str, Preset] = {
    p.name: p for p in (*chapter6.PRESETS, *lessons_cs231n.PRESETS, *lessons_tabular.PRESETS)}

__all__ = ["BOOK_NET", "PRESETS", "Preset"]


def names() -> list[str]:
    """Preset names, in the chapter's order."""
    return list(PRESETS)


UNKNOWN_PRESET = messages.declare("training.unknown_preset", "unknown preset {name!r}; choose one of: {choices}")
NEEDS_MNIST = messages.declare("training.preset_needs_mnist", "preset {name!r} trains on MNIST: give a dataset")
NEEDS_TABLE = messages.declare(
    "training.preset_needs_table", "preset {name!r} trains on a table (CSV), not on MNIST: give a table or none")


def get(name: str) -> Preset:
    """The preset ``name``; ValueError lists the choices."""
    try:
        return PRESETS[name]
    except KeyError:
        raise UNKNOWN_PRESET.error(name=name, choices=", ".join(PRESETS)) from None


# -- results -----------------------------------------------------------------

@dataclass
class RunResult:
    """A finished run: its config, history and summary (see `Trainer.summary`), and the weight
    snapshots it recorded for the loss landscape (`Trainer.snapshots`; None when it kept none).
    ``test_probabilities``: the softmax probabilities of the test images at the end, (N_test,
    outputs) float32, when the config asks (`RunConfig.keep_probabilities`; the ensemble lesson).
    ``test_labels``: the labels of those test images (with the probabilities).
    ``pretrain_test_acc``: a transfer run's pre-training test accuracy (`RunConfig.pretrain`; else None)."""

    config: RunConfig
    history: History
    iters_per_epoch: int
    summary: RunSummary
    snapshots: Snapshots | None = None
    test_probabilities: np.ndarray | None = None
    test_labels: np.ndarray | None = None
    pretrain_test_acc: float | None = None

    @classmethod
    def from_trainer(cls, trainer: Trainer) -> RunResult:
        keep = trainer.config.keep_probabilities
        return cls(trainer.config, trainer.history, trainer.iters_per_epoch, trainer.summary(), trainer.snapshots,
                   trainer.test_probabilities() if keep else None, trainer.split.t_test.copy() if keep else None,
                   trainer.pretrain_test_acc)

    @property
    def status(self) -> str:
        """"finished", "stopped" or "diverged"."""
        return self.summary.status


@dataclass
class ExperimentResult:
    preset: Preset
    runs: list[RunResult] = field(default_factory=list)
    table: list[dict[str, Any]] = field(default_factory=list)        # random search (sorted), `lesson_table`
    histograms: dict[tuple[str, str], list[np.ndarray]] = field(default_factory=dict)
    trajectories: list[Any] = field(default_factory=list)            # gd-vs-sgd
    stopped: bool = False

    def expected_divergence(self, run: RunResult) -> bool:
        """True when ``run`` diverged and that is this lesson's result (`Preset.diverges_when`)."""
        return run.status == "diverged" and self.preset.divergence_expected(run.config)

    @property
    def unexpected_divergences(self) -> list[RunResult]:
        """The runs that diverged although the lesson does not expect it (faults to report)."""
        return [r for r in self.runs if r.status == "diverged" and not self.expected_divergence(r)]


# -- batch norm: pairs per weight scale ----------------------------------------

def weight_scale(config: RunConfig) -> float | None:
    """The initial weight std of ``config`` when it is a number (None for "he", "xavier", ...)."""
    return float(config.init) if isinstance(config.init, (int, float)) else None


def is_bn_comparison(configs: Sequence[RunConfig]) -> bool:
    """True for a job that trains the same weight scales with and without batch norm (the BN lesson)."""
    flags = {c.batchnorm for c in configs}
    return flags == {True, False} and len({repr(c.init) for c in configs}) >= 2


def pair_by_scale(configs: Sequence[RunConfig]) -> list[tuple[float | str, list[int]]]:
    """The runs grouped by initial weight scale (init std or name), in first-seen order:
    ``[(scale, [run indices]), …]``."""
    groups: dict[str, tuple[float | str, list[int]]] = {}
    for i, cfg in enumerate(configs):
        groups.setdefault(repr(cfg.init), (cfg.init, []))[1].append(i)
    return list(groups.values())


def expected_divergence(config: RunConfig, configs: Sequence[RunConfig]) -> bool:
    """A run diverging is the lesson's result when it is the no-BN side of a BN comparison
    (book fig. 6-18: without batch norm, large initial weights blow up)."""
    return not config.batchnorm and is_bn_comparison(configs)


def batchnorm_pairs(items: Sequence[Any]) -> list[tuple[float, Any, Any]]:
    """``(weight scale, with BN, without BN)`` per numeric weight scale, in the order met.

    ``items`` are `RunConfig`s or `RunResult`s (anything with ``.config``); a
    missing partner (a stopped experiment) is None.
    """
    pairs: dict[float, list[Any]] = {}
    for item in items:
        config = getattr(item, "config", item)
        scale = weight_scale(config)
        if scale is None:
            continue
        slot = pairs.setdefault(scale, [None, None])
        slot[0 if config.batchnorm else 1] = item
    return [(scale, bn, plain) for scale, (bn, plain) in pairs.items()]


# -- random search -----------------------------------------------------------

def random_search_configs(base: RunConfig, trials: int, lr_range: tuple[float, float],
                          wd_range: tuple[float, float], seed: int = 0) -> list[RunConfig]:
    """Trials with η = 10^U(lr_range), λ = 10^U(wd_range), as the book draws them."""
    rng = np.random.default_rng([seed, 4])
    out = []
    for i in range(trials):
        lr = float(10 ** rng.uniform(*lr_range))
        wd = float(10 ** rng.uniform(*wd_range))
        out.append(base.replace(hparams={**base.hparams, "lr": lr}, weight_decay=wd,
                                label=f"trial {i + 1}", seed=base.seed + i))
    return out


def search_table(results: Iterable[RunResult]) -> list[dict[str, Any]]:
    """One row per trial (lr, λ, accuracies), best validation accuracy first."""
    rows = []
    for r in results:
        s = r.summary
        rows.append({"run": r.config.label, "lr": r.config.hparams.get("lr"), "weight_decay": r.config.weight_decay,
                     "val_acc": s.val_acc, "train_acc": s.train_acc, "test_acc": s.test_acc,
                     "status": s.status})
    return sorted(rows, key=lambda row: -1.0 if row["val_acc"] is None else -row["val_acc"])


# -- the runner --------------------------------------------------------------

def run_preset(
    name: str,
    data: Any = None,
    quick: bool = False,
    observers: Iterable[Callable[[Any], None]] = (),
    n_jobs: int = 1,
    stop: Callable[[], bool] | None = None,
    seed: int | None = None,
    seeds: int = 1,
    **overrides: Any,
) -> ExperimentResult:
    """Run a whole preset on ``data``, a `Dataset` (needed by MNIST presets; a tabular preset takes a
    `data.table.TableData`, its bundled table when None): its runs repeated over
    ``seeds`` seeds (`preset_configs`), trained by `run_configs` (``n_jobs`` at once; ``observers``
    get every run's records; ``stop()`` returning True ends the experiment)."""
    preset = get(name)
    result = ExperimentResult(preset)
    overrides.update({} if seed is None else {"seed": seed})
    if preset.kind == "histograms":
        from optilab.nn import activation_stats

        o = {k: preset.option(k, quick) for k in ("activations", "inits", "n_layers", "width", "n_samples")}
        rng = np.random.default_rng(overrides.get("seed", 0))
        x = rng.standard_normal((o["n_samples"], o["width"]))
        for act in o["activations"]:
            for init in o["inits"]:
                result.histograms[(act, str(init))] = activation_stats(
                    x, n_layers=o["n_layers"], width=o["width"], activation=act, init=init,
                    seed=overrides.get("seed", 0))
        return result
    if preset.kind == "trajectories":
        from optilab import surfaces, trajectory

        o = {k: preset.option(k, quick) for k in ("n_points", "batches", "steps", "lr", "seed")}
        for bs in o["batches"]:
            surf = surfaces.least_squares(n_points=o["n_points"], batch_size=bs, seed=o["seed"])
            label = "GD (all points)" if bs is None else ("SGD (1 point)" if bs == 1 else f"minibatch ({bs})")
            result.trajectories.append(
                trajectory.run(surf, "sgd", {"lr": o["lr"]}, steps=o["steps"],
                               seed=overrides.get("seed", 0), label=label))
        return result
    if preset.needs_table:
        data = _table_for(preset, data)
    if data is None:
        raise NEEDS_MNIST.error(name=name)
    result.runs, result.stopped = run_configs(preset_configs(preset, quick, seeds, **overrides), data,
                                              observers, n_jobs, stop)
    result.table = search_table(result.runs) if preset.kind == "random-search" else lesson_table(name, result.runs)
    return result


def _table_for(preset: Preset, data: Any) -> Any:
    """The table a tabular preset trains on: ``data`` when it is a table, its bundled table when None."""
    from optilab.data.table import TableData, load_bundled

    if data is None:
        return load_bundled(preset.table)
    if not isinstance(data, TableData):
        raise NEEDS_TABLE.error(name=preset.name)
    return data


def preset_configs(preset: Preset, quick: bool = False, seeds: int = 1, **overrides: Any) -> list[RunConfig]:
    """Every run a training preset trains: its configs (random search: its trials drawn),
    repeated over ``seeds`` seeds (`seeds.expand`)."""
    from optilab.training.seeds import expand

    configs = preset.configs(quick, **overrides)
    if preset.kind == "random-search":
        configs = random_search_configs(configs[0], preset.option("trials", quick), preset.option("lr_range"),
                                        preset.option("wd_range"), seed=configs[0].seed)
    return expand(configs, seeds)


def run_configs(configs: Sequence[RunConfig], data: Any, observers: Iterable[Callable[[Any], None]] = (),
                jobs: int = 1, stop: Callable[[], bool] | None = None) -> tuple[list[RunResult], bool]:
    """``(results in config order, stopped)`` of training ``configs`` on ``data``: one after another
    here (``jobs`` = 1), or ``jobs`` at once in child processes (`remote.JobProcess`, one BLAS
    thread each; the same numbers; the bundled sample loaded by each child, other data sent to it),
    their records still reaching ``observers`` (interleaved).
    Each of the n runs keeps at most `snapshots.job_share`(n) bytes of snapshots; ``jobs`` at once must fit."""
    configs, observers = list(configs), list(observers)
    jobs = min(jobs, len(configs))
    share = job_share(len(configs))
    if jobs > 1:
        check_memory(configs[0], data, runs=jobs, snapshot_bytes=share)
        return _run_in_children(configs, data, observers, jobs, stop)
    runs: list[RunResult] = []
    for config in configs:
        if stop is not None and stop():
            return runs, True
        trainer = Trainer(config, data, observers, snapshot_bytes=share)
        if stop is not None:
            trainer.observers.append(lambda rec, t=trainer: stop() and t.request_stop())
        trainer.run()
        runs.append(RunResult.from_trainer(trainer))
    return runs, False


def _run_in_children(configs: list[RunConfig], data: Any, observers: list[Callable[[Any], None]], jobs: int,
                     stop: Callable[[], bool] | None) -> tuple[list[RunResult], bool]:
    from optilab.training.events import Evaluated, Failed, RunDone, RunInfo, StepBatch
    from optilab.training.records import Step
    from optilab.training.remote import DataSpec, JobProcess

    spec = DataSpec("sample") if getattr(data, "is_sample", False) else DataSpec("dataset", dataset=data)
    proc, per_epoch, done, failure, stopped = JobProcess(configs, spec, jobs=jobs), {}, {}, None, False
    proc.start()
    try:
        while not proc.done:
            if stop is not None and not stopped and stop():
                stopped = True
                proc.stop()
            for event in proc.messages(0.05):
                records: list[Any] = []
                if isinstance(event, RunInfo):
                    per_epoch[event.index] = event.iters_per_epoch
                elif isinstance(event, StepBatch):
                    label, n = configs[event.run_index].label, per_epoch.get(event.run_index, 1)
                    records = [Step(label, it, it / n, loss, lr) for it, loss, lr in zip(
                        event.iterations.tolist(), event.loss.tolist(), event.lr.tolist(), strict=True)]
                elif isinstance(event, (Evaluated, RunDone)):
                    records = [event.evaluation if isinstance(event, Evaluated) else event.finished]
                    if isinstance(event, RunDone):
                        done[event.run_index] = event.result
                elif isinstance(event, Failed):
                    failure = event.message
                for record in records:
                    for observer in observers:
                        observer(record)
    finally:
        proc.stop()
        proc.close()
    if failure is not None:
        raise messages.OptilabError(failure)
    return [done[i] for i in sorted(done)], stopped or len(done) < len(configs)
