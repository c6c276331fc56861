"""Languages: Korean texts, and a live switch that keeps the lab's state."""

from __future__ import annotations

import gc
import re

import pytest
from PySide6.QtWidgets import QLabel

from optilab import lessons
from optilab.ui import i18n

#: English → Korean of the UI texts (the catalog optilab/locale/ko/LC_MESSAGES/optilab.po).
CATALOG = i18n.catalog("ko")

# The catalogs' completeness (every text extracted, placeholders kept, .mo fresh) is checked per
# language in tests/i18n/test_catalogs.py.


def test_korean_texts_are_korean_where_english_has_words():
    # Names and formulas may stay as they are; sentences must not.
    hangul = re.compile("[\uac00-\ud7a3]")
    for lesson in lessons.LESSONS:
        for text in (lesson.title, lesson.caption, lesson.look_at):
            assert hangul.search(CATALOG[text]), text


def test_bind_follows_the_language_and_forgets_deleted_widgets(qtbot):
    label = QLabel()
    qtbot.addWidget(label)
    i18n.bind(label, "setText", "step {k} / {n}", k=3, n=30)
    assert label.text() == "step 3 / 30"
    i18n.set_language("ko")
    assert label.text() == "3 / 30 단계"
    count = i18n.binding_count()
    label.deleteLater()
    del label
    qtbot.wait(1)
    gc.collect()
    i18n.set_language("en")
    assert i18n.binding_count() < count


def test_unknown_language_is_refused():
    with pytest.raises(ValueError, match="ko"):
        i18n.set_language("xx")


def _visible_texts(window):
    pane = window.surface_pane
    bar = window.menuBar()
    return {
        "menus": [a.text() for a in bar.actions()],
        "tab": window.tabs.tabText(0),
        "caption": pane.lesson_bar.caption.text(),
        "lesson": pane.lesson_bar.combo.currentText(),
        "play": pane.timeline.play_button.text(),
        "step": pane.timeline.step_label.text(),
        "group": pane.surface_controls.title(),
        "surface": pane.surface_controls.combo.currentText(),
        "hparams": pane.hparams.title(),
        "reset": pane.view_3d.reset_button.text(),
        "run": pane.run_list.list.item(1).text(),
        "speed": pane.timeline.speed.currentText(),
        "numbers": pane.numbers.toPlainText(),
        "open": window.open_action.text(),
    }


def test_switching_language_from_the_view_menu_changes_texts_and_keeps_state(window, qtbot):
    pane = window.surface_pane
    pane.load_lesson("adam-bias-correction")
    pane.set_start(-6.0, 1.5)
    pane.set_hparam(0, "lr", 0.25)
    pane.run_list.list.setCurrentRow(1)
    pane.set_step(7)
    window.gradient_action.setChecked(True)
    before = _visible_texts(window)
    state = (pane.lesson, pane.surface, pane.start, pane.steps, pane.step,
             [(r.optimizer, dict(r.hparams), r.enabled, r.color) for r in pane.runs])
    trajectories = list(pane.trajectories)

    window.language_actions["ko"].trigger()
    korean = _visible_texts(window)
    assert i18n.language() == "ko"
    assert korean["menus"] == ["파일(&F)", "보기(&V)", "도움말(&H)"]
    # The start and η were edited, so the caption says the lesson no longer applies (in Korean).
    edited = CATALOG["Edited: these settings are no longer the lesson “{title}”, so its caption does not apply. "
                     "Choose the lesson again in the list to reload it."]
    assert korean["caption"] == edited.format(title=CATALOG[lessons.get("adam-bias-correction").title])
    assert korean["step"] == "7 / 60 단계"
    assert korean["run"] == "Adam (보정 없음)"
    assert korean["hparams"] == "Adam (보정 없음)의 하이퍼파라미터"
    for key in before:
        assert korean[key] != before[key], key
    # Nothing recomputed or reset: same objects, same numbers, same step.
    assert (pane.lesson, pane.surface, pane.start, pane.steps, pane.step,
            [(r.optimizer, dict(r.hparams), r.enabled, r.color) for r in pane.runs]) == state
    assert all(a is b for a, b in zip(pane.trajectories, trajectories, strict=True))
    assert window.gradient_action.isChecked()
    assert pane.run_list.list.currentRow() == 1

    window.language_actions["en"].trigger()
    assert _visible_texts(window) == before


def test_korean_uses_a_korean_font(window):
    from PySide6.QtWidgets import QApplication

    from optilab.ui.presentation import korean_font_family

    family = korean_font_family()
    if family is None:
        pytest.skip("no Korean font installed (fonts-noto-cjk)")
    # Noto Sans (bundled) draws Latin text and its combining marks; Hangul falls back to the Korean font.
    window.set_language("ko")
    assert family in QApplication.instance().font().families()
    window.set_language("en")
    assert QApplication.instance().font().families()[0] == "Noto Sans"


def test_language_defaults_to_the_stored_choice(qtbot):
    from optilab.ui import MainWindow, settings

    settings.set_value(settings.LANGUAGE, "ko")
    win = MainWindow()
    qtbot.addWidget(win)
    assert i18n.language() == "ko"
    assert win.tabs.tabText(0) == "곡면 실험실"


def test_japanese_is_offered_by_its_catalog_alone_and_switches_live(window):
    # No code names Japanese: the language list comes from optilab/locale, the menu name from the catalog.
    assert i18n.LANGUAGES == ("en", "ja", "ko")
    assert [i18n.language_name(code) for code in i18n.LANGUAGES] == ["English", "日本語", "한국어"]
    assert window.language_actions["ja"].text() == "日本語"
    pane = window.surface_pane
    pane.load_lesson("adam-bias-correction")
    pane.set_step(7)
    trajectories = list(pane.trajectories)
    window.language_actions["ja"].trigger()
    assert i18n.language() == "ja"
    assert [a.text() for a in window.menuBar().actions()] == ["ファイル(&F)", "表示(&V)", "ヘルプ(&H)"]
    assert window.tabs.tabText(0) == "曲面ラボ"
    assert pane.timeline.step_label.text() == "ステップ 7 / 60"
    assert pane.lesson_bar.caption.text().startswith("m と v はゼロから始まります。")
    assert pane.step == 7 and all(a is b for a, b in zip(pane.trajectories, trajectories, strict=True))
    window.language_actions["en"].trigger()
    assert window.tabs.tabText(0) == "Surface lab"


def test_japanese_uses_a_japanese_font(window):
    from PySide6.QtWidgets import QApplication

    from optilab.ui.presentation import cjk_font_family

    family = cjk_font_family("ja")
    if family is None:
        pytest.skip("no Japanese font installed (fonts-noto-cjk)")
    window.set_language("ja")
    # Latin and marks in Noto Sans; kana and kanji in the Japanese font, before the Korean one.
    assert QApplication.instance().font().families()[:2] == ["Noto Sans", family]
    window.set_language("en")
    assert QApplication.instance().font().families()[0] == "Noto Sans"
