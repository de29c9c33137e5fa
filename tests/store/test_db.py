"""Opening the store: pragmas, migrations, the copy before an upgrade, refusing what is not a store."""

from pathlib import Path

from dpo_desk.store.driver import sqlite

import pytest
from sqlite_utils import Database

from dpo_desk.store import db as store_db
from dpo_desk.store.db import StoreError, open_read_only, open_store
from dpo_desk.store.migrations import migrations
from dpo_desk.store.transactions import write_transaction
from tests.conftest import TEST_KEY


def test_new_store_has_durable_settings_and_all_migrations(db: Database) -> None:
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert db.execute("PRAGMA secure_delete").fetchone()[0] == 1  # on every build, not only Debian's default
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert migrations.pending(db) == []
    assert [m.name for m in migrations.applied(db)] == [
        "0001_initial",
        "0002_seed_register",
        "0003_workflow",
        "0004_decisions_and_outcomes",
        "0005_letters",
        "0006_mail",
        "0007_audit",
        "0008_audit_by_entity",
        "0009_quarantine",
        "0010_letter_facts",
        "0011_published_contacts",
        "0012_identifiers_and_age",
        "0013_case_seals",
        "0014_subject_data",
        "0015_answers_by_time",
        "0016_attachments_by_hand",
        "0017_letter_language",
        "0018_compact_audit",
        "0019_search_without_copy",
        "0020_smaller_indexes",
        "0021_first_answer_index",
        "0022_earlier_cases_by_time",
        "0023_backup_entries_index",
        "0024_dashboard_indexes",
        "0025_newest_cases_of_a_name",
        "0026_days_left_order",
    ]


def test_foreign_keys_are_enforced(db: Database) -> None:
    with pytest.raises(sqlite.IntegrityError):
        db.execute(
            "INSERT INTO case_events (case_id, at, actor, action) VALUES (999, '2026-01-01T00:00:00Z', 'x', 'y')"
        )


def test_reopening_does_not_seed_twice(store_path: Path) -> None:
    open_store(store_path, TEST_KEY).close()
    with open_store(store_path, TEST_KEY) as again:
        assert again.execute("SELECT count(*) FROM entities").fetchone()[0] == 5
    assert not (store_path.parent / "backups").exists()


def test_an_upgrade_copies_the_store_first(store_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with open_store(store_path, TEST_KEY) as first:
        first.execute("INSERT INTO settings (key, value) VALUES ('marker', 'kept')")
    upgrade = migrations._Migration(
        "9999_test_upgrade", lambda db: db.execute("CREATE TABLE upgraded (id INTEGER)"), True
    )
    monkeypatch.setattr(migrations, "_migrations", [*migrations._migrations, upgrade])
    with open_store(store_path, TEST_KEY) as upgraded:
        assert "upgraded" in upgraded.table_names()
    backups = list((store_path.parent / "backups").glob("*.sqlite"))
    assert len(backups) == 1
    with open_read_only(backups[0], TEST_KEY) as copy:  # encrypted with the store's key, like the store
        assert copy.execute("SELECT value FROM settings WHERE key = 'marker'").fetchone() == ("kept",)
        assert copy.execute("SELECT name FROM sqlite_master WHERE name = 'upgraded'").fetchone() is None


def test_a_foreign_sqlite_file_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    with sqlite.connect(path) as other:  # without a key: a plain SQLite file
        other.execute("CREATE TABLE photos (id INTEGER)")
    before = path.read_bytes()
    with pytest.raises(StoreError, match="not a DPO Desk store"):
        open_store(path, TEST_KEY)
    assert path.read_bytes() == before


def test_a_file_that_is_not_sqlite_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite"
    path.write_bytes(b"this is not a database, just text " * 100)
    with pytest.raises(StoreError, match="cannot be opened as a store"):
        open_store(path, TEST_KEY)


def test_a_missing_store_is_not_created_when_asked_not_to(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no store at"):
        open_store(tmp_path / "missing.sqlite", TEST_KEY, create=False)
    assert not (tmp_path / "missing.sqlite").exists()


def test_write_transaction_rolls_back_everything_on_error(db: Database) -> None:
    with pytest.raises(RuntimeError), write_transaction(db):
        db.execute("INSERT INTO settings (key, value) VALUES ('a', '1')")
        with write_transaction(db):  # nested: a savepoint
            db.execute("INSERT INTO settings (key, value) VALUES ('b', '2')")
        raise RuntimeError("boom")
    assert db.execute("SELECT count(*) FROM settings").fetchone()[0] == 0
    assert not db.conn.in_transaction


def test_store_is_opened_in_one_place_only() -> None:
    """The key is applied in that one module: no other module may connect."""
    package = Path(store_db.__file__).parents[1]
    connecting = sorted(
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if any(
            call in path.read_text(encoding="utf-8") for call in ("sqlite.connect(", "sqlite3.connect(", "Database(")
        )
    )
    assert connecting == ["store/db.py"]
