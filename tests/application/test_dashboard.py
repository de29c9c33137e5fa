"""The dashboard's figures against answers computed another way: from each case and its history, in Python.

Each figure's list (its CaseQuery) must hold exactly the cases it counts."""

import csv
import io
import math
import statistics
import subprocess
from datetime import date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest

from dpo_desk.application.dashboard import FIGURES, Reminder
from dpo_desk.application.demo import populate
from dpo_desk.application.desk import Desk
from dpo_desk.cli import main
from dpo_desk.core.calendars import working_days_ahead
from dpo_desk.core.models import OPEN_STATUSES, Answer, Case, CaseQuery, Right, Scope, Status
from dpo_desk.core.next_step import NOTICE_WARNING_DAYS, next_step
from tests.conftest import NOW

ANSWERS = (Status.RESPONDED, Status.REFUSED, Status.CLOSED)


def answered_on(desk: Desk, case: Case) -> date | None:
    moments = [e.at for e in desk.cases.history(case.id) if e.action == "status" and e.to_status in ANSWERS]
    return min(moments).astimezone(ZoneInfo(case.entity.time_zone)).date() if moments else None


def expected_scope(desk: Desk, case: Case, scope: Scope, today: date) -> bool:
    is_open = case.status in OPEN_STATUSES
    due = case.deadlines.due
    return {
        Scope.ALL: True,
        Scope.OPEN: is_open,
        Scope.OVERDUE: is_open and due < today,
        Scope.DUE_SOON: is_open and today <= due <= today + timedelta(days=6),
        Scope.PAUSED: is_open and bool(case.open_pauses),
        Scope.EXTENSION_NOTICE_DUE: is_open
        and case.extension is None
        and today <= case.deadlines.extension_notice_due <= today + timedelta(days=NOTICE_WARNING_DAYS)
        and due >= today,
        Scope.NOTICES_OUTSTANDING: any(n.state.value == "to-notify" for n in desk.outcomes.notices(case.id)),
    }[scope]


def test_every_figure_counts_exactly_the_cases_its_list_shows(desk: Desk) -> None:
    populate(desk, cases=150, seed=11)
    today = NOW.date()
    cases = desk.cases.cases(desk.cases.find_ids(CaseQuery(), today=today))
    counts = desk.dashboard.counts(today)
    assert set(counts) == set(FIGURES)
    for scope in Scope:
        expected = {case.id for case in cases if expected_scope(desk, case, scope, today)}
        listed = set(desk.cases.find_ids(CaseQuery(scope=scope), today=today))
        assert listed == expected, scope
        if scope in counts:
            assert counts[scope] == len(expected), scope
    assert counts[Scope.OPEN] > 0 and counts[Scope.OVERDUE] > 0 and counts[Scope.PAUSED] > 0  # the store shows them

    months = desk.dashboard.months(today)
    assert len(months) == 12 and months[-1].first == today.replace(day=1)
    for bar in months:
        for right in Right:
            received = {c.id for c in cases if bar.first <= c.received_date <= bar.last and right in c.rights}
            assert bar.by_right.get(right, 0) == len(received)
            assert set(desk.cases.find_ids(bar.query(right), today=today)) == received
    assert sum(sum(bar.by_right.values()) for bar in months) > 100

    answers = {case.id: answered_on(desk, case) for case in cases}
    for bar in desk.dashboard.quarters(today):
        inside = [c for c in cases if (day := answers[c.id]) is not None and bar.first <= day <= bar.last]
        late = {c.id for c in inside if answers[c.id] > c.deadlines.due}  # type: ignore[operator]
        extended = {c.id for c in inside if c.id not in late and c.extension is not None}
        assert (bar.answered, bar.late, bar.on_time_extended) == (len(inside), len(late), len(extended))
        assert bar.on_time == len(inside) - len(late) - len(extended)
        assert set(desk.cases.find_ids(bar.query(), today=today)) == {c.id for c in inside}
        assert set(desk.cases.find_ids(bar.query(Answer.LATE), today=today)) == late
        assert set(desk.cases.find_ids(bar.query(Answer.ON_TIME_EXTENDED), today=today)) == extended

    deadlines = desk.dashboard.next_deadlines(today)
    soonest = sorted((c for c in cases if c.status in OPEN_STATUSES), key=lambda c: (c.deadlines.due, c.id))[:10]
    assert [d.summary.id for d in deadlines] == [c.id for c in soonest]
    assert all(d.days_left == (d.summary.due - today).days and d.next_step for d in deadlines)
    assert [d.next_step for d in deadlines] == [next_step(desk.state(d.summary.id)) for d in deadlines]


def test_the_next_steps_shown_do_not_search_for_earlier_cases(desk: Desk) -> None:
    """The next step reads none of the subject's earlier cases: ten searches of the store saved each time."""
    populate(desk, cases=40, seed=5)
    statements: list[str] = []
    desk._db.conn.set_trace_callback(statements.append)
    try:
        assert desk.dashboard.figures(NOW.date()).deadlines
    finally:
        desk._db.conn.set_trace_callback(None)
    assert not [sql for sql in statements if "name_key" in sql or "email_key" in sql]


