"""optilab.rules: one declaration per setting; bounds checked at and beyond each edge."""

from __future__ import annotations

import math

import pytest

from optilab.rules import Choice, Flag, Number, Setting, fmt

LR = Setting("lr", Number(0, 1e6, low_open=True), symbol="η")
MOMENTUM = Setting("momentum", Number(0, 1, high_open=True))
STEPS = Setting("steps", Number(1, 5000, integer=True))


@pytest.mark.parametrize("value", [1e-12, 0.5, 1e6, "0.25", " 3 "])
def test_inside_values_pass_and_text_is_read(value):
    assert LR.check(value, owner="sgd") == float(value)


@pytest.mark.parametrize("value", [0, -1e-12, 1e6 * (1 + 1e-12), math.nan, math.inf, True, None, "abc", "", [1]])
def test_outside_values_give_one_line(value):
    with pytest.raises(ValueError) as info:
        LR.check(value, owner="sgd")
    text = str(info.value)
    assert text.startswith("sgd: lr must be a number > 0 and ≤ 1e6, got ")
    assert "\n" not in text and info.value.code == "rules.out_of_range"


def test_half_open_interval_and_integers():
    assert MOMENTUM.check(0) == 0.0
    with pytest.raises(ValueError, match=r"momentum must be a number in \[0, 1\), got 1"):
        MOMENTUM.check(1)
    assert STEPS.check("5000") == 5000 and isinstance(STEPS.check(7.0), int)
    for bad in (0, 5001, 2.5):
        with pytest.raises(ValueError, match=r"a whole number in \[1, 5000\]"):
            STEPS.check(bad)


def test_flags_and_choices():
    flag = Setting("bias_correction", Flag())
    assert flag.check("Yes") is True and flag.check("off") is False and flag.check(False) is False
    with pytest.raises(ValueError, match="true or false"):
        flag.check(1.0)
    act = Setting("activation", Choice(("relu", "tanh")))
    assert act.check("TANH") == "tanh"
    with pytest.raises(ValueError, match="one of: relu, tanh"):
        act.check("gelu")


@pytest.mark.parametrize(("value", "text"), [(1e6, "1e6"), (1e-4, "0.0001"), (1e-10, "1e-10"), (0.999, "0.999"),
                                               (100.0, "100"), (3, "3"), (2.5e7, "2.5e7")])
def test_bounds_are_written_as_people_write_them(value, text):
    assert fmt(value) == text


def test_whole_numbers_stay_exact():
    seed = Setting("seed", Number(0, 2**63 - 1, integer=True))
    assert seed.check(str(2**63 - 1)) == 2**63 - 1 and seed.check(2**63 - 1) == 2**63 - 1
    with pytest.raises(ValueError):
        seed.check(str(2**63))
    assert seed.check("1e3") == 1000
