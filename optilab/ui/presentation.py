"""Application-wide look: font (bundled, CJK-aware, scaled), light/dark theme, zoom steps.

`apply_font(language, scale)` sets the application font at `BASE_POINT_SIZE`
× ``scale`` points.  English uses the bundled Noto Sans (`UI_FAMILY`, loaded
from ``optilab/assets`` by `load_bundled_fonts`): the system's default font
may lack a character, or place a combining mark outside the line (DejaVu
Sans draws the hat of "m̂" far above the m, where a label clips it).  Hangul
and Japanese come from a CJK font (`CJK_FONTS`: "Noto Sans CJK KR" / "Noto
Sans CJK JP" or another installed one), the next families, in every language
(the Language menu names each language in its own script): the current
language's own first, so that Han characters take its shapes (`ui_font`).  `apply_theme` sets the Qt
palette (Fusion colours for dark); the plots follow through
`SurfaceLabPane.set_theme`.  `offered_scales(width, height)` are the zoom
steps whose layout fits a screen of that size.
"""

from __future__ import annotations

import re
import weakref

from PySide6.QtGui import QColor, QFont, QFontDatabase, QPalette
from PySide6.QtWidgets import QApplication

from optilab.ui.palette import THEMES, Theme
from optilab.ui.resources import asset_bytes

#: Base font size in points: readable on a projector.
BASE_POINT_SIZE = 11
#: Presentation scale steps (Ctrl+= / Ctrl+−), of which `offered_scales` offers those that fit.
SCALES: tuple[float, ...] = (0.85, 1.0, 1.15, 1.3, 1.5, 1.75, 2.0, 2.5)
#: The largest scale whose layout fits a 1280×800 screen (the smallest projector we support).
LARGEST_SCALE_AT_1280X800 = 1.5  # 175 % clips the lesson caption
#: The bundled UI font: its family and files in optilab/assets (OFL, see NotoSans-OFL.txt).
UI_FAMILY = "Noto Sans"
UI_FONT_FILES: tuple[str, ...] = ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf")
#: Korean fonts, best first (the first one installed is used).
KOREAN_FONTS: tuple[str, ...] = ("Noto Sans CJK KR", "Noto Sans KR", "NanumGothic", "Malgun Gothic",
                                 "Apple SD Gothic Neo", "UnDotum")
#: Japanese fonts, best first (Linux: fonts-noto-cjk; Windows: Yu Gothic, Meiryo; macOS: Hiragino).
JAPANESE_FONTS: tuple[str, ...] = ("Noto Sans CJK JP", "Noto Sans JP", "IPAexGothic", "IPAGothic",
                                   "Yu Gothic UI", "Meiryo", "Hiragino Sans", "TakaoGothic")
#: Language → the fonts for its script beyond Latin, best first.  A language not listed (its
#: script in Noto Sans) needs no entry; all of them are fallbacks for every language.
CJK_FONTS: dict[str, tuple[str, ...]] = {"ko": KOREAN_FONTS, "ja": JAPANESE_FONTS}

_original: dict[str, object] = {}


def _app() -> QApplication:
    app = QApplication.instance()
    if app is None:
        raise RuntimeError("create the QApplication first")
    return app  # type: ignore[return-value]


def load_bundled_fonts() -> str | None:
    """Register the bundled UI font once; its family, or None when it cannot be loaded."""
    if "bundled" not in _original:
        families: list[str] = []
        for name in UI_FONT_FILES:
            try:
                data = asset_bytes(name)
            except OSError:
                continue
            font_id = QFontDatabase.addApplicationFontFromData(data)
            families += QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        _original["bundled"] = UI_FAMILY if UI_FAMILY in families else None
    return _original["bundled"]  # type: ignore[return-value]


def offered_scales(width: int, height: int) -> tuple[float, ...]:
    """The scale steps whose layout fits an available screen area of ``width`` × ``height`` px
    (at least 100 %)."""
    room = max(1.0, min(width / 1280, height / 800))
    return tuple(s for s in SCALES if s <= LARGEST_SCALE_AT_1280X800 * room + 1e-9)


def screen_scales(window) -> tuple[float, ...]:
    """The zoom steps offered on ``window``'s screen (`offered_scales` of its available area)."""
    screen = window.screen() or _app().primaryScreen()
    if screen is None:
        return tuple(s for s in SCALES if s <= 1.0)
    area = screen.availableGeometry()
    return offered_scales(area.width(), area.height())


