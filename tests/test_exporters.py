"""The one export registry (`optilab.exporters`): its entries, the text formats it writes, without Qt."""

from __future__ import annotations

import csv
import io
import json

import pytest

from optilab import exporters, fileio, messages, surfaces, trajectory


def _book_runs(steps: int = 3) -> exporters.Trajectories:
    """SGD (η = 0.95) on the book's bowl f = x²/20 + y² from (−7, 2): x_k = −7·0.905^k, y_k = 2·(−0.9)^k."""
    bowl = surfaces.get("bowl")
    return exporters.Trajectories([trajectory.run(bowl, "sgd", {"lr": 0.95}, start=(-7.0, 2.0), steps=steps)], bowl)


def test_the_core_registers_the_text_formats_of_both_views():
    assert [e.key for e in exporters.for_view("surface", menu=False) if e.render] == ["csv", "json"]
    assert set(exporters.by_format("surface")) == {"csv", "json"}
    training = exporters.by_format("training")
    assert training["csv"] is exporters.LOSS_CSV and training["json"] is exporters.SUMMARY_JSON
    # The summary JSON is the CLI's (`optilab train --json`); the training pane's menu does not offer it.
    assert exporters.SUMMARY_JSON not in exporters.for_view("training")
    assert exporters.LOSS_CSV in exporters.for_view("training")


def test_an_unknown_export_is_one_declared_message_naming_the_choices():
    with pytest.raises(messages.OptilabError) as caught:
        exporters.get("bmp")
    assert caught.value.code == "export.unknown"
    assert "'bmp'" in str(caught.value) and "csv" in str(caught.value) and "\n" not in str(caught.value)


def test_trajectory_csv_holds_the_closed_form_path(tmp_path):
    path = exporters.TRAJECTORY_CSV(_book_runs(), tmp_path / "t.csv")
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "optimizer,step,x,y,loss"
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [int(r["step"]) for r in rows] == [0, 1, 2, 3]
    for k, row in enumerate(rows):
        x, y = -7 * 0.905**k, 2 * (-0.9) ** k
        assert float(row["x"]) == pytest.approx(x, abs=1e-12)
        assert float(row["y"]) == pytest.approx(y, abs=1e-12)
        assert float(row["loss"]) == pytest.approx(x * x / 20 + y * y, abs=1e-12)


def test_trajectory_json_names_the_surface_and_every_point(tmp_path):
    path = exporters.TRAJECTORY_JSON(_book_runs(2), tmp_path / "t.json")
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert len(doc["runs"]) == 1 and len(doc["runs"][0]["points"]) == 3
    assert "x**2/20 + y**2" in json.dumps(doc)


def test_the_training_formats_of_no_runs_are_the_header_and_the_extra_fields():
    assert exporters.LOSS_CSV.render(exporters.Runs([])) == (
        "run,seed,iteration,epoch,loss,lr,train_acc,val_acc,test_acc\n")
    assert json.loads(exporters.SUMMARY_JSON.render(exporters.Runs([], {"preset": "book"}))) == {
        "preset": "book", "runs": []}


def test_a_failed_write_is_one_line_and_keeps_the_previous_file(tmp_path):
    (tmp_path / "folder.csv").mkdir()
    with pytest.raises(fileio.WriteError) as caught:
        exporters.TRAJECTORY_CSV(_book_runs(), tmp_path / "folder.csv")
    assert "folder.csv" in str(caught.value) and "\n" not in str(caught.value)
    good = tmp_path / "good.csv"
    good.write_text("previous\n", encoding="utf-8")
    with pytest.raises(fileio.WriteError):
        exporters.TRAJECTORY_CSV(_book_runs(), tmp_path / "missing" / "x.csv")
    assert good.read_text(encoding="utf-8") == "previous\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder.csv", "good.csv"]
