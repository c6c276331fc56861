"""The formula messages a student meets first (issue #11 item 14): hand-written texts and columns."""

from __future__ import annotations

import pytest

from optilab.surfaces.formula import FormulaError, parse


@pytest.mark.parametrize(
    "text, column, message",
    [
        ("2x+y", 2, "write 2*x to multiply, not 2x"),
        ("x + 3y", 6, "write 3*y to multiply, not 3y"),
        ("2.5x", 4, "write 2.5*x to multiply, not 2.5x"),
        ("0x", 2, "write 0*x to multiply, not 0x"),
        ("x^2 + y^2", 2, "operator '^' is not supported; use + - * / **; write ** for powers"),
        ("(x+1)^2 + y^2", 6, "operator '^' is not supported; use + - * / **; write ** for powers"),
        ("log(0*x)", 1, "log(0) is −∞, so f is not defined; keep the argument of log above 0"),
        ("sin", 1, "'sin' is a function and needs an argument: write sin(x)"),
    ],
)
def test_message_says_what_to_write_at_the_right_column(text: str, column: int, message: str) -> None:
    with pytest.raises(FormulaError) as info:
        parse(text)
    assert str(info.value) == f"col {column}: {message}"
