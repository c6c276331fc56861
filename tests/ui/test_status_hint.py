"""The surface lab's start-up hint shares the status bar with messages: it gives way to them."""

from __future__ import annotations


def test_a_long_status_message_hides_the_hint_and_clearing_it_brings_the_hint_back(window):
    bar, hint = window.statusBar(), window.hint_label
    window.resize(1270, 760)
    assert not hint.isHidden()
    bar.showMessage("Saved plot.png")
    assert not hint.isHidden()   # a short message shares the bar
    bar.showMessage("Could not write /tmp/some/very/long/path/to/the/exports/folder/plot.svg: choose a file "
                    "name ending in .png or .svg: this export does not write .bmp files")
    assert hint.isHidden()   # the whole error line has the bar to itself
    bar.clearMessage()
    assert not hint.isHidden()


def test_the_hint_shows_on_the_surface_lab_only_and_not_after_it_expired(window):
    hint = window.hint_label
    window.tabs.setCurrentIndex(window.tabs.indexOf(window.training_placeholder or window.training_pane))
    assert hint.isHidden()    # "Drag the 3-D view…" means nothing on the training tab
    window.tabs.setCurrentWidget(window.surface_pane)
    assert not hint.isHidden()
    window._expire_hint()
    assert hint.isHidden()
    window.statusBar().showMessage("Saved plot.png", 10)
    window.statusBar().clearMessage()
    assert hint.isHidden()
