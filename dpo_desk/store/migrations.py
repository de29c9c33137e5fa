"""Versioned migrations of the store. A released migration is never edited: add the next one."""

from __future__ import annotations

from datetime import UTC, datetime
from importlib.resources import files

from sqlite_utils import Database, Migrations

from dpo_desk.core.identifiers import name_key, phone_key_or_none, postal_key
from dpo_desk.store import audit
from dpo_desk.store.seed import fill_published_contacts, seed_register
from dpo_desk.store.statistics import register_functions

migrations = Migrations("dpo_desk")


def _run(db: Database, script: str) -> None:
    db.executescript(files("dpo_desk.store").joinpath(script).read_text(encoding="utf-8"))


@migrations(name="0001_initial")
def initial_schema(db: Database) -> None:
    _run(db, "schema_0001.sql")


@migrations(name="0002_seed_register")
def seeded_register(db: Database) -> None:
    """A new store starts with the register shipped in the package: entities, processors and sources."""
    seed_register(db)


@migrations(name="0003_workflow")
def workflow(db: Database) -> None:
    """Identity checks and decisions, pauses of the clock, and the extension."""
    _run(db, "schema_0003.sql")


@migrations(name="0004_decisions_and_outcomes")
def decisions_and_outcomes(db: Database) -> None:
    """Fee, refusal, per-right outcomes, Art. 19 recipients and the suppression list."""
    _run(db, "schema_0004.sql")


@migrations(name="0005_letters")
def letters(db: Database) -> None:
    """The register of generated letters."""
    _run(db, "schema_0005.sql")


@migrations(name="0006_mail")
def mail(db: Database) -> None:
    """Attachments and Message-IDs of requests imported from e-mail."""
    _run(db, "schema_0006.sql")


@migrations(name="0007_audit")
def audit_log(db: Database) -> None:
    """The append-only, hash-chained audit log."""
    _run(db, "schema_0007.sql")


@migrations(name="0008_audit_by_entity")
def audit_by_entity(db: Database) -> None:
    """The audit of one case (or letter) is read each time the case is shown."""
    db.execute("CREATE INDEX audit_by_entity ON audit (entity, entity_id)")


@migrations(name="0009_quarantine")
def quarantine(db: Database) -> None:
    """Refused import files move from a folder beside the store into the encrypted store."""
    _run(db, "schema_0009.sql")


@migrations(name="0010_letter_facts")
def letter_facts(db: Database) -> None:
    """The date a letter bears, a fee's answer-by date, addresses marked for replacement."""
    _run(db, "schema_0010.sql")


@migrations(name="0011_published_contacts")
def published_contacts(db: Database) -> None:
    """Sheets cite the documents their contacts come from; the seeded sheets get the contacts found in the
    processors' published documents (register/processors.json), without overwriting what the DPO entered."""
    _run(db, "schema_0011.sql")
    fill_published_contacts(db, datetime.now(UTC))


@migrations(name="0012_identifiers_and_age")
def identifiers_and_age(db: Database) -> None:
    """Keys to find a person's earlier cases by phone and by name with address; a subject's age; phones on
    the suppression list. Keys of the subjects already stored are computed here."""
    _run(db, "schema_0012.sql")
    for subject_id, name, address in db.execute("SELECT id, name, address FROM subjects").fetchall():
        db.execute(
            "UPDATE subjects SET name_key = ?, postal_key = ? WHERE id = ?",
            (name_key(name), postal_key(name, address), subject_id),
        )
    # A number typed without its country code belongs to the country of the entity that received the case.
    phones = db.execute(
        "SELECT sp.rowid, sp.phone, coalesce((SELECT e.country FROM cases c JOIN entities e ON e.id = c.entity_id"
        " WHERE c.subject_id = sp.subject_id ORDER BY c.id LIMIT 1), '') FROM subject_phones sp"
    ).fetchall()
    for rowid, phone, country in phones:
        db.execute(
            "UPDATE subject_phones SET phone_key = ? WHERE rowid = ?", (phone_key_or_none(phone, country), rowid)
        )


@migrations(name="0013_case_seals")
def case_seals(db: Database) -> None:
    """Audit entries seal the case they are about; each case already stored is sealed here as it is, so that
    a change made to it from now on without DPO Desk shows in verify."""
    _run(db, "schema_0013.sql")
    now = datetime.now(UTC)
    for (case_id,) in db.execute("SELECT id FROM cases ORDER BY id").fetchall():
        audit.record(db, actor="dpo-desk", action="case-sealed", entity="case", entity_id=case_id, details={}, now=now)


@migrations(name="0014_subject_data")
def subject_data(db: Database) -> None:
    """Files imported into a case from the source systems, the subject's records of them, and the access
    copies and portability bundles made from those records."""
    _run(db, "schema_0014.sql")


@migrations(name="0015_answers_by_time")
def answers_by_time(db: Database) -> None:
    """An index of the answers given, by time, for the dashboard and the yearly report."""
    _run(db, "schema_0015.sql")


@migrations(name="0016_attachments_by_hand")
def attachments_by_hand(db: Database) -> None:
    """Files the DPO attaches to a case by hand, beside a mail's, and when each was added."""
    _run(db, "schema_0016.sql")


@migrations(name="0017_letter_language")
def letter_language(db: Database) -> None:
    """The language of a case's letters, chosen at intake or later by the DPO."""
    _run(db, "schema_0017.sql")


@migrations(name="0018_compact_audit")
def compact_audit(db: Database) -> None:
    """Each audit entry's hash once, as bytes (not again as the next entry's prev_hash, nor as hex)."""
    _run(db, "schema_0018.sql")


@migrations(name="0019_search_without_copy")
def search_without_copy(db: Database) -> None:
    """The search index reads the text it finds cases by from the cases, not from a copy of its own."""
    _run(db, "schema_0019.sql")


@migrations(name="0020_smaller_indexes")
def smaller_indexes(db: Database) -> None:
    """A case's history and audit entries found through smaller indexes."""
    _run(db, "schema_0020.sql")


@migrations(name="0021_first_answer_index")
def first_answer_index(db: Database) -> None:
    """Each case's answers indexed by case and time: its first answer is read from the index alone."""
    _run(db, "schema_0021.sql")


@migrations(name="0022_earlier_cases_by_time")
def earlier_cases_by_time(db: Database) -> None:
    """The cases of a subject found with their time of receipt in the index (earlier cases, same name)."""
    _run(db, "schema_0022.sql")


@migrations(name="0023_backup_entries_index")
def backup_entries_index(db: Database) -> None:
    """The backups' audit entries found in an index of their own."""
    _run(db, "schema_0023.sql")


@migrations(name="0024_dashboard_indexes")
def dashboard_indexes(db: Database) -> None:
    """Each case's first answer day stored with it; the dashboard's figures read from indexes alone."""
    register_functions(db.conn)  # the day is read in each case's zone by local_date(), on any connection
    _run(db, "schema_0024.sql")


@migrations(name="0025_newest_cases_of_a_name")
def newest_cases_of_a_name(db: Database) -> None:
    """Each case keeps its subject's name key, indexed with its time of receipt: the newest namesakes first."""
    _run(db, "schema_0025.sql")


@migrations(name="0026_days_left_order")
def days_left_order(db: Database) -> None:
    """The list by days left: the open cases by due date, then the answered ones, from an index."""
    _run(db, "schema_0026.sql")
