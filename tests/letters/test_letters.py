"""Every letter kind, generated from cases whose records differ and read back as a client reads a letter
(pdftotext): what must be there, and what must not be claimed when the record does not say it."""

import dataclasses
import hashlib
import itertools
import json
import re
import subprocess
import unicodedata
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pikepdf
import pytest
from sqlite_utils import Database

from dpo_desk.application.desk import Desk
from dpo_desk.core.deadlines import Extension, PauseKind
from dpo_desk.core.errors import InputError, RefusedError
from dpo_desk.core.fees import CostItem, FeeBasis, FeeDecision
from dpo_desk.core.identity import Evidence, IdentityCheck, Method, Outcome
from dpo_desk.core.models import Right
from dpo_desk.core.recipients import NoticeState
from dpo_desk.core.refusal import Refusal, RefusalGround
from dpo_desk.core.settings import CONSENT_AGE_NO, FEE_PAYMENT, LETTER_PAPER, PROTECT_ALL_LETTERS
from dpo_desk.gui.pdf import render
from dpo_desk.letters.kinds import LetterKind
from dpo_desk.letters.protect import password_bits
from dpo_desk.store.letters import LetterStore, PastDateError
from dpo_desk.store.verify import verify as verify_store
from tests.conftest import MemoryKeyring, fill_sheets, new_case

NOW = datetime.now(UTC).replace(microsecond=0)
TODAY = NOW.astimezone().date()
RECEIVED = NOW - timedelta(days=10)
ALL_RIGHTS = (
    Right.ACCESS,
    Right.RECTIFICATION,
    Right.ERASURE,
    Right.RESTRICTION,
    Right.OBJECTION,
    Right.PORTABILITY,
    Right.CONSENT_WITHDRAWAL,
)
PAYMENT = "bank transfer to IBAN NO93 8601 1117 947, quoting the reference"


def day(offset: int) -> date:
    return (RECEIVED + timedelta(days=offset)).date()


def read(path: Path, password: str | None = None) -> str:
    command = ["pdftotext", "-layout", *(["-upw", password] if password else []), str(path), "-"]
    text = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return " ".join(unicodedata.normalize("NFKC", text).split())  # ligatures such as "ﬁ" back to letters


@pytest.fixture(autouse=True)
def _qt_renders(qapp: object) -> None:
    """Qt lays the letters out: every test here needs its application object."""


@pytest.fixture
def letters(desk: Desk) -> LetterStore:
    return desk.letters


def verify(desk: Desk, case_id: int) -> None:
    at = RECEIVED + timedelta(hours=3)
    for evidence, method in ((Evidence.PASSPORT, Method.VIDEO_CALL), (Evidence.ACCOUNT_LOGIN, Method.ACCOUNT_LOGIN)):
        check = IdentityCheck(evidence, method, "dpo", at, Outcome.PASSED)
        desk.workflow.record_check(case_id, check, actor="d", now=NOW)


LETTER_NUMBERS = itertools.count(1)


def generate(desk: Desk, case_id: int, kind: LetterKind, tmp_path: Path, **options: object) -> str:
    made = desk.letters.generate(
        case_id,
        kind,
        tmp_path / f"{kind.value}-{next(LETTER_NUMBERS)}.pdf",  # a letter never replaces a file
        render,
        actor="dpo",
        now=NOW,
        **options,  # type: ignore[arg-type]
    )
    return read(made.record.file, made.password)


