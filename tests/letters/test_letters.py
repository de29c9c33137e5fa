"""Every letter kind, rendered for a case and read back as a real client would (pdftotext, pikepdf)."""

import subprocess
import unicodedata
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pikepdf
import pytest
from sqlite_utils import Database

from dpo_desk.application.desk import Desk
from dpo_desk.core.deadlines import Extension
from dpo_desk.core.errors import RefusedError
from dpo_desk.core.fees import CostItem, FeeBasis, FeeDecision
from dpo_desk.core.identity import Evidence, IdentityCheck, Method, Outcome
from dpo_desk.core.models import Right
from dpo_desk.core.recipients import NoticeState
from dpo_desk.core.refusal import Refusal, RefusalGround
from dpo_desk.core.settings import LETTER_PAPER, PROTECT_ALL_LETTERS
from dpo_desk.gui.pdf import render
from dpo_desk.letters.kinds import LetterKind
from dpo_desk.letters.protect import password_bits
from dpo_desk.store.letters import LetterStore
from tests.conftest import MemoryKeyring, new_case

NOW = datetime.now(UTC).replace(microsecond=0)
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


def day(offset: int) -> date:
    return (RECEIVED + timedelta(days=offset)).date()


@pytest.fixture
def letters(desk: Desk, qapp: object) -> LetterStore:
    return desk.letters


@pytest.fixture
def full_case(letters: LetterStore) -> int:
    """A case with every step recorded, so every kind of letter fits it."""
    cases, workflow, decisions, outcomes = letters.cases, letters.workflow, letters.decisions, letters.outcomes
    earlier = cases.add(new_case(received=RECEIVED - timedelta(days=60)), actor="dpo", now=NOW)
    assert earlier
    case_id = cases.add(new_case(received=RECEIVED, rights=ALL_RIGHTS), actor="dpo", now=NOW)
    at = RECEIVED + timedelta(hours=3)
    for evidence, method in ((Evidence.PASSPORT, Method.VIDEO_CALL), (Evidence.ACCOUNT_LOGIN, Method.ACCOUNT_LOGIN)):
        workflow.record_check(case_id, IdentityCheck(evidence, method, "dpo", at, Outcome.PASSED), actor="d", now=NOW)
    workflow.extend(case_id, Extension("Data in six systems", day(2)), actor="dpo", now=NOW)
    items = (CostItem("Staff time, hours", Decimal("2"), Decimal("45")),)
    fee = FeeDecision(
        FeeBasis.EXCESSIVE,
        "Second request in two months",
        ("DSR-2026-0001",) if RECEIVED.year == 2026 else (cases.get_by_id(earlier).reference,),
        items,
        "EUR",
        day(3),
    )
    decisions.decide_fee(case_id, fee, actor="dpo", now=NOW)
    decisions.refuse(
        case_id,
        Refusal(True, (RefusalGround.ART_15_4,), "Includes a colleague's messages", day(4)),
        actor="dpo",
        now=NOW,
    )
    done = day(5).isoformat()
    for kind, details in {
        "rectification": {"corrected": "Job title", "done_on": done},
        "erasure": {
            "ground": "17(1)(a)",
            "exception": "",
            "systems": ["CRM"],
            "backups_beyond_use": True,
            "done_on": done,
        },
        "restriction": {"applied_on": done, "lifting_notice_on": day(6).isoformat(), "lifted_on": day(7).isoformat()},
        "objection": {"direct_marketing": True, "done_on": done},
        "consent-withdrawal": {"consents": ["Newsletter"], "done_on": done},
    }.items():
        outcomes.record_outcome(case_id, kind, details, actor="dpo", now=NOW)
    outcomes.set_sources(case_id, ["chatbot"], actor="dpo", now=NOW)
    outcomes.notify(case_id, "drift", NoticeState.NOTIFIED, on=day(6), channel="e-mail", actor="d", now=NOW)
    return case_id


def read(path: Path, password: str | None = None) -> str:
    command = ["pdftotext", "-layout", *(["-upw", password] if password else []), str(path), "-"]
    text = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return " ".join(unicodedata.normalize("NFKC", text).split())  # ligatures such as "ﬁ" back to letters


