"""Atomic file writes: fill a temporary file beside the target, then rename.

A crash, a full disk or a failed export never leaves a half-written file
under the final name, and never destroys the previous one.  What is at the
path is respected:

* a symbolic link (or a chain of them) is written *through*: the temporary
  file goes beside the final target, which it replaces; the link stays a
  link.  A dangling link creates the file it points to (as ``echo > link``
  does), provided that file's folder exists.
* anything that is not a regular file (a folder, a FIFO, a device, a
  socket) is refused with `WriteError` before anything is opened, so a FIFO
  never blocks and ``/dev/full`` or ``/dev/null`` is never replaced.
* a new file gets the usual permissions (``0o666`` less the umask); an
  existing file keeps its mode, and its owner where the system allows.

Temporary files are named ``.{name}.optilab-tmp-{pid}-{token}{suffix}``.
One left by a writer that was killed (SIGKILL cannot be caught) is removed at
the next write of the same target, once its writer process is gone and the
file has not changed for `STALE_SECONDS`.

Every failure is a `WriteError` (an `OSError`) whose text is one line naming
the file or folder, what is wrong and what to do; it carries that line as a
`Message` (``.message``, code ``fileio.*``) so `optilab.messages.of` and the
UI translate it by code.  `_FAILURES` and `_error_for` are the one place that
rule is declared; `file_kind` is the one table of what a ``st_mode`` is.
"""

from __future__ import annotations

import contextlib
import errno
import glob
import os
import re
import secrets
import stat
import sys
import time
from collections.abc import Callable
from pathlib import Path

from optilab import messages
from optilab.messages import Message

#: A temporary file of a dead writer older than this (seconds) is removed at the next write.
STALE_SECONDS = 600
_TMP_MARK = ".optilab-tmp-"
_TMP_PID = re.compile(re.escape(_TMP_MARK) + r"(\d+)-[0-9a-f]+")

#: "{path}: what is wrong; what to do", per kind of failure.
_FAILURES = {
    "not-regular": messages.declare("fileio.not_regular", "{path}: not a regular file ({kind}); choose a file name"),
    "loop": messages.declare("fileio.loop", "{path}: a loop of symbolic links; choose a file name"),
    "no-folder": messages.declare("fileio.no_folder", "{path}: no such folder; choose an existing folder"),
    "not-folder": messages.declare("fileio.not_folder", "{path}: not a folder; choose an existing folder"),
    "read-only": messages.declare("fileio.read_only", "{path}: is read-only; choose a folder you can write to"),
    "denied": messages.declare("fileio.denied", "{path}: permission denied; choose a folder you can write to"),
    "full": messages.declare(
        "fileio.full", "{path}: not enough space ({reason}); free some space or choose another folder"),
    "other": messages.declare(
        "fileio.other", "{path}: cannot write it ({reason}); choose another file name or folder"),
}
EMPTY = messages.declare("fileio.empty", "{path}: the file came out empty; try again or choose another format")
_NO_TEMP_NAME = messages.declare("fileio.no_temp_name", "no free temporary name")

#: What a ``st_mode`` is, in words (the one table; "a" included, as the sentences use it).
_KINDS = (
    (stat.S_ISREG, messages.declare("fileio.kind.regular", "a regular file")),
    (stat.S_ISDIR, messages.declare("fileio.kind.folder", "a folder")),
    (stat.S_ISFIFO, messages.declare("fileio.kind.fifo", "a FIFO")),
    (stat.S_ISCHR, messages.declare("fileio.kind.char_device", "a character device")),
    (stat.S_ISBLK, messages.declare("fileio.kind.block_device", "a block device")),
    (stat.S_ISSOCK, messages.declare("fileio.kind.socket", "a socket")),
    (stat.S_ISLNK, messages.declare("fileio.kind.link", "a symbolic link")),
)
_KIND_OTHER = messages.declare("fileio.kind.special", "a special file")
#: errno -> (kind of failure, whether the message names the folder rather than the file).
_ERRNO_KINDS = {
    errno.ENOSPC: ("full", False), errno.EDQUOT: ("full", False), errno.EFBIG: ("full", False),
    errno.EROFS: ("read-only", True), errno.EACCES: ("denied", True), errno.EPERM: ("denied", True),
    errno.ENOENT: ("no-folder", True), errno.ENOTDIR: ("not-folder", True), errno.ELOOP: ("loop", False),
    errno.EISDIR: ("not-regular", False),
}


class WriteError(OSError):
    """A file that cannot be written; ``str()`` is one line: "{path}: what is wrong; what to do".

    ``message`` is that line as a `Message`; ``strerror`` is its English text
    without the path, ``filename`` the path named.  (An OSError still, so
    ``except OSError`` around a write keeps holding.)
    """

    def __init__(self, code: int, message: Message | str, path: str | os.PathLike[str]) -> None:
        english = str(message)
        prefix = f"{path}: "
        super().__init__(code, english[len(prefix):] if english.startswith(prefix) else english, str(path))
        if isinstance(message, Message):   # a plain reason (an unpickled copy) leaves messages.of the OSError rule
            self.message = message

    def __str__(self) -> str:
        return f"{self.filename}: {self.strerror}"


