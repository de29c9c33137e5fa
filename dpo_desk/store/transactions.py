"""The one way DPO Desk writes: a transaction that holds the write lock from its first statement.

Every audited change goes through it (the audit entry takes the next sequence number, so two writers must
never read the same head), and so does every other write.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from sqlite_utils import Database


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
