"""Statutory deadlines of Art. 12(3) GDPR, counted as legal-rules.md §1.7 prescribes.

One month is a calendar month from the day of receipt, which is not counted
(Reg. 1182/71 Art. 3(1)): received 5 March, due 5 April. A day that does not
exist in the last month clamps to that month's last day, and only then does a
Saturday, Sunday or public holiday roll over to the next working day.

Everything is computed by one function, :func:`_compute`, that optionally
writes down each step; the fast path (100,000 cases in a benchmark) skips the
words, the "Why this date?" view keeps them.
"""

from __future__ import annotations

import calendar as month_calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from dpo_desk.core.calendars import check_calendar, is_working_day, why_not_working
from dpo_desk.core.dates import MONTHS, long_date, short_date, short_weekday_date
from dpo_desk.core.errors import InputError, RefusedError
from dpo_desk.core.worded import Worded

RESPONSE_MONTHS = 1  # Art. 12(3): "within one month of receipt"
EXTENDED_MONTHS = 3  # Art. 12(3): "extended by two further months"
DEFAULT_TARGET_DAYS = 28  # ICO's tip: 28 days always fall within a calendar month
LATE_PAUSE_WORKING_DAYS = 3  # EDPB para 159: ask "without undue delay"


class Rules(StrEnum):
    """How a pause affects the clock."""

    EU = "eu"  # Reg. 1182/71 and EDPB 01/2022 para 159: the clock is suspended for the pause
    ICO = "ico"  # UK ICO: the clock restarts when the awaited ID or fee arrives

    @classmethod
    def parse(cls, text: str) -> Rules:
        aliases = {"eu": cls.EU, "eu-1182/71": cls.EU, "ico": cls.ICO}
        try:
            return aliases[text.strip().lower()]
        except KeyError:
            raise InputError(f"unknown rule set {text!r}: choose eu or ico") from None


class PauseKind(Worded):
    IDENTITY = "identity"
    CLARIFICATION = "clarification"
    FEE = "fee"


@dataclass(frozen=True, slots=True)
class Pause:
    """The controller asked on ``start`` and the answer arrived on ``end``."""

    start: date
    end: date
    kind: PauseKind = PauseKind.IDENTITY

    @property
    def days(self) -> int:
        return (self.end - self.start).days


@dataclass(frozen=True, slots=True)
class Deadlines:
    """The dates a case is held to, computed by :func:`case_deadlines`."""

    due: date
    extension_notice_due: date
    target: date


@dataclass(frozen=True, slots=True)
class RecordedPause:
    """A pause as the case records it: still open (no end) while the answer is awaited."""

    kind: PauseKind
    start: date
    end: date | None
    reason: str

    def as_of(self, today: date) -> Pause:
        """An open pause counts up to today: the due date moves a day for every day it lasts."""
        return Pause(self.start, self.end or max(self.start, today), self.kind)


@dataclass(frozen=True, slots=True)
class Extension:
    reasons: str
    notice_sent_on: date


@dataclass(frozen=True, slots=True)
class DeadlineInput:
    received: date  # the local date of receipt at the receiving entity
    calendar: str = "none"
    rules: Rules = Rules.EU
    pauses: tuple[Pause, ...] = ()
    extended: bool = False
    time_zone: str = ""  # only named in the explanation


@dataclass(frozen=True, slots=True)
class Explanation:
    due: date
    steps: tuple[str, ...]
    warnings: tuple[str, ...]


