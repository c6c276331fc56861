"""The training lab in Korean: a live language switch changes its texts and keeps every run and setting."""

from __future__ import annotations

import pytest

from optilab.ui import i18n

#: English → Korean of the UI texts (optilab/locale/ko/LC_MESSAGES/optilab.po).
CATALOG = i18n.catalog("ko")


@pytest.fixture(autouse=True)
def _english_again():
    i18n.set_language("en")
    yield
    i18n.set_language("en")
    from optilab.ui.presentation import apply_font, apply_qt_translation

    apply_qt_translation("en")
    apply_font("en", 1.0)


def _texts(window):
    pane, dock = window.training_pane, window.settings_dock
    return {
        "tab": window.tabs.tabText(window.tabs.indexOf(pane)),
        "start": pane.start_button.text(),
        "pause": pane.pause_button.text(),
        "status": pane.status_label.text(),
        "data": pane.data_label.text(),
        "view tab": pane.views.tabText(0),
        "preset": pane.preset.currentText(),
        "loss title": pane.curves.loss_plot.titleLabel.text,
        "loss axis": pane.curves.loss_plot.getAxis("bottom").labelText,
        "legend": pane.curves.legend.item(0).text(),
        "grad title": pane.grad_view.plot.titleLabel.text,
        "search header": pane.search_view.table.horizontalHeaderItem(0).text(),
        "dock": dock.windowTitle(),
        "group": dock.network_box.title(),
        "running note": dock.running_note.text(),
        "summary": dock.summary.text(),
        "data note": dock.data_note.text(),
        "source": dock.source.currentText(),
        "init": dock.init.currentText(),
        "unit": dock.length_unit.currentText(),
        "eval every": dock.eval_interval.specialValueText(),
        "export": pane.export_actions["plot-loss"].text(),
        "hist note": pane.hist_view.note.text(),
    }


def _state(pane):
    runs = [(r.label, r.it.n, r.loss.view().tolist(), r.ev_it.n, r.status,
             len(r.items["raw"].getData()[0]), len(r.items["test"].getData()[0])) for r in pane.curves.runs]
    results = [(r.config, r.summary) for r in pane.results]
    return runs, results, pane.status, pane.progress.value()


def test_switching_to_korean_translates_the_training_lab_and_keeps_its_runs(qtbot, window, pane, small_config):
    import dataclasses

    dock = window.settings_dock
    dock.set_config(dataclasses.replace(small_config, init=0.01, val_fraction=0.1))
    pane.preset.setCurrentIndex(1)
    with qtbot.waitSignal(pane.finished, timeout=10_000) as blocker:
        assert pane.start(dock.config())
    assert blocker.args == ["finished"]
    before = _texts(window)
    state, config = _state(pane), dock.config()
    preset = pane.preset.currentData()
    assert before["status"] == "Finished — 1 run(s)"
    assert len(pane.curves.runs[0].items["raw"].getData()[0]) == 30

    window.set_language("ko")
    korean = _texts(window)
    assert korean["start"] == "▶ 시작"
    assert korean["status"] == "완료 — 실행 1개"
    assert korean["group"] == "신경망"
    assert korean["dock"] == "학습 설정"
    assert "훈련 손실" in korean["loss title"]
    assert korean["source"] == CATALOG["Bundled sample (8,000 + 2,000 images)"]
    assert korean["summary"].startswith("<b>다음 실행:</b>")
    for key, text in before.items():
        assert korean[key] != text, key
    # Nothing rebuilt or lost: the same points, results, settings and choices.
    assert _state(pane) == state
    assert dock.config() == config
    assert pane.preset.currentData() == preset
    assert not pane.is_running()

    window.set_language("en")
    assert _texts(window) == before
    assert _state(pane) == state and dock.config() == config


def test_the_status_line_follows_the_language_while_a_run_is_paused(qtbot, window, pane):
    from optilab.training import RunConfig

    pane.start(RunConfig(optimizer="sgd", hparams={"lr": 0.05}, hidden=(16,), iterations=1_000_000,
                         batch_size=50, eval_interval=100_000))
    qtbot.waitUntil(lambda: bool(pane.curves.runs) and pane.curves.runs[-1].it.n >= 3, timeout=5000)
    pane.pause()
    assert pane.status_label.text().startswith("Paused — ")
    assert window.settings_dock.running_note.isVisible()
    window.set_language("ko")
    assert pane.status_label.text().startswith("일시정지 — ")
    assert pane.pause_button.text() == "계속"
    assert window.settings_dock.running_note.text().startswith("학습 중입니다")
    assert pane.is_running()
    window.set_language("en")
    assert pane.pause_button.text() == "Resume"
    with qtbot.waitSignal(pane.finished, timeout=2000):
        pane.stop()
    window.set_language("ko")
    assert pane.status_label.text().startswith("정지됨 — ")
    assert pane.pause_button.text() == "일시정지"


@pytest.mark.parametrize(("language", "expected"), [("ko", "정규화 없음"), ("ja", "正則化なし")])
def test_an_experiments_run_label_follows_the_language(qtbot, language, expected):
    """The overfitting lesson's run reads in the classroom's language in every legend; the data keep English."""
    from optilab.ui.training_lab.plots import CurvesView

    view = CurvesView()
    qtbot.addWidget(view)
    run = view.add_run("no regularisation")
    i18n.set_language(language)
    view.retranslate()
    texts = [view.legend.item(0).text()] + [legend.items[0][1].text for legend in view.plot_legends.values()]
    assert all(text.startswith(expected) for text in texts), texts
    assert run.label == "no regularisation"            # what the CSV writes
    i18n.set_language("en")
    view.retranslate()
    assert view.legend.item(0).text().startswith("no regularisation")
    assert all(legend.items[0][1].text == "no regularisation" for legend in view.plot_legends.values())
