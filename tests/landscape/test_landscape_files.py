"""The landscape's files (`optilab.landscape.files`) on a hand-made `Landscape`: exact bytes and arrays."""

from __future__ import annotations

import io
import json
import os

import numpy as np
import pytest

from optilab import fileio
from optilab.landscape import Landscape, LandscapeOptions, Path, files


def _landscape(paths: bool = True) -> Landscape:
    """A 3×2 slice with loss[i, j] = 10·i + j (α = −1, 0, 1; β = −0.5, 0.5) and two hand-made paths."""
    alphas = np.array([-1.0, 0.0, 1.0])
    betas = np.array([-0.5, 0.5])
    loss = 10.0 * np.arange(3)[:, None] + np.arange(2)[None, :]
    runs = (
        Path("sgd", np.array([0, 10]), np.array([0.25, 0.0]), np.array([-0.125, 0.0]),
             np.array([2.5, 0.1]), np.array([2.4, 0.1])),
        Path('Adam, "fast"', np.array([0, 5, 10]), np.array([0.5, 0.1, 0.0]), np.array([1.0, 0.2, 0.0]),
             np.array([2.5, 1.0, 0.05]), np.array([2.5, 1.0, 0.05])),
    ) if paths else ()
    return Landscape(alphas, betas, loss, "optimizer-compare",
                     LandscapeOptions(grid=3, span=1.0, directions="pca" if paths else "random", samples=100),
                     paths=runs, explained=(0.75, 0.125) if paths else None, center_loss=0.1)


def test_slice_csv_is_alpha_outer_beta_inner_one_row_per_point():
    assert files.slice_csv(_landscape()) == (
        "alpha,beta,loss\n"
        "-1.0,-0.5,0.0\n-1.0,0.5,1.0\n"
        "0.0,-0.5,10.0\n0.0,0.5,11.0\n"
        "1.0,-0.5,20.0\n1.0,0.5,21.0\n")


def test_slice_csv_numbers_round_trip_exactly():
    ls = _landscape()
    odd = Landscape(ls.alphas / 3, ls.betas, ls.loss * np.pi, ls.title, ls.options)
    rows = files.slice_csv(odd).splitlines()[1:]
    assert [float(r.split(",")[0]) for r in rows[::2]] == list(odd.alphas)
    assert [float(r.split(",")[2]) for r in rows] == list((ls.loss * np.pi).ravel())


def test_path_csv_one_row_per_snapshot_labels_quoted():
    assert files.path_csv(_landscape()) == (
        "run,iteration,alpha,beta,loss\n"
        "sgd,0,0.25,-0.125,2.5\n"
        "sgd,10,0.0,0.0,0.1\n"
        '"Adam, ""fast""",0,0.5,1.0,2.5\n'
        '"Adam, ""fast""",5,0.1,0.2,1.0\n'
        '"Adam, ""fast""",10,0.0,0.0,0.05\n')


def test_npz_holds_the_arrays_and_loads_without_pickle(tmp_path):
    ls = _landscape()
    target = files.write_npz(ls, tmp_path / "slice.npz")
    with np.load(target, allow_pickle=False) as z:
        assert sorted(z.files) == sorted([
            "alphas", "betas", "loss", "explained", "center_loss", "title", "options", "run_labels",
            *(f"path_{k}_{f}" for k in (0, 1) for f in ("iteration", "alpha", "beta", "loss"))])
        assert z["loss"].shape == (3, 2) and z["loss"][2, 1] == 21.0 and z["alphas"][2] == 1.0
        assert list(z["betas"]) == [-0.5, 0.5]
        assert list(z["explained"]) == [0.75, 0.125] and float(z["center_loss"]) == 0.1
        assert str(z["title"]) == "optimizer-compare"
        assert json.loads(str(z["options"]))["grid"] == 3
        assert list(z["run_labels"]) == ["sgd", 'Adam, "fast"']
        assert list(z["path_1_iteration"]) == [0, 5, 10] and list(z["path_1_loss"]) == [2.5, 1.0, 0.05]
        assert list(z["path_0_beta"]) == [-0.125, 0.0]


def test_npz_of_random_directions_has_empty_explained_and_no_paths():
    with np.load(io.BytesIO(files.npz_bytes(_landscape(paths=False))), allow_pickle=False) as z:
        assert z["explained"].shape == (0,) and z["run_labels"].shape == (0,)
        assert not [name for name in z.files if name.startswith("path_")]


def test_formats_are_csv_and_npz_written_atomically(tmp_path):
    assert set(files.FORMATS) == {"csv", "npz"}
    out = files.write(_landscape(), tmp_path / "s.csv", "csv")
    assert out.read_bytes() == files.slice_csv(_landscape()).encode()
    assert files.write(_landscape(), tmp_path / "s.npz", "npz").read_bytes()[:2] == b"PK"
    assert not [p for p in os.listdir(tmp_path) if "optilab-tmp" in p]


def test_a_folder_in_the_way_is_one_write_error_and_nothing_replaced(tmp_path):
    (tmp_path / "taken").mkdir()
    with pytest.raises(fileio.WriteError) as caught:
        files.write_npz(_landscape(), tmp_path / "taken")
    assert "not a regular file" in str(caught.value) and "\n" not in str(caught.value)
    assert (tmp_path / "taken").is_dir()


def test_npz_holds_a_lessons_shared_loss_range_only_when_set():
    ls = _landscape(paths=False)
    assert "levels" not in files.npz_arrays(ls)
    shared = Landscape(ls.alphas, ls.betas, ls.loss, ls.title, ls.options, levels=(0.17, 75.9))
    with np.load(io.BytesIO(files.npz_bytes(shared)), allow_pickle=False) as npz:
        assert npz["levels"].tolist() == [0.17, 75.9]
