"""A strict CSV reader for tabular data: a header, then rows of numbers (the target may be text).

The standard library's ``csv`` module splits the text (never ``eval``); every
cell is then checked here.  Whatever the bytes, :func:`parse_csv` returns a
`RawTable` or raises a one-line `DataError` that names the file, the row (as
an editor numbers lines: the header is line 1) and the column, and says what
to do.  What it refuses:

* a file missing, not a regular file, larger than `MAX_BYTES`, not UTF-8, not
  valid gzip (``.gz`` names or gzip bytes), empty, or with no header (a first
  line of numbers), an unnamed or repeated column name;
* a row with more or fewer fields than the header (blank lines are skipped);
* text in a numeric column, a missing value (empty, NA, NaN, null, ?), a
  number that is not finite (1e999, inf);
* fewer than `MIN_ROWS` data rows, more than `MAX_COLUMNS` columns.

The target column's cells are kept as text (`RawTable.target_cells`) so the
caller decides between regression (numbers) and classification (names).
"""

from __future__ import annotations

import array
import csv
import gzip
import io
import os
import re
import stat
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from optilab import messages
from optilab.data.errors import broken_link, file_error, not_a_file

#: The largest table read (uncompressed bytes): 20,640 housing rows are 1.4 MB.
MAX_BYTES = 64 * 1024 * 1024
#: Fewer data rows cannot be split into training, validation and test rows.
MIN_ROWS = 10
MAX_COLUMNS = 1000
#: Cells that mean "no value" (compared case-insensitively, spaces stripped).
MISSING_TOKENS = frozenset({"", "na", "n/a", "nan", "null", "none", "?", "-", "--"})
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")

FIX_CSV = messages.declare("data.advice.fix_csv", "fix the file in a text editor or a spreadsheet and save it as CSV")
GIVE_CSV = messages.declare("data.advice.give_csv", "give the path of a CSV file with a header line")
NO_TABLE = messages.declare("data.table.missing", "{path}: no such file; {advice}")
TOO_BIG = messages.declare(
    "data.table.too_big", "{path}: {size} is more than the {limit} a table may have; use a sample of its rows")
CANNOT_READ = messages.declare("data.table.cannot_read", "{path}: cannot read it ({reason}); check its permissions")
NOT_GZIP = messages.declare("data.table.not_gzip", "{path}: not a valid gzip file ({reason}); {advice}")
NOT_UTF8 = messages.declare(
    "data.table.not_utf8", "{path}: line {row} is not UTF-8 text; save the file as CSV in UTF-8")
EMPTY = messages.declare("data.table.empty", "{path}: the file is empty; {advice}")
NO_HEADER = messages.declare(
    "data.table.no_header", "{path}: line 1 holds numbers, not column names; add a header line naming the columns")
UNNAMED = messages.declare("data.table.unnamed", "{path}: column {index} of the header has no name; {advice}")
REPEATED = messages.declare("data.table.repeated", "{path}: column name {column} appears twice in the header; {advice}")
ONE_COLUMN = messages.declare(
    "data.table.one_column", "{path}: only one column; a table needs feature columns and a target column")
TOO_WIDE = messages.declare("data.table.too_wide", "{path}: {columns} columns, more than the {limit} a table may have")
BAD_CSV = messages.declare("data.table.bad_csv", "{path}: row {row}: {reason}; {advice}")
RAGGED = messages.declare(
    "data.table.ragged", "{path}: row {row} has {fields} fields, the header has {columns}; {advice}")
NOT_NUMBER = messages.declare(
    "data.table.not_number", "{path}: row {row}, column {column}: {value} is not a number; {advice}")
NOT_FINITE = messages.declare(
    "data.table.not_finite", "{path}: row {row}, column {column}: {value} is not a finite number; {advice}")
MISSING_VALUE = messages.declare(
    "data.table.missing_value", "{path}: row {row}, column {column}: missing value ({value}); "
    "fill it in or delete the row")
