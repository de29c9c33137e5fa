"""What is due, and how did we do: the dashboard's figures, the reminders and the deadlines calendar.

Every figure comes with the :class:`CaseQuery` that lists exactly the cases it counts, so that a click on
it and the list agree. The counting itself is SQL (``store/statistics.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from dpo_desk.core.case_state import CaseState
from dpo_desk.core.dates import MONTHS
from dpo_desk.core.deadlines import add_months
from dpo_desk.core.models import Answer, CaseQuery, CaseSummary, Right, Scope
from dpo_desk.core.next_step import next_step
from dpo_desk.store.cases import CaseRepository
from dpo_desk.store.statistics import Statistics

if TYPE_CHECKING:
    import icalendar

FIGURES = (
    Scope.OPEN,
    Scope.DUE_SOON,
    Scope.OVERDUE,
    Scope.PAUSED,
    Scope.EXTENSION_NOTICE_DUE,
    Scope.NOTICES_OUTSTANDING,
)
NEXT_DEADLINES = 10
MONTHS_SHOWN = 12
QUARTERS_SHOWN = 4


@dataclass(frozen=True, slots=True)
class Deadline:
    summary: CaseSummary
    days_left: int
    next_step: str


@dataclass(frozen=True, slots=True)
class MonthBar:
    first: date
    last: date
    by_right: dict[Right, int]

    @property
    def label(self) -> str:
        return f"{MONTHS[self.first.month - 1]} {self.first:%y}"

    def query(self, right: Right | None = None) -> CaseQuery:
        return CaseQuery(received_from=self.first, received_until=self.last, right=right, sort="received")


@dataclass(frozen=True, slots=True)
class QuarterBar:
    first: date
    last: date
    answered: int
    on_time: int  # within the first term
    on_time_extended: int  # within the extended term
    late: int

    @property
    def label(self) -> str:
        return f"Q{(self.first.month - 1) // 3 + 1} {self.first.year}"

    @property
    def on_time_rate(self) -> float | None:
        return (self.on_time + self.on_time_extended) / self.answered if self.answered else None

    def query(self, how: Answer | None = None) -> CaseQuery:
        return CaseQuery(answered_from=self.first, answered_until=self.last, answered_how=how, sort="received")


@dataclass(frozen=True, slots=True)
class Reminder:
    """What the app reminds of: open cases due within the working days set, and extension notices due."""

    working_days: int
    due: int
    notices: int

    @property
    def due_query(self) -> CaseQuery:
        return CaseQuery(due_within_working_days=self.working_days, sort="due", descending=False)

    @property
    def notices_query(self) -> CaseQuery:
        return CaseQuery(scope=Scope.EXTENSION_NOTICE_DUE, sort="due", descending=False)

    def __str__(self) -> str:
        parts = []
        if self.due:
            parts.append(f"{_cases(self.due)} overdue or due within {self.working_days} working days")
        if self.notices:
            parts.append(f"{_cases(self.notices)} with the last day to notify an extension within 7 days")
        return "; ".join(parts)


def _cases(count: int) -> str:
    return f"{count:,} open case{'s' if count != 1 else ''}"


@dataclass(frozen=True, slots=True)
class DashboardFigures:
    """Everything the dashboard shows, read at once (in a worker thread, on a connection of its own)."""

    today: date
    counts: dict[Scope, int]
    deadlines: list[Deadline]
    months: list[MonthBar]
    quarters: list[QuarterBar]


class Dashboard:
    def __init__(self, statistics: Statistics, cases: CaseRepository, state: Callable[[int], CaseState]) -> None:
        self._statistics = statistics
        self._cases = cases
        self._state = state

    def figures(self, today: date) -> DashboardFigures:
        return DashboardFigures(
            today, self.counts(today), self.next_deadlines(today), self.months(today), self.quarters(today)
        )

    def counts(self, today: date) -> dict[Scope, int]:
        return self._statistics.counts(FIGURES, today)

    def reminder(self, today: date, working_days: int) -> Reminder:
        due = len(self._cases.find_ids(CaseQuery(due_within_working_days=working_days), today=today))
        return Reminder(working_days, due, self._statistics.count(Scope.EXTENSION_NOTICE_DUE, today))

    def next_deadlines(self, today: date, limit: int = NEXT_DEADLINES) -> list[Deadline]:
        ids = self._statistics.next_deadlines(today, limit)
        summaries = self._cases.summaries(ids)
        return [
            Deadline(summaries[case_id], (summaries[case_id].due - today).days, next_step(self._state(case_id)))
            for case_id in ids
        ]

    def months(self, today: date, count: int = MONTHS_SHOWN) -> list[MonthBar]:
        """Requests received per month by right, the current month last."""
        firsts = [add_months(today.replace(day=1), -n) for n in reversed(range(count))]
        ranges = [(first, add_months(first, 1) - timedelta(days=1)) for first in firsts]
        received = self._statistics.received_by_month_and_right(ranges[0][0], ranges[-1][1])
        bars = []
        for first, last in ranges:
            counted = {right: received.get((f"{first:%Y-%m}", right.value), 0) for right in Right}
            bars.append(MonthBar(first, last, {right: count for right, count in counted.items() if count}))
        return bars

    def quarters(self, today: date, count: int = QUARTERS_SHOWN) -> list[QuarterBar]:
        """Cases answered per quarter, on time or late, the current quarter last."""
        current = date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
        earliest = add_months(current, -3 * (count - 1))
        days = self._statistics.answered_by_day(earliest, add_months(current, 3) - timedelta(days=1))  # one query
        bars = []
        for n in reversed(range(count)):
            first = add_months(current, -3 * n)
            last = add_months(first, 3) - timedelta(days=1)
            inside = [day for day in days if first <= day.day <= last]
            answered = sum(day.answered for day in inside)
            on_time = sum(day.on_time for day in inside)
            extended = sum(day.on_time_extended for day in inside)
            bars.append(QuarterBar(first, last, answered, on_time, extended, answered - on_time - extended))
        return bars

    def calendar(self, today: date, store_id: str, *, days: int | None = None, now: datetime) -> bytes:
        """The open cases' deadlines as iCalendar: all-day events with alarms the day before and on the day,
        each UID the same in every export (a re-import updates the event). The case reference and next step
        only: no name."""
        import icalendar  # loaded when first used: the window's start does not need it

        query = CaseQuery(scope=Scope.OPEN, due_within_days=days, sort="due", descending=False)
        calendar = icalendar.Calendar()
        calendar.add("prodid", "-//DPO Desk//deadlines//EN")
        calendar.add("version", "2.0")
        calendar.add("x-wr-calname", "DPO Desk deadlines")
        for case_id in self._cases.find_ids(query, today=today):
            state = self._state(case_id)
            case = state.case
            step = next_step(state)
            reference = case.reference
            calendar.add_component(
                _event(f"{reference}-due@{store_id}", case.deadlines.due, f"{reference}: reply due", step, now)
            )
            notice = case.deadlines.extension_notice_due
            if case.extension is None and today <= notice < case.deadlines.due:
                calendar.add_component(
                    _event(
                        f"{case.reference}-extension-notice@{store_id}", notice,
                        f"{case.reference}: last day to notify an extension", step, now,
                    )
                )  # fmt: skip
        return bytes(calendar.to_ical())


def _event(uid: str, day: date, summary: str, description: str, now: datetime) -> icalendar.Event:
    import icalendar

    event = icalendar.Event()
    event.add("uid", uid)
    event.add("dtstamp", now)
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("summary", summary)
    event.add("description", description)
    event.add("transp", "TRANSPARENT")
    for before in (timedelta(hours=-15), timedelta(hours=9)):  # 09:00 the day before, and on the day
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", summary)
        alarm.add("trigger", before)
        event.add_component(alarm)
    return event