def add_months(day: date, months: int) -> date:
    """The same day of the month ``months`` later, clamped to the last day of a shorter month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    if day.day <= 28:  # every month has it: the common case needs no calendar lookup
        return date(year, month, day.day)
    return date(year, month, min(day.day, month_calendar.monthrange(year, month)[1]))


def roll_forward(day: date, calendar: str) -> date:
    """The first working day on or after ``day`` (Reg. 1182/71 Art. 3(4))."""
    while not is_working_day(calendar, day):
        day += timedelta(days=1)
    return day


def due_date(request: DeadlineInput) -> date:
    """The legal due date: the last day to answer, extended or not as the request says."""
    return _compute(request, None, None)


def explain(request: DeadlineInput) -> Explanation:
    """The legal due date with every step that led to it, and what the DPO should know."""
    steps: list[str] = []
    warnings: list[str] = []
    due = _compute(request, steps, warnings)
    return Explanation(due, tuple(steps), tuple(warnings))


def case_deadlines(request: DeadlineInput, target_days: int = DEFAULT_TARGET_DAYS) -> Deadlines:
    """The dates a case shows: legal due date, extension-notice (and refusal) deadline, internal target.

    The extension notice and a refusal are due within the first month (Art. 12(3)
    third sentence, Art. 12(4)), so both deadlines are the non-extended due date.
    The clock's start and suspension are counted once for all three dates.
    """
    calendar = check_calendar(request.calendar)
    start, suspended = _clock_start_and_suspension(validated_pauses(request), request)
    notice_due = _rolled_due(start, suspended, RESPONSE_MONTHS, calendar)
    due = _rolled_due(start, suspended, EXTENDED_MONTHS, calendar) if request.extended else notice_due
    return Deadlines(
        due=due, extension_notice_due=notice_due, target=_target(start, suspended, calendar, target_days, notice_due)
    )


def check_extension(request: DeadlineInput, extension: Extension, *, today: date, already_extended: bool) -> None:
    """Art. 12(3): the extension, with its reasons, must be notified within the first month."""
    if already_extended:
        raise RefusedError("the case is already extended; the period can be extended only once")
    if not extension.reasons.strip():
        raise InputError("reasons: the subject must be told why the answer takes longer")
    if extension.notice_sent_on < request.received:
        raise InputError("notice_sent_on: the notice cannot predate the request")
    if extension.notice_sent_on > today:
        raise InputError("notice_sent_on: the notice date is in the future")
    notice_due = due_date(_replace_extended(request, False))
    if extension.notice_sent_on > notice_due:
        raise RefusedError(
            f"the extension notice had to be sent by {long_date(notice_due)}; "
            f"it was sent on {long_date(extension.notice_sent_on)}"
        )
    # The notice's date decides, not the day it is recorded: a notice sent in month one may be entered later.


def check_pause(
    kind: PauseKind, start: date, reason: str, *, received: date, today: date, pauses: Sequence[RecordedPause]
) -> None:
    """A pause runs from the day more information was asked for, with what was asked and why."""
    if not reason.strip():
        raise InputError("reason: say what was asked for, and why (e.g. the concrete doubt about identity)")
    if start > today:
        raise InputError("start: the request for information cannot be in the future")
    if start < received:
        raise InputError(f"start: {start.isoformat()} is before the request was received ({received.isoformat()})")
    if any(pause.kind is kind and pause.end is None for pause in pauses):
        raise RefusedError(f"a {kind.value} pause is already open; resume it first")


def check_resume(kind: PauseKind, end: date, *, today: date, pauses: Sequence[RecordedPause]) -> RecordedPause:
    """The open pause of ``kind`` that the answer of ``end`` closes."""
    if end > today:
        raise InputError("end: the answer cannot arrive in the future")
    open_pause = next((pause for pause in pauses if pause.kind is kind and pause.end is None), None)
    if open_pause is None:
        raise RefusedError(f"no {kind.value} pause is open")
    if end < open_pause.start:
        raise InputError(f"end: {end.isoformat()} is before the pause started ({open_pause.start})")
    return open_pause


def _replace_extended(request: DeadlineInput, extended: bool) -> DeadlineInput:
    return DeadlineInput(request.received, request.calendar, request.rules, request.pauses, extended, request.time_zone)


def _target(start: date, suspended: int, calendar: str, target_days: int, first_month_due: date) -> date:
    """An internal goal ``target_days`` after the clock's (re)start, moved back onto a working day, and never
    after the first month's due date."""
    target = start + timedelta(days=target_days + suspended)
    while not is_working_day(calendar, target) and target > start:
        target -= timedelta(days=1)
    return min(target, first_month_due)


def validated_pauses(request: DeadlineInput) -> tuple[Pause, ...]:
    """The pauses of ``request``, once each is checked to satisfy receipt ≤ start ≤ end."""
    for pause in request.pauses:
        if pause.start < request.received:
            raise InputError(
                f"pause {pause.start.isoformat()}:{pause.end.isoformat()} starts before the request "
                f"was received ({request.received.isoformat()})"
            )
        if pause.end < pause.start:
            raise InputError(f"pause {pause.start.isoformat()}:{pause.end.isoformat()} ends before it starts")
    return tuple(request.pauses)


def _merge(pauses: list[Pause]) -> list[Pause]:
    merged: list[Pause] = []
    for pause in sorted(pauses, key=lambda p: (p.start, p.end)):
        if merged and pause.start <= merged[-1].end:
            last = merged[-1]
            merged[-1] = Pause(last.start, max(last.end, pause.end), last.kind)
        else:
            merged.append(pause)
    return merged


def _restarts_clock(pause: Pause, rules: Rules) -> bool:
    """ICO: awaited ID or fee restarts the month; a clarification only pauses it (§1.7 item 6)."""
    return rules is Rules.ICO and pause.kind is not PauseKind.CLARIFICATION


