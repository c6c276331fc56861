"""Atomic file writes: fill a temporary file beside the target, then rename.

A crash, a full disk or a failed export never leaves a half-written file
under the final name, and never destroys the previous one.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Callable


class AtomicWriteError(OSError):
    """The writer produced nothing (returned False or left an empty file)."""


def write_atomic(path: str | os.PathLike[str], write: Callable[[Path], object]) -> Path:
    """Call ``write(tmp)`` to fill a temporary file beside ``path``, then rename it to ``path``.

    The temporary file keeps ``path``'s suffix (Qt and pyqtgraph pick a
    format from it).  ``write`` returning False, or leaving the file empty,
    raises `AtomicWriteError`; any error removes the temporary file.
    """
    target = Path(path)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=target.suffix or ".tmp",
                                    dir=target.parent if str(target.parent) else ".")
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        if write(tmp) is False or not tmp.exists() or tmp.stat().st_size == 0:
            raise AtomicWriteError(f"could not write {target}")
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target


def write_text_atomic(path: str | os.PathLike[str], text: str) -> Path:
    """Write ``text`` as UTF-8, atomically."""
    return write_atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8", newline=""))


def write_bytes_atomic(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data``, atomically."""
    return write_atomic(path, lambda tmp: tmp.write_bytes(data))
