"""Exceptions of the data package, and the messages several of its modules share.

Every message names the file (or folder) it is about, says what is wrong and
what to do, on one line, so the CLI can print it as is and the UI can put it
in a message box.  Messages are data (`optilab.messages`): a code ``data.*``
and parameters; what to do (``data.advice.*``) is a message of its own,
nested, so a translator sees whole sentences.
"""

from __future__ import annotations

import os

from optilab import messages
from optilab.fileio import file_kind
from optilab.messages import Message, MessageSpec, OptilabError

# -- what to do (the part after "; ") ----------------------------------------------------------
REFETCH = messages.declare("data.advice.refetch", "run 'optilab mnist download' to fetch a fresh copy")
CHECK_PATH = messages.declare(
    "data.advice.check_path", "check the path, or run 'optilab mnist download' to fetch a fresh copy")
DAMAGED = messages.declare(
    "data.advice.damaged", "the file is damaged; run 'optilab mnist download' to fetch a fresh copy")
NOT_MNIST = messages.declare(
    "data.advice.not_mnist", "this is not an MNIST file; run 'optilab mnist download' to fetch a fresh copy")
DELETE_REFETCH = messages.declare(
    "data.advice.delete_refetch", "delete it and run 'optilab mnist download' to fetch a fresh copy")
FIX_LINK = messages.declare(
    "data.advice.fix_link", "fix the link, or run 'optilab mnist download' to fetch a fresh copy")
REPLACE = messages.declare(
    "data.advice.replace", "replace it with the MNIST file, or run 'optilab mnist download' to fetch a fresh copy")
PERMISSIONS = messages.declare("data.advice.permissions", "check its permissions")
WRITABLE_FOLDER = messages.declare("data.advice.writable_folder", "choose a folder you can write to")

# -- what is wrong with a path ------------------------------------------------------------------
NOT_A_FILE = messages.declare("data.not_a_file", "{path}: is {kind}, not a file; {advice}")
NOT_A_FOLDER = messages.declare("data.not_a_folder", "{path}: is {kind}, not a folder; {advice}")
BROKEN_LINK = messages.declare("data.broken_link", "{path}: is a broken symbolic link (to {target}); {advice}")
#: Reasons joined into one ("{first}; {rest}"), as a download's failures per mirror.
JOINED = messages.declare("data.joined", "{first}; {rest}")


class DataWarning(RuntimeWarning):
    """A warning whose text is a `Message` (`messages.of` returns it, so the UI translates it by code)."""

    def __init__(self, message: Message) -> None:
        super().__init__(str(message))
        self.message = message


class DataError(OptilabError):
    """A data file is missing, damaged, or cannot be fetched (an `OptilabError`: a code and parameters).

    ``path`` is the file or folder concerned (``None`` when the message
    names a download instead).  ``str()`` is always one line.  A plain
    string is accepted as the message too (its code is ``"text"``).
    """

    def __init__(self, message: Message | str, path: str | os.PathLike[str] | None = None) -> None:
        if not isinstance(message, Message):
            message = messages.TEXT(text=str(message))
        super().__init__(message)
        self.args = (" ".join(str(message).split()),)  # always one line
        self.path = path


class DownloadCancelled(DataError):
    """The user stopped a download; nothing was kept under the final name."""


def file_error(spec: MessageSpec, path: str | os.PathLike[str], advice: Message | None = None,
               cls: type[DataError] = DataError, **params: object) -> DataError:
    """The `DataError` of ``spec`` about ``path`` (``{path}`` and ``{advice}`` filled in)."""
    if advice is not None:
        params["advice"] = advice
    return cls(spec(path=str(path), **params), path)


def joined(parts: list[Message]) -> Message:
    """Several reasons as one message, "a; b; c" (each part stays a message of its own)."""
    message = parts[-1]
    for part in reversed(parts[:-1]):
        message = JOINED(first=part, rest=message)
    return message


def not_a_file(path: str | os.PathLike[str], mode: int, advice: Message) -> DataError:
    """``<path>: is <kind>, not a file; <advice>`` for a path whose ``st_mode`` is not a regular file."""
    return file_error(NOT_A_FILE, path, advice, kind=file_kind(mode))


def broken_link(path: str | os.PathLike[str]) -> DataError:
    """``<path>: is a broken symbolic link (to <target>); <advice>``."""
    return file_error(BROKEN_LINK, path, FIX_LINK(), target=os.readlink(path))


def not_a_folder(path: str | os.PathLike[str], mode: int, advice: Message) -> DataError:
    """``<path>: is <kind>, not a folder; <advice>`` for a path whose ``st_mode`` is not a directory."""
    return file_error(NOT_A_FOLDER, path, advice, kind=file_kind(mode))
