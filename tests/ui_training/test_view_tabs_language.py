"""The training lab's view tabs and the lesson table speak the window's language (the Korean
screenshot showed 'Gradients', 'Histograms', 'Lesson table' and 'Regression' in English)."""

from __future__ import annotations

from optilab.ui.training_lab.lesson_table_view import LessonTableView
from optilab.ui.training_lab.pane_layout import VIEW_TITLES


def test_every_view_tab_is_translated(window):
    pane = window.ensure_training_lab()
    window.set_language("ko")
    try:
        korean = [pane.views.tabText(i) for i in range(pane.views.count())]
        assert len(korean) == len(VIEW_TITLES)
        untranslated = [en for en, ko in zip(VIEW_TITLES, korean, strict=True) if en == ko]
        assert not untranslated, untranslated
        assert korean[-2:] == ["수업 표", "회귀"]
    finally:
        window.set_language("en")


def test_the_ensemble_table_s_summary_rows_follow_the_language(window):
    view = LessonTableView()
    view.show_rows([{"run": "member 1", "test_acc": 0.8}, {"run": "mean of members", "test_acc": 0.8},
                    {"run": "ensemble", "test_acc": 0.85}])
    window.set_language("ko")
    try:
        assert [view.table.item(r, 0).text() for r in range(3)] == ["구성원 1", "구성원 평균", "앙상블"]
        assert view.table.horizontalHeaderItem(1).text() == "테스트 정확도"
    finally:
        window.set_language("en")
    assert [view.table.item(r, 0).text() for r in range(3)] == ["member 1", "mean of members", "ensemble"]