@pytest.fixture
def full_case(desk: Desk, letters: LetterStore) -> int:
    """A case with every step recorded, so that every kind the app can make fits it."""
    cases, workflow, decisions, outcomes = desk.cases, desk.workflow, desk.decisions, desk.outcomes
    earlier = cases.add(new_case(received=RECEIVED - timedelta(days=60)), actor="dpo", now=NOW)
    case_id = cases.add(new_case(received=RECEIVED, rights=ALL_RIGHTS), actor="dpo", now=NOW)
    verify(desk, case_id)
    workflow.extend(case_id, Extension("Data in six systems", day(2)), actor="dpo", now=NOW)
    items = (CostItem("Staff time, hours", Decimal("2"), Decimal("45")),)
    fee = FeeDecision(
        FeeBasis.EXCESSIVE,
        "Second request in two months",
        (cases.get_by_id(earlier).reference,),
        items,
        "EUR",
        day(3),
        answer_by=TODAY + timedelta(days=14),
    )
    decisions.decide_fee(case_id, fee, actor="dpo", now=NOW)
    desk.save_settings({FEE_PAYMENT: PAYMENT})
    decisions.refuse(
        case_id,
        Refusal(True, (RefusalGround.ART_15_4,), "Includes a colleague's messages", day(4)),
        actor="dpo",
        now=NOW,
    )
    done = day(5).isoformat()
    for kind, details in {
        "rectification": {"corrected": "Job title", "done_on": done},
        "erasure": {"ground": "17(1)(a)", "exception": "", "systems": ["CRM"], "backups_beyond_use": True,
                    "done_on": done},
        "restriction": {"applied_on": done, "lifting_notice_on": day(6).isoformat()},
        "objection": {"direct_marketing": True, "done_on": done},
        "consent-withdrawal": {"consents": ["Newsletter"], "done_on": done},
        "portability": {"conditions_met": True, "done_on": done},
        "child-deletion": {"age_basis": "under 13, the age of digital consent in Norway; born 2014-02-01",
                           "systems": ["CRM"], "done_on": done},
    }.items():  # fmt: skip
        outcomes.record_outcome(case_id, kind, details, actor="dpo", now=NOW)
    outcomes.set_sources(case_id, ["chatbot"], actor="dpo", now=NOW)
    fill_sheets(desk)
    outcomes.notify(case_id, ("drift",), NoticeState.NOTIFIED, on=day(6), channel="e-mail", actor="d", now=NOW)
    return case_id


def pending_case(desk: Desk, pause: PauseKind, reason: str) -> int:
    case_id = desk.cases.add(new_case(received=RECEIVED), actor="dpo", now=NOW)
    desk.workflow.pause(case_id, pause, day(1), reason, actor="dpo", now=NOW)
    return case_id


UNAVAILABLE_BY_DESIGN = {LetterKind.PORTABILITY_COVER: "no portable data of the subject has been imported and accepted"}


@pytest.mark.parametrize("kind", list(LetterKind))
def test_every_kind_renders_from_its_record(desk: Desk, full_case: int, tmp_path: Path, kind: LetterKind) -> None:
    case_id = full_case
    if kind is LetterKind.IDENTITY_REQUEST:
        case_id = pending_case(desk, PauseKind.IDENTITY, "Written from an address not on file")
    if kind is LetterKind.CLARIFICATION_REQUEST:
        case_id = pending_case(desk, PauseKind.CLARIFICATION, "Which services does the request concern?")
    reason = desk.letters.why_not(case_id, kind)
    if kind in UNAVAILABLE_BY_DESIGN:
        assert UNAVAILABLE_BY_DESIGN[kind] in reason
        return
    assert reason == ""
    options = {"recipient": "drift"} if kind is LetterKind.RECIPIENT_NOTICE else {}
    made = desk.letters.generate(case_id, kind, tmp_path / "letter.pdf", render, actor="dpo", now=NOW, **options)
    text = read(made.record.file, made.password)
    case = desk.cases.get_by_id(case_id)
    assert case.reference in text and "Altoros Norge AS" in text and "Kongens gate 3" in text
    assert kind.heading in text and "Page 1 of" in text
    assert made.record.protected is kind.discloses_data
    assert made.record.sha256 == hashlib.sha256(made.record.file.read_bytes()).hexdigest()
    assert made.record.dated_on == TODAY
    # No drafting notes, no placeholders: '§' only in citations of law, which these letters do not make.
    assert "§" not in text and "(no address" not in text and "enclosed" not in text.lower()


