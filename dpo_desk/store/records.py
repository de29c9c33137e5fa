"""The subject's data collected into a case: imports (with provenance), their records, and the exports.

Only records the DPO took (matched ones, or rows they accepted at review) are kept; the rest of a source
file, other people's rows, never enters the store. An import is one transaction: all of it or nothing.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlite_utils import Database

from dpo_desk.collection.match import Match
from dpo_desk.collection.read import Record, SourceFile, Value
from dpo_desk.core.errors import NotFoundError, RefusedError
from dpo_desk.store import audit
from dpo_desk.store.cases import parse_utc, utc_text
from dpo_desk.store.transactions import write_transaction

PENDING, ACCEPTED = "pending", "accepted"


@dataclass(frozen=True, slots=True)
class ImportSource:
    """What the DPO tags a file with: a register source, or a custom one."""

    key: str
    name: str
    portable: bool  # provided or observed data; inferred data stays out of the bundle
    category: str = ""
    not_portable: tuple[str, ...] = ()  # single fields flagged as inferred


@dataclass(frozen=True, slots=True)
class DataImport:
    id: int
    case_id: int
    source: ImportSource
    file_name: str
    file_sha256: str
    file_bytes: int
    format: str
    encoding: str
    delimiter: str
    records_read: int
    imported_at: datetime
    imported_by: str
    file_kept: bool


@dataclass(frozen=True, slots=True)
class StoredRecord:
    id: int
    import_id: int
    place: str
    matched_by: str
    state: str
    fields: tuple[tuple[str, Value], ...]


@dataclass(frozen=True, slots=True)
class DataExport:
    id: int
    kind: str
    file: Path
    sha256: str
    bytes: int
    records: int
    made_at: datetime
    made_by: str


class SubjectData:
    def __init__(self, db: Database) -> None:
        self._db = db

    def transaction(self) -> contextlib.AbstractContextManager[Database]:
        """Several writes as one: an import and what it says of the case."""
        return write_transaction(self._db)

    def add_import(
        self,
        case_id: int,
        path: Path,
        read: SourceFile,
        source: ImportSource,
        taken: Sequence[tuple[Record, Match, bool]],  # (record, how it matched, accepted now)
        *,
        keep_file: bool,
        actor: str,
        now: datetime,
    ) -> int:
        """Store the import and the records taken from it, in one transaction; returns the import's id. Its
        SHA-256 is that of the bytes the records were read from; a file kept must still be those bytes."""
        content = path.read_bytes() if keep_file else None
        if content is not None and hashlib.sha256(content).hexdigest() != read.sha256:
            raise RefusedError(f"{path.name}: the file changed since it was read; import it again")
        with write_transaction(self._db):
            if self._db.execute("SELECT 1 FROM cases WHERE id = ?", (case_id,)).fetchone() is None:
                raise NotFoundError(f"no case with id {case_id}")
            import_id = self._db.execute(
                "INSERT INTO data_imports (case_id, source, source_name, portable, not_portable, category,"
                " file_name, file_sha256, file_bytes, format, encoding, delimiter, records_read, imported_at,"
                " imported_by, file_content) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    case_id,
                    source.key,
                    source.name,
                    int(source.portable),
                    json.dumps(sorted(source.not_portable)),
                    source.category,
                    path.name,
                    read.sha256,
                    read.size,
                    read.format,
                    read.encoding,
                    read.delimiter,
                    len(read.records),
                    utc_text(now),
                    actor,
                    content,
                ),
            ).lastrowid
            self._db.conn.executemany(
                "INSERT INTO data_records (import_id, case_id, place, matched_by, state, fields, decided_at,"
                " decided_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        import_id,
                        case_id,
                        record.place,
                        found.text(),
                        ACCEPTED if accepted else PENDING,
                        _fields_text(record.fields),
                        utc_text(now) if accepted else None,
                        actor if accepted else None,
                    )
                    for record, found, accepted in taken
                ],
            )
            accepted_count = sum(1 for _, _, accepted in taken if accepted)
            audit.record(
                self._db, actor=actor, action="data-imported", entity="case", entity_id=case_id,
                details={"import": import_id, "source": source.key, "read": len(read.records),
                         "kept": len(taken), "accepted": accepted_count, "file_kept": keep_file},
                now=now,
            )  # fmt: skip
        assert import_id is not None
        return int(import_id)

    def decide(self, case_id: int, accept: Sequence[int], reject: Sequence[int], *, actor: str, now: datetime) -> None:
        """Accept some pending records and drop others: a rejected record leaves the store."""
        with write_transaction(self._db):
            for record_id in [*accept, *reject]:
                row = self._db.execute(
                    "SELECT state FROM data_records WHERE id = ? AND case_id = ?", (record_id, case_id)
                ).fetchone()
                if row is None:
                    raise NotFoundError(f"record {record_id}: not a record of this case")
                if row[0] == ACCEPTED and record_id in reject:
                    raise RefusedError(f"record {record_id}: already accepted; an accepted record is not dropped")
            self._db.conn.executemany(
                "UPDATE data_records SET state = 'accepted', decided_at = ?, decided_by = ? WHERE id = ?",
                [(utc_text(now), actor, record_id) for record_id in accept],
            )
            self._db.conn.executemany("DELETE FROM data_records WHERE id = ?", [(record_id,) for record_id in reject])
            audit.record(
                self._db, actor=actor, action="data-reviewed", entity="case", entity_id=case_id,
                details={"accepted": sorted(accept), "dropped": sorted(reject)}, now=now,
            )  # fmt: skip

    def imports(self, case_id: int) -> list[DataImport]:
        rows = self._db.execute(
            "SELECT id, case_id, source, source_name, portable, not_portable, category, file_name, file_sha256,"
            " file_bytes, format, encoding, delimiter, records_read, imported_at, imported_by,"
            " file_content IS NOT NULL FROM data_imports WHERE case_id = ? ORDER BY id",
            (case_id,),
        ).fetchall()
        return [
            DataImport(
                row[0],
                row[1],
                ImportSource(row[2], row[3], bool(row[4]), row[6], tuple(json.loads(row[5]))),
                row[7],
                row[8],
                row[9],
                row[10],
                row[11],
                row[12],
                row[13],
                parse_utc(row[14]),
                row[15],
                bool(row[16]),
            )
            for row in rows
        ]

    def records(self, case_id: int, *, state: str | None = None) -> list[StoredRecord]:
        """The case's records, by import and then in the file's order; all of them, or those in ``state``."""
        where = " AND state = ?" if state else ""
        rows = self._db.execute(
            f"SELECT id, import_id, place, matched_by, state, fields FROM data_records WHERE case_id = ?{where}"
            " ORDER BY import_id, id",
            (case_id, state) if state else (case_id,),
        )
        return [StoredRecord(r[0], r[1], r[2], r[3], r[4], _fields_of(r[5])) for r in rows]

    def last_change(self, case_id: int) -> datetime | None:
        """When the case's accepted data last changed: the time an export of it states."""
        row = self._db.execute(
            "SELECT max(coalesce(r.decided_at, i.imported_at)) FROM data_records r"
            " JOIN data_imports i ON i.id = r.import_id WHERE r.case_id = ? AND r.state = 'accepted'",
            (case_id,),
        ).fetchone()
        return parse_utc(row[0]) if row and row[0] else None

    def record_export(
        self, case_id: int, kind: str, file: Path, content_sha256: str, size: int, records: int, *, actor: str,
        now: datetime,
    ) -> int:  # fmt: skip
        with write_transaction(self._db):
            export_id = self._db.execute(
                "INSERT INTO data_exports (case_id, kind, file, sha256, bytes, records, made_at, made_by)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (case_id, kind, str(file), content_sha256, size, records, utc_text(now), actor),
            ).lastrowid
            audit.record(
                self._db, actor=actor, action="data-exported", entity="case", entity_id=case_id,
                details={"export": export_id, "kind": kind, "file": file.name, "sha256": content_sha256,
                         "records": records},
                now=now,
            )  # fmt: skip
        assert export_id is not None
        return int(export_id)

    def exports(self, case_id: int) -> list[DataExport]:
        rows = self._db.execute(
            "SELECT id, kind, file, sha256, bytes, records, made_at, made_by FROM data_exports WHERE case_id = ?"
            " ORDER BY id",
            (case_id,),
        )
        return [DataExport(r[0], r[1], Path(r[2]), r[3], r[4], r[5], parse_utc(r[6]), r[7]) for r in rows]


def _fields_text(fields: tuple[tuple[str, Value], ...]) -> str:
    return json.dumps([[name, value] for name, value in fields], ensure_ascii=False, separators=(",", ":"))


def _fields_of(text: str) -> tuple[tuple[str, Value], ...]:
    return tuple((name, value) for name, value in json.loads(text))
