"""The translation layer: every user-visible string goes through `tr`.

For now `tr` returns its text unchanged.  A later translation (Korean first)
only has to replace `_CATALOG` lookups here; no call site changes.
"""

from __future__ import annotations

#: Loaded translations, text → translated text (empty: English).
_CATALOG: dict[str, str] = {}


def tr(text: str) -> str:
    """The translation of ``text`` in the current language (English: itself)."""
    return _CATALOG.get(text, text)
