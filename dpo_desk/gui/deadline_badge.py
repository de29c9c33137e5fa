"""How many days a case has left, as words and colours shared by the list and the case view."""

from __future__ import annotations

from datetime import date

from PySide6.QtGui import QColor

from dpo_desk.core.models import Status

OVERDUE = QColor("#c62828")
DUE_SOON = QColor("#b45309")  # amber dark enough for white text (WCAG 4.5:1)
ON_TRACK = QColor("#2e7d32")
ANSWERED = QColor("#757575")


def days_left_text(due: date, status: Status, today: date) -> str:
    if not status.is_open:
        # What stopped the clock, as recorded: a withdrawn case, or one closed without a reply, was not answered.
        return "answered" if status is Status.RESPONDED else status.label.lower()
    left = (due - today).days
    if left < 0:
        return f"{-left} d overdue"
    if left == 0:
        return "due today"
    return f"{left} d left"


def days_left_colour(due: date, status: Status, today: date, due_soon_days: int) -> QColor:
    if not status.is_open:
        return ANSWERED
    left = (due - today).days
    if left < 0:
        return OVERDUE
    return DUE_SOON if left <= due_soon_days else ON_TRACK