def fit_to_screen(window) -> None:
    """Shrink and move a top-level ``window`` so that its frame lies within its screen's available
    area (a maximised or full-screen window is left as it is)."""
    screen = window.screen() or _app().primaryScreen()
    if screen is None or window.isMaximized() or window.isFullScreen():
        return
    area = screen.availableGeometry()
    frame = window.frameGeometry()
    extra_w, extra_h = frame.width() - window.width(), frame.height() - window.height()
    width = min(window.width(), area.width() - extra_w)
    height = min(window.height(), area.height() - extra_h)
    if (width, height) != (window.width(), window.height()):
        window.resize(width, height)
    x = min(max(frame.x(), area.left()), area.right() + 1 - (width + extra_w))
    y = min(max(frame.y(), area.top()), area.bottom() + 1 - (height + extra_h))
    if (x, y) != (frame.x(), frame.y()):
        window.move(x, y)


def fit_scroll_column(scroll) -> None:
    """A scroll area without a horizontal bar (the surface lab's controls) as wide as its contents
    need at the current font, so that no field or button is cut at its right edge."""
    if scroll is not None and scroll.widget() is not None:
        scroll.setMinimumWidth(scroll.widget().minimumSizeHint().width()
                               + scroll.verticalScrollBar().sizeHint().width() + 2 * scroll.frameWidth())


def fit_docks(window, scale: float, room: int | None = None) -> None:
    """Each visible dock of ``window`` as wide, relative to its text, as at 100 %: that width ×
    ``scale``, at most ``room`` px (what the open lab leaves).  A width it has that we did not set
    (its first, or dragged by the user) counts as chosen at the scale last seen while it was shown."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QDockWidget

    docks, widths = [], []
    for dock in window.findChildren(QDockWidget):
        if dock.property("optilab_seen_scale") is None:
            dock.setProperty("optilab_seen_scale", scale)
        if not dock.isVisible() or dock.isFloating():
            continue
        last = dock.property("optilab_fitted")  # [width we set, the scale it was set for]
        at = float(last[1]) if last and int(last[0]) == dock.width() else float(dock.property("optilab_seen_scale"))
        docks.append(dock)
        width = round(dock.width() * scale / at)
        widths.append(max(dock.minimumSizeHint().width(), min(width, room)) if room is not None else width)
    if docks:
        window.resizeDocks(docks, widths, Qt.Orientation.Horizontal)
    for dock in docks:
        dock.setProperty("optilab_fitted", [dock.width(), scale])
        dock.setProperty("optilab_seen_scale", scale)


def cjk_font_family(language: str) -> str | None:
    """The installed font for ``language``'s CJK script (`CJK_FONTS`), or None (none needed or
    installed: Qt's fallback then)."""
    families = set(QFontDatabase.families())
    return next((f for f in CJK_FONTS.get(language, ()) if f in families), None)


def korean_font_family() -> str | None:
    """The installed Korean font used for the UI, or None (Qt's fallback then)."""
    return cjk_font_family("ko")


def ui_font(language: str, scale: float = 1.0) -> QFont:
    """The application font for ``language`` at ``scale``: Noto Sans, then ``language``'s CJK
    font, then the other languages' (English: Korean, then Japanese, as `CJK_FONTS` lists them)."""
    app = _app()
    if "family" not in _original:
        _original["family"] = app.font().family()
        _original["size"] = max(app.font().pointSizeF(), float(BASE_POINT_SIZE))
    font = QFont(app.font())
    bundled = load_bundled_fonts()
    cjk = [cjk_font_family(code) for code in (language, *CJK_FONTS)]
    # Latin, Greek and marks in Noto Sans (a CJK font first would draw the hat of m̂ beside the
    # m: marks from a fallback font are not positioned), Hangul and kana/kanji in the CJK fonts.
    families = [bundled or str(_original["family"])] + [f for f in cjk if f]
    font.setFamilies(list(dict.fromkeys(families)))
    font.setPointSizeF(float(_original["size"]) * scale)
    return font


def apply_font(language: str, scale: float = 1.0) -> QFont:
    """Set (and return) the application font for ``language`` at ``scale``."""
    font = ui_font(language, scale)
    _app().setFont(font)
    return font


def step_scale(current: float, direction: int, scales: tuple[float, ...] = SCALES) -> float:
    """The next presentation scale of ``scales`` up (+1) or down (−1) from ``current``."""
    if direction > 0:
        return next((s for s in scales if s > current + 1e-9), scales[-1])
    return next((s for s in reversed(scales) if s < current - 1e-9), scales[0])


def qt_palette(theme: Theme) -> QPalette:
    """The Qt palette of ``theme`` (light: the style's own)."""
    if theme.key == "light":
        return _app().style().standardPalette()
    p = QPalette()
    roles = QPalette.ColorRole
    for role, color in (
        (roles.Window, theme.window), (roles.WindowText, theme.text), (roles.Base, theme.base),
        (roles.AlternateBase, theme.window), (roles.ToolTipBase, theme.base), (roles.ToolTipText, theme.text),
        (roles.Text, theme.text), (roles.Button, theme.button), (roles.ButtonText, theme.text),
        (roles.BrightText, "#ff5555"), (roles.Highlight, theme.highlight), (roles.HighlightedText, "#000000"),
        (roles.Link, theme.accent), (roles.PlaceholderText, theme.muted),
    ):
        p.setColor(role, QColor(color))
    for role in (roles.Text, roles.ButtonText, roles.WindowText):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor(theme.muted))
    return p


