"""Adding and changing an entity of the register: which fields a DPO may set, and what each must hold; and
what a new calendar or time zone does to the due dates of the entity's open cases."""

from __future__ import annotations

import dataclasses
import functools
import re
import unicodedata
import zoneinfo
from collections.abc import Collection, Iterable, Mapping
from datetime import date
from typing import Any

from dpo_desk.core.calendars import CALENDARS
from dpo_desk.core.countries import ISO_COUNTRIES
from dpo_desk.core.dates import long_date
from dpo_desk.core.deadlines import Deadlines, Rules, case_deadlines
from dpo_desk.core.errors import InputError
from dpo_desk.core.models import Address, Case, Entity

ADDRESS_FIELDS = ("street", "postal_code", "city", "address_country")
TEXT_FIELDS = (
    "name", "also_known_as", *ADDRESS_FIELDS, "phone", "email", "org_number", "dpo_name", "dpo_email", "notes",
)  # fmt: skip
DEADLINE_FIELDS = ("calendar", "time_zone")  # they move the due dates of the entity's open cases
# The country is left out: the phone numbers of its cases' subjects were read as numbers of it.
SETTABLE = (*TEXT_FIELDS, "address_to_replace", *DEADLINE_FIELDS)
# A new entity's address is the one the DPO gives: nothing marks it as one to replace.
ADDABLE = ("country", *(name for name in SETTABLE if name != "address_to_replace"))
# Not places: 'localtime' is this computer's own zone file, 'Factory' the tz database's placeholder.
_NOT_PLACES = {"localtime", "Factory"}


@functools.cache
def time_zones() -> tuple[str, ...]:
    """The IANA time zones this computer's tz database knows, sorted."""
    return tuple(sorted(zoneinfo.available_timezones() - _NOT_PLACES))


def deadline_fields_changed(entity: Entity, changed: Entity) -> list[str]:
    """Which of the calendar and time zone ``changed`` gives the entity anew."""
    return [name for name in DEADLINE_FIELDS if getattr(changed, name) != getattr(entity, name)]


def changed_entity(entity: Entity, changes: Mapping[str, Any]) -> Entity:
    """The entity with ``changes`` applied and checked, each refusal naming its field. Giving a new postal
    address clears the register's mark that the old one must be replaced, unless the changes set it."""
    unknown = sorted(set(changes) - set(SETTABLE))
    if unknown:
        raise InputError(f"{unknown[0]}: not a field of an entity; one of {', '.join(SETTABLE)}")
    values = dict(changes)
    for name in (*TEXT_FIELDS, *DEADLINE_FIELDS):
        if name in values:
            if not isinstance(values[name], str):
                raise InputError(f"{name}: give text")
            values[name] = values[name].strip()
    if "name" in values and not values["name"]:
        raise InputError("name: missing")
    for name in ("email", "dpo_email"):
        if values.get(name) and "@" not in values[name]:
            raise InputError(f"{name}: {values[name]!r} is not an e-mail address")
    if "address_to_replace" in values and not isinstance(values["address_to_replace"], bool):
        raise InputError("address_to_replace: true or false")
    if "calendar" in values and values["calendar"] not in CALENDARS:
        raise InputError(f"calendar: {values['calendar']!r} is not a calendar; choose one of {', '.join(CALENDARS)}")
    if "time_zone" in values and values["time_zone"] not in time_zones():
        raise InputError(f"time_zone: {values['time_zone']!r} is not an IANA time zone, such as Europe/Oslo")
    address = Address(*(values.pop(name, getattr_address(entity, name)) for name in ADDRESS_FIELDS))
    if address != entity.address and "address_to_replace" not in values:
        values["address_to_replace"] = False
    return dataclasses.replace(entity, address=address, **values)


