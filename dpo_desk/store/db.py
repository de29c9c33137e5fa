"""Opening the store (in exactly one place) and the transactions every write goes through."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from sqlite_utils import Database

from dpo_desk.core.errors import DeskError
from dpo_desk.files import partial_path, publish
from dpo_desk.store.migrations import migrations

BACKUP_DIR_NAME = "backups"


class StoreError(DeskError):
    """The store file cannot be opened or is not a DPO Desk store."""


class DamagedStoreError(StoreError):
    """The file is a DPO Desk store, or meant to be one, but its content is damaged; a backup can replace it."""


def open_store(path: Path, *, create: bool = True) -> Database:
    """Open (creating and seeding if new) and migrate the store at ``path``.

    This is the only place a store connection is made, so encryption at rest
    can later wrap it. Call once per thread: a connection must not cross threads.
    Before a migration upgrades an existing store, a copy goes to ``backups/``.
    """
    path = Path(path)
    if not create and not path.exists():
        raise StoreError(f"no store at {path}")
    if path.is_file() and path.stat().st_size == 0:
        # SQLite would take an empty file as a new database; a store that lost its content must not be reseeded.
        raise DamagedStoreError(f"{path} is empty (0 bytes): the store's content is lost; left as it is")
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        connection = sqlite3.connect(str(path), timeout=5.0)
    except sqlite3.Error as error:
        raise StoreError(f"{path} cannot be opened as a store: {error}") from None
    try:
        db = Database(connection, execute_plugins=False)
        # Look before changing anything: a foreign file must be left exactly as it was.
        tables = db.table_names()
        existing = "_sqlite_migrations" in tables
        if tables and not existing:
            raise StoreError(f"{path} is an SQLite file, but not a DPO Desk store")
        if existing:
            _check_not_truncated(connection, path)
        db.execute("PRAGMA foreign_keys = ON")
        db.execute("PRAGMA busy_timeout = 5000")
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = FULL")
        db.execute("PRAGMA temp_store = MEMORY")
        db.execute("PRAGMA secure_delete = ON")  # deleted case text is zeroed, not left in free pages
        upgrade = existing and migrations.pending(db)
    except sqlite3.OperationalError as error:  # locked, unreadable, I/O: the file may well be fine
        connection.close()
        raise StoreError(f"{path} cannot be opened now: {error}") from None
    except sqlite3.DatabaseError as error:  # "malformed", "not a database": the content itself
        connection.close()
        raise DamagedStoreError(f"{path} cannot be opened as a store: {error}; left as it is") from None
    except StoreError:
        connection.close()
        raise
    if upgrade:
        backup_before_migration(db, path)
    migrations.apply(db)
    return db


def _check_not_truncated(connection: sqlite3.Connection, path: Path) -> None:
    """The cheap check every open can afford (a full check reads every page: seconds on a large store)."""
    wal = path.with_name(path.name + "-wal")
    if wal.exists() and wal.stat().st_size > 0:
        return  # pages may live in the WAL, beyond the main file's end
    pages = connection.execute("PRAGMA page_count").fetchone()[0]
    page_size = connection.execute("PRAGMA page_size").fetchone()[0]
    if pages * page_size > path.stat().st_size:
        raise DamagedStoreError(
            f"{path} is damaged (cut short: {path.stat().st_size} of {pages * page_size} bytes); left as it is"
        )


def check_store(path: Path) -> list[str]:
    """SQLite's quick_check over every page, on a read-only connection of its own, so that it can run in
    the background while the app works; the problems found, or an empty list."""
    try:
        with contextlib.closing(open_read_only(path)) as connection:
            return [row[0] for row in connection.execute("PRAGMA quick_check(5)") if row[0] != "ok"]
    except sqlite3.DatabaseError as error:
        return [str(error)]


def backup_before_migration(db: Database, path: Path) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return copy_database(db.conn, path.parent / BACKUP_DIR_NAME / f"{path.stem}-before-migration-{stamp}.sqlite")


def copy_database(source: sqlite3.Connection, target: Path) -> Path:
    """Copy with SQLite's online backup API (a file copy of a WAL store can lose data), under a temporary
    name first so that a crash mid-copy never leaves a half file that looks like a backup."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = partial_path(target)
    partial.unlink(missing_ok=True)
    with contextlib.closing(sqlite3.connect(str(partial))) as copy:
        source.backup(copy)
    return publish(partial, target)


def open_read_only(path: Path) -> sqlite3.Connection:
    """A bare read-only connection, for checking a backup without changing a byte of it."""
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


@contextlib.contextmanager
def write_transaction(db: Database) -> Iterator[Database]:
    """A transaction that takes the write lock before its first read (``BEGIN IMMEDIATE``).

    A deferred transaction that reads and then writes after another connection
    committed fails with "database is locked", whatever busy_timeout says.
    Nested calls become savepoints of the outer transaction.
    """
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.rollback()
        raise
    db.conn.execute("COMMIT")
