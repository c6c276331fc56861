"""Every character of every visible text is drawn by the font used (issue #11 item 3).

Walks the main window (both labs, menus, the settings dock, the lesson guide, the shortcut list,
About, the export dialog) in every language of `i18n.LANGUAGES` (English, Japanese, Korean),
collects every text with the font it is drawn in
(widget fonts, rich-text fragments' own fonts, pyqtgraph labels, ticks, legends, the 3-D labels)
and checks glyphs, not strings: each base character is supported by a font Qt's text layout uses
for it (no .notdef), and each combining mark, drawn in a label-high line box, adds ink over its
letter (DejaVu Sans places the hat of "m̂" far above the line, where a label clips it).
"""

from __future__ import annotations

import unicodedata

import pytest

pytest.importorskip("PySide6")

from optilab.ui.app import share_gl_contexts
from optilab.ui.i18n import LANGUAGES

share_gl_contexts()

HAT_M = "m\u0302"


@pytest.fixture(scope="module")
def _module_window(qapp, tmp_path_factory):
    """One shown main window for the module (building one takes ~2 s), both labs built."""
    from PySide6.QtCore import QSettings

    from optilab.ui import MainWindow
    from optilab.ui.app import create_app

    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(tmp_path_factory.mktemp("glyphs")))
    create_app()
    win = MainWindow()
    win.resize(1280, 800)
    win.show()
    win.ensure_training_lab()
    yield win
    win.close()
    win.deleteLater()
    qapp.processEvents()


@pytest.fixture
def audit_window(_module_window, qtbot):
    """The module's window, in English again after the test."""
    from optilab.ui import i18n

    qtbot.waitExposed(_module_window)
    yield _module_window
    _module_window.set_language("en")
    i18n.set_language("en")


def _draws_mark(font, base: str, mark: str) -> bool:
    """True when ``base + mark`` in ``font``, in a line box of the font's height, has ink
    over the base letter's columns above its top that ``base`` alone has not."""
    from PySide6.QtGui import QColor, QFontMetrics, QImage, QPainter

    metrics = QFontMetrics(font)
    width, height = metrics.horizontalAdvance(base) * 3 + 8, metrics.height()

    def ink(text: str):
        image = QImage(width, height, QImage.Format.Format_Grayscale8)
        image.fill(QColor("white"))
        painter = QPainter(image)
        painter.setFont(font)
        painter.setPen(QColor("black"))
        painter.drawText(4, metrics.ascent(), text)
        painter.end()
        return {(x, y) for y in range(height) for x in range(width) if image.pixelColor(x, y).lightness() < 160}

    plain, marked = ink(base), ink(base + mark)
    if not plain:
        return bool(marked)
    left, right = min(x for x, _ in plain), max(x for x, _ in plain)
    top = min(y for _, y in plain)
    extra = {(x, y) for x, y in marked - plain if left <= x <= right and y < top + 2}
    return len(extra) >= 2


def _base_drawn(font, char: str) -> bool:
    from PySide6.QtGui import QTextLayout

    layout = QTextLayout(char, font)
    layout.beginLayout()
    layout.createLine()
    layout.endLayout()
    runs = layout.glyphRuns()
    return bool(runs) and all(0 not in list(r.glyphIndexes()) for r in runs) and any(
        r.rawFont().supportsCharacter(ord(char)) for r in runs)


def glyph_faults(texts) -> list[str]:
    """``texts``: (where, font, text).  One line per character the font used does not draw."""
    faults, seen = [], {}
    for where, font, text in texts:
        for i, char in enumerate(text):
            if char.isspace() or unicodedata.category(char) in ("Cc", "Cf"):
                continue
            if unicodedata.combining(char):
                base = text[i - 1] if i else " "
                key = (font.key(), base + char)
                if key not in seen:
                    seen[key] = _draws_mark(font, base, char)
                ok = seen[key]
            else:
                key = (font.key(), char)
                if key not in seen:
                    seen[key] = _base_drawn(font, char)
                ok = seen[key]
            if not ok:
                faults.append(f"{where}: {text[max(0, i - 12):i + 4]!r}: U+{ord(char):04X} not drawn in "
                              f"{font.family()} {font.pointSizeF():g} pt")
    return faults


def _document_texts(where: str, document):
    block = document.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            if fragment.isValid() and fragment.text().strip():
                yield where, fragment.charFormat().font(), fragment.text()
            it += 1
        block = block.next()


def _rich(where: str, font, text: str):
    from PySide6.QtGui import QTextDocument

    document = QTextDocument()
    document.setDefaultFont(font)
    document.setHtml(text)
    yield from _document_texts(where, document)