def test_a_letter_row_deleted_behind_the_apps_back_shows_in_verify(desk: Desk, db: Database, tmp_path: Path) -> None:
    """Generating and printing a letter seal its case; a letter row deleted with the key breaks the seal."""
    case_id = desk.cases.add(new_case(received=RECEIVED), actor="dpo", now=NOW)
    made = desk.letters.generate(
        case_id, LetterKind.ACKNOWLEDGEMENT, tmp_path / "ack.pdf", render, actor="dpo", now=NOW
    )
    desk.letters.mark_printed(made.record.id, actor="dpo", now=NOW)
    assert verify_store(db).cases == []
    db.execute("DELETE FROM letters WHERE id = ?", (made.record.id,))
    reference = desk.cases.get_by_id(case_id).reference
    assert [problem.split(" after ")[0] for problem in verify_store(db).cases] == [
        f"case {reference} was changed outside DPO Desk"
    ]


def test_a_childs_deletion_is_confirmed_with_the_age_that_applied(desk: Desk, tmp_path: Path) -> None:
    # The day of receipt in Oslo, where the case is: between 22:00 and 24:00 UTC it is already the next day.
    received_day = RECEIVED.astimezone(ZoneInfo("Europe/Oslo")).date()
    fourteen = received_day.replace(year=received_day.year - 14) + timedelta(days=1)
    case_id = desk.cases.add(
        new_case(received=RECEIVED, rights=(Right.ERASURE,), birth_date=fourteen),
        actor="dpo",
        now=NOW,
    )
    assert desk.state(case_id).child is None  # 13 or older: not a child in Norway, until the age is raised
    desk.save_settings({CONSENT_AGE_NO: 14})
    assert "record the child-deletion outcome first" in desk.letters.why_not(case_id, LetterKind.CHILD_DELETION_DONE)
    child = desk.state(case_id).child
    assert child is not None
    details = {"age_basis": child.describe(), "systems": ["CRM", "Newsletter"], "done_on": day(1).isoformat()}
    desk.outcomes.record_outcome(case_id, "child-deletion", details, actor="dpo", now=NOW)
    made = desk.letters.generate(
        case_id, LetterKind.CHILD_DELETION_DONE, tmp_path / "c.pdf", render, actor="d", now=NOW
    )
    text = " ".join(read(made.record.file, made.password).split())
    assert "from: CRM, Newsletter" in text
    assert "under 14, the age of digital consent in Norway; born" in text
    assert "13 when the request arrived" in text


@pytest.mark.parametrize(
    ("emails", "phones", "address", "trace"),
    [
        (("stop@example.com",), ("+48 601 234 567",), "", "a coded trace of your e-mail address and phone number"),
        ((), ("+48 601 234 567",), "", "a coded trace of your phone number"),
        ((), (), "ul. Prosta 1\n00-001 Warszawa", None),  # nothing was put on the list: no trace is claimed
    ],
)
def test_an_objection_letter_claims_only_the_trace_kept(
    desk: Desk, tmp_path: Path, emails: tuple[str, ...], phones: tuple[str, ...], address: str, trace: str | None
) -> None:
    case_id = desk.cases.add(
        new_case(received=RECEIVED, rights=(Right.OBJECTION,), emails=emails, phones=phones, address=address),
        actor="dpo",
        now=NOW,
    )  # fmt: skip
    details = {"direct_marketing": True, "done_on": day(1).isoformat()}
    desk.outcomes.record_outcome(case_id, "objection", details, actor="dpo", now=NOW)
    made = desk.letters.generate(case_id, LetterKind.OBJECTION_DONE, tmp_path / "o.pdf", render, actor="d", now=NOW)
    text = " ".join(read(made.record.file, made.password).split())
    assert "we no longer use your data for that purpose" in text
    assert (trace in text) if trace else ("coded trace" not in text)


