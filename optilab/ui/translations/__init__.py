"""Translation catalogs: one module per language, each a dict English → translation.

English is the source language (no catalog).  To add a language, add a
module with a ``CATALOG`` dict and list it here.
"""

from __future__ import annotations

from optilab.ui.translations.ko import CATALOG as KO

#: Language code → its own name, in menu order.
LANGUAGE_NAMES: dict[str, str] = {"en": "English", "ko": "한국어"}

#: Language code → catalog (English has none).
CATALOGS: dict[str, dict[str, str]] = {"en": {}, "ko": KO}
