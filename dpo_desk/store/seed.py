"""Filling a new store with the register kept as JSON in ``data/``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from dpo_desk.core.calendars import check_calendar
from dpo_desk.core.errors import InputError
from dpo_desk.paths import register_data_dir

_LIST_COLUMNS = ("data_categories", "identifiers", "purposes", "legal_bases")


def seed_register(db: Database, directory: Path | None = None) -> None:
    """Insert entities, processors and sources, and link each source to its recipients."""
    directory = directory or register_data_dir()
    entities = _read(directory / "entities.json", "entities")
    processors = _read(directory / "processors.json", "processors")
    sources = _read(directory / "sources.json", "sources")
    for entity in entities:
        check_calendar(entity["calendar"])
        db.table("entities").insert(_flat(entity))
    for processor in processors:
        db.table("processors").insert(_flat(processor))
    processor_ids = {row["key"]: row["id"] for row in db.query("SELECT id, key FROM processors")}
    for source in sources:
        recipients = source.pop("recipients")
        source_id = db.table("sources").insert(_flat(source)).last_pk
        for key in recipients:
            if key not in processor_ids:
                raise InputError(f"sources.json: source {source['key']!r} names unknown recipient {key!r}")
            db.table("source_recipients").insert({"source_id": source_id, "processor_id": processor_ids[key]})


def _read(path: Path, key: str) -> list[dict[str, Any]]:
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))[key]
    except (OSError, ValueError, KeyError) as error:
        raise InputError(f"{path}: cannot read the register ({error})") from None
    if not isinstance(rows, list):
        raise InputError(f"{path}: {key!r} must be a list")
    return rows


def _flat(record: dict[str, Any]) -> dict[str, Any]:
    """Lists become JSON text and booleans 0/1, as the schema keeps them."""
    flat: dict[str, Any] = {}
    for column, value in record.items():
        if column in _LIST_COLUMNS:
            value = json.dumps(value, ensure_ascii=False)
        elif isinstance(value, bool):
            value = int(value)
        flat[column] = value
    return flat
