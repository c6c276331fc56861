"""Languages: a complete Korean catalog, and a live switch that keeps the lab's state."""

from __future__ import annotations

import ast
import gc
import re
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel

import optilab
from optilab import lessons
from optilab.ui import i18n
from optilab.ui.translations.ko import CATALOG

_FIELD = re.compile(r"\{(\w*)\}")


UI = Path(optilab.__file__).parent / "ui"
#: Source files whose tr()/bind() literals must all be translated.
SOURCES = sorted(
    [*(UI / "surface_lab").glob("*.py"), *(UI / "training_lab").glob("*.py")]
    + [UI / name for name in ("main_window.py", "help.py", "dialogs.py", "exports.py", "widgets.py",
                               "presentation.py", "app.py", "settings.py")]
)
#: Call name → index of the text argument.
_TEXT_ARG = {"tr": 0, "bind": 2, "_action": 0, "_menu": 1, "HtmlDialog": 0,
             # the training lab's helpers that show a text through tr()/bind()
             "_row": 1, "_range_check": 2, "_show_error": 0, "_set_status_source": 0}


def literal_texts(path: Path) -> set[str]:
    """The string literals passed as the text argument of tr/bind/_action/_menu in ``path``."""
    texts: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
        index = _TEXT_ARG.get(name)
        if index is not None and len(node.args) > index:
            arg = node.args[index]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                texts.add(arg.value)
    return texts


def data_texts() -> set[str]:
    """Texts the UI translates that live in data: lessons, presets, surfaces, menus built from tables."""
    from optilab import lessons, surfaces
    from optilab.training import experiments
    from optilab.ui.dialogs import EXPORT_KINDS, GIF_VIEW_TEXTS
    from optilab.ui.help import SHORTCUTS
    from optilab.ui.palette import PALETTES, THEME_LABELS
    from optilab.ui.surface_lab.controls import _HPARAM_UI

    texts: set[str] = set()
    for lesson in lessons.LESSONS:
        texts |= {lesson.title, lesson.caption}
        if lesson.look_at:
            texts.add(lesson.look_at)
        texts |= {run.label for run in lesson.runs if run.label}
    for name in experiments.names():
        preset = experiments.PRESETS[name]
        texts |= {preset.title, preset.shows}
    texts |= {surfaces.get(name).title for name in surfaces.names()}
    texts |= {text for text, _suffix, file_filter in EXPORT_KINDS.values()}
    texts |= {file_filter for _text, _suffix, file_filter in EXPORT_KINDS.values()}
    texts |= set(GIF_VIEW_TEXTS.values())
    texts |= {what for _key, what in SHORTCUTS}
    texts |= {label for label, _colors in PALETTES.values()}
    texts |= set(THEME_LABELS.values())
    texts |= {ui[3] for ui in _HPARAM_UI.values()}
    texts |= {lessons.NO_BIAS_CORRECTION, "bias correction"}    # parts of labels made from settings
    texts |= training_lab_data_texts()
    return texts


def training_lab_data_texts() -> set[str]:
    """The training lab's texts kept in tables (choices, menu items, column titles) and data."""
    from optilab.data.sources import SAMPLE_DESCRIPTION
    from optilab.ui.training_lab import dock_parts, experiments_view, histograms, pane, settings_dock

    texts = {text for text, _value in settings_dock.INIT_CHOICES}
    texts |= set(settings_dock.HPARAM_LABELS.values())
    texts |= {cls.title for cls in settings_dock.SCHEDULE_CLASSES.values()}
    texts |= {text for text, _value in histograms.HIST_INITS}
    texts |= {text for text, _what in pane.EXPORT_ITEMS} | set(pane.VIEW_TITLES)
    texts |= set(experiments_view.COLUMN_TITLES) | set(experiments_view.STATUS_TEXTS.values())
    texts |= set(dock_parts.ORIGIN_NOTES.values())
    texts.add(SAMPLE_DESCRIPTION)
    return texts


def all_texts() -> set[str]:
    """Everything above."""
    texts = data_texts()
    for path in SOURCES:
        texts |= literal_texts(path)
    return texts


def test_the_source_scan_finds_the_texts_it_should():
    # Guards the scan itself: a broken parser would make the completeness test vacuous.
    controls = next(p for p in SOURCES if p.name == "controls.py")
    assert {"Add optimizer", "step {k} / {n}", "▶ Play"} <= literal_texts(controls)
    assert len(all_texts()) > 150
    dock = next(p for p in SOURCES if p.name == "settings_dock.py")
    assert {"Training settings", "Batch size", "std", "Cannot start"} <= literal_texts(dock)


def test_every_ui_text_has_a_korean_translation():
    missing = sorted(t for t in all_texts() if not CATALOG.get(t, "").strip())
    assert not missing, f"{len(missing)} texts lack Korean: {missing[:10]}"


def test_korean_texts_keep_every_placeholder():
    for english, korean in CATALOG.items():
        assert set(_FIELD.findall(english)) == set(_FIELD.findall(korean)), english


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
    assert all(a is b for a, b in zip(pane.trajectories, trajectories))
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
