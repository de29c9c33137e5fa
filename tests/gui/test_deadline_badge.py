"""The days-left badge says what stopped a case's clock, as the store records it."""

from datetime import date

import pytest

from dpo_desk.core.models import Status
from dpo_desk.gui.deadline_badge import days_left_text

TODAY = date(2026, 12, 4)


@pytest.mark.parametrize(
    ("status", "text"),
    [
        (Status.RESPONDED, "answered"),
        (Status.REFUSED, "refused"),
        (Status.WITHDRAWN, "withdrawn"),  # every finished case said "answered", a withdrawn one too
        (Status.CLOSED, "closed"),  # a case can be closed, with a reason, without any reply
    ],
)
def test_a_finished_case_says_what_finished_it(status: Status, text: str) -> None:
    assert days_left_text(TODAY, status, TODAY) == text


@pytest.mark.parametrize(
    ("due", "text"), [(date(2026, 12, 1), "3 d overdue"), (TODAY, "due today"), (date(2026, 12, 9), "5 d left")]
)
def test_an_open_case_counts_its_days(due: date, text: str) -> None:
    assert days_left_text(due, Status.IN_PROGRESS, TODAY) == text
