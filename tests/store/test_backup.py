"""Backups go through SQLite's backup API, are checked before a restore, and never overwrite a file."""

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from dpo_desk.store.driver import SQLITE_HEADER, sqlite

import pytest
from sqlite_utils import Database

from dpo_desk.application.desk import Desk
from dpo_desk.cli import main
from dpo_desk.core.errors import InputError
from dpo_desk.core.settings import BACKUPS_KEPT
from dpo_desk.store.backup import BackupError, backup, check_backup, latest_backup, restore
from dpo_desk.store.cases import CaseRepository
from dpo_desk.store.db import open_store
from dpo_desk.store.keys import key_file_path, key_from_passphrase, wrap, write_key_file
from dpo_desk.store.verify import verify
from tests.conftest import (
    CHEAP_KDF,
    NOW,
    TEST_KEY,
    TEST_PASSPHRASE,
    MemoryKeyring,
    Template,
    daily_backup,
    desk_on,
    fresh_store,
    new_case,
)


def test_backup_holds_every_case_and_records_itself(
    repo: CaseRepository, db: Database, store_path: Path, store_key: bytes, tmp_path: Path
) -> None:
    for number in range(3):
        repo.add(new_case(name=f"Subject {number}"), actor="alice", now=NOW)
    target = backup(db, store_path, store_key, tmp_path / "copies" / "one.sqlite", actor="alice", now=NOW)
    checked = check_backup(target, store_key)
    assert checked.cases == 3
    assert checked.audit_entries == 3  # the three cases; the backup is recorded once it exists, after the copy
    last = db.execute("SELECT action, details FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    assert last == ("backup", '{"file":"one.sqlite"}')
    assert not list(target.parent.glob("*.part"))


def test_a_backup_stays_encrypted_and_opens_with_the_passphrase_on_a_new_laptop(
    repo: CaseRepository,
    db: Database,
    store_path: Path,
    store_key: bytes,
    tmp_path: Path,
    memory_keyring: MemoryKeyring,
) -> None:
    repo.add(new_case(name="Canary Backupson"), actor="alice", now=NOW)
    target = backup(db, store_path, store_key, tmp_path / "copies" / "one.sqlite", actor="alice", now=NOW)
    raw = target.read_bytes()
    assert not raw.startswith(SQLITE_HEADER) and b"Canary Backupson" not in raw
    assert key_file_path(target).read_bytes() == key_file_path(store_path).read_bytes()

    memory_keyring.secrets.clear()  # the new laptop: the backup folder and the passphrase, no keyring entry
    key = key_from_passphrase(target, TEST_PASSPHRASE)
    restored = tmp_path / "new-laptop" / "store.sqlite"
    assert restore(target, key, restored).cases == 1
    assert key_from_passphrase(restored, TEST_PASSPHRASE) == store_key
    with open_store(restored, key, create=False) as opened:
        assert [row["name"] for row in opened.query("SELECT name FROM subjects")] == ["Canary Backupson"]


def test_a_backup_of_another_store_is_refused_by_name(
    db: Database, store_path: Path, tmp_path: Path, template: Template
) -> None:
    with open_store(fresh_store(template, tmp_path / "other.sqlite"), TEST_KEY) as other:
        other_copy = backup(
            other, tmp_path / "other.sqlite", TEST_KEY, tmp_path / "other-copy.sqlite", actor="a", now=NOW
        )
    with pytest.raises(BackupError, match="key does not open it"):
        check_backup(other_copy, bytes(32))


def test_backup_never_overwrites(db: Database, store_path: Path, store_key: bytes, tmp_path: Path) -> None:
    existing = tmp_path / "taken.sqlite"
    existing.write_bytes(b"someone else's file")
    with pytest.raises(BackupError, match="already exists"):
        backup(db, store_path, store_key, existing, actor="alice", now=NOW)
    assert existing.read_bytes() == b"someone else's file"


def test_restore_makes_a_new_store_that_opens_and_verifies(
    repo: CaseRepository, db: Database, store_path: Path, store_key: bytes, tmp_path: Path
) -> None:
    case_id = repo.add(new_case(name="Kari Nordmann"), actor="alice", now=NOW)
    copy = backup(db, store_path, store_key, tmp_path / "copy.sqlite", actor="alice", now=NOW)
    repo.add(new_case(name="Added after the backup"), actor="alice", now=NOW)

    restored_path = tmp_path / "restored" / "store.sqlite"
    assert restore(copy, store_key, restored_path).cases == 1
    with open_store(restored_path, store_key, create=False) as restored:
        names = [row["name"] for row in restored.query("SELECT name FROM subjects")]
        assert names == ["Kari Nordmann"]
        assert desk_on(restored, restored_path, store_key).cases.get_by_id(case_id).subject.name == "Kari Nordmann"
        assert verify(restored).ok
    assert db.execute("SELECT count(*) FROM cases").fetchone()[0] == 2  # the open store is untouched


def test_restore_refuses_an_existing_target(db: Database, tmp_path: Path, store_path: Path, store_key: bytes) -> None:
    copy = backup(db, store_path, store_key, tmp_path / "copy.sqlite", actor="alice", now=NOW)
    before = store_path.read_bytes()
    with pytest.raises(BackupError, match="already exists"):
        restore(copy, store_key, store_path)
    assert store_path.read_bytes() == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"not a database at all, just text" * 100, "key does not open it"),
    ],
)
def test_check_refuses_files_that_are_not_stores(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.sqlite"
    path.write_bytes(content)
    with pytest.raises(BackupError, match=message):
        restore(path, TEST_KEY, tmp_path / "new.sqlite")
    assert not (tmp_path / "new.sqlite").exists()


def test_check_refuses_a_foreign_sqlite_file(tmp_path: Path) -> None:
    foreign = tmp_path / "photos.sqlite"
    with sqlite.connect(foreign) as connection:
        connection.execute(f"PRAGMA key = \"x'{TEST_KEY.hex()}'\"")  # even one encrypted with the right key
        connection.execute("CREATE TABLE photos (id INTEGER)")
    connection.close()
    with pytest.raises(BackupError, match="not a DPO Desk store"):
        check_backup(foreign, TEST_KEY)


def test_check_refuses_a_plain_backup_from_before_encryption_by_name(tmp_path: Path) -> None:
    plain = tmp_path / "daily-2026-01-01.sqlite"
    with sqlite.connect(plain) as connection:  # no key: a plain SQLite file
        connection.execute("CREATE TABLE cases (id INTEGER)")
    connection.close()
    with pytest.raises(BackupError, match="unencrypted file"):
        check_backup(plain, TEST_KEY)


def test_check_refuses_a_damaged_backup(
    repo: CaseRepository, db: Database, store_path: Path, store_key: bytes, tmp_path: Path
) -> None:
    for number in range(200):
        repo.add(new_case(name=f"Subject {number}", text="x" * 400), actor="alice", now=NOW)
    copy = backup(db, store_path, store_key, tmp_path / "copy.sqlite", actor="alice", now=NOW)
    data = bytearray(copy.read_bytes())
    page = 4096
    data[page * 3 + 100] ^= 0x01  # one bit of one page: its HMAC no longer matches
    copy.write_bytes(bytes(data))
    with pytest.raises(BackupError, match=r"damaged|not a usable store"):
        check_backup(copy, store_key)


def test_check_refuses_a_backup_from_a_newer_version(
    db: Database, store_path: Path, store_key: bytes, tmp_path: Path
) -> None:
    copy = backup(db, store_path, store_key, tmp_path / "copy.sqlite", actor="alice", now=NOW)
    with sqlite.connect(copy) as connection:
        connection.execute(f"PRAGMA key = \"x'{store_key.hex()}'\"")
        connection.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('x', '9999_future', 'now')"
        )
    connection.close()
    with pytest.raises(BackupError, match=r"newer DPO Desk.*9999_future"):
        check_backup(copy, store_key)


