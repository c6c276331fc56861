"""Download the four MNIST files with the standard library only.

Each file is streamed to a temporary file in the destination folder, its
uncompressed content is checked against :data:`optilab.data.files.SHA256`,
and only then is it renamed to its final name.  Whatever goes wrong
(truncated body, corrupt gzip, wrong hash, stalled server, cancel, Ctrl-C)
the temporary file is removed and nothing appears under the final name.
"""

from __future__ import annotations

import gzip
import hashlib
import http.client
import math
import os
import re
import stat
import tempfile
import time
import urllib.error
import urllib.request
import zlib
from collections.abc import Callable, Iterable
from pathlib import Path

from optilab import __version__, messages
from optilab.data.errors import WRITABLE_FOLDER, DataError, DownloadCancelled, file_error, joined, not_a_folder
from optilab.data.files import FILES, SHA256, SIZES, max_download_size
from optilab.data.sources import cache_dir
from optilab.fileio import writer_alive
from optilab.messages import Message

#: Public mirrors tried in turn when no mirror is given.
DEFAULT_MIRRORS: tuple[str, ...] = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
    "http://yann.lecun.com/exdb/mnist/",
)

#: progress(file_name, bytes_done, bytes_total_or_None, rate_bytes_per_s)
ProgressCallback = Callable[[str, int, "int | None", float], None]

_CHUNK = 64 * 1024

#: Largest ``timeout`` accepted, in seconds (socket timeouts beyond are meaningless).
MAX_TIMEOUT = 3600.0

#: A transfer slower than ``MIN_RATE`` bytes/s averaged over ``RATE_WINDOW`` seconds is abandoned.
MIN_RATE = 10_000.0
RATE_WINDOW = 30.0

#: A partial download untouched for this many seconds belongs to no live download.
STALE_PART_AGE = 3600.0

#: ``.<file>.<pid>.<random>.part`` (the pid is missing in names written by older versions)
_PART_NAME = re.compile(r"^\.(?P<file>.+?\.gz)\.(?:(?P<pid>\d+)\.)?[^.]*\.part$")


BAD_TIMEOUT = messages.declare(
    "data.bad_timeout", "{option} must be a number of seconds greater than 0 and at most {max}, got {value}")
NO_MIRROR = messages.declare("data.no_mirror", "no mirror to download MNIST from; give one with --mirror URL")
CANCELLED = messages.declare(
    "data.cancelled", "download of {file} cancelled; nothing was kept, run it again to resume")
CANNOT_CREATE = messages.declare(
    "data.cannot_create_folder", "{path}: cannot create the folder ({reason}); choose a folder you can write to")
CANNOT_WRITE_FULL = messages.declare(
    "data.cannot_write_full", "{path}: cannot write ({reason}); free some space or choose another folder")
CANNOT_WRITE = messages.declare(
    "data.cannot_write", "{path}: cannot write ({reason}); choose a folder you can write to")
DOWNLOAD_FAILED = messages.declare(
    "data.download_failed", "could not download {file}: {failures}; try another --mirror")
# why one mirror failed for one file
FROM_URL = messages.declare("data.fetch.from", "{reason} from {url}")
ANNOUNCES_TOO_MUCH = messages.declare(
    "data.fetch.announces_too_much",
    "the server announces {total} bytes, more than a genuine copy can be ({limit} bytes)")
SENT_TOO_MUCH = messages.declare(
    "data.fetch.sent_too_much", "the server sent more than {limit} bytes, more than a genuine copy can be")
TOO_SLOW = messages.declare(
    "data.fetch.too_slow",
    "too slow: {rate:.0f} B/s over the last {window:.0f} s, below the minimum of {min_rate:.0f} B/s")
