"""Scenario files through the main window: lossless round trip, bad files rejected with the state untouched."""

from __future__ import annotations

import json

import numpy as np

from optilab import scenario as scenario_io
from optilab.trajectory import Run


def _state(pane):
    """Everything a scenario restores, for comparisons."""
    return (
        pane.to_scenario(),
        [(t.optimizer, t.x.copy(), t.y.copy(), t.loss.copy()) for t in pane.trajectories],
    )


def _same(a, b):
    sa, ta = a
    sb, tb = b
    assert sa == sb
    assert len(ta) == len(tb)
    for (na, xa, ya, la), (nb, xb, yb, lb) in zip(ta, tb, strict=False):
        assert na == nb
        np.testing.assert_array_equal(xa, xb)
        np.testing.assert_array_equal(ya, yb)
        np.testing.assert_array_equal(la, lb)


def test_a_lesson_with_edits_round_trips_exactly(window, tmp_path):
    pane = window.surface_pane
    pane.load_lesson("gd-vs-sgd")  # per-run minibatch surfaces
    pane.set_hparam(1, "lr", 0.05)
    pane.set_run_enabled(2, False)
    pane.add_run("adam")
    pane.set_hparam(3, "beta1", 0.8)
    pane.set_start(1.5, -2.25)
    pane.set_steps(150)
    pane.set_step(37)
    saved = _state(pane)
    path = window.save_scenario(str(tmp_path / "lesson.json"))
    assert path is not None and path.exists()

    pane.load_lesson("book-figure")
    assert pane.to_scenario() != saved[0]
    assert window.open_scenario(str(path))
    _same(_state(pane), saved)
    assert pane.step == 37 and pane.timeline.slider.value() == 37
    assert pane.lesson is not None and pane.lesson.key == "gd-vs-sgd"
    # The file says names and numbers only: no translated labels, no colours.
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["lesson"] == "gd-vs-sgd" and doc["current_step"] == 37
    assert [o["name"] for o in doc["optimizers"]] == ["sgd", "sgd", "sgd", "adam"]
    assert doc["optimizers"][2]["enabled"] is False


def test_a_formula_surface_round_trips_with_its_domain(window, tmp_path):
    pane = window.surface_pane
    assert pane.apply_formula("x**2 + 3*y**2 + sin(x)")
    pane.set_start(2.0, 1.0)
    pane.set_step(4)
    saved = _state(pane)
    assert saved[0].formula == "x**2 + 3*y**2 + sin(x)" and saved[0].surface is None
    path = window.save_scenario(str(tmp_path / "formula.json"))
    pane.load_lesson("saddle-escape")
    assert window.open_scenario(str(path))
    _same(_state(pane), saved)
    assert pane.surface_controls.formula.text() == "x**2 + 3*y**2 + sin(x)"
    # Saving again writes the very same file.
    again = window.save_scenario(str(tmp_path / "again.json"))
    assert again.read_text(encoding="utf-8") == path.read_text(encoding="utf-8")


def test_saving_is_atomic_and_remembers_the_file(window, tmp_path):
    folder = tmp_path / "scenarios"
    folder.mkdir()
    path = window.save_scenario(str(folder / "s.json"))
    assert sorted(p.name for p in folder.iterdir()) == ["s.json"]
    assert window.recent_files[0] == str(path.resolve())
    assert [a.text() for a in window.recent_menu.actions()] == ["s.json"]


def _good_doc(window) -> dict:
    return window.surface_pane.to_scenario().to_dict()


BAD_FILES = {
    "malformed": ("{not json", "not valid JSON"),
    "truncated": (None, "cut short"),
    "wrong type": ({"steps": "many"}, "steps"),
    "wrong hparam type": ({"optimizers": [{"name": "sgd", "hparams": {"lr": "fast"}}]}, "optimizers[0].hparams.lr"),
    "unknown hparam": ({"optimizers": [{"name": "sgd", "hparams": {"beta1": 0.9}}]}, "optimizers[0].hparams.beta1"),
    "newer version": ({"version": 99}, "newer optilab"),
    "unknown field": ({"colour": "red"}, "colour"),
    "code in formula": ({"surface": {"formula": "__import__('os').system('touch PWNED')"}}, "surface.formula"),
    "binary": (b"\x89PNG\r\n\x1a\n\x00\xff", "not a text file"),
    "missing": ("<missing>", "no such file"),
}


def _write_bad(window, path, content):
    if content is None:
        text = scenario_io.dumps(scenario_io.Scenario(optimizers=(Run("adam"),)))
        path.write_text(text[: len(text) // 2], encoding="utf-8")
    elif isinstance(content, bytes):
        path.write_bytes(content)
    elif isinstance(content, str):
        if content != "<missing>":
            path.write_text(content, encoding="utf-8")
    else:
        path.write_text(json.dumps({**_good_doc(window), **content}), encoding="utf-8")


def test_each_class_of_bad_scenario_file_is_rejected_naming_the_problem_and_changes_nothing(
    window, tmp_path, monkeypatch
):
    # One window for all cases (a window costs seconds); each case is checked on its own.
    monkeypatch.chdir(tmp_path)
    pane = window.surface_pane
    pane.load_lesson("momentum-overshoot")
    pane.set_step(11)
    before = _state(pane)
    trajectories = list(pane.trajectories)
    for case, (content, expected) in BAD_FILES.items():
        path = tmp_path / f"{case.replace(' ', '-')}.json"
        _write_bad(window, path, content)
        window.last_error = ""
        assert window.open_scenario(str(path)) is False, case
        assert expected in window.last_error, (case, window.last_error)
        assert window.error_box is not None and expected in window.error_box.text(), case
        assert expected in window.statusBar().currentMessage(), case
        _same(_state(pane), before)
        assert all(a is b for a, b in zip(pane.trajectories, trajectories, strict=False)), case
    assert not (tmp_path / "PWNED").exists()
    assert window.recent_files == []
