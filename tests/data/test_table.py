"""Tabular data: the strict CSV reader, the 70/15/15 split, standardisation by the training rows only,
the task, and the bundled California housing copy."""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

import numpy as np
import pytest
import tomllib

from optilab.data import DataError, csv_table
from optilab.data.table import BUNDLED, TABLES_DIR, load_bundled, load_table, open_table

ROOT = Path(__file__).resolve().parents[2]


def write(tmp_path: Path, text: str, name: str = "t.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(gzip.compress(text.encode()) if name.endswith(".gz") else text.encode())
    return path


def numbered(n: int = 40) -> str:
    """a = the row's line number, b = its square, y = a + 2b (a CSV whose values name their row)."""
    lines = ["a,b,y"] + [f"{ln},{ln * ln},{ln + 2 * ln * ln}" for ln in range(2, n + 2)]
    return "\n".join(lines) + "\n"


def test_split_is_70_15_15_disjoint_and_covers_every_row(tmp_path):
    d = load_table(write(tmp_path, numbered(100)), "y")
    assert (d.n_train, d.n_val, d.n_test) == (70, 15, 15)
    rows = np.concatenate([d.rows_train, d.rows_val, d.rows_test])
    assert sorted(rows.tolist()) == list(range(2, 102))     # header is line 1, data lines 2..101


def test_features_are_standardised_with_the_training_rows_statistics_only(tmp_path):
    d = load_table(write(tmp_path, numbered(60)), "y")
    raw = {ln: (float(ln), float(ln * ln)) for ln in range(2, 62)}       # the file's values by line
    train = np.array([raw[ln] for ln in d.rows_train.tolist()])
    val = np.array([raw[ln] for ln in d.rows_val.tolist()])
    mu = train.sum(axis=0) / len(train)                                    # by hand
    sd = np.sqrt(((train - mu) ** 2).sum(axis=0) / len(train))            # population sd, as StandardScaler
    np.testing.assert_allclose(d.mean, mu)
    np.testing.assert_allclose(d.std, sd)
    np.testing.assert_allclose(d.x_val, (val - mu) / sd)
    np.testing.assert_allclose(d.x_train.mean(axis=0), 0, atol=1e-12)
    # the validation rows' own statistics would give other numbers: nothing leaked
    assert not np.allclose(d.x_val.mean(axis=0), 0, atol=1e-3)


def test_regression_target_stays_in_its_units(tmp_path):
    d = load_table(write(tmp_path, numbered(30)), "y")
    assert d.task == "regression" and d.t_test.dtype == np.float64
    np.testing.assert_allclose(d.t_test, [ln + 2 * ln * ln for ln in d.rows_test.tolist()])


def test_the_split_follows_its_seed(tmp_path):
    path = write(tmp_path, numbered(50))
    a, b, c = load_table(path, "y"), load_table(path, "y"), load_table(path, "y", seed=1)
    assert a.rows_test.tolist() == b.rows_test.tolist() != c.rows_test.tolist()


def test_a_text_target_is_classification_with_sorted_class_ids(tmp_path):
    text = "x1,x2,kind\n" + "".join(f"{i},{i % 7},{['pear', 'apple', 'fig'][i % 3]}\n" for i in range(30))
    d = load_table(write(tmp_path, text), "kind")
    assert d.task == "classification" and d.class_names == ("apple", "fig", "pear")
    lines = d.rows_train.tolist()
    assert d.t_train.tolist() == [{"pear": 2, "apple": 0, "fig": 1}[["pear", "apple", "fig"][(ln - 2) % 3]]
                                  for ln in lines]


def test_a_numeric_target_can_be_classes_when_asked(tmp_path):
    text = "x,y\n" + "".join(f"{i},{10 if i % 2 else 2}\n" for i in range(20))
    d = load_table(write(tmp_path, text), "y", task="classification")
    assert d.class_names == ("2", "10")                         # sorted by value, not as text
    assert set(d.t_train.tolist()) <= {0, 1}


def test_gzip_and_blank_lines_and_a_byte_order_mark_are_read(tmp_path):
    text = "\ufeff" + numbered(20).replace("\n", "\n\n", 3)
    d = load_table(write(tmp_path, text, "t.csv.gz"), "y")
    assert d.n_train + d.n_val + d.n_test == 20


@pytest.mark.parametrize(("text", "expected"), [
    ("a,b,y\n1,2,3\n4,5\n", "row 3 has 2 fields, the header has 3"),
    ("a,b,y\n1,2,3\n4,abc,6\n", "row 3, column 'b': 'abc' is not a number"),
    ("a,b,y\n1,2,3\n4,,6\n", "row 3, column 'b': missing value ('')"),
    ("a,b,y\n1,2,3\n4,NaN,6\n", "row 3, column 'b': missing value ('NaN')"),
    ("a,b,y\n1,2,3\n4,5,NA\n", "row 3, column 'y': missing value ('NA')"),
    ("a,b,y\n1,2,3\n4,1e999,6\n", "row 3, column 'b': '1e999' is not a finite number"),
    ("a,b,y\n1,2,3\n4,inf,6\n", "row 3, column 'b': 'inf' is not a number"),
    ("a,b,y\n1,2,3\n", "no column 'price'; the columns are a, b, y"),
    ("1,2,3\n4,5,6\n", "line 1 holds numbers, not column names"),
    ("", "the file is empty"),
    ("a,a,y\n1,2,3\n", "column name 'a' appears twice"),
    ("a,,y\n1,2,3\n", "column 2 of the header has no name"),
    ('a,b,y\n1,"2,3\n', "row 2: unexpected end of data"),
    ("a,b,y\n" + "1,2,3\n" * 5, "5 data rows; a table needs at least 10"),
])
def test_bad_csvs_are_one_line_naming_row_and_column(tmp_path, text, expected):
    target = "price" if "price" in expected else "y"
    with pytest.raises(DataError) as caught:
        load_table(write(tmp_path, text), target)
    message = str(caught.value)
    assert expected in message and "\n" not in message and "t.csv" in message


def test_a_constant_feature_column_is_named(tmp_path):
    text = "a,k,y\n" + "".join(f"{i},7,{i * 2}\n" for i in range(12))
    with pytest.raises(DataError, match="column 'k' is constant: it carries nothing; drop it"):
        load_table(write(tmp_path, text), "y")


def test_a_text_target_cannot_be_regressed(tmp_path):
    text = "a,y\n" + "".join(f"{i},{'x' if i == 4 else i}\n" for i in range(12))
    with pytest.raises(DataError, match=r"row 6, column 'y': 'x' is not a number.*classification"):
        load_table(write(tmp_path, text), "y", task="regression")


def test_not_utf8_names_the_line(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes(b"a,y\n1,2\n\xff\xfe,3\n")
    with pytest.raises(DataError, match="line 3 is not UTF-8"):
        load_table(path, "y")


def test_missing_file_a_folder_and_an_oversized_file_are_refused(tmp_path, monkeypatch):
    with pytest.raises(DataError, match="no such file"):
        load_table(tmp_path / "none.csv", "y")
    with pytest.raises(DataError, match="is a folder, not a file"):
        load_table(tmp_path, "y")
    path = write(tmp_path, numbered(20))
    monkeypatch.setattr(csv_table, "MAX_BYTES", 100)
    with pytest.raises(DataError, match=r"more than the 0\.0 MB a table may have"):
        load_table(path, "y")
    gz = write(tmp_path, "a,b,y\n" + "1,2,3\n" * 100, "t.csv.gz")   # small compressed, large inside
    assert gz.stat().st_size <= 100
    with pytest.raises(DataError, match=r"more than 0\.0 MB uncompressed"):
        load_table(gz, "y")


def test_a_csv_path_needs_a_target(tmp_path):
    with pytest.raises(ValueError, match="say which column is the target"):
        open_table(write(tmp_path, numbered(20)))


def test_bundled_california_housing_is_the_documented_table():
    d = load_bundled()
    assert d.n_train + d.n_val + d.n_test == 20_640
    assert d.feature_names == ("MedInc", "HouseAge", "AveRooms", "AveBedrms", "Population", "AveOccup",
                               "Latitude", "Longitude")
    assert d.target_name == "MedHouseVal" and d.task == "regression" and d.unit == "$100,000"
    raw = np.concatenate([d.x_train, d.x_val, d.x_test]) * d.std + d.mean
    target = np.concatenate([d.t_train, d.t_val, d.t_test])
    # the column means the data's README states (/work/shared/data/california_housing/README.md)
    np.testing.assert_allclose(raw.mean(axis=0), [3.8707, 28.6395, 5.4290, 1.0967, 1425.4767, 3.0707, 35.6319,
                                                  -119.5697], atol=6e-5)
    assert target.mean() == pytest.approx(2.0686, abs=6e-5) and target.max() == pytest.approx(5.00001)
    assert "Pace & Barry 1997" in d.source


def test_bundled_file_matches_its_sha256_and_ships_in_the_package():
    data = gzip.decompress((TABLES_DIR / BUNDLED["california-housing"].file).read_bytes())
    assert hashlib.sha256(data).hexdigest() == "94ef369b909f5c725340b512b7c9a05c1550a554b6592d29303990e3ba521a1f"
    package_data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    assert "tables/*.csv.gz" in package_data["optilab.data"]
    assert "Pace" in (TABLES_DIR / "README.md").read_text() and "Pace & Barry" in (ROOT / "README.md").read_text()


def test_numbers_too_large_to_standardise_are_named(tmp_path):
    text = "a,b,y\n" + "".join(f"{i},{(-1) ** i * 1.7e308!r},{i}\n" for i in range(12))
    with pytest.raises(DataError, match="column 'b' holds numbers too large to standardise"):
        load_table(write(tmp_path, text), "y")


def test_read_header_gives_the_columns_to_choose_the_target_from(tmp_path):
    assert csv_table.read_header(write(tmp_path, numbered(12))) == ("a", "b", "y")
    with pytest.raises(DataError, match="line 1 holds numbers"):
        csv_table.read_header(write(tmp_path, "1,2\n3,4\n"))
