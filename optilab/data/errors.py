"""Exceptions of the data package.

Every message names the file (or folder) it is about, says what is wrong and
what to do, on one line, so the CLI can print it as is and the UI can put it
in a message box.
"""

from __future__ import annotations

import os


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
