"""What the audit seals: a case's recorded facts, as the change an audit entry records left them.

Every entry about a case (or one of its letters) carries a seal: the SHA-256 of the case's rows in every table
that holds them, its subject's included. ``verify`` recomputes that hash for every case and compares it with
the newest entry's, so a row changed, deleted or inserted with the key but without DPO Desk shows, and so
does a case added or deleted behind its back.

Not sealed: the stored due dates, day of first answer and name key (derived from the sealed facts, and refreshed
without a case entry), the search index, and the register, processor sheets and settings (changing them is
audited, but their current rows are not compared). A column that holds its declared default is left out
of the hash, so a migration that adds a column keeps every seal; one that rewrites a case's values must seal
those cases again (:func:`seal_all`).
"""

from __future__ import annotations

import functools
import hashlib
import re
import weakref
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

# Derived from the sealed facts and stored for sorting and counting; refreshing them is not a change of the case.
DERIVED_COLUMNS = {"cases": frozenset({"due_date", "extension_notice_due", "target_date", "answered_on", "name_key"})}

# A seal is SHA-256 cut to 128 bits: forging a case to match one still takes 2**128 tries, and each of
# the store's many audit entries is 32 characters shorter.
SEAL_BYTES = 16

# The seal of a case that has no rows at all: what a deleted case leaves.
ABSENT = hashlib.sha256(b"").digest()[:SEAL_BYTES].hex()


def case_state(db: Database, case_id: int) -> str:
    """The seal of one case's rows as they are now (``ABSENT`` when there is no such case)."""
    return _states(db, case_id).get(case_id, ABSENT)


def all_case_states(db: Database) -> dict[int, str]:
    """The seal of every case in the store, by id: one ordered scan of each table, not a query per case."""
    return _states(db, None)


def broken_seals(db: Database) -> list[str]:
    """Each case whose rows are not as its newest audit entry left them; empty when all are."""
    sealed = {
        case_id: (seq, state.hex() if isinstance(state, bytes) else state)  # bytes since migration 0018
        for case_id, seq, state in db.execute(
            "SELECT sealed_case, seq, case_state FROM audit WHERE seq IN"
            " (SELECT max(seq) FROM audit WHERE case_state IS NOT NULL GROUP BY sealed_case)"
        )
    }
    current = all_case_states(db)
    references = dict(db.execute("SELECT id, reference FROM cases").fetchall())
    problems: list[str] = []
    for case_id in sorted(sealed.keys() | current.keys()):
        state = current.get(case_id, ABSENT)
        if case_id not in sealed:
            problems.append(f"case {references[case_id]} is in no audit entry: it was added outside DPO Desk")
        elif state != sealed[case_id][1]:
            seq = sealed[case_id][0]
            problems.append(
                f"case {references[case_id]} was changed outside DPO Desk after audit entry {seq}"
                if case_id in references
                else f"case id {case_id} was deleted outside DPO Desk after audit entry {seq}"
            )
    return problems


def _states(db: Database, only: int | None) -> dict[int, str]:
    states: dict[int, bytes] = {}
    for table, case_id, rows in _row_groups(db, only):
        states[case_id] = fold_table(states.get(case_id, b""), table, table_digest(rows))
    return {case_id: seal_of(state) for case_id, state in states.items()}


def table_digest(rows: Iterable[str]) -> bytes:
    """The digest of one table's rows of a case, each as :func:`row_text` (or its SQL) gives it."""
    return table_digest_sorted(sorted(rows))  # in value order, not rowid order: VACUUM may renumber rowids


def table_digest_sorted(ordered: Sequence[str]) -> bytes:
    """:func:`table_digest` of rows already in value order."""
    return hashlib.sha256(("\n".join(ordered) + "\n").encode() if ordered else b"").digest()


def fold_table(state: bytes, table: str, digest: bytes) -> bytes:
    """Tables are folded in name order, and a table without rows for the case adds nothing: a migration
    that creates a table keeps every seal."""
    return hashlib.sha256(b"%s%s\0%s" % (state, table.encode(), digest)).digest()


def seal_of(state: bytes) -> str:
    return state[:SEAL_BYTES].hex()


def _row_groups(db: Database, only: int | None) -> Iterator[tuple[str, int, list[str]]]:
    """Each table's rows of each case, as text, tables in name order; one query for one case."""
    plan = _plan(db)
    if only is not None:
        cursors = [db.execute(_one_case_query(plan), (only,))]
    else:
        cursors = [
            db.execute(f"SELECT {position}, case_key, {text} FROM ({query}) ORDER BY case_key")
            for position, (_, query, text) in enumerate(plan)
        ]
    for cursor in cursors:
        group: tuple[int, int] | None = None
        rows: list[str] = []
        for position, case_id, row in cursor:
            if (position, case_id) != group:
                if group is not None:
                    yield plan[group[0]][0], group[1], rows
                group, rows = (position, case_id), []
            rows.append(row)
        if group is not None:
            yield plan[group[0]][0], group[1], rows


@functools.cache
def _one_case_query(plan: tuple[tuple[str, str, str], ...]) -> str:
    union = " UNION ALL ".join(
        f"SELECT {position} AS t, case_key, {text} AS r FROM ({query}) WHERE case_key = ?1"
        for position, (_, query, text) in enumerate(plan)
    )
    return f"SELECT t, case_key, r FROM ({union}) ORDER BY t"


# The plan of each open store, rebuilt when its schema changes (a migration adds a table or a column).
_PLANS: weakref.WeakKeyDictionary[Database, tuple[int, tuple[tuple[str, str, str], ...]]] = weakref.WeakKeyDictionary()


