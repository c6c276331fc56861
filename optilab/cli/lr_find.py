"""``optilab lr-find``: the learning-rate range test of the configured run (docs/experiments.md#lr-find).

The run is set up and checked by ``optilab train``'s own pieces (`train.add_run_options`,
`plan_runs`, `load_dataset`, its `Progress` bar); the test is `optilab.training.lr_find`
(Smith 2015 §3.3, fast.ai's ``lr_find``).  Every option and the output path are checked before
any step, so a bad one costs nothing.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from typing import Any

from optilab import messages
from optilab.cli.common import CLIError, check_output, emit, parse_setting
from optilab.cli.train import OUT_OF_MEMORY, Progress, add_run_options, load_dataset, plan_runs

NO_PRESET = messages.declare(
    "cli.lr_find_no_preset",
    "--preset: the range test probes one run; give its settings (--optimizer, --hidden, …) instead")
#: CSV columns, exactly.
COLUMNS = ("step", "lr", "loss", "smoothed_loss")


def register(sub: argparse._SubParsersAction) -> None:
    from optilab.training.lr_find import DEFAULTS, SETTINGS

    p = sub.add_parser(
        "lr-find",
        help="the learning-rate range test: loss against a growing η, and a suggested η",
        description=(
            "Run the learning-rate range test (Smith 2015, 'Cyclical Learning Rates for Training "
            "Neural Networks', §3.3; fast.ai's lr_find) on the network and optimizer of the options "
            "of 'optilab train': η grows exponentially from --start-lr to --end-lr over --steps "
            "minibatches, one optimizer step each; the loss is recorded raw and smoothed (bias-corrected "
            "moving average, β = 0.98) and the test stops once the smoothed loss exceeds 4× its best. "
            "The run's own η and schedule are set aside; nothing is kept of the test's steps. "
            "CSV columns: step,lr,loss,smoothed_loss. JSON keys: steps, lr, loss, smoothed_loss, "
            "suggestions {steepest: {lr, why}, min_over_10: {lr, why}}, stopped_early. "
            "The suggestions are also printed on stderr."
        ),
        epilog=(
            "examples:\n"
            "  optilab lr-find --sample --optimizer adam\n"
            "  optilab lr-find --optimizer sgd --start-lr 1e-5 --end-lr 1 --steps 200 --format json -o lr.json\n"
            "exit codes: 0 done, 2 bad option, data or output path, or not enough memory"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_run_options(p)
    for key, metavar in (("start_lr", "A"), ("end_lr", "B"), ("steps", "N")):
        p.add_argument("--" + key.replace("_", "-"), metavar=metavar,
                       help=f"{SETTINGS[key].description} (default {DEFAULTS[key]:g})")
    p.add_argument("--format", choices=("csv", "json"), default="csv", help="output format (default csv)")
    p.add_argument("-o", "--output", metavar="FILE", help="write the curve to FILE (default or '-': standard output)")
    p.set_defaults(func=_main)


def _range(args: argparse.Namespace) -> tuple[float, float, int]:
    """--start-lr, --end-lr, --steps read by their declared settings, start < end."""
    from optilab.training.lr_find import DEFAULTS, SETTINGS, check_range

    given = {key: parse_setting("--" + key.replace("_", "-"), SETTINGS[key], getattr(args, key))
             for key in DEFAULTS if getattr(args, key) is not None}
    values = {**DEFAULTS, **given}
    try:
        return check_range(values["start_lr"], values["end_lr"], values["steps"])
    except messages.OptilabError as exc:
        raise CLIError.of(exc) from None


def _main(args: argparse.Namespace) -> int:
    from optilab.training.lr_find import TOO_SHORT, lr_find

    if args.preset:
        raise CLIError(NO_PRESET())
    start, end, steps = _range(args)
    plan = plan_runs(args)
    check_output(args.output)       # before the work
    dataset = load_dataset(args, plan)
    bar = Progress(enabled=not args.quiet)
    bar.start(f"lr-find {plan.config.optimizer}", steps)
    try:
        result = lr_find(plan.config, dataset, start, end, steps,
                         progress=lambda done, total: bar.advance(done, total=total))
    except ValueError as exc:
        raise CLIError.of(exc) from None
    except MemoryError:
        raise CLIError(OUT_OF_MEMORY()) from None
    finally:
        bar.close()
    if result.stop_reason is not None:
        print(f"optilab: {result.stop_reason}", file=sys.stderr)
    for suggestion in result.suggestions.values():
        print(suggestion.line(), file=sys.stderr)
    if not result.suggestions:
        print(f"optilab: {TOO_SHORT(steps=result.steps)}", file=sys.stderr)
    emit(json_text(result) if args.format == "json" else csv_text(result), args.output)
    return 0


def csv_text(result: Any) -> str:
    """The curve as CSV: step (1-based), lr, loss, smoothed_loss; one row per step run."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for i, (lr, loss, sm) in enumerate(zip(result.lrs, result.losses, result.smoothed, strict=True)):
        writer.writerow((i + 1, repr(float(lr)), repr(float(loss)), repr(float(sm))))
    return out.getvalue()


def json_text(result: Any) -> str:
    """The curve and suggestions as JSON (keys: steps, lr, loss, smoothed_loss, suggestions, stopped_early)."""
    doc = {
        "steps": result.steps,
        "lr": [float(v) for v in result.lrs],
        "loss": [float(v) for v in result.losses],
        "smoothed_loss": [float(v) for v in result.smoothed],
        "suggestions": {key: {"lr": s.lr, "why": str(s.why)} for key, s in result.suggestions.items()},
        "stopped_early": result.stopped_early,
    }
    return json.dumps(doc, indent=1) + "\n"
