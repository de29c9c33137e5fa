"""Processor contact sheets: what the DPO needs to reach each recipient, checked field by field.

The column set below is the documented CSV/JSON format: it round-trips without loss. A filled contact
field cites the published document it came from; a field no document supports stays empty and says
what was searched ("not published").
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from dpo_desk.core.countries import ISO_COUNTRIES
from dpo_desk.core.errors import InputError
from dpo_desk.core.identifiers import check_email

ROLES = ("processor", "independent-controller", "joint-controller")
TRANSFER_MECHANISMS = ("", "adequacy", "sccs", "dpf", "none")
IDENTIFIERS = ("email", "cookie-id", "user-id", "phone", "ip-address")
REVIEW_MONTHS = 12
LIST_SEPARATOR = "; "  # lists in CSV cells
_KEY = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
CITED_FIELDS = (  # the fields a published document supports, in the order sheets show them
    "legal_entity",
    "privacy_email",
    "web_form_url",
    "postal_address",
    "privacy_policy_url",
    "dpa_url",
    "country",
    "transfer_mechanism",
    "identifiers",
    "procedure",
    "turnaround",
)


@dataclass(frozen=True, slots=True)
class Citation:
    """The published document a field's value comes from."""

    url: str
    dated: date | None = None  # the date the document bears; None when it states none
    read_on: date | None = None  # when it was read
    where: str = ""  # the part of the document that says it


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
    sources_cited: Mapping[str, Citation] = field(default_factory=dict)  # field name → its citation
    not_published: Mapping[str, str] = field(default_factory=dict)  # empty field name → what was searched

    def is_filled(self, name: str) -> bool:
        return bool(getattr(self, name))


COLUMNS = tuple(column.name for column in fields(ProcessorSheet))
LIST_COLUMNS = ("data_categories", "identifiers", "sources")
CITATION_COLUMNS = ("sources_cited", "not_published")  # JSON objects, in a CSV cell as JSON text
TEXT_COLUMNS = tuple(
    name for name in COLUMNS if name not in LIST_COLUMNS + CITATION_COLUMNS and name != "last_reviewed"
)


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
    if sheet.privacy_email:
        try:
            check_email(sheet.privacy_email, field="privacy_email")
        except InputError as error:
            found.append(str(error))
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
    return found + _citation_problems(sheet)


def _citation_problems(sheet: ProcessorSheet) -> list[str]:
    found = []
    for name, citation in sheet.sources_cited.items():
        parts = urlsplit(citation.url)
        if name not in CITED_FIELDS:
            found.append(f"sources_cited: {name!r} is not a field that cites a source")
        elif not sheet.is_filled(name):
            found.append(f"sources_cited: {name} is empty, so there is nothing to cite a source for")
        elif parts.scheme != "https" or "." not in parts.netloc:
            found.append(f"sources_cited: {name}: {citation.url!r} is not a web address (https://…)")
    for name in sheet.not_published:
        if name not in CITED_FIELDS:
            found.append(f"not_published: {name!r} is not a field that cites a source")
        elif sheet.is_filled(name):
            found.append(f"not_published: {name} has a value, so it cannot be marked not published")
    return found


def without_stale_citations(before: ProcessorSheet, after: ProcessorSheet) -> ProcessorSheet:
    """``after`` as the DPO edited ``before``: a changed field keeps a citation only if one came with the
    change (the old value's source does not support the new one), and a filled field is not 'not published'."""
    changed = {name for name in CITED_FIELDS if getattr(before, name) != getattr(after, name)}
    return replace(
        after,
        sources_cited={
            name: c
            for name, c in after.sources_cited.items()
            if name not in changed or c != before.sources_cited.get(name)
        },
        not_published={name: searched for name, searched in after.not_published.items() if not after.is_filled(name)},
    )


def check(sheet: ProcessorSheet, known_sources: Iterable[str] = ()) -> ProcessorSheet:
    found = problems(sheet, known_sources)
    if found:
        raise InputError("; ".join(found))
    return sheet


NOT_REVIEWED_YET, REVIEW_DUE = "not reviewed yet", "review due"


def review_note(sheet: ProcessorSheet, today: date) -> str:
    """'' for a sheet reviewed in the last 12 months, else "review due" or "not reviewed yet"."""
    if sheet.last_reviewed is None:
        return NOT_REVIEWED_YET
    return REVIEW_DUE if is_stale(sheet, today) else ""