def test_a_refused_case_has_no_art_19_notice_and_a_notice_says_what_was_done(
    desk: Desk, tmp_path: Path, letters: LetterStore
) -> None:
    rights = (Right.RECTIFICATION, Right.ERASURE, Right.RESTRICTION)
    case_id = desk.cases.add(new_case(received=RECEIVED, rights=rights), actor="dpo", now=NOW)
    desk.outcomes.set_sources(case_id, ["chatbot"], actor="dpo", now=NOW)
    fill_sheets(desk)
    desk.decisions.refuse(
        case_id, Refusal(False, (RefusalGround.ART_12_5,), "Third request", day(1)), actor="d", now=NOW
    )
    assert "record the rectification, erasure or restriction" in letters.why_not(case_id, LetterKind.RECIPIENT_NOTICE)
    with pytest.raises(RefusedError):
        letters.generate(
            case_id, LetterKind.RECIPIENT_NOTICE, tmp_path / "n.pdf", render, actor="d", now=NOW, recipient="drift"
        )
    desk.outcomes.record_outcome(
        case_id, "rectification", {"corrected": "Job title", "done_on": day(2).isoformat()}, actor="d", now=NOW
    )
    text = generate(desk, case_id, LetterKind.RECIPIENT_NOTICE, tmp_path, recipient="hubspot")
    assert "we corrected: Job title" in text and "HubSpot" in text and "privacy@hubspot.example" not in text
    assert "1 Example Street" in text and "ola@example.com" in text
    assert "erase" not in text and "restricted" not in text  # only what was done
    assert "Page 1 of 1" in text


def test_a_recipient_notice_to_a_seeded_processor_bears_its_published_address(desk: Desk, tmp_path: Path) -> None:
    sheets = [sheet for sheet in desk.processors.sheets() if sheet.sources]
    by_post = next(s for s in sheets if "postal_address" in s.sources_cited)
    by_email = next(s for s in sheets if "privacy_email" in s.sources_cited and not s.postal_address)
    for sheet in (by_post, by_email):
        case_id = desk.cases.add(new_case(received=RECEIVED, rights=(Right.RECTIFICATION,)), actor="dpo", now=NOW)
        desk.outcomes.set_sources(case_id, [sheet.sources[0]], actor="dpo", now=NOW)
        desk.outcomes.record_outcome(
            case_id, "rectification", {"corrected": "Job title", "done_on": day(2).isoformat()}, actor="d", now=NOW
        )
        text = generate(desk, case_id, LetterKind.RECIPIENT_NOTICE, tmp_path, recipient=sheet.key)
        expected = sheet.postal_address.splitlines() if sheet.postal_address else [sheet.privacy_email]
        assert all(line in text for line in expected), (sheet.key, text)
        assert f"{sheet.legal_entity or sheet.service}, privacy team" in text


def test_confirmations_name_who_was_told_and_who_was_not(desk: Desk, tmp_path: Path) -> None:
    case_id = desk.cases.add(new_case(received=RECEIVED, rights=(Right.RECTIFICATION,)), actor="dpo", now=NOW)
    desk.outcomes.record_outcome(
        case_id, "rectification", {"corrected": "Address", "done_on": day(2).isoformat()}, actor="d", now=NOW
    )
    text = generate(desk, case_id, LetterKind.RECTIFICATION_DONE, tmp_path)
    assert "We corrected your data" in text and "Article 19" not in text and "told" not in text  # no recipients known
    desk.outcomes.set_sources(case_id, ["chatbot"], actor="dpo", now=NOW)
    desk.outcomes.notify(case_id, ("drift",), NoticeState.NOTIFIED, on=day(3), channel="e-mail", actor="d", now=NOW)
    desk.outcomes.notify(case_id, ("amazon",), NoticeState.NOT_NOTIFIED, on=None, reason="Logs only, kept 7 days",
                         actor="d", now=NOW)  # fmt: skip
    text = generate(desk, case_id, LetterKind.RECTIFICATION_DONE, tmp_path)
    assert f"We told these recipients of your data about the correction: Drift (on {day(3):%-d %b %Y})" in text
    assert "We have still to tell: Altoros group" in text or "We have still to tell:" in text
    assert "HubSpot" in text.split("We have still to tell:")[1]
    assert "We do not tell Amazon Web Services, because Logs only, kept 7 days" in text or "because Logs only" in text


