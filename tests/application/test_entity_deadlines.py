"""An entity's calendar and time zone: a change is asked about with the due dates it moves, moves only the
open cases' dates, says so in the audit and in each case's history, and a wrong value is refused."""

from datetime import UTC, date, datetime

import pytest

from dpo_desk.application.desk import Desk
from dpo_desk.application.entity_fields import deadline_question
from dpo_desk.core.errors import InputError
from dpo_desk.core.models import Status
from tests.conftest import NOW, new_case

AMERICAS = "Altoros Americas LLC"
MID_APRIL = datetime(2026, 4, 14, 15, tzinfo=UTC)  # due Thursday 14 May, Ascension Day in Norway
LATE_MARCH = datetime(2026, 3, 31, 23, 30, tzinfo=UTC)  # 1 April in Oslo, still 31 March in New York


def test_a_new_calendar_moves_the_open_cases_and_the_closed_keep_their_dates(desk: Desk) -> None:
    open_case = desk.add_case(new_case(entity=AMERICAS, received=MID_APRIL))
    closed_case = desk.add_case(new_case(entity=AMERICAS, received=MID_APRIL, name="Kari Nordmann"))
    desk.cases.change_status(closed_case, Status.CLOSED, actor="dpo", reason="withdrawn by phone", now=NOW)
    norway_case = desk.add_case(new_case(received=MID_APRIL))

    preview = desk.deadlines_moved_by(AMERICAS, {"calendar": "NO"})
    assert [(m.case_id, m.before.due, m.after.due) for m in preview] == [
        (open_case, date(2026, 5, 14), date(2026, 5, 15))
    ]
    saved, moved = desk.update_entity(AMERICAS, {"calendar": "NO"})

    assert saved.calendar == "NO" and moved == preview
    assert desk.cases.get_by_id(open_case).deadlines.due == date(2026, 5, 15)
    assert desk.cases.get_by_id(closed_case).deadlines.due == date(2026, 5, 14)
    assert desk.cases.get_by_id(norway_case).deadlines.due == date(2026, 5, 15)  # another entity: untouched
    case_entry, entry = desk.audit.latest(2)
    assert (case_entry.action, case_entry.entity_id) == ("deadlines-moved", str(open_case))
    assert (entry.action, entry.entity_id) == ("entity-saved", "altoros-americas")
    assert entry.details == {
        "fields": ["calendar"],
        "calendar": {"from": "none", "to": "NO"},
        "open_cases_due_date_moved": 1,
    }
    last = desk.cases.history(open_case)[-1]
    assert last.action == "deadlines-moved"
    assert last.reason == (
        "Altoros Americas LLC's calendar none → NO: legal due date Thu 14 May 2026 → Fri 15 May 2026"
    )
    assert desk.cases.history(closed_case)[-1].action == "status"
    assert desk.verify().cases == []  # every changed case sealed by its own entry


def test_a_new_time_zone_reads_the_open_receipts_in_it(desk: Desk) -> None:
    late = desk.add_case(new_case(received=LATE_MARCH))
    midday = desk.add_case(new_case(received=MID_APRIL, name="Kari Nordmann"))
    assert desk.cases.get_by_id(late).deadlines.due == date(2026, 5, 4)  # 1 April in Oslo; 1 May, a weekend

    saved, moved = desk.update_entity("Altoros Norge AS", {"time_zone": "America/New_York"})

    assert saved.time_zone == "America/New_York" and [m.case_id for m in moved] == [late]
    case = desk.cases.get_by_id(late)
    assert (case.received_date, case.deadlines.due) == (date(2026, 3, 31), date(2026, 4, 30))
    assert desk.cases.history(late)[-1].reason == (
        "Altoros Norge AS's time zone Europe/Oslo → America/New_York: received on Wed 1 Apr 2026 → "
        "Tue 31 Mar 2026; legal due date Mon 4 May 2026 → Thu 30 Apr 2026; internal target Wed 29 Apr 2026 → "
        "Tue 28 Apr 2026"
    )
    # Its receipt is read in the new zone too, though no date of it moved.
    assert desk.cases.history(midday)[-1].reason.endswith("Europe/Oslo → America/New_York: no date moved")
    assert desk.audit.latest(3)[2].details["time_zone"] == {"from": "Europe/Oslo", "to": "America/New_York"}
    assert desk.verify().cases == []


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"calendar": "SE"}, "calendar: 'SE' is not a calendar; choose one of NO, FI, PL, none"),
        ({"time_zone": "Europe/Osloo"}, "time_zone: 'Europe/Osloo' is not an IANA time zone, such as Europe/Oslo"),
        ({"time_zone": "localtime"}, "time_zone: 'localtime' is not an IANA time zone"),
    ],
)
def test_an_unknown_calendar_or_zone_is_refused_and_changes_nothing(
    desk: Desk, changes: dict[str, str], problem: str
) -> None:
    case_id = desk.add_case(new_case(entity=AMERICAS, received=MID_APRIL))
    entries = desk.audit.count()
    with pytest.raises(InputError) as refused:
        desk.update_entity(AMERICAS, {"street": "1 Test Street", **changes})
    assert str(refused.value).startswith(problem)
    americas = desk.register.entity(AMERICAS)
    assert (americas.calendar, americas.time_zone, americas.address.street) == ("none", "America/New_York", "")
    assert desk.audit.count() == entries and desk.cases.get_by_id(case_id).deadlines.due == date(2026, 5, 14)


