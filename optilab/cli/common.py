"""Helpers shared by the subcommands: one-line errors and safe file output."""

from __future__ import annotations

import argparse
import math
import os
import sys
from typing import NoReturn

from optilab import fileio


class CLIError(Exception):
    """A user-facing error: printed as one line, exits with ``code``."""

    def __init__(self, message: str, code: int = 2) -> None:
        super().__init__(message)
        self.code = code


class OptilabArgumentParser(argparse.ArgumentParser):
    """argparse that reports bad options in one line and exits with 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


def write_text_atomic(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` to ``path`` via a temporary file and rename.

    A crash or a full disk never leaves a half-written file under the final
    name.  Raises ``CLIError`` naming the file when it cannot be written.
    """
    try:
        fileio.write_text_atomic(path, text)
    except OSError as exc:
        raise _write_error(path, exc) from None


def _write_error(path: str | os.PathLike[str], exc: OSError) -> CLIError:
    """The one line for an OSError met checking or writing ``path``."""
    if isinstance(exc, fileio.WriteError):   # already "{path}: what is wrong; what to do"
        return CLIError(str(exc))
    return CLIError(f"cannot write {path}: {exc.strerror or exc}; choose a folder you can write to")


def check_output(path: str | os.PathLike[str] | None) -> None:
    """Before any work: CLIError (one line) unless ``path`` can be written.

    Standard output (None or "-") always can.  Otherwise the target, symlinks
    followed as the write will (`fileio.resolve_target`), must be missing or a
    regular file, and its folder must exist and be writable.  Nothing is
    created or opened.
    """
    if path is None or str(path) == "-":
        return
    try:
        target = fileio.resolve_target(path)
    except OSError as exc:
        raise _write_error(path, exc) from None
    folder = target.parent
    if not os.access(folder, os.W_OK | os.X_OK):
        read_only = hasattr(os, "statvfs") and bool(os.statvfs(folder).f_flag & getattr(os, "ST_RDONLY", 1))
        problem = "is read-only" if read_only else "permission denied"
        raise CLIError(f"{folder}: {problem}; choose a folder you can write to")


def emit(text: str, output: str | None) -> None:
    """Print ``text`` to stdout, or write it atomically to ``output``."""
    if output in (None, "-"):
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        write_text_atomic(output, text)


def parse_float(option: str, text: str) -> float:
    """A finite number from an option's text, or a one-line CLIError naming the option."""
    try:
        value = float(text)
    except ValueError:
        raise CLIError(f"{option} needs a number, got {text!r}") from None
    if not math.isfinite(value):
        raise CLIError(f"{option} needs a finite number, got {text!r}")
    return value


def parse_int(option: str, text: str, low: int, high: int) -> int:
    """A whole number in [low, high] from an option's text, or a one-line CLIError.

    Integral numbers written as floats ("100.0", "1e3") count, as in `RunConfig`.
    """
    from optilab.training.config import as_whole

    try:
        value = int(text)
    except ValueError:
        try:
            value = as_whole(float(text))
        except ValueError:
            value = None
        if value is None:
            raise CLIError(f"{option} needs a whole number, got {text!r}") from None
    if not low <= value <= high:
        raise CLIError(f"{option} must be from {low:,} to {high:,}, got {value:,}")
    return value
