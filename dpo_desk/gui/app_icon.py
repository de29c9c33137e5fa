"""DPO Desk's icon, as the window, its dialogs, the About box and the tray show it: the PNG sizes rendered from
resources/dpo-desk.svg (packaging/make_icons.py), read from the package like any other resource."""

from __future__ import annotations

import functools
from importlib.resources import files

from PySide6.QtGui import QIcon, QPixmap


@functools.cache
def app_icon() -> QIcon:
    """Every size shipped, so each place picks the sharpest one (a QGuiApplication must exist). Read once: the
    application, the window and each dialog ask for it."""
    icon = QIcon()
    for entry in sorted(files("dpo_desk.resources").joinpath("icons").iterdir(), key=lambda e: e.name):
        pixmap = QPixmap()
        if entry.name.endswith(".png") and pixmap.loadFromData(entry.read_bytes(), "PNG"):
            icon.addPixmap(pixmap)
    return icon
