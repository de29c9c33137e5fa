"""Matching records to the subject: e-mail and phone match, a name only hints."""

from dpo_desk.collection.match import Identity, match
from dpo_desk.collection.read import Record
from dpo_desk.core.models import SubjectDetails

KARI = Identity.of(SubjectDetails("Kari Nordmann", emails=("kari@example.no",), phones=("+47 912 34 567",)), "NO")


def record(**fields: object) -> Record:
    return Record("line 2", tuple(fields.items()))


def test_an_email_matches_casefolded_and_trimmed_wherever_the_cell_holds_it() -> None:
    assert match(record(Email="  Kari@Example.NO "), KARI).text() == "e-mail in Email"
    assert match(record(From="Kari N <KARI@example.no>"), KARI).text() == "e-mail in From"
    assert not match(record(Email="kari@example.no.evil.com"), KARI).matched
    assert not match(record(Email="okari@example.no"), KARI).matched


def test_a_phone_matches_in_e164_with_the_entitys_country_as_default() -> None:
    assert match(record(Mobile="912 34 567"), KARI).text() == "phone in Mobile"
    assert match(record(Mobile="0047 91234567"), KARI).matched
    assert not match(record(Mobile="912 34 568"), KARI).matched


def test_a_name_is_a_hint_only() -> None:
    found = match(record(Name="KARI  NORDMANN", Email="other@example.no"), KARI)
    assert (found.kind, found.matched, found.text()) == ("name", False, "name in Name (a hint only)")
    split = match(record(First="Kari", Last="Nordmann", City="Oslo"), KARI)
    assert (split.kind, split.matched) == ("name", False)
    assert match(record(First="Karin", Last="Nordmannsen"), KARI).kind == ""


def test_nested_values_match_by_their_path() -> None:
    nested = record(contact={"emails": ["x@example.no", "kari@example.no"]})
    assert match(nested, KARI).text() == "e-mail in contact.emails.2"