def test_access_response_claims_only_recorded_sources_and_no_enclosure(desk: Desk, tmp_path: Path) -> None:
    case_id = desk.cases.add(new_case(received=RECEIVED), actor="dpo", now=NOW)
    verify(desk, case_id)
    assert "say which sources" in desk.letters.why_not(case_id, LetterKind.ACCESS_RESPONSE)
    desk.outcomes.set_sources(case_id, ["chatbot"], actor="dpo", now=NOW)
    assert "gives no Country" in desk.letters.why_not(case_id, LetterKind.ACCESS_RESPONSE)
    fill_sheets(desk, ("drift", "hubspot"), "US", "dpf")
    fill_sheets(desk, ("google-cloud", "amazon", "altoros-group"), "IE", "none")
    text = generate(desk, case_id, LetterKind.ACCESS_RESPONSE, tmp_path)
    for item in ("(a) Purposes", "(b) Categories of data", "(c) Recipients", "(d) Storage period", "(e) Your rights",
                 "(f) Complaint", "(g) Source", "(h) Automated decisions", "Article 15(2)"):  # fmt: skip
        assert item in text, (item, text[text.find("(g) Source") :])
    assert "Chatbot" in text and "Customers" not in text and "Web forms" not in text
    assert "Drift (United States)" in text and "Data Privacy Framework" in text
    assert "standard contractual clauses" not in text  # no recipient relies on them
    assert "enclosed" not in text.lower() and "we provide it separately" in text
    assert "§" not in text


def test_portability_cover_needs_identity_conditions_and_a_bundle(desk: Desk) -> None:
    case_id = desk.cases.add(new_case(received=RECEIVED, rights=(Right.PORTABILITY,)), actor="dpo", now=NOW)
    assert "identity not verified" in desk.letters.why_not(case_id, LetterKind.PORTABILITY_COVER)
    verify(desk, case_id)
    details = {"conditions_met": False, "done_on": day(1).isoformat()}
    desk.outcomes.record_outcome(case_id, "portability", details, actor="d", now=NOW)
    assert "recorded as not met" in desk.letters.why_not(case_id, LetterKind.PORTABILITY_COVER)


def test_an_erasure_kept_under_an_exception_is_a_partial_refusal(desk: Desk, tmp_path: Path) -> None:
    case_id = desk.cases.add(new_case(received=RECEIVED, rights=(Right.ERASURE,)), actor="dpo", now=NOW)
    details = {"ground": "17(1)(a)", "exception": "17(3)(e)", "systems": ["CRM"], "backups_beyond_use": False,
               "done_on": day(2).isoformat()}  # fmt: skip
    with pytest.raises(InputError, match="kept:"):
        desk.outcomes.record_outcome(case_id, "erasure", details, actor="d", now=NOW)
    details["kept"] = "The invoices of 2025, needed for our defence in the dispute you started"
    desk.outcomes.record_outcome(case_id, "erasure", details, actor="d", now=NOW)
    text = generate(desk, case_id, LetterKind.ERASURE_DONE, tmp_path)
    assert "permits us to keep" in text and "requires" not in text
    assert "The invoices of 2025" in text and "we refuse this part of your request" in text
    assert "Datatilsynet" in text and "Postboks 458 Sentrum" in text and "Article 79" in text