def is_stale(sheet: ProcessorSheet, today: date) -> bool:
    """Reviewed, but not in the last 12 months. A sheet never reviewed is not "overdue": on a new store that
    would flag all 47 seeded sheets at once (see :func:`review_note`)."""
    if sheet.last_reviewed is None:
        return False
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
    for name in COLUMNS:
        value = getattr(sheet, name)
        if name in LIST_COLUMNS:
            row[name] = LIST_SEPARATOR.join(value)
        elif name == "last_reviewed":
            row[name] = value.isoformat() if value else ""
        elif name in CITATION_COLUMNS:
            row[name] = json.dumps(_citations_json(sheet)[name], ensure_ascii=False) if value else ""
        else:
            row[name] = value
    return row


def to_json(sheet: ProcessorSheet) -> dict[str, Any]:
    document: dict[str, Any] = {name: getattr(sheet, name) for name in COLUMNS}
    for name in LIST_COLUMNS:
        document[name] = list(document[name])
    document["last_reviewed"] = sheet.last_reviewed.isoformat() if sheet.last_reviewed else None
    return document | _citations_json(sheet)


def _citations_json(sheet: ProcessorSheet) -> dict[str, Any]:
    cited = {
        name: {
            "url": citation.url,
            "dated": citation.dated.isoformat() if citation.dated else None,
            "read_on": citation.read_on.isoformat() if citation.read_on else None,
            "where": citation.where,
        }
        for name, citation in sorted(sheet.sources_cited.items())
    }
    return {"sources_cited": cited, "not_published": dict(sorted(sheet.not_published.items()))}


def from_record(record: Mapping[str, Any]) -> ProcessorSheet:
    """A sheet from a CSV row or a JSON object; unknown or missing columns are named."""
    unknown = sorted(set(record) - set(COLUMNS))
    if unknown:
        raise InputError(f"unknown column(s): {', '.join(unknown)}")
    missing = [name for name in ("key", "service") if not record.get(name)]
    if missing:
        raise InputError(f"{missing[0]}: missing")
    values: dict[str, Any] = {}
    for name in LIST_COLUMNS:
        value = record.get(name)
        if isinstance(value, str):
            value = [part.strip() for part in value.split(";") if part.strip()]
        if value is not None and not isinstance(value, list):
            raise InputError(f"{name}: must be a list")
        values[name] = tuple(str(v).strip() for v in (value or ()))
    for name in TEXT_COLUMNS:
        values[name] = _text(name, record.get(name))
    values["last_reviewed"] = _day("last_reviewed", record.get("last_reviewed"))
    values["role"] = values["role"] or "processor"
    values["sources_cited"] = {
        name: _citation(name, cited) for name, cited in _json_object("sources_cited", record).items()
    }
    values["not_published"] = {
        name: _text(f"not_published: {name}", searched)
        for name, searched in _json_object("not_published", record).items()
    }
    return ProcessorSheet(**values)


def _json_object(name: str, record: Mapping[str, Any]) -> dict[str, Any]:
    """A citation column: an object in JSON, the same object as JSON text in a CSV cell."""
    value = record.get(name) or {}
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError as error:
            raise InputError(f"{name}: not a JSON object ({error.msg})") from None
    if not isinstance(value, dict):
        raise InputError(f"{name}: must be an object of field names")
    return value


def _citation(name: str, cited: Any) -> Citation:
    where = f"sources_cited: {name}"
    if not isinstance(cited, dict):
        raise InputError(f"{where}: must be an object with url, dated, read_on and where")
    unknown = sorted(set(cited) - {"url", "dated", "read_on", "where"})
    if unknown:
        raise InputError(f"{where}: unknown key(s) {', '.join(unknown)}")
    return Citation(
        url=_text(f"{where}: url", cited.get("url")),
        dated=_day(f"{where}: dated", cited.get("dated")),
        read_on=_day(f"{where}: read_on", cited.get("read_on")),
        where=_text(f"{where}: where", cited.get("where")),
    )


def _text(where: str, value: Any) -> str:
    if value is not None and not isinstance(value, str):
        raise InputError(f"{where}: must be text")
    return (value or "").strip()


def _day(where: str, value: Any) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        raise InputError(f"{where}: {value!r} is not a date YYYY-MM-DD") from None
