"""fileio.write_atomic: a failed writer never leaves a file or a temporary behind."""

from __future__ import annotations

import os

import pytest

from optilab import fileio
from optilab.training import export


def test_a_writer_that_produces_nothing_keeps_the_old_file(tmp_path):
    target = tmp_path / "out.png"
    target.write_text("old")
    with pytest.raises(fileio.AtomicWriteError) as info:
        fileio.write_atomic(target, lambda tmp: False)
    assert "\n" not in str(info.value) and str(target) in str(info.value)
    assert target.read_text() == "old" and os.listdir(tmp_path) == ["out.png"]


def test_a_writer_that_raises_keeps_the_old_file_and_its_error(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("old")

    def fail(tmp):
        tmp.write_text("half")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        fileio.write_atomic(target, fail)
    assert target.read_text() == "old" and os.listdir(tmp_path) == ["out.csv"]


def test_the_temporary_file_keeps_the_suffix_and_is_recognisable(tmp_path):
    seen = []
    fileio.write_atomic(tmp_path / "plot.svg", lambda tmp: seen.append(tmp.name) or tmp.write_text("<svg/>"))
    assert seen[0].startswith(".plot.svg.optilab-tmp-") and seen[0].endswith(".svg")
    assert f"-{os.getpid()}-" in seen[0]


def test_training_exports_write_through_a_link(tmp_path):
    real = tmp_path / "real.csv"
    real.write_text("old")
    (tmp_path / "link.csv").symlink_to(real)
    export.write_loss_csv([], tmp_path / "link.csv")
    assert (tmp_path / "link.csv").is_symlink() and real.read_text().startswith("run,seed,iteration,")
    export.write_summary_json([], tmp_path / "summary.json", {"seed": 1})
    assert (tmp_path / "summary.json").read_text().startswith("{")
