"""Dates in words, in English whatever the machine's locale (letters and explanations need that)."""

from __future__ import annotations

from datetime import date

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def short_date(day: date) -> str:
    """'31 Jan'."""
    return f"{day.day} {MONTHS[day.month - 1]}"


def day_month_year(day: date) -> str:
    """'31 Jan 2026'."""
    return f"{short_date(day)} {day.year}"


def short_weekday_date(day: date) -> str:
    """'Sat 31 Jan'."""
    return f"{WEEKDAYS[day.weekday()]} {short_date(day)}"


def long_date(day: date) -> str:
    """'Sat 31 Jan 2026'."""
    return f"{short_weekday_date(day)} {day.year}"
