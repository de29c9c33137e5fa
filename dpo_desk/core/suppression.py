"""The suppression list: what is kept of a person who objected to direct marketing (Art. 21(3)), which is
only what is needed to honour the objection, and how a marketing tool checks its own list against it."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass

from dpo_desk.core.csv_cells import csv_text
from dpo_desk.core.errors import InputError
from dpo_desk.core.identifiers import check_email, email_key, phone_key, phone_key_or_none
from dpo_desk.core.models import SubjectDetails

EMAIL, PHONE = "email", "phone"
FORMATS = ("json", "csv")
ABOUT = (
    "People who objected to direct marketing (Art. 21(3) GDPR): send no marketing to an e-mail address or "
    "phone number whose hash is listed. Whoever holds the salt can test identifiers against the list: keep it "
    "inside the marketing tool."
)
HASHED_AS = (
    "SHA-256 in lower-case hexadecimal of the UTF-8 text: the salt, a colon, then the identifier; an e-mail "
    "trimmed and case-folded (Unicode casefold; for ASCII addresses, lower-cased), a phone number in E.164 "
    "such as +4722000000"
)


@dataclass(frozen=True, slots=True)
class Entry:
    kind: str  # EMAIL or PHONE
    sha256: str
    added_on: str  # YYYY-MM-DD


def hash_of(key: str, salt: str) -> str:
    """What the list keeps of one identifier: its salted hash, nothing else."""
    return hashlib.sha256(f"{salt}:{key}".encode()).hexdigest()


def identifiers(subject: SubjectDetails, country: str) -> list[tuple[str, str]]:
    """The kind and key of each e-mail and phone of an objector; a phone that cannot be read has no key."""
    found = [(EMAIL, email_key(email)) for email in subject.emails]
    found += [(PHONE, key) for phone in subject.phones if (key := phone_key_or_none(phone, country))]
    return list(dict.fromkeys(found))


def identifier(text: str, country: str) -> tuple[str, str]:
    """What the DPO typed to check, as a kind and key: an e-mail, or a phone read with ``country`` as the
    default; an error names the field otherwise."""
    text = text.strip()
    if not text:
        raise InputError("identifier: give an e-mail address or a phone number")
    if "@" in text:
        return EMAIL, email_key(check_email(text, field="identifier"))
    return PHONE, phone_key(text, country, field="identifier")


def export_text(fmt: str, salt: str, entries: list[Entry], exported_at: str) -> str:
    """The list as a marketing tool reads it: each hash with the salt and the recipe that made it."""
    if fmt == "json":
        document = {
            "about": ABOUT,
            "salt": salt,
            "hashed_as": HASHED_AS,
            "exported_at": exported_at,
            "entries": [asdict(entry) for entry in entries],
        }
        return json.dumps({"suppression_list": document}, ensure_ascii=False, indent=2) + "\n"
    if fmt != "csv":
        raise InputError(f"format: {fmt!r}; choose {' or '.join(FORMATS)}")
    # A CSV has no place for a preamble, so every row carries the salt and the recipe.
    return csv_text(
        ["kind", "sha256", "added_on", "salt", "hashed_as"],
        ([entry.kind, entry.sha256, entry.added_on, salt, HASHED_AS] for entry in entries),
    )
