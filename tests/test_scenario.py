"""Scenario files: lossless round trip, every class of bad file refused by name."""

from __future__ import annotations

import contextlib
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from optilab import scenario as sc
from optilab.scenario import Scenario, ScenarioError
from optilab.training import RunConfig
from optilab.trajectory import Run


def full() -> Scenario:
    return Scenario(
        surface=None, formula="x**2/20 + y**2 + 0.1*sin(3*x)", domain=(-10.0, 10.0, -5.0, 5.0),
        lesson="book-figure", start=(-7.0, 2.0), steps=30, current_step=12,
        optimizers=(Run("sgd", {"lr": 0.95}), Run("adam", {"lr": 0.3, "bias_correction": False},
                                                                         enabled=False, label="Adam (no hats)")),
        training=RunConfig(optimizer="momentum", hparams={"lr": 0.05, "momentum": 0.8}, init=0.01, hidden=(50, 40),
                           batchnorm=True, dropout=0.2, weight_decay=1e-4, batch_size=64, epochs=3.5,
                           iterations=None, train_size=300, val_fraction=0.2, seed=7, schedule="cosine",
                           schedule_args={"t_max": 100}),
        data_dir="/data/mnist",
    )


def valid_doc() -> dict:
    return json.loads(sc.dumps(full()))


def test_round_trip_is_lossless(tmp_path):
    path = tmp_path / "lesson.json"
    sc.save(full(), path)
    assert sc.load(path) == full()
    assert sc.dumps(sc.load(path)) == path.read_text(encoding="utf-8")


def test_builtin_surface_round_trip():
    s = Scenario(surface="rosenbrock", optimizers=(Run("rmsprop"),))
    assert sc.loads(sc.dumps(s)) == s
    assert s.build_surface().name == "rosenbrock"


def test_save_is_atomic_and_leaves_no_temp_files(tmp_path):
    sc.save(full(), tmp_path / "a.json")
    assert [p.name for p in tmp_path.iterdir()] == ["a.json"]


def mutate(path: str, value) -> str:
    doc = valid_doc()
    keys = path.split(".")
    target = doc
    for k in keys[:-1]:
        target = target[int(k)] if isinstance(target, list) else target[k]
    last = keys[-1]
    if isinstance(target, list):
        target[int(last)] = value
    else:
        target[last] = value
    return json.dumps(doc)


@pytest.mark.parametrize(
    "path,value,field",
    [
        ("version", 2, "newer optilab"),
        ("version", "1", "'version'"),
        ("format", "something", "not an optilab scenario"),
        ("steps", -1, "'steps'"),
        ("steps", 10.5, "'steps'"),
        ("current_step", 31, "'current_step'"),
        ("start", [1], "'start'"),
        ("start", ["a", 2], "'start[0]'"),
        ("surface", {"name": "volcano"}, "'surface.name'"),
        ("surface", {"formula": "__import__('os')"}, "'surface.formula'"),
        ("surface", {"formula": "x.real"}, "'surface.formula'"),
        ("surface", {"name": "bowl", "formula": "x"}, "'surface'"),
        ("surface.domain", [1, 0, 0, 1], "'surface.domain'"),
        ("optimizers", {"a": 1}, "'optimizers'"),
        ("optimizers.0.name", "sgdd", "'optimizers[0].name'"),
        ("optimizers.0.hparams", {"lr": "fast"}, "'optimizers[0].hparams.lr'"),
        ("optimizers.0.hparams", {"lr": -1}, "'optimizers[0].hparams.lr'"),
        ("optimizers.0.hparams", {"beta1": 0.9}, "'optimizers[0].hparams.beta1'"),
        ("optimizers.1.hparams.bias_correction", "no", "'optimizers[1].hparams.bias_correction'"),
        ("optimizers.1.enabled", 1, "'optimizers[1].enabled'"),
        ("training.batch_size", 0, "'training'"),
        ("training.hidden", "100", "'training'"),
        ("training.optimizer", "nope", "'training'"),
        ("lesson", "nonexistent", "'lesson'"),
        ("data_dir", 5, "'data_dir'"),
    ],
)
def test_bad_fields_are_named(path, value, field):
    with pytest.raises(ScenarioError) as info:
        sc.loads(mutate(path, value), "lesson.json")
    msg = str(info.value)
    assert msg.startswith("lesson.json: ") and field in msg and "\n" not in msg


