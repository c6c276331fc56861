"""Package data for the UI (the icon), read with importlib.resources."""

from __future__ import annotations

from importlib import resources

from PySide6.QtGui import QIcon, QPixmap


def asset_bytes(name: str) -> bytes:
    """The bytes of ``optilab/assets/<name>``."""
    return resources.files("optilab").joinpath("assets", name).read_bytes()


def app_icon() -> QIcon:
    """The optilab icon (PNG rendered from assets/optilab.svg)."""
    pixmap = QPixmap()
    pixmap.loadFromData(asset_bytes("optilab.png"), "PNG")
    return QIcon(pixmap)
