"""Backups go through SQLite's backup API, are checked before a restore, and never overwrite a file."""

import sqlite3
from datetime import date
from pathlib import Path

import pytest
from sqlite_utils import Database

from dpo_desk.cli import main
from dpo_desk.store.backup import BackupError, backup, check_backup, daily_backup, latest_backup, restore
from dpo_desk.store.cases import CaseRepository
from dpo_desk.store.db import open_store
from dpo_desk.store.verify import verify
from tests.conftest import NOW, new_case


def test_backup_holds_every_case_and_records_itself(repo: CaseRepository, db: Database, tmp_path: Path) -> None:
    for number in range(3):
        repo.add(new_case(name=f"Subject {number}"), actor="alice", now=NOW)
    target = backup(db, tmp_path / "copies" / "one.sqlite", actor="alice", now=NOW)
    checked = check_backup(target)
    assert checked.cases == 3
    assert checked.audit_entries == 4  # three cases created, then the backup itself
    last = db.execute("SELECT action, details FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    assert last == ("backup", '{"file":"one.sqlite"}')
    assert not list(target.parent.glob("*.part"))


def test_backup_never_overwrites(repo: CaseRepository, db: Database, tmp_path: Path) -> None:
    existing = tmp_path / "taken.sqlite"
    existing.write_bytes(b"someone else's file")
    with pytest.raises(BackupError, match="already exists"):
        backup(db, existing, actor="alice", now=NOW)
    assert existing.read_bytes() == b"someone else's file"


def test_restore_makes_a_new_store_that_opens_and_verifies(repo: CaseRepository, db: Database, tmp_path: Path) -> None:
    case_id = repo.add(new_case(name="Kari Nordmann"), actor="alice", now=NOW)
    copy = backup(db, tmp_path / "copy.sqlite", actor="alice", now=NOW)
    repo.add(new_case(name="Added after the backup"), actor="alice", now=NOW)

    restored_path = tmp_path / "restored" / "store.sqlite"
    assert restore(copy, restored_path).cases == 1
    with open_store(restored_path, create=False) as restored:
        names = [row["name"] for row in restored.query("SELECT name FROM subjects")]
        assert names == ["Kari Nordmann"]
        assert CaseRepository(restored).get_by_id(case_id).subject.name == "Kari Nordmann"
        assert verify(restored).ok
    assert db.execute("SELECT count(*) FROM cases").fetchone()[0] == 2  # the open store is untouched


def test_restore_refuses_an_existing_target(
    repo: CaseRepository, db: Database, tmp_path: Path, store_path: Path
) -> None:
    copy = backup(db, tmp_path / "copy.sqlite", actor="alice", now=NOW)
    before = store_path.read_bytes()
    with pytest.raises(BackupError, match="already exists"):
        restore(copy, store_path)
    assert store_path.read_bytes() == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"not a database at all, just text" * 100, "not a usable store"),
    ],
)
def test_check_refuses_files_that_are_not_stores(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.sqlite"
    path.write_bytes(content)
    with pytest.raises(BackupError, match=message):
        restore(path, tmp_path / "new.sqlite")
    assert not (tmp_path / "new.sqlite").exists()


def test_check_refuses_a_foreign_sqlite_file(tmp_path: Path) -> None:
    foreign = tmp_path / "photos.sqlite"
    with sqlite3.connect(foreign) as connection:
        connection.execute("CREATE TABLE photos (id INTEGER)")
    connection.close()
    with pytest.raises(BackupError, match="not a DPO Desk store"):
        check_backup(foreign)


def test_check_refuses_a_damaged_backup(repo: CaseRepository, db: Database, tmp_path: Path) -> None:
    for number in range(200):
        repo.add(new_case(name=f"Subject {number}", text="x" * 400), actor="alice", now=NOW)
    copy = backup(db, tmp_path / "copy.sqlite", actor="alice", now=NOW)
    data = bytearray(copy.read_bytes())
    page = 4096
    data[page * 3 : page * 3 + 200] = b"\xff" * 200  # a b-tree page header overwritten
    copy.write_bytes(bytes(data))
    with pytest.raises(BackupError, match=r"damaged|not a usable store"):
        check_backup(copy)


def test_check_refuses_a_backup_from_a_newer_version(db: Database, tmp_path: Path) -> None:
    copy = backup(db, tmp_path / "copy.sqlite", actor="alice", now=NOW)
    with sqlite3.connect(copy) as connection:
        connection.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('x', '9999_future', 'now')"
        )
    connection.close()
    with pytest.raises(BackupError, match=r"newer DPO Desk.*9999_future"):
        check_backup(copy)


def test_daily_backup_once_a_day_keeping_the_newest(db: Database, store_path: Path) -> None:
    made = [daily_backup(db, store_path, today=date(2026, 11, day), keep=3, actor="alice") for day in range(1, 6)]
    assert all(made)
    assert daily_backup(db, store_path, today=date(2026, 11, 5), keep=3, actor="alice") is None
    kept = sorted(path.name for path in (store_path.parent / "backups").glob("daily-*.sqlite"))
    assert kept == ["daily-2026-11-03.sqlite", "daily-2026-11-04.sqlite", "daily-2026-11-05.sqlite"]
    assert latest_backup(store_path) == made[-1]


def test_cli_backup_and_restore(
    repo: CaseRepository, db: Database, store_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo.add(new_case(), actor="alice", now=NOW)
    target = tmp_path / "cli-copy.sqlite"
    assert main(["--store", str(store_path), "backup", str(target)]) == 0
    assert str(target) in capsys.readouterr().out
    assert main(["--store", str(store_path), "backup", str(target)]) == 2
    assert "already exists" in capsys.readouterr().err

    restored = tmp_path / "restored.sqlite"
    assert main(["restore", str(target), "--to", str(restored)]) == 0
    assert "restored 1 cases" in capsys.readouterr().out
    assert check_backup(restored).cases == 1