def visible_texts(window, extra=()):
    """Every text drawn by the window, its menus, docks and ``extra`` widgets: (where, font, text)."""
    import pyqtgraph as pg
    import pyqtgraph.opengl as gl
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtWidgets import (
        QAbstractButton,
        QComboBox,
        QGroupBox,
        QLabel,
        QLineEdit,
        QListWidget,
        QMenu,
        QTabBar,
        QTableWidget,
        QTextEdit,
        QToolTip,
        QWidget,
    )

    roots = [window, *extra]
    widgets = [w for root in roots for w in [root, *root.findChildren(QWidget)]]
    for w in widgets:
        name = f"{type(w).__name__} {w.objectName()}".strip()
        if w.toolTip():
            yield from _rich(f"{name} tooltip", QToolTip.font(), w.toolTip())
        if isinstance(w, QLabel) and w.text():
            if w.textFormat() == Qt.TextFormat.PlainText or "<" not in w.text():
                yield name, w.font(), w.text()
            else:
                yield from _rich(name, w.font(), w.text())
        elif isinstance(w, QAbstractButton) and w.text():
            yield name, w.font(), w.text().replace("&", "")
        elif isinstance(w, QComboBox):
            yield from ((name, w.font(), w.itemText(i)) for i in range(w.count()))
        elif isinstance(w, QTabBar):
            yield from ((name, w.font(), w.tabText(i).replace("&", "")) for i in range(w.count()))
        elif isinstance(w, QGroupBox) and w.title():
            yield name, w.font(), w.title()
        elif isinstance(w, QLineEdit):
            yield name, w.font(), w.text() + w.placeholderText()
        elif isinstance(w, QTextEdit):
            yield from _document_texts(name, w.document())
        elif isinstance(w, QListWidget):
            yield from ((name, w.item(i).font(), w.item(i).text()) for i in range(w.count()))
        elif isinstance(w, QTableWidget):
            yield from ((name, item.font(), item.text()) for r in range(w.rowCount()) for c in range(w.columnCount())
                        if (item := w.item(r, c)) is not None)
        elif isinstance(w, QMenu):
            for action in w.actions():
                yield name, w.font(), action.text().replace("&", "") + " " + action.shortcut().toString()
        elif hasattr(w, "windowTitle") and w.isWindow() and w.windowTitle():
            yield name, w.font(), w.windowTitle()
        if isinstance(w, pg.GraphicsView):
            canvas = QImage(10, 10, QImage.Format.Format_RGB32)
            painter = QPainter(canvas)
            for item in w.items():
                if isinstance(item, pg.AxisItem) and item.isVisible():
                    font = item.style.get("tickFont") or w.font()
                    for spec in item.generateDrawSpecs(painter)[2]:
                        yield f"{name} axis {item.orientation} ticks", font, spec[2]
                elif hasattr(item, "document") and callable(item.document) and item.isVisible():
                    yield from _document_texts(f"{name} {type(item).__name__}", item.document())
            painter.end()
        if isinstance(w, gl.GLViewWidget):
            for item in w.items:
                if isinstance(item, gl.GLTextItem) and item.visible():
                    yield f"{name} 3-D label", item.font, item.text


def _open_dialogs(window):
    guide = window.show_lesson_guide()
    shortcuts = window.show_shortcuts()
    about = window.about()
    export = window.open_export_dialog()
    return [guide, shortcuts, about, export]


def test_the_ui_font_draws_the_hat_over_m(audit_window):
    """The application font (each language) draws m̂ with its hat over the m, inside the line."""
    from PySide6.QtWidgets import QApplication

    for code in LANGUAGES:
        audit_window.set_language(code)
        font = QApplication.instance().font()
        assert _draws_mark(font, "m", "\u0302"), f"{code}: {font.family()} drops the hat of {HAT_M}"
        assert _draws_mark(font, "v", "\u0302"), f"{code}: {font.family()} drops the hat of v̂"


def test_the_hat_check_sees_a_clipped_hat():
    """The check itself: DejaVu Sans (the old default) places the hat above its line box."""
    from PySide6.QtGui import QFont, QFontDatabase

    if "DejaVu Sans" not in QFontDatabase.families():
        pytest.skip("DejaVu Sans not installed")
    font = QFont("DejaVu Sans")
    font.setPointSizeF(11)
    assert not _draws_mark(font, "m", "\u0302")
    assert _draws_mark(font, "a", "\u0302")  # "â" is precomposed: its hat is drawn


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_visible_character_is_drawn(audit_window, qtbot, code):
    """Both labs, menus, dock and dialogs: every character's glyph is there, hats included."""
    from PySide6.QtWidgets import QMenu

    win = audit_window
    win.set_language(code)
    win.surface_pane.load_lesson("adam-bias-correction")
    win.surface_pane.set_step(3)
    texts = []
    for index in range(win.tabs.count()):
        win.tabs.setCurrentIndex(index)
        qtbot.wait(50)
        dialogs = _open_dialogs(win)
        texts += list(visible_texts(win, [*dialogs, *win.findChildren(QMenu)]))
        for dialog in dialogs:
            dialog.close()
    assert any(HAT_M in t for _, _, t in texts), "the audit must see the Adam state's m̂"
    faults = glyph_faults(texts)
    assert not faults, f"{len(faults)} characters not drawn, e.g.:\n" + "\n".join(faults[:15])

