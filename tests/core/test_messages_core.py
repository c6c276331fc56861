"""optilab.messages: codes + parameters, English by default, translated by code."""

from __future__ import annotations

import errno

import pytest

from optilab import messages

SAMPLE = REASON = NUMBERED = None  # declared per test: the catalogs' completeness test sees the whole registry


@pytest.fixture(autouse=True)
def declared():
    """This file's messages in the registry while its tests run, gone after."""
    global SAMPLE, REASON, NUMBERED
    SAMPLE = messages.declare("test.sample", "{path}: {reason}")
    REASON = messages.declare("test.reason", "not a regular file; choose a regular file")
    NUMBERED = messages.declare("test.numbered", "{n:,} steps")
    yield
    for code in [c for c in messages.registry() if c.startswith("test.")]:
        del messages._REGISTRY[code]


def test_english_text_is_the_template_filled_in():
    exc = SAMPLE.error(path="/tmp/x", reason=REASON())
    assert str(exc) == "/tmp/x: not a regular file; choose a regular file"
    assert isinstance(exc, ValueError)
    assert exc.code == "test.sample" and exc.params["path"] == "/tmp/x"


def test_translation_goes_by_code_not_by_english_text():
    table = {"test.sample": "{path}: {reason} (번역)", "test.reason": "일반 파일이 아닙니다"}
    text = SAMPLE(path="a", reason=REASON()).render(lambda code, english: table.get(code, english))
    assert text == "a: 일반 파일이 아닙니다 (번역)"


def test_a_broken_translation_falls_back_to_english():
    text = SAMPLE(path="a", reason="b").render(lambda code, english: "{missing} {path}")
    assert text == "a: b"


def test_format_specs_survive():
    assert str(NUMBERED(n=12345)) == "12,345 steps"


def test_a_missing_parameter_is_a_programming_error():
    with pytest.raises(TypeError, match="path"):
        SAMPLE(reason="x")


def test_one_code_one_text():
    assert messages.declare("test.sample", "{path}: {reason}") is SAMPLE
    with pytest.raises(ValueError, match="declared twice"):
        messages.declare("test.sample", "another text")


def test_every_exception_becomes_a_message():
    own = SAMPLE.error(path="p", reason="r")
    assert messages.of(own) is own.message
    os_error = FileNotFoundError(errno.ENOENT, "No such file or directory", "/nowhere")
    assert str(messages.of(os_error)) == "/nowhere: No such file or directory"
    assert messages.of(os_error).code == "os_error"
    assert str(messages.of(PermissionError(errno.EACCES, "Permission denied"))) == "Permission denied"
    assert str(messages.of(KeyError("k"))) == "'k'"
    assert str(messages.of(RuntimeError())) == "RuntimeError"


def test_registry_lists_declared_codes():
    assert messages.registry()["test.reason"].template.startswith("not a regular file")


def test_messages_and_their_errors_cross_a_pipe():
    import pickle

    from optilab.scenario import ScenarioError
    from optilab.surfaces.formula_error import FormulaError

    message = SAMPLE(path="p", reason=REASON())
    back = pickle.loads(pickle.dumps(message))
    assert back == message and str(back) == str(message)
    for exc in (SAMPLE.error(path="p", reason=REASON()), SAMPLE.error(ScenarioError, path="q", reason="r")):
        again = pickle.loads(pickle.dumps(exc))
        assert type(again) is type(exc) and again.message == exc.message and str(again) == str(exc)
    from optilab.surfaces.formula import parse

    with pytest.raises(FormulaError) as info:
        parse("x +")
    again = pickle.loads(pickle.dumps(info.value))
    assert str(again) == str(info.value) and again.message == info.value.message
