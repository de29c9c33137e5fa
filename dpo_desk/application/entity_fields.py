"""The fields of a register entity a DPO may set, declared once for the app's forms and the command line's
``entity set`` and ``entity add``, and the question the app asks before a new calendar or time zone moves due
dates."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from babel import Locale

from dpo_desk.application.fields import Field, Kind
from dpo_desk.core.calendars import CALENDARS
from dpo_desk.core.countries import ISO_COUNTRIES
from dpo_desk.core.entities import MovedDeadlines, entity_columns, time_zones
from dpo_desk.core.models import Entity

MOVED_LISTED = 10  # cases named in the question; the rest are counted


def calendar_label(calendar: str) -> str:
    """'Norway (NO)'; the calendar without public holidays says so."""
    if calendar == "none":
        return "None (weekends only)"
    return f"{Locale.parse('en').territories[calendar]} ({calendar})"


# The choices are read when a form opens: Babel's English names and the tz database took 30-40 ms of every
# start when this module was imported.
ENTITY_FIELDS = (
    Field("name", "&Name"),
    Field("also_known_as", "Also &known as", required=False),
    Field("street", "&Street address", required=False, help="letters are not printed without it"),
    Field("postal_code", "&Postal code", required=False),
    Field("city", "Cit&y", required=False),
    Field("address_country", "C&ountry (address)", required=False),
    Field(
        "address_to_replace",
        "&Address to be replaced",
        Kind.BOOL,
        help="the register says this address must not be printed; giving a new address clears it",
    ),
    Field("phone", "P&hone", required=False),
    Field("email", "&E-mail", required=False),
    Field("org_number", "Or&g. no.", required=False),
    Field("dpo_name", "&DPO name", required=False),
    Field("dpo_email", "DPO e-&mail", required=False),
    Field(
        "calendar",
        "Ca&lendar",
        Kind.CHOICE,
        options=lambda form: [(calendar, calendar_label(calendar)) for calendar in CALENDARS],
        help="the public holidays a deadline ending on one moves past",
    ),
    Field(
        "time_zone",
        "Time &zone",
        Kind.CHOICE,
        options=lambda form: [(zone, zone) for zone in time_zones()],
        help="the zone in which the day of receipt is read",
        shape="IANA time zone, e.g. Europe/Oslo",
    ),
    Field("notes", "No&tes", Kind.LONG, required=False),
)


_NOT_CHOSEN = ("", "")  # a required choice of a new entity starts with none made


def _country_options() -> list[tuple[str, str]]:
    names = Locale.parse("en").territories
    labelled = sorted((f"{names.get(code, code)} ({code})", code) for code in ISO_COUNTRIES)
    return [_NOT_CHOSEN, *((code, label) for label, code in labelled)]


def _chosen_anew(field: Field) -> Field:
    return dataclasses.replace(field, options=lambda form: [_NOT_CHOSEN, *field.choices(form)])


_BY_NAME = {field.name: field for field in ENTITY_FIELDS}
# A new entity has a country too, fixed once it is added (its cases' subjects' phones are read as numbers of
# it), and no mark that its address is one to replace (core.entities.ADDABLE).
NEW_ENTITY_FIELDS = (
    _BY_NAME["name"],
    Field(
        "country",
        "&Country",
        Kind.CHOICE,
        options=lambda form: _country_options(),
        help="where the entity is established",
    ),
    _chosen_anew(_BY_NAME["calendar"]),
    _chosen_anew(_BY_NAME["time_zone"]),
    *(field for field in ENTITY_FIELDS if field.name not in ("name", "calendar", "time_zone", "address_to_replace")),
)


def entity_values(entity: Entity) -> dict[str, Any]:
    """The entity as its form starts."""
    values = entity_columns(entity)
    values["address_to_replace"] = entity.address_to_replace
    return values


def entity_changes(entity: Entity, values: dict[str, Any]) -> dict[str, Any]:
    """Only what the form changed, so that an unchanged address keeps its mark."""
    before = entity_values(entity)
    return {name: value for name, value in values.items() if before.get(name) != value}


def deadline_question(entity: Entity, changes: dict[str, Any], moved: Sequence[MovedDeadlines]) -> str:
    """What a new calendar or time zone does to the entity's open cases, asked before it is saved; '' when
    the changes touch neither."""
    parts = []
    if changes.get("calendar", entity.calendar) != entity.calendar:
        parts.append(f"calendar from {calendar_label(entity.calendar)} to {calendar_label(changes['calendar'])}")
    if changes.get("time_zone", entity.time_zone) != entity.time_zone:
        parts.append(f"time zone from {entity.time_zone} to {changes['time_zone']}")
    if not parts:
        return ""
    due_moved = [m for m in moved if m.due_moved]
    if due_moved:
        listed = "; ".join(f"{m.reference}: {m.changes()}" for m in due_moved[:MOVED_LISTED])
        more = f"; and {len(due_moved) - MOVED_LISTED} more" if len(due_moved) > MOVED_LISTED else ""
        effect = f"{len(due_moved)} open case(s) of {entity.name} get a different due date ({listed}{more})."
    else:
        effect = f"No open case of {entity.name} gets a different due date."
    others = len(moved) - len(due_moved)
    if others:
        effect += f" {others} other open case(s) get a different receipt day, extension-notice date or target."
    return (
        f"Change the {' and the '.join(parts)}? {effect} Each case's history records what moved; "
        "closed cases keep the dates they were held to."
    )