def test_daily_backup_once_a_day_keeping_the_newest(desk: Desk, store_path: Path) -> None:
    desk.save_settings({BACKUPS_KEPT: 3})
    made = [daily_backup(desk, date(2026, 11, day)) for day in range(1, 6)]
    assert all(made)
    assert daily_backup(desk, date(2026, 11, 5)) is None
    kept = sorted(path.name for path in (store_path.parent / "backups").glob("*daily-*"))
    assert kept == [
        f"store-daily-2026-11-0{day}.sqlite{suffix}" for day in (3, 4, 5) for suffix in ("", ".key")
    ]  # each with its key file; the dropped ones lost theirs too
    assert latest_backup(store_path) == made[-1]


def test_a_clock_set_back_or_forward_once_rotates_by_the_order_backups_were_made(
    desk: Desk, store_path: Path, db: Database
) -> None:
    """By the names' dates, a clock set back deleted today's backup as it was made, and a daily-2099 from a
    clock set forward once held its slot for good."""
    desk.save_settings({BACKUPS_KEPT: 2})
    for day in (date(2026, 11, 1), date(2099, 1, 1), date(2026, 11, 2), date(2026, 11, 3)):
        assert daily_backup(desk, day) is not None
    kept = sorted(path.name for path in (store_path.parent / "backups").glob("*daily-*.sqlite"))
    assert kept == ["store-daily-2026-11-02.sqlite", "store-daily-2026-11-03.sqlite"]  # the two made last