HTTP_ERROR = messages.declare("data.fetch.http_error", "HTTP error {code} ({reason})")
NO_ANSWER = messages.declare("data.fetch.no_answer", "the server did not answer within {seconds:g} s")
CANNOT_CONNECT = messages.declare("data.fetch.cannot_connect", "cannot connect ({reason})")
STALLED = messages.declare("data.fetch.stalled", "stalled: no data for {seconds:g} s after {size} bytes")
TRUNCATED = messages.declare("data.fetch.truncated", "truncated: got {done} of {total} bytes")
CONNECTION_FAILED = messages.declare("data.fetch.connection_failed", "connection failed ({reason})")
NOT_GZIP = messages.declare("data.fetch.not_gzip", "not a valid gzip file ({reason})")
CORRUPT_GZIP = messages.declare("data.fetch.corrupt_gzip", "corrupt gzip data ({reason})")
SHA256_MISMATCH = messages.declare("data.fetch.sha256_mismatch", "sha256 mismatch")


class _FetchFailed(Exception):
    """One mirror failed for one file; ``message`` is the reason, ``str()`` its English text."""

    def __init__(self, message: Message) -> None:
        super().__init__(str(message))
        self.message = message


class _WriteFailed(Exception):
    """The temporary file could not be written (disk full, permissions)."""

    def __init__(self, error: OSError) -> None:
        super().__init__(error.strerror or str(error))


def sha256_of_gzip(path: str | os.PathLike[str], limit: int | None = None) -> str:
    """sha256 of the uncompressed content of a gzip file, read in chunks.

    With ``limit``, at most ``limit + 1`` bytes are decompressed (the digest
    of a longer file then differs from any genuine one), so a gzip bomb
    costs neither memory nor time.  Raises ``gzip.BadGzipFile``,
    ``EOFError`` or ``zlib.error`` when the file is not gzip or is corrupt.
    """
    digest = hashlib.sha256()
    left = None if limit is None else limit + 1
    with gzip.open(path, "rb") as fh:
        while left is None or left > 0:
            chunk = fh.read(1 << 20 if left is None else min(1 << 20, left))
            if not chunk:
                break
            digest.update(chunk)
            if left is not None:
                left -= len(chunk)
    return digest.hexdigest()


