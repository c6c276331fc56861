"""The chapter-6 experiments (docs/experiments.md) as data, and a runner for them.

Each `Preset` lists the `RunConfig`s of its lesson as it opens: sized so that
it shows the book's result on the bundled 8,000-image sample in a wait a class
accepts (measured in tests/audit/test_experiment_claims.py).  A preset may add
``quick`` overrides for a shorter mode only where that mode still shows the
lesson (`Preset.has_quick`); for the others ``quick=True`` runs the same.  Three
presets are not MNIST training runs: ``activation-histograms`` is a forward
pass on synthetic data, ``gd-vs-sgd`` runs the trajectory engine on the
least-squares surface, and ``random-search`` draws its trials at run time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from optilab import messages
from optilab.training.config import RunConfig
from optilab.training.records import History, RunSummary
from optilab.training.snapshots import Snapshots, job_share
from optilab.training.trainer import Trainer, check_memory

BOOK_NET = (100, 100, 100, 100)


@dataclass(frozen=True)
class Preset:
    """One lesson.

    ``kind`` is "runs" (train each config, overlay the curves), "histograms",
    "random-search" or "trajectories".  ``view`` tells a UI what to show first:
    "loss" curves or "accuracy" (train vs test).  ``shows`` is the "shows"
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
        return self.kind in ("runs", "random-search")

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
        return out

    def option(self, key: str, quick: bool = False) -> Any:
        if quick and key in self.quick_options:
            return self.quick_options[key]
        return self.options[key]


def _runs(base: RunConfig, variants: Sequence[Mapping[str, Any]]) -> tuple[RunConfig, ...]:
    return tuple(base.replace(**v) for v in variants)


def _scales(n: int) -> list[float]:
    return [float(s) for s in np.logspace(0, -4, n)]


# 1,000 of the book's 2,000 iterations (optimizer and init comparisons): the
# ordering is plain by then, and the runs take a wait a class accepts.
_OPT_BASE = RunConfig(hidden=BOOK_NET, batch_size=128, iterations=1000, eval_interval=100)
# Accuracy every 5 epochs (41 points over 201 epochs), not every epoch: the
# evaluations on 2,000 test images cost more than the 3 training steps of an
# epoch, and the final gap is the same (the last iteration is always evaluated).
_OVERFIT = RunConfig(hidden=(100,) * 6, train_size=300, batch_size=100, epochs=201, iterations=None,
                     optimizer="sgd", hparams={"lr": 0.01}, eval_train_size=None, eval_interval=15)
# Train accuracy on 2,000 of the images: the lesson is in the loss and η curves,
# and 21 evaluations on all 8,000 cost as much as a third of the training.
_SCHED_BASE = RunConfig(hidden=BOOK_NET, batch_size=128, iterations=1000, eval_interval=50,
                        optimizer="adam", hparams={"lr": 0.01}, eval_train_size=2000)

