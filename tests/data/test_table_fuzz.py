"""The CSV reader fuzzed: any bytes give a table or one clear line (a DataError), never another exception."""

from __future__ import annotations

import gzip

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from optilab.data import DataError
from optilab.data.csv_table import gunzip
from optilab.data.table import TableData, from_bytes

CELLS = st.sampled_from(["1", "-2.5", ".5e3", "", "NA", "nan", "abc", "1e999", "inf", '"', '"a,b"', " 3 ",
                         "\x00", "é", "y", "1_0", "0x10", "\r", "\n"])


def _check(data: bytes, target: str = "y") -> None:
    try:
        table = from_bytes(data, target, where="fuzz.csv")
    except DataError as exc:
        text = str(exc)
        assert text and "\n" not in text and text.startswith("fuzz.csv: ")
        return
    assert isinstance(table, TableData)
    for x in (table.x_train, table.x_val, table.x_test):
        assert np.all(np.isfinite(x))
    assert table.n_train >= 1 and table.n_val >= 1 and table.n_test >= 1


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_any_bytes_give_a_table_or_one_clear_line(data):
    _check(data)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(CELLS, min_size=1, max_size=4), min_size=0, max_size=14),
       st.sampled_from([",", ";", "\t"]))
def test_csv_like_text_gives_a_table_or_one_clear_line(rows, sep):
    text = "a" + sep + "y\n" + "\n".join(sep.join(r) for r in rows)
    _check(text.encode("utf-8"))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.floats(-1e6, 1e6), st.floats(-1e6, 1e6), st.floats(-1e3, 1e3)), min_size=10,
                max_size=30))
def test_numeric_tables_either_load_or_name_a_constant_column(rows):
    text = "a,b,y\n" + "".join(f"{a!r},{b!r},{y!r}\n" for a, b, y in rows)
    _check(text.encode())


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=200))
def test_any_bytes_as_gzip_give_bytes_or_one_clear_line(data):
    for blob in (data, gzip.compress(data)[: len(data) % 40 + 10]):
        try:
            gunzip(blob, "fuzz.csv.gz")
        except DataError as exc:
            assert "\n" not in str(exc)
