"""Every training setting is declared once: `RunConfig`, the ``optilab train`` parser and the
settings dock accept exactly the same values, at and just beyond each bound.

The bounds below are typed from the code before the redesign (config.py, cli/train.py and the
dock), not read from `SETTINGS`: a changed declaration must change this table too.
"""

from __future__ import annotations

import pytest

from optilab import messages
from optilab.cli import build_parser
from optilab.cli import train as train_cli
from optilab.cli.common import CLIError
from optilab.training.config import SETTINGS, RunConfig

#: key → (CLI option or None, [(value text, accepted)]) at and just beyond each bound.
BOUNDS = {
    "dropout": ("--dropout", [("0", True), ("-0.001", False), ("0.95", True), ("0.951", False)]),
    "weight_decay": ("--weight-decay", [("0", True), ("-1e-9", False), ("100", True), ("100.001", False)]),
    "batch_size": ("--batch-size", [("1", True), ("0", False), ("100000", True), ("100001", False),
                                    ("2.5", False)]),
    "iterations": ("--iterations", [("1", True), ("0", False), ("100000000", True), ("100000001", False),
                                    ("2.5", False)]),
    "epochs": ("--epochs", [("1e-9", True), ("5e-10", False), ("100000", True), ("100000.5", False)]),
    "train_size": ("--train-size", [("1", True), ("0", False), ("10000000", True), ("10000001", False)]),
    "val_fraction": ("--val-fraction", [("0", True), ("-0.01", False), ("0.9", True), ("0.91", False)]),
    "eval_interval": (None, [("1", True), ("0", False), ("100000000", True), ("100000001", False)]),
    "eval_train_size": (None, [("1", True), ("0", False), ("10000000", True), ("10000001", False)]),
    "seed": ("--seed", [("0", True), ("-1", False), (str(2**63 - 1), True), (str(2**63), False)]),
    "snapshots": (None, [("0", True), ("-1", False), ("10000", True), ("10001", False), ("2.5", False)]),
    # CS231n lecture 7 (issue #16): freeze's upper end is the run's hidden layers (4 here), checked apart.
    "l1": ("--l1", [("0", True), ("-1e-9", False), ("100", True), ("100.001", False)]),
    "per_class": (None, [("1", True), ("0", False), ("1000000", True), ("1000001", False), ("2.5", False)]),
    "freeze": (None, [("0", True), ("-1", False), ("4", True), ("2.5", False)]),
}
#: rules.Number reads a whole number through float(), so 2⁶³ − 1 becomes 2⁶³ and is refused.
CASES = [pytest.param(key, text, ok) for key, (_option, cases) in BOUNDS.items() for text, ok in cases]


def test_every_bounded_number_setting_is_in_the_table():
    numbers = {key for key, s in SETTINGS.items()
               if type(s.rule).__name__ == "Number" and key not in ("hidden", "lr", "digits")}
    assert numbers == set(BOUNDS)


def core_accepts(key: str, text: str) -> bool:
    value = float(text) if "." in text or "e" in text else int(text)
    try:
        RunConfig.from_dict({key: value, **({"iterations": None} if key == "epochs" else {})})
    except messages.OptilabError as exc:
        assert exc.code == "rules.out_of_range_bare" and exc.params["name"] == key
        return False
    return True


def cli_accepts(option: str, text: str) -> bool:
    # "=": argparse would read "-1e-9" as an option
    args = build_parser().parse_args(["train", "--sample", f"{option}={text}"])
    try:
        overrides = train_cli._overrides(args)
    except CLIError as exc:
        assert str(exc).startswith(option + " must be "), str(exc)
        return False
    RunConfig().replace(**overrides)   # what the parser lets through, the run takes
    return True


@pytest.mark.parametrize("key,text,ok", CASES)
def test_the_core_accepts_up_to_each_bound(key, text, ok):
    assert core_accepts(key, text) is ok


@pytest.mark.parametrize("key,text,ok", [c for c in CASES if BOUNDS[c.values[0]][0]])
def test_the_command_line_accepts_what_the_core_does(key, text, ok):
    assert cli_accepts(BOUNDS[key][0], text) is ok


@pytest.mark.parametrize("text,ok", [("1", True), ("4096", True), ("0", False), ("4097", False),
                                     (",".join(["10"] * 20), True), (",".join(["10"] * 21), False)])
def test_hidden_layers_agree(text, ok):
    sizes = [int(t) for t in text.split(",")]
    try:
        RunConfig(hidden=sizes)
        core = True
    except messages.OptilabError as exc:
        assert exc.code == "training.hidden_sizes"
        core = False
    assert core is ok
    try:
        train_cli._overrides(build_parser().parse_args(["train", "--hidden", text]))
        cli = True
    except CLIError as exc:
        assert "--hidden must be 1 to 20 layer sizes between 1 and 4096" in str(exc)
        cli = False
    assert cli is ok


def test_help_shows_each_settings_description(capsys):
    with pytest.raises(SystemExit):
        build_parser().parse_args(["train", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    for key in ("dropout", "weight_decay", "batch_size", "iterations", "epochs", "train_size", "val_fraction",
                "seed", "hidden", "activation", "batchnorm", "init", "optimizer", "schedule"):
        assert " ".join(SETTINGS[key].description.split()) in out, key
    assert "Dropout probability (default 0)" in out and "Minibatch size (default 100)" in out


def test_an_unknown_setting_is_one_coded_message():
    with pytest.raises(messages.OptilabError) as info:
        RunConfig.from_dict({"colour": "red"})
    assert info.value.code == "training.unknown_setting"
    assert str(info.value).startswith(
        "unknown training setting 'colour'; valid ones are: activation, augment, batch_size")


def test_choices_come_from_the_declarations():
    parser = build_parser()
    with pytest.raises(SystemExit):
        parser.parse_args(["train", "--activation", "softsign"])
    assert SETTINGS["activation"].rule.choices == ("relu", "sigmoid", "tanh", "leaky_relu")
    assert SETTINGS["dtype"].rule.choices == ("float32", "float64")
    with pytest.raises(messages.OptilabError, match="dtype must be one of: float32, float64, got float16"):
        RunConfig(dtype="float16")


@pytest.mark.parametrize("digits,ok", [([0, 9], True), ([5, 6, 7, 8, 9], True), ([10], False), ([-1], False),
                                       ([3, 3], False), ([2.5], False), ("5,6", False)])
def test_digits_are_distinct_whole_numbers_0_to_9(digits, ok):
    try:
        RunConfig(digits=digits)
    except messages.OptilabError as exc:
        assert exc.code == "training.digits"
        assert not ok
    else:
        assert ok


def test_freeze_may_not_reach_the_output_layer():
    RunConfig(hidden=(10, 10), freeze=2)
    with pytest.raises(messages.OptilabError, match="freeze must be 0 to 2"):
        RunConfig(hidden=(10, 10), freeze=3)