def test_the_calendar_has_stable_all_day_events_without_names(desk: Desk) -> None:
    populate(desk, cases=40, seed=5)
    today = NOW.date()
    first = icalendar.Calendar.from_ical(desk.dashboard.calendar(today, "store-1", now=NOW))
    again = icalendar.Calendar.from_ical(desk.dashboard.calendar(today, "store-1", now=NOW + timedelta(hours=3)))
    events = list(first.walk("VEVENT"))
    open_cases = desk.cases.cases(desk.cases.find_ids(CaseQuery(scope=Scope.OPEN), today=today))
    due_events = [e for e in events if str(e["uid"]).endswith("-due@store-1")]
    assert len(due_events) == len(open_cases) > 0
    assert [str(e["uid"]) for e in events] == [str(e["uid"]) for e in again.walk("VEVENT")]
    by_uid = {str(e["uid"]): e for e in events}
    for case in open_cases:
        event = by_uid[f"{case.reference}-due@store-1"]
        due = case.deadlines.due
        assert (event.decoded("dtstart"), event.decoded("dtend")) == (due, due + timedelta(days=1))  # all day
        assert str(event["summary"]) == f"{case.reference}: reply due"
        alarms = event.walk("VALARM")
        assert [(a["action"], a.decoded("trigger")) for a in alarms] == [
            ("DISPLAY", timedelta(hours=-15)), ("DISPLAY", timedelta(hours=9))
        ]  # fmt: skip
    text = desk.dashboard.calendar(today, "store-1", now=NOW).decode()
    for case in desk.cases.cases(desk.cases.find_ids(CaseQuery(), today=today)):
        assert case.subject.name not in text and all(email not in text for email in case.subject.emails)
    within = icalendar.Calendar.from_ical(desk.dashboard.calendar(today, "store-1", days=7, now=NOW))
    assert all(e.decoded("dtstart") <= today + timedelta(days=7) for e in within.walk("VEVENT"))


