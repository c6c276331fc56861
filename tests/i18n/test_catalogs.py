"""The gettext catalogs are complete for every language, and `tools/catalogs.py` finds every text.

Every text the program may show (UI literals, data tables, every declared core message, after
importing every core module) has a non-empty translation in each ``optilab/locale/<lang>`` catalog,
keeps the English placeholders, and each ``.mo`` is the compile of its ``.po``; nothing obsolete.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _load_tool():
    spec = importlib.util.spec_from_file_location("optilab_tool_catalogs", ROOT / "tools" / "catalogs.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


catalogs = _load_tool()


@pytest.fixture(scope="module")
def template():
    return catalogs.extract()


@pytest.fixture(scope="module")
def wanted(template):
    return {catalogs._key(m) for m in template if m.id}


def test_the_languages_are_the_locale_folders():
    from optilab.ui import i18n

    assert catalogs.languages() == ["ja", "ko"]
    assert ("en", *catalogs.languages()) == i18n.LANGUAGES


def test_the_extraction_finds_what_it_should(wanted):
    # Guards the scan: a broken extractor would make the completeness tests vacuous.
    texts = {msgid for msgid, ctx in wanted if ctx is None}
    assert {"Add optimizer", "step {k} / {n}", "▶ Play", "Training settings", "Batch size", "&File",
            "Open scenario…"} <= texts                                  # tr, bind, _row, _menu, _action
    from optilab import lessons

    lesson = lessons.get("adam-bias-correction")
    assert {lesson.title, lesson.caption, lesson.look_at} <= texts     # data tables
    from optilab import messages

    codes = {ctx for _msgid, ctx in wanted if ctx}
    assert set(messages.registry()) <= codes                           # every declared message
    assert {"formula.at_column", "data.source.official"} <= codes       # from modules the test did not import
    assert len(texts) > 400


@pytest.mark.parametrize("lang", catalogs.languages())
def test_every_text_is_translated(template, lang):
    catalog = catalogs.load(lang)
    have = catalogs.translated(catalog)
    missing = [f"[{ctx}] {msgid!r}" if ctx else repr(msgid)
               for m in template if m.id for msgid, ctx in [catalogs._key(m)] if (msgid, ctx) not in have]
    assert not missing, f"{lang}: {len(missing)} untranslated, e.g. {missing[:8]}"


@pytest.mark.parametrize("lang", catalogs.languages())
def test_translations_keep_the_placeholders(lang):
    bad = [(msgid, text) for (msgid, _ctx), text in catalogs.translated(catalogs.load(lang)).items()
           if catalogs.fields(text) != catalogs.fields(msgid)]
    assert not bad, f"{lang}: placeholders differ in {bad[:5]}"


@pytest.mark.parametrize("lang", catalogs.languages())
def test_no_obsolete_entries(wanted, lang):
    have = {catalogs._key(m) for m in catalogs.load(lang) if m.id}
    assert not have - wanted, f"{lang}: obsolete {sorted(have - wanted, key=str)[:8]}"


@pytest.mark.parametrize("lang", catalogs.languages())
def test_the_mo_file_is_the_compiled_po(lang):
    assert catalogs.po_path(lang).with_suffix(".mo").read_bytes() == catalogs.mo_bytes(lang)


def test_the_check_reports_nothing(template):
    assert catalogs.problems(template) == []


def test_japanese_lessons_are_in_japanese():
    from optilab import lessons
    from optilab.ui import i18n

    kana = re.compile("[\u3040-\u30ff]")
    japanese = i18n.catalog("ja")
    for lesson in lessons.LESSONS:
        for text in (lesson.title, lesson.caption, lesson.look_at):
            if text:
                assert kana.search(japanese[text]), text


def test_the_book_terms_of_the_japanese_edition():
    from optilab.ui import i18n

    ja = i18n.catalog("ja")
    assert ja["Learning rate η"] == "学習係数 η"
    assert ja["Weight decay"] == "荷重減衰"
    assert ja["Overfitting"] == "過学習"
    assert ja["bias correction"] == "偏りの補正"
    assert ja["Adam"] == "Adam" and ja["RMSprop"] == "RMSprop"    # names stay as in the book


def test_a_message_is_translated_by_its_code_not_its_english():
    from optilab import messages
    from optilab.data import sources
    from optilab.ui import i18n

    same_words = messages.declare("test.i18n.same_words", "Overfitting")  # its code: no catalog entry
    try:
        i18n.set_language("ja")
        assert i18n.tr_message(sources.OFFICIAL(where="/d")) == "/d の MNIST 全体"
        assert i18n.tr("Overfitting") == "過学習"
        assert i18n.tr_message(same_words()) == "Overfitting"    # the same English, but not its code
        nested = sources.UNOFFICIAL(where=sources.FROM_ENV(folder="/m"))
        assert i18n.tr_message(nested) == (
            "/m（OPTILAB_MNIST_DIR による） の MNIST 形式のファイル"
            "（公式の MNIST ではありません: sha256 が異なります）")
        i18n.set_language("en")
        assert i18n.tr_message(nested) == str(nested)
    finally:
        i18n.set_language("en")
        messages._REGISTRY.pop(same_words.code)  # a test's message: not one for the catalogs


def test_the_systems_english_in_a_message_is_translated_too():
    import errno
    import json

    from optilab import messages
    from optilab.ui import i18n

    try:
        i18n.set_language("ja")
        denied = messages.of(PermissionError(errno.EACCES, "Permission denied", "/x/y.png"))
        assert i18n.tr_message(denied) == "/x/y.png: アクセスが拒否されました"
        try:
            json.loads("[1 2]")
        except json.JSONDecodeError as exc:
            assert i18n.tr_message(exc.msg) == "',' 区切りが必要です"
    finally:
        i18n.set_language("en")


def test_a_damaged_catalog_leaves_its_language_out_with_one_warning(tmp_path, monkeypatch):
    from optilab.ui import i18n

    for lang, data in (("ja", catalogs.mo_bytes("ja")), ("xx", b"\x00\x01 not a catalog")):
        (tmp_path / lang / "LC_MESSAGES").mkdir(parents=True)
        (tmp_path / lang / "LC_MESSAGES" / "optilab.mo").write_bytes(data)
    monkeypatch.setattr(i18n, "LOCALE", tmp_path)
    with pytest.warns(RuntimeWarning, match="xx.*not a readable catalog"):
        found = i18n._languages()
    assert list(found) == ["en", "ja"]


def test_dropping_the_legacy_templates_keeps_the_external_texts():
    template = catalogs.extract(drop_legacy=True)
    contexts = {m.context for m in template if m.id}
    assert catalogs.EXTERNAL in contexts and catalogs.LEGACY not in contexts


def test_an_edited_po_without_its_mo_is_reported(tmp_path, monkeypatch):
    import shutil

    locale = tmp_path / "locale"
    shutil.copytree(catalogs.LOCALE, locale)
    monkeypatch.setattr(catalogs, "LOCALE", locale)
    po = catalogs.po_path("ja")
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr "学習係数 η"', 'msgstr "学習率 η"'),
                  encoding="utf-8")
    template = catalogs.extract()
    assert catalogs.problems(template) == [
        f"{locale}/ja/LC_MESSAGES/optilab.mo: not compiled from the current .po; "
        "run 'python tools/catalogs.py compile'"]


def test_migration_renames_placeholders_and_keeps_formats():
    old = {("{file}: no such file", "legacy"): "{file}: そのようなファイルはありません"}
    assert catalogs.migrated("{path}: no such file", old) == "{path}: そのようなファイルはありません"
    assert catalogs.migrated("{path}: no such folder", old) == ""           # other words: no guess
    assert catalogs.respecced("{n} 枚", "{n:,} images") == "{n:,} 枚"
    assert catalogs.respecced("{m} 枚", "{n:,} images") == "{m} 枚"          # other names: left alone
    # One name written two ways in the English: the translation keeps its own ({name!r} was lost).
    english = "preset {name!r} is a regression: train it with 'optilab train --preset {name}'"
    assert catalogs.respecced("プリセット {name!r}：'optilab train --preset {name}'", english) == \
        "プリセット {name!r}：'optilab train --preset {name}'"
