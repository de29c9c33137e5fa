"""What the first case opened and the first letter need, loaded on a thread of its own once the window is on
screen: this year's calendars (the holidays package) and the letter languages' names (Babel's locales).

Loaded on the window's thread they froze it: the calendars 815 ms at the first case opened, as DPO_DESK_STALLS
showed. Loaded from the process's start they slowed it by competing with the window's own start for the
interpreter (0.14 s of 1.18 s at 100,000 cases)."""

from __future__ import annotations

import threading

from dpo_desk.core.calendars import CALENDARS, public_holidays
from dpo_desk.letters.language import letter_language_names


def preload_aside(year: int) -> threading.Thread:
    """Start loading; the thread, so that a test can wait for it. Each part is cached where it is used, so
    whatever asks for one before the thread is done computes it itself (the same value)."""

    def load() -> None:
        for calendar in CALENDARS:
            public_holidays(calendar, year)
        letter_language_names()

    thread = threading.Thread(target=load, name="preload", daemon=True)
    thread.start()
    return thread