def _plan(db: Database) -> tuple[tuple[str, str, str], ...]:
    """For each table holding a case's rows, in name order: its name, a query giving each row with its case's
    id first (as case_key), and the SQL of the row's text."""
    version = int(db.execute("PRAGMA schema_version").fetchone()[0])
    cached = _PLANS.get(db)
    if cached is None or cached[0] != version:
        db.conn.create_function("seal_sha256", 1, _sha256, deterministic=True)
        cached = (version, tuple((name, query, _row_text(db, name)) for name, query in _queries(db)))
        _PLANS[db] = cached
    return cached[1]


def _row_text(db: Database, table: str) -> str:
    """SQL giving a row as text: each column not at its default as name, type, byte length and value (a blob
    by its SHA-256), in name order. Length-prefixed, so no value can pass for another; no JSON, so the text
    does not depend on how a SQLite version escapes it."""
    skipped = DERIVED_COLUMNS.get(table, frozenset())
    columns = sorted(
        (name, default)
        for name, default in db.execute("SELECT name, dflt_value FROM pragma_table_info(?)", (table,))
        if name not in skipped
    )
    parts = []
    for name, default in columns:
        column = f'"{name}"'
        value = (
            f"CASE typeof({column}) WHEN 'blob' THEN seal_sha256({column})"
            f" ELSE coalesce(length(CAST({column} AS BLOB)) || ':' || {column}, '') END"
        )
        parts.append(
            f"CASE WHEN {column} IS {default or 'NULL'} THEN ''"
            f" ELSE '{name}=' || typeof({column}) || ':' || {value} || ';' END"
        )
    return " || ".join(parts) or "''"


@dataclass(frozen=True, slots=True)
class Column:
    """A column as a seal reads it: a value equal to ``default`` is left out of the row's text."""

    name: str
    kind: str  # as declared: integer, text or blob (a blob's seal is computed in SQL only)
    default: str | int | None


def sealed_tables(db: Database) -> dict[str, tuple[Column, ...]]:
    """Every table a seal covers, in name order, with its columns in the order :func:`row_text` reads them;
    for writing a case's rows in bulk (``store/bulk.py``), whose seals are computed before the rows are
    written. Refuses a column whose type or default that computation does not read as SQLite does."""
    tables = {}
    for table, _ in _queries(db):
        skipped = DERIVED_COLUMNS.get(table, frozenset())
        columns = []
        for name, declared, default in db.execute(
            "SELECT name, upper(type), dflt_value FROM pragma_table_info(?) ORDER BY name", (table,)
        ):
            if name in skipped:
                continue
            if declared not in ("INTEGER", "TEXT", "BLOB"):
                raise ValueError(f"{table}.{name}: a seal of a {declared or 'typeless'} column is computed in SQL only")
            columns.append(Column(name, declared.lower(), _default(table, name, default)))
        tables[table] = tuple(sorted(columns, key=lambda column: column.name))
    return tables


def _default(table: str, name: str, text: str | None) -> str | int | None:
    if text is None or text.upper() == "NULL":
        return None
    if len(text) >= 2 and text[0] == text[-1] == "'":
        return text[1:-1].replace("''", "'")
    if re.fullmatch(r"-?[0-9]+", text):
        return int(text)
    raise ValueError(f"{table}.{name}: a seal of a column defaulting to {text} is computed in SQL only")


def row_text(columns: Sequence[Column], row: Mapping[str, object]) -> str:
    """A row as text, exactly as :func:`_row_text`'s SQL gives it, from the values as they are stored (an
    INTEGER column holds an int, a TEXT column a str, either may hold None; a blob's is computed in SQL)."""
    parts = []
    for column in columns:
        name, default = column.name, column.default
        value: Any = row.get(name, default)  # of the classes tested next
        kind = value.__class__  # exactly str or int: a subclass (bool, an enum) is not what SQLite stores
        if kind is str:
            if column.kind != "text" or default.__class__ is int:
                raise ValueError(f"{name}: {value!r} is not as SQLite stores it in this {column.kind} column")
            if value != default:
                parts.append(f"{name}=text:{len(value) if value.isascii() else len(value.encode())}:{value};")
        elif value is None:
            if default is not None:
                parts.append(f"{name}=null:;")
        elif kind is int:
            if column.kind != "integer" or default.__class__ is str:
                raise ValueError(f"{name}: {value!r} is not as SQLite stores it in this {column.kind} column")
            if value != default:
                text = str(value)
                parts.append(f"{name}=integer:{len(text)}:{text};")
        else:
            raise ValueError(f"{name}: {value!r} is not as SQLite stores it in this {column.kind} column")
    return "".join(parts)


def _queries(db: Database) -> Iterator[tuple[str, str]]:
    """Every table holding a case's rows, in name order, with a query giving each row with its case's id."""
    columns: dict[str, set[str]] = {}
    for table, column in db.execute(
        "SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p"
        " WHERE m.type = 'table' AND m.sql NOT LIKE 'CREATE VIRTUAL%' AND m.name NOT LIKE 'sqlite%'"
    ):
        columns.setdefault(table, set()).add(column)
    for table in sorted(columns):
        if table == "cases":
            yield table, "SELECT id AS case_key, * FROM cases"
        elif table == "subjects":
            yield table, "SELECT c.id AS case_key, t.* FROM subjects t JOIN cases c ON c.subject_id = t.id"
        elif "case_id" in columns[table]:
            yield table, f"SELECT case_id AS case_key, * FROM {table}"
        elif "subject_id" in columns[table]:
            yield table, f"SELECT c.id AS case_key, t.* FROM {table} t JOIN cases c ON c.subject_id = t.subject_id"


def _sha256(value: bytes) -> str:
    return hashlib.sha256(value).hexdigest()
