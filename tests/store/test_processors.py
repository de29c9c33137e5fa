"""Processor sheets: validation naming each field, staleness, duplicates, lossless CSV/JSON round trips."""

import csv
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from dpo_desk.application.desk import Desk
from dpo_desk.core.errors import InputError
from dpo_desk.core.models import Right, Status
from dpo_desk.core.processors import (
    NOT_REVIEWED_YET,
    REVIEW_DUE,
    ProcessorSheet,
    duplicates,
    is_stale,
    problems,
    review_note,
)
from dpo_desk.store.processors import ProcessorStore
from tests.conftest import NOW, new_case


@pytest.fixture
def store(desk: Desk) -> ProcessorStore:
    return desk.processors


def test_every_problem_is_named() -> None:
    sheet = ProcessorSheet(
        key="Bad Key",
        service="",
        role="owner",
        privacy_email="privacy(at)example",
        web_form_url="example.com/form",
        dpa_url="ftp://example.com/dpa",
        country="XX",
        transfer_mechanism="hope",
        identifiers=("email", "dna"),
        sources=("moon",),
    )
    found = problems(sheet, known_sources=["web-forms"])
    assert [p.split(":")[0] for p in found] == [
        "key",
        "service",
        "category",
        "role",
        "privacy_email",
        "web_form_url",
        "dpa_url",
        "country",
        "transfer_mechanism",
        "identifiers",
        "sources",
    ]
    assert "'XX' is not an ISO 3166 country code" in found[7]


def test_staleness_is_twelve_months() -> None:
    sheet = ProcessorSheet("x", "X", category="crm", last_reviewed=date(2025, 11, 29))
    assert not is_stale(sheet, date(2026, 11, 29))
    assert is_stale(sheet, date(2026, 11, 30))
    never = replace(sheet, last_reviewed=None)  # not overdue: not reviewed yet, which shows apart
    assert not is_stale(never, date(2026, 1, 1))
    assert review_note(never, date(2026, 1, 1)) == NOT_REVIEWED_YET
    assert review_note(sheet, date(2026, 11, 30)) == REVIEW_DUE and review_note(sheet, date(2026, 11, 29)) == ""


def test_duplicates_by_entity_or_mail_domain(store: ProcessorStore) -> None:
    sheets = store.sheets()
    new = ProcessorSheet("google-forms", "Google Forms", legal_entity="google ireland limited", category="forms")
    assert any("same legal entity (Google Ireland Limited)" in d for d in duplicates(new, sheets))
    other = ProcessorSheet("acme", "Acme", category="crm", privacy_email="privacy@hubspot.com")
    hubspot = replace(store.sheet("hubspot"), privacy_email="dpo@HubSpot.com")
    assert duplicates(other, [hubspot]) == ["HubSpot has the same e-mail domain (hubspot.com)"]


def test_seeded_sheets_are_valid_and_flagged_for_review(store: ProcessorStore) -> None:
    sheets = store.sheets()
    assert len(sheets) >= 40
    assert all(problems(s, store.source_keys()) == [] for s in sheets)
    # The policy gives no review dates: each is flagged as not reviewed yet, none as overdue.
    assert all(review_note(s, date(2026, 11, 29)) == NOT_REVIEWED_YET for s in sheets)
    assert store.sheet("drift").sources == ("chatbot",)


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_export_import_export_is_identical(store: ProcessorStore, tmp_path: Path, fmt: str) -> None:
    drift = replace(
        store.sheet("drift"),
        privacy_email="privacy@drift.com",
        country="US",
        transfer_mechanism="dpf",
        procedure="1. E-mail privacy@drift.com\n2. Give the visitor's e-mail",
        notes="=1+1 is not a formula",
        last_reviewed=date(2026, 11, 1),
    )
    store.save(drift, actor="dpo", now=NOW)
    first = tmp_path / f"first.{fmt}"
    store.export(fmt, first)
    preview = store.preview_import(first)
    assert (len(preview.added), len(preview.changed), preview.errors) == (0, 0, [])
    assert len(preview.unchanged) == len(store.sheets())
    store.apply_import(preview, actor="dpo", now=NOW)
    second = tmp_path / f"second.{fmt}"
    store.export(fmt, second)
    assert first.read_bytes() == second.read_bytes()
    if fmt == "csv":
        assert "'=1+1 is not a formula" in first.read_text()  # neutralised for spreadsheets


