"""``optilab train``: train the book's MNIST network from the command line."""

from __future__ import annotations

import argparse
import math
import sys
import time
from dataclasses import dataclass
from typing import Any

from optilab import exporters, messages
from optilab.cli.common import CLIError, check_output, emit, parse_float, parse_setting
from optilab.cli.lesson_tables import format_table
from optilab.cli.tables import add_table_options, regression_line, table_dataset
from optilab.rules import Choice
from optilab.training.config import SETTINGS, parse_hidden
from optilab.training.remote import JOBS, default_jobs
from optilab.training.seeds import SEEDS, Spread

EXIT_DIVERGED = 3
OUT_OF_MEMORY = messages.declare(
    "cli.train_out_of_memory", "ran out of memory during training; use fewer/smaller hidden layers or a smaller batch")
BAD_SCHEDULE_ITEM = messages.declare(
    "cli.bad_schedule_item", "--schedule {spec}: write key=value, e.g. step:step_size=500,gamma=0.5")
BAD_OPTIMIZER_SPEC = messages.declare("cli.bad_optimizer_spec", "--optimizer {spec}: {reason}")
DIVERGED = messages.declare(
    "cli.diverged", "run '{run}' diverged at iteration {iteration} (the loss became NaN or infinite); "
    "try a smaller learning rate")
#: Options read by a training setting alone: option → `SETTINGS` key.
_SETTING_OPTIONS = {
    "dropout": "dropout", "weight_decay": "weight_decay", "batch_size": "batch_size", "iterations": "iterations",
    "epochs": "epochs", "train_size": "train_size", "val_fraction": "val_fraction", "seed": "seed",
    "snapshots": "snapshots", "l1": "l1",
}


def _choices(key: str) -> tuple[str, ...]:
    """The names a choice setting allows, as declared."""
    rule = SETTINGS[key].rule
    assert isinstance(rule, Choice)
    return rule.choices


