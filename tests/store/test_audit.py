"""The audit log: one entry per change, in its transaction, ids only, append-only, and tampering detected."""

import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlite_utils import Database

from dpo_desk.cli import main
from dpo_desk.core.errors import RefusedError
from dpo_desk.core.models import Status
from dpo_desk.store.audit import Anchor, entry_hash, head, is_compact, verify_chain
from dpo_desk.store.cases import CaseRepository
from dpo_desk.store.migrations import migrations
from dpo_desk.store.register import Register
from dpo_desk.store.settings import StoreSettings
from dpo_desk.store.verify import verify
from tests.conftest import new_case

NOW = datetime(2026, 11, 29, 12, tzinfo=UTC)
CANARY_NAME, CANARY_MAIL, CANARY_TEXT = "Canary Zqxjkw", "canary.zqxjkw@example.com", "ZQXJKW secret request"


def entries(db: Database) -> list[dict]:
    return list(db.query("SELECT * FROM audit ORDER BY seq"))


def test_each_change_writes_one_entry_with_ids_only(repo: CaseRepository, db: Database) -> None:
    case_id = repo.add(new_case(name=CANARY_NAME, emails=(CANARY_MAIL,), text=CANARY_TEXT), actor="alice", now=NOW)
    repo.change_status(case_id, Status.IDENTITY_CHECK, actor="bob", reason=f"because {CANARY_TEXT}", now=NOW)
    repo.add_note(case_id, f"called {CANARY_NAME}", author="alice", now=NOW)
    rows = entries(db)
    assert [(r["actor"], r["action"], r["entity"], r["entity_id"]) for r in rows] == [
        ("alice", "created", "case", str(case_id)),
        ("bob", "status", "case", str(case_id)),
        ("alice", "note", "case", str(case_id)),
    ]
    assert json.loads(rows[1]["details"]) == {"from": "received", "to": "identity-check"}
    assert all(r["at"] == "2026-11-29T12:00:00Z" for r in rows)
    text = json.dumps(rows, default=bytes.hex)  # hashes are bytes since migration 0018
    for canary in (CANARY_NAME, CANARY_MAIL, CANARY_TEXT, "Canary", "ZQXJKW"):
        assert canary not in text
    assert verify_chain(db) == []


def test_a_refused_change_leaves_no_entry(repo: CaseRepository, db: Database) -> None:
    case_id = repo.add(new_case(), actor="alice", now=NOW)
    with pytest.raises(RefusedError):
        repo.change_status(case_id, Status.CLOSED, actor="alice", reason="", now=NOW)
    assert len(entries(db)) == 1


def test_the_log_is_append_only(repo: CaseRepository, db: Database) -> None:
    repo.add(new_case(), actor="alice", now=NOW)
    for statement in ("UPDATE audit SET actor = 'mallory'", "DELETE FROM audit"):
        with pytest.raises(Exception, match="append-only"):
            db.execute(statement)
    assert len(entries(db)) == 1


def tamper(db: Database, sql: str, params: tuple = ()) -> None:
    """What an attacker with the file can do: drop the guard, change rows."""
    db.execute("DROP TRIGGER IF EXISTS audit_is_append_only_update")
    db.execute("DROP TRIGGER IF EXISTS audit_is_append_only_delete")
    db.execute(sql, params)


@pytest.fixture
def audited(repo: CaseRepository) -> CaseRepository:
    for day in range(1, 6):
        case_id = repo.add(new_case(received=datetime(2026, 10, day, tzinfo=UTC)), actor="alice", now=NOW)
        repo.change_status(case_id, Status.IDENTITY_CHECK, actor="alice", reason="", now=NOW)
    return repo