NO_TARGET = messages.declare(
    "data.table.no_target", "{path}: no column {target}; the columns are {columns}: choose the target among them")
TOO_FEW = messages.declare(
    "data.table.too_few", "{path}: {rows} data rows; a table needs at least {minimum} to split into "
    "training, validation and test rows")
NO_MEMORY = messages.declare(
    "data.table.no_memory", "{path}: not enough memory to read this table; close other programs or use fewer rows")


@dataclass(frozen=True)
class RawTable:
    """A checked CSV: ``names`` (header order), ``features`` (N, D) float64 of every column but the
    target, ``target_cells`` its N cells as text (stripped), ``lines`` the line of each row."""

    path: str
    names: tuple[str, ...]
    target: str
    features: np.ndarray
    target_cells: tuple[str, ...]
    lines: np.ndarray

    @property
    def feature_names(self) -> tuple[str, ...]:
        return tuple(n for n in self.names if n != self.target)


def read_bytes(path: str | os.PathLike[str]) -> bytes:
    """The file's bytes (gunzipped when it is gzip), after the checks of a path and of the size."""
    p = Path(path).expanduser()
    try:
        mode = p.stat().st_mode
    except OSError:
        if p.is_symlink():
            raise broken_link(p) from None
        raise file_error(NO_TABLE, p, GIVE_CSV()) from None
    if not stat.S_ISREG(mode):
        raise not_a_file(p, mode, GIVE_CSV())
    size = p.stat().st_size
    if size > MAX_BYTES:
        raise file_error(TOO_BIG, p, size=_mb(size), limit=_mb(MAX_BYTES))
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise file_error(CANNOT_READ, p, reason=exc.strerror or str(exc)) from None
    if p.suffix.lower() == ".gz" or data[:2] == b"\x1f\x8b":
        data = gunzip(data, p)
    return data


