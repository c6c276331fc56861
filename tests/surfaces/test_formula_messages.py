"""The formula messages a student meets first (issue #11 item 14): hand-written texts and columns."""

from __future__ import annotations

import pytest

from optilab import messages
from optilab.surfaces import get, resolve
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


# -- messages as data (issue #13 item 4): a code and parameters, the reason a message of its own ----------

def _error(text: str) -> FormulaError:
    with pytest.raises(FormulaError) as info:
        parse(text)
    return info.value


@pytest.mark.parametrize(
    "text, code, params",
    [
        ("2x+y", "formula.glued", {"number": "2", "name": "x"}),
        ("x^2 + y^2", "formula.operator_caret", {"symbol": "^"}),
        ("x % 2", "formula.operator", {"symbol": "%"}),
        ("sin", "formula.needs_argument", {"name": "sin"}),
        ("log(0*x)", "formula.log_zero", {}),
        ("sin(x, y)", "formula.one_argument", {"name": "sin", "count": 2}),
        ("(x + 1", "formula.syntax.never_closed", {"bracket": "("}),
        ("x + 1)", "formula.syntax.unmatched", {"bracket": ")"}),
        ("{x: 1}", "formula.refused.dict", {}),
        ("x.real", "formula.attribute", {"attr": "real"}),
        ("sqrt(-1) + x", "formula.not_real", {"what": "sqrt(-1)"}),
    ],
)
def test_a_refusal_is_a_code_with_its_parameters_and_the_column(text, code, params):
    err = _error(text)
    assert err.message.code == "formula.at_column"
    assert err.message.params["col"] == err.position + 1
    assert err.message.params["reason"] is err.reason_message
    assert err.reason_message.code == code
    assert dict(err.reason_message.params) == params
    assert messages.of(err) is err.message
    assert err.reason == str(err.reason_message)


def test_nested_parts_are_messages_and_translate_by_code():
    err = _error("foo(x)")
    assert err.reason_message.code == "formula.unknown_function"
    assert err.reason_message.params["help"].code == "formula.help"
    table = {"formula.at_column": "[{col}] {reason}", "formula.unknown_function": "¿{name}? {help}",
             "formula.help": "HELP"}
    assert err.message.render(lambda code, english: table.get(code, english)) == "[1] ¿foo? HELP"


def test_an_unknown_python_syntax_message_keeps_its_text():
    err = _error("x +* y")
    assert err.reason_message.code in ("formula.syntax.invalid", "text")
    assert str(err) == f"col {err.position + 1}: {err.reason}"


def test_a_formula_error_made_from_text_still_reads_as_before():
    err = FormulaError("something", 3)
    assert str(err) == "col 4: something" and err.reason == "something"
    assert err.reason_message.code == "text"


def test_unknown_surfaces_and_bad_boxes_are_declared_messages():
    with pytest.raises(FormulaError) as info:
        resolve("bowll")
    assert info.value.reason_message.code == "formula.unknown_surface"
    assert info.value.reason_message.params["name"] == "bowll"
    with pytest.raises(ValueError) as err:
        get("nope")
    assert messages.of(err.value).code == "surfaces.unknown"
    assert str(err.value).startswith("unknown surface 'nope'; choose one of: ")
    with pytest.raises(ValueError) as err:
        parse("x", domain=(1, 0, 0, 1))
    assert messages.of(err.value).code == "surfaces.empty_domain"
    assert str(err.value) == "domain must be finite with xmin < xmax and ymin < ymax, got (1, 0, 0, 1)"