@pytest.mark.parametrize("cut", [1, 10, 50, 200])
def test_truncated_file_is_refused(tmp_path, cut):
    path = tmp_path / "cut.json"
    path.write_text(sc.dumps(full())[:cut])
    with pytest.raises(ScenarioError, match=r"cut\.json: not valid JSON"):
        sc.load(path)


def test_unknown_top_level_field_is_named():
    doc = valid_doc()
    doc["colour"] = "red"
    with pytest.raises(ScenarioError, match="'colour'"):
        sc.loads(json.dumps(doc))


@pytest.mark.parametrize("content", [b"\xff\xfe\x00garbage", b"", b"NaN",
                                     b'{"format": "optilab-scenario", "version": 1, "steps": NaN}'])
def test_binary_empty_and_nan_files_are_refused(tmp_path, content):
    path = tmp_path / "x.json"
    path.write_bytes(content)
    with pytest.raises(ScenarioError):
        sc.load(path)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(ScenarioError, match="no such file"):
        sc.load(tmp_path / "none.json")
    with pytest.raises(ScenarioError, match="folder"):
        sc.load(tmp_path)


def test_formula_is_never_executed(monkeypatch):
    import builtins

    def boom(*a, **k):
        raise AssertionError("executed")

    monkeypatch.setattr(builtins, "eval", boom)
    monkeypatch.setattr(builtins, "exec", boom)
    with pytest.raises(ScenarioError):
        sc.loads(mutate("surface", {"formula": "exec('import os')"}))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=20,
)
fields = st.sampled_from(["surface", "lesson", "start", "steps", "current_step", "optimizers", "training",
                          "data_dir", "version", "format"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(fields, json_values, max_size=6))
def test_random_top_level_values_give_a_scenario_or_a_scenario_error(changes):
    doc = valid_doc()
    doc.update(changes)
    try:
        text = json.dumps(doc)
    except ValueError:
        return
    try:
        result = sc.loads(text)
    except ScenarioError as exc:
        assert "\n" not in str(exc)
    else:
        assert isinstance(result, Scenario)


training_keys = st.sampled_from(list(RunConfig().to_dict()))


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(training_keys, json_values, max_size=4))
def test_random_training_values_give_a_scenario_or_a_scenario_error(changes):
    doc = valid_doc()
    doc["training"].update(changes)
    with contextlib.suppress(ScenarioError):
        sc.loads(json.dumps(doc))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_random_text_gives_a_scenario_error(text):
    with contextlib.suppress(ScenarioError):
        sc.loads(text)


def test_a_file_saved_with_a_utf8_byte_order_mark_opens(tmp_path):
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + sc.dumps(full()).encode("utf-8"))
    assert sc.load(path) == full()


@pytest.mark.parametrize("token", ["NaN", "Infinity", "-Infinity"])
def test_non_finite_numbers_are_named_with_their_place_not_as_a_cut_file(token):
    text = '{\n  "format": "optilab-scenario", "lesson": "NaN Infinity",\n  "steps": ' + token + "\n}"
    with pytest.raises(ScenarioError) as info:
        sc.loads(text, "s.json")
    assert str(info.value) == (f"s.json: not a finite number ({token}) at line 3, column 12; "
                               "scenario files hold finite numbers only")


def test_a_number_with_thousands_of_digits_is_named_with_its_place():
    text = '{"format": "optilab-scenario",\n "start": [1.5, ' + "7" * 5000 + "]}"
    with pytest.raises(ScenarioError) as info:
        sc.loads(text, "s.json")
    assert str(info.value) == (f"s.json: a number with too many digits (5,000) at line 2, column 17; "
                               f"scenario numbers have at most {sc.MAX_DIGITS} digits")


def test_invalid_utf8_is_one_clear_line(tmp_path):
    path = tmp_path / "latin1.json"
    path.write_bytes('{"label": "caf\u00e9"}'.encode("latin-1"))
    with pytest.raises(ScenarioError) as info:
        sc.load(path)
    assert str(info.value) == "latin1.json: not a text file (not UTF-8); choose an optilab .json scenario"
