"""How the numbers panel writes a number: 4 significant digits, and never "−0"."""

from __future__ import annotations

import math

from optilab.optim.step_numbers import num, vec


def test_a_negative_zero_is_written_as_zero():
    # Newton at the saddle: g = (0, −0.0) after x − x = 0 with a sign; the panel wrote "(0, -0)".
    assert num(-0.0) == "0"
    assert vec((0.0, -0.0)) == "(0, 0)"


def test_numbers_keep_four_significant_digits_and_their_sign():
    assert num(-1.23456) == "-1.235" and num(1e-9) == "1e-09" and num(math.inf) == "inf"

