"""The training lab is built after the window's first paint (start-up), yet always there when needed."""

from __future__ import annotations


def test_an_unshown_window_has_the_tab_and_builds_the_lab_on_demand(qtbot):
    from optilab.ui import MainWindow
    from optilab.ui.training_lab import TrainingLabPane

    win = MainWindow()
    qtbot.addWidget(win)
    assert win.training_pane is None and win.settings_dock is None
    assert win.tabs.count() == 2 and win.tabs.tabText(1) == "Training lab"
    pane = win.ensure_training_lab()
    assert isinstance(pane, TrainingLabPane)
    assert win.tabs.widget(1) is pane and win.tabs.tabText(1) == "Training lab"
    assert win.tabs.count() == 2
    assert win.ensure_training_lab() is pane
    assert win.settings_dock is not None


def test_a_shown_window_builds_the_lab_after_its_first_paint(window, qtbot):
    qtbot.waitUntil(lambda: window.training_pane is not None, timeout=5000)
    assert window.tabs.widget(1) is window.training_pane
    # The surface lab stays current; the dock shows only with the training tab.
    assert window.tabs.currentWidget() is window.surface_pane
    assert not window.settings_dock.isVisible()


def test_opening_the_tab_early_builds_and_shows_the_lab(qtbot):
    from optilab.ui import MainWindow

    win = MainWindow()
    qtbot.addWidget(win)
    win.tabs.tabBar().setCurrentIndex(1)          # as a click on the tab does
    assert win.training_pane is not None
    assert win.tabs.currentWidget() is win.training_pane


def test_the_placeholder_title_follows_the_language(qtbot):
    from optilab.ui import MainWindow
    from optilab.ui.i18n import set_language

    win = MainWindow()
    qtbot.addWidget(win)
    win.set_language("ko")
    korean = win.tabs.tabText(1)
    assert korean != "Training lab"
    win.ensure_training_lab()
    assert win.tabs.tabText(1) == korean
    win.set_language("en")
    assert win.tabs.tabText(1) == "Training lab"
    set_language("en")


def test_opening_a_scenario_builds_the_lab_for_its_training_settings(qtbot, tmp_path):
    from optilab.training import RunConfig
    from optilab.ui import MainWindow

    first = MainWindow()
    qtbot.addWidget(first)
    first.ensure_training_lab()
    first.settings_dock.set_config(RunConfig(optimizer="momentum", hparams={"lr": 0.0123, "momentum": 0.8},
                                             iterations=77))
    path = tmp_path / "s.json"
    assert first.save_scenario(str(path)) is not None

    second = MainWindow()
    qtbot.addWidget(second)
    assert second.training_pane is None
    assert second.open_scenario(str(path))
    config = second.settings_dock.config()
    assert (config.optimizer, config.hparams["lr"], config.iterations) == ("momentum", 0.0123, 77)