def _second_store(template: Template, path: Path) -> Desk:
    """Another store in the same folder: a key file of its own, with an id of its own."""
    fresh_store(template, path)
    write_key_file(path, wrap(TEST_KEY, TEST_PASSPHRASE, "a-second-store", CHEAP_KDF))
    return desk_on(open_store(path, TEST_KEY), path, TEST_KEY)


def test_two_stores_in_one_folder_each_get_and_keep_their_own_daily_backups(
    desk: Desk, store_path: Path, template: Template
) -> None:
    """Named per folder, the second store got no backup on a day the first had one, its status bar named
    the first store's file, and its rotation deleted the first store's backups."""
    other = _second_store(template, store_path.parent / "second.sqlite")
    desk.save_settings({BACKUPS_KEPT: 2})
    other.save_settings({BACKUPS_KEPT: 2})
    for day in range(1, 4):
        assert daily_backup(desk, date(2026, 11, day)) is not None
    assert daily_backup(other, date(2026, 11, 3)) is not None  # the day the first store had one already
    assert latest_backup(other.path) == store_path.parent / "backups" / "second-daily-2026-11-03.sqlite"
    for day in range(4, 7):
        assert daily_backup(other, date(2026, 11, day)) is not None
    kept = sorted(path.name for path in (store_path.parent / "backups").glob("*.sqlite"))
    assert kept == [
        "second-daily-2026-11-05.sqlite",
        "second-daily-2026-11-06.sqlite",
        "store-daily-2026-11-02.sqlite",
        "store-daily-2026-11-03.sqlite",
    ]
    assert latest_backup(store_path) == store_path.parent / "backups" / "store-daily-2026-11-03.sqlite"
    other.close()


def test_a_daily_backup_of_the_old_folder_wide_name_rotates_with_its_own_store_only(
    desk: Desk, store_path: Path, template: Template
) -> None:
    other = _second_store(template, store_path.parent / "second.sqlite")
    backups = store_path.parent / "backups"
    mine = desk.backups.backup(backups / "daily-2026-10-01.sqlite", actor="dpo", now=NOW)
    theirs = other.backups.backup(backups / "daily-2026-10-02.sqlite", actor="dpo", now=NOW)
    desk.save_settings({BACKUPS_KEPT: 1})
    assert daily_backup(desk, date(2026, 11, 1)) is not None
    assert not mine.exists() and theirs.exists() and key_file_path(theirs).exists()
    other.close()


