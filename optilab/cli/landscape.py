"""``optilab landscape``: train a run (or a preset's runs) and write its loss landscape (docs/landscape.md).

The runs are set up, checked and trained by ``optilab train``'s own pieces
(`train.add_run_options`, `plan_runs`, `load_dataset`, `train_runs`, its
`Progress` bar); the slice is `optilab.landscape.compute` (Li et al. 2018),
written by `optilab.landscape.files`.  Every option and output path is
checked before any training, so a bad one costs no run.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from optilab import messages
from optilab.cli.common import CLIError, check_output, parse_setting, write_file
from optilab.cli.train import (
    EXIT_DIVERGED,
    Progress,
    add_run_options,
    divergence_exit,
    load_dataset,
    plan_runs,
    train_runs,
)

NOT_RUNS = messages.declare(
    "cli.landscape_not_runs",
    "--preset {name}: this experiment trains no MNIST networks to share a plane ({kind}); "
    "choose one of: {choices}")
PATH_NEEDS_PCA = messages.declare(
    "cli.landscape_path_needs_pca",
    "--path-csv needs --directions pca: random directions are not fitted to the trajectory, so there is no path "
    "to write")
PCA_SUMMARY = messages.declare(
    "cli.landscape_pca_summary", "PCA directions explain {first} % + {second} % of the trajectory's variance")
RANDOM_SUMMARY = messages.declare(
    "cli.landscape_random_summary", "filter-normalised random directions (seed {seed})")
CENTER_SUMMARY = messages.declare(
    "cli.landscape_center", "centre loss L(θ*) = {loss} on {count} images (--subset {subset})")
#: The landscape's options: option → its `optilab.landscape.SETTINGS` key and metavar.
_OPTIONS = {"grid": "N", "span": "S", "directions": "random|pca", "samples": "K",
            "subset": "train|test", "bias_bn": "zero|keep", "bn_stats": "recompute|keep"}


def register(sub: argparse._SubParsersAction) -> None:
    from optilab.landscape import SETTINGS, LandscapeOptions, files

    defaults = LandscapeOptions()
    p = sub.add_parser(
        "landscape",
        help="train a run and write its loss landscape (the loss on a plane through its weights)",
        description=(
            "Train the configured run (the options of 'optilab train'), or with --preset every run of "
            "an experiment from the same seed, then sample the loss L(θ* + αδ + βη) on an N×N grid "
            "through the final weights θ* of the (first) run, after Li et al., 'Visualizing the Loss "
            "Landscape of Neural Nets' (NeurIPS 2018). With --directions pca, δ and η are the first "
            "two principal components of the recorded weights (one shared plane for all runs, whose "
            "paths --path-csv writes); with random, filter-normalised random directions seeded by "
            "--seed. CSV columns: alpha,beta,loss, one row per grid point (alpha outer, beta inner). "
            "NPZ arrays: alphas, betas, loss (N×N, loss[i,j] at alphas[i], betas[j]), explained, "
            "center_loss, title, options (JSON), run_labels, path_K_iteration/alpha/beta/loss. "
            "Path CSV columns: run,iteration,alpha,beta,loss (the loss of the recorded weights)."
        ),
        epilog=(
            "examples:\n"
            "  optilab landscape --sample --optimizer adam:lr=0.001 --iterations 500 -o slice.csv "
            "--path-csv path.csv\n"
            "  optilab landscape --preset optimizer-compare --grid 31 --format npz -o compare.npz\n"
            "  optilab landscape --sample --directions random --span 0.5 -o random.csv\n"
            "exit codes: 0 done, 2 bad option, data or output path, or not enough memory, "
            f"{EXIT_DIVERGED} a run diverged"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_run_options(p)
    for key, metavar in _OPTIONS.items():
        setting = SETTINGS[key]
        p.add_argument("--" + key.replace("_", "-"), metavar=metavar,
                       help=f"{setting.description} (default {getattr(defaults, key)})")
    p.add_argument("--format", choices=tuple(files.FORMATS),
                   help="file format of the slice (default: npz when FILE ends in .npz, else csv)")
    p.add_argument("-o", "--output", metavar="FILE", required=True,
                   help="write the slice to FILE ('-': standard output)")
    p.add_argument("--path-csv", metavar="FILE",
                   help="also write the projected paths (run,iteration,alpha,beta,loss); pca only")
    p.set_defaults(func=_main)


def _options(args: argparse.Namespace, seed: int) -> Any:
    """The `LandscapeOptions` the options ask for, each read by its declared setting."""
    from optilab.landscape import SETTINGS, LandscapeOptions

    given = {key: parse_setting("--" + key.replace("_", "-"), SETTINGS[key], getattr(args, key))
             for key in _OPTIONS if getattr(args, key) is not None}
    return LandscapeOptions(**given, seed=seed)


def _main(args: argparse.Namespace) -> int:
    from optilab import training
    from optilab.landscape import compute, files

    plan = plan_runs(args)
    options = _options(args, plan.configs[0].seed if plan.configs else 0)
    if args.path_csv is not None and options.directions != "pca":
        raise CLIError(PATH_NEEDS_PCA())
    for output in (args.output, args.path_csv):   # before the work, so a bad path loses no run
        check_output(output)
    if plan.preset is not None and plan.preset.kind != "runs":
        runs = ", ".join(n for n in training.names() if training.get(n).kind == "runs")
        raise CLIError(NOT_RUNS(name=plan.preset.name, kind=plan.preset.kind, choices=runs))
    dataset = load_dataset(args, plan)
    bar = Progress(enabled=not args.quiet)
    exp, results = train_runs(plan, dataset, bar)
    if divergence_exit(exp, results):   # a fault: no landscape of a run that blew up
        return EXIT_DIVERGED

    n = options.grid
    bar.start(f"landscape {n}×{n}", n * n, unit="pt")
    try:
        landscape = compute(results, dataset, options, progress=lambda done, total: bar.advance(done, total=total),
                            title=plan.preset.name if plan.preset is not None else None)
    except messages.OptilabError as exc:
        raise CLIError.of(exc) from None
    finally:
        bar.close()
    _summary(landscape, results[0].config, dataset)
    write_file(args.output, files.FORMATS[args.format or _format_of(args.output)](landscape))
    if args.path_csv is not None:
        write_file(args.path_csv, files.path_csv(landscape).encode("utf-8"))
    return 0


def _format_of(path: str) -> str:
    """The format a file name asks for: npz for "….npz", csv otherwise."""
    return "npz" if path.lower().endswith(".npz") else "csv"


def _summary(landscape: Any, config: Any, dataset: Any) -> None:
    """The stderr lines that say what the plane is and the loss at its centre."""
    from optilab.landscape import evaluation_images

    options = landscape.options
    if landscape.explained is not None:
        first, second = (f"{100 * v:.1f}" for v in landscape.explained)
        print(PCA_SUMMARY(first=first, second=second), file=sys.stderr)
    else:
        print(RANDOM_SUMMARY(seed=options.seed), file=sys.stderr)
    count = len(evaluation_images(config, dataset, options)[1])
    print(CENTER_SUMMARY(loss=f"{landscape.center_loss:.4f}", count=f"{count:,}", subset=options.subset),
          file=sys.stderr)
