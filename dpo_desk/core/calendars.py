"""Working days of the calendars a deadline can roll over: NO, FI, PL and none.

Holidays come from the `holidays` package, checked against the statutes in
legal-rules.md §12; the days the deadline laws add and older releases of the
package lack are added here, so a package upgrade cannot silently drop them.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from datetime import date, timedelta

from dpo_desk.core.errors import InputError

CALENDARS = ("NO", "FI", "PL", "none")


def check_calendar(calendar: str) -> str:
    if calendar not in CALENDARS:
        raise InputError(f"unknown calendar {calendar!r}: choose one of {', '.join(CALENDARS)}")
    return calendar


def _midsummer_eve(year: int) -> date:
    """The Friday between 19 and 25 June (Finnish Act 150/1930 § 5 counts it as non-working)."""
    first = date(year, 6, 19)
    return first + timedelta(days=(4 - first.weekday()) % 7)


def _statutory_additions(calendar: str, year: int) -> dict[date, str]:
    if calendar == "FI":
        return {date(year, 12, 24): "Christmas Eve", _midsummer_eve(year): "Midsummer Eve"}
    if calendar == "PL" and year >= 2025:  # Christmas Eve became a Polish public holiday in 2025
        return {date(year, 12, 24): "Christmas Eve"}
    return {}


@functools.cache
def public_holidays(calendar: str, year: int) -> Mapping[date, str]:
    """The public holidays of ``calendar`` in ``year``, named in English; cached per year."""
    check_calendar(calendar)
    if calendar == "none":
        return {}
    import holidays  # loaded when first used: the window's start does not need it (the list shows stored dates)

    found: dict[date, str] = dict(holidays.country_holidays(calendar, years=year, language="en_US"))
    for day, name in _statutory_additions(calendar, year).items():
        found.setdefault(day, name)
    return found


def holiday_name(calendar: str, day: date) -> str | None:
    return public_holidays(calendar, day.year).get(day)


def is_working_day(calendar: str, day: date) -> bool:
    """Monday to Friday and not a public holiday (Reg. 1182/71 Art. 2(2))."""
    return day.weekday() < 5 and day not in public_holidays(calendar, day.year)


def working_days_ahead(calendar: str, start: date, count: int) -> date:
    """The ``count``-th working day after ``start`` (``start`` itself for 0): a reminder's horizon."""
    day = start
    while count > 0:
        day += timedelta(days=1)
        count -= is_working_day(calendar, day)
    return day


def why_not_working(calendar: str, day: date) -> str:
    """Why ``day`` is not a working day, in words for the explanation."""
    name = holiday_name(calendar, day)
    if name:
        return f"{name} ({calendar} public holiday)"
    return "Saturday" if day.weekday() == 5 else "Sunday"
