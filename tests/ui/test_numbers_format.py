"""The surface lab's runs table writes numbers as the panel's lines do: never "−0"."""

from __future__ import annotations

from optilab.ui.surface_lab.numbers_panel import fmt_pair


def test_the_panel_s_table_writes_no_negative_zero():
    # Newton at the saddle (0, 0): its gradient there was shown as "(0, -0)".
    assert fmt_pair((0.0, -0.0)) == "(0, 0)"
