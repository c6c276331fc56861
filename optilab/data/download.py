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
import os
import tempfile
import time
import urllib.error
import urllib.request
import zlib
from pathlib import Path
from typing import Callable, Iterable

from optilab import __version__
from optilab.data.errors import DataError, DownloadCancelled
from optilab.data.files import FILES, SHA256
from optilab.data.sources import cache_dir

#: Public mirrors tried in turn when no mirror is given.
DEFAULT_MIRRORS: tuple[str, ...] = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
    "http://yann.lecun.com/exdb/mnist/",
)

#: progress(file_name, bytes_done, bytes_total_or_None, rate_bytes_per_s)
ProgressCallback = Callable[[str, int, "int | None", float], None]

_CHUNK = 64 * 1024


class _FetchFailed(Exception):
    """One mirror failed for one file; ``str()`` is the reason."""


class _WriteFailed(Exception):
    """The temporary file could not be written (disk full, permissions)."""

    def __init__(self, error: OSError) -> None:
        super().__init__(error.strerror or str(error))


def sha256_of_gzip(path: str | os.PathLike[str]) -> str:
    """sha256 of the uncompressed content of a gzip file, read in chunks.

    Raises ``gzip.BadGzipFile``, ``EOFError`` or ``zlib.error`` when the file
    is not gzip or is corrupt (CRC, truncation).
    """
    digest = hashlib.sha256()
    with gzip.open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def is_verified(path: Path, name: str) -> bool:
    """True when ``path`` exists and its uncompressed sha256 is ``SHA256[name]``."""
    if not path.is_file():
        return False
    try:
        if path.suffix == ".gz":
            return sha256_of_gzip(path) == SHA256[name]
        digest = hashlib.sha256()
        with open(path, "rb") as fh:
            while chunk := fh.read(1 << 20):
                digest.update(chunk)
        return digest.hexdigest() == SHA256[name]
    except (OSError, EOFError, zlib.error):
        return False


def _mirror_list(mirrors: str | Iterable[str] | None) -> list[str]:
    if mirrors is None:
        items = list(DEFAULT_MIRRORS)
    elif isinstance(mirrors, str):
        items = [mirrors]
    else:
        items = list(mirrors)
    if not items:
        raise DataError("no mirror to download MNIST from; give one with --mirror URL")
    return [m if m.endswith("/") else m + "/" for m in items]


def _fetch(url: str, folder: Path, file_name: str, name: str, progress: ProgressCallback | None,
           cancel: Callable[[], bool] | None, timeout: float) -> None:
    """Download ``url`` to ``folder/file_name`` via a temporary file; verify; rename."""
    fd, tmp_name = tempfile.mkstemp(prefix=f".{file_name}.", suffix=".part", dir=folder)
    tmp = Path(tmp_name)
    try:
        total: int | None = None
        done = 0
        with os.fdopen(fd, "wb") as out:
            request = urllib.request.Request(url, headers={"User-Agent": f"optilab/{__version__}"})
            try:
                with urllib.request.urlopen(request, timeout=timeout) as response:
                    length = response.headers.get("Content-Length")
                    total = int(length) if length and length.isdigit() else None
                    start = time.monotonic()
                    if progress is not None:
                        progress(file_name, 0, total, 0.0)
                    while True:
                        if cancel is not None and cancel():
                            raise DownloadCancelled(
                                f"download of {file_name} cancelled; nothing was kept, run it again to resume",
                                folder / file_name,
                            )
                        chunk = response.read(_CHUNK)
                        if not chunk:
                            break
                        try:
                            out.write(chunk)
                        except OSError as exc:
                            raise _WriteFailed(exc) from None
                        done += len(chunk)
                        if progress is not None:
                            elapsed = time.monotonic() - start
                            progress(file_name, done, total, done / elapsed if elapsed > 0 else 0.0)
            except urllib.error.HTTPError as exc:
                raise _FetchFailed(f"HTTP error {exc.code} ({exc.reason})") from None
            except urllib.error.URLError as exc:
                if isinstance(exc.reason, TimeoutError):
                    raise _FetchFailed(f"no answer within {timeout:g} s") from None
                raise _FetchFailed(f"cannot connect ({exc.reason})") from None
            except TimeoutError:
                raise _FetchFailed(f"stalled: no data for {timeout:g} s after {done} bytes") from None
            except http.client.IncompleteRead as exc:
                raise _FetchFailed(
                    f"truncated: got {done + len(exc.partial)} of {total if total is not None else '?'} bytes"
                ) from None
            except (OSError, http.client.HTTPException) as exc:
                raise _FetchFailed(f"connection failed ({exc})") from None
        if total is not None and done != total:
            raise _FetchFailed(f"truncated: got {done} of {total} bytes")
        try:
            digest = sha256_of_gzip(tmp)
        except gzip.BadGzipFile as exc:
            raise _FetchFailed(f"not a valid gzip file ({exc})") from None
        except (EOFError, zlib.error) as exc:
            raise _FetchFailed(f"corrupt gzip data ({exc})") from None
        if digest != SHA256[name]:
            raise _FetchFailed("sha256 mismatch")
        os.replace(tmp, folder / file_name)
    finally:
        try:
            tmp.unlink()
        except FileNotFoundError:
            pass


def download(
    dest: str | os.PathLike[str] | None = None,
    mirrors: str | Iterable[str] | None = None,
    progress: ProgressCallback | None = None,
    cancel: Callable[[], bool] | None = None,
    timeout: float = 30,
) -> Path:
    """Download the four MNIST ``.gz`` files into ``dest`` (default :func:`cache_dir`).

    For each file the mirrors are tried in turn (``mirrors``: one URL or a
    list; default :data:`DEFAULT_MIRRORS`).  Files already present and
    verified are skipped.  ``progress(file, done, total_or_None, rate)`` is
    called for every chunk; ``cancel()`` is polled between chunks and, when
    it returns True, stops with :class:`DownloadCancelled`.  ``timeout`` is
    the socket timeout in seconds (a stalled server fails after it).

    Returns the destination folder.  Raises DataError naming the file and
    each mirror tried when no mirror delivers a correct copy.
    """
    folder = Path(dest).expanduser() if dest is not None else cache_dir()
    mirror_list = _mirror_list(mirrors)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DataError(f"{folder}: cannot create the folder ({exc.strerror or exc}); choose a folder you can write to",
                        folder) from None
    for name in FILES:
        file_name = f"{name}.gz"
        final = folder / file_name
        if is_verified(final, name):
            if progress is not None:
                size = final.stat().st_size
                progress(file_name, size, size, 0.0)
            continue
        if cancel is not None and cancel():
            raise DownloadCancelled(f"download of {file_name} cancelled; nothing was kept, run it again to resume", final)
        failures: list[str] = []
        for mirror in mirror_list:
            url = mirror + file_name
            try:
                _fetch(url, folder, file_name, name, progress, cancel, timeout)
            except _FetchFailed as exc:
                failures.append(f"{exc} from {url}")
                continue
            except _WriteFailed as exc:
                raise DataError(f"{final}: cannot write ({exc}); free some space or choose another folder",
                                final) from None
            except OSError as exc:  # creating or renaming in the destination folder
                raise DataError(f"{final}: cannot write ({exc.strerror or exc}); choose a folder you can write to",
                                final) from None
            break
        else:
            raise DataError(f"could not download {file_name}: {'; '.join(failures)}; try another --mirror", final)
    return folder