def apply_theme(key: str) -> Theme:
    """Set the application palette of theme ``key`` ("light" or "dark"); returns the `Theme`."""
    if key not in THEMES:
        raise ValueError(f"unknown theme {key!r}; choose one of: {', '.join(THEMES)}")
    theme = THEMES[key]
    _app().setPalette(qt_palette(theme))
    return theme


_qt_translator: dict[str, object] = {}


def apply_qt_translation(language: str) -> bool:
    """Load Qt's own translation of ``language`` (standard buttons: OK, Cancel, Close…).

    Returns True when a translation is installed (English needs none).
    """
    from PySide6.QtCore import QLibraryInfo, QTranslator

    app = _app()
    old = _qt_translator.pop("qtbase", None)
    if old is not None:
        app.removeTranslator(old)  # type: ignore[arg-type]
    if language == "en":
        return False
    translator = QTranslator(app)
    if not translator.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        return False
    app.installTranslator(translator)
    _qt_translator["qtbase"] = translator
    return True


_FONT_SIZE = re.compile(r"font-size:\s*([0-9.]+)pt")
#: Per pyqtgraph text item: (the text we last set, the scale it is at).  Text that code set
#: since (a language switch, a new plot) is taken to be at 100 % (plots write base sizes).
_scaled_text: weakref.WeakKeyDictionary[object, tuple[str, float]] = weakref.WeakKeyDictionary()
#: Per widget with its own font: (the point size we last set, the scale it is at).
_scaled_font: weakref.WeakKeyDictionary[object, tuple[float, float]] = weakref.WeakKeyDictionary()


def _resize_html(text: str, ratio: float) -> str:
    return _FONT_SIZE.sub(lambda m: f"font-size:{float(m.group(1)) * ratio:.3g}pt", text)


def _text_at(item: object, text: str, scale: float) -> tuple[str, float]:
    """``text`` and the scale it is at (100 % unless it is the text we last set)."""
    last = _scaled_text.get(item)
    return (text, last[1]) if last is not None and last[0] == text else (text, 1.0)


def follow_scale(root, scale: float, old_scale: float) -> None:
    """Scale from outside the fonts a pane set itself (a bold status line, pyqtgraph tick fonts,
    titles, axis labels, legends) to ``scale``, for panes without their own ``set_scale``.

    Fonts that follow the application font need nothing.  A widget's own font is taken to be at
    ``old_scale`` (it was derived from the application font then); pyqtgraph texts and tick fonts
    written by code are at 100 % (their sizes are constants in points).
    """
    import pyqtgraph as pg
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QWidget

    for widget in [root, *root.findChildren(QWidget)]:
        if widget.testAttribute(Qt.WidgetAttribute.WA_SetFont) and widget.font().pointSizeF() > 0:
            size = widget.font().pointSizeF()
            last = _scaled_font.get(widget)
            at = last[1] if last is not None and abs(last[0] - size) < 1e-6 else old_scale
            font = QFont(widget.font())
            font.setPointSizeF(size * scale / at)
            widget.setFont(font)
            _scaled_font[widget] = (font.pointSizeF(), scale)
    for view in root.findChildren(pg.GraphicsView):
        for item in view.items():
            if isinstance(item, pg.AxisItem):
                tick = item.style.get("tickFont")
                if tick is not None:
                    last = _scaled_font.get(item)
                    at = last[1] if last is not None and abs(last[0] - tick.pointSizeF()) < 1e-6 else 1.0
                    font = QFont(tick)
                    font.setPointSizeF(tick.pointSizeF() * scale / at)
                    item.setTickFont(font)
                    _scaled_font[item] = (font.pointSizeF(), scale)
                text, at = _text_at(item, item.labelText, scale)
                if at != scale and _FONT_SIZE.search(text):
                    item.labelText = _resize_html(text, scale / at)
                    item._updateLabel()
                _scaled_text[item] = (item.labelText, scale)
            elif isinstance(item, pg.LabelItem):
                _, at = _text_at(item, f"{item.opts.get('size', '')}|{item.text}", scale)
                size = re.fullmatch(r"([0-9.]+)pt", str(item.opts.get("size", "")))
                if at != scale and (size or _FONT_SIZE.search(item.text)):
                    if size:
                        item.opts["size"] = f"{float(size.group(1)) * scale / at:.3g}pt"
                    item.setText(_resize_html(item.text, scale / at))
                _scaled_text[item] = (f"{item.opts.get('size', '')}|{item.text}", scale)
