"""Backups through SQLite's online backup API (never a file copy, which can miss what is still in the WAL),
and restores that check a backup before anything is written.

A backup is encrypted with the store's key, and the store's key file goes beside it
(``<store>-daily-….sqlite.key``): the keyring, or the passphrase current when the backup was made, opens it.

Several stores can share a folder, and so its ``backups`` folder: a backup is a store's when its key file
carries the store's id, whatever its name says.
"""

from __future__ import annotations

import contextlib
import json
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from dpo_desk.store.driver import is_unencrypted, sqlite

from sqlite_utils import Database

from dpo_desk.core.errors import DeskError
from dpo_desk.core.settings import BACKUPS_KEPT
from dpo_desk.store import audit
from dpo_desk.store.db import BACKUP_DIR_NAME, copy_database, open_read_only
from dpo_desk.store.keys import KeyFileError, copy_key_file, key_file_path, read_key_file
from dpo_desk.store.migrations import migrations
from dpo_desk.store.settings import StoreSettings

# "daily-<date>" alone is how versions before 2026-12 named them, one name for every store in the folder.
_DAILY_NAME = re.compile(r"(?:.+-)?daily-\d{4}-\d{2}-\d{2}\.sqlite")


class BackupError(DeskError):
    """A backup that cannot be made, or one that must not be restored; the message names the reason."""


@dataclass(frozen=True, slots=True)
class BackupCheck:
    cases: int
    migrations: int
    audit_entries: int


class Backups:
    """Backups of one open store: on request, and one a day beside it (the newest few kept)."""

    def __init__(self, db: Database, store_path: Path, key: bytes, settings: StoreSettings) -> None:
        self._db = db
        self._path = store_path
        self._key = key
        self._settings = settings

    def backup(self, target: Path, *, actor: str, now: datetime) -> Path:
        """Copy the store to ``target`` (which must not exist), with its key file; audited."""
        return backup(self._db, self._path, self._key, target, actor=actor, now=now)

    def daily_target(self, today: date) -> Path | None:
        """Where today's backup goes; None when it is already there. Refused when another store's
        backup has that name."""
        return daily_target(self._path, today)

    def copy_to(self, target: Path) -> Path:
        """The copy itself, on a read-only connection of its own: safe in a worker thread."""
        return copy_store_file(self._path, self._key, target)

    def finish_daily(self, made: Path, *, actor: str, now: datetime) -> Path:
        """Audit a finished daily backup and drop all but the newest (the number kept is a setting)."""
        return finish_daily(self._db, self._path, made, keep=self._settings.get(BACKUPS_KEPT), actor=actor, now=now)

    def latest(self) -> Path | None:
        return latest_backup(self._path)


def backup(db: Database, store_path: Path, key: bytes, target: Path, *, actor: str, now: datetime) -> Path:
    """Copy the open store to ``target`` (which must not exist), with its key file, and record it in the audit."""
    if target.exists():
        raise BackupError(f"{target} already exists; a backup never overwrites a file")
    copy_key_file(store_path, target)
    made = copy_database(db.conn, target, key)
    # Recorded once it exists, never before: a copy that failed is not in the audit as made.
    audit.record(
        db, actor=actor, action="backup", entity="store", entity_id="store", details={"file": target.name}, now=now
    )
    return made


