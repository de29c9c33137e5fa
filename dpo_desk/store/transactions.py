"""The one way DPO Desk writes: a transaction that holds the write lock from its first statement.

Every audited change goes through it (the audit entry takes the next sequence number, so two writers must
never read the same head), and so does every other write.
"""

from __future__ import annotations

import contextlib
import weakref
from collections.abc import Iterator
from pathlib import Path

from sqlite_utils import Database

from dpo_desk.core.errors import DeskError

# The file each open store was opened from, and its identity then (device, inode).
_OPENED_FROM: weakref.WeakKeyDictionary[Database, tuple[Path, int, int]] = weakref.WeakKeyDictionary()


class StoreMovedError(DeskError):
    """The store's file is no longer where it was opened: what is written would be lost with it."""


def watch_file(db: Database, path: Path) -> None:
    """Refuse every later write if the file at ``path`` stops being the one ``db`` was opened on: moved to
    another disk while open, the writes went to a deleted file and were lost (6 of 6)."""
    status = path.stat()
    _OPENED_FROM[db] = (path, status.st_dev, status.st_ino)


def _check_in_place(db: Database) -> None:
    opened = _OPENED_FROM.get(db)
    if opened is None:
        return
    path, device, inode = opened
    try:
        status = path.stat()
        moved = (status.st_dev, status.st_ino) != (device, inode)
    except FileNotFoundError:
        moved = True
    if moved:
        raise StoreMovedError(
            f"{path} was moved, renamed or replaced while DPO Desk had it open; nothing more is written to it. "
            "Quit, and open the store where it is now"
        )


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
        _check_in_place(db)  # under the lock: nothing can be written between the check and the commit
        yield db
    except BaseException:
        db.rollback()
        raise
    db.conn.execute("COMMIT")
