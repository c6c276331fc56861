"""The surface lab's lesson bar: the lesson picker, the lesson's caption and what to look at."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from optilab import lessons
from optilab.ui.i18n import on_language_changed, tr


class LessonBar(QWidget):
    """The lesson picker with the lesson's caption and what to look at."""

    lesson_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.combo = QComboBox()
        self.combo.addItem(tr("Lessons…"), "")
        self._lesson: lessons.Lesson | None = None
        self._landscape: tuple | None = None   # (title, caption, lesson title) of a landscape shown
        self.edited = False
        for lesson in lessons.LESSONS:
            self.combo.addItem(tr(lesson.title), lesson.key)
        self.combo.setMinimumWidth(330)
        title_font = QFont()
        title_font.setPointSize(12)
        self.combo.setFont(title_font)
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        caption_font = QFont()
        caption_font.setPointSize(13)
        self.caption.setFont(caption_font)
        self.look_at = QLabel()
        self.look_at.setWordWrap(True)
        self.set_accent("#0072B2")
        look_font = QFont()
        look_font.setPointSize(11)
        look_font.setItalic(True)
        self.look_at.setFont(look_font)
        text = QVBoxLayout()
        text.setSpacing(0)
        text.addWidget(self.caption)
        text.addWidget(self.look_at)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addWidget(self.combo, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(text, 1)
        self.combo.activated.connect(self._on_combo)
        self.show_lesson(None)
        on_language_changed(self.retranslate)

    def set_accent(self, color: str) -> None:
        """The colour of the "look at" line (it follows the theme)."""
        self.look_at.setStyleSheet(f"color: {color};")

    def set_scale(self, factor: float) -> None:
        """Scale the lesson picker and caption fonts (presentation mode)."""
        for widget, size in ((self.combo, 12), (self.caption, 13), (self.look_at, 11)):
            font = QFont()
            font.setPointSizeF(size * factor)
            font.setItalic(widget is self.look_at)
            widget.setFont(font)
        self.combo.setMinimumWidth(int(330 * factor))

    def retranslate(self) -> None:
        """Lesson titles and the caption in the current language."""
        for i in range(1, self.combo.count()):
            self.combo.setItemText(i, tr(lessons.get(self.combo.itemData(i)).title))
        self.combo.setItemText(0, tr("Lessons…"))
        if self._landscape is not None:
            self.show_landscape(*self._landscape)
        else:
            self.show_lesson(self._lesson, self.edited)

    def show_landscape(self, title: str, caption: str | None = None, lesson_title: str | None = None) -> None:
        """A loss landscape is shown: its lesson's ``caption`` (after the lesson's title in bold, as the
        training lab names a lesson), else what it is and how to leave it."""
        self._lesson, self.edited, self._landscape = None, False, (title, caption, lesson_title)
        self.combo.blockSignals(True)
        self.combo.setCurrentIndex(0)
        self.combo.blockSignals(False)
        if caption and lesson_title:
            bold, text = (html.escape(tr(t), quote=False) for t in (lesson_title, caption))
            self.caption.setText(f"<b>{bold}</b> — {text}")
        else:
            self.caption.setText(tr(caption) if caption else tr(
                "The loss landscape of {title}: pick a lesson, or choose a surface on the left, to leave it.")
                .format(title=tr(title)))
        self.look_at.setText("")
        self.look_at.setVisible(False)

    def show_lesson(self, lesson: lessons.Lesson | None, edited: bool = False) -> None:
        """Show a lesson's caption (None: a hint; ``edited``: that the settings
        are no longer the lesson's, so its caption does not hold) without signals."""
        self._lesson, self.edited, self._landscape = lesson, bool(lesson is not None and edited), None
        self.combo.blockSignals(True)
        self.combo.setCurrentIndex(self.combo.findData(lesson.key) if lesson else 0)
        self.combo.blockSignals(False)
        if lesson is None:
            self.caption.setText(tr("Pick a lesson, or choose a surface and optimizers on the left."))
            self.look_at.setText("")
        elif self.edited:
            self.caption.setText(tr("Edited: these settings are no longer the lesson “{title}”, so its caption "
                                    "does not apply. Choose the lesson again in the list to reload it.")
                                 .format(title=tr(lesson.title)))
            self.look_at.setText("")
        else:
            self.caption.setText(tr(lesson.caption))
            self.look_at.setText(tr("Look at: ") + tr(lesson.look_at) if lesson.look_at else "")
        self.look_at.setVisible(bool(self.look_at.text()))

    def _on_combo(self, index: int) -> None:
        key = self.combo.itemData(index)
        if key:
            self.lesson_chosen.emit(key)
