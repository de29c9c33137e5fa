"""Processor contact sheets: what the DPO needs to reach each recipient, checked field by field.

The column set below is the documented CSV/JSON format: it round-trips without loss.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, fields
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from dpo_desk.core.countries import ISO_COUNTRIES
from dpo_desk.core.errors import InputError
from dpo_desk.core.intake import EMAIL_PATTERN

ROLES = ("processor", "independent-controller", "joint-controller")
TRANSFER_MECHANISMS = ("", "adequacy", "sccs", "dpf", "none")
IDENTIFIERS = ("email", "cookie-id", "user-id", "phone", "ip-address")
REVIEW_MONTHS = 12
LIST_SEPARATOR = "; "  # lists in CSV cells
_KEY = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")


@dataclass(frozen=True, slots=True)
class ProcessorSheet:
    key: str
    service: str
    legal_entity: str = ""
    role: str = "processor"
    category: str = ""
    privacy_email: str = ""
    postal_address: str = ""
    web_form_url: str = ""
    privacy_policy_url: str = ""
    dpa_url: str = ""
    country: str = ""
    transfer_mechanism: str = ""
    data_categories: tuple[str, ...] = ()
    identifiers: tuple[str, ...] = ()
    procedure: str = ""
    turnaround: str = ""
    notes: str = ""
    policy_mention: str = ""
    last_reviewed: date | None = None
    sources: tuple[str, ...] = ()  # keys of the register sources that use it


COLUMNS = tuple(field.name for field in fields(ProcessorSheet))
LIST_COLUMNS = ("data_categories", "identifiers", "sources")
TEXT_COLUMNS = tuple(name for name in COLUMNS if name not in LIST_COLUMNS and name != "last_reviewed")


def problems(sheet: ProcessorSheet, known_sources: Iterable[str] = ()) -> list[str]:
    """Every problem of the sheet, each naming its field; empty when the sheet is valid."""
    found = []
    if not _KEY.match(sheet.key):
        found.append(f"key: {sheet.key!r} must be lower-case letters, digits and dashes")
    if not sheet.service.strip():
        found.append("service: the service's name is missing")
    if not sheet.category.strip():
        found.append("category: missing (analytics, advertising, CRM, hosting, …)")
    if sheet.role not in ROLES:
        found.append(f"role: {sheet.role!r} is not one of {', '.join(ROLES)}")
    if sheet.privacy_email and not EMAIL_PATTERN.match(sheet.privacy_email):
        found.append(f"privacy_email: {sheet.privacy_email!r} is not an e-mail address")
    for name in ("web_form_url", "privacy_policy_url", "dpa_url"):
        url = getattr(sheet, name)
        parts = urlsplit(url)
        if url and (parts.scheme not in ("http", "https") or "." not in parts.netloc):
            found.append(f"{name}: {url!r} is not a web address (https://…)")
    if sheet.country and sheet.country not in ISO_COUNTRIES:
        found.append(f"country: {sheet.country!r} is not an ISO 3166 country code such as US, IE or NO")
    if sheet.transfer_mechanism not in TRANSFER_MECHANISMS:
        found.append(f"transfer_mechanism: {sheet.transfer_mechanism!r} is not one of adequacy, sccs, dpf, none")
    for identifier in sheet.identifiers:
        if identifier not in IDENTIFIERS:
            found.append(f"identifiers: {identifier!r} is not one of {', '.join(IDENTIFIERS)}")
    known = set(known_sources)
    for source in sheet.sources:
        if known and source not in known:
            found.append(f"sources: {source!r} is not a source of the register")
    return found


def check(sheet: ProcessorSheet, known_sources: Iterable[str] = ()) -> ProcessorSheet:
    found = problems(sheet, known_sources)
    if found:
        raise InputError("; ".join(found))
    return sheet


def is_stale(sheet: ProcessorSheet, today: date) -> bool:
    """Not reviewed in the last 12 months (or never)."""
    if sheet.last_reviewed is None:
        return True
    months = (today.year - sheet.last_reviewed.year) * 12 + today.month - sheet.last_reviewed.month
    return months > REVIEW_MONTHS or (months == REVIEW_MONTHS and today.day > sheet.last_reviewed.day)


def _domain(email: str) -> str:
    return email.rpartition("@")[2].casefold()


def duplicates(new: ProcessorSheet, existing: Sequence[ProcessorSheet]) -> list[str]:
    """Sheets that look like the same recipient: the same legal entity or the same e-mail domain."""
    found = []
    for other in existing:
        if other.key == new.key:
            continue
        if new.legal_entity and other.legal_entity.casefold() == new.legal_entity.casefold():
            found.append(f"{other.service} has the same legal entity ({other.legal_entity})")
        elif new.privacy_email and other.privacy_email and _domain(other.privacy_email) == _domain(new.privacy_email):
            found.append(f"{other.service} has the same e-mail domain ({_domain(new.privacy_email)})")
    return found


def to_row(sheet: ProcessorSheet) -> dict[str, str]:
    """One CSV row: lists joined with '; ', dates ISO, nothing else changed."""
    row: dict[str, str] = {}
    for name, value in asdict(sheet).items():
        if name in LIST_COLUMNS:
            row[name] = LIST_SEPARATOR.join(value)
        elif name == "last_reviewed":
            row[name] = value.isoformat() if value else ""
        else:
            row[name] = value
    return row


def to_json(sheet: ProcessorSheet) -> dict[str, Any]:
    document: dict[str, Any] = asdict(sheet)
    for name in LIST_COLUMNS:
        document[name] = list(document[name])
    document["last_reviewed"] = sheet.last_reviewed.isoformat() if sheet.last_reviewed else None
    return document


def from_record(record: Mapping[str, Any]) -> ProcessorSheet:
    """A sheet from a CSV row or a JSON object; unknown or missing columns are named."""
    unknown = sorted(set(record) - set(COLUMNS))
    if unknown:
        raise InputError(f"unknown column(s): {', '.join(unknown)}")
    missing = [name for name in ("key", "service") if not record.get(name)]
    if missing:
        raise InputError(f"{missing[0]}: missing")
    values: dict[str, Any] = {}
    for name in COLUMNS:
        value = record.get(name)
        if name in LIST_COLUMNS:
            if isinstance(value, str):
                value = [part.strip() for part in value.split(";") if part.strip()]
            if value is not None and not isinstance(value, list):
                raise InputError(f"{name}: must be a list")
            values[name] = tuple(str(v).strip() for v in (value or ()))
        elif name == "last_reviewed":
            try:
                values[name] = date.fromisoformat(value) if value else None
            except (TypeError, ValueError):
                raise InputError(f"last_reviewed: {value!r} is not a date YYYY-MM-DD") from None
        else:
            if value is not None and not isinstance(value, str):
                raise InputError(f"{name}: must be text")
            values[name] = (value or "").strip()
    values["role"] = values["role"] or "processor"
    return ProcessorSheet(**values)
