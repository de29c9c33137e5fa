"""The seeded register, as the privacy policy gives it."""

import json

from sqlite_utils import Database

from dpo_desk.paths import register_data_dir
from dpo_desk.store.register import Register

NAMED_IN_THE_ISSUE = [
    "Google Analytics",
    "Hotjar",
    "Albacross",
    "HubSpot",
    "MRP",
    "Bing Ads",
    "Disqus",
    "OneSignal",
    "Wistia",
    "Tawk",
    "Drift",
    "Skype",
    "Zoom",
    "Eventbrite",
    "Meetup",
    "Atlassian",
    "Trello",
    "Adobe",
    "SharePoint portal",
    "Azets",
]


def test_five_entities_with_what_the_policy_gives(db: Database) -> None:
    register = Register(db)
    entities = {entity.name: entity for entity in register.entities()}
    assert sorted(entities) == [
        "Altoros A.S.",
        "Altoros Americas LLC",
        "Altoros Finland Oy",
        "Altoros Norge AS",
        "Altoros Poland",
    ]
    norge = entities["Altoros Norge AS"]
    assert norge.is_eea_representative
    assert norge.org_number == "894 684 992"
    assert norge.address.lines() == ["Kongens gate 3", "0153 Oslo", "Norway"]
    assert norge.phone == "+47 21 92 93 00"
    assert [e.name for e in entities.values() if e.is_eea_representative] == ["Altoros Norge AS"]
    assert {e.name: e.calendar for e in entities.values()} == {
        "Altoros A.S.": "none",
        "Altoros Americas LLC": "none",
        "Altoros Finland Oy": "FI",
        "Altoros Norge AS": "NO",
        "Altoros Poland": "PL",
    }
    assert register.entity("altoros development llc").name == "Altoros Poland"
    assert all(e.dpo_email == "dpo@altoros.com" and e.dpo_name == "Aleksey Lekontsev" for e in entities.values())


def test_every_named_processor_has_a_sheet_and_a_source(db: Database) -> None:
    processors = Register(db).processors()
    services = {p.service for p in processors}
    for name in NAMED_IN_THE_ISSUE:
        assert name in services, name
    assert len(processors) >= 40
    assert all(p.sources for p in processors), [p.service for p in processors if not p.sources]
    assert all(p.category for p in processors)


def test_six_sources_with_retention_and_recipients(db: Database) -> None:
    sources = {s.key: s for s in Register(db).sources()}
    assert list(sources) == [
        "website-cookies",
        "web-forms",
        "chatbot",
        "email-messengers-phones",
        "customers",
        "event-attendees",
    ]
    years = {row["key"]: row["retention_years"] for row in db.query("SELECT key, retention_years FROM sources")}
    assert years == {key: 10 if key == "customers" else 6 for key in sources}
    assert "Drift" in sources["chatbot"].recipients
    assert "Azets" in sources["customers"].recipients
    assert all(s.purposes and s.legal_bases and s.data_categories for s in sources.values())


def test_register_files_are_readable_json_for_the_dpo_to_edit() -> None:
    for name in ("entities.json", "processors.json", "sources.json"):
        document = json.loads((register_data_dir() / name).read_text(encoding="utf-8"))
        assert document["about"], name
