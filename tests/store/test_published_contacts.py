"""The seeded processor sheets: every filled contact cites a published document, every URL is https,
an unpublished field says what was searched, and an upgraded store gets them without losing an edit."""

import json
import shutil
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from sqlite_utils import Database

from dpo_desk.application.desk import Desk
from dpo_desk.core.countries import EEA
from dpo_desk.core.errors import InputError
from dpo_desk.core.processors import CITED_FIELDS, Citation, ProcessorSheet, problems, without_stale_citations
from dpo_desk.letters.processor_sheets import booklet_html, has_cited_contact
from dpo_desk.paths import register_data_dir
from dpo_desk.store import audit, seed
from dpo_desk.store.migrations import migrations
from dpo_desk.store.processors import ProcessorStore
from tests.conftest import NOW

CONTACT_FIELDS = ("privacy_email", "web_form_url", "postal_address")
URL_FIELDS = ("web_form_url", "privacy_policy_url", "dpa_url")
# What the privacy policy itself may give (its name for the entity, the identifiers its use implies): the
# sheet's policy_mention cites it; every other filled field cites a published document.
FROM_THE_POLICY = ("legal_entity", "identifiers")


def seeded() -> list[dict[str, Any]]:
    document: dict[str, Any] = json.loads((register_data_dir() / "processors.json").read_text(encoding="utf-8"))
    return document["processors"]


def test_every_filled_field_of_a_seeded_sheet_cites_its_source(desk: Desk) -> None:
    sheets = desk.processors.sheets()
    assert len(sheets) == 47
    for sheet in sheets:
        assert problems(sheet, desk.processors.source_keys()) == [], sheet.key
        assert sheet.last_reviewed is None, f"{sheet.key}: only the DPO reviews a sheet"
        for name in CITED_FIELDS:
            if sheet.is_filled(name) and name not in FROM_THE_POLICY:
                assert name in sheet.sources_cited, f"{sheet.key}: {name} cites no source"
        for citation in sheet.sources_cited.values():
            assert citation.read_on is not None, sheet.key


def test_a_sheet_without_a_cited_contact_says_what_was_searched(desk: Desk) -> None:
    without = [sheet for sheet in desk.processors.sheets() if not has_cited_contact(sheet)]
    for sheet in without:
        for name in CONTACT_FIELDS:
            assert sheet.not_published.get(name, "").strip(), f"{sheet.key}: {name} neither cited nor searched"


def test_every_url_in_the_register_parses_and_uses_https() -> None:
    urls = []
    for record in seeded():
        urls += [(record["key"], name, record[name]) for name in URL_FIELDS if record[name]]
        urls += [(record["key"], f"citation of {name}", c["url"]) for name, c in record["sources_cited"].items()]
    assert len(urls) > 100
    for key, name, url in urls:
        parts = urlsplit(url)
        assert parts.scheme == "https" and "." in parts.netloc and " " not in url, f"{key}: {name}: {url!r}"


def test_the_policy_name_stays_the_service_name() -> None:
    services = {record["key"]: record["service"] for record in seeded()}
    assert services["google-ads"] == "Google AdWords and DoubleClick (DoubleClick Bid Manager)"
    assert services["twitter-ads"].startswith("Twitter")
    assert services["facebook-audience-network"] == "Facebook Audience Network"


# --- citations in the model -------------------------------------------------------------------------

CITED = Citation("https://example.com/privacy", date(2025, 3, 1), date(2026, 12, 1), "Contact us")


def test_a_citation_is_checked_against_its_field() -> None:
    sheet = ProcessorSheet(
        "acme",
        "Acme",
        category="crm",
        privacy_email="privacy@acme.example",
        sources_cited={
            "privacy_email": replace(CITED, url="http://example.com/privacy"),
            "dpa_url": CITED,
            "colour": CITED,
        },
        not_published={"privacy_email": "searched the policy", "turnaround": "searched the DPA"},
    )
    assert problems(sheet) == [
        "sources_cited: privacy_email: 'http://example.com/privacy' is not a web address (https://…)",
        "sources_cited: dpa_url is empty, so there is nothing to cite a source for",
        "sources_cited: 'colour' is not a field that cites a source",
        "not_published: privacy_email has a value, so it cannot be marked not published",
    ]


def test_an_edited_field_loses_the_citation_of_its_old_value() -> None:
    before = ProcessorSheet(
        "acme",
        "Acme",
        category="crm",
        privacy_email="privacy@acme.example",
        dpa_url="https://example.com/dpa",
        sources_cited={"privacy_email": CITED, "dpa_url": CITED},
        not_published={"postal_address": "searched the policy"},
    )
    after = without_stale_citations(
        before, replace(before, privacy_email="dpo@acme.example", postal_address="1 Road\nTown\nNorway")
    )
    assert set(after.sources_cited) == {"dpa_url"} and after.not_published == {}
    assert problems(after) == []


