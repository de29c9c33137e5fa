"""The SQLite driver: SQLCipher's build of SQLite, so that the store is encrypted at rest.

sqlite-utils catches the exceptions of the driver it imported itself; it prefers ``pysqlite3`` when that
module exists, so SQLCipher is registered under that name before sqlite-utils is first imported. The
package imports this module first (``dpo_desk/__init__.py``); importing sqlite-utils any earlier is an
error, found here, rather than ``except`` clauses that silently stop matching.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import sqlcipher3

if TYPE_CHECKING:  # SQLCipher's module has the standard library's API, and no type hints of its own
    import sqlite3 as sqlite  # noqa: TID251
else:
    import sqlcipher3.dbapi2 as sqlite

if "sqlite_utils" in sys.modules and sys.modules["sqlite_utils"].db.sqlite3 is not sqlcipher3:
    raise ImportError("sqlite_utils was imported before dpo_desk: import dpo_desk first, so it uses SQLCipher")
sys.modules["pysqlite3"] = sqlcipher3
sys.modules["pysqlite3.dbapi2"] = sqlite

SQLITE_HEADER = b"SQLite format 3\x00"  # what an unencrypted file starts with; an encrypted one starts with salt


def is_unencrypted(path: Path) -> bool:
    """True for a plain SQLite file: an encrypted store begins with its random salt instead."""
    try:
        with path.open("rb") as handle:
            return handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False
