"""Exports decode as what they claim to be: PNG, SVG, CSV, JSON, animated GIF."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from PySide6.QtGui import QImage

from optilab.ui import exports
from optilab.ui.dialogs import ExportChoice


def _files(folder):
    return sorted(p.name for p in folder.iterdir())


@pytest.fixture
def out(tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def test_map_png_has_the_chosen_width_and_dpi(window, out):
    path = window.export(ExportChoice("map-png", width=1200, dpi=200), str(out / "map.png"))
    image = QImage(str(path))
    assert image.width() == 1200 and image.height() > 300
    assert image.dotsPerMeterX() == round(200 / 0.0254)
    with Image.open(path) as im:
        assert im.format == "PNG"
        pixels = np.asarray(im.convert("RGB"), dtype=float)
    assert pixels.var() > 500  # a map, not a blank
    assert _files(out) == ["map.png"]


def test_map_svg_is_valid_svg_with_vector_paths(window, out):
    path = window.export(ExportChoice("map-svg"), str(out / "map.svg"))
    root = ET.parse(path).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    tags = {el.tag.split("}")[-1] for el in root.iter()}
    assert "path" in tags or "polyline" in tags
    assert "image" in tags  # the colour map
    assert _files(out) == ["map.svg"]


def test_3d_png_is_rendered_at_the_chosen_resolution(window, out):
    path = window.export(ExportChoice("3d-png", width=900, height=700), str(out / "surface.png"))
    with Image.open(path) as im:
        assert im.size == (900, 700)
        pixels = np.asarray(im.convert("RGB"), dtype=float)
    assert pixels.var() > 300
    assert len(np.unique(pixels.reshape(-1, 3)[::11], axis=0)) > 200  # shaded viridis


def test_trajectory_csv_and_json_hold_every_point(window, out):
    pane = window.surface_pane
    pane.load_lesson("book-figure")
    path = window.export(ExportChoice("csv"), str(out / "t.csv"))
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert len(rows) == sum(t.n_points for t in pane.trajectories)
    first = [r for r in rows if r["optimizer"] == "SGD"]
    assert float(first[3]["x"]) == pane.trajectories[0].x[3]
    path = window.export(ExportChoice("json"), str(out / "t.json"))
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert [r["name"] for r in doc["runs"]] == ["sgd", "momentum", "adagrad", "adam"]
    assert len(doc["runs"][1]["points"]) == pane.trajectories[1].n_points


def test_gif_of_the_book_preset_has_one_frame_per_step(window, out):
    pane = window.surface_pane
    pane.load_lesson("book-figure")
    pane.set_step(12)
    seen = []
    frames = window.export_gif(str(out / "book.gif"), "2d", fps=10, progress=lambda d, t: seen.append((d, t)))
    assert frames == pane.steps + 1 == 31
    assert seen[-1] == (31, 31) and len(seen) == 31
    with Image.open(out / "book.gif") as im:
        assert im.format == "GIF" and im.n_frames == 31
        assert im.info["duration"] == 100
        im.seek(30)
        last = np.asarray(im.convert("RGB"), dtype=float)
    assert last.var() > 500
    assert pane.step == 12  # the lab shows what it showed before
    assert _files(out) == ["book.gif"]


def test_gif_of_both_views_puts_them_side_by_side(window, out):
    pane = window.surface_pane
    pane.load_lesson("book-figure")
    pane.set_steps(4)
    frames = window.export_gif(str(out / "both.gif"), "both", fps=5, width=600)
    assert frames == 5
    with Image.open(out / "both.gif") as im:
        assert im.n_frames == 5 and im.size[0] == 600
        assert im.size[0] > im.size[1]


def test_a_long_run_is_sampled_down_to_the_frame_limit():
    steps = exports.gif_steps(1000, max_frames=200)
    assert len(steps) <= 201 and steps[0] == 0 and steps[-1] == 1000
    assert exports.gif_steps(30) == list(range(31))


def test_cancelling_a_gif_writes_nothing(window, out):
    calls = []

    def cancel():
        calls.append(1)
        return len(calls) > 3

    assert window.export_gif(str(out / "x.gif"), "2d", cancel=cancel) == 0
    assert _files(out) == []
    assert not window.surface_pane.view_3d.isHidden()


def test_a_failed_write_leaves_no_file_and_reports(window, out):
    target = out / "missing-folder" / "map.png"
    assert window.export(ExportChoice("map-png"), str(target)) is None
    assert "map.png" in window.last_error or "missing-folder" in window.last_error
    assert _files(out) == []


def test_the_export_dialog_lists_the_registry_s_surface_exporters(window):
    """One export stack (#13 item 6): Ctrl+E offers what the registry holds for the surface lab."""
    from optilab import exporters

    dialog = window.open_export_dialog()
    try:
        keys = [dialog.kind.itemData(i) for i in range(dialog.kind.count())]
        assert keys == [e.key for e in exporters.for_view("surface")]
        assert keys == ["map-png", "map-svg", "3d-png", "window-png", "csv", "json", "gif"]
        dialog.set_kind("3d-png")
        shown = {key for key in ("width", "height", "dpi", "which", "fps") if not getattr(dialog, key).isHidden()}
        assert shown == {"width", "height", "dpi"}
    finally:
        dialog.close()


def test_the_training_export_menu_is_the_registry_s(window, out):
    """The training pane's exports are the registry's training entries, in the menu's order and words."""
    from PySide6.QtWidgets import QMenu

    pane = window.ensure_training_lab()
    menu = QMenu()
    actions = pane.fill_export_menu(menu)
    assert list(actions) == ["loss-csv", "plot-loss", "plot-accuracy", "plot-lr", "plot-gradients"]
    assert [a.text() for a in menu.actions()] == [a.text() for a in pane.export_button.menu().actions()]
    path = pane.export_plot("lr", str(out / "lr.svg"))
    assert ET.parse(path).getroot().tag == "{http://www.w3.org/2000/svg}svg"
    assert pane.export_plot("lr", str(out / "lr.bmp")) is None
    assert pane.error_label.text() == "Choose a file name ending in .png or .svg: this export does not write .bmp files"
    assert _files(out) == ["lr.svg"]


def test_a_picture_export_never_writes_another_format_than_its_file_name_says(window, out):
    """'Export picture' asked for plot.svg wrote PNG bytes under an .svg name; now it refuses in one
    line and writes nothing, and a name without a suffix is written as given."""
    assert window.export_picture(str(out / "window.svg")) is None
    assert _files(out) == []
    # The refusal says what to do once (no second "choose another file" after it).
    assert window.last_error.endswith("Choose a file name ending in .png: this export does not write .svg files"), \
        window.last_error
    target = window.export_picture(str(out / "window"))
    assert target is not None and Path(target).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_failed_write_is_told_in_the_window_s_language_naming_the_file_once(window, out):
    """The write failure is `fileio`'s declared message, translated by its code (never its English)."""
    target = out / "taken.png"
    target.mkdir()
    window.set_language("ko")
    try:
        assert window.export(ExportChoice("map-png"), str(target)) is None
        line = window.last_error
        assert line.count(str(target)) == 1 and "\n" not in line
        assert "regular file" not in line and "Could not write" not in line and "folder" not in line
    finally:
        window.set_language("en")
    assert window.export(ExportChoice("map-png"), str(target)) is None
    assert window.last_error == (f"Could not write {target}: not a regular file (a folder); choose a file name")
