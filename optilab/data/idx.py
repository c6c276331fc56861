"""Reader for the IDX format in which MNIST is distributed.

An IDX file is a big-endian int32 magic number (``0x00000801`` for a 1-D
array of unsigned bytes such as labels, ``0x00000803`` for a 3-D one such as
images), one big-endian int32 per dimension, then the bytes in C order.  The
files are usually gzip-compressed; the reader accepts both forms and checks
every part of the header against the data it actually finds.
"""

from __future__ import annotations

import gzip
import os
import stat
import struct
import zlib
from pathlib import Path
from typing import BinaryIO

import numpy as np

from optilab import messages
from optilab.data.errors import (
    CHECK_PATH,
    DAMAGED,
    NOT_MNIST,
    PERMISSIONS,
    REFETCH,
    DataError,
    broken_link,
    file_error,
    not_a_file,
)
from optilab.data.files import MAX_ITEMS, MAX_PIXELS
from optilab.messages import Message

GZIP_MAGIC = b"\x1f\x8b"

#: magic number -> number of dimensions (only unsigned-byte arrays are MNIST)
IDX_MAGIC: dict[int, int] = {0x00000801: 1, 0x00000803: 3}

IMAGE_SHAPE = (28, 28)


#: Bytes read from disk or decompressed at a time.
_CHUNK = 1 << 20

#: Past the declared data, how much more a gzip stream is decompressed to count the excess.
_TRAILING_PROBE = 1 << 20

FILE_NOT_FOUND = messages.declare("data.file_not_found", "{path}: file not found; {advice}")
CANNOT_READ = messages.declare("data.cannot_read", "{path}: cannot read the file ({reason}); {advice}")
CORRUPT_GZIP = messages.declare("data.corrupt_gzip", "{path}: corrupt gzip data ({reason}); {advice}")
NOT_GZIP = messages.declare(
    "data.not_gzip",
    "{path}: not a gzip file (the name ends in .gz but the content is not gzip-compressed); {advice}")
TOO_SHORT = messages.declare("data.too_short", "{path}: too short to be an IDX file ({size} bytes); {advice}")
BAD_MAGIC = messages.declare(
    "data.bad_magic",
    "{path}: wrong magic number {magic}, expected an IDX file (0x00000801 for labels or 0x00000803 for images); "
    "{advice}")
HEADER_TRUNCATED = messages.declare(
    "data.header_truncated", "{path}: truncated: the header needs {need} bytes, file has {size}; {advice}")
EMPTY_ARRAY = messages.declare(
    "data.empty_array", "{path}: wrong dimensions: the header declares an empty array ({shape}); {advice}")
IMPLAUSIBLE = messages.declare(
    "data.implausible_header",
    "{path}: implausible header: it declares {shape} ({expected:,} bytes of data), more than an MNIST-format "
    "file holds (at most {max_items:,} items of {max_pixels} bytes); {advice}")
TRUNCATED = messages.declare(
    "data.truncated", "{path}: truncated: header says {expected} bytes of data, file has {actual}; {advice}")
TRAILING = messages.declare(
    "data.trailing",
    "{path}: {extra} unexpected trailing bytes: header says {expected} bytes of data, file has {actual}; {advice}")
TRAILING_MANY = messages.declare(
    "data.trailing_many",
    "{path}: more than {limit} unexpected trailing bytes: header says {expected} bytes of data; {advice}")
HOLDS_LABELS = messages.declare(
    "data.holds_labels",
    "{path}: holds labels (1-D, magic 0x00000801), expected images (magic 0x00000803); {advice}")
HOLDS_IMAGES = messages.declare(
    "data.holds_images",
    "{path}: holds images (3-D, magic 0x00000803), expected labels (magic 0x00000801); {advice}")
IMAGE_SIZE = messages.declare(
    "data.image_size", "{path}: wrong dimensions: images are {rows}×{cols} pixels, expected 28×28; {advice}")
COUNT_MISMATCH = messages.declare(
    "data.count_mismatch",
    "{images} holds {n_images} images but {labels} holds {n_labels} labels; "
    "use the images and labels of the same set (train with train, t10k with t10k)")
