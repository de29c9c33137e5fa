"""Validating a case from JSON: every refusal names the field at fault."""

import copy
from datetime import UTC, datetime

import pytest

from dpo_desk.core.errors import InputError
from dpo_desk.core.intake import new_case_from_json
from dpo_desk.core.models import Channel, Right

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
VALID = {
    "entity": "Altoros Norge AS",
    "channel": "email",
    "received": "2026-03-05T09:30:00+01:00",
    "rights": ["erasure", "access", "access"],
    "subject": {"name": "  Ola   Nordmann ", "emails": ["ola@example.com"], "phones": [], "address": ""},
    "text": " Please delete me. ",
}


def test_valid_case_is_normalised() -> None:
    case = new_case_from_json(VALID, now=NOW)
    assert case.rights == (Right.ACCESS, Right.ERASURE)  # canonical order, no repeats
    assert case.channel is Channel.EMAIL
    assert case.subject.name == "Ola Nordmann"
    assert case.received.utcoffset() is not None
    assert case.text == "Please delete me."


def changed(path: str, value: object) -> dict:
    document = copy.deepcopy(VALID)
    target = document
    *parents, last = path.split(".")
    for key in parents:
        target = target[key]
    if value is KeyError:
        del target[last]
    else:
        target[last] = value
    return document


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (changed("entity", KeyError), "entity: missing field"),
        (changed("received", KeyError), "received: missing field"),
        (changed("rights", ["access", "forget-me"]), "rights: unknown right 'forget-me'"),
        (changed("rights", []), "rights: give a list"),
        (changed("channel", "pigeon"), "channel: unknown channel 'pigeon'"),
        (
            changed("received", "2026-02-30T10:00:00+01:00"),
            "received: '2026-02-30T10:00:00\\+01:00' is not a valid",
        ),
        (changed("received", "yesterday"), "received: 'yesterday' is not a valid"),
        (changed("received", "2026-03-05T09:30:00"), "has no UTC offset"),
        (changed("received", "2027-01-01T00:00:00Z"), "is in the future"),
        (changed("subject.name", "  "), "subject.name: the subject's name is missing"),
        (changed("subject.emails", ["not-an-address"]), "subject.emails: 'not-an-address' is not an e-mail"),
        (changed("subject.emails", []), "subject: give an e-mail, a phone or a postal address"),
        (changed("subject", "Ola"), "subject: must be an object"),
        (changed("text", 42), "text: must be a string"),
        ([1, 2], "the case must be a JSON object"),
    ],
)
def test_bad_input_names_the_field(document: object, message: str) -> None:
    with pytest.raises(InputError, match=message):
        new_case_from_json(document, now=NOW)