def check_backup(path: Path, key: bytes) -> BackupCheck:
    """Open the backup read-only with the key and check it: its pages' HMACs, SQLite's integrity, a DPO Desk
    store, not from a newer version."""
    if not path.is_file() or path.stat().st_size == 0:
        raise BackupError(f"{path}: no backup there, or an empty file")
    if is_unencrypted(path):
        raise BackupError(f"{path}: an unencrypted file (a backup from before encryption?); restore an encrypted one")
    try:
        with contextlib.closing(open_read_only(path, key)) as copy:
            try:
                copy.execute("SELECT count(*) FROM sqlite_master").fetchone()
            except sqlite.DatabaseError:
                raise BackupError(
                    f"{path}: this store's key does not open it (another store's backup, or damaged)"
                ) from None
            problems = [row[0] for row in copy.execute("PRAGMA cipher_integrity_check")]
            problems += [row[0] for row in copy.execute("PRAGMA integrity_check") if row[0] != "ok"]
            if problems:
                raise BackupError(f"{path}: damaged ({'; '.join(problems[:3])})")
            tables = {row[0] for row in copy.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if "_sqlite_migrations" not in tables or "cases" not in tables:
                raise BackupError(f"{path}: an SQLite file, but not a DPO Desk store")
            applied = {row[0] for row in copy.execute("SELECT name FROM _sqlite_migrations")}
            known = {migration.name for migration in migrations._migrations}
            newer = sorted(applied - known)
            if newer:
                raise BackupError(f"{path}: made by a newer DPO Desk (migrations {', '.join(newer)}); update first")
            cases = copy.execute("SELECT count(*) FROM cases").fetchone()[0]
            entries = copy.execute("SELECT count(*) FROM audit").fetchone()[0] if "audit" in tables else 0
            return BackupCheck(cases, len(applied), entries)
    except sqlite.DatabaseError as error:
        raise BackupError(f"{path}: not a usable store ({error})") from None


def restore(backup_path: Path, key: bytes, target: Path) -> BackupCheck:
    """Check the backup, then copy it (and its key file) to a new store at ``target``; the current store is
    never touched."""
    checked = check_backup(backup_path, key)
    if target.exists():
        raise BackupError(f"{target} already exists; restore into a new file and open that")
    copy_key_file(backup_path, target)
    with contextlib.closing(open_read_only(backup_path, key)) as source:
        copy_database(source, target, key)
    return checked


def daily_target(store_path: Path, today: date) -> Path | None:
    """Where today's backup goes; None when it is already there. Refused when another store's backup
    has that name (two stores of one name, ``cases.sqlite`` and ``cases.db``, in one folder)."""
    target = store_path.parent / BACKUP_DIR_NAME / f"{store_path.stem}-daily-{today.isoformat()}.sqlite"
    if not target.exists():
        return target
    if _store_id(target) == _store_id(store_path):
        return None
    raise BackupError(f"{target.name} in {target.parent} is another store's backup; give this store a name of its own")


def copy_store_file(store_path: Path, key: bytes, target: Path) -> Path:
    """Copy the store's committed state on a read-only connection of its own, so that the copy can run in
    a worker thread while the app goes on writing on its connection."""
    if target.exists():
        raise BackupError(f"{target} already exists; a backup never overwrites a file")
    copy_key_file(store_path, target)
    with contextlib.closing(open_read_only(store_path, key)) as source:
        return copy_database(source, target, key)


def finish_daily(db: Database, store_path: Path, made: Path, *, keep: int, actor: str, now: datetime) -> Path:
    """Record a finished daily backup in the audit and drop all but this store's newest ``keep``."""
    audit.record(
        db, actor=actor, action="backup", entity="store", entity_id="store", details={"file": made.name}, now=now
    )
    dailies = [path for path in backups_of(store_path) if _DAILY_NAME.fullmatch(path.name)]
    for old in _in_order_made(db, dailies)[:-keep]:
        old.unlink()
        key_file_path(old).unlink(missing_ok=True)
    return made


def _in_order_made(db: Database, backups: list[Path]) -> list[Path]:
    """Oldest first by the audit's order, not by the dates in their names: a clock set back once named
    today's backup as older than the rest (it was deleted as it was made), and one set forward once left
    a daily-2099 that held a slot for good. A file the audit does not name counts as the oldest."""
    made_at = {
        json.loads(details).get("file"): seq
        for seq, details in db.execute("SELECT seq, details FROM audit WHERE action = 'backup' ORDER BY seq")
    }
    return sorted(backups, key=lambda path: (made_at.get(path.name, 0), path.name))


def latest_backup(store_path: Path) -> Path | None:
    """The newest of this store's backups beside it (daily, or made before a migration)."""
    found = sorted(backups_of(store_path), key=lambda path: path.stat().st_mtime)
    return found[-1] if found else None


def backups_of(store_path: Path) -> list[Path]:
    """The backups in the store's backups folder whose key file carries this store's id."""
    folder = store_path.parent / BACKUP_DIR_NAME
    store_id = _store_id(store_path)
    if store_id is None or not folder.is_dir():
        return []
    return [path for path in folder.glob("*.sqlite") if _store_id(path) == store_id]


def _store_id(path: Path) -> str | None:
    """The id in the key file beside ``path``; None without a readable one (nobody's, then)."""
    try:
        return read_key_file(path).store_id
    except KeyFileError:
        return None


def recover_from_backup(store_path: Path, key: bytes, backup_path: Path, *, now: datetime) -> Path:
    """Replace a damaged store by a checked backup. The damaged file (and its -wal and -shm) is renamed to
    ``*.damaged-<UTC time>`` beside it, never changed or deleted; returns that name. The key file stays."""
    check_backup(backup_path, key)
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    kept = store_path.with_name(f"{store_path.name}.damaged-{stamp}")
    for suffix in ("-wal", "-shm", ""):
        companion = store_path.with_name(store_path.name + suffix)
        if companion.exists():
            companion.rename(kept.with_name(kept.name + suffix))
    with contextlib.closing(open_read_only(backup_path, key)) as source:
        copy_database(source, store_path, key)
    return kept
