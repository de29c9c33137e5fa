"""What the first letter of a session needs, made ready on a thread of its own once the window is shown.

The first letter written in the app loaded pikepdf, jinja2 and its templates and the shipped fonts on the
window's thread: a stall of 150-250 ms (DPO_DESK_STALLS), where later letters take 20-40 ms. None of it is
needed to show the window, so it waits until the window is on screen; the fonts are registered before the
window is built instead (gui/fonts.py). (The letter languages' CLDR data is left to the first letter: 5 ms
for its language, where all of them would hold 8 MB.)
"""

from __future__ import annotations

import threading


def prepare_letters_aside() -> threading.Thread:
    """Start loading what letters need, on a thread of its own (returned): call it once the window is shown."""

    def prepare() -> None:
        from dpo_desk.letters import compose, protect

        protect.load()
        compose.load_templates()

    thread = threading.Thread(target=prepare, name="letters aside", daemon=True)
    thread.start()
    return thread