def test_the_command_line_writes_the_calendar_and_the_register(
    desk: Desk, store_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    populate(desk, cases=40, seed=5)
    store = ["--store", str(store_path)]
    ics = tmp_path / "deadlines.ics"
    assert main([*store, "calendar", "--out", str(ics), "--days", "10"]) == 0
    events = list(icalendar.Calendar.from_ical(ics.read_bytes()).walk("VEVENT"))
    assert capsys.readouterr().out == f"wrote {ics}: {len(events)} events\n"
    register = tmp_path / "register.csv"
    assert main([*store, "register", "--out", str(register), "--year", str(NOW.year)]) == 0
    raw = register.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # a spreadsheet reads it as UTF-8
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    received = [c for c in desk.cases.cases(desk.cases.find_ids(CaseQuery(), today=NOW.date()))
                if c.received_date.year == NOW.year]  # fmt: skip
    assert sorted(row["Reference"] for row in rows) == sorted(c.reference for c in received)
    assert capsys.readouterr().out == f"wrote {register}: {len(rows)} cases\n"
    for row in rows:
        case = desk.cases.get(row["Reference"])
        answered = answered_on(desk, case)
        assert row["Answered on"] == (answered.isoformat() if answered else "")
        assert row["Days taken"] == (str((answered - case.received_date).days) if answered else "")
        assert case.subject.name not in raw.decode("utf-8-sig")
    assert desk.audit.latest(1)[0].action == "register-exported"


def test_working_days_ahead_follow_each_countrys_holidays() -> None:
    wednesday = date(2026, 4, 1)  # Maundy Thursday, Good Friday and Easter Monday are holidays in Norway
    assert working_days_ahead("NO", wednesday, 1) == date(2026, 4, 7)
    assert working_days_ahead("PL", wednesday, 1) == date(2026, 4, 2)  # Poland keeps only Easter Monday
    assert working_days_ahead("NO", wednesday, 0) == wednesday


def test_the_reminder_counts_open_cases_due_within_each_entitys_working_days(desk: Desk) -> None:
    populate(desk, cases=150, seed=11)
    today = NOW.date()
    reminder = desk.dashboard.reminder(today, 3)
    cases = desk.cases.cases(desk.cases.find_ids(CaseQuery(), today=today))
    due = {
        c.id for c in cases
        if c.status in OPEN_STATUSES and c.deadlines.due <= working_days_ahead(c.entity.calendar, today, 3)
    }  # fmt: skip
    assert reminder.due == len(due) > 0
    assert set(desk.cases.find_ids(reminder.due_query, today=today)) == due
    assert reminder.notices == desk.dashboard.counts(today)[Scope.EXTENSION_NOTICE_DUE]
    assert str(reminder).startswith(f"{len(due)} open cases overdue or due within 3 working days")


def test_the_yearly_report_counts_what_each_case_records(
    desk: Desk, store_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], qapp: object
) -> None:
    # qapp first: the command line's renderer would otherwise make a QGuiApplication that outlives this
    # test, and every widget test after it would find no QApplication.
    populate(desk, cases=150, seed=11)
    cases = [c for c in desk.cases.cases(desk.cases.find_ids(CaseQuery(), today=NOW.date()))
             if c.received_date.year == NOW.year]  # fmt: skip
    report = desk.yearly_report(NOW.year)
    answers = {c.id: answered_on(desk, c) for c in cases}
    answered = [c for c in cases if answers[c.id] is not None]
    days = sorted((answers[c.id] - c.received_date).days for c in answered)  # type: ignore[operator]
    late = [c for c in answered if answers[c.id] > c.deadlines.due]  # type: ignore[operator]
    extended = [c for c in answered if c not in late and c.extension is not None]
    refusals = [r for c in cases if (r := desk.decisions.refusal(c.id)) is not None]
    fees = [f for c in cases if (f := desk.decisions.fee(c.id)) is not None]
    notices = [n for c in cases for n in desk.outcomes.notices(c.id)]
    expected = {
        ("requests", "received"): str(len(cases)),
        ("answers", "answered"): str(len(answered)),
        ("answers", "median days to answer"): f"{statistics.median(days):g}",
        ("answers", "90th percentile days to answer"): str(days[math.ceil(0.9 * len(days)) - 1]),
        ("answers", "late"): str(len(late)),
        ("answers", "still open and past the due date"): str(
            sum(1 for c in cases if c.status in OPEN_STATUSES and c.deadlines.due < NOW.date())
        ),
        ("answers", "on time after an extension"): str(len(extended)),
        ("answers", "on time"): str(len(answered) - len(late) - len(extended)),
        ("refusals", "full"): str(sum(1 for r in refusals if not r.partial)),
        ("refusals", "partial"): str(sum(1 for r in refusals if r.partial)),
        ("Art. 19", "notices sent"): str(sum(1 for n in notices if n.state.value in ("notified", "confirmed"))),
        ("identity", "checks failed"): str(
            sum(1 for c in cases for check in desk.workflow.checks(c.id) if check.outcome.value == "failed")
        ),
    }
    rows = {(section, item): value for section, item, value in report.rows()}
    assert {key: rows[key] for key in expected} == expected
    for right in Right:
        count = sum(1 for c in cases if right in c.rights)
        assert rows.get(("per right", right.label), "0") == str(count)
    assert sum(int(v) for (section, _), v in rows.items() if section == "fees announced") == len(fees)
    assert len(answered) > 50 and refusals and fees and notices  # the demo shows each figure

    pdf, table = tmp_path / "report.pdf", tmp_path / "report.csv"
    assert main(["--store", str(store_path), "report", "--year", str(NOW.year), "--out", str(pdf)]) == 0
    assert main(["--store", str(store_path), "report", "--year", str(NOW.year), "--out", str(table)]) == 0
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert f"Data-subject requests {NOW.year}: all entities" in text  # no password: no personal data in it
    assert all(c.subject.name not in text and c.reference not in text for c in cases)
    # The command line's clock is the computer's: only what is counted as of today may differ.
    written = list(csv.reader(io.StringIO(table.read_bytes().decode("utf-8-sig"))))[1:]
    dated = {("report", "received until"), ("answers", "still open and past the due date")}
    assert [r for r in written if tuple(r[:2]) not in dated] == [list(r) for r in report.rows() if r[:2] not in dated]
    assert main(["--store", str(store_path), "report", "--year", "2026", "--out", str(tmp_path / "r.txt")]) == 2
    assert "the report is written as .pdf or .csv" in capsys.readouterr().err


def test_a_case_answered_twice_in_one_second_counts_once(desk: Desk) -> None:
    populate(desk, cases=40, seed=5)
    today = NOW.date()
    closed = next(c for c in desk.cases.cases(desk.cases.find_ids(CaseQuery(), today=today))
                  if answered_on(desk, c) is not None)  # fmt: skip
    first = min(e.at for e in desk.cases.history(closed.id) if e.action == "status" and e.to_status in ANSWERS)
    before = desk.dashboard.quarters(today)
    with desk.transaction():  # a second answer within the same second as the first
        desk.cases._record(closed.id, first, "d", "status", Status.RESPONDED, Status.CLOSED, "again")
    bars = desk.dashboard.quarters(today)
    assert bars == before
    quarter = next(bar for bar in bars if bar.first <= answered_on(desk, closed) <= bar.last)  # type: ignore[operator]
    listed = desk.cases.find_ids(quarter.query(), today=today)
    assert quarter.answered == len(listed) == len(set(listed))


def test_the_reminder_counts_with_thousands_separators() -> None:
    """It read "2723 open cases overdue…" at 100,000 cases, where the dashboard's figure above read "1,821"."""
    assert str(Reminder(working_days=3, due=2723, notices=1)) == (
        "2,723 open cases overdue or due within 3 working days;"
        " 1 open case with the last day to notify an extension within 7 days"
    )
