"""Dates in words, in English whatever the machine's locale."""

import locale
from datetime import date

from dpo_desk.core.dates import day_month_year, long_date, short_date, short_weekday_date


def test_the_four_forms() -> None:
    day = date(2026, 1, 31)
    assert (short_date(day), day_month_year(day), short_weekday_date(day), long_date(day)) == (
        "31 Jan",
        "31 Jan 2026",
        "Sat 31 Jan",
        "Sat 31 Jan 2026",
    )
    assert long_date(date(2024, 2, 29)) == "Thu 29 Feb 2024"


def test_the_machines_locale_does_not_change_them() -> None:
    previous = locale.setlocale(locale.LC_TIME)
    for name in ("nb_NO.UTF-8", "fi_FI.UTF-8", "pl_PL.UTF-8", "C"):
        try:
            locale.setlocale(locale.LC_TIME, name)
        except locale.Error:
            continue  # not installed here; "C" always is
        try:
            assert long_date(date(2026, 5, 17)) == "Sun 17 May 2026"
        finally:
            locale.setlocale(locale.LC_TIME, previous)
