"""Cases in a real store: references, receipt in UTC and local time, history, search, filters, sorting."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlite_utils import Database

from dpo_desk.application.desk import Desk
from dpo_desk.core.errors import InputError, NotFoundError, RefusedError
from dpo_desk.core.models import CaseQuery, Channel, Right, Status, SubjectDetails
from dpo_desk.core.settings import DUE_SOON_DAYS, RULES, TARGET_DAYS
from dpo_desk.store.cases import CaseRepository, search_expression
from tests.conftest import NOW, new_case

TODAY = NOW.date()


def test_references_are_sequential_per_year_of_receipt(repo: CaseRepository) -> None:
    refs = [
        repo.get_by_id(repo.add(new_case(received=moment), actor="dpo", now=NOW)).reference
        for moment in (
            datetime(2026, 3, 5, 9, tzinfo=UTC),
            datetime(2026, 3, 6, 9, tzinfo=UTC),
            datetime(2025, 12, 30, 9, tzinfo=UTC),
            datetime(2026, 3, 7, 9, tzinfo=UTC),
        )
    ]
    assert refs == ["DSR-2026-0001", "DSR-2026-0002", "DSR-2025-0001", "DSR-2026-0003"]


def test_receipt_is_stored_in_utc_and_counted_on_the_local_date(repo: CaseRepository, db: Database) -> None:
    # 23:30 UTC on 31 March is 1 April in Oslo: due Mon 4 May (1 May holiday, weekend), not Thu 30 April.
    case_id = repo.add(new_case(received=datetime(2026, 3, 31, 23, 30, tzinfo=UTC)), actor="dpo", now=NOW)
    row = next(db.query("SELECT received_at, received_tz, received_date, due_date FROM cases"))
    assert row == {
        "received_at": "2026-03-31T23:30:00Z",
        "received_tz": "Europe/Oslo",
        "received_date": "2026-04-01",
        "due_date": "2026-05-04",
    }
    case = repo.get_by_id(case_id)
    assert case.received_local.isoformat() == "2026-04-01T01:30:00+02:00"
    assert case.deadlines.extension_notice_due == date(2026, 5, 4)


def test_creation_and_every_status_change_are_in_the_history(repo: CaseRepository) -> None:
    case_id = repo.add(new_case(), actor="alice", now=NOW)
    repo.change_status(case_id, Status.IDENTITY_CHECK, actor="alice", reason="", now=NOW)
    repo.change_status(case_id, Status.RESPONDED, actor="bob", reason="answered by phone", now=NOW)
    history = repo.history(case_id)
    assert [(e.actor, e.from_status, e.to_status, e.reason) for e in history] == [
        ("alice", None, Status.RECEIVED, ""),
        ("alice", Status.RECEIVED, Status.IDENTITY_CHECK, ""),
        ("bob", Status.IDENTITY_CHECK, Status.RESPONDED, "answered by phone"),
    ]
    assert all(e.at == NOW for e in history)
    assert repo.get_by_id(case_id).status is Status.RESPONDED


def test_a_refused_status_change_changes_nothing(repo: CaseRepository) -> None:
    case_id = repo.add(new_case(), actor="dpo", now=NOW)
    with pytest.raises(RefusedError, match="give a reason"):
        repo.change_status(case_id, Status.CLOSED, actor="dpo", reason="", now=NOW)
    assert repo.get_by_id(case_id).status is Status.RECEIVED
    assert len(repo.history(case_id)) == 1


def test_unknown_entity_and_reference_are_named(repo: CaseRepository) -> None:
    with pytest.raises(NotFoundError, match="unknown entity 'Altoros Mars'"):
        repo.add(new_case(entity="Altoros Mars"), actor="dpo", now=NOW)
    assert repo.count() == 0
    with pytest.raises(NotFoundError, match="DSR-2026-9999"):
        repo.get("DSR-2026-9999")


@pytest.fixture
def three_cases(repo: CaseRepository) -> dict[str, int]:
    ids = {
        "ola": repo.add(new_case(), actor="dpo", now=NOW),
        "maija": repo.add(
            new_case(
                name="Maija Meikäläinen",
                emails=("maija.m@example.fi",),
                entity="Altoros Finland Oy",
                received=datetime(2026, 11, 20, 8, tzinfo=UTC),
                rights=(Right.ERASURE, Right.OBJECTION),
                text="Poistakaa tietoni.",
            ),
            actor="dpo",
            now=NOW,
        ),
        "jan": repo.add(
            new_case(
                name="Jan Kowalski",
                emails=("jan@example.pl",),
                entity="Altoros Poland",
                received=datetime(2026, 11, 2, 8, tzinfo=UTC),
                rights=(Right.PORTABILITY,),
                text="Proszę o przeniesienie danych.",
            ),
            actor="dpo",
            now=NOW,
        ),
    }
    repo.change_status(ids["ola"], Status.IDENTITY_CHECK, actor="dpo", reason="", now=NOW)
    return ids


def ids_for(repo: CaseRepository, **query: object) -> list[int]:
    return repo.find_ids(CaseQuery(**query), today=TODAY)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "who"),
    [
        ("maija", {"maija"}),
        ("meikalainen", {"maija"}),  # diacritics do not matter
        ("MAIJA.M@EXAMPLE", {"maija"}),
        ("kowal", {"jan"}),  # prefix, as the DPO types
        ("DSR-2026-0001", {"ola"}),
        ("przeniesienie", {"jan"}),
        ("example", {"ola", "maija", "jan"}),
        ('jan" OR "ola', set()),  # user input is never FTS syntax
    ],
)
def test_full_text_search(repo: CaseRepository, three_cases: dict[str, int], text: str, who: set[str]) -> None:
    found = set(ids_for(repo, text=text))
    assert found == {three_cases[name] for name in who}


def test_search_expression_quotes_every_word() -> None:
    assert search_expression('ola" OR x*') == '"ola"* "OR"* "x"*'
    assert search_expression("  ") == ""


def test_filters_by_status_right_entity_and_due_within(repo: CaseRepository, three_cases: dict[str, int]) -> None:
    assert ids_for(repo, status=Status.IDENTITY_CHECK) == [three_cases["ola"]]
    assert ids_for(repo, right=Right.OBJECTION) == [three_cases["maija"]]
    finland = repo.register.entity("Altoros Finland Oy").id
    assert ids_for(repo, entity_id=finland) == [three_cases["maija"]]
    # Ola's case (March) is overdue, Jan's is due 2 Dec, Maija's 22 Dec.
    assert set(ids_for(repo, due_within_days=7)) == {three_cases["ola"], three_cases["jan"]}
    assert set(ids_for(repo, due_within_days=30)) == set(three_cases.values())


def test_due_within_leaves_out_answered_cases(repo: CaseRepository, three_cases: dict[str, int]) -> None:
    repo.change_status(three_cases["jan"], Status.RESPONDED, actor="dpo", reason="answered early", now=NOW)
    assert ids_for(repo, due_within_days=7) == [three_cases["ola"]]


@pytest.mark.parametrize(
    ("sort", "descending", "order"),
    [
        ("received", True, ["maija", "jan", "ola"]),
        ("due", False, ["ola", "jan", "maija"]),
        ("subject", False, ["jan", "maija", "ola"]),
        ("entity", False, ["maija", "ola", "jan"]),
        ("reference", True, ["jan", "maija", "ola"]),
        ("status", False, ["jan", "maija", "ola"]),  # received (by due date), then identity check
    ],
)
def test_sorting_happens_in_sql(
    repo: CaseRepository, three_cases: dict[str, int], sort: str, descending: bool, order: list[str]
) -> None:
    assert ids_for(repo, sort=sort, descending=descending) == [three_cases[name] for name in order]


def test_earlier_cases_match_the_email_ignoring_case(repo: CaseRepository) -> None:
    first = repo.add(
        new_case(emails=("Ola@Example.com",), received=datetime(2026, 1, 5, tzinfo=UTC)), actor="d", now=NOW
    )
    repo.add(
        new_case(name="Kari Nordmann", emails=("someone@example.com",), received=datetime(2026, 2, 5, tzinfo=UTC)),
        actor="d",
        now=NOW,
    )
    latest = repo.add(
        new_case(emails=("ola@example.COM",), received=datetime(2026, 3, 5, tzinfo=UTC)), actor="d", now=NOW
    )
    earlier = repo.earlier_cases(repo.get_by_id(latest))
    assert [(e.summary.id, e.matched_by) for e in earlier] == [(first, "e-mail ola@example.com, name and address")]
    assert repo.earlier_cases(repo.get_by_id(first)) == []
    found = repo.matching(SubjectDetails("Someone", emails=("OLA@example.com",)), "NO")
    assert [e.summary.id for e in found] == [latest, first]


def test_a_letter_or_a_call_from_the_same_person_is_a_repeat(repo: CaseRepository) -> None:
    """Before, only the e-mail matched: the same person writing by post, or calling, was missed."""
    by_mail = repo.add(
        new_case(emails=("ola@example.com",), phones=("912 34 567",), received=datetime(2026, 1, 5, tzinfo=UTC)),
        actor="d",
        now=NOW,
    )
    by_letter = repo.add(
        new_case(emails=(), address="TESTVEIEN 1, 0150 oslo", channel=Channel.LETTER,
                 received=datetime(2026, 2, 5, tzinfo=UTC)),
        actor="d",
        now=NOW,
    )  # fmt: skip
    by_phone = repo.add(
        new_case(name="O. Nordmann", emails=(), address="", phones=("+47 91 23 45 67",), channel=Channel.PHONE,
                 received=datetime(2026, 3, 5, tzinfo=UTC)),
        actor="d",
        now=NOW,
    )  # fmt: skip
    assert [(e.summary.id, e.matched_by) for e in repo.earlier_cases(repo.get_by_id(by_letter))] == [
        (by_mail, "name and address")
    ]
    assert [(e.summary.id, e.matched_by) for e in repo.earlier_cases(repo.get_by_id(by_phone))] == [
        (by_mail, "phone +4791234567")
    ]


def test_a_name_alone_is_a_hint_never_a_match(repo: CaseRepository) -> None:
    other = repo.add(
        new_case(emails=("someone.else@example.com",), address="Storgata 9\n5003 Bergen",
                 received=datetime(2026, 1, 5, tzinfo=UTC)),
        actor="d",
        now=NOW,
    )  # fmt: skip
    latest = repo.add(new_case(), actor="d", now=NOW)
    assert repo.earlier_cases(repo.get_by_id(latest)) == []
    case = repo.get_by_id(latest)
    hints = repo.same_name(case.subject, before=case.received_at, excluding=case.id)
    assert [(e.summary.id, e.matched_by) for e in hints] == [(other, "name")]


def test_a_phone_that_cannot_be_read_is_refused_naming_the_field(repo: CaseRepository) -> None:
    with pytest.raises(InputError, match=r"subject.phones: '12' is not a phone number"):
        repo.add(new_case(phones=("12",)), actor="d", now=NOW)
    assert repo.count() == 0


def test_changing_the_rules_recomputes_stored_due_dates(repo: CaseRepository, desk: Desk) -> None:
    case_id = repo.add(new_case(), actor="dpo", now=NOW)
    before = repo.get_by_id(case_id).deadlines
    desk.save_settings({RULES: "ico", TARGET_DAYS: 20})
    assert repo.recompute_deadlines(today=TODAY) == 1
    after = repo.get_by_id(case_id).deadlines
    assert after.due == before.due  # no pauses: both rule sets agree
    assert after.target == date(2026, 3, 25)
    assert repo.recompute_deadlines(today=TODAY) == 0


def test_notes_are_kept_with_author_and_time(repo: CaseRepository) -> None:
    case_id = repo.add(new_case(), actor="dpo", now=NOW)
    repo.add_note(case_id, "  Called the subject.  ", author="alice", now=NOW)
    assert [(n.author, n.text, n.at) for n in repo.notes(case_id)] == [("alice", "Called the subject.", NOW)]


def test_bulk_lookup_keeps_the_order_of_the_ids(repo: CaseRepository, three_cases: dict[str, int]) -> None:
    order = [three_cases["jan"], three_cases["ola"], three_cases["maija"]]
    assert [c.id for c in repo.cases(order)] == order
    summaries = repo.summaries(order)
    assert summaries[three_cases["maija"]].subject_name == "Maija Meikäläinen"
    assert summaries[three_cases["maija"]].rights == (Right.ERASURE, Right.OBJECTION)


def test_rights_label_and_subject_name_are_kept_by_triggers(repo: CaseRepository, db: Database) -> None:
    case_id = repo.add(new_case(rights=(Right.ERASURE, Right.ACCESS)), actor="dpo", now=NOW)
    assert next(db.query("SELECT rights, subject_name FROM cases"))["rights"] == "access,erasure"
    db.execute("DELETE FROM case_rights WHERE right = 'access'")
    db.execute("UPDATE subjects SET name = 'Ola Renamed'")
    assert next(db.query("SELECT rights, subject_name FROM cases")) == {
        "rights": "erasure",
        "subject_name": "Ola Renamed",
    }
    assert repo.get_by_id(case_id).rights == (Right.ERASURE,)
    assert repo.find_ids(CaseQuery(text="renamed"), today=TODAY) == [case_id]


@pytest.mark.parametrize(
    ("query", "index"),
    [
        (CaseQuery(sort="received"), "cases_by_received"),
        (CaseQuery(sort="due"), "cases_by_due"),
        (CaseQuery(sort="days", descending=False), "cases_by_days_left"),
        (CaseQuery(sort="days"), "cases_by_days_left"),
        (CaseQuery(sort="subject"), "cases_by_subject_name"),
        (CaseQuery(sort="status"), "cases_by_status_rank"),
        (CaseQuery(right=Right.ERASURE), "case_rights USING PRIMARY KEY (right=?)"),
    ],
)
def test_list_queries_use_an_index(repo: CaseRepository, db: Database, query: CaseQuery, index: str) -> None:
    """What keeps the case list instant at 100,000 cases: no full sort, no text scan."""
    sql, params = repo.list_statement(query, today=TODAY)
    plan = " ".join(row[3] for row in db.conn.execute(f"EXPLAIN QUERY PLAN {sql}", params))
    assert index in plan, plan


def test_by_days_left_the_answered_cases_follow_the_open_ones(repo: CaseRepository) -> None:
    """Sorted by the due date alone, "closed" and "answered" rows fell between "24 d left" and "31 d left"."""
    soon = repo.add(new_case(name="Due Soon", received=NOW - timedelta(days=20)), actor="d", now=NOW)
    later = repo.add(new_case(name="Due Later", received=NOW - timedelta(days=2)), actor="d", now=NOW)
    closed = repo.add(new_case(name="Closed Between", received=NOW - timedelta(days=10)), actor="d", now=NOW)
    repo.change_status(closed, Status.CLOSED, actor="d", reason="answered by phone", now=NOW)
    assert repo.find_ids(CaseQuery(sort="due", descending=False), today=TODAY) == [soon, closed, later]
    assert repo.find_ids(CaseQuery(sort="days", descending=False), today=TODAY) == [soon, later, closed]
    assert repo.find_ids(CaseQuery(sort="days", descending=True), today=TODAY) == [closed, later, soon]


def test_earlier_cases_are_found_in_the_index_alone(repo: CaseRepository, db: Database) -> None:
    """A common name is shared by thousands of cases at 100,000: their rows are not read to show one case."""
    case = repo.get_by_id(repo.add(new_case(), actor="dpo", now=NOW))
    statements: list[str] = []
    db.conn.set_trace_callback(statements.append)
    repo.same_name(case.subject, before=case.received_at, excluding=case.id)
    repo.matching(case.subject, case.entity.country, before=case.received_at, excluding=case.id)
    db.conn.set_trace_callback(None)
    searches = [sql for sql in statements if "received_at <" in sql]
    assert len(searches) == 2
    for sql, index in zip(searches, ("cases_by_name_key", "cases_by_subject"), strict=True):
        plan = [row[3] for row in db.conn.execute(f"EXPLAIN QUERY PLAN {sql}")]
        reads = [step for step in plan if step.startswith("SEARCH c ")]
        assert reads and all(f"COVERING INDEX {index} " in step for step in reads), plan
    assert not any("TEMP B-TREE" in row[3] for row in db.conn.execute(f"EXPLAIN QUERY PLAN {searches[0]}"))


def test_correcting_the_receipt_moves_the_deadline_and_is_recorded(repo: CaseRepository) -> None:
    case_id = repo.add(new_case(received=datetime(2026, 5, 4, 9, tzinfo=UTC)), actor="dpo", now=NOW)
    assert repo.get_by_id(case_id).deadlines.due == date(2026, 6, 4)  # Norway: Thursday
    repo.correct_receipt(
        case_id,
        entity_name="Altoros Poland",
        received=datetime(2026, 5, 4, 9, tzinfo=UTC),
        actor="alice",
        reason="Sent to the Warsaw office",
        now=NOW,
    )
    case = repo.get_by_id(case_id)
    assert case.entity.name == "Altoros Poland"
    assert case.deadlines.due == date(2026, 6, 5)  # 4 June 2026 is Corpus Christi in Poland
    last = repo.history(case_id)[-1]
    assert (last.action, last.actor) == ("corrected", "alice")
    assert "Sent to the Warsaw office" in last.reason
    with pytest.raises(InputError, match="reason"):
        repo.correct_receipt(case_id, entity_name="Altoros Poland", received=NOW, actor="a", reason=" ", now=NOW)


def test_deadline_settings_and_calendars_recompute_every_case(repo: CaseRepository, db: Database) -> None:
    americas = repo.register.entity("Altoros Americas LLC")
    case_id = repo.add(
        new_case(entity=americas.name, received=datetime(2026, 4, 14, 15, tzinfo=UTC)), actor="dpo", now=NOW
    )
    assert repo.get_by_id(case_id).deadlines.due == date(2026, 5, 14)  # weekends only: Thursday 14 May
    changed = repo.apply_deadline_settings(
        {RULES: "eu", TARGET_DAYS: 28}, {americas.id: "NO"}, today=TODAY, actor="dpo", now=NOW
    )
    assert changed == 1
    assert repo.get_by_id(case_id).deadlines.due == date(2026, 5, 15)  # NO: 14 May is Ascension Day
    repo.apply_deadline_settings({TARGET_DAYS: 10}, {americas.id: "NO"}, today=TODAY, actor="dpo", now=NOW)
    assert repo.get_by_id(case_id).deadlines.target == date(2026, 4, 24)
    entries = db.execute("SELECT action, entity_id FROM audit WHERE entity = 'settings' ORDER BY seq").fetchall()
    assert entries == [
        ("deadline-settings", "deadlines"),
        ("setting", "target_days"),
        ("deadline-settings", "deadlines"),
    ]
    with pytest.raises(InputError, match="unknown calendar"):
        repo.apply_deadline_settings({DUE_SOON_DAYS: 3}, {americas.id: "US"}, today=TODAY, actor="dpo", now=NOW)
    assert repo.register.entity(americas.name).calendar == "NO"  # nothing half-applied
    assert desk_settings(db) == {"target_days": "10"}  # the refused change wrote no setting either


def desk_settings(db: Database) -> dict[str, str]:
    rows = db.execute("SELECT key, value FROM settings WHERE key IN ('rules', 'target_days', 'due_soon_days')")
    return dict(rows.fetchall())


def test_a_common_name_gives_only_the_newest_hints(repo: CaseRepository) -> None:
    """Thousands of cases share a common name in a large store; all of them were fetched on every
    keystroke in New case and every case shown."""
    from dpo_desk.store.cases import SAME_NAME_SHOWN

    ids = []
    for n in range(SAME_NAME_SHOWN + 5):  # another person each time: another e-mail and door
        other = new_case(
            emails=(f"ola{n}@example.com",), address=f"Gate {n}", received=datetime(2026, 1, 1 + n, tzinfo=UTC)
        )
        ids.append(repo.add(other, actor="d", now=NOW))
    hints = repo.same_name(SubjectDetails("OLA NORDMANN"))
    assert [e.summary.id for e in hints] == list(reversed(ids))[:SAME_NAME_SHOWN]


def test_the_newest_namesakes_are_the_last_received_not_the_last_entered(repo: CaseRepository) -> None:
    """A letter from last year entered today is an old case: it gives way to the namesakes received since."""
    from dpo_desk.store.cases import SAME_NAME_SHOWN

    recent = [
        repo.add(new_case(emails=(f"ola{n}@example.com",), address=f"Gate {n}",
                          received=datetime(2026, 2, 1 + n, tzinfo=UTC)), actor="d", now=NOW)
        for n in range(SAME_NAME_SHOWN)
    ]  # fmt: skip
    entered_late = repo.add(
        new_case(emails=("old@example.com",), address="Gate 99", received=datetime(2025, 1, 6, tzinfo=UTC)),
        actor="d",
        now=NOW,
    )
    hints = repo.same_name(SubjectDetails("Ola Nordmann"))
    assert entered_late not in [e.summary.id for e in hints]
    assert {e.summary.id for e in hints} == set(recent)
    older = repo.same_name(SubjectDetails("Ola Nordmann"), before=datetime(2026, 1, 1, tzinfo=UTC))
    assert [e.summary.id for e in older] == [entered_late]


def test_a_case_keeps_its_subjects_name_key_whatever_writes_it(repo: CaseRepository, db: Database) -> None:
    """The newest namesakes are read from the case's own copy of the key: a row written without it, a case moved
    to another subject, a subject renamed behind the app's back all keep it in step."""
    first = repo.add(new_case(), actor="d", now=NOW)
    left = ("id", "name_key", "seq", "reference")
    names = ", ".join(row[1] for row in db.execute("PRAGMA table_info(cases)") if row[1] not in left)
    db.execute(
        f"INSERT INTO cases (seq, reference, {names}) SELECT seq + 1, 'DSR-2026-0002', {names} FROM cases WHERE id = ?",
        (first,),
    )
    copied = db.execute("SELECT max(id) FROM cases").fetchone()[0]
    assert dict(db.execute("SELECT id, name_key FROM cases").fetchall()) == {
        first: "ola nordmann",
        copied: "ola nordmann",
    }
    assert [e.summary.id for e in repo.same_name(SubjectDetails("Ola Nordmann"), excluding=first)] == [copied]

    other = repo.add(new_case(name="Kari Hansen", emails=("kari@example.com",)), actor="d", now=NOW)
    subject = db.execute("SELECT subject_id FROM cases WHERE id = ?", (other,)).fetchone()[0]
    db.execute("UPDATE cases SET subject_id = ? WHERE id = ?", (subject, copied))
    assert [e.summary.id for e in repo.same_name(SubjectDetails("Kari Hansen"), excluding=other)] == [copied]

    db.execute("UPDATE subjects SET name = 'Per Berg', name_key = 'per berg' WHERE id = ?", (subject,))
    assert repo.same_name(SubjectDetails("Kari Hansen")) == []
    assert {e.summary.id for e in repo.same_name(SubjectDetails("Per Berg"))} == {other, copied}


def test_a_case_whose_subject_was_deleted_behind_the_app_does_not_stop_the_name_key_migration() -> None:
    """Migration 0025 copies each subject's name key to its cases: a case left without its subject (deleted with the
    foreign keys off, which verify reports) gets no key, and the store still opens for verify to say so."""
    from dpo_desk.store import migrations
    from dpo_desk.store.register import Register
    from dpo_desk.store.settings import StoreSettings

    db = Database(memory=True)
    migrations.migrations.apply(db, stop_before="0025_newest_cases_of_a_name")
    repo = CaseRepository(db, Register(db), StoreSettings(db))
    kept, orphaned = (repo.add(new_case(emails=(f"{n}@example.com",)), actor="d", now=NOW) for n in ("a", "b"))
    db.execute("PRAGMA foreign_keys = OFF")
    db.execute("DELETE FROM subjects WHERE id = (SELECT subject_id FROM cases WHERE id = ?)", (orphaned,))
    migrations.migrations.apply(db)
    assert dict(db.execute("SELECT id, name_key FROM cases").fetchall()) == {kept: "ola nordmann", orphaned: ""}