def test_the_authority_follows_the_subjects_country_then_the_entity(desk: Desk, tmp_path: Path) -> None:
    for name in ("Altoros Americas LLC", "Altoros A.S."):
        desk.update_entity(name, {"street": "1 Test Street", "postal_code": "10001", "city": "Testville"})
    refusal = Refusal(False, (RefusalGround.ART_12_5,), "Third request this month", day(1))

    def refusal_text(entity: str, address: str) -> str:
        case = dataclasses.replace(new_case(received=RECEIVED, entity=entity))
        case = dataclasses.replace(case, subject=dataclasses.replace(case.subject, address=address))
        case_id = desk.cases.add(case, actor="dpo", now=NOW)
        desk.decisions.refuse(case_id, refusal, actor="d", now=NOW)
        return generate(desk, case_id, LetterKind.REFUSAL, tmp_path)

    swedish = refusal_text("Altoros Americas LLC", "Storgatan 1\n111 22 Stockholm\nSverige")
    assert "Integritetsskyddsmyndigheten" in swedish or "Swedish" in swedish
    assert "Datatilsynet" not in swedish and "where you live is" in swedish
    us_unknown = refusal_text("Altoros Americas LLC", "")
    assert "Datatilsynet" in us_unknown and "representative in the EEA is established in Norway" in us_unknown
    assert "courts of the EEA country where you live" in us_unknown
    argentina = refusal_text("Altoros A.S.", "")
    assert "Datatilsynet" not in argentina and "representative" not in argentina
    assert "edpb.europa.eu" in argentina
    norwegian = refusal_text("Altoros Norge AS", "")
    assert "competent for Altoros Norge AS" in norwegian and "courts of Norway" in norwegian


def test_letterheads_without_a_street_or_marked_for_replacement_do_not_print(desk: Desk, tmp_path: Path) -> None:
    poland = desk.cases.add(new_case(received=RECEIVED, entity="Altoros Poland"), actor="dpo", now=NOW)
    assert "marks its postal address (Minsk, Belarus) as to be replaced" in desk.letters.why_not(
        poland, LetterKind.ACKNOWLEDGEMENT
    )
    finland = desk.cases.add(new_case(received=RECEIVED, entity="Altoros Finland Oy"), actor="dpo", now=NOW)
    assert "Street address is missing" in desk.letters.why_not(finland, LetterKind.ACKNOWLEDGEMENT)
    with pytest.raises(RefusedError, match="Street address is missing"):
        generate(desk, finland, LetterKind.ACKNOWLEDGEMENT, tmp_path)
    desk.update_entity("Altoros Poland", {"street": "ul. Testowa 1", "postal_code": "00-001", "city": "Warszawa",
                                          "address_country": "Poland"})  # fmt: skip
    text = generate(desk, poland, LetterKind.ACKNOWLEDGEMENT, tmp_path)
    assert "ul. Testowa 1" in text and "Minsk" not in text
    assert "Prezes" not in text  # an acknowledgement has no complaint block


def test_a_letter_never_promises_a_date_that_has_passed(desk: Desk, tmp_path: Path) -> None:
    old = NOW - timedelta(days=60)
    case_id = desk.cases.add(new_case(received=old), actor="dpo", now=NOW)
    due = desk.cases.get_by_id(case_id).deadlines.extension_notice_due
    with pytest.raises(PastDateError, match=r"promises a reply by .* which has passed"):
        generate(desk, case_id, LetterKind.ACKNOWLEDGEMENT, tmp_path)
    with pytest.raises(InputError, match="between the receipt"):
        generate(desk, case_id, LetterKind.ACKNOWLEDGEMENT, tmp_path, dated=old.date() - timedelta(days=1))
    sent = old.date() + timedelta(days=1)
    text = generate(desk, case_id, LetterKind.ACKNOWLEDGEMENT, tmp_path, dated=sent)
    assert f"Date: {sent:%-d %b %Y}" in text and f"{due:%-d %b %Y}" in text
    record = desk.letters.letters(case_id)[-1]
    assert record.dated_on == sent and record.created_at == NOW


def test_an_acknowledgement_after_an_extension_states_the_first_due_date(desk: Desk, tmp_path: Path) -> None:
    case_id = desk.cases.add(new_case(received=RECEIVED), actor="dpo", now=NOW)
    desk.workflow.extend(case_id, Extension("Data in six systems", day(2)), actor="dpo", now=NOW)
    case = desk.cases.get_by_id(case_id)
    text = generate(desk, case_id, LetterKind.ACKNOWLEDGEMENT, tmp_path)
    first, extended = (f"{d:%-d %b %Y}" for d in (case.deadlines.extension_notice_due, case.deadlines.due))
    assert f"by {case.deadlines.extension_notice_due:%a} {first} at the latest" in text and extended not in text
    assert "Your right to object (Article 21 GDPR)" in text and "trusted forms of identification" in text
    notice = generate(desk, case_id, LetterKind.EXTENSION_NOTICE, tmp_path)
    assert f"answer by {case.deadlines.extension_notice_due:%a} {first}" in notice
    assert f"by {case.deadlines.due:%a} {extended} at the latest" in notice and "Data in six systems" in notice


