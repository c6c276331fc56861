"""Application-wide look: font (CJK-aware, scaled), light/dark theme.

`apply_font(language, scale)` sets the application font: for Korean "Noto
Sans CJK KR" (or another installed Korean font), otherwise the system's
default family, at `BASE_POINT_SIZE` × ``scale`` points.  `apply_theme`
sets the Qt palette (Fusion colours for dark); the plots follow through
`SurfaceLabPane.set_theme`.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QFontDatabase, QPalette
from PySide6.QtWidgets import QApplication

from optilab.ui.palette import THEMES, Theme

#: Base font size in points: readable on a projector.
BASE_POINT_SIZE = 11
#: Presentation scale steps offered by Ctrl+= / Ctrl+−.
SCALES: tuple[float, ...] = (0.85, 1.0, 1.15, 1.3, 1.5, 1.75, 2.0, 2.5)
#: Korean fonts, best first (the first one installed is used).
KOREAN_FONTS: tuple[str, ...] = ("Noto Sans CJK KR", "Noto Sans KR", "NanumGothic", "Malgun Gothic",
                                 "Apple SD Gothic Neo", "UnDotum")

_original: dict[str, object] = {}


def _app() -> QApplication:
    app = QApplication.instance()
    if app is None:
        raise RuntimeError("create the QApplication first")
    return app  # type: ignore[return-value]


def korean_font_family() -> str | None:
    """The installed Korean font used for the UI, or None (Qt's fallback then)."""
    families = set(QFontDatabase.families())
    return next((f for f in KOREAN_FONTS if f in families), None)


def ui_font(language: str, scale: float = 1.0) -> QFont:
    """The application font for ``language`` at ``scale``."""
    app = _app()
    if "family" not in _original:
        _original["family"] = app.font().family()
        _original["size"] = max(app.font().pointSizeF(), float(BASE_POINT_SIZE))
    font = QFont(app.font())
    family = korean_font_family() if language == "ko" else None
    font.setFamily(family or str(_original["family"]))
    font.setPointSizeF(float(_original["size"]) * scale)
    return font


def apply_font(language: str, scale: float = 1.0) -> QFont:
    """Set (and return) the application font for ``language`` at ``scale``."""
    font = ui_font(language, scale)
    _app().setFont(font)
    return font


def step_scale(current: float, direction: int) -> float:
    """The next presentation scale up (+1) or down (−1) from ``current``."""
    if direction > 0:
        return next((s for s in SCALES if s > current + 1e-9), SCALES[-1])
    return next((s for s in reversed(SCALES) if s < current - 1e-9), SCALES[0])


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
