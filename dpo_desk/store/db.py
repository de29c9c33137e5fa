"""Opening the store (in exactly one place) and the transactions every write goes through."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime
from pathlib import Path

from dpo_desk.store.driver import is_unencrypted, sqlite

from sqlite_utils import Database

from dpo_desk.core.errors import DeskError
from dpo_desk.files import create_private, make_private, on_read_only_medium, partial_path, publish
from dpo_desk.store.keys import copy_key_file
from dpo_desk.store.migrations import migrations
from dpo_desk.store.statistics import register_functions
from dpo_desk.store.transactions import watch_file
from dpo_desk.store.wal import check_wal

BACKUP_DIR_NAME = "backups"
# What SQLite raises when a page it reads turns out damaged, for callers that report it (the command line).
DatabaseError = sqlite.DatabaseError


class StoreError(DeskError):
    """The store file cannot be opened or is not a DPO Desk store."""


class DamagedStoreError(StoreError):
    """The file is a DPO Desk store, or meant to be one, but its content is damaged; a backup can replace it."""


class UnencryptedStoreError(StoreError):
    """A DPO Desk store from before encryption at rest: it must be encrypted (``store.encryption``) first."""


def open_store(path: Path, key: bytes, *, create: bool = True, shared: bool = False, again: bool = False) -> Database:
    """Open (creating and seeding if new) and migrate the store at ``path``, encrypted with ``key``.

    This module is the only place a store connection is made (it applies the key). Call once per thread:
    a connection must not cross threads, unless ``shared``: then its owner lets one thread at a time use it.
    Before a migration upgrades an existing store, a copy goes to ``backups/``. ``again``: a further
    connection to a store this process holds open (a worker's), looked at when it was first opened; its -wal
    is this process's own writing, and checking it again took a worker up to 190 ms before its first read.
    """
    path = Path(path)
    if not create and not path.exists():
        raise StoreError(f"no store at {path}")
    if path.is_file() and path.stat().st_size == 0:
        # SQLite would take an empty file as a new database; a store that lost its content must not be reseeded.
        raise DamagedStoreError(f"{path} is empty (0 bytes): the store's content is lost; left as it is")
    if is_unencrypted(path):
        refuse_unencrypted(path)
    if path.exists() and not again:
        _look_read_only(path, key)
    if path.exists() and on_read_only_medium(path):
        raise StoreError(
            f"{path} is on a read-only medium: nothing can be recorded there (case list and case show can "
            "read it); copy the store and its .key file to a writable folder to work in it"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        connection = _connect(str(path), key, shared=shared)
    except sqlite.Error as error:
        raise StoreError(f"{path} cannot be opened as a store: {error}") from None
    try:
        db = Database(connection, execute_plugins=False)
        existing = "_sqlite_migrations" in db.table_names()
        db.execute("PRAGMA foreign_keys = ON")
        db.execute("PRAGMA busy_timeout = 5000")
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = FULL")
        db.execute("PRAGMA temp_store = MEMORY")
        # SQLCipher decrypts a page each time SQLite reads it from the OS; a 64 MiB page cache keeps the
        # case list's pages decrypted (a search at 100,000 cases: 155 ms with the 2 MiB default, 22 ms).
        db.execute("PRAGMA cache_size = -65536")
        db.execute("PRAGMA secure_delete = ON")  # deleted case text is zeroed, not left in free pages
        upgrade = existing and migrations.pending(db)
    except sqlite.OperationalError as error:  # locked, unreadable, I/O: the file may well be fine
        connection.close()
        raise StoreError(f"{path} cannot be opened now: {error}") from None
    except sqlite.DatabaseError as error:  # what the read-only look could not see (say, in a migration's pages)
        connection.close()
        raise DamagedStoreError(f"{path} cannot be opened as a store: {error}; left as it is") from None
    if upgrade:
        backup_before_migration(db, path, key)
    migrations.apply(db)
    for companion in ("", "-wal", "-shm"):  # SQLite creates the WAL files with the store's mode
        store_file = path.with_name(path.name + companion)
        if store_file.exists():
            make_private(store_file)
    watch_file(db, path)
    return db


def open_store_read_only(path: Path, key: bytes) -> Database | None:
    """The store for commands that only read: the same checks as :func:`open_store`, then a connection
    that cannot write a byte. None when the store needs a migration first (only a writable open makes it)."""
    if path.is_file() and path.stat().st_size == 0:
        raise DamagedStoreError(f"{path} is empty (0 bytes): the store's content is lost; left as it is")
    if is_unencrypted(path):
        refuse_unencrypted(path)
    _look_read_only(path, key)
    # On a read-only medium SQLite cannot make the -shm a WAL store is read through; nothing can write
    # there, so without a -wal the file is read as immutable.
    immutable = on_read_only_medium(path) and not path.with_name(path.name + "-wal").exists()
    try:
        connection = open_read_only(path, key, immutable=immutable)
        db = Database(connection, execute_plugins=False)
        current = not migrations.pending(db)
    except sqlite.OperationalError as error:
        raise StoreError(f"{path} cannot be opened now: {error}") from None
    except sqlite.DatabaseError as error:
        raise DamagedStoreError(f"{path} cannot be opened as a store: {error}; left as it is") from None
    if not current:
        connection.close()
        return None
    return db


def _look_read_only(path: Path, key: bytes) -> None:
    """Check the file on a read-only connection before a writable one is made. When the last writable
    connection closes, SQLite checkpoints the -wal into the file: a -wal from another store, or pages that
    fail their HMAC, must be refused by a connection that cannot write, so the original stays as it was."""
    # Without a -wal nothing else has the store open, and immutable=1 reads it without making -wal or -shm.
    wal = path.with_name(path.name + "-wal")
    immutable = not wal.exists()
    if not immutable:
        found = check_wal(wal)
        if found.damaged:  # SQLite would replay the frames before the damage and drop the rest, committed or not
            raise DamagedStoreError(
                f"{wal} is damaged: frame {found.frames + 1} fails its checksum, and {found.lost_commits} committed "
                "change(s) after it would be lost; left as it is"
            )
    try:
        with contextlib.closing(open_read_only(path, key, immutable=immutable)) as connection:
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if not tables:  # SQLite reads a file shorter than its header as a new database: it is not one
                raise DamagedStoreError(
                    f"{path} holds {path.stat().st_size} byte(s) and no store: its content is lost, or it is "
                    "not a DPO Desk store; left as it is"
                )
            if "_sqlite_migrations" not in tables:
                raise StoreError(f"{path} is an SQLite file, but not a DPO Desk store")
            _check_not_truncated(connection, path)
    except sqlite.OperationalError as error:  # locked, unreadable, I/O: the file may well be fine
        raise StoreError(f"{path} cannot be opened now: {error}") from None
    except sqlite.DatabaseError as error:  # "not a database" (page one failed its HMAC), "malformed"
        raise DamagedStoreError(f"{path} cannot be opened as a store: {error}; left as it is") from None


def is_unencrypted_store(path: Path) -> bool:
    """A plain SQLite file that is a DPO Desk store (from before encryption), looked at read-only."""
    if not is_unencrypted(path):
        return False
    try:
        with contextlib.closing(open_read_only(path, None)) as connection:
            return (
                connection.execute("SELECT 1 FROM sqlite_master WHERE name = '_sqlite_migrations'").fetchone()
                is not None
            )
    except sqlite.DatabaseError:
        return False


def export_encrypted(plain_path: Path, target: Path, key: bytes) -> Path:
    """Write an encrypted copy of the unencrypted store at ``plain_path`` to ``target`` (SQLCipher's
    ``sqlcipher_export``), published whole. The plain store is left in rollback-journal mode, so that no
    ``-wal`` of it is left beside the path for SQLite to apply to the encrypted file that replaces it."""
    partial = partial_path(target)
    create_private(partial)
    with contextlib.closing(_connect(str(plain_path), None)) as plain:
        plain.execute("PRAGMA journal_mode = DELETE")
        plain.execute(f"ATTACH DATABASE ? AS encrypted KEY \"x'{key.hex()}'\"", (str(partial),))
        plain.execute("SELECT sqlcipher_export('encrypted')")
        plain.execute("DETACH DATABASE encrypted")
    return publish(partial, target)


def refuse_unencrypted(path: Path) -> None:
    if is_unencrypted_store(path):
        raise UnencryptedStoreError(
            f"{path} is a DPO Desk store that is not encrypted yet: the app encrypts it when you choose a "
            "recovery passphrase (or run dpo-desk encrypt)"
        )
    raise StoreError(f"{path} is an SQLite file, but not a DPO Desk store")


def _connect(target: str, key: bytes | None, *, uri: bool = False, shared: bool = False) -> sqlite.Connection:
    # The statement cache holds every query a session repeats: the audit's seal query takes 2 ms to prepare
    # and 0.15 ms to run, and with the default 128 the demo's queries pushed it out before each entry.
    connection = sqlite.connect(target, timeout=5.0, uri=uri, cached_statements=1024, check_same_thread=not shared)
    # SQLCipher reports a failed page check on stderr too; the exception says it, in the app's words.
    connection.execute("PRAGMA cipher_log_level = NONE")
    register_functions(connection)  # local_date(), for what the dashboard and the list count alike
    if key is not None:
        # PRAGMA takes no parameters; the key is 64 hex digits we made, never text from outside.
        connection.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    return connection


def _check_not_truncated(connection: sqlite.Connection, path: Path) -> None:
    """The cheap check every open can afford (a full check reads every page: seconds on a large store)."""
    wal = path.with_name(path.name + "-wal")
    if wal.exists() and wal.stat().st_size > 0:
        return  # pages may live in the WAL, beyond the main file's end
    pages = int(connection.execute("PRAGMA page_count").fetchone()[0])
    page_size = int(connection.execute("PRAGMA page_size").fetchone()[0])  # SQLCipher answers in text
    if pages * page_size > path.stat().st_size:
        raise DamagedStoreError(
            f"{path} is damaged (cut short: {path.stat().st_size} of {pages * page_size} bytes); left as it is"
        )


def check_store(path: Path, key: bytes) -> list[str]:
    """Every page's HMAC (which catches any changed byte) and SQLite's quick_check, on a read-only
    connection of its own, so that it can run in the background while the app works; the problems found,
    or an empty list."""
    try:
        with contextlib.closing(open_read_only(path, key)) as connection:
            problems = [row[0] for row in connection.execute("PRAGMA cipher_integrity_check")][:5]
            return problems or [row[0] for row in connection.execute("PRAGMA quick_check(5)") if row[0] != "ok"]
    except sqlite.OperationalError:
        raise  # locked or unreadable now: that says nothing about the pages, so it is no finding
    except sqlite.DatabaseError as error:
        return [str(error)]


def backup_before_migration(db: Database, path: Path, key: bytes) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.parent / BACKUP_DIR_NAME / f"{path.stem}-before-migration-{stamp}.sqlite"
    copy_key_file(path, target)
    return copy_database(db.conn, target, key)


def copy_database(source: sqlite.Connection, target: Path, key: bytes | None) -> Path:
    """Copy with SQLite's online backup API (a file copy of a WAL store can lose data), encrypted with
    ``key`` like the source, under a temporary name first so that a crash mid-copy never leaves a half
    file that looks like a backup."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = partial_path(target)
    create_private(partial)
    with contextlib.closing(_connect(str(partial), key)) as copy:
        source.backup(copy)
    return publish(partial, target)


def open_read_only(path: Path, key: bytes | None, *, immutable: bool = False) -> sqlite.Connection:
    """A bare read-only connection, for checking a backup without changing a byte of it; ``key`` None
    reads an unencrypted file. ``immutable`` only for a file nothing else can be writing to."""
    return _connect(f"{path.resolve().as_uri()}?mode=ro{'&immutable=1' if immutable else ''}", key, uri=True)
