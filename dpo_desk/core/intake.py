"""Turning what the DPO typed or a script sent into a valid :class:`NewCase`, or a clear error."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from dpo_desk.core.errors import InputError
from dpo_desk.core.identifiers import check_email
from dpo_desk.core.models import Channel, NewCase, Right, SubjectDetails

_CLOCK_SKEW = timedelta(minutes=5)


def parse_received(text: str, *, now: datetime, field: str = "received") -> datetime:
    """An ISO 8601 moment with its UTC offset, not in the future."""
    if not isinstance(text, str) or not text.strip():
        raise InputError(f"{field}: give a date and time such as 2026-03-05T09:30:00+01:00")
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise InputError(f"{field}: {text!r} is not a valid ISO 8601 date and time") from None
    if moment.tzinfo is None:
        raise InputError(f"{field}: {text!r} has no UTC offset; add one such as +01:00 or Z")
    return check_not_future(moment, now=now, field=field)


def check_not_future(moment: datetime, *, now: datetime, field: str = "received") -> datetime:
    if moment > now + _CLOCK_SKEW:
        raise InputError(f"{field}: {moment.isoformat(timespec='minutes')} is in the future")
    return moment


def parse_rights(values: Sequence[str]) -> tuple[Right, ...]:
    """Known rights, without repeats, in the canonical order."""
    if isinstance(values, str) or not values:
        raise InputError(f"rights: give a list with at least one of {', '.join(r.value for r in Right)}")
    chosen: set[Right] = set()
    for value in values:
        try:
            chosen.add(Right(str(value).strip().lower()))
        except ValueError:
            raise InputError(
                f"rights: unknown right {value!r}; known rights are {', '.join(r.value for r in Right)}"
            ) from None
    return tuple(r for r in Right if r in chosen)


def parse_channel(value: str) -> Channel:
    try:
        return Channel(str(value).strip().lower())
    except ValueError:
        raise InputError(
            f"channel: unknown channel {value!r}; known channels are {', '.join(c.value for c in Channel)}"
        ) from None


def subject_details(
    name: str,
    emails: Sequence[str],
    phones: Sequence[str],
    address: str,
    *,
    birth_date: date | None = None,
    child: bool = False,
    today: date | None = None,
) -> SubjectDetails:
    """The subject as recorded: a name, some way to reach them with the answer, and their age if known."""
    name = " ".join(name.split())
    if not name:
        raise InputError("subject.name: the subject's name is missing")
    checked = tuple(dict.fromkeys(check_email(e) for e in emails if e.strip()))
    phones = tuple(p.strip() for p in phones if p.strip())
    address = address.strip()
    if not (checked or phones or address):
        raise InputError("subject: give an e-mail, a phone or a postal address, so the answer can reach them")
    if birth_date is not None and today is not None and birth_date > today:
        raise InputError(f"subject.birth_date: {birth_date.isoformat()} is in the future")
    return SubjectDetails(name=name, emails=checked, phones=phones, address=address, birth_date=birth_date, child=child)


def new_case_from_json(data: Any, *, now: datetime) -> NewCase:
    """Validate the JSON document of ``dpo-desk case add``; every error names the field at fault."""
    if not isinstance(data, Mapping):
        raise InputError("the case must be a JSON object")
    for required in ("entity", "channel", "received", "rights", "subject"):
        if required not in data:
            raise InputError(f"{required}: missing field")
    subject = data["subject"]
    if not isinstance(subject, Mapping):
        raise InputError("subject: must be an object with name, emails, phones and address")
    entity = data["entity"]
    if not isinstance(entity, str) or not entity.strip():
        raise InputError("entity: give the receiving entity's name")
    text = data.get("text", "")
    if not isinstance(text, str):
        raise InputError("text: must be a string")
    letter_lang = data.get("letter_lang", "")
    if not isinstance(letter_lang, str):
        raise InputError('letter_lang: must be a language code such as "nb", or absent for the office\'s language')
    return NewCase(
        entity_name=entity.strip(),
        channel=parse_channel(data["channel"]),
        received=parse_received(data["received"], now=now),
        rights=parse_rights(data["rights"]),
        subject=subject_details(
            _string(subject, "name"),
            _strings(subject, "emails"),
            _strings(subject, "phones"),
            _string(subject, "address"),
            birth_date=_birth_date(subject),
            child=_flag(subject, "child"),
            today=now.date(),
        ),
        text=text.strip(),
        letter_lang=letter_lang.strip(),
    )


def _string(obj: Mapping[str, Any], key: str) -> str:
    value = obj.get(key, "")
    if not isinstance(value, str):
        raise InputError(f"subject.{key}: must be a string")
    return value


def _strings(obj: Mapping[str, Any], key: str) -> list[str]:
    value = obj.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError(f"subject.{key}: must be a list of strings")
    return value


def _birth_date(obj: Mapping[str, Any]) -> date | None:
    value = obj.get("birth_date")
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise InputError(f"subject.birth_date: {value!r} is not a date YYYY-MM-DD") from None


def _flag(obj: Mapping[str, Any], key: str) -> bool:
    value = obj.get(key, False)
    if not isinstance(value, bool):
        raise InputError(f"subject.{key}: true or false")
    return value
