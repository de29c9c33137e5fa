"""Changing an entity of the register: which fields a DPO may set, and what each must hold."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from dpo_desk.core.errors import InputError
from dpo_desk.core.models import Address, Entity

ADDRESS_FIELDS = ("street", "postal_code", "city", "address_country")
TEXT_FIELDS = (
    "name", "also_known_as", *ADDRESS_FIELDS, "phone", "email", "org_number", "dpo_name", "dpo_email", "notes",
)  # fmt: skip
# Country, time zone and calendar are left out: they move due dates, which the deadline settings recompute.
SETTABLE = (*TEXT_FIELDS, "address_to_replace")


def changed_entity(entity: Entity, changes: Mapping[str, Any]) -> Entity:
    """The entity with ``changes`` applied and checked, each refusal naming its field. Giving a new postal
    address clears the register's mark that the old one must be replaced, unless the changes set it."""
    unknown = sorted(set(changes) - set(SETTABLE))
    if unknown:
        raise InputError(f"{unknown[0]}: not a field of an entity; one of {', '.join(SETTABLE)}")
    values = dict(changes)
    for name in TEXT_FIELDS:
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
    address = Address(*(values.pop(name, getattr_address(entity, name)) for name in ADDRESS_FIELDS))
    if address != entity.address and "address_to_replace" not in values:
        values["address_to_replace"] = False
    return dataclasses.replace(entity, address=address, **values)


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
