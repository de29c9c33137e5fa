"""Migration 0012: stores made before it find repeats by phone and by name with address, and keep their
suppression list."""

from datetime import UTC, datetime

from sqlite_utils import Database

from dpo_desk.core.identifiers import email_key
from dpo_desk.core.models import SubjectDetails
from dpo_desk.core.suppression import hash_of
from dpo_desk.store.cases import CaseRepository
from dpo_desk.store.migrations import migrations
from dpo_desk.store.outcomes import Outcomes
from dpo_desk.store.register import Register
from dpo_desk.store.settings import StoreSettings

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def _old_case(db: Database, reference: str, name: str, address: str, phone: str, received: str) -> None:
    """A case as a store before 0012 held it: no keys on the subject or the phone."""
    norge = db.execute("SELECT id FROM entities WHERE key = 'altoros-norge'").fetchone()[0]
    subject = db.execute(
        "INSERT INTO subjects (name, address, created_at) VALUES (?, ?, ?) RETURNING id", (name, address, received)
    ).fetchone()[0]
    if phone:
        db.execute("INSERT INTO subject_phones (subject_id, phone) VALUES (?, ?)", (subject, phone))
    db.execute(
        "INSERT INTO cases (reference, year, seq, entity_id, subject_id, channel, received_at, received_tz,"
        " received_date, status, due_date, extension_notice_due, target_date, created_at, updated_at)"
        " VALUES (?, 2026, ?, ?, ?, 'letter', ?, 'Europe/Oslo', ?, 'received', '2026-07-01', '2026-07-01',"
        " '2026-06-20', ?, ?)",
        (reference, int(reference[-4:]), norge, subject, received, received[:10], received, received),
    )


def test_an_upgraded_store_finds_repeats_by_phone_and_by_name_with_address() -> None:
    db = Database(memory=True)
    migrations.apply(db, stop_before="0012_identifiers_and_age")
    _old_case(db, "DSR-2026-0001", "Kari Nordmann", "Storgata 1\n0155 Oslo", "912 34 567", "2026-01-05T10:00:00Z")
    _old_case(db, "DSR-2026-0002", "Per Hansen", "", "+00 555 1234", "2026-01-06T10:00:00Z")  # unreadable number
    db.execute("INSERT INTO settings (key, value) VALUES ('suppression_salt', 'old-salt')")
    db.execute(
        "INSERT INTO suppression (email_hash, added_on) VALUES (?, '2026-01-10')",
        (hash_of(email_key("Stop@Example.com"), "old-salt"),),
    )
    migrations.apply(db)
    settings = StoreSettings(db)
    cases = CaseRepository(db, Register(db), settings)
    by_phone = cases.matching(SubjectDetails("Kari", phones=("+4791234567",)), "PL")
    assert [(e.summary.reference, e.matched_by) for e in by_phone] == [("DSR-2026-0001", "phone +4791234567")]
    by_post = cases.matching(SubjectDetails("KARI NORDMANN", address="Storgata 1, 0155 OSLO"), "NO")
    assert [(e.summary.reference, e.matched_by) for e in by_post] == [("DSR-2026-0001", "name and address")]
    assert db.execute("SELECT phone_key FROM subject_phones WHERE phone = '+00 555 1234'").fetchone()[0] is None
    entry = Outcomes(db, cases).suppressed("stop@example.com")
    assert entry is not None and (entry.kind, entry.added_on) == ("email", "2026-01-10")
