"""Processor sheets in the store, and their CSV/JSON export and import (preview first, then apply)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from dpo_desk.core.csv_cells import csv_text, unneutralised
from dpo_desk.core.errors import InputError, NotFoundError
from dpo_desk.core.processors import (
    CITATION_COLUMNS,
    COLUMNS,
    ProcessorSheet,
    check,
    from_record,
    to_json,
    to_row,
    without_stale_citations,
)
from dpo_desk.files import write_private
from dpo_desk.store import audit
from dpo_desk.store.register import Register
from dpo_desk.store.transactions import write_transaction

MAX_IMPORT_BYTES = 10 * 1024 * 1024  # checked before parsing: a register is kilobytes, not megabytes
FORMATS = ("csv", "json")


@dataclass(frozen=True, slots=True)
class ImportPreview:
    """What an import would do; nothing changes until it is applied."""

    added: list[ProcessorSheet] = field(default_factory=list)
    changed: list[ProcessorSheet] = field(default_factory=list)
    unchanged: list[ProcessorSheet] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # "line 7: country: 'XX' is not …"

    def summary(self) -> str:
        text = f"{len(self.added)} added, {len(self.changed)} changed, {len(self.unchanged)} unchanged"
        return text + (f", {len(self.errors)} rejected" if self.errors else "")


class ProcessorStore:
    def __init__(self, db: Database, register: Register) -> None:
        self._db = db
        self._register = register

    def source_keys(self) -> list[str]:
        return [row[0] for row in self._db.execute("SELECT key FROM sources ORDER BY id")]

    def sheets(self) -> list[ProcessorSheet]:
        return self._sheets_where("", [])

    def sheet(self, key: str) -> ProcessorSheet:
        """One sheet, read alone: a letter's rule needs its case's few recipients, not all the sheets."""
        found = self._sheets_where(" WHERE p.key = ?", [key])
        if not found:
            raise NotFoundError(f"no processor sheet {key!r}")
        return found[0]

    def sheets_of(self, source_keys: Sequence[str], keys: Sequence[str]) -> list[ProcessorSheet]:
        """The sheets of the recipients of these sources, and those of these keys: what a case's letters
        name (its sources' recipients, its Art. 19 notices), read together and not with the other sheets."""
        sources, named = ", ".join("?" * len(source_keys)), ", ".join("?" * len(keys))
        return self._sheets_where(
            f" WHERE p.key IN ({named}) OR p.id IN (SELECT linked.processor_id FROM source_recipients linked"
            f" JOIN sources source ON source.id = linked.source_id WHERE source.key IN ({sources}))",
            [*keys, *source_keys],
        )

    def _sheets_where(self, where: str, params: list[Any]) -> list[ProcessorSheet]:
        links: dict[int, list[str]] = {}
        for processor_id, source_key in self._db.execute(
            "SELECT r.processor_id, s.key FROM source_recipients r JOIN sources s ON s.id = r.source_id"
            f" JOIN processors p ON p.id = r.processor_id{where} ORDER BY s.id",
            params,
        ):
            links.setdefault(processor_id, []).append(source_key)
        rows = self._db.query(f"SELECT * FROM processors p{where} ORDER BY service COLLATE NOCASE, key", params)
        return [_sheet(row, links.get(row["id"], [])) for row in rows]

    def save(self, sheet: ProcessorSheet, *, actor: str, now: datetime) -> list[str]:
        """Add or update a sheet and its sources; returns the open cases whose recipients this changes."""
        with write_transaction(self._db):
            before = next(iter(self._sheets_where(" WHERE p.key = ?", [sheet.key])), None)
            if before is not None:
                sheet = without_stale_citations(before, sheet)
            check(sheet, self.source_keys())
            self._write(sheet)
            audit.record(
                self._db,
                actor=actor,
                action="processor-saved",
                entity="processor",
                entity_id=sheet.key,
                details={"sources": list(sheet.sources)},
                now=now,
            )
        changed_sources = set(sheet.sources) ^ set(before.sources if before else ())
        return self._register.open_cases_from(changed_sources)

    def _write(self, sheet: ProcessorSheet) -> None:
        record: dict[str, Any] = to_json(sheet)
        for name in ("data_categories", "identifiers", *CITATION_COLUMNS):
            record[name] = json.dumps(record[name], ensure_ascii=False)
        sources = record.pop("sources")
        self._db.table("processors").upsert(record, pk="key")
        processor_id = self._db.execute("SELECT id FROM processors WHERE key = ?", (sheet.key,)).fetchone()[0]
        self._db.execute("DELETE FROM source_recipients WHERE processor_id = ?", (processor_id,))
        for key in sources:
            self._db.execute(
                "INSERT INTO source_recipients (source_id, processor_id) SELECT id, ? FROM sources WHERE key = ?",
                (processor_id, key),
            )

    # --- export and import ------------------------------------------------------------------

    def export_text(self, fmt: str) -> str:
        sheets = sorted(self.sheets(), key=lambda s: s.key)
        if fmt == "json":
            return json.dumps({"processors": [to_json(s) for s in sheets]}, ensure_ascii=False, indent=2) + "\n"
        if fmt != "csv":
            raise InputError(f"format: {fmt!r}; choose csv or json")
        return csv_text(list(COLUMNS), ([to_row(sheet)[name] for name in COLUMNS] for sheet in sheets))

    def export(self, fmt: str, target: Path) -> int:
        """Write every sheet to ``target``; a partial file never takes the real name."""
        text = self.export_text(fmt)
        write_private(target, text.encode("utf-8"))
        return len(self.sheets())

    def preview_import(self, path: Path) -> ImportPreview:
        """Read ``path`` (CSV or JSON, by its content) and compare with the store; changes nothing."""
        return self.preview(self.read_file(path))

    @staticmethod
    def read_file(path: Path) -> list[tuple[str, dict[str, Any]]]:
        """The records of a CSV or JSON sheet file (told apart by content), each with its line or item number.
        Reads only the file, not the store, so it can run in a worker thread."""
        if path.stat().st_size > MAX_IMPORT_BYTES:
            raise InputError(f"{path}: larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MB; not read")
        try:
            text = path.read_bytes().decode("utf-8-sig")  # not read_text: it would turn a CR inside a cell into LF
        except UnicodeDecodeError:
            raise InputError(f"{path}: not UTF-8 text") from None
        return _json_records(text) if text.lstrip().startswith(("{", "[")) else _csv_records(text)

    def preview(self, records: list[tuple[str, dict[str, Any]]]) -> ImportPreview:
        """What importing these records (from :meth:`read_file`) would change; changes nothing."""
        current = {s.key: s for s in self.sheets()}
        known = self.source_keys()
        preview = ImportPreview()
        seen: set[str] = set()
        for where, record in records:
            try:
                sheet = from_record(_unneutralised(record))
                old = current.get(sheet.key)
                # as in the editor: a value changed in the file no longer has its old value's source
                sheet = check(without_stale_citations(old, sheet) if old else sheet, known)
            except InputError as error:
                preview.errors.append(f"{where}: {error}")
                continue
            if sheet.key in seen:
                preview.errors.append(f"{where}: key {sheet.key!r} appears twice")
                continue
            seen.add(sheet.key)
            (preview.added if old is None else preview.unchanged if old == sheet else preview.changed).append(sheet)
        return preview

    def apply_import(self, preview: ImportPreview, *, actor: str, now: datetime) -> None:
        """Write the added and changed sheets of a preview, all or nothing; refuses one with errors."""
        if preview.errors:
            raise InputError(f"the import has {len(preview.errors)} rejected row(s); fix them first")
        with write_transaction(self._db):
            for sheet in preview.added + preview.changed:
                self._write(sheet)
            keys = sorted(s.key for s in preview.added + preview.changed)
            audit.record(
                self._db,
                actor=actor,
                action="processors-imported",
                entity="processor",
                entity_id="*",
                details={"keys": keys},
                now=now,
            )


def _sheet(row: dict[str, Any], sources: list[str]) -> ProcessorSheet:
    record = {name: row[name] for name in COLUMNS if name in row} | {"sources": sources}
    for name in ("data_categories", "identifiers", *CITATION_COLUMNS):
        record[name] = json.loads(row[name])
    return from_record(record)


def _csv_records(text: str) -> list[tuple[str, dict[str, Any]]]:
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames is None:
        raise InputError("the file is empty")
    records = []
    start = reader.line_num + 1  # a row is named by the line it starts on: a cell may hold several lines
    for row in reader:
        records.append((f"line {start}", {"__extra__": "too many cells"} if None in row else dict(row)))
        start = reader.line_num + 1
    return records


def _json_records(text: str) -> list[tuple[str, dict[str, Any]]]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(f"not valid JSON ({error})") from None
    items = document.get("processors") if isinstance(document, dict) else document
    if not isinstance(items, list):
        raise InputError("JSON: expected a list of sheets, or an object with 'processors'")
    return [
        (f"item {number}", item if isinstance(item, dict) else {"__extra__": "not an object"})
        for number, item in enumerate(items, start=1)
    ]


def _unneutralised(record: dict[str, Any]) -> dict[str, Any]:
    return {key: unneutralised(value) if isinstance(value, str) else value for key, value in record.items()}
