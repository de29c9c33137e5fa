"""Which records of a source file belong to the subject: matched by e-mail or phone, hinted by name.

An e-mail matches casefolded and trimmed, wherever a cell holds it ("Kari <Kari@Example.no>" too); a
phone matches in E.164, read with the receiving entity's country as its default. A name alone is only a
hint: two people share a name, so such a record is shown for review and never accepted as matched.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from dpo_desk.collection.read import Record, Value
from dpo_desk.core.identifiers import email_key, name_key, phone_key_or_none
from dpo_desk.core.models import SubjectDetails

_EMAIL = re.compile(r"[^\s<>\"',;()\[\]]+@[^\s<>\"',;()\[\]]+\.[^\s<>\"',;()\[\]]+")
_PHONE = re.compile(r"^\+?[\d\s().\-/]{6,24}$")


@dataclass(frozen=True, slots=True)
class Identity:
    """The subject's identifiers as records are compared with them."""

    emails: frozenset[str]
    phones: frozenset[str]
    name: str
    country: str

    @classmethod
    def of(cls, subject: SubjectDetails, country: str) -> Identity:
        phones = {phone_key_or_none(phone, country) for phone in subject.phones}
        return cls(
            frozenset(email_key(email) for email in subject.emails),
            frozenset(phone for phone in phones if phone),
            name_key(subject.name),
            country,
        )


@dataclass(frozen=True, slots=True)
class Match:
    kind: str  # "e-mail", "phone", "name" (a hint only), or "" for none
    field: str  # the field that matched

    @property
    def matched(self) -> bool:
        return self.kind in ("e-mail", "phone")

    def text(self) -> str:
        """How it matched, for the review: "e-mail in Email", "name in Full name (a hint only)"."""
        if not self.kind:
            return ""
        return f"{self.kind} in {self.field}" + (" (a hint only)" if self.kind == "name" else "")


NO_MATCH = Match("", "")


def match(record: Record, identity: Identity) -> Match:
    """The strongest match of the record: an e-mail, then a phone, then a name."""
    cells = list(_texts(record.fields))
    for field, text in cells:
        if "@" in text and any(email_key(found) in identity.emails for found in _EMAIL.findall(text)):
            return Match("e-mail", field)
    for field, text in cells:
        if _PHONE.match(text.strip()) and phone_key_or_none(text, identity.country) in identity.phones:
            return Match("phone", field)
    if identity.name:
        for field, text in cells:
            if name_key(text) == identity.name:
                return Match("name", field)
        joined = " ".join(text for _, text in cells if _is_name_part(text))
        if f" {identity.name} " in f" {name_key(joined)} ":
            return Match("name", "the name fields")
    return NO_MATCH


def _texts(fields: tuple[tuple[str, Value], ...], prefix: str = "") -> Iterator[tuple[str, str]]:
    """Every text and number in the record, nested ones named by their path ("contact.email")."""
    for key, value in fields:
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            yield from _texts(tuple(value.items()), f"{name}.")
        elif isinstance(value, list):
            yield from _texts(tuple((f"{index + 1}", item) for index, item in enumerate(value)), f"{name}.")
        elif isinstance(value, str | int) and not isinstance(value, bool):
            yield name, str(value)


def _is_name_part(text: str) -> bool:
    # First and last names often sit in fields of their own; joined, they can hint at the subject.
    return 0 < len(text) <= 40 and "@" not in text and not any(character.isdigit() for character in text)