def test_verify_catches_a_byte_changed_in_a_row(
    audited: CaseRepository, db: Database, store_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tamper(db, "UPDATE audit SET actor = 'alicf' WHERE seq = 4")
    assert verify_chain(db) == ["audit entry 4 was changed after it was written"]
    assert main(["--store", str(store_path), "verify"]) == 1
    out = capsys.readouterr().out
    assert "audit: 10 entries, 3 problem(s): the trigger audit_is_append_only_update is missing" in out
    assert "audit entry 4 was changed after it was written" in out  # the guard dropped, and the row changed


def test_deleting_or_swapping_entries_breaks_the_chain(audited: CaseRepository, db: Database) -> None:
    tamper(db, "DELETE FROM audit WHERE seq = 3")
    problems = verify_chain(db)
    assert "audit entry 3 is missing (the next is 4)" in problems
    assert "audit entry 4 does not follow the entry before it" in problems


def test_a_rebuilt_chain_is_caught_by_the_anchor(audited: CaseRepository, db: Database) -> None:
    anchor = head(db)
    # Rewrite history completely and re-hash every entry: the chain alone looks intact…
    tamper(db, "UPDATE audit SET actor = 'mallory' WHERE seq = 2")
    previous = "0" * 64
    for row in entries(db):
        entry = {
            "seq": row["seq"],
            "at": row["at"],
            "actor": row["actor"],
            "action": row["action"],
            "entity": row["entity"],
            "id": row["entity_id"],
            "details": json.loads(row["details"]),
        }
        if row["case_state"] is not None:  # the seal of the case the entry is about is hashed too
            entry |= {"case": row["sealed_case"], "state": row["case_state"].hex()}
        digest = entry_hash(previous, entry)
        db.execute("UPDATE audit SET hash = ? WHERE seq = ?", (bytes.fromhex(digest), row["seq"]))
        previous = digest
    assert verify_chain(db) == []
    # …but not against the anchor exported before.
    assert verify_chain(db, anchor) == [f"audit entry {anchor.seq} differs from the exported anchor"]
    tamper(db, f"DELETE FROM audit WHERE seq = {anchor.seq}")
    assert f"the audit log ends before the exported anchor (entry {anchor.seq})" in verify_chain(db, anchor)


def test_verify_reports_a_healthy_store_and_exports_the_anchor(
    audited: CaseRepository, db: Database, store_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    anchor_file = tmp_path / "anchor.txt"
    assert main(["--store", str(store_path), "verify", "--export-anchor", str(anchor_file)]) == 0
    out = capsys.readouterr().out
    assert "integrity: ok" in out and "foreign keys: ok" in out and "10 entries, chain intact" in out
    assert Anchor.parse(anchor_file.read_text()) == head(db)
    assert main(["--store", str(store_path), "verify", "--anchor", str(anchor_file)]) == 0
    assert verify(db).ok


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    seq=st.integers(1, 10),
    column=st.sampled_from(["at", "actor", "action", "entity", "entity_id", "details"]),
    flip=st.integers(0, 7),
)
def test_any_single_change_is_detected(audited: CaseRepository, db: Database, seq: int, column: str, flip: int) -> None:
    db.execute("SAVEPOINT tamper")
    value = db.execute(f"SELECT {column} FROM audit WHERE seq = ?", (seq,)).fetchone()[0]
    changed = value[:-1] + chr(ord(value[-1]) ^ (1 << (flip % 5) or 1))
    if column == "details":
        changed = json.dumps({"x": flip}) if value == "{}" else value.replace("}", ',"x":1}', 1)
    tamper(db, f"UPDATE audit SET {column} = ? WHERE seq = ?", (changed, seq))
    assert verify_chain(db), (column, value, changed)
    db.execute("ROLLBACK TO tamper")
    db.execute("RELEASE tamper")


def test_migration_0018_keeps_every_entry_and_the_chain_with_each_hash_once() -> None:
    """The entries written before it (hex text, prev_hash) are the same entries after it, as bytes."""
    db = Database(memory=True)
    migrations.apply(db, stop_before="0018_compact_audit")
    repo = CaseRepository(db, Register(db), StoreSettings(db))
    for day in range(1, 4):
        case_id = repo.add(new_case(received=datetime(2026, 10, day, tzinfo=UTC)), actor="alice", now=NOW)
        repo.change_status(case_id, Status.IDENTITY_CHECK, actor="alice", reason="", now=NOW)
    before = db.execute("SELECT seq, hash, case_state, details FROM audit ORDER BY seq").fetchall()
    anchor = head(db)
    assert verify(db).ok and not is_compact(db)
    migrations.apply(db)
    assert is_compact(db) and head(db) == anchor and verify(db).ok
    after = db.execute("SELECT seq, hex(hash), hex(case_state), details FROM audit ORDER BY seq").fetchall()
    assert [(s, h.upper(), c.upper() if c else None, d) for s, h, c, d in before] == after
    assert verify_chain(db, anchor) == []
    repo.add_note(1, "after the migration", author="alice", now=NOW)  # new entries follow the old ones
    assert verify(db).ok and head(db).seq == anchor.seq + 1


def test_the_verify_report_counts_the_entries_with_thousands_separators(audited: CaseRepository, db: Database) -> None:
    """It read "audit: 1770539 entries" at 100,000 cases, and the demo's "98803 entry(ies) dated back"."""
    report = verify(db)
    assert "audit: 10 entries, chain intact" in report.lines()
    assert "audit: 1,770,539 entries, chain intact" in replace(report, entries=1_770_539).lines()
    assert "audit: 1 entry, chain intact" in replace(report, entries=1).lines()
    dated_back = replace(report, times=[f"entry {n}" for n in range(98_803)]).lines()
    assert "times: 98,803 entry(ies) dated back: entry 0; entry 1; entry 2; entry 3; entry 4" in dated_back
