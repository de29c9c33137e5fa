"""Art. 12(3) deadlines: the public worked cases, the explanation, and the invariants of §1.7."""

import json
from datetime import date, timedelta
from pathlib import Path

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dpo_desk.core import calendars
from dpo_desk.core.calendars import is_working_day, public_holidays
from dpo_desk.core.deadlines import (
    DeadlineInput,
    Extension,
    Pause,
    PauseKind,
    Rules,
    add_months,
    case_deadlines,
    check_extension,
    due_date,
    explain,
)
from dpo_desk.core.errors import InputError, RefusedError

VECTORS = json.loads((Path(__file__).parents[1] / "data" / "deadline-vectors-public.json").read_text())


def request_from_vector(vector: dict) -> DeadlineInput:
    return DeadlineInput(
        received=date.fromisoformat(vector["received"]),
        calendar=vector["calendar"],
        rules=Rules.parse(vector["rules"]),
        pauses=tuple(Pause(date.fromisoformat(a), date.fromisoformat(b)) for a, b in vector["pauses"]),
        extended=vector["extended"],
    )


@pytest.mark.parametrize(
    "vector",
    VECTORS,
    ids=[f"{v['received']}-{v['calendar']}-{v['rules']}-{v['expected_due']}" for v in VECTORS],
)
def test_public_vector(vector: dict) -> None:
    assert due_date(request_from_vector(vector)).isoformat() == vector["expected_due"], vector["why"]


def test_explanation_walks_through_clamp_and_roll_over() -> None:
    explanation = explain(DeadlineInput(date(2026, 1, 31), "NO", time_zone="Europe/Oslo"))
    assert explanation.due == date(2026, 3, 2)
    assert explanation.steps == (
        "received Sat 31 Jan 2026 (Europe/Oslo); the day of receipt is not counted",
        "one month: 28 Feb 2026 (no 31 Feb)",
        "Sat 28 Feb is not a working day: Saturday",
        "Sun 1 Mar is not a working day: Sunday",
        "due Mon 2 Mar 2026",
    )


def test_explanation_names_holidays_in_english() -> None:
    steps = explain(DeadlineInput(date(2026, 3, 3), "NO")).steps
    assert "Fri 3 Apr is not a working day: Good Friday (NO public holiday)" in steps
    assert "Mon 6 Apr is not a working day: Easter Monday (NO public holiday)" in steps
    assert steps[-1] == "due Tue 7 Apr 2026"


def test_explanation_shows_suspension_and_restart() -> None:
    pause = (Pause(date(2026, 3, 4), date(2026, 3, 11)),)
    eu = explain(DeadlineInput(date(2026, 3, 2), pauses=pause))
    assert "clock suspended 4 Mar – 11 Mar (identity): +7 days" in eu.steps
    ico = explain(DeadlineInput(date(2026, 3, 2), rules=Rules.ICO, pauses=pause))
    assert ico.steps[1] == "clock restarts on Wed 11 Mar 2026, when the awaited information arrived (ICO)"
    assert ico.due == date(2026, 4, 13)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 29), 1, date(2028, 2, 29)),
        (date(2025, 11, 30), 1, date(2025, 12, 30)),
        (date(2025, 11, 30), 3, date(2026, 2, 28)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
    ],
)
def test_add_months_clamps_to_month_end(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


def test_receipt_day_on_a_weekend_starts_the_clock_that_day() -> None:
    assert due_date(DeadlineInput(date(2026, 2, 7))) == date(2026, 3, 9)


def test_overlapping_pauses_are_merged() -> None:
    separate = DeadlineInput(date(2026, 3, 2), pauses=(Pause(date(2026, 3, 4), date(2026, 3, 11)),))
    overlapping = DeadlineInput(
        date(2026, 3, 2),
        pauses=(Pause(date(2026, 3, 4), date(2026, 3, 9)), Pause(date(2026, 3, 6), date(2026, 3, 11))),
    )
    assert due_date(overlapping) == due_date(separate) == date(2026, 4, 9)


@pytest.mark.parametrize(
    ("pause", "message"),
    [
        (Pause(date(2026, 3, 1), date(2026, 3, 4)), "starts before the request was received"),
        (Pause(date(2026, 3, 9), date(2026, 3, 6)), "ends before it starts"),
    ],
)
def test_impossible_pauses_are_refused(pause: Pause, message: str) -> None:
    with pytest.raises(InputError, match=message):
        due_date(DeadlineInput(date(2026, 3, 5), pauses=(pause,)))


def test_unknown_calendar_and_rules_are_refused() -> None:
    with pytest.raises(InputError, match="unknown calendar 'SE'"):
        due_date(DeadlineInput(date(2026, 3, 5), calendar="SE"))
    with pytest.raises(InputError, match="unknown rule set 'uk'"):
        Rules.parse("uk")


def test_fee_pause_does_not_suspend_under_eu_rules_and_warns() -> None:
    fee = (Pause(date(2026, 3, 4), date(2026, 3, 20), PauseKind.FEE),)
    explanation = explain(DeadlineInput(date(2026, 3, 2), pauses=fee))
    assert explanation.due == due_date(DeadlineInput(date(2026, 3, 2)))
    assert any("does not suspend the legal clock" in w for w in explanation.warnings)


def test_fee_pause_restarts_the_clock_under_ico_rules() -> None:
    fee = (Pause(date(2026, 3, 4), date(2026, 3, 20), PauseKind.FEE),)
    assert due_date(DeadlineInput(date(2026, 3, 2), rules=Rules.ICO, pauses=fee)) == date(2026, 4, 20)


def test_ico_clarification_pauses_instead_of_restarting() -> None:
    clarification = (Pause(date(2026, 3, 4), date(2026, 3, 11), PauseKind.CLARIFICATION),)
    assert due_date(DeadlineInput(date(2026, 3, 2), rules=Rules.ICO, pauses=clarification)) == date(2026, 4, 9)


def test_late_request_for_information_is_flagged() -> None:
    late = (Pause(date(2026, 3, 16), date(2026, 3, 18)),)
    warnings = explain(DeadlineInput(date(2026, 3, 2), pauses=late)).warnings
    assert any("without undue delay" in w for w in warnings)
    prompt = (Pause(date(2026, 3, 3), date(2026, 3, 5)),)
    assert explain(DeadlineInput(date(2026, 3, 2), pauses=prompt)).warnings == ()


def test_extension_warns_where_a_stricter_reading_ends_earlier() -> None:
    explanation = explain(DeadlineInput(date(2026, 1, 31), extended=True))
    assert explanation.due == date(2026, 4, 30)
    assert any("Tue 28 Apr 2026" in w for w in explanation.warnings)


def test_case_deadlines_give_notice_deadline_and_target() -> None:
    deadlines = case_deadlines(DeadlineInput(date(2026, 1, 31), "NO", extended=True), target_days=28)
    assert deadlines.due == date(2026, 4, 30)
    assert deadlines.extension_notice_due == date(2026, 3, 2)
    assert deadlines.target == date(2026, 2, 27)  # 28 Feb is a Saturday: the target moves back to Friday


def test_calendars_have_the_statutory_non_working_days() -> None:
    assert not is_working_day("FI", date(2026, 12, 24))  # Christmas Eve, Act 150/1930 § 5
    assert not is_working_day("FI", date(2026, 6, 19))  # Midsummer Eve
    assert not is_working_day("PL", date(2025, 12, 24))  # Christmas Eve, from 2025
    assert is_working_day("PL", date(2024, 12, 24))
    assert not is_working_day("NO", date(2027, 5, 17))  # Constitution Day, a Monday in 2027
    assert is_working_day("NO", date(2026, 12, 24))  # not a Norwegian public holiday
    assert is_working_day("none", date(2026, 12, 25))
    assert public_holidays("NO", 2026)[date(2026, 5, 25)] == "Pentecost Monday"


def test_statutory_days_survive_a_holidays_package_that_lacks_them(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(holidays, "country_holidays", lambda *args, **kwargs: {})
    calendars.public_holidays.cache_clear()
    try:
        assert not is_working_day("FI", date(2027, 12, 24))
        assert not is_working_day("FI", date(2027, 6, 25))  # Midsummer Eve 2027 is Friday 25 June
        assert not is_working_day("PL", date(2027, 12, 24))
        assert is_working_day("NO", date(2027, 12, 24))
    finally:
        calendars.public_holidays.cache_clear()


# --- invariants (hypothesis) -----------------------------------------------------------------

receipts = st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31))
calendar_names = st.sampled_from(calendars.CALENDARS)
rule_sets = st.sampled_from(list(Rules))