def test_import_previews_and_rejects_bad_rows_with_line_numbers(store: ProcessorStore, tmp_path: Path) -> None:
    exported = tmp_path / "sheets.csv"
    store.export("csv", exported)
    with exported.open(newline="") as file:
        rows = [row for row in csv.DictReader(file) if row["role"] == "processor"]
    changed, bad = rows[0] | {"role": "joint-controller"}, rows[1] | {"role": "boss"}
    added = dict.fromkeys(rows[0], "") | {
        "key": "acme-crm", "service": "Acme CRM", "legal_entity": "Acme Ltd", "role": "processor",
        "category": "crm", "privacy_email": "privacy@acme.example", "country": "GB", "transfer_mechanism": "sccs",
        "data_categories": "contacts", "identifiers": "email", "sources": "web-forms",
    }  # fmt: skip
    with (tmp_path / "import.csv").open("w", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows([changed, bad, added])
    before = store.sheets()
    preview = store.preview_import(tmp_path / "import.csv")
    assert [s.key for s in preview.added] == ["acme-crm"]
    assert len(preview.changed) == 1 and preview.changed[0].role == "joint-controller"
    starts = next(
        n
        for n, line in enumerate((tmp_path / "import.csv").read_text().splitlines(), 1)
        if line.startswith(f"{bad['key']},")
    )
    assert starts > 3  # the changed row's procedure runs over several lines
    assert preview.errors == [
        f"line {starts}: role: 'boss' is not one of processor, independent-controller, joint-controller"
    ]
    assert store.sheets() == before  # a preview changes nothing
    with pytest.raises(InputError, match="1 rejected row"):
        store.apply_import(preview, actor="dpo", now=NOW)


def test_a_source_change_names_the_open_cases_it_affects(store: ProcessorStore, desk: Desk) -> None:
    outcomes = desk.outcomes
    case_id = outcomes.cases.add(new_case(rights=(Right.ERASURE,)), actor="d", now=NOW)
    outcomes.set_sources(case_id, ["chatbot"], actor="d", now=NOW)
    closed_id = outcomes.cases.add(new_case(rights=(Right.ERASURE,)), actor="d", now=NOW)
    outcomes.set_sources(closed_id, ["chatbot"], actor="d", now=NOW)
    outcomes.cases.change_status(closed_id, Status.WITHDRAWN, actor="d", reason="withdrawn", now=NOW)
    affected = store.save(replace(store.sheet("zoom"), sources=("customers", "chatbot")), actor="dpo", now=NOW)
    assert affected == ["DSR-2026-0001"]
    assert store.save(replace(store.sheet("zoom"), notes="reviewed"), actor="dpo", now=NOW) == []


def test_sources_are_validated_and_name_the_open_cases_they_feed(desk: Desk) -> None:
    register = desk.register
    chatbot = next(s for s in register.sources() if s.key == "chatbot")
    with pytest.raises(InputError, match="retention_years: between 1 and 100"):
        register.save_source(replace(chatbot, retention_years=0), actor="dpo", now=NOW)
    outcomes = desk.outcomes
    case_id = outcomes.cases.add(new_case(rights=(Right.ACCESS,)), actor="d", now=NOW)
    outcomes.set_sources(case_id, ["chatbot"], actor="d", now=NOW)
    assert register.save_source(replace(chatbot, retention="5 years", retention_years=5), actor="dpo", now=NOW) == [
        "DSR-2026-0001"
    ]
    webinars = replace(chatbot, key="webinars", name="Webinar attendees", recipients=())
    assert register.save_source(webinars, actor="dpo", now=NOW) == []
    assert [s.key for s in register.sources()][-1] == "webinars"