def test_the_fee_notice_does_not_hold_up_the_request_and_says_how_to_pay(
    desk: Desk, full_case: int, tmp_path: Path
) -> None:
    text = generate(desk, full_case, LetterKind.FEE_NOTICE, tmp_path)
    assert "will not act" not in text and PAYMENT in text
    assert f"by {TODAY + timedelta(days=14):%a %-d %b %Y}" in text
    assert "does not stop while we wait for your answer" in text and "Datatilsynet" in text


def test_the_identity_request_prints_the_recorded_doubt(desk: Desk, tmp_path: Path) -> None:
    case_id = desk.cases.add(new_case(received=RECEIVED), actor="dpo", now=NOW)
    assert "record the concrete doubt" in desk.letters.why_not(case_id, LetterKind.IDENTITY_REQUEST)
    desk.workflow.pause(case_id, PauseKind.IDENTITY, day(1), "Written from an address not on file", actor="d", now=NOW)
    text = generate(desk, case_id, LetterKind.IDENTITY_REQUEST, tmp_path)
    assert "because: Written from an address not on file" in text


def test_a_recipient_notice_names_its_recipient_or_the_missing_field(
    desk: Desk, full_case: int, tmp_path: Path
) -> None:
    with pytest.raises(InputError, match="give its key"):
        generate(desk, full_case, LetterKind.RECIPIENT_NOTICE, tmp_path)
    sheet = desk.processors.sheet("amazon")
    desk.save_processor(dataclasses.replace(sheet, postal_address="", privacy_email=""))
    assert "no Postal address and no Privacy / DPO e-mail" in desk.letters.notice_recipients(full_case)["amazon"]
    text = generate(desk, full_case, LetterKind.RECIPIENT_NOTICE, tmp_path, recipient="drift")
    assert text.count("Notification under Article 19 GDPR") == 1 and "Page 1 of 1" in text
    assert "Drift" in text and "HubSpot" not in text


def test_no_letter_names_a_drafting_note_of_the_register(desk: Desk) -> None:
    customers = next(s for s in desk.register.sources() if s.key == "customers")
    assert "§" not in customers.retention and "another copy" not in customers.retention


def test_protected_letters_are_aes_256_and_closed_without_the_password(
    letters: LetterStore, full_case: int, tmp_path: Path, memory_keyring: MemoryKeyring, db: Database
) -> None:
    made = letters.generate(full_case, LetterKind.RECIPIENTS_LIST, tmp_path / "l.pdf", render, actor="d", now=NOW)
    assert made.password and made.in_keyring and password_bits() >= 80
    with pytest.raises(pikepdf.PasswordError):
        pikepdf.open(made.record.file)
    with pikepdf.open(made.record.file, password=made.password) as pdf:
        assert pdf.encryption.R == 6 and pdf.encryption.V == 5
        assert str(pdf.docinfo["/Author"]) == "Altoros Norge AS"
    assert letters.password(made.record.id) == made.password  # shown again from the keyring
    # Canary: the password is nowhere but the keyring.
    db.conn.execute("PRAGMA wal_checkpoint(FULL)")
    for path in tmp_path.parent.rglob("*"):
        if path.is_file():
            assert made.password.encode() not in path.read_bytes(), path
    assert made.password not in read(made.record.file, made.password)