BAD_LABEL = messages.declare("data.bad_label", "{path}: label {label} found, MNIST labels are 0-9; {advice}")
IDX_PATH = messages.declare("data.advice.idx_path", "give the path of an IDX file")
PAIR_ORDER = messages.declare("data.advice.pair_order", "pass the images file first and the labels file second")
IMAGES_FILE = messages.declare("data.advice.images_file", "use the MNIST images file")


def _reason(exc: BaseException) -> str:
    """What the system or the gzip module said, for the parentheses of a message."""
    return getattr(exc, "strerror", None) or str(exc)


def open_regular(path: Path, advice: Message) -> BinaryIO:
    """Open ``path`` for reading, refusing anything but a regular file (without blocking on a FIFO).

    Returns a binary file object; raises DataError naming what the path is
    (missing, a folder, a FIFO, a device, a broken link).
    """
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode):
            raise not_a_file(path, st.st_mode, advice)
        fd = os.open(path, flags)
    except FileNotFoundError:
        if os.path.islink(path):
            raise broken_link(path) from None
        raise file_error(FILE_NOT_FOUND, path, CHECK_PATH()) from None
    except OSError as exc:
        raise file_error(CANNOT_READ, path, PERMISSIONS(), reason=_reason(exc)) from None
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode):  # replaced between stat and open
        os.close(fd)
        raise not_a_file(path, st.st_mode, advice)
    return os.fdopen(fd, "rb")


def _read_exact(stream, buffer: memoryview) -> int:
    """Fill ``buffer`` from ``stream`` in chunks; return how many bytes were read (less at end of file)."""
    done = 0
    while done < len(buffer):
        n = stream.readinto(buffer[done:done + _CHUNK])
        if not n:
            break
        done += n
    return done


def check_declared(path: str | os.PathLike[str], dims: tuple[int, ...]) -> int:
    """Bytes of data the header's ``dims`` declare; DataError when no MNIST-format file is that large."""
    expected = 1
    for d in dims:
        expected *= d
    if dims[0] > MAX_ITEMS or expected > MAX_ITEMS * MAX_PIXELS:
        raise file_error(IMPLAUSIBLE, path, NOT_MNIST(), shape="×".join(map(str, dims)), expected=expected,
                         max_items=MAX_ITEMS, max_pixels=MAX_PIXELS)
    return expected


def check_length(path: str | os.PathLike[str], expected: int, actual: int) -> None:
    """DataError when the data after the header is not the ``expected`` number of bytes."""
    if actual < expected:
        raise file_error(TRUNCATED, path, DAMAGED(), expected=expected, actual=actual)
    if actual > expected:
        raise file_error(TRAILING, path, DAMAGED(), extra=actual - expected, expected=expected, actual=actual)


def _read_bounded(stream, path: Path, file_size: int | None) -> bytes | bytearray:
    """The IDX content of ``stream``, never reading more than the header declares (+ a bounded probe).

    ``file_size`` is the content's size when known (raw files), so a wrong
    size is refused without reading.  Anything that is not a well-formed
    header is returned as is for :func:`parse_idx` to describe.
    """
    head = stream.read(4)
    ndim = IDX_MAGIC.get(int.from_bytes(head, "big")) if len(head) == 4 else None
    if ndim is None:
        return head
    dims_raw = stream.read(4 * ndim)
    header = head + dims_raw
    if len(dims_raw) < 4 * ndim:
        return header
    dims = struct.unpack(f">{ndim}I", dims_raw)
    if 0 in dims:
        return header
    expected = check_declared(path, dims)
    if file_size is not None:
        check_length(path, expected, file_size - len(header))
    data = bytearray(len(header) + expected)
    data[:len(header)] = header
    got = _read_exact(stream, memoryview(data)[len(header):])
    check_length(path, expected, got)
    extra = 0
    while chunk := stream.read(min(_CHUNK, _TRAILING_PROBE + 1 - extra)):  # also checks the gzip CRC at its end
        extra += len(chunk)
        if extra > _TRAILING_PROBE:
            raise file_error(TRAILING_MANY, path, DAMAGED(), limit=_TRAILING_PROBE, expected=expected)
    check_length(path, expected, expected + extra)
    return data


