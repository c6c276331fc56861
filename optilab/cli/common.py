"""Helpers shared by the subcommands: one-line errors and safe file output."""

from __future__ import annotations

import argparse
import dataclasses
import math
import os
import sys
from typing import Any, NoReturn

from optilab import fileio, messages
from optilab.messages import Message
from optilab.rules import Number, Setting

CANNOT_WRITE = messages.declare("cli.cannot_write", "cannot write {path}: {reason}; choose a folder you can write to")
READ_ONLY = messages.declare("cli.read_only", "{folder}: is read-only; choose a folder you can write to")
NO_PERMISSION = messages.declare("cli.no_permission", "{folder}: permission denied; choose a folder you can write to")
NEEDS_NUMBER = messages.declare("cli.needs_number", "{option} needs a number, got {value}")
NEEDS_FINITE = messages.declare("cli.needs_finite", "{option} needs a finite number, got {value}")
NEEDS_WHOLE = messages.declare("cli.needs_whole", "{option} needs a whole number, got {value}")
OUT_OF_RANGE = messages.declare("cli.out_of_range", "{option} must be from {low} to {high}, got {value}")


class CLIError(Exception):
    """A user-facing error: printed as one line (`messages.of`), exits with ``code``.

    ``message`` is a `Message` (or, for text made elsewhere, a str).
    """

    def __init__(self, message: Message | str, code: int = 2) -> None:
        self.message = message if isinstance(message, Message) else messages.TEXT(text=message)
        super().__init__(str(self.message))
        self.code = code

    @classmethod
    def of(cls, exc: BaseException, code: int = 2) -> CLIError:
        """The CLIError that shows ``exc``'s message (the one exception-to-text rule)."""
        return cls(messages.of(exc), code)


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


def write_file(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` atomically to ``path`` ("-": standard output); a CLIError naming the file
    when it cannot be written."""
    if str(path) == "-":
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    try:
        fileio.write_bytes_atomic(path, data)
    except OSError as exc:
        raise _write_error(path, exc) from None


def _write_error(path: str | os.PathLike[str], exc: OSError) -> CLIError:
    """The one line for an OSError met checking or writing ``path``."""
    if isinstance(exc, fileio.WriteError):   # already "{path}: what is wrong; what to do"
        return CLIError.of(exc)
    return CLIError(CANNOT_WRITE(path=str(path), reason=exc.strerror or str(exc)))


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
        raise CLIError((READ_ONLY if read_only else NO_PERMISSION)(folder=str(folder)))


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
        raise CLIError(NEEDS_NUMBER(option=option, value=repr(text))) from None
    if not math.isfinite(value):
        raise CLIError(NEEDS_FINITE(option=option, value=repr(text)))
    return value


def parse_int(option: str, text: str, low: int, high: int) -> int:
    """A whole number in [low, high] from an option's text, or a one-line CLIError.

    Integral numbers written as floats ("100.0", "1e3") count, as in `RunConfig`.
    """
    value = Number(integer=True).convert(text)
    if value is None:
        raise CLIError(NEEDS_WHOLE(option=option, value=repr(text)))
    if not low <= value <= high:
        raise CLIError(OUT_OF_RANGE(option=option, low=f"{low:,}", high=f"{high:,}", value=f"{int(value):,}"))
    return int(value)


def parse_setting(option: str, setting: Setting, text: str) -> Any:
    """An option's text read and checked by its declared `Setting` (the one rule for that value);
    a one-line CLIError naming the option ("--dropout must be a number in [0, 0.95], got 2") otherwise."""
    try:
        return dataclasses.replace(setting, key=option).check(text)
    except messages.OptilabError as exc:
        raise CLIError.of(exc) from None