class AtomicWriteError(WriteError):
    """The writer produced nothing (returned False or left an empty file)."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        super().__init__(errno.EIO, EMPTY(path=str(path)), path)


def file_kind(mode: int) -> Message:
    """What a ``st_mode`` describes, for messages: "a folder", "a FIFO", "a character device", …

    The one table of kinds of file (the data package's messages use it too);
    ``str()`` of the result is the English words.
    """
    for test, kind in _KINDS:
        if test(mode):
            return kind()
    return _KIND_OTHER()


def _error(failure: str, path: str | os.PathLike[str], code: int = errno.EINVAL, **fields: object) -> WriteError:
    return WriteError(code, _FAILURES[failure](path=str(path), **fields), path)


def _error_for(exc: OSError, target: Path) -> OSError:
    """The `WriteError` for an OSError met while writing ``target`` (others pass unchanged)."""
    if isinstance(exc, WriteError) or exc.errno is None:
        return exc
    kind, names_folder = _ERRNO_KINDS.get(exc.errno, ("other", False))
    reason = exc.strerror or os.strerror(exc.errno)
    fields: dict[str, object] = {}
    if kind == "not-regular":   # EISDIR
        fields = {"kind": _KINDS[1][1]()}
    elif kind in ("full", "other"):
        fields = {"reason": reason}
    return _error(kind, target.parent if names_folder else target, exc.errno, **fields)


def resolve_target(path: str | os.PathLike[str]) -> Path:
    """The file a write to ``path`` lands in: symlinks followed; `WriteError` if that is no regular file.

    A missing file is fine (it will be created) as long as its folder exists.
    """
    given = Path(path)
    real = Path(os.path.realpath(given))
    try:
        st = os.lstat(real)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise _error_for(exc, real) from None
    if st is not None and stat.S_ISLNK(st.st_mode):   # realpath stops inside a loop
        raise _error("loop", given, errno.ELOOP)
    if st is not None and not stat.S_ISREG(st.st_mode):
        raise _error("not-regular", given, kind=file_kind(st.st_mode))
    try:
        folder = os.stat(real.parent)
    except OSError as exc:
        raise _error_for(exc, real) from None
    if not stat.S_ISDIR(folder.st_mode):
        raise _error("not-folder", real.parent, errno.ENOTDIR)
    return real


def _remove_stale_temps(target: Path) -> None:
    """Delete temporary files of ``target`` left by writers that were killed."""
    now = time.time()
    for name in glob.glob(glob.escape(f"{target.parent}/.{target.name}{_TMP_MARK}") + "*"):
        match = _TMP_PID.search(name)
        if not match:
            continue
        try:
            st = os.lstat(name)
            if not stat.S_ISREG(st.st_mode) or now - st.st_mtime < STALE_SECONDS or writer_alive(int(match[1])):
                continue
            os.unlink(name)
        except OSError:
            continue


def writer_alive(pid: int) -> bool:
    """True unless process ``pid`` (the writer named in a temp or part file) surely does not exist.

    Always True on Windows, where ``os.kill`` would terminate the process: age decides there.
    """
    if sys.platform == "win32" or pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (OSError, OverflowError):
        return True
    return True


def _create_temp(target: Path) -> Path:
    """A new empty file beside ``target``, created with mode 0o666 less the umask."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0)
    for _ in range(100):
        tmp = target.with_name(f".{target.name}{_TMP_MARK}{os.getpid()}-{secrets.token_hex(4)}{target.suffix}")
        try:
            os.close(os.open(tmp, flags, 0o666))
        except FileExistsError:
            continue
        return tmp
    raise _error("other", target, errno.EEXIST, reason=_NO_TEMP_NAME())


def _match_owner_and_mode(tmp: Path, st: os.stat_result) -> None:
    """Give ``tmp`` the owner (where allowed) and mode of the file it replaces."""
    mine = os.stat(tmp)
    if (mine.st_uid, mine.st_gid) != (st.st_uid, st.st_gid):
        try:
            os.chown(tmp, st.st_uid, st.st_gid)
        except OSError:
            with contextlib.suppress(OSError):  # an ordinary user can still pass the group on when they belong to it
                os.chown(tmp, -1, st.st_gid)
    os.chmod(tmp, stat.S_IMODE(st.st_mode))


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: str | os.PathLike[str], write: Callable[[Path], object]) -> Path:
    """Call ``write(tmp)`` to fill a temporary file beside ``path``'s target, then rename it onto the target.

    The temporary file keeps the target's suffix (Qt and pyqtgraph pick a
    format from it).  ``write`` returning False, or leaving the file empty,
    raises `AtomicWriteError`; an OSError (full disk, read-only folder, …) is
    raised as `WriteError`; any error removes the temporary file and leaves
    the previous file untouched.  Returns ``path``.
    """
    target = resolve_target(path)
    _remove_stale_temps(target)
    try:
        tmp = _create_temp(target)
    except OSError as exc:
        raise _error_for(exc, target) from None
    try:
        if write(tmp) is False or not tmp.exists() or tmp.stat().st_size == 0:
            raise AtomicWriteError(path)
        _fsync(tmp)
        try:
            st = os.lstat(target)
        except FileNotFoundError:
            st = None
        if st is not None and not stat.S_ISREG(st.st_mode):   # swapped in while we wrote
            raise _error("not-regular", path, kind=file_kind(st.st_mode))
        if st is not None:
            _match_owner_and_mode(tmp, st)
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise _error_for(exc, target) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return Path(path)


def write_text_atomic(path: str | os.PathLike[str], text: str) -> Path:
    """Write ``text`` as UTF-8, atomically."""
    return write_atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8", newline=""))


def write_bytes_atomic(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data``, atomically."""
    return write_atomic(path, lambda tmp: tmp.write_bytes(data))
