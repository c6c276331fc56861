"""Deprecated: the Korean UI texts now live in ``optilab/locale/ko/LC_MESSAGES/optilab.po``.

Kept only for tests that still import ``CATALOG`` (English → Korean of the UI texts);
use `optilab.ui.i18n.catalog("ko")` instead.
"""

from __future__ import annotations

from optilab.ui.i18n import catalog

CATALOG: dict[str, str] = catalog("ko")
