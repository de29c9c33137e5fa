"""The fonts shipped in dpo_desk/resources/fonts, registered with Qt so that letters look the same on every
laptop.

The app registers them before it builds its window: registering a font makes Qt lay out and paint again every
widget there is, so registered once the window was up (by the thread that prepares letters) it froze the
window 166-212 ms in two of six starts at 100,000 cases (DPO_DESK_STALLS). Before the window it takes 6-10 ms.
"""

from __future__ import annotations

import functools
import threading
from importlib.resources import as_file, files

from PySide6.QtGui import QFontDatabase

_LOADING = threading.Lock()


def load_shipped_fonts() -> tuple[str, ...]:
    """Register them, once, by whichever thread asks first; their families."""
    with _LOADING:
        return _register()


@functools.cache
def _register() -> tuple[str, ...]:
    families: list[str] = []
    for font in sorted(files("dpo_desk.resources").joinpath("fonts").iterdir(), key=lambda f: f.name):
        if font.name.endswith(".ttf"):
            with as_file(font) as path:
                families += QFontDatabase.applicationFontFamilies(QFontDatabase.addApplicationFont(str(path)))
    return tuple(dict.fromkeys(families))