def read_idx_bytes(path: str | os.PathLike[str]) -> bytes | bytearray:
    """Return the uncompressed content of an IDX file (gzip or raw).

    Gzip is recognised by its magic bytes ``1f 8b``; a name ending in ``.gz``
    whose content is not gzip is an error, as it means a damaged download.
    The header is checked first (see :func:`check_declared`) and no more
    than it declares is decompressed, so a small file claiming a huge array
    (a gzip bomb) is refused at once.  Only regular files are opened.
    """
    p = Path(path)
    with open_regular(p, IDX_PATH()) as fh:
        try:
            if fh.read(2) == GZIP_MAGIC:
                fh.seek(0)
                with gzip.GzipFile(fileobj=fh, mode="rb") as stream:
                    return _read_bounded(stream, p, None)
            if p.suffix == ".gz":
                raise file_error(NOT_GZIP, p, DAMAGED())
            fh.seek(0)
            return _read_bounded(fh, p, os.fstat(fh.fileno()).st_size)
        except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
            raise file_error(CORRUPT_GZIP, p, DAMAGED(), reason=str(exc)) from None
        except OSError as exc:
            raise file_error(CANNOT_READ, p, PERMISSIONS(), reason=_reason(exc)) from None


def parse_idx(data: bytes | bytearray, path: str | os.PathLike[str] = "<bytes>") -> np.ndarray:
    """Turn uncompressed IDX content into a uint8 array (no copy).

    ``path`` is only used in error messages.
    """
    if len(data) < 4:
        raise file_error(TOO_SHORT, path, REFETCH(), size=len(data))
    magic = int.from_bytes(data[:4], "big")
    ndim = IDX_MAGIC.get(magic)
    if ndim is None:
        raise file_error(BAD_MAGIC, path, NOT_MNIST(), magic=f"0x{magic:08x}")
    header_len = 4 + 4 * ndim
    if len(data) < header_len:
        raise file_error(HEADER_TRUNCATED, path, DAMAGED(), need=header_len, size=len(data))
    dims = struct.unpack(f">{ndim}I", data[4:header_len])
    if 0 in dims:
        raise file_error(EMPTY_ARRAY, path, REFETCH(), shape="×".join(map(str, dims)))
    expected = check_declared(path, dims)
    check_length(path, expected, len(data) - header_len)
    return np.frombuffer(data, dtype=np.uint8, count=expected, offset=header_len).reshape(dims)


def read_idx(path: str | os.PathLike[str]) -> np.ndarray:
    """Read an IDX file (gzip-compressed or raw) into a uint8 array.

    Labels files give a 1-D array ``(N,)``, images files a 3-D array
    ``(N, rows, cols)``.  Raises :class:`DataError` naming the file when it
    is missing, not gzip despite its ``.gz`` name, corrupt, of the wrong
    kind (magic number), or when its size disagrees with its header.
    """
    p = Path(path)
    return parse_idx(read_idx_bytes(p), p).copy()  # writable; the copy is cheap next to gunzip


def check_pair(images: np.ndarray, labels: np.ndarray, images_path: str | os.PathLike[str],
               labels_path: str | os.PathLike[str]) -> None:
    """Check that ``images``/``labels`` form an MNIST pair; raise DataError if not."""
    if images.ndim != 3:
        raise file_error(HOLDS_LABELS, images_path, PAIR_ORDER())
    if labels.ndim != 1:
        raise file_error(HOLDS_IMAGES, labels_path, PAIR_ORDER())
    if images.shape[1:] != IMAGE_SHAPE:
        raise file_error(IMAGE_SIZE, images_path, IMAGES_FILE(), rows=images.shape[1], cols=images.shape[2])
    if len(images) != len(labels):
        raise DataError(COUNT_MISMATCH(images=str(images_path), n_images=len(images), labels=str(labels_path),
                                       n_labels=len(labels)), images_path)
    if labels.size and int(labels.max()) > 9:
        raise file_error(BAD_LABEL, labels_path, REFETCH(), label=int(labels.max()))


def load_mnist(images_path: str | os.PathLike[str],
               labels_path: str | os.PathLike[str]) -> tuple[np.ndarray, np.ndarray]:
    """Read one MNIST images/labels pair as uint8 arrays ``(N, 28, 28)`` and ``(N,)``.

    Checks each file (see :func:`read_idx`), that the images are 28×28 and
    that both files hold the same number of items.
    """
    images = read_idx(images_path)
    labels = read_idx(labels_path)
    check_pair(images, labels, images_path, labels_path)
    return images, labels
