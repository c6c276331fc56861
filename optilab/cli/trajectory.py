"""``optilab trajectory``: run optimizers on a surface, print every step."""

from __future__ import annotations

import argparse
import sys

from optilab import messages
from optilab.cli.common import CLIError, check_output, emit, parse_float, parse_int

#: Exit code when a run is undefined at its start (its step 0 is still written).
EXIT_UNDEFINED_START = 3

BATCH_SIZE_ONLY = messages.declare(
    "cli.batch_size_least_squares", "--batch-size applies to --surface least-squares only, not {surface}")
NOTE = messages.declare("cli.trajectory_note", "{label}: {note} (from step {first}; {count} of {steps} steps)")


def register(sub: argparse._SubParsersAction) -> None:
    from optilab import optim, surfaces

    p = sub.add_parser(
        "trajectory",
        help="run optimizers on a loss surface and print every step (CSV or JSON)",
        description=(
            "Run one or more optimizers on a 2-D loss surface and print the path they take. "
            "CSV columns: optimizer,step,x,y,loss (step 0 is the start). JSON adds each run's "
            "status and the step where it diverged, if it did."
        ),
        epilog=(
            "example: optilab trajectory --surface bowl --optimizer sgd:lr=0.95 "
            "--optimizer momentum:lr=0.1 --start -7 2 --steps 30\n"
            f"surfaces: {', '.join(surfaces.names())}, or a formula such as 'x**2 + 3*sin(y)'\n"
            f"optimizers: {', '.join(optim.names())}; settings: lr, momentum, eps, decay_rate, "
            "beta1, beta2, weight_decay, momentum_decay, bias_correction, damping (newton), history (lbfgs)\n"
            "newton (x ← x − η (H + δI)⁻¹ g, the surface's exact Hessian) and lbfgs (two-loop recursion, "
            "strong-Wolfe line search) read the surface itself: refused on a sampled (--batch-size) "
            "surface; a singular or indefinite Hessian is noted on stderr\n"
            "exit codes: 0 done (a run that diverges is a result), 2 bad option, "
            f"{EXIT_UNDEFINED_START} a run is undefined at its start (f not finite there, or far outside "
            "the surface): its step 0 is written and stderr names it"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--surface", required=True, metavar="NAME|FORMULA",
                   help="a built-in surface name or your own f(x, y)")
    p.add_argument("--optimizer", action="append", required=True, metavar="NAME[:key=value,...]",
                   help="optimizer and settings, e.g. adam:lr=0.1,beta1=0.8 (repeat for several)")
    p.add_argument("--start", nargs=2, metavar=("X", "Y"), help="start point (default: the surface's)")
    p.add_argument("--steps", default="30", metavar="N", help="number of steps (default 30)")
    p.add_argument("--batch-size", metavar="N",
                   help="least-squares only: points per sampled gradient (1: SGD; default: all, GD)")
    p.add_argument("--seed", default="0", metavar="S", help="seed of the minibatch sampling (stochastic surface)")
    p.add_argument("--format", choices=tuple(_formats()), default="csv", help="output format (default csv)")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    p.set_defaults(func=_main)


def _formats() -> dict:
    """The trajectory formats of the one export registry (`optilab.exporters`), by name."""
    from optilab import exporters

    return exporters.by_format("surface")


def _main(args: argparse.Namespace) -> int:
    from optilab import exporters, surfaces, trajectory

    check_output(args.output)
    try:
        surface = surfaces.resolve(args.surface)
    except surfaces.FormulaError as exc:
        raise CLIError(f"bad --surface formula {args.surface!r}: {exc}") from None
    except ValueError as exc:
        raise CLIError(str(exc)) from None

    if args.batch_size is not None:
        if not isinstance(surface, surfaces.LeastSquaresSurface):
            raise CLIError(BATCH_SIZE_ONLY(surface=repr(args.surface)))
        surface = surface.with_batch_size(parse_int("--batch-size", args.batch_size, 1, surface.n_points))
    start = None
    if args.start is not None:
        start = (parse_float("--start", args.start[0]), parse_float("--start", args.start[1]))
    steps = parse_int("--steps", args.steps, 0, 1_000_000)
    seed = parse_int("--seed", args.seed, 0, 2**63 - 1)
    specs = []
    for text in args.optimizer:
        try:
            specs.append(trajectory.Run.parse(text))
        except ValueError as exc:
            raise CLIError(f"--optimizer {text!r}: {exc}") from None
    try:
        runs = trajectory.run_many(surface, specs, steps=steps, seed=seed, start=start)
    except ValueError as exc:   # a method refused on this surface (trajectory.REFUSALS)
        raise CLIError.of(exc) from None
    render = _formats()[args.format].render
    assert render is not None  # by_format lists text formats only
    emit(render(exporters.Trajectories(runs, surface)), args.output)
    for tr in runs:   # Newton's singular or indefinite Hessian: one line per kind and run
        for first, count, note in tr.notes().values():
            print(f"optilab: {NOTE(label=tr.label, note=note, first=first, count=count, steps=tr.last_step)}",
                  file=sys.stderr)
    return _report_undefined_starts(runs)


def _report_undefined_starts(runs: list) -> int:
    """One stderr line per start point at which runs are undefined; the exit code."""
    import math

    by_start: dict[tuple[float, float], list] = {}
    for tr in runs:
        if tr.undefined_at_start:
            by_start.setdefault(tr.start, []).append(tr)
    for (x, y), bad in by_start.items():
        labels = ", ".join(tr.label for tr in bad)
        loss = bad[0].start_loss
        if math.isfinite(loss):
            print(f"optilab: the start ({x:g}, {y:g}) is too far outside the surface for {labels}; "
                  "choose a --start nearer the surface", file=sys.stderr)
        else:
            print(f"optilab: f(x, y) is not finite at the start ({x:g}, {y:g}) (it is {loss!r}) for {labels}; "
                  "choose another --start or formula", file=sys.stderr)
    return EXIT_UNDEFINED_START if by_start else 0
