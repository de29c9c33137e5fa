"""The fields of a register entity a DPO may change, declared once for the app's form (the command line's
``entity set`` takes the same names)."""

from __future__ import annotations

from typing import Any

from dpo_desk.application.fields import Field, Kind
from dpo_desk.core.entities import entity_columns
from dpo_desk.core.models import Entity

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
    Field("notes", "No&tes", Kind.LONG, required=False),
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
