"""In-app help: the lesson guide (what to look at in each preset, and why) and the shortcut list.

The texts are the lessons' own captions and "look at" hints
(`optilab.lessons`) and the training presets' "shows" column
(`optilab.training.experiments`), shown in the current language.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from optilab import lessons
from optilab.ui.i18n import bind, on_language_changed, tr

#: (key sequence as shown, what it does) — English, translated when shown.
SHORTCUTS: tuple[tuple[str, str], ...] = (
    ("Space", "Play or pause the animation"),
    ("→ / ←", "One step forward / back"),
    ("Home", "Back to step 0"),
    ("Ctrl+O", "Open a scenario"),
    ("Ctrl+S", "Save the scenario"),
    ("Ctrl+E", "Export a picture, trajectories or an animation"),
    ("F1", "Lesson guide"),
    ("F11", "Full screen"),
    ("Ctrl+= / Ctrl+−", "Larger / smaller text and lines"),
    ("Ctrl+0", "Normal size"),
    ("Ctrl+2 / Ctrl+3", "Show or hide the 2-D map / 3-D surface"),
    ("Ctrl+G / Ctrl+V", "Gradient / velocity arrows"),
    ("Ctrl+R", "Reset the 3-D view"),
    ("Ctrl+Q", "Quit"),
)


def _training_presets() -> Sequence:
    try:
        from optilab.training import experiments
    except ImportError:  # the training package is optional for the surface lab
        return ()
    return [experiments.PRESETS[name] for name in experiments.names()]


def lesson_guide_html() -> str:
    """The lesson guide as HTML, in the current language."""
    e = html.escape
    parts = [f"<h2>{e(tr('Lesson guide'))}</h2>",
             f"<p>{e(tr('For each lesson: what it shows, and what to point at.'))}</p>",
             f"<h3>{e(tr('Surface lab'))}</h3>"]
    for lesson in lessons.LESSONS:
        parts.append(f"<h4>{e(tr(lesson.title))}</h4><p>{e(tr(lesson.caption))}</p>")
        if lesson.look_at:
            parts.append(f"<p><i>{e(tr('Look at: '))}{e(tr(lesson.look_at))}</i></p>")
    presets = _training_presets()
    if presets:
        parts.append(f"<h3>{e(tr('Training lab'))}</h3>")
        for preset in presets:
            parts.append(f"<h4>{e(tr(preset.title))}</h4><p>{e(tr(preset.shows))}</p>")
    return "".join(parts)


def shortcuts_html() -> str:
    """The keyboard shortcuts as an HTML table, in the current language."""
    e = html.escape
    rows = "".join(f"<tr><td><b>{e(key)}</b></td><td>{e(tr(what))}</td></tr>" for key, what in SHORTCUTS)
    note = tr("Space and the arrow keys work when the surface lab has the focus; in a text field they type.")
    return (f"<h2>{e(tr('Keyboard shortcuts'))}</h2>"
            f"<table cellpadding='4'>{rows}</table>"
            f"<p>{e(note)}</p>")


class HtmlDialog(QDialog):
    """A non-modal dialog showing HTML that is re-made on every language switch."""

    def __init__(self, title: str, make_html, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        bind(self, "setWindowTitle", title)
        self._make_html = make_html
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        self.resize(720, 600)
        self.refresh()
        on_language_changed(self.refresh)

    def refresh(self) -> None:
        """Fill the browser in the current language."""
        self.browser.setHtml(self._make_html())


def lesson_guide_dialog(parent: QWidget | None = None) -> HtmlDialog:
    """The lesson guide (Help → Lesson guide, F1)."""
    return HtmlDialog("Lesson guide", lesson_guide_html, parent)


def shortcuts_dialog(parent: QWidget | None = None) -> HtmlDialog:
    """The list of keyboard shortcuts (Help → Keyboard shortcuts)."""
    return HtmlDialog("Keyboard shortcuts", shortcuts_html, parent)
