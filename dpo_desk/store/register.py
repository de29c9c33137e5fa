"""The register as the rest of the program reads it: entities, sources and their recipients."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from dpo_desk.core.calendars import check_calendar
from dpo_desk.core.entities import DEADLINE_FIELDS, changed_entity, check_names_free, entity_columns, entity_key
from dpo_desk.core.errors import InputError, NotFoundError
from dpo_desk.core.models import OPEN_STATUSES, Address, Entity
from dpo_desk.store import audit
from dpo_desk.store.transactions import write_transaction

_KEY = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
_ENTITY_COLUMNS = (
    "id, key, name, also_known_as, country, time_zone, calendar, street, postal_code, city, "
    "address_country, phone, email, org_number, is_eea_representative, is_controller, dpo_name, dpo_email, notes, "
    "address_to_replace"
)


@dataclass(frozen=True, slots=True)
class Source:
    key: str
    name: str
    data_categories: tuple[str, ...]
    purposes: tuple[str, ...]
    legal_bases: tuple[str, ...]
    retention: str
    portable: bool
    recipients: tuple[str, ...] = ()  # service names; the links are kept on the processor sheets
    description: str = ""
    retention_years: int = 6
    retention_from: str = "collection"

    def problems(self) -> list[str]:
        """Every problem of the source, each naming its field; empty when it may be saved."""
        found = []
        if not _KEY.match(self.key):
            found.append(f"key: {self.key!r} must be lower-case letters, digits and dashes")
        if not self.name.strip():
            found.append("name: missing")
        for name in ("data_categories", "purposes", "legal_bases"):
            if not getattr(self, name):
                found.append(f"{name}: give at least one")
        if not self.retention.strip():
            found.append("retention: say how long the data is kept, as the policy words it")
        if not 1 <= self.retention_years <= 100:
            found.append("retention_years: between 1 and 100")
        if not self.retention_from.strip():
            found.append("retention_from: the event the period runs from (e.g. collection, last service delivery)")
        return found


@dataclass(frozen=True, slots=True)
class ProcessorRow:
    key: str
    service: str
    legal_entity: str
    category: str
    role: str
    sources: tuple[str, ...]  # source names


class Register:
    def __init__(self, db: Database) -> None:
        self._db = db

    def entities(self) -> list[Entity]:
        rows = self._db.query(f"SELECT {_ENTITY_COLUMNS} FROM entities ORDER BY name")
        return [entity_from_row(row) for row in rows]

    def entity_by_id(self, entity_id: int) -> Entity:
        rows = list(self._db.query(f"SELECT {_ENTITY_COLUMNS} FROM entities WHERE id = ?", [entity_id]))
        if not rows:
            raise NotFoundError(f"no entity with id {entity_id}")
        return entity_from_row(rows[0])

    def entity(self, name_or_key: str) -> Entity:
        """The entity with this name, former name or key, ignoring case."""
        wanted = name_or_key.strip().casefold()
        for entity in self.entities():
            names = {entity.name, entity.key, entity.also_known_as} - {""}
            if wanted in {name.casefold() for name in names}:
                return entity
        known = ", ".join(e.name for e in self.entities())
        raise NotFoundError(f"entity: unknown entity {name_or_key!r}; known entities are {known}")

    def update_entity(
        self,
        name_or_key: str,
        changes: Mapping[str, Any],
        *,
        actor: str,
        now: datetime,
        recorded: Mapping[str, Any] | None = None,
    ) -> Entity:
        """Set fields of an entity (each checked, the change audited); returns the entity as saved. The audit
        entry names the fields changed, the calendar and time zone from what to what, and ``recorded``: what
        else the change did (the due dates it moved, which :meth:`CaseRepository.update_entity` counts)."""
        with write_transaction(self._db):
            entity = self.entity(name_or_key)
            changed = changed_entity(entity, changes)
            before, after = entity_columns(entity), entity_columns(changed)
            different = {name: value for name, value in after.items() if before[name] != value}
            check_names_free(changed, [other for other in self.entities() if other.id != entity.id])
            if different:
                self._db.table("entities").update(entity.id, different)
                # The calendar and zone with their values: the due dates of the cases follow them.
                deadline_values = {
                    name: {"from": before[name], "to": after[name]} for name in DEADLINE_FIELDS if name in different
                }
                audit.record(
                    self._db, actor=actor, action="entity-saved", entity="entity", entity_id=entity.key,
                    details={"fields": sorted(different), **deadline_values, **(recorded or {})}, now=now,
                )  # fmt: skip
        return self.entity_by_id(entity.id)

    def add_entity(self, entity: Entity, *, actor: str, now: datetime) -> Entity:
        """Add an entity checked by :func:`new_entity` under names no other has, with a key of its own (audited);
        returns it as saved."""
        with write_transaction(self._db):
            others = self.entities()
            check_names_free(entity, others)
            key = entity_key(entity.name, {other.key for other in others})
            given = {"country": entity.country, **entity_columns(entity)}
            entity_id = self._db.table("entities").insert({"key": key, **given}).last_pk
            audit.record(
                self._db, actor=actor, action="entity-added", entity="entity", entity_id=key,
                details={
                    "fields": sorted(name for name, value in given.items() if value not in ("", 0)),
                    **{name: given[name] for name in ("country", *DEADLINE_FIELDS)},
                },
                now=now,
            )  # fmt: skip
        assert entity_id is not None
        return self.entity_by_id(entity_id)

    def set_calendar(self, entity_id: int, calendar: str) -> None:
        """Which holidays roll a deadline for this entity (the US entity's is a choice: none or NO)."""
        check_calendar(calendar)
        self._db.execute("UPDATE entities SET calendar = ? WHERE id = ?", (calendar, entity_id))

    def sources(self) -> list[Source]:
        rows = self._db.query(
            """
            SELECT s.*, (SELECT json_group_array(p.service) FROM source_recipients r
                         JOIN processors p ON p.id = r.processor_id
                         WHERE r.source_id = s.id) AS recipient_names
            FROM sources s ORDER BY s.id
            """
        )
        return [
            Source(
                key=row["key"],
                name=row["name"],
                data_categories=_tuple(row["data_categories"]),
                purposes=_tuple(row["purposes"]),
                legal_bases=_tuple(row["legal_bases"]),
                retention=row["retention"],
                portable=bool(row["portable"]),
                recipients=tuple(sorted(_tuple(row["recipient_names"]), key=str.casefold)),
                description=row["description"],
                retention_years=row["retention_years"],
                retention_from=row["retention_from"],
            )
            for row in rows
        ]

    def save_source(self, source: Source, *, actor: str, now: datetime) -> list[str]:
        """Add or change a source of personal data; returns the open cases whose data came from it."""
        problems = source.problems()
        if problems:
            raise InputError("; ".join(problems))
        record = {
            "key": source.key,
            "name": source.name.strip(),
            "description": source.description.strip(),
            "data_categories": json.dumps(list(source.data_categories), ensure_ascii=False),
            "purposes": json.dumps(list(source.purposes), ensure_ascii=False),
            "legal_bases": json.dumps(list(source.legal_bases), ensure_ascii=False),
            "retention": source.retention.strip(),
            "retention_years": source.retention_years,
            "retention_from": source.retention_from.strip(),
            "portable": int(source.portable),
        }
        with write_transaction(self._db):
            self._db.table("sources").upsert(record, pk="key")
            audit.record(
                self._db, actor=actor, action="source-saved", entity="source", entity_id=source.key, details={}, now=now
            )
        return self.open_cases_from([source.key])

    def open_cases_from(self, source_keys: Iterable[str]) -> list[str]:
        """References of open cases whose subject's data came from any of these sources."""
        keys = sorted(set(source_keys))
        if not keys:
            return []
        rows = self._db.execute(
            f"""SELECT DISTINCT c.reference FROM cases c
                JOIN case_sources cs ON cs.case_id = c.id JOIN sources s ON s.id = cs.source_id
                WHERE s.key IN ({", ".join("?" * len(keys))})
                  AND c.status IN ({", ".join("?" * len(OPEN_STATUSES))})
                ORDER BY c.reference""",
            [*keys, *(status.value for status in OPEN_STATUSES)],
        )
        return [row[0] for row in rows]

    def processors(self) -> list[ProcessorRow]:
        rows = self._db.query(
            """
            SELECT p.key, p.service, p.legal_entity, p.category, p.role,
                   (SELECT json_group_array(s.name) FROM source_recipients r
                    JOIN sources s ON s.id = r.source_id WHERE r.processor_id = p.id) AS source_names
            FROM processors p ORDER BY p.service COLLATE NOCASE
            """
        )
        return [
            ProcessorRow(
                row["key"],
                row["service"],
                row["legal_entity"],
                row["category"],
                row["role"],
                _tuple(row["source_names"]),
            )
            for row in rows
        ]


def entity_from_row(row: dict[str, Any]) -> Entity:
    return Entity(
        id=row["id"],
        key=row["key"],
        name=row["name"],
        also_known_as=row["also_known_as"],
        country=row["country"],
        time_zone=row["time_zone"],
        calendar=row["calendar"],
        address=Address(row["street"], row["postal_code"], row["city"], row["address_country"]),
        phone=row["phone"],
        email=row["email"],
        org_number=row["org_number"],
        is_eea_representative=bool(row["is_eea_representative"]),
        dpo_name=row["dpo_name"],
        dpo_email=row["dpo_email"],
        notes=row["notes"],
        is_controller=bool(row["is_controller"]),
        address_to_replace=bool(row["address_to_replace"]),
    )


def _tuple(json_text: str | None) -> tuple[str, ...]:
    return tuple(json.loads(json_text or "[]"))
