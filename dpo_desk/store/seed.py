"""Filling a new store with the register shipped as JSON in the package (``dpo_desk/resources/register/``)."""

from __future__ import annotations

import json
from datetime import datetime
from importlib.resources.abc import Traversable
from typing import Any

from sqlite_utils import Database

from dpo_desk.core.calendars import check_calendar
from dpo_desk.core.errors import InputError
from dpo_desk.core.processors import CITATION_COLUMNS, CITED_FIELDS
from dpo_desk.paths import register_data_dir
from dpo_desk.store import audit

_LIST_COLUMNS = ("data_categories", "identifiers", "purposes", "legal_bases")
FILLED_BY = "dpo-desk"  # the audit's actor when an upgrade fills sheets; its entries are no edit of the DPO


def seed_register(db: Database, directory: Traversable | None = None) -> None:
    """Insert entities, processors and sources, and link each source to its recipients."""
    directory = directory or register_data_dir()
    entities = _read(directory / "entities.json", "entities")
    processors = _read(directory / "processors.json", "processors")
    sources = _read(directory / "sources.json", "sources")
    for entity in entities:
        check_calendar(entity["calendar"])
        db.table("entities").insert(_flat(entity))
    columns = set(db.table("processors").columns_dict)  # the later migrations add the others
    for processor in processors:
        db.table("processors").insert({k: v for k, v in _flat(processor).items() if k in columns})
    processor_ids = {row["key"]: row["id"] for row in db.query("SELECT id, key FROM processors")}
    for source in sources:
        recipients = source.pop("recipients")
        source_id = db.table("sources").insert(_flat(source)).last_pk
        for key in recipients:
            if key not in processor_ids:
                raise InputError(f"sources.json: source {source['key']!r} names unknown recipient {key!r}")
            db.table("source_recipients").insert({"source_id": source_id, "processor_id": processor_ids[key]})


def fill_published_contacts(db: Database, now: datetime, directory: Traversable | None = None) -> None:
    """Bring the published contacts and their citations into the seeded sheets.

    A sheet the DPO never saved or imported takes the register's sheet whole (its sources aside); on one the
    DPO changed, only the fields still empty are filled, each with its citation, so nothing entered is lost.
    """
    directory = directory or register_data_dir()
    touched = _sheets_changed_by_the_dpo(db)
    filled = []
    for processor in _read(directory / "processors.json", "processors"):
        current = next(db.query("SELECT * FROM processors WHERE key = ?", [processor["key"]]), None)
        if current is None:
            continue  # the DPO deleted it
        published = {k: v for k, v in processor.items() if k not in ("key", "last_reviewed")}
        update = _only_empty(published, current) if processor["key"] in touched else published
        if update:
            db.table("processors").update(current["id"], _flat(update))
            filled.append(processor["key"])
    in_use = db.execute("SELECT 1 FROM audit LIMIT 1").fetchone() is not None
    if filled and in_use:  # a store being made is seeded without an entry, as the register is at 0002
        audit.record(
            db,
            actor=FILLED_BY,
            action="processors-filled",
            entity="processor",
            entity_id="*",
            details={"keys": filled, "from": "register/processors.json"},
            now=now,
        )


def _sheets_changed_by_the_dpo(db: Database) -> set[str]:
    touched: set[str] = set()
    for entity_id, details in db.execute(
        "SELECT entity_id, details FROM audit WHERE entity = 'processor' AND actor != ?", (FILLED_BY,)
    ):
        touched.update(json.loads(details).get("keys", []) if entity_id == "*" else [entity_id])
    return touched


def _only_empty(published: dict[str, Any], current: dict[str, Any]) -> dict[str, Any]:
    """The cited fields still empty in the store, with their citations; the rest stays as the DPO left it."""
    empty = [name for name in CITED_FIELDS if current[name] in ("", "[]")]
    filled = [name for name in empty if published.get(name)]
    cited = json.loads(current["sources_cited"])
    not_published = json.loads(current["not_published"])
    for name in empty:
        if name in published.get("sources_cited", {}):
            cited[name] = published["sources_cited"][name]
        if name in published.get("not_published", {}):
            not_published[name] = published["not_published"][name]
        elif name in filled:
            not_published.pop(name, None)
    update = {name: published[name] for name in filled} | {"sources_cited": cited, "not_published": not_published}
    unchanged = not filled and not_published == json.loads(current["not_published"])
    return {} if unchanged else update


def _read(path: Traversable, key: str) -> list[dict[str, Any]]:
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
        if column in _LIST_COLUMNS or column in CITATION_COLUMNS:
            value = json.dumps(value, ensure_ascii=False)
        elif isinstance(value, bool):
            value = int(value)
        flat[column] = value
    return flat
