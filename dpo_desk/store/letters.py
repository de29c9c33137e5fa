"""Letters of a case: which kinds fit its state, what they say, the generated files and their register.

Rendering is injected (the GUI's Qt PDF writer), so this module stays Qt-free. Letters that disclose
personal data pass the disclosure gate first, and are encrypted; their password goes to the OS keyring.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from dpo_desk.core.dates import day_month_year, long_date
from dpo_desk.core.errors import NotFoundError, RefusedError
from dpo_desk.core.identity import IdentityStatus
from dpo_desk.core.models import Case, Right
from dpo_desk.core.recipients import NOTIFIABLE, NoticeState
from dpo_desk.core.settings import LETTER_PAPER, PROTECT_ALL_LETTERS
from dpo_desk.files import partial_path, publish
from dpo_desk.letters import passwords, protect
from dpo_desk.letters.authorities import competent_authority
from dpo_desk.letters.compose import compose
from dpo_desk.letters.kinds import LetterKind
from dpo_desk.store import audit
from dpo_desk.store.cases import CaseRepository, parse_utc, utc_text
from dpo_desk.store.db import write_transaction
from dpo_desk.store.decisions import Decisions
from dpo_desk.store.outcomes import Outcomes
from dpo_desk.store.processors import ProcessorStore
from dpo_desk.store.settings import StoreSettings
from dpo_desk.store.workflow import Workflow

# Renders HTML to a PDF file: (html, target, title, paper) -> pages. The GUI passes its Qt writer.
Renderer = Callable[[str, Path, str, str], int]
LETTERS_DIR = "letters"  # beside the store, one folder per case reference
LETTER_FONT = "DejaVu Sans"  # shipped with the app (dpo_desk/resources/fonts)
TRANSFERS = (
    "Some of our service providers and group offices are outside the EEA. We transfer personal data to them "
    "under the European Commission's standard contractual clauses (Article 46(2)(c) GDPR); Argentina benefits "
    "from an adequacy decision (Article 45). You may ask us for a copy of the safeguards."
)
_DONE_KINDS = {
    LetterKind.RECTIFICATION_DONE: Right.RECTIFICATION,
    LetterKind.ERASURE_DONE: Right.ERASURE,
    LetterKind.RESTRICTION_DONE: Right.RESTRICTION,
    LetterKind.RESTRICTION_LIFTING: Right.RESTRICTION,
    LetterKind.OBJECTION_DONE: Right.OBJECTION,
    LetterKind.CONSENT_WITHDRAWAL_DONE: Right.CONSENT_WITHDRAWAL,
}


@dataclass(frozen=True, slots=True)
class LetterRecord:
    id: int
    kind: LetterKind
    lang: str
    created_by: str
    created_at: datetime
    sha256: str
    protected: bool
    file: Path
    printed_at: datetime | None
    sent_at: datetime | None
    sent_channel: str


@dataclass(frozen=True, slots=True)
class GeneratedLetter:
    record: LetterRecord
    password: str | None  # shown to the DPO once; never stored
    in_keyring: bool


class LetterStore:
    def __init__(
        self,
        db: Database,
        cases: CaseRepository,
        workflow: Workflow,
        decisions: Decisions,
        outcomes: Outcomes,
        processors: ProcessorStore,
        settings: StoreSettings,
        store_path: Path,
    ) -> None:
        self._db = db
        self.cases = cases
        self.workflow = workflow
        self.decisions = decisions
        self.outcomes = outcomes
        self.processors = processors
        self._settings = settings
        self._folder = store_path.parent / LETTERS_DIR

    def store_id(self) -> str:
        """A random id of this store, so keyring entries of two stores never collide."""
        row = self._db.execute("SELECT value FROM settings WHERE key = 'store_id'").fetchone()
        if row is not None:
            return str(row[0])
        store_id = secrets.token_hex(8)
        self._db.execute("INSERT INTO settings (key, value) VALUES ('store_id', ?)", (store_id,))
        return store_id

    # --- which letters fit -------------------------------------------------------------------

    def why_not(self, case_id: int, kind: LetterKind) -> str:
        """'' when the letter fits the case's state, else the reason, in words for a tooltip."""
        case = self.cases.get_by_id(case_id)
        outcomes = self.outcomes.outcomes(case_id)
        if kind is LetterKind.IDENTITY_REQUEST and self.workflow.identity_status(case_id) is not IdentityStatus.PENDING:
            return "identity is already settled"
        if kind is LetterKind.EXTENSION_NOTICE and case.extension is None:
            return "record the extension (Deadline tab) first"
        if kind is LetterKind.FEE_NOTICE and self.decisions.fee(case_id) is None:
            return "record the fee decision first"
        if kind is LetterKind.REFUSAL and self.decisions.refusal(case_id) is None:
            return "record the refusal first"
        if kind in (LetterKind.ACCESS_RESPONSE, LetterKind.PORTABILITY_COVER):
            right = Right.ACCESS if kind is LetterKind.ACCESS_RESPONSE else Right.PORTABILITY
            if right not in case.rights:
                return f"the case does not invoke {right.value}"
        if kind in _DONE_KINDS:
            right = _DONE_KINDS[kind]
            if right.value not in outcomes:
                return f"record the {right.value} outcome first"
            if kind is LetterKind.RESTRICTION_LIFTING and not outcomes[right.value].get("lifting_notice_on"):
                return "record the Art. 18(3) notice date in the restriction outcome first"
        if kind in (LetterKind.RECIPIENT_NOTICE, LetterKind.RECIPIENTS_LIST) and not self._notices(case_id):
            return "the case has no Art. 19 recipients"
        if kind.discloses_data:
            try:
                self.workflow.check_disclosure(case_id)
            except RefusedError as error:
                return str(error)
        return ""

    def available(self, case_id: int) -> dict[LetterKind, str]:
        return {kind: self.why_not(case_id, kind) for kind in LetterKind}

    # --- what a letter says ------------------------------------------------------------------

    def context(self, case_id: int, kind: LetterKind, *, today: date) -> dict[str, Any]:
        """Everything the templates may name; refuses a letter that does not fit the case."""
        reason = self.why_not(case_id, kind)
        if reason:
            raise RefusedError(f"{kind.value}: {reason}")
        case = self.cases.get_by_id(case_id)
        entity = case.entity
        subject = {
            "name": case.subject.name,
            "lines": _lines(case.subject.address) or list(case.subject.emails),
            "emails": list(case.subject.emails),
        }
        outcomes = self.outcomes.outcomes(case_id)
        policy = self.workflow.policy()
        fee = self.decisions.fee(case_id)
        refusal = self.decisions.refusal(case_id)
        authority = competent_authority(entity.country)
        letters = [{"addressee": subject, "recipient": None}]
        if kind is LetterKind.RECIPIENT_NOTICE:
            sheets = {sheet.key: sheet for sheet in self.processors.sheets()}
            letters = [
                {
                    "addressee": {
                        "name": f"{notice.service}, privacy team",
                        "lines": _lines(sheets[notice.processor_key].postal_address)
                        or [sheets[notice.processor_key].privacy_email or "(no address on the processor sheet)"],
                    },
                    "recipient": {
                        "service": notice.service,
                        "identifiers": list(sheets[notice.processor_key].identifiers),
                    },
                }
                for notice in self._notices(case_id)
                if notice.state is not NoticeState.NOT_NOTIFIED
            ]
        return {
            "font": LETTER_FONT,
            "today": day_month_year(today),
            "letters": letters,
            "entity": {
                "name": entity.name,
                "address_lines": entity.address.lines(),
                "org_number": entity.org_number,
                "phone": entity.phone,
                "dpo_name": entity.dpo_name,
                "dpo_email": entity.dpo_email,
            },
            "subject": subject,
            "case": {
                "reference": case.reference,
                "received": long_date(case.received_date),
                "due": long_date(case.deadlines.due),
                "due_unextended": long_date(case.deadlines.extension_notice_due),
                "rights": [right.label.lower() for right in case.rights],
                "notifiable": [r.value for r in case.rights if r in NOTIFIABLE],
            },
            "authority": {
                "name": authority.name,
                "address": list(authority.address),
                "website": authority.website,
                "note": authority.note,
            },
            "policy": {"required": policy.required, "trusted": [e.label.lower() for e in policy.trusted]},
            "extension": {"reasons": case.extension.reasons} if case.extension else None,
            "fee": _fee(fee) if fee else None,
            "refusal": {
                "partial": refusal.partial,
                "grounds": [g.label for g in refusal.grounds]
                + ([refusal.other_ground] if refusal.other_ground else []),
                "reasons": refusal.reasons,
            }
            if refusal
            else None,
            "outcome": _readable(outcomes.get(_DONE_KINDS[kind].value, {})) if kind in _DONE_KINDS else {},
            "sources": self._sources(case_id),
            "transfers": TRANSFERS,
            "recipients": [
                {"service": n.service, "legal_entity": sheets_entity, "informed": _informed(n)}
                for n, sheets_entity in self._notices_with_entities(case_id)
            ],
        }

    def _notices(self, case_id: int) -> list[Any]:
        return self.outcomes.notices(case_id)

    def _notices_with_entities(self, case_id: int) -> list[tuple[Any, str]]:
        sheets = {sheet.key: sheet for sheet in self.processors.sheets()}
        return [(n, sheets[n.processor_key].legal_entity or "—") for n in self._notices(case_id)]

    def _sources(self, case_id: int) -> list[dict[str, Any]]:
        """The sources the subject's data came from; every source while the DPO has not said."""
        chosen = set(self.outcomes.sources(case_id))
        register = self.cases.register
        return [
            {
                "name": s.name,
                "purposes": list(s.purposes),
                "legal_bases": list(s.legal_bases),
                "data_categories": list(s.data_categories),
                "recipients": list(s.recipients),
                "retention": s.retention,
                "description": s.description,
            }
            for s in register.sources()
            if not chosen or s.key in chosen
        ]

    # --- generating and the register ---------------------------------------------------------

    def generate(
        self,
        case_id: int,
        kind: LetterKind,
        target: Path,
        render: Renderer,
        *,
        actor: str,
        now: datetime,
        lang: str = "en",
    ) -> GeneratedLetter:
        """Write the letter to ``target`` (PDF), protected when it discloses data, and register it."""
        case = self.cases.get_by_id(case_id)
        letter = compose(kind, self.context(case_id, kind, today=now.astimezone().date()), lang)
        paper = self._settings.get(LETTER_PAPER).for_country(case.entity.country)
        partial = partial_path(target)
        render(letter.html, partial, letter.title, paper)
        password = protect.new_password() if (kind.discloses_data or self._settings.get(PROTECT_ALL_LETTERS)) else None
        protect.finish(
            partial,
            title=f"{letter.title} ({case.reference})",
            author=case.entity.name,
            subject=f"{kind.value} {case.reference}",
            password=password,
        )
        digest = hashlib.sha256(partial.read_bytes()).hexdigest()
        publish(partial, target)
        with write_transaction(self._db):
            letter_id = self._db.execute(
                "INSERT INTO letters (case_id, kind, lang, created_by, created_at, sha256, protected, file)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (case_id, kind.value, lang, actor, utc_text(now), digest, int(password is not None), str(target)),
            ).lastrowid
            assert letter_id is not None
            self.cases.record_event(case_id, now, actor, "letter", f"{kind.value} (letter {letter_id})")
        in_keyring = password is not None and passwords.remember(self.store_id(), letter_id, password)
        return GeneratedLetter(self.letter(letter_id), password, in_keyring)

    def next_file(self, case: Case, kind: LetterKind) -> Path:
        """Where the next letter of the case goes: its folder beside the store, named from ids only."""
        folder = self._folder / case.reference
        folder.mkdir(parents=True, exist_ok=True)
        return folder / letter_file_name(case, kind, len(self.letters(case.id)) + 1)

    def letter(self, letter_id: int) -> LetterRecord:
        rows = list(self._db.query("SELECT * FROM letters WHERE id = ?", [letter_id]))
        if not rows:
            raise NotFoundError(f"no letter {letter_id}")
        return _record(rows[0])

    def letters(self, case_id: int) -> list[LetterRecord]:
        return [
            _record(row) for row in self._db.query("SELECT * FROM letters WHERE case_id = ? ORDER BY id", [case_id])
        ]

    def mark_sent(self, letter_id: int, channel: str, *, actor: str, now: datetime) -> None:
        record = self.letter(letter_id)
        with write_transaction(self._db):
            self._db.execute(
                "UPDATE letters SET sent_at = ?, sent_channel = ? WHERE id = ?",
                (utc_text(now), channel.strip(), letter_id),
            )
            case_id = self._db.execute("SELECT case_id FROM letters WHERE id = ?", (letter_id,)).fetchone()[0]
            self.cases.record_event(case_id, now, actor, "letter", f"{record.kind.value} sent by {channel}")

    def mark_printed(self, letter_id: int, *, actor: str, now: datetime) -> None:
        """A printed copy is a disclosure too: it goes into the audit."""
        with write_transaction(self._db):
            self._db.execute("UPDATE letters SET printed_at = ? WHERE id = ?", (utc_text(now), letter_id))
            audit.record(
                self._db,
                actor=actor,
                action="letter-printed",
                entity="letter",
                entity_id=letter_id,
                details={},
                now=now,
            )

    def password(self, letter_id: int) -> str | None:
        return passwords.recall(self.store_id(), letter_id)