def is_verified(path: Path, name: str) -> bool:
    """True when ``path`` is a regular file whose uncompressed sha256 is ``SHA256[name]``."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            return False
        if path.suffix == ".gz":
            return sha256_of_gzip(path, SIZES[name]) == SHA256[name]
        digest = hashlib.sha256()
        with open(path, "rb") as fh:
            while chunk := fh.read(1 << 20):
                digest.update(chunk)
        return digest.hexdigest() == SHA256[name]
    except (OSError, EOFError, zlib.error):
        return False


def check_timeout(value: float, option: str = "timeout") -> float:
    """``value`` when it is a usable socket timeout in seconds, else DataError naming ``option``."""
    if not (isinstance(value, (int, float)) and math.isfinite(value) and 0 < value <= MAX_TIMEOUT):
        raise DataError(BAD_TIMEOUT(option=option, max=f"{MAX_TIMEOUT:g}",
                                    value=f"{value:g}" if isinstance(value, (int, float)) else repr(value)))
    return float(value)


def _part_prefix(file_name: str) -> str:
    return f".{file_name}.{os.getpid()}."


def remove_stale_parts(folder: Path) -> list[Path]:
    """Delete partial downloads left in ``folder`` by a killed download; return what was deleted.

    A ``.NAME.gz.<pid>.<random>.part`` file is stale when process ``pid`` no
    longer exists, or when nothing was written to it for :data:`STALE_PART_AGE`
    seconds (a live download writes or gives up much sooner).
    """
    removed: list[Path] = []
    names = {f"{name}.gz" for name in FILES}
    try:
        candidates = list(folder.glob(".*.part"))
    except OSError:
        return removed
    for part in candidates:
        match = _PART_NAME.match(part.name)
        if match is None or match["file"] not in names:
            continue
        try:
            age = time.time() - part.lstat().st_mtime
        except OSError:
            continue
        pid = int(match["pid"]) if match["pid"] else None
        if age > STALE_PART_AGE or (pid is not None and not writer_alive(pid)):
            try:
                part.unlink()
                removed.append(part)
            except OSError:
                pass
    return removed


def _mirror_list(mirrors: str | Iterable[str] | None) -> list[str]:
    if mirrors is None:
        items = list(DEFAULT_MIRRORS)
    elif isinstance(mirrors, str):
        items = [mirrors]
    else:
        items = list(mirrors)
    if not items:
        raise DataError(NO_MIRROR())
    return [m if m.endswith("/") else m + "/" for m in items]


def _cancelled(file_name: str, folder: Path) -> DownloadCancelled:
    return DownloadCancelled(CANCELLED(file=file_name), folder / file_name)


def _copy_body(response, out, folder: Path, file_name: str, name: str, progress: ProgressCallback | None,
               cancel: Callable[[], bool] | None, min_rate: float, window: float) -> tuple[int, int | None]:
    """Stream the body to ``out``; return ``(bytes received, Content-Length or None)``.

    Stops when the body exceeds what a genuine copy can be, or when fewer
    than ``min_rate`` bytes/s arrive over a ``window``-second span.
    """
    limit = max_download_size(name)
    length = response.headers.get("Content-Length")
    total = int(length) if length and length.isdigit() else None
    if total is not None and total > limit:
        raise _FetchFailed(ANNOUNCES_TOO_MUCH(total=total, limit=limit))
    read = getattr(response, "read1", response.read)  # read1: what has arrived, however little
    done = 0
    start = window_start = time.monotonic()
    window_done = 0
    if progress is not None:
        progress(file_name, 0, total, 0.0)
    while True:
        if cancel is not None and cancel():
            raise _cancelled(file_name, folder)
        chunk = read(min(_CHUNK, limit + 1 - done))
        if not chunk:
            if progress is not None and total is None:  # no length given: say the size received at the end
                elapsed = time.monotonic() - start
                progress(file_name, done, done, done / elapsed if elapsed > 0 else 0.0)
            return done, total
        try:
            out.write(chunk)
        except OSError as exc:
            raise _WriteFailed(exc) from None
        done += len(chunk)
        if done > limit:
            raise _FetchFailed(SENT_TOO_MUCH(limit=limit))
        now = time.monotonic()
        if progress is not None:
            elapsed = now - start
            progress(file_name, done, total, done / elapsed if elapsed > 0 else 0.0)
        if now - window_start >= window:
            rate = (done - window_done) / (now - window_start)
            if rate < min_rate:
                raise _FetchFailed(TOO_SLOW(rate=rate, window=now - window_start, min_rate=min_rate))
            window_start, window_done = now, done


def _fetch(url: str, folder: Path, file_name: str, name: str, progress: ProgressCallback | None,
           cancel: Callable[[], bool] | None, timeout: float, min_rate: float, window: float) -> None:
    """Download ``url`` to ``folder/file_name`` via a temporary file; verify; rename."""
    fd, tmp_name = tempfile.mkstemp(prefix=_part_prefix(file_name), suffix=".part", dir=folder)
    tmp = Path(tmp_name)
    try:
        total: int | None = None
        done = 0
        answered = False
        with open(fd, "wb", closefd=True) as out:
            request = urllib.request.Request(url, headers={"User-Agent": f"optilab/{__version__}"})
            try:
                with urllib.request.urlopen(request, timeout=timeout) as response:
                    answered = True
                    done, total = _copy_body(response, out, folder, file_name, name, progress, cancel, min_rate, window)
            except urllib.error.HTTPError as exc:
                raise _FetchFailed(HTTP_ERROR(code=exc.code, reason=str(exc.reason))) from None
            except urllib.error.URLError as exc:
                if isinstance(exc.reason, TimeoutError):
                    raise _FetchFailed(NO_ANSWER(seconds=timeout)) from None
                raise _FetchFailed(CANNOT_CONNECT(reason=str(exc.reason))) from None
            except TimeoutError:
                if not answered:
                    raise _FetchFailed(NO_ANSWER(seconds=timeout)) from None
                raise _FetchFailed(STALLED(seconds=timeout, size=out.tell())) from None
            except http.client.IncompleteRead as exc:
                raise _FetchFailed(TRUNCATED(done=out.tell() + len(exc.partial),
                                             total=total if total is not None else "?")) from None
            except (OSError, http.client.HTTPException) as exc:
                raise _FetchFailed(CONNECTION_FAILED(reason=str(exc))) from None
        if total is not None and done != total:
            raise _FetchFailed(TRUNCATED(done=done, total=total))
        try:
            digest = sha256_of_gzip(tmp, SIZES[name])
        except gzip.BadGzipFile as exc:
            raise _FetchFailed(NOT_GZIP(reason=str(exc))) from None
        except (EOFError, zlib.error) as exc:
            raise _FetchFailed(CORRUPT_GZIP(reason=str(exc))) from None
        if digest != SHA256[name]:
            raise _FetchFailed(SHA256_MISMATCH())
        os.replace(tmp, folder / file_name)
    finally:
        tmp.unlink(missing_ok=True)


def download(
    dest: str | os.PathLike[str] | None = None,
    mirrors: str | Iterable[str] | None = None,
    progress: ProgressCallback | None = None,
    cancel: Callable[[], bool] | None = None,
    timeout: float = 30,
    min_rate: float | None = None,
    rate_window: float | None = None,
) -> Path:
    """Download the four MNIST ``.gz`` files into ``dest`` (default :func:`cache_dir`).

    For each file the mirrors are tried in turn (``mirrors``: one URL or a
    list; default :data:`DEFAULT_MIRRORS`).  Files already present and
    verified are skipped.  ``progress(file, done, total_or_None, rate)`` is
    called for every chunk (when the server sends no length, ``total`` is
    None until a last call with ``total == done``); ``cancel()`` is polled between chunks and, when
    it returns True, stops with :class:`DownloadCancelled`.  ``timeout`` is
    the socket timeout in seconds (a stalled server fails after it; at
    most :data:`MAX_TIMEOUT`).  A transfer averaging fewer than ``min_rate``
    bytes/s over ``rate_window`` seconds (default :data:`MIN_RATE`,
    :data:`RATE_WINDOW`) is abandoned, and so is a body larger than any
    genuine copy (:func:`~optilab.data.files.max_download_size`).  Partial
    downloads left by killed runs are deleted first (:func:`remove_stale_parts`).

    Returns the destination folder.  Raises DataError naming the file and
    each mirror tried when no mirror delivers a correct copy.
    """
    folder = Path(dest).expanduser() if dest is not None else cache_dir()
    mirror_list = _mirror_list(mirrors)
    timeout = check_timeout(timeout)
    min_rate = MIN_RATE if min_rate is None else min_rate
    rate_window = RATE_WINDOW if rate_window is None else rate_window
    if not (math.isfinite(min_rate) and min_rate >= 0 and math.isfinite(rate_window) and rate_window > 0):
        raise ValueError(f"min_rate must be >= 0 and rate_window > 0, got {min_rate}, {rate_window}")
    try:
        mode = folder.stat().st_mode
    except OSError:
        mode = None
    if mode is not None and not stat.S_ISDIR(mode):
        raise not_a_folder(folder, mode, WRITABLE_FOLDER())
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise file_error(CANNOT_CREATE, folder, reason=exc.strerror or str(exc)) from None
    remove_stale_parts(folder)
    for name in FILES:
        file_name = f"{name}.gz"
        final = folder / file_name
        if is_verified(final, name):
            if progress is not None:
                size = final.stat().st_size
                progress(file_name, size, size, 0.0)
            continue
        if cancel is not None and cancel():
            raise _cancelled(file_name, folder)
        failures: list[Message] = []
        for mirror in mirror_list:
            url = mirror + file_name
            try:
                _fetch(url, folder, file_name, name, progress, cancel, timeout, min_rate, rate_window)
            except _FetchFailed as exc:
                failures.append(FROM_URL(reason=exc.message, url=url))
                continue
            except _WriteFailed as exc:
                raise file_error(CANNOT_WRITE_FULL, final, reason=str(exc)) from None
            except OSError as exc:  # creating or renaming in the destination folder
                raise file_error(CANNOT_WRITE, final, reason=exc.strerror or str(exc)) from None
            break
        else:
            raise DataError(DOWNLOAD_FAILED(file=file_name, failures=joined(failures)), final)
    return folder