def new_entity(values: Mapping[str, Any]) -> Entity:
    """An entity to add to the register, checked as :func:`changed_entity` checks a change; its name, country,
    calendar and time zone are required. Its key is given when it is added."""
    unknown = sorted(set(values) - set(ADDABLE))
    if unknown:
        raise InputError(f"{unknown[0]}: not a field of a new entity; one of {', '.join(ADDABLE)}")
    for name in ("name", "country", "calendar", "time_zone"):
        if not str(values.get(name) or "").strip():
            raise InputError(f"{name}: missing")
    given = dict(values)
    country = str(given.pop("country")).strip().upper()
    if country not in ISO_COUNTRIES:
        raise InputError(f"country: {country!r} is not an ISO 3166 country code such as NO, FI or PL")
    blank = Entity(
        id=0, key="", name="", country=country, time_zone="", calendar="", address=Address("", "", "", ""),
        phone="", email="", org_number="", is_eea_representative=False, dpo_name="", dpo_email="",
    )  # fmt: skip
    return changed_entity(blank, given)


def check_names_free(entity: Entity, others: Iterable[Entity]) -> None:
    """Refuse a name or former name another entity is already known by: looking one up must find one."""
    for other in others:
        known = {name.casefold() for name in (other.name, other.key, other.also_known_as) if name}
        for field in ("name", "also_known_as"):
            name = getattr(entity, field)
            if name and name.casefold() in known:
                raise InputError(f"{field}: {other.name!r} is already known as {name!r}")


def entity_key(name: str, taken: Collection[str]) -> str:
    """A short name for the entity, from its name in ASCII ('Altoros Norge AS' → 'altoros-norge-as'), unused."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:60] or "entity"
    key, number = base, 2
    while key in taken:
        key, number = f"{base}-{number}", number + 1
    return key


def getattr_address(entity: Entity, name: str) -> str:
    return str(getattr(entity.address, "country" if name == "address_country" else name))


def entity_columns(entity: Entity) -> dict[str, Any]:
    """The entity as its register row keeps the settable fields."""
    columns: dict[str, Any] = {name: getattr_address(entity, name) for name in ADDRESS_FIELDS}
    for name in SETTABLE:
        if name not in ADDRESS_FIELDS:
            value = getattr(entity, name)
            columns[name] = int(value) if isinstance(value, bool) else value
    return columns


@dataclasses.dataclass(frozen=True, slots=True)
class MovedDeadlines:
    """An open case whose dates differ once its entity has a new calendar or time zone."""

    case_id: int
    reference: str
    received_before: date
    received_after: date  # the receipt's local day in the entity's new zone
    before: Deadlines
    after: Deadlines

    @property
    def due_moved(self) -> bool:
        return self.before.due != self.after.due

    def changes(self) -> str:
        """What moved, in words: 'legal due date Mon 4 May 2026 → Tue 5 May 2026; internal target …'. The
        extension notice is named only for an extended case: otherwise it is due with the answer."""
        extended = self.before.extension_notice_due != self.before.due
        pairs = (
            ("received on", self.received_before, self.received_after),
            ("legal due date", self.before.due, self.after.due),
            *[("extension notice by", self.before.extension_notice_due, self.after.extension_notice_due)] * extended,
            ("internal target", self.before.target, self.after.target),
        )
        return "; ".join(f"{what} {long_date(old)} → {long_date(new)}" for what, old, new in pairs if old != new)


def deadlines_moved(
    cases: Iterable[Case], entity: Entity, *, rules: Rules, today: date, target_days: int
) -> list[MovedDeadlines]:
    """The ``cases`` whose receipt day or dates differ when ``entity``, as it is to be saved, receives them:
    each receipt read again in its time zone, each deadline counted again with its calendar."""
    moved = []
    for case in cases:
        received = case.received_at.astimezone(zoneinfo.ZoneInfo(entity.time_zone)).date()
        received_again = dataclasses.replace(case, entity=entity, received_date=received)
        try:
            after = case_deadlines(received_again.deadline_input(rules, today), target_days)
        except InputError as error:  # a pause that would start before the receipt's new day
            raise InputError(f"{case.reference}: {error}") from None
        if after != case.deadlines or received != case.received_date:
            moved.append(MovedDeadlines(case.id, case.reference, case.received_date, received, case.deadlines, after))
    return moved