def letter_file_name(case: Case, kind: LetterKind, sequence: int) -> str:
    """Built from ids only: a subject's name never becomes a file name."""
    return f"{case.reference}-{kind.value}-{sequence}.pdf"


def _readable(details: dict[str, Any]) -> dict[str, Any]:
    """Outcome dates as a letter writes them: '24 Nov 2026', not '2026-11-24'."""
    readable = {}
    for key, value in details.items():
        if isinstance(value, str) and key.endswith("_on") and value:
            value = day_month_year(date.fromisoformat(value))
        readable[key] = value
    return readable


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _fee(fee: Any) -> dict[str, Any]:
    return {
        "basis": fee.basis.label,
        "facts": fee.facts,
        "earlier_cases": list(fee.earlier_cases),
        "items": [
            {
                "description": i.description,
                "quantity": str(i.quantity),
                "unit_cost": str(i.unit_cost),
                "amount": str(i.amount),
            }
            for i in fee.items
        ],
        "total": str(fee.total),
        "currency": fee.currency,
    }


def _informed(notice: Any) -> str:
    if notice.state is NoticeState.NOT_NOTIFIED:
        return f"not informed: {notice.reason}"
    if notice.notified_on:
        return day_month_year(notice.notified_on)
    return "to be informed"


def _record(row: dict[str, Any]) -> LetterRecord:
    return LetterRecord(
        id=row["id"],
        kind=LetterKind(row["kind"]),
        lang=row["lang"],
        created_by=row["created_by"],
        created_at=parse_utc(row["created_at"]),
        sha256=row["sha256"],
        protected=bool(row["protected"]),
        file=Path(row["file"]),
        printed_at=parse_utc(row["printed_at"]) if row["printed_at"] else None,
        sent_at=parse_utc(row["sent_at"]) if row["sent_at"] else None,
        sent_channel=row["sent_channel"],
    )