@st.composite
def pauses_after(draw: st.DrawFn, received: date) -> tuple[Pause, ...]:
    result = []
    for _ in range(draw(st.integers(0, 3))):
        start = received + timedelta(days=draw(st.integers(0, 40)))
        end = start + timedelta(days=draw(st.integers(0, 30)))
        result.append(Pause(start, end, draw(st.sampled_from(list(PauseKind)))))
    return tuple(result)


@st.composite
def requests(draw: st.DrawFn) -> DeadlineInput:
    received = draw(receipts)
    return DeadlineInput(
        received, draw(calendar_names), draw(rule_sets), draw(pauses_after(received)), draw(st.booleans())
    )


@settings(max_examples=300, deadline=None)
@given(requests())
def test_due_date_is_a_working_day_at_least_28_days_after_receipt(request: DeadlineInput) -> None:
    due = due_date(request)
    assert is_working_day(request.calendar, due)
    assert (due - request.received).days >= 28


@settings(max_examples=300, deadline=None)
@given(receipts, st.integers(1, 60), calendar_names, st.booleans())
def test_later_receipt_never_gives_an_earlier_date(received: date, later: int, calendar: str, extended: bool) -> None:
    first = due_date(DeadlineInput(received, calendar, extended=extended))
    second = due_date(DeadlineInput(received + timedelta(days=later), calendar, extended=extended))
    assert second >= first


@settings(max_examples=300, deadline=None)
@given(requests())
def test_extension_never_gives_an_earlier_date(request: DeadlineInput) -> None:
    plain = DeadlineInput(request.received, request.calendar, request.rules, request.pauses, False)
    extended = DeadlineInput(request.received, request.calendar, request.rules, request.pauses, True)
    assert due_date(extended) >= due_date(plain)


@settings(max_examples=300, deadline=None)
@given(requests())
def test_a_pause_never_gives_an_earlier_date(request: DeadlineInput) -> None:
    without = DeadlineInput(request.received, request.calendar, request.rules, (), request.extended)
    assert due_date(request) >= due_date(without)


def test_an_extension_notice_sent_in_month_one_may_be_recorded_after_it() -> None:
    """The notice decides, not the day it is entered (Art. 12(3)); a notice sent late is still refused."""
    request = DeadlineInput(received=date(2026, 1, 31), calendar="NO")
    due = due_date(request)  # 2 Mar 2026
    in_time = Extension("Data in six systems", due - timedelta(days=3))
    check_extension(request, in_time, today=due + timedelta(days=20), already_extended=False)
    late = Extension("Data in six systems", due + timedelta(days=1))
    with pytest.raises(RefusedError, match="had to be sent by"):
        check_extension(request, late, today=due + timedelta(days=20), already_extended=False)