def test_a_daily_backup_name_another_store_holds_is_refused_by_name(
    desk: Desk, store_path: Path, template: Template
) -> None:
    namesake = _second_store(template, store_path.with_suffix(".db"))  # store.db beside store.sqlite
    assert daily_backup(namesake, date(2026, 11, 1)) is not None
    with pytest.raises(BackupError, match=r"store-daily-2026-11-01\.sqlite in .* is another store's backup"):
        desk.backups.daily_target(date(2026, 11, 1))
    namesake.close()


def test_verify_flags_a_clock_that_went_back_and_a_missing_guard(db: Database) -> None:
    from dpo_desk.store import audit

    audit.record(db, actor="d", action="note", entity="case", entity_id=1, details={}, now=NOW)
    audit.record(db, actor="d", action="note", entity="case", entity_id=1, details={}, now=NOW - timedelta(days=3))
    report = verify(db)
    assert report.ok and len(report.times) == 1  # flagged, not failed: the chain shows the order
    assert "times: 1 entry(ies) dated back: entry" in "\n".join(report.lines())
    db.execute("DROP TRIGGER audit_is_append_only_delete")
    report = verify(db)
    assert not report.ok and "the trigger audit_is_append_only_delete is missing" in report.audit[0]


def test_cli_backup_and_restore(
    repo: CaseRepository,
    db: Database,
    store_path: Path,
    store_key: bytes,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    repo.add(new_case(), actor="alice", now=NOW)
    target = tmp_path / "cli-copy.sqlite"
    assert main(["--store", str(store_path), "backup", str(target)]) == 0
    assert str(target) in capsys.readouterr().out
    assert main(["--store", str(store_path), "backup", str(target)]) == 2
    assert "already exists" in capsys.readouterr().err

    assert main(["restore", str(tmp_path / "missing.sqlite"), "--to", str(tmp_path / "x.sqlite")]) == 2
    assert "missing.sqlite: no backup there" in capsys.readouterr().err
    restored = tmp_path / "restored.sqlite"
    assert main(["restore", str(target), "--to", str(restored)]) == 0
    assert "restored 1 cases" in capsys.readouterr().out
    assert check_backup(restored, store_key).cases == 1


def test_how_many_daily_backups_are_kept_is_an_audited_setting(desk: Desk, db: Database) -> None:
    assert desk.settings.get(BACKUPS_KEPT) == 7
    desk.save_settings({BACKUPS_KEPT: 14})
    assert desk.settings.get(BACKUPS_KEPT) == 14
    assert db.execute("SELECT action, entity_id, details FROM audit ORDER BY seq DESC LIMIT 1").fetchone() == (
        "setting",
        "backups_kept",
        '{"backups_kept":"14"}',
    )
    with pytest.raises(InputError, match="Backups kept: 0 backups; choose between 1 and 365"):
        desk.save_settings({BACKUPS_KEPT: 0})
    assert desk.settings.get(BACKUPS_KEPT) == 14


def test_a_clock_behind_the_audit_is_said_before_anything_is_recorded(
    db: Database, store_path: Path, store_key: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    from dpo_desk.store import audit

    ahead = datetime.now(UTC) + timedelta(days=2)  # as if the last session's clock ran ahead of this one's
    audit.record(db, actor="d", action="note", entity="case", entity_id=1, details={}, now=ahead)
    assert "before the newest audit entry" in desk_on(db, store_path, store_key).clock_behind()
    assert main(["--store", str(store_path), "case", "list"]) == 0
    assert "warning: this computer's clock says" in capsys.readouterr().err
    in_step = Desk(db, store_path, store_key, actor="d", clock=lambda: ahead + timedelta(minutes=1))
    assert in_step.clock_behind() == ""
