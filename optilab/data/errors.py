"""Exceptions of the data package.

Every message names the file (or folder) it is about, says what is wrong and
what to do, on one line, so the CLI can print it as is and the UI can put it
in a message box.
"""

from __future__ import annotations

import os
import stat

from optilab.data.files import REFETCH_ADVICE


class DataError(Exception):
    """A data file is missing, damaged, or cannot be fetched.

    ``path`` is the file or folder concerned (``None`` when the message
    names a download instead).
    """

    def __init__(self, message: str, path: str | os.PathLike[str] | None = None) -> None:
        super().__init__(" ".join(message.split()))  # always one line
        self.path = path


class DownloadCancelled(DataError):
    """The user stopped a download; nothing was kept under the final name."""


def file_error(path: str | os.PathLike[str], problem: str, advice: str) -> DataError:
    """Build ``DataError("<path>: <problem>; <advice>")``."""
    return DataError(f"{path}: {problem}; {advice}", path)


def kind_of(mode: int) -> str:
    """What a non-regular file is, in words: ``folder``, ``FIFO (named pipe)``, ``device``, ``socket``."""
    if stat.S_ISDIR(mode):
        return "folder"
    if stat.S_ISFIFO(mode):
        return "FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISREG(mode):
        return "file"
    return "special file"


def not_a_file(path: str | os.PathLike[str], mode: int, advice: str) -> DataError:
    """``<path>: is a <kind>, not a file; <advice>`` for a path whose ``st_mode`` is not a regular file."""
    return file_error(path, f"is a {kind_of(mode)}, not a file", advice)


def broken_link(path: str | os.PathLike[str]) -> DataError:
    """``<path>: is a broken symbolic link (to <target>); <advice>``."""
    return file_error(path, f"is a broken symbolic link (to {os.readlink(path)})", f"fix the link, or {REFETCH_ADVICE}")


def not_a_folder(path: str | os.PathLike[str], mode: int, advice: str) -> DataError:
    """``<path>: is a <kind>, not a folder; <advice>`` for a path whose ``st_mode`` is not a directory."""
    return file_error(path, f"is a {kind_of(mode)}, not a folder", advice)
