"""What the first case opened and the first letter need, loaded on a worker thread once the window is on
screen (``MainWindow``, with the case page's services): this year's calendars (the holidays package), the letter
languages' names (Babel's locales), and the phone and e-mail libraries (a case shown reads its earlier cases by
phone: phonenumbers took 50 ms of the first case opened at 100,000 cases; a case typed in checks its e-mail
addresses).

Loaded on the window's thread they froze it: the calendars 815 ms at the first case opened, as DPO_DESK_STALLS
showed. Loaded from the process's start they slowed it by competing with the window's own start for the
interpreter (0.14 s of 1.18 s at 100,000 cases). Loaded on a thread of their own while the case left open was
shown, the window waited for them: 199-208 ms for the holidays' countries, 283 ms for Babel's data."""

from __future__ import annotations

from dpo_desk.core.calendars import CALENDARS, public_holidays
from dpo_desk.core.identifiers import check_email, phone_key
from dpo_desk.letters.language import letter_language_names


def preload(year: int) -> None:
    """Load them. Each part is kept where it is used (a cache, a module loaded), so whatever asks for one before
    this is done loads it itself (the same value)."""
    for calendar in CALENDARS:
        public_holidays(calendar, year)
    letter_language_names()
    phone_key("+47 22 00 00 00", "NO")
    check_email("dpo@example.com")