def _help(key: str, default: str | None = None, more: str = "") -> str:
    """An option's help: its setting's declared description (then ``more`` and the default)."""
    text = SETTINGS[key].description + (f": {more}" if more else "")
    return f"{text} (default {default})" if default is not None else text


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "train",
        help="train the book's MNIST network (one run or a lesson's preset), or a network on a table",
        description=(
            "Train the multi-layer network of 'Deep Learning from Scratch' ch. 6 on MNIST, "
            "one run from the options, or a whole experiment with --preset. Data: a folder "
            "given by --data-dir or $OPTILAB_MNIST_DIR, else the downloaded copy in the cache "
            "('optilab mnist download'), else the bundled 10,000-image sample (--sample forces it). "
            "With --table, train on a CSV file instead (regression or classification), or on the "
            "bundled California housing data (--table california-housing, --preset housing)."
        ),
        epilog=(
            "examples:\n"
            "  optilab train --optimizer adam:lr=0.001 --epochs 1\n"
            "  optilab train --preset optimizer-compare --csv losses.csv\n"
            "  optilab train --preset housing --json housing.json\n"
            "  optilab train --table data.csv --target price --optimizer adam --epochs 50\n"
            "  optilab train --preset ensemble\n"
            "  optilab train --l1 0.01 --augment --train-size 300 --epochs 50\n"
            "  optilab train --list-presets\n"
            "exit codes: 0 done, 2 bad option, data or output path, or not enough memory for the run, "
            "3 the run diverged"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--list-presets", action="store_true", help="list the experiments and exit")
    add_run_options(p)
    add_table_options(p)
    p.add_argument("--csv", metavar="FILE",
                   help="write the loss CSV (run,iteration,epoch,loss,lr,train_acc,val_acc,test_acc; a regression "
                        "adds train_rmse,val_rmse,test_rmse,train_mae,val_mae,test_mae,train_r2,val_r2,test_r2)")
    p.add_argument("--json", metavar="FILE",
                   help="write a JSON summary of config and final metrics (a regression adds task, rmse, mae, r2 "
                        "of the test rows, and train/val RMSE and R²)")
    p.add_argument("--seeds", metavar="K", help=f"{SEEDS.description}: {SEEDS.describe()} (default 1)")
    p.add_argument("--jobs", metavar="N", help=f"{JOBS.description}: {JOBS.describe()}")
    p.set_defaults(func=_main)


def add_run_options(p: argparse.ArgumentParser) -> None:
    """The options that say what to train and on which data (``optilab train``'s, shared by
    ``optilab landscape``): --preset, the run's settings, the data source, --seed, --quick, --quiet."""
    p.add_argument("--preset", metavar="NAME",
                   help="run a lesson's experiment: the book's chapter 6, CS231n lecture 7's l1, augmentation, "
                        "ensemble, transfer, or housing (see optilab train --list-presets)")
    p.add_argument("--optimizer", metavar="NAME[:key=value,...]",
                   help=_help("optimizer", "sgd", "e.g. sgd:lr=0.01; " + ", ".join(_choices("optimizer"))))
    p.add_argument("--schedule", metavar="NAME[:key=value,...]",
                   help=_help("schedule", "constant", ", ".join(_choices("schedule"))))
    p.add_argument("--init", metavar="|".join(_choices("init")) + "|STD", help=_help("init", "he"))
    p.add_argument("--activation", choices=_choices("activation"), help=_help("activation", "relu"))
    p.add_argument("--hidden", metavar="N,N,...", help=_help("hidden", "100,100,100,100"))
    p.add_argument("--batchnorm", action="store_true", default=None, help=_help("batchnorm"))
    p.add_argument("--dropout", metavar="P", help=_help("dropout", "0"))
    p.add_argument("--weight-decay", metavar="L", help=_help("weight_decay", "0"))
    p.add_argument("--l1", metavar="L", help=_help("l1", "0"))
    p.add_argument("--augment", action="store_true", default=None, help=_help("augment"))
    p.add_argument("--batch-size", metavar="N", help=_help("batch_size", "100"))
    length = p.add_mutually_exclusive_group()
    length.add_argument("--iterations", metavar="N", help=_help("iterations", "2000"))
    length.add_argument("--epochs", metavar="N", help=_help("epochs"))
    p.add_argument("--train-size", metavar="N", help=_help("train_size"))
    p.add_argument("--val-fraction", metavar="F", help=_help("val_fraction", "0"))
    source = p.add_mutually_exclusive_group()
    source.add_argument("--data-dir", metavar="DIR", help="folder holding the 4 MNIST files")
    source.add_argument("--sample", action="store_true", help="use the bundled 10,000-image sample")
    p.add_argument("--seed", metavar="S", help=_help("seed", "0"))
    p.add_argument("--snapshots", metavar="K", help=_help("snapshots", "40"))
    p.add_argument("--quick", action="store_true",
                   help="a shorter version where the experiment has one that still shows its lesson "
                        "(otherwise the same run); for a single run: 100 iterations on 2,000 images")
    p.add_argument("--quiet", action="store_true", help="no progress bar")


def _main(args: argparse.Namespace) -> int:
    from optilab import training
    from optilab.training import claims

    if args.list_presets:
        for name in training.names():
            pr = training.get(name)
            print(f"{name:22s} {pr.title}: {pr.shows}")
        return 0

    for output in (args.csv, args.json):   # before the work, so a bad path loses no run
        check_output(output)
    overrides = _overrides(args)
    plan = plan_runs(args, overrides)
    jobs = plan.jobs
    preset = plan.preset
    dataset = load_dataset(args, plan)
    bar = Progress(enabled=not args.quiet)
    t0 = time.perf_counter()
    exp, results = train_runs(plan, dataset, bar, jobs)
    elapsed = time.perf_counter() - t0

    if exp is not None and exp.histograms:
        _print_histograms(exp)
    if exp is not None and exp.trajectories:
        for tr in exp.trajectories:
            print(f"{tr.label:18s} {tr.last_step:3d} steps, final loss {tr.loss[-1]:.4f} at "
                  f"({tr.x[-1]:.3f}, {tr.y[-1]:.3f})")
    if exp is not None and exp.table and exp.preset.kind != "random-search":
        print("\n".join(format_table(exp.table)))
    elif exp is not None and exp.table:
        print(f"{'run':10s} {'lr':>10s} {'weight_decay':>12s} {'val_acc':>8s} {'train_acc':>9s}")
        for row in exp.table:
            print(f"{row['run']:10s} {row['lr']:10.3g} {row['weight_decay']:12.3g} "
                  f"{_pct(row['val_acc']):>8s} {_pct(row['train_acc']):>9s}")
    for r in results:
        s = r.summary
        status = s["status"] if s["status"] != "diverged" else f"diverged at iteration {s['diverged_at']}"
        if exp is not None and exp.expected_divergence(r):
            status = f"{exp.preset.diverged_note} at iteration {s['diverged_at']}"
        if s["task"] == "regression":
            print(regression_line(s, status))
            continue
        print(f"{s['run']}: {status}; final loss {_num(s['final_loss'])}, train acc {_pct(s['train_acc'])}, "
              f"test acc {_pct(s['test_acc'])}"
              + (f", val acc {_pct(s['val_acc'])}" if s["val_acc"] is not None else "")
              + f", {s['elapsed_s']:.1f} s")
    for g in groups(results):
        spread = g.summary()
        last = (f"test R² {_spread(Spread.of(r.summary.r2 for r in g.results))}"
                if g.results[0].summary.task == "regression" else f"test acc {_spread(spread['test_acc'], pct=True)}")
        print(f"{g.label}: over {len(g.results)} seeds final loss {_spread(spread['final_loss'])}, {last}")
    report = claims.check(preset.name, results) if preset is not None else None
    if report is not None:
        print(report.message)
    print(f"total time {elapsed:.1f} s", file=sys.stderr)

    if args.csv:
        emit(exporters.LOSS_CSV.text(exporters.Runs(results)), args.csv)
    if args.json:
        extra = {"preset": preset.name if preset else None,
                 "data": dataset.source if dataset is not None else "synthetic"}
        if exp is not None and exp.table:
            extra["random_search" if exp.preset.kind == "random-search" else "table"] = exp.table
        emit(exporters.SUMMARY_JSON.text(exporters.Runs(results, extra)), args.json)
    return divergence_exit(exp, results)


def divergence_exit(exp: Any, results: list[Any]) -> int:
    """`EXIT_DIVERGED`, with the first faulty run named on stderr, when a run diverged although its
    lesson does not expect it (`ExperimentResult.unexpected_divergences`); 0 otherwise."""
    faults = exp.unexpected_divergences if exp is not None else [r for r in results if r.status == "diverged"]
    if faults:
        first = faults[0]
        print(f"optilab: {DIVERGED(run=first.summary['run'], iteration=first.summary['diverged_at'])}", file=sys.stderr)
        return EXIT_DIVERGED
    return 0


@dataclass(frozen=True)
class RunPlan:
    """What the run options ask for: one ``config``, or a ``preset`` with the ``overrides`` for its runs."""

    preset: Any
    config: Any
    overrides: dict[str, Any]
    quick: bool
    seeds: int = 1
    jobs: int = 1

    @property
    def configs(self) -> list[Any]:
        """Every run to train, repeated over the seeds (none for the presets that are not MNIST
        training runs)."""
        from optilab.training.experiments import preset_configs
        from optilab.training.seeds import expand

        if self.preset is None:
            return expand([self.config], self.seeds)
        return preset_configs(self.preset, self.quick, self.seeds, **self.overrides) if self.preset.runs else []


def plan_runs(args: argparse.Namespace, overrides: dict[str, Any] | None = None) -> RunPlan:
    """The runs the options ask for, every setting checked (a one-line CLIError otherwise)."""
    from optilab import training

    overrides = _overrides(args) if overrides is None else overrides
    preset = None
    if args.preset:
        try:
            preset = training.get(args.preset)
        except ValueError as exc:
            raise CLIError.of(exc) from None
    config = None
    try:
        if preset is not None:
            preset.configs(args.quick, **overrides) if preset.runs else None
        else:
            config = training.RunConfig().replace(**overrides)
            if args.quick and "iterations" not in overrides and "epochs" not in overrides:
                config = config.replace(iterations=100, train_size=config.train_size or 2000)
    except (ValueError, TypeError) as exc:
        raise CLIError.of(exc) from None
    seeds = parse_setting("--seeds", SEEDS, args.seeds) if getattr(args, "seeds", None) is not None else 1
    jobs = getattr(args, "jobs", 1)   # `optilab train` has --jobs (default: the cores); the others train serially
    jobs = default_jobs() if jobs is None else parse_setting("--jobs", JOBS, str(jobs))
    plan = RunPlan(preset, config, overrides, bool(args.quick), int(seeds), int(jobs))
    try:
        _ = plan.configs              # the seeds expanded: a seed beyond its bound is refused here
    except (ValueError, TypeError) as exc:
        raise CLIError.of(exc) from None
    return plan


def load_dataset(args: argparse.Namespace, plan: RunPlan) -> Any:
    """The MNIST data the runs train on (None for presets that need none), every run checked
    against it and the memory before any starts; its source noted on stderr."""
    from optilab import data as datamod

    table = table_dataset(args, plan.preset)
    if table is not None:
        _check_runs(plan.configs, table, plan.jobs)
        print(f"data: {table.source}", file=sys.stderr)
        return table
    if plan.preset is not None and not plan.preset.needs_mnist:
        return None
    try:
        dataset = datamod.load(args.data_dir, sample=args.sample)
    except datamod.DataError as exc:
        raise CLIError.of(exc) from None
    _check_runs(plan.configs, dataset, plan.jobs)
    print(f"data: {dataset.source}", file=sys.stderr)
    if dataset.is_sample:
        print("note: this is the bundled sample; 'optilab mnist download' fetches the full 60,000-image set",
              file=sys.stderr)
    return dataset


def train_runs(plan: RunPlan, dataset: Any, bar: Progress, jobs: int = 1) -> tuple[Any, list[Any]]:
    """Train the plan's runs with ``bar`` showing progress: ``(experiment or None, results)``."""
    from optilab import training
    from optilab.training.experiments import run_configs

    try:
        if plan.preset is None:
            configs = plan.configs
            trainer = training.Trainer(plan.config, dataset)
            bar.start(plan.config.label, trainer.total_iterations * len(configs))
            return None, run_configs(configs, dataset, [bar], jobs)[0]
        exp = _run_preset(plan, dataset, bar, jobs)
        return exp, exp.runs
    except ValueError as exc:          # settings that do not fit the data or the memory
        raise CLIError.of(exc) from None
    except MemoryError:
        raise CLIError(OUT_OF_MEMORY()) from None
    finally:
        bar.close()


def _check_runs(configs: list[Any], dataset: Any, jobs: int = 1) -> None:
    """Every run fits its data (the validation split) and the memory available (``jobs`` of them
    at once), before any starts."""
    from optilab.training.trainer import check_memory

    try:
        for config in configs:
            check_memory(config, dataset, runs=max(min(jobs, len(configs)), 1))
    except ValueError as exc:
        raise CLIError.of(exc) from None


def _run_preset(plan: RunPlan, dataset: Any, bar: Progress, jobs: int) -> Any:
    from optilab import training

    preset, configs = plan.preset, plan.configs
    if configs:
        lengths = {}                  # the runs differ in seed, η or λ: one Trainer per shape of run
        for c in configs:
            key = repr(c.replace(seed=0, label="", hparams={}, weight_decay=0.0))
            if key not in lengths:
                lengths[key] = training.Trainer(c, dataset).total_iterations
        total = sum(lengths[repr(c.replace(seed=0, label="", hparams={}, weight_decay=0.0))] for c in configs)
        n = preset.option("trials", plan.quick) if preset.kind == "random-search" else 0
        bar.start(f"{preset.name} ({n} trials)" if n else preset.name, total)
    return training.run_preset(preset.name, dataset, quick=plan.quick, observers=[bar], n_jobs=jobs,
                               seeds=plan.seeds, **plan.overrides)


def _overrides(args: argparse.Namespace) -> dict[str, Any]:
    from optilab import optim

    o: dict[str, Any] = {}
    if args.optimizer:
        try:
            name, hparams = optim.parse_spec(args.optimizer)
            optim.check_network(name)      # Newton, L-BFGS: the 2-D surfaces only
        except ValueError as exc:
            raise CLIError(BAD_OPTIMIZER_SPEC(spec=repr(args.optimizer), reason=messages.of(exc))) from None
        o["optimizer"], o["hparams"], o["label"] = name, hparams, name
    if args.schedule:
        name, _, rest = args.schedule.partition(":")
        sargs: dict[str, Any] = {}
        for item in filter(None, (s.strip() for s in rest.split(","))):
            key, eq, value = item.partition("=")
            if not eq:
                raise CLIError(BAD_SCHEDULE_ITEM(spec=repr(args.schedule)))
            sargs[key.strip()] = parse_float("--schedule", value)
        o["schedule"], o["schedule_args"] = name.strip(), sargs
    if args.init is not None:
        text = args.init.strip().lower()
        named = SETTINGS["init"].rule.convert(text)
        o["init"] = named if named is not None else parse_float("--init", text)
    if args.activation:
        o["activation"] = args.activation
    if args.hidden is not None:
        try:
            o["hidden"] = parse_hidden(args.hidden, "--hidden")
        except messages.OptilabError as exc:
            raise CLIError.of(exc) from None
    if args.batchnorm:
        o["batchnorm"] = True
    if args.augment:
        o["augment"] = True
    for attr, key in _SETTING_OPTIONS.items():
        text = getattr(args, attr)
        if text is not None:
            o[key] = parse_setting("--" + attr.replace("_", "-"), SETTINGS[key], text)
    if args.iterations is not None:
        o["epochs"] = None
    if args.epochs is not None:
        o["iterations"] = None
    return o


def groups(results: list[Any]) -> list[Any]:
    """The groups of runs repeated over several seeds (`seeds.group`)."""
    from optilab.training.seeds import group

    return [g for g in group(results) if len(g.results) > 1]


def _spread(s: Any, pct: bool = False) -> str:
    """``mean ± sd`` of a `seeds.Spread` ("–" when nothing was measured)."""
    if not s.n:
        return "–"
    return f"{100 * s.mean:.1f} ± {100 * s.sd:.1f} %" if pct else f"{s.mean:.4f} ± {s.sd:.4f}"


def _pct(v: float | None) -> str:
    return "–" if v is None else f"{100 * v:.1f} %"


def _num(v: float | None) -> str:
    return "–" if v is None else f"{v:.4f}"


def _print_histograms(exp: Any) -> None:
    import numpy as np

    print("activation statistics per layer (share of outputs near 0 / middle / near 1 or max):")
    for (act, init), layers in exp.histograms.items():
        parts = []
        for a in layers:
            lo, hi = float(np.min(a)), float(np.max(a))
            span = hi - lo or 1.0
            frac_lo = float(np.mean(a < lo + 0.1 * span))
            frac_hi = float(np.mean(a > hi - 0.1 * span))
            parts.append(f"{100 * frac_lo:3.0f}/{100 * (1 - frac_lo - frac_hi):3.0f}/{100 * frac_hi:3.0f}")
        print(f"  {act:8s} init {init:7s}: " + "  ".join(parts))


class Progress:
    """A one-line progress bar on stderr: done/total, rate and ETA; an observer of training steps.

    ``start(label, total, unit)`` begins a bar; training steps (`optilab.training.Step`)
    advance it with their loss shown, ``advance(done)`` moves it for other work (the
    landscape's grid points); ``close()`` ends the line.
    """

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled and sys.stderr is not None
        self.total = 0
        self.done = 0
        self.t0 = time.perf_counter()
        self.last_draw = 0.0
        self.label = ""
        self.unit = "it"
        self.drawn = False

    def start(self, label: str, total: int, unit: str = "it") -> None:
        self.label, self.total, self.done, self.unit = label, max(total, 1), 0, unit
        self.t0 = time.perf_counter()

    def __call__(self, record: Any) -> None:
        from optilab.training import Step

        if type(record) is not Step:
            return
        self.advance(self.done + 1, f"  loss {record.loss:.4f}")

    def advance(self, done: int, tail: str = "", total: int | None = None) -> None:
        """``done`` of ``total`` (the one given here, else the one started with) finished;
        redrawn at most every 0.2 s, and at the end."""
        self.done = done
        if total is not None:
            self.total = max(total, 1)
        now = time.perf_counter()
        if self.enabled and (now - self.last_draw > 0.2 or self.done == self.total):
            self.last_draw = now
            rate = self.done / max(now - self.t0, 1e-9)
            eta = max(self.total - self.done, 0) / rate if rate > 0 else float("inf")
            frac = min(self.done / self.total, 1.0)
            bar = "#" * int(frac * 24)
            sys.stderr.write(f"\r{self.label[:28]:28s} [{bar:24s}] {self.done}/{self.total} "
                             f"{rate:6.1f} {self.unit}/s  ETA {_eta(eta)}{tail} ")
            sys.stderr.flush()
            self.drawn = True

    def close(self) -> None:
        """End the bar's line (if one was drawn); the next ``start`` draws a new one."""
        if self.enabled and self.drawn:
            sys.stderr.write("\n")
            sys.stderr.flush()
        self.drawn = False


def _eta(seconds: float) -> str:
    if not math.isfinite(seconds):
        return "--:--"
    m, s = divmod(int(seconds), 60)
    h, m = divmod(m, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m:02d}:{s:02d}"