def _suspends_clock(pause: Pause, rules: Rules) -> bool:
    """EU: identity and clarification suspend the clock; waiting for a fee does not (§1.7 item 5)."""
    if rules is Rules.EU:
        return pause.kind is not PauseKind.FEE
    return pause.kind is PauseKind.CLARIFICATION


def _clock_start_and_suspension(pauses: tuple[Pause, ...], request: DeadlineInput) -> tuple[date, int]:
    if not pauses:
        return request.received, 0
    start = max([request.received] + [p.end for p in pauses if _restarts_clock(p, request.rules)])
    suspensions = _merge([p for p in pauses if _suspends_clock(p, request.rules) and p.end > start])
    # A suspension that began before an ICO restart only counts from the restart on.
    return start, sum((p.end - max(p.start, start)).days for p in suspensions)


def _rolled_due(start: date, suspended: int, months: int, calendar: str) -> date:
    end = add_months(start, months)
    return roll_forward(end + timedelta(days=suspended) if suspended else end, calendar)


def _compute(request: DeadlineInput, steps: list[str] | None, warnings: list[str] | None) -> date:
    calendar = check_calendar(request.calendar)
    pauses = validated_pauses(request)
    start, suspended = _clock_start_and_suspension(pauses, request)
    months = EXTENDED_MONTHS if request.extended else RESPONSE_MONTHS
    period_end = add_months(start, months)
    end = period_end + timedelta(days=suspended) if suspended else period_end
    due = roll_forward(end, calendar)
    if steps is not None and warnings is not None:
        _write_steps(request, pauses, start, months, period_end, end, due, steps)
        _write_warnings(request, pauses, due, warnings)
    return due


def _write_steps(
    request: DeadlineInput,
    pauses: tuple[Pause, ...],
    start: date,
    months: int,
    period_end: date,
    end: date,
    due: date,
    steps: list[str],
) -> None:
    zone = f" ({request.time_zone})" if request.time_zone else ""
    steps.append(f"received {long_date(request.received)}{zone}; the day of receipt is not counted")
    if start != request.received:
        steps.append(f"clock restarts on {long_date(start)}, when the awaited information arrived (ICO)")
    period = "one month" if months == 1 else "three months (extended)"
    missing = ""
    if period_end.day != start.day:
        missing = f" (no {start.day} {MONTHS[period_end.month - 1]})"
    steps.append(f"{period}: {short_date(period_end)} {period_end.year}{missing}")
    for pause in _merge([p for p in pauses if _suspends_clock(p, request.rules) and p.end > start]):
        counted_from = max(pause.start, start)
        steps.append(
            f"clock suspended {short_date(counted_from)} – {short_date(pause.end)} ({pause.kind}): "
            f"+{(pause.end - counted_from).days} days"
        )
    if end != period_end:
        steps.append(f"end of period after suspensions: {long_date(end)}")
    day = end
    while day < due:
        steps.append(f"{short_weekday_date(day)} is not a working day: {why_not_working(request.calendar, day)}")
        day += timedelta(days=1)
    steps.append(f"due {long_date(due)}")


def _write_warnings(request: DeadlineInput, pauses: tuple[Pause, ...], due: date, warnings: list[str]) -> None:
    for pause in pauses:
        if request.rules is Rules.EU and pause.kind is PauseKind.FEE:
            warnings.append(
                f"the fee pause from {long_date(pause.start)} is recorded, but under EU rules waiting for "
                "a fee does not suspend the legal clock"
            )
        delay = _working_days_between(request.received, pause.start, request.calendar)
        if _suspends_clock(pause, request.rules) and delay > LATE_PAUSE_WORKING_DAYS:
            warnings.append(
                f"the request for information on {long_date(pause.start)} came {delay} working days after "
                "receipt; a suspension needs it asked without undue delay (EDPB 01/2022 para 159)"
            )
    if request.extended:
        first = _replace_extended(request, False)
        stricter = roll_forward(add_months(_unrolled_first_end(first), 2), request.calendar)
        if stricter < due:
            warnings.append(
                f"a stricter reading (two further months from the unrolled first deadline) gives "
                f"{long_date(stricter)}; answering by then is safe under either reading"
            )


def _unrolled_first_end(request: DeadlineInput) -> date:
    start, suspended = _clock_start_and_suspension(validated_pauses(request), request)
    return add_months(start, RESPONSE_MONTHS) + timedelta(days=suspended)


def _working_days_between(first: date, last: date, calendar: str) -> int:
    count, day = 0, first
    while day < last:
        day += timedelta(days=1)
        count += is_working_day(calendar, day)
    return count
