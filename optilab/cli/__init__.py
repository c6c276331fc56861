"""Command-line front-end: ``optilab [SUBCOMMAND] ...``.

With no subcommand the desktop app opens.  Each subcommand lives in its own
module of this package and exposes ``register(subparsers)``, which adds its
parser and sets ``func`` to a handler ``(args) -> int`` (the exit code).

Exit codes: 0 success, 2 bad input or a fault such as running out of memory
(one line on stderr), 3 a training run diverged or a trajectory run is
undefined at its start.  Errors never print a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from optilab import __version__, messages
from optilab.cli.common import CLIError, OptilabArgumentParser

_SUBCOMMANDS = ("trajectory", "stability", "train", "landscape", "lr_find", "mnist", "install_desktop")
OUT_OF_MEMORY = messages.declare(
    "cli.out_of_memory", "ran out of memory; close other programs or ask for less (fewer steps, runs or images)")
INTERRUPTED = messages.declare("cli.interrupted", "interrupted")
NO_APP = messages.declare(
    "cli.no_app", "the desktop app is not built yet; try 'optilab --help' for the command-line tools "
    "(trajectory, stability, train, lr-find, landscape, mnist).")
MISSING_LIBRARY = messages.declare(
    "cli.missing_library", "cannot start the app, a library is missing ({name}); reinstall with: pip install optilab")


def build_parser() -> argparse.ArgumentParser:
    parser = OptilabArgumentParser(
        prog="optilab",
        description=(
            "optilab shows how neural-network optimizers and training tricks behave. "
            "Run it with no arguments to open the app; use a subcommand for scripts."
        ),
        epilog="Run 'optilab SUBCOMMAND --help' for the options of one subcommand.",
    )
    parser.add_argument("--version", action="version", version=f"optilab {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="SUBCOMMAND", parser_class=OptilabArgumentParser)
    import importlib

    for name in _SUBCOMMANDS:
        try:
            module = importlib.import_module(f"optilab.cli.{name}")
        except ModuleNotFoundError as exc:  # a subcommand still being built
            if exc.name != f"optilab.cli.{name}":
                raise
            continue
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``optilab`` command; returns the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    _one_blas_thread()
    parser = build_parser()
    if not argv:
        return _open_gui()
    args = parser.parse_args(argv)
    if getattr(args, "func", None) is None:
        return _open_gui()
    try:
        return int(args.func(args) or 0)
    except CLIError as exc:
        print(f"optilab: error: {messages.of(exc)}", file=sys.stderr)
        return exc.code
    except MemoryError:
        print(f"optilab: error: {OUT_OF_MEMORY()}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"optilab: {INTERRUPTED()}", file=sys.stderr)
        return 130


def _one_blas_thread() -> None:
    """One BLAS thread by default (see `optilab.threads`), if numpy is not loaded yet."""
    if "numpy" not in sys.modules:
        from optilab.threads import default_one_blas_thread

        default_one_blas_thread()


def _open_gui() -> int:
    from optilab.cli.display import display_problem

    problem = display_problem()
    if problem is not None:
        print(f"optilab: error: {problem}", file=sys.stderr)
        return 2
    try:
        from optilab.ui.app import run_app
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("optilab.ui"):
            print(f"optilab: {NO_APP()}")
            return 0
        print(f"optilab: error: {MISSING_LIBRARY(name=exc.name)}", file=sys.stderr)
        return 2
    return run_app()