@pytest.mark.parametrize(
    ("cited", "message"),
    [
        ('{"privacy_email": {"url": "https://x.example", "dated": "1 May"}}', "dated: '1 May' is not a date"),
        ('{"privacy_email": {"url": "https://x.example", "by": "me"}}', "unknown key(s) by"),
        ("[1, 2]", "sources_cited: must be an object of field names"),
        ("{not json", "sources_cited: not a JSON object"),
    ],
)
def test_a_bad_citation_in_an_import_is_named(desk: Desk, tmp_path: Path, cited: str, message: str) -> None:
    exported = tmp_path / "sheets.json"
    desk.processors.export("json", exported)
    document = json.loads(exported.read_text())
    document["processors"][0]["sources_cited"] = cited if cited.startswith("{not") else json.loads(cited)
    exported.write_text(json.dumps(document))
    preview = desk.processors.preview_import(exported)
    assert len(preview.errors) == 1 and message in preview.errors[0] and preview.errors[0].startswith("item 1: ")
    with pytest.raises(InputError):
        desk.processors.apply_import(preview, actor="dpo", now=NOW)


# --- the booklet --------------------------------------------------------------------------------------


def test_the_booklet_front_page_gives_the_day_the_sources_were_read(desk: Desk) -> None:
    sheets = desk.processors.sheets()
    html = booklet_html(sheets, {}, NOW.date(), "Altoros Norge AS")
    read = {c.read_on for s in sheets for c in s.sources_cited.values()}
    assert len(read) == 1
    assert "The published documents cited were read, from stored copies, on 1 Dec 2026." in html
    contact = sum(1 for s in sheets if has_cited_contact(s))
    assert f"47 sheets: {contact} with a privacy contact taken from a published document" in html
    assert html.count("page-break-before") == 47 and html.count("<h3>Sources</h3>") == 47


# --- an older store, upgraded ---------------------------------------------------------------------------


def register_before_the_research(directory: Path) -> Path:
    """data/ as it was seeded before the contacts were researched: the policy's facts only."""
    shutil.copytree(register_data_dir(), directory)
    document = json.loads((directory / "processors.json").read_text(encoding="utf-8"))
    for record in document["processors"]:
        for name in CITED_FIELDS:
            if name not in FROM_THE_POLICY:
                record[name] = ""
        del record["sources_cited"], record["not_published"]
    (directory / "processors.json").write_text(json.dumps(document), encoding="utf-8")
    return directory


def test_an_upgraded_store_gets_the_published_contacts_without_losing_an_edit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = Database(memory=True)
    old = register_before_the_research(tmp_path / "data")
    with monkeypatch.context() as patch:
        patch.setattr(seed, "register_data_dir", lambda: old)
        migrations.apply(db, stop_before="0011_published_contacts")
    assert db.execute("SELECT count(*) FROM processors WHERE privacy_email != ''").fetchone()[0] == 0
    db.execute("UPDATE processors SET privacy_email = 'me@hotjar.example', notes = 'mine' WHERE key = 'hotjar'")
    audit.record(db, actor="dpo", action="processor-saved", entity="processor", entity_id="hotjar", details={}, now=NOW)
    migrations.apply(db)
    store = ProcessorStore(db, register=None)  # type: ignore[arg-type]  # reads only
    published = {record["key"]: record for record in seeded()}
    hotjar = store.sheet("hotjar")
    assert (hotjar.privacy_email, hotjar.notes) == ("me@hotjar.example", "mine")
    assert "privacy_email" not in hotjar.sources_cited
    for name in ("privacy_policy_url", "dpa_url", "country"):
        assert getattr(hotjar, name) == published["hotjar"][name] != ""
        assert hotjar.sources_cited[name].url == published["hotjar"]["sources_cited"][name]["url"]
    untouched = [key for key in published if key != "hotjar"]
    for key in untouched:
        sheet = store.sheet(key)
        assert sheet.legal_entity == published[key]["legal_entity"] and sheet.notes == published[key]["notes"]
        assert len(sheet.sources_cited) == len(published[key]["sources_cited"])
    entry = db.execute("SELECT actor, action, details FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    assert entry[:2] == ("dpo-desk", "processors-filled") and "hotjar" in json.loads(entry[2])["keys"]


def test_a_value_changed_in_an_imported_file_loses_its_old_citation(desk: Desk, tmp_path: Path) -> None:
    exported = tmp_path / "sheets.json"
    desk.processors.export("json", exported)
    document = json.loads(exported.read_text())
    hotjar = next(record for record in document["processors"] if record["key"] == "hotjar")
    hotjar["privacy_email"] = "dpo@hotjar.example"
    hotjar["postal_address"] = "Hotjar Ltd\nMalta"  # marked not published in the register
    exported.write_text(json.dumps(document))
    preview = desk.processors.preview_import(exported)
    assert preview.errors == [] and [s.key for s in preview.changed] == ["hotjar"]
    changed = preview.changed[0]
    assert "privacy_email" not in changed.sources_cited and "postal_address" not in changed.not_published
    assert changed.sources_cited["dpa_url"] == desk.processors.sheet("hotjar").sources_cited["dpa_url"]


def test_a_recipient_inside_the_eea_is_no_transfer_outside_it(desk: Desk) -> None:
    """Sending data to Google Ireland is no third-country transfer; its own onward transfers are its notes'."""
    inside = [s for s in desk.processors.sheets() if s.country in EEA]
    assert len(inside) > 15
    for sheet in inside:
        assert sheet.transfer_mechanism in ("", "none"), sheet.key
        if sheet.transfer_mechanism == "none":
            assert "inside the EEA" in sheet.sources_cited["transfer_mechanism"].where, sheet.key
