"""Cases on which every letter kind can be written, and every kind written for one office in one language:
the letters the language tests read back, and that a reviewer looks at (DPO_DESK_LETTER_SAMPLES)."""

from __future__ import annotations

import subprocess
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from dpo_desk.application.desk import Desk
from dpo_desk.core.deadlines import Extension, PauseKind
from dpo_desk.core.fees import CostItem, FeeBasis, FeeDecision
from dpo_desk.core.identity import Evidence, IdentityCheck, Method, Outcome
from dpo_desk.core.models import Right
from dpo_desk.core.recipients import NoticeState
from dpo_desk.core.refusal import Refusal, RefusalGround
from dpo_desk.core.settings import FEE_PAYMENT
from dpo_desk.gui.pdf import render
from dpo_desk.letters.kinds import LetterKind
from tests.conftest import fill_sheets, new_case

ALL_RIGHTS = (
    Right.ACCESS,
    Right.RECTIFICATION,
    Right.ERASURE,
    Right.RESTRICTION,
    Right.OBJECTION,
    Right.PORTABILITY,
    Right.CONSENT_WITHDRAWAL,
)
PAYMENT = "IBAN NO93 8601 1117 947"
# Letterheads for the offices the seeded register leaves without a usable postal address (made up).
LETTERHEADS = {
    "Altoros Finland Oy": {"street": "Esimerkkikatu 1", "postal_code": "00100", "city": "Helsinki",
                           "address_country": "Finland"},
    "Altoros Poland": {"street": "ul. Przykładowa 1", "postal_code": "00-001", "city": "Warszawa",
                       "address_country": "Poland"},
}  # fmt: skip
# The office that writes in each language, and a subject's address in its country (the authority follows it).
OFFICES = {
    "nb": ("Altoros Norge AS", "Storgata 5\n0155 Oslo\nNorge"),
    "fi": ("Altoros Finland Oy", "Mannerheimintie 10\n00100 Helsinki\nSuomi"),
    "pl": ("Altoros Poland", "ul. Świętokrzyska 30\n00-116 Warszawa\nPolska"),
    "en": ("Altoros Norge AS", "Storgata 5\n0155 Oslo\nNorway"),
}


def read(path: Path, password: str | None = None) -> str:
    command = ["pdftotext", "-layout", *(["-upw", password] if password else []), str(path), "-"]
    text = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return " ".join(unicodedata.normalize("NFKC", text).split())  # ligatures such as "ﬁ" back to letters


def verify_identity(desk: Desk, case_id: int, at: datetime, now: datetime) -> None:
    for evidence, method in ((Evidence.PASSPORT, Method.VIDEO_CALL), (Evidence.ACCOUNT_LOGIN, Method.ACCOUNT_LOGIN)):
        check = IdentityCheck(evidence, method, "dpo", at, Outcome.PASSED)
        desk.workflow.record_check(case_id, check, actor="d", now=now)


def full_case(
    desk: Desk, received: datetime, now: datetime, *, entity: str = "Altoros Norge AS", address: str = ""
) -> int:
    """A case with every step recorded, so that every kind the app can make fits it. Its free texts (what
    the DPO types) are names and figures, so that they read the same in any letter language."""
    cases, workflow, decisions, outcomes = desk.cases, desk.workflow, desk.decisions, desk.outcomes

    def day(offset: int) -> date:
        return (received + timedelta(days=offset)).date()

    place = {"entity": entity} | ({"address": address} if address else {})
    earlier = cases.add(new_case(received=received - timedelta(days=60), **place), actor="dpo", now=now)
    case_id = cases.add(new_case(received=received, rights=ALL_RIGHTS, **place), actor="dpo", now=now)
    verify_identity(desk, case_id, received + timedelta(hours=3), now)
    workflow.extend(case_id, Extension("CRM, ERP, HubSpot (3)", day(2)), actor="dpo", now=now)
    items = (CostItem("CRM, ERP", Decimal("2"), Decimal("1234.5")),)
    fee = FeeDecision(
        FeeBasis.EXCESSIVE,
        cases.get_by_id(earlier).reference,
        (cases.get_by_id(earlier).reference,),
        items,
        "EUR",
        day(3),
        answer_by=now.astimezone().date() + timedelta(days=14),
    )
    decisions.decide_fee(case_id, fee, actor="dpo", now=now)
    desk.save_settings({FEE_PAYMENT: PAYMENT})
    decisions.refuse(case_id, Refusal(True, (RefusalGround.ART_15_4,), "HubSpot, ERP", day(4)), actor="dpo", now=now)
    done = day(5).isoformat()
    for kind, details in {
        "rectification": {"corrected": "CRM", "done_on": done},
        "erasure": {"ground": "17(1)(a)", "exception": "", "systems": ["CRM"], "backups_beyond_use": True,
                    "done_on": done},
        "restriction": {"applied_on": done, "lifting_notice_on": day(6).isoformat()},
        "objection": {"direct_marketing": True, "done_on": done},
        "consent-withdrawal": {"consents": ["HubSpot"], "done_on": done},
        "portability": {"conditions_met": True, "done_on": done},
        "child-deletion": {"age_basis": "13 (NO), 2014-02-01", "systems": ["CRM"], "done_on": done},
    }.items():  # fmt: skip
        outcomes.record_outcome(case_id, kind, details, actor="dpo", now=now)
    outcomes.set_sources(case_id, ["chatbot", "web-forms"], actor="dpo", now=now)
    fill_sheets(desk)
    outcomes.notify(case_id, ("drift",), NoticeState.NOTIFIED, on=day(6), channel="e-mail", actor="d", now=now)
    return case_id


