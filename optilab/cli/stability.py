"""``optilab stability``: one run per cell of a grid of hyperparameters (docs/lessons.md#stability-maps)."""

from __future__ import annotations

import argparse
import json
import math
from typing import Any

from optilab import messages
from optilab.cli.common import CLIError, check_output, emit, parse_float, parse_setting

BAD_AXIS = messages.declare("cli.stability.bad_axis", "{option} needs KEY:LO:HI (say lr:0.001:1), got {value}")
OPTION = messages.declare("cli.stability.option", "{option}: {reason}")
UNDEFINED_START = messages.declare(
    "cli.stability.undefined_start", "f(x, y) is not finite at the start ({x}, {y}); choose another --start")


def register(sub: argparse._SubParsersAction) -> None:
    from optilab import optim, surfaces
    from optilab.stability import GRID, SECOND_AXIS, STEPS

    second = ", ".join(f"{name} {key}" for name, key in SECOND_AXIS.items())
    p = sub.add_parser(
        "stability",
        help="a stability map: one run per cell of a grid of hyperparameters (CSV or JSON)",
        description=(
            "Run one optimizer for every cell of a grid over one hyperparameter (--x) or two (--x and --y), "
            "all from one start for the same steps, and print each cell's loss after the last step and the "
            "step where it diverged. CSV columns: x,y,loss,diverged_at (y empty for a strip; loss empty "
            "for a run that diverged, diverged_at empty for one that did not)."
        ),
        epilog=(
            "example: optilab stability --surface ill-conditioned --optimizer momentum "
            "--x lr:0.01:0.8 --y momentum:0:0.95 --grid 64 --steps 200\n"
            f"surfaces: {', '.join(surfaces.names())}, or a formula such as 'x**2 + 3*sin(y)'\n"
            f"optimizers (the gradient methods): {', '.join(optim.names(network=True))}; "
            f"the usual second axis: {second}\n"
            f"--grid: {GRID.describe()}; --steps: {STEPS.describe()}\n"
            "exit codes: 0 done (cells that diverge are a result), 2 bad option"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--surface", required=True, metavar="NAME|FORMULA",
                   help="a built-in surface name or your own f(x, y)")
    p.add_argument("--optimizer", required=True, metavar="NAME[:key=value,...]",
                   help="the optimizer and the settings every cell shares, e.g. momentum:momentum=0.9")
    p.add_argument("--x", required=True, metavar="KEY:LO:HI", help="the hyperparameter along x and its range")
    p.add_argument("--y", metavar="KEY:LO:HI", help="the hyperparameter along y (none: a strip)")
    p.add_argument("--log-x", action="store_true", help="space the x values geometrically (LO > 0)")
    p.add_argument("--log-y", action="store_true", help="space the y values geometrically (LO > 0)")
    p.add_argument("--grid", required=True, metavar="N", help="cells per axis")
    p.add_argument("--steps", required=True, metavar="S", help="steps of every cell's run")
    p.add_argument("--start", nargs=2, metavar=("X", "Y"), help="start point (default: the surface's)")
    p.add_argument("--format", choices=("csv", "json"), default="csv", help="output format (default csv)")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    p.set_defaults(func=_main)


def _axis(option: str, text: str | None) -> tuple[str, float, float] | None:
    """KEY:LO:HI read (None when the option is not given)."""
    if text is None:
        return None
    parts = text.split(":")
    if len(parts) != 3 or not parts[0].strip():
        raise CLIError(BAD_AXIS(option=option, value=repr(text)))
    return parts[0].strip(), parse_float(option, parts[1]), parse_float(option, parts[2])


def _main(args: argparse.Namespace) -> int:
    from optilab import surfaces
    from optilab.stability import GRID, SAME_KEY, STEPS, axis_values, stability_map
    from optilab.trajectory import Run

    check_output(args.output)
    try:
        surface = surfaces.resolve(args.surface)
    except surfaces.FormulaError as exc:
        raise CLIError(OPTION(option="--surface", reason=messages.of(exc))) from None
    except ValueError as exc:
        raise CLIError.of(exc) from None
    try:
        spec = Run.parse(args.optimizer)
    except ValueError as exc:
        raise CLIError(OPTION(option="--optimizer", reason=messages.of(exc))) from None
    grid = parse_setting("--grid", GRID, args.grid)
    steps = parse_setting("--steps", STEPS, args.steps)
    axes: list[tuple[str, Any]] = []
    for option, text, log in (("--x", args.x, args.log_x), ("--y", args.y, args.log_y)):
        axis = _axis(option, text)
        if axis is None:
            continue
        key, low, high = axis
        try:
            axes.append((key, axis_values(spec.optimizer, key, low, high, grid, log=log)))
        except ValueError as exc:
            raise CLIError(OPTION(option=option, reason=messages.of(exc))) from None
    if len(axes) == 2 and axes[0][0] == axes[1][0]:
        raise CLIError(OPTION(option="--y", reason=SAME_KEY(key=axes[0][0])))
    start = tuple(surface.start)
    if args.start is not None:
        start = (parse_float("--start", args.start[0]), parse_float("--start", args.start[1]))
    if not surface.defined_at(*start):
        raise CLIError(UNDEFINED_START(x=f"{start[0]:g}", y=f"{start[1]:g}"))
    (x_key, xs), (y_key, ys) = axes[0], (axes[1] if len(axes) == 2 else (None, None))
    m = stability_map(surface, spec, None, x_key, xs, y_key, ys, steps=steps, start=start)
    text = _csv(m) if args.format == "csv" else _json(m, surface, (args.log_x, args.log_y))
    emit(text, args.output)
    return 0


def _cells(m: Any) -> list[tuple[float, float | None, float | None, int | None]]:
    """(x, y, loss, diverged_at) per cell, x outer; None where there is none."""
    rows = []
    for i, x in enumerate(m.x_values):
        for j in range(m.loss.shape[1]):
            y = None if m.y_values is None else float(m.y_values[j])
            loss = float(m.loss[i, j])
            at = int(m.diverged_at[i, j])
            rows.append((float(x), y, loss if math.isfinite(loss) else None, at if at >= 0 else None))
    return rows


def _csv(m: Any) -> str:
    """CSV with columns exactly ``x,y,loss,diverged_at``."""
    lines = ["x,y,loss,diverged_at"]
    for x, y, loss, at in _cells(m):
        lines.append(",".join(("" if v is None else repr(v)) for v in (x, y, loss, at)))
    return "\n".join(lines) + "\n"


def _json(m: Any, surface: Any, logs: tuple[bool, bool]) -> str:
    """JSON: the surface, optimizer, fixed settings, axes, steps, start and the cells."""
    from optilab import optim

    def axis(key: str | None, values: Any, log: bool) -> dict[str, Any] | None:
        if key is None:
            return None
        return {"key": key, "symbol": optim.symbol(key), "log": log, "values": [float(v) for v in values]}

    doc = {
        "surface": {"name": surface.name, "formula": surface.formula},
        "optimizer": m.optimizer,
        "settings": dict(m.settings),
        "x": axis(m.x_key, m.x_values, logs[0]),
        "y": axis(m.y_key, m.y_values, logs[1]),
        "steps": m.steps,
        "start": list(m.start),
        "cells": [{"x": x, "y": y, "loss": loss, "diverged_at": at} for x, y, loss, at in _cells(m)],
    }
    return json.dumps(doc, indent=1, allow_nan=False) + "\n"
