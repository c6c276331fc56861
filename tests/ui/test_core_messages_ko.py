"""Messages composed by the core reach a Korean user in Korean: `i18n.tr_message` translates a
`messages.Message` by its code (the catalog's msgctxt), nested messages alike."""

from __future__ import annotations

import pytest

from optilab import messages, optim, surfaces
from optilab.data import sources
from optilab.ui import i18n


@pytest.fixture
def korean():
    i18n.set_language("ko")
    yield
    i18n.set_language("en")


# Bad formulas covering every kind of FormulaError reason the parser gives.
BAD_FORMULAS = [
    "x**2 +", "(x + y", "x + y)", "2x", "[x)", "x ^ 2", "x @ y", "sqrt(-1)", "(-8)**(1/3)", "1/0", "0**-1",
    "exp(1000)", "foo(x)", "x.real", "sin", "sin(x, y)", "sin(x=1)", "True", "'a'", "x if y else 1", "x < y",
    "x and y", "lambda: 1", "[x]", "x[0]", "x,y", "{x}", "{x: y}", "[x for x in y]", "(x for x in y)",
    "(z := 1)", "*x", "x(y)", "pi(x)", "", "\x01", "1j", "(" * 250 + "x" + ")" * 250,
    "-" * 300 + "x", "x" * 1001,
]


@pytest.mark.parametrize("text", BAD_FORMULAS)
def test_every_formula_error_has_a_korean_translation(korean, text):
    with pytest.raises(surfaces.FormulaError) as info:
        surfaces.parse(text)
    reason = info.value.reason_message
    translated = i18n.tr_message(reason)
    assert translated != str(reason), f"no Korean for {reason!r}"
    assert any("\uac00" <= ch <= "\ud7a3" for ch in translated)  # Hangul syllables


def test_fields_are_carried_over_and_translated_in_turn(korean):
    with pytest.raises(surfaces.FormulaError) as info:
        surfaces.parse("foo(x)")
    text = i18n.tr_message(info.value.reason_message)
    assert text.startswith("모르는 함수 'foo'.")
    assert "sin, cos" in text and "함수" in text       # the help part, translated with its list
    with pytest.raises(surfaces.FormulaError) as info:
        surfaces.parse("sin")
    assert i18n.tr_message(info.value.reason_message) == "'sin'은(는) 함수이므로 인수가 필요합니다. sin(x) 처럼 쓰세요"


def test_hyperparameter_and_data_messages(korean):
    with pytest.raises(ValueError) as info:
        optim.create("adam", lr=-1.0)
    assert i18n.tr_message(messages.of(info.value)) == "adam: lr 값은 0보다 크고 1e6 이하인 수여야 합니다. 입력: -1.0"
    assert i18n.tr_message(sources.OFFICIAL(where="/data/mnist")) == "/data/mnist의 전체 MNIST"
    assert i18n.tr_message(sources.SAMPLE_DESCRIPTION) != sources.SAMPLE_DESCRIPTION


def test_english_and_unknown_messages_pass_through_unchanged(korean):
    assert i18n.tr_message("something the catalog has never seen") == "something the catalog has never seen"
    unknown = messages.of(RuntimeError("something the catalog has never seen"))
    assert i18n.tr_message(unknown) == "something the catalog has never seen"
    i18n.set_language("en")
    with pytest.raises(surfaces.FormulaError) as info:
        surfaces.parse("1/0")
    assert i18n.tr_message(messages.of(info.value)) == str(info.value)


def test_a_korean_formula_error_in_the_surface_lab(window, pane):
    window.set_language("ko")
    assert not pane.apply_formula("x ^ 2")
    text = pane.surface_controls.error.text()
    assert "3번째 글자" in text and "거듭제곱은 ** 로 씁니다" in text