PRESETS: dict[str, Preset] = {
    p.name: p
    for p in [
        Preset(
            "optimizer-compare",
            "Optimizer comparison on MNIST",
            "SGD is slowest; Momentum, AdaGrad and Adam fall much faster "
            "(AdaGrad slightly fastest in the book); RMSprop added beside them "
            "(with η 0.001: at the book's 0.01 it overshoots on this net).",
            # Every optimizer at its book default η, except RMSprop, which the
            # book's figure leaves out: at η 0.01 its first 500 iterations are
            # worse than SGD's (mean loss 1.20 vs 0.93 measured), at 0.001 it
            # sits with the fast ones.
            runs=_runs(_OPT_BASE, [dict(optimizer=o, label=o, hparams={"lr": 0.001} if o == "rmsprop" else {})
                                   for o in ("sgd", "momentum", "adagrad", "rmsprop", "adam")]),
            # No quick mode: after 40 iterations on 2,000 images Momentum's mean loss
            # (1.67) was too close to SGD's (2.24) to call SGD clearly last.
        ),
        Preset(
            "init-compare",
            "Weight initialisation on MNIST",
            "std 0.01 barely learns; Xavier learns; He learns fastest with ReLU.",
            runs=_runs(_OPT_BASE.replace(optimizer="sgd", hparams={"lr": 0.01}),
                       [dict(init=0.01, label="std 0.01"), dict(init="xavier", label="Xavier"),
                        dict(init="he", label="He")]),
            # No quick mode: after 40 iterations the three losses were 2.30 / 2.28 / 2.13.
        ),
        Preset(
            "activation-histograms",
            "Activation histograms",
            "With std 1 sigmoid outputs pile up at 0 and 1 (vanishing gradients); "
            "std 0.01 collapses them to 0.5 (no expressiveness); Xavier (sigmoid, tanh) "
            "and He (ReLU) keep them spread in every layer.",
            kind="histograms",
            options=dict(activations=("sigmoid", "tanh", "relu"), inits=(1.0, 0.01, "xavier", "he"),
                         n_layers=5, width=100, n_samples=1000),
            quick_options=dict(n_samples=200),
        ),
        Preset(
            "batchnorm-compare",
            "Batch normalisation",
            "With batch norm the net learns at least as well as without it at most "
            "initial weight scales, and faster; without it, small scales never leave "
            "about 10 % and the largest ones blow up (diverge).",
            view="accuracy",
            # Every second scale of the book's logspace(0, -4, 16), 20 epochs: the
            # book's figure in half its runs.  No quick mode: after 2 epochs every
            # run was still near 10 %.
            runs=tuple(
                RunConfig(hidden=(100,) * 5, train_size=1000, batch_size=100, epochs=20, iterations=None,
                          optimizer="sgd", hparams={"lr": 0.01}, init=s, batchnorm=bn,
                          label=f"{'BN' if bn else 'no BN'} std={s:.2g}", eval_train_size=None)
                for s in _scales(16)[::2] for bn in (True, False)
            ),
            diverges_when=dict(batchnorm=False),
            diverged_note="diverged: without batch norm weights this large blow up (the expected result)",
        ),
        Preset(
            "overfit",
            "Overfitting",
            "On 300 training images a 7-layer net reaches 100 % train accuracy while "
            "test accuracy stays far below: a wide train–test gap.",
            view="accuracy",
            runs=(_OVERFIT.replace(label="no regularisation"),),
        ),
        Preset(
            "weight-decay",
            "Weight decay",
            "λ = 0.1 shrinks the train–test gap of the overfitting lesson.",
            view="accuracy",
            runs=(_OVERFIT.replace(label="no regularisation"),
                  _OVERFIT.replace(weight_decay=0.1, label="weight decay λ=0.1")),
        ),
        Preset(
            "dropout",
            "Dropout",
            "Dropout (p = 0.2) narrows the gap too, and the fit is slower.",
            view="accuracy",
            runs=(_OVERFIT.replace(epochs=300, label="no regularisation"),
                  _OVERFIT.replace(epochs=300, dropout=0.2, label="dropout p=0.2")),
        ),
        Preset(
            "random-search",
            "Hyperparameter random search",
            "The best runs all have η ≈ 1e-3…1e-2; their λ are spread over 1e-8…1e-4 "
            "(at this size weight decay matters little). Narrow η there and search again.",
            kind="random-search",
            view="accuracy",
            runs=(RunConfig(hidden=(100,) * 6, train_size=500, val_fraction=0.2, batch_size=100, epochs=50,
                            iterations=None, optimizer="sgd", eval_train_size=None, eval_interval=8),),
            # 20 of the book's 100 trials (a class will not wait for 100), accuracy every 2 epochs;
            # no quick mode: 4 trials of 2 epochs all ended at 6–12 %.
            options=dict(trials=20, lr_range=(-6.0, -2.0), wd_range=(-8.0, -4.0), top=10),
        ),
        Preset(
            "gd-vs-sgd",
            "GD vs SGD vs minibatch",
            "On the same least-squares data, full-batch GD walks smoothly, SGD (one "
            "point per step) jitters around the minimum, minibatches sit in between: "
            "noise against cost per step.",
            kind="trajectories",
            options=dict(n_points=100, batches=(None, 1, 10), steps=60, lr=0.15, seed=0),
            quick_options=dict(steps=20),
        ),
        Preset(
            "lr-schedules",
            "Learning-rate schedules",
            "Adam with η 0.01: every decay (step, exponential, 1/t, cosine) ends with a "
            "lower training loss than constant η; warm-up starts gently (higher loss at "
            "first); reduce-on-plateau halves η when the loss stalls.",
            # With SGD η 0.1 (before) constant η fitted the 8,000 images best and
            # plateau never cut η; Adam at 0.01 is noisy enough for decay to help.
            runs=(
                _SCHED_BASE.replace(label="constant"),
                _SCHED_BASE.replace(schedule="step", schedule_args={"step_size": 250, "gamma": 0.5}, label="step"),
                _SCHED_BASE.replace(schedule="exponential", schedule_args={"gamma": 0.1 ** (1 / 1000)},
                                    label="exponential"),
                _SCHED_BASE.replace(schedule="inverse-time", schedule_args={"k": 0.01}, label="1/t"),
                _SCHED_BASE.replace(schedule="cosine", schedule_args={"t_max": 1000}, label="cosine"),
                _SCHED_BASE.replace(schedule="warmup", schedule_args={"warmup_steps": 100}, label="warm-up"),
                _SCHED_BASE.replace(schedule="plateau",
                                    schedule_args={"factor": 0.5, "patience": 1, "threshold": 0.05},
                                    label="plateau"),
            ),
            # No quick mode: in 40 iterations no schedule has changed anything yet.
            loss_axis="log",   # final losses 0.05 (constant) against 0.001–0.003 (decays)
        ),
    ]
}


def names() -> list[str]:
    """Preset names, in the chapter's order."""
    return list(PRESETS)


UNKNOWN_PRESET = messages.declare("training.unknown_preset", "unknown preset {name!r}; choose one of: {choices}")
NEEDS_MNIST = messages.declare("training.preset_needs_mnist", "preset {name!r} trains on MNIST: give a dataset")


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
    snapshots it recorded for the loss landscape (`Trainer.snapshots`; None when it kept none)."""

    config: RunConfig
    history: History
    iters_per_epoch: int
    summary: RunSummary
    snapshots: Snapshots | None = None

    @classmethod
    def from_trainer(cls, trainer: Trainer) -> RunResult:
        return cls(trainer.config, trainer.history, trainer.iters_per_epoch, trainer.summary(), trainer.snapshots)

    @property
    def status(self) -> str:
        """"finished", "stopped" or "diverged"."""
        return self.summary.status


@dataclass
class ExperimentResult:
    preset: Preset
    runs: list[RunResult] = field(default_factory=list)
    table: list[dict[str, Any]] = field(default_factory=list)        # random search, sorted
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
    """Run a whole preset on ``data``, a `Dataset` (needed by MNIST presets): its runs repeated over
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
    if data is None:
        raise NEEDS_MNIST.error(name=name)
    result.runs, result.stopped = run_configs(preset_configs(preset, quick, seeds, **overrides), data,
                                              observers, n_jobs, stop)
    result.table = search_table(result.runs) if preset.kind == "random-search" else []
    return result


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
