"""The settings dock's fields accept what `RunConfig` and ``optilab train`` accept (the table of
bounds is typed from the code before the redesign), and check a value once per edit."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from optilab import messages
from optilab.cli import build_parser
from optilab.cli import train as train_cli
from optilab.cli.common import CLIError
from optilab.training.config import RunConfig

#: Number fields: dock attribute → (RunConfig key, [(text, accepted)]).
NUMBER_FIELDS = {
    "dropout": ("dropout", [("0", True), ("-0.001", False), ("0.95", True), ("0.951", False)]),
    "weight_decay": ("weight_decay", [("0", True), ("-1e-9", False), ("100", True), ("100.001", False)]),
    "val_fraction": ("val_fraction", [("0", True), ("-0.01", False), ("0.9", True), ("0.91", False)]),
}
#: The length field, per unit (0 iterations, 1 epochs).
LENGTH = {
    0: [("1", True), ("0", False), ("100000000", True), ("100000001", False), ("2.5", False)],
    1: [("1e-9", True), ("5e-10", False), ("100000", True), ("100000.5", False)],
}
#: Spin boxes: attribute → (lowest, highest) the old code allowed (0 = "none" where optional).
SPINS = {"batch_size": (1, 100_000), "train_size": (0, 10_000_000), "eval_interval": (0, 100_000_000),
         "eval_train_size": (0, 10_000_000), "seed": (0, 2**31 - 1)}
LR = [("1e-12", True), ("0", False), ("1000000", True), ("1000001", False)]


@pytest.fixture
def dock(qtbot):
    from optilab.ui.training_lab.settings_dock import SettingsDock

    d = SettingsDock()
    qtbot.addWidget(d)
    return d


def type_into(field, text: str) -> bool:
    field.setText(text)
    field.textEdited.emit(text)
    field.editingFinished.emit()
    return field.is_valid()


@pytest.mark.parametrize("attr", list(NUMBER_FIELDS))
def test_number_fields_accept_what_the_core_accepts(dock, attr):
    key, cases = NUMBER_FIELDS[attr]
    for text, ok in cases:
        assert type_into(getattr(dock, attr), text) is ok, (attr, text)
        try:
            RunConfig(**{key: float(text)})
            core = True
        except messages.OptilabError:
            core = False
        assert core is ok, (key, text)


@pytest.mark.parametrize("unit", [0, 1])
def test_the_length_field_follows_its_unit(dock, unit):
    dock.length_unit.setCurrentIndex(unit)
    for text, ok in LENGTH[unit]:
        assert type_into(dock.length, text) is ok, (unit, text)


@pytest.mark.parametrize("attr", list(SPINS))
def test_spin_boxes_span_the_old_ranges(dock, attr):
    spin = getattr(dock, attr)
    assert (spin.minimum(), spin.maximum()) == SPINS[attr]
    assert bool(spin.specialValueText()) is (SPINS[attr][0] == 0 and attr != "seed")


def test_the_learning_rate_agrees_in_the_dock_the_core_and_the_cli(dock):
    for text, ok in LR:
        assert type_into(dock.lr.field, text) is ok, text
        try:
            RunConfig(hparams={"lr": float(text)})
            core = True
        except messages.OptilabError:
            core = False
        try:
            train_cli._overrides(build_parser().parse_args(["train", "--optimizer", f"sgd:lr={text}"]))
            cli = True
        except CLIError:
            cli = False
        assert (core, cli) == (ok, ok), text


@pytest.mark.parametrize("text,ok", [("4096", True), ("0", False), ("4097", False), ("100,x", False),
                                     (",".join(["10"] * 20), True), (",".join(["10"] * 21), False)])
def test_hidden_layers_follow_the_core_rule(dock, text, ok):
    dock.hidden.setText(text)
    assert (dock.error == "") is ok, dock.error
    assert (dock.hidden.styleSheet() == "") is ok


def test_a_bad_value_names_the_setting_and_its_bound(dock):
    type_into(dock.dropout, "0.99")
    assert dock.error == "dropout must be a number in [0, 0.95], got 0.99"
    assert dock.dropout.toolTip() == dock.error
    assert "Cannot start" in dock.summary.text()
    type_into(dock.dropout, "0.5")
    assert dock.error == "" and dock.dropout.toolTip() == "Dropout probability"


def test_a_value_is_checked_once_per_edit_and_not_pushed_back(qtbot):
    from optilab.ui.widgets import NumberField

    calls = []
    field = NumberField(0.0, lambda v: calls.append(v))
    qtbot.addWidget(field)
    assert type_into(field, "0.50")
    assert calls == [0.5] and field.value() == 0.5
    assert field.text() == "0.50"          # what was typed stays as typed


def test_the_dock_keeps_the_typed_text(dock):
    assert type_into(dock.weight_decay, "1e-3")
    assert dock.weight_decay.text() == "1e-3" and dock.config().weight_decay == 0.001


def test_schedule_fields_come_from_the_schedules_declarations(dock):
    from optilab import optim

    dock.schedule.setCurrentIndex(dock.schedule.findData("plateau"))
    assert list(dock._schedule_fields) == ["factor", "patience", "threshold", "min_lr", "cooldown"]
    assert not type_into(dock._schedule_fields["patience"], "2.5")
    assert type_into(dock._schedule_fields["patience"], "3")
    assert dock.config().schedule_args["patience"] == 3 and isinstance(dock.config().schedule_args["patience"], int)
    assert [s.key for s in optim.schedule_settings("plateau")] == list(dock._schedule_fields)