def gunzip(data: bytes, path: str | os.PathLike[str]) -> bytes:
    """``data`` decompressed, at most `MAX_BYTES` (a bigger content is refused, not read whole)."""
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as fh:
            out = fh.read(MAX_BYTES + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise file_error(NOT_GZIP, path, FIX_CSV(), reason=str(exc) or type(exc).__name__) from None
    if len(out) > MAX_BYTES:
        raise file_error(TOO_BIG, path, size=f"more than {_mb(MAX_BYTES)} uncompressed", limit=_mb(MAX_BYTES))
    return out


def _mb(n: int) -> str:
    return f"{n / 2**20:.1f} MB"


def decode(data: bytes, path: str | os.PathLike[str]) -> str:
    """UTF-8 text (a byte-order mark allowed); the line of the first bad byte otherwise."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        row = data[: exc.start].count(b"\n") + 1
        raise file_error(NOT_UTF8, path, row=row) from None


def parse_number(cell: str) -> float | None:
    """The finite or infinite float a cell writes (``1``, ``-2.5``, ``.5e3``), None when it is no number.

    Stricter than ``float()``: no ``inf``/``nan`` words, no ``1_000``, no hex.
    """
    text = cell.strip()
    return float(text) if _NUMBER.fullmatch(text) else None


def is_missing(cell: str) -> bool:
    """True for the cells that mean "no value" (`MISSING_TOKENS`)."""
    return cell.strip().lower() in MISSING_TOKENS


def parse_csv(text: str, target: str, path: str | os.PathLike[str] = "<table>") -> RawTable:
    """Check ``text`` (a CSV with a header) and return its numbers; ``target``'s cells stay text."""
    where = str(path)
    try:
        return _parse(text, target, where)
    except MemoryError:
        raise file_error(NO_MEMORY, where) from None


def _parse(text: str, target: str, where: str) -> RawTable:
    if not text.strip():
        raise file_error(EMPTY, where, GIVE_CSV())
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows = _rows(reader, where)
    try:
        header = next(rows)
    except StopIteration:
        raise file_error(EMPTY, where, GIVE_CSV()) from None
    names = _header(header[1], where)
    t_index = check_target(names, target, where)
    n_cols = len(names)
    values: array.array[float] = array.array("d")
    cells: list[str] = []
    lines: list[int] = []
    for line, row in rows:
        if len(row) != n_cols:
            raise file_error(RAGGED, where, FIX_CSV(), row=line, fields=len(row), columns=n_cols)
        for j, cell in enumerate(row):
            if j == t_index:
                if is_missing(cell):
                    raise file_error(MISSING_VALUE, where, row=line, column=repr(names[j]), value=repr(cell.strip()))
                cells.append(cell.strip())
            else:
                values.append(_number(cell, line, names[j], where))
        lines.append(line)
    if len(lines) < MIN_ROWS:
        raise file_error(TOO_FEW, where, rows=len(lines), minimum=MIN_ROWS)
    features = np.frombuffer(values, dtype=np.float64).reshape(len(lines), n_cols - 1).copy()
    return RawTable(where, names, names[t_index], features, tuple(cells), np.asarray(lines, dtype=np.int64))


def read_header(path: str | os.PathLike[str]) -> tuple[str, ...]:
    """The column names of the CSV at ``path`` (its first line; for choosing the target), checked
    as `parse_csv` checks them; a one-line `DataError` otherwise."""
    where = str(Path(path).expanduser())
    text = decode(read_bytes(path), where)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    for _line_no, row in _rows(reader, where):
        return _header(row, where)
    raise file_error(EMPTY, where, GIVE_CSV())


def check_target(names: tuple[str, ...], target: str, where: str) -> int:
    """The index of column ``target`` in ``names``; a one-line `DataError` listing the columns otherwise."""
    if target not in names:
        raise file_error(NO_TARGET, where, target=repr(target), columns=", ".join(names))
    return names.index(target)


def _rows(reader: Iterator[list[str]], where: str) -> Iterator[tuple[int, list[str]]]:
    """(line, fields) of each non-blank record; a csv.Error becomes a `DataError` naming its line."""
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise file_error(BAD_CSV, where, FIX_CSV(), row=_line(reader), reason=str(exc)) from None
        if row and any(c.strip() for c in row):
            yield _line(reader), row


def _line(reader: Iterator[list[str]]) -> int:
    """The line the csv reader has read up to (the record's last line)."""
    return int(getattr(reader, "line_num", 0))


def _header(header: list[str], where: str) -> tuple[str, ...]:
    names = tuple(c.strip() for c in header)
    if len(names) > MAX_COLUMNS:
        raise file_error(TOO_WIDE, where, columns=len(names), limit=MAX_COLUMNS)
    if all(parse_number(n) is not None for n in names):
        raise file_error(NO_HEADER, where)
    for i, name in enumerate(names, 1):
        if not name:
            raise file_error(UNNAMED, where, FIX_CSV(), index=i)
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise file_error(REPEATED, where, FIX_CSV(), column=repr(name))
        seen.add(name)
    if len(names) < 2:
        raise file_error(ONE_COLUMN, where)
    return names


def _number(cell: str, line: int, column: str, where: str) -> float:
    """The cell's value; a missing, textual or infinite cell raises its one-line `DataError`."""
    value = parse_number(cell)
    if value is None:
        if is_missing(cell):
            raise file_error(MISSING_VALUE, where, row=line, column=repr(column), value=repr(cell.strip()))
        raise file_error(NOT_NUMBER, where, FIX_CSV(), row=line, column=repr(column), value=repr(_short(cell)))
    if not np.isfinite(value):
        raise file_error(NOT_FINITE, where, FIX_CSV(), row=line, column=repr(column), value=repr(_short(cell)))
    return value


def _short(cell: str, limit: int = 40) -> str:
    text = " ".join(cell.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