@pytest.mark.parametrize("kind", list(LetterKind))
def test_every_kind_renders_for_a_case(letters: LetterStore, full_case: int, tmp_path: Path, kind: LetterKind) -> None:
    case_id = full_case
    if kind is LetterKind.IDENTITY_REQUEST:  # only while identity is pending
        case_id = letters.cases.add(new_case(received=RECEIVED), actor="dpo", now=NOW)
    assert letters.why_not(case_id, kind) == ""
    made = letters.generate(case_id, kind, tmp_path / "letter.pdf", render, actor="dpo", now=NOW)
    text = read(made.record.file, made.password)
    case = letters.cases.get_by_id(case_id)
    assert case.reference in text and "Altoros Norge AS" in text and "Kongens gate 3" in text
    assert kind.heading in text and "Page 1 of" in text
    assert made.record.protected is kind.discloses_data
    assert made.record.sha256 == __import__("hashlib").sha256(made.record.file.read_bytes()).hexdigest()


def test_refusal_names_the_authority_and_the_courts(letters: LetterStore, full_case: int, tmp_path: Path) -> None:
    made = letters.generate(full_case, LetterKind.REFUSAL, tmp_path / "r.pdf", render, actor="dpo", now=NOW)
    text = read(made.record.file)
    assert "Datatilsynet" in text and "Postboks 458 Sentrum" in text and "0105 Oslo" in text
    assert "judicial remedy before the courts" in text
    assert "Includes a colleague's messages" in text and "Art. 15(4) GDPR" in text


def test_access_response_has_every_article_15_item(letters: LetterStore, full_case: int, tmp_path: Path) -> None:
    made = letters.generate(full_case, LetterKind.ACCESS_RESPONSE, tmp_path / "a.pdf", render, actor="d", now=NOW)
    text = read(made.record.file, made.password)
    for item in (
        "(a) Purposes",
        "(b) Categories of data",
        "(c) Recipients",
        "(d) Storage period",
        "(e) Your rights",
        "(f) Complaint",
        "(g) Source",
        "(h) Automated decisions",
        "Article 15(2)",
        "standard contractual clauses",
    ):
        assert item in text, item
    assert "Drift" in text and "HubSpot" in text  # recipients by name (CJEU C-154/21)


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


def test_the_gate_refuses_data_before_identity_is_settled(letters: LetterStore, tmp_path: Path) -> None:
    case_id = letters.cases.add(new_case(received=RECEIVED), actor="dpo", now=NOW)
    assert "identity not verified" in letters.why_not(case_id, LetterKind.ACCESS_RESPONSE)
    with pytest.raises(RefusedError, match="access-response: identity not verified"):
        letters.generate(case_id, LetterKind.ACCESS_RESPONSE, tmp_path / "a.pdf", render, actor="d", now=NOW)
    assert not (tmp_path / "a.pdf").exists() and letters.letters(case_id) == []
    assert letters.why_not(case_id, LetterKind.ACKNOWLEDGEMENT) == ""
    assert letters.why_not(case_id, LetterKind.FEE_NOTICE) == "record the fee decision first"


def test_the_us_entity_writes_on_us_letter(letters: LetterStore, tmp_path: Path) -> None:
    case_id = letters.cases.add(new_case(received=RECEIVED, entity="Altoros Americas LLC"), actor="d", now=NOW)
    made = letters.generate(case_id, LetterKind.ACKNOWLEDGEMENT, tmp_path / "a.pdf", render, actor="d", now=NOW)
    with pikepdf.open(made.record.file) as pdf:
        box = [float(v) for v in pdf.pages[0].mediabox]
    assert (round(box[2]), round(box[3])) == (612, 792)


def test_a_template_naming_an_unknown_field_fails(letters: LetterStore, full_case: int) -> None:
    from jinja2 import UndefinedError

    from dpo_desk.letters.compose import compose

    context = letters.context(full_case, LetterKind.ACKNOWLEDGEMENT, today=NOW.date())
    del context["case"]["due"]
    with pytest.raises(UndefinedError):
        compose(LetterKind.ACKNOWLEDGEMENT, context)


def test_paper_and_protection_are_settings(letters: LetterStore, full_case: int, tmp_path: Path, desk: Desk) -> None:
    desk.save_settings({PROTECT_ALL_LETTERS: True, LETTER_PAPER: "Letter"})
    made = letters.generate(full_case, LetterKind.ACKNOWLEDGEMENT, tmp_path / "a.pdf", render, actor="d", now=NOW)
    assert made.password is not None and made.record.protected
    with pikepdf.open(made.record.file, password=made.password) as pdf:
        assert [round(float(v)) for v in pdf.pages[0].mediabox][2:] == [612, 792]