def test_the_question_before_saving_counts_the_due_dates_it_moves(desk: Desk) -> None:
    desk.add_case(new_case(entity=AMERICAS, received=MID_APRIL))
    desk.add_case(new_case(entity=AMERICAS, received=datetime(2026, 4, 20, 15, tzinfo=UTC), name="Kari"))
    americas = desk.register.entity(AMERICAS)
    changes = {"calendar": "NO", "time_zone": "Europe/Oslo"}
    question = deadline_question(americas, changes, desk.deadlines_moved_by(AMERICAS, changes))
    assert question == (
        "Change the calendar from None (weekends only) to Norway (NO) and the time zone from America/New_York "
        "to Europe/Oslo? 1 open case(s) of Altoros Americas LLC get a different due date (DSR-2026-0001: legal "
        "due date Thu 14 May 2026 → Fri 15 May 2026). Each case's history records what moved; closed cases "
        "keep the dates they were held to."
    )
    assert deadline_question(americas, {"street": "1 Test Street"}, []) == ""
    assert desk.deadlines_moved_by(AMERICAS, {"street": "1 Test Street"}) == []


OWN_COMPANY = {"name": "Nordlys Data AS", "country": "no", "calendar": "NO", "time_zone": "Europe/Oslo"}


def test_a_dpo_adds_their_own_company_and_its_cases_count_by_its_calendar(desk: Desk) -> None:
    added = desk.add_entity({**OWN_COMPANY, "street": "Storgata 1", "postal_code": "0155", "city": "Oslo"})

    assert (added.key, added.country, added.calendar, added.time_zone) == (
        "nordlys-data-as", "NO", "NO", "Europe/Oslo",
    )  # fmt: skip
    assert desk.register.entity("nordlys-data-as") == added and added.letterhead_problems() == []
    entry = desk.audit.latest(1)[0]
    assert (entry.action, entry.entity_id) == ("entity-added", "nordlys-data-as")
    assert entry.details == {
        "fields": ["calendar", "city", "country", "name", "postal_code", "street", "time_zone"],
        "country": "NO", "calendar": "NO", "time_zone": "Europe/Oslo",
    }  # fmt: skip
    case_id = desk.add_case(new_case(entity="Nordlys Data AS", received=LATE_MARCH))
    assert desk.cases.get_by_id(case_id).deadlines.due == date(2026, 5, 4)  # 1 April in Oslo; 1 May, a weekend


@pytest.mark.parametrize(
    ("values", "problem"),
    [
        ({**OWN_COMPANY, "name": " "}, "name: missing"),
        ({k: v for k, v in OWN_COMPANY.items() if k != "country"}, "country: missing"),
        ({**OWN_COMPANY, "country": "XX"}, "country: 'XX' is not an ISO 3166 country code"),
        ({**OWN_COMPANY, "calendar": ""}, "calendar: missing"),
        ({k: v for k, v in OWN_COMPANY.items() if k != "time_zone"}, "time_zone: missing"),
        ({**OWN_COMPANY, "time_zone": "Oslo"}, "time_zone: 'Oslo' is not an IANA time zone"),
        ({**OWN_COMPANY, "address_to_replace": True}, "address_to_replace: not a field of a new entity"),
        ({**OWN_COMPANY, "name": "altoros norge as"}, "name: 'Altoros Norge AS' is already known as"),
        ({**OWN_COMPANY, "also_known_as": "altoros-poland"}, "also_known_as: 'Altoros Poland' is already known"),
    ],
)
def test_a_new_entity_missing_or_clashing_is_refused_and_nothing_is_added(
    desk: Desk, values: dict[str, object], problem: str
) -> None:
    entries = desk.audit.count()
    with pytest.raises(InputError) as refused:
        desk.add_entity(values)
    assert str(refused.value).startswith(problem)
    assert len(desk.register.entities()) == 5 and desk.audit.count() == entries


def test_an_entity_is_not_renamed_to_a_name_another_is_known_by(desk: Desk) -> None:
    with pytest.raises(InputError, match="name: 'Altoros Norge AS' is already known as 'altoros-norge'"):
        desk.update_entity("Altoros Poland", {"name": "altoros-norge"})
    assert desk.register.entity("altoros-norge").name == "Altoros Norge AS"