def test_without_a_keyring_the_password_is_returned_to_show(
    letters: LetterStore, full_case: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from keyring.errors import NoKeyringError

    def fail(*args: object) -> None:
        raise NoKeyringError("no backend")

    monkeypatch.setattr("keyring.set_password", fail)
    made = letters.generate(full_case, LetterKind.RECIPIENTS_LIST, tmp_path / "l.pdf", render, actor="d", now=NOW)
    assert made.password and not made.in_keyring


def test_the_gate_refuses_data_before_identity_is_settled(desk: Desk, letters: LetterStore, tmp_path: Path) -> None:
    case_id = letters.cases.add(new_case(received=RECEIVED), actor="dpo", now=NOW)
    desk.outcomes.set_sources(case_id, ["chatbot"], actor="dpo", now=NOW)
    fill_sheets(desk)
    assert "identity not verified" in letters.why_not(case_id, LetterKind.ACCESS_RESPONSE)
    with pytest.raises(RefusedError, match="Access response: identity not verified"):
        letters.generate(case_id, LetterKind.ACCESS_RESPONSE, tmp_path / "a.pdf", render, actor="d", now=NOW)
    assert not (tmp_path / "a.pdf").exists() and letters.letters(case_id) == []
    assert letters.why_not(case_id, LetterKind.ACKNOWLEDGEMENT) == ""
    assert letters.why_not(case_id, LetterKind.FEE_NOTICE) == "record the fee decision first"


def test_the_us_entity_writes_on_us_letter(desk: Desk, letters: LetterStore, tmp_path: Path) -> None:
    desk.update_entity("Altoros Americas LLC", {"street": "1 Test Street", "postal_code": "10001", "city": "New York"})
    case_id = letters.cases.add(new_case(received=RECEIVED, entity="Altoros Americas LLC"), actor="d", now=NOW)
    made = letters.generate(case_id, LetterKind.ACKNOWLEDGEMENT, tmp_path / "a.pdf", render, actor="d", now=NOW)
    with pikepdf.open(made.record.file) as pdf:
        box = [float(v) for v in pdf.pages[0].mediabox]
    assert (round(box[2]), round(box[3])) == (612, 792)


def test_a_template_naming_an_unknown_field_fails(letters: LetterStore, full_case: int) -> None:
    from jinja2 import UndefinedError

    from dpo_desk.letters.compose import compose

    context = letters.context(full_case, LetterKind.ACKNOWLEDGEMENT, dated=TODAY)
    del context["case"]["due_unextended"]
    with pytest.raises(UndefinedError):
        compose(LetterKind.ACKNOWLEDGEMENT, context, "en")


def test_paper_and_protection_are_settings(letters: LetterStore, full_case: int, tmp_path: Path, desk: Desk) -> None:
    desk.save_settings({PROTECT_ALL_LETTERS: True, LETTER_PAPER: "Letter"})
    made = letters.generate(full_case, LetterKind.ACKNOWLEDGEMENT, tmp_path / "a.pdf", render, actor="d", now=NOW)
    assert made.password is not None and made.record.protected
    with pikepdf.open(made.record.file, password=made.password) as pdf:
        assert [round(float(v)) for v in pdf.pages[0].mediabox][2:] == [612, 792]


def test_no_sentence_of_any_letter_names_an_unrecorded_source(desk: Desk, full_case: int, tmp_path: Path) -> None:
    names = {s.name for s in desk.register.sources()} - {"Chatbot"}
    text = generate(desk, full_case, LetterKind.ACCESS_RESPONSE, tmp_path)
    assert not [name for name in names if re.search(rf"\b{re.escape(name)}\b", text)]


def test_a_letter_in_the_audit_names_its_kind_and_id(desk: Desk, db: Database, tmp_path: Path) -> None:
    case_id = desk.cases.add(new_case(received=RECEIVED), actor="dpo", now=NOW)
    made = desk.letters.generate(case_id, LetterKind.ACKNOWLEDGEMENT, tmp_path / "a.pdf", render, actor="dpo", now=NOW)
    desk.letters.mark_sent(made.record.id, "post", actor="dpo", now=NOW)
    rows = db.execute("SELECT details FROM audit WHERE action = 'letter' ORDER BY seq").fetchall()
    assert [json.loads(row[0]) for row in rows] == [
        {"kind": "acknowledgement", "letter": made.record.id},
        {"kind": "acknowledgement", "letter": made.record.id, "sent": True},
    ]