def pending_case(desk: Desk, received: datetime, now: datetime, pause: PauseKind, reason: str, **place: str) -> int:
    case_id = desk.cases.add(new_case(received=received, **place), actor="dpo", now=now)
    desk.workflow.pause(case_id, pause, (received + timedelta(days=1)).date(), reason, actor="dpo", now=now)
    return case_id


def import_data(desk: Desk, case_id: int, folder: Path, email: str, rows: int = 2, encoding: str = "utf-8") -> None:
    """A CRM export with ``rows`` rows of the subject (and one of someone else), and a mailbox with one mail.
    ``encoding``: the CSV's ("Øst AS" in cp1252 reads as cp1250 "Řst AS" at a Polish office: a real tie)."""
    crm = folder / "crm.csv"
    lines = ["Email;Company;Stage;Notes"] + [
        f"{email};Øst AS;lead {n};A note that runs long enough to wrap, number {n}" for n in range(rows)
    ]
    crm.write_text("\n".join([*lines, "per@example.no;Other;lead;OTHERPERSON"]) + "\n", encoding=encoding)
    desk.data.take(case_id, desk.data.preview(case_id, crm), desk.data.source("web-forms"), accept_matched=True)
    box = folder / "mail.mbox"
    box.write_text(
        f"From MAILER-DAEMON Mon Nov  2 10:00:00 2026\nFrom: Kari Nordmann <{email}>\n"
        "To: sales@altoros.no\nSubject: Pricing question\nDate: Mon, 02 Nov 2026 10:00:00 +0100\n\n"
        "Hello, what does the chatbot cost?\n"
    )
    desk.data.take(case_id, desk.data.preview(case_id, box), desk.data.source("chatbot"), accept_matched=True)


@dataclass(frozen=True, slots=True)
class Written:
    kind: LetterKind
    file: Path
    password: str | None

    def text(self) -> str:
        return read(self.file, self.password)


def every_letter(desk: Desk, folder: Path, lang: str, *, received: datetime, now: datetime) -> list[Written]:
    """Every kind, in ``lang``, from cases of the office that writes in it: the access response as the
    access copy (its data after it), the portability cover with its bundle, the Art. 19 notice to one
    recipient."""
    entity, address = OFFICES[lang]
    if entity in LETTERHEADS:
        desk.update_entity(entity, LETTERHEADS[entity])
    case_id = full_case(desk, received, now, entity=entity, address=address)
    place = {"entity": entity, "address": address}
    pending = {
        LetterKind.IDENTITY_REQUEST: pending_case(desk, received, now, PauseKind.IDENTITY, "ola@example.com", **place),
        LetterKind.CLARIFICATION_REQUEST: pending_case(desk, received, now, PauseKind.CLARIFICATION, "CRM?", **place),
    }
    fill_sheets(desk, tuple(sheet.key for sheet in desk.processors.sheets()))
    import_data(desk, case_id, folder, "ola@example.com")
    written = []
    for kind in LetterKind:
        target = folder / f"{lang}-{kind.value}.pdf"
        if kind is LetterKind.ACCESS_RESPONSE:
            made = desk.data.export_access(case_id, target, render, lang=lang)
        elif kind is LetterKind.PORTABILITY_COVER:
            made = desk.data.export_cover(case_id, target, render, lang=lang)
        else:
            recipient = "drift" if kind is LetterKind.RECIPIENT_NOTICE else None
            made = desk.letters.generate(
                pending.get(kind, case_id), kind, target, render, actor="dpo", now=now, lang=lang, recipient=recipient
            )
        written.append(Written(kind, made.record.file, made.password))
    return written
