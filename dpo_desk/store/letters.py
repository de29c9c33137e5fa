"""Letters of a case: which kinds its record allows, what they say, the generated files and their register.

What a letter says comes from the case's record (``Desk.state``), the register and the processor sheets,
never from its kind alone (``letters/availability.py`` says which facts each kind needs). Rendering is
injected (the GUI's Qt PDF writer), so this module stays Qt-free. Letters that disclose personal data pass
the disclosure gate first, and are encrypted; their password goes to the OS keyring.
"""

from __future__ import annotations

import dataclasses
import hashlib
import secrets
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from dpo_desk.core.case_state import CaseState
from dpo_desk.core.dates import day_month_year
from dpo_desk.core.errors import InputError, NotFoundError, RefusedError
from dpo_desk.core.models import Case
from dpo_desk.core.processors import ProcessorSheet
from dpo_desk.core.recipients import RecipientNotice
from dpo_desk.core.settings import FEE_PAYMENT, LETTER_PAPER, PROTECT_ALL_LETTERS
from dpo_desk.files import new_file_target, write_private
from dpo_desk.letters import passwords, protect
from dpo_desk.letters.authorities import complaint_authority, country_of_address
from dpo_desk.letters.availability import promised_date, recipient_why_not, why_not
from dpo_desk.letters.compose import compose
from dpo_desk.letters.context import SourceText, letter_context
from dpo_desk.letters.kinds import LetterKind
from dpo_desk.letters.language import letter_language, letter_languages, office_language
from dpo_desk.letters.page import PAPERS, Document, Paper
from dpo_desk.letters.register_texts import in_language
from dpo_desk.store import audit
from dpo_desk.store.cases import CaseRepository, parse_utc, utc_text
from dpo_desk.store.processors import ProcessorStore
from dpo_desk.store.settings import StoreSettings
from dpo_desk.store.transactions import write_transaction

# Renders a document to a PDF file and returns its page count. The GUI passes its Qt writer.
Renderer = Callable[[Document], bytes]  # the PDF, in memory
LETTERS_DIR = "letters"  # beside the store, one folder per case reference


@dataclass(frozen=True, slots=True)
class Enclosure:
    """What a letter carries besides its own text: pages after it (the data of an access copy) and files
    embedded in the PDF (a portability bundle), with the facts its text states about them."""

    pages: tuple[Document, ...]
    attachments: dict[str, tuple[bytes, str]]  # file name: (content, media type)
    facts: dict[str, Any]  # what the template may say: records, sources, the attached bundle's name


@dataclass(frozen=True, slots=True)
class LetterRecord:
    id: int
    kind: LetterKind
    lang: str
    created_by: str
    created_at: datetime
    dated_on: date  # the date the letter bears: the day it was generated, or the day given as sent
    recipient: str  # an Art. 19 notice's recipient (processor key); '' for letters to the subject
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


class PastDateError(RefusedError):
    """The letter would promise a date that has passed: ask for the day it was actually sent."""


class LetterStore:
    def __init__(
        self,
        db: Database,
        cases: CaseRepository,
        processors: ProcessorStore,
        settings: StoreSettings,
        store_path: Path,
        state: Callable[[int], CaseState],
    ) -> None:
        self._db = db
        self.cases = cases
        self.processors = processors
        self._settings = settings
        self._folder = store_path.parent / LETTERS_DIR
        self._state = state

    def store_id(self) -> str:
        """A random id of this store, so keyring entries of two stores never collide."""
        row = self._db.execute("SELECT value FROM settings WHERE key = 'store_id'").fetchone()
        if row is not None:
            return str(row[0])
        store_id = secrets.token_hex(8)
        self._db.execute("INSERT INTO settings (key, value) VALUES ('store_id', ?)", (store_id,))
        return store_id

    # --- which letters the record allows ---------------------------------------------------

    def _sheets(self) -> dict[str, ProcessorSheet]:
        return {sheet.key: sheet for sheet in self.processors.sheets()}

    def why_not(self, case_id: int, kind: LetterKind, *, state: CaseState | None = None) -> str:
        """'' when the record holds every fact the letter states, else the reason, in words for a tooltip;
        ``state``, when the caller holds the case's, saves reading it again."""
        known = state if state is not None else self._state(case_id)
        return self._why_not(known, kind, _SheetsWhenRead(self.processors, known))

    def _why_not(self, state: CaseState, kind: LetterKind, sheets: Mapping[str, ProcessorSheet]) -> str:
        reason = why_not(kind, state, sheets, fee_payment=self._settings.get(FEE_PAYMENT))
        if not reason and kind is LetterKind.PORTABILITY_COVER and not self._portable_records(state.case.id):
            return (
                "no portable data of the subject has been imported and accepted (data import): the bundle is made of it"
            )
        return reason

    def _portable_records(self, case_id: int) -> int:
        return int(
            self._db.execute(
                "SELECT count(*) FROM data_records r JOIN data_imports i ON i.id = r.import_id"
                " WHERE r.case_id = ? AND r.state = 'accepted' AND i.portable = 1",
                (case_id,),
            ).fetchone()[0]
        )

    def available(self, state: CaseState) -> dict[LetterKind, str]:
        """Why each letter cannot be written for the case (or ''), the sheets read at most once."""
        sheets = _SheetsWhenRead(self.processors, state)
        return {kind: self._why_not(state, kind, sheets) for kind in LetterKind}

    def notice_recipients(self, case_id: int) -> dict[str, str]:
        """Each Art. 19 recipient of the case (by processor key), with why its notice cannot be written or ''."""
        state = self._state(case_id)
        sheets = self._sheets()
        blocked = state.case.entity.letterhead_problems()
        return {
            n.processor_key: blocked[0] if blocked else recipient_why_not(state, n, sheets[n.processor_key])
            for n in state.notices
        }

    # --- what a letter says ------------------------------------------------------------------

    def context(
        self, case_id: int, kind: LetterKind, *, dated: date, recipient: str | None = None, lang: str | None = None
    ) -> dict[str, Any]:
        """Everything the template may name; refuses a letter the record does not allow."""
        state = self._state(case_id)
        return self._context(state, kind, dated, recipient, lang or self.language_of(state.case))

    def document(
        self, case_id: int, kind: LetterKind, *, dated: date, recipient: str | None = None, lang: str | None = None
    ) -> Document:
        """The letter as the PDF writer, a printer or a preview lays it out, on the entity's paper; in
        ``lang``, else the case's letter language."""
        state = self._state(case_id)
        return self._document(state, kind, dated, recipient, lang or self.language_of(state.case), None)

    def language_of(self, case: Case) -> str:
        """The language the case's letters are written in: the one chosen for it, else its office's."""
        return case.letter_lang if case.letter_lang in letter_languages() else office_language(case.entity.country)

    def paper(self, case: Case) -> Paper:
        return PAPERS[self._settings.get(LETTER_PAPER).for_country(case.entity.country).value]

    def _document(
        self, state: CaseState, kind: LetterKind, dated: date, recipient: str | None, lang: str,
        enclosed: Enclosure | None,
    ) -> Document:  # fmt: skip
        context = self._context(state, kind, dated, recipient, lang)
        letter = compose(kind, context | {"enclosed": enclosed.facts if enclosed else None}, lang)
        entity = state.case.entity
        document = letter.document(self.paper(state.case), title=letter.title, author=entity.name)
        if not enclosed:
            return document
        pages = tuple(
            dataclasses.replace(
                part, continues_letter=True, running_header=document.running_header, page_number=document.page_number
            )
            for part in enclosed.pages
        )
        return dataclasses.replace(document, appendix=pages)

    def _context(
        self, state: CaseState, kind: LetterKind, dated: date, recipient: str | None, lang: str
    ) -> dict[str, Any]:
        sheets = _SheetsWhenRead(self.processors, state)
        reason = self._why_not(state, kind, sheets)
        if reason:
            raise RefusedError(f"{kind.label}: {reason}")
        notice = None
        if kind is LetterKind.RECIPIENT_NOTICE:
            notice = self._recipient(state, sheets, recipient)
        elif recipient:
            raise InputError("recipient: only a recipient notice is addressed to a recipient")
        return letter_context(
            kind,
            state,
            dated=dated,
            sheets=sheets,
            sources=self.source_texts(lang),
            authority=complaint_authority(
                state.case.entity,
                country_of_address(_lines(state.case.subject.address)),
                next((e for e in self.cases.register.entities() if e.is_eea_representative), None),
            ),
            fee_payment=self._settings.get(FEE_PAYMENT),
            language=letter_language(lang),
            recipient=notice,
        )

    def source_texts(self, lang: str) -> list[SourceText]:
        """The register's sources as a letter in ``lang`` prints them (translated where a translation is current)."""
        return [
            in_language(
                SourceText(s.key, s.name, s.purposes, s.legal_bases, s.data_categories, s.retention, s.description),
                lang,
            )
            for s in self.cases.register.sources()
        ]

    def _recipient(
        self, state: CaseState, sheets: Mapping[str, ProcessorSheet], recipient: str | None
    ) -> RecipientNotice:
        keys = ", ".join(n.processor_key for n in state.notices)
        if not recipient:
            raise InputError(f"recipient: a recipient notice goes to one recipient; give its key ({keys})")
        notice = next((n for n in state.notices if n.processor_key == recipient), None)
        if notice is None:
            raise NotFoundError(f"recipient: {recipient!r} is not a recipient of this case; one of {keys}")
        reason = recipient_why_not(state, notice, sheets[notice.processor_key])
        if reason:
            raise RefusedError(f"recipient-notice: {reason}")
        return notice

    def check_date(self, case_id: int, kind: LetterKind, dated: date | None, *, today: date) -> date:
        """The date the letter bears: ``dated`` (the day it was actually sent) or today. Refuses a date outside
        the case, and a letter that would promise a date already past (PastDateError)."""
        return _checked_date(self._state(case_id), kind, dated, today)

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
        lang: str | None = None,
        dated: date | None = None,
        recipient: str | None = None,
        enclosed: Enclosure | None = None,
    ) -> GeneratedLetter:
        """Write the letter to ``target`` (PDF), protected when it discloses data, and register it. A letter
        never replaces a file (the register's SHA-256 would no longer match it), and the register keeps
        the absolute path, whatever the working directory. ``enclosed``: what the letter carries (the data
        of an access copy, a bundle), which only then it may say it encloses."""
        target = new_file_target(target, "a letter")
        if kind is LetterKind.PORTABILITY_COVER and not (enclosed and enclosed.attachments):
            raise RefusedError("portability-cover: the cover goes only with the bundle it covers, embedded in it")
        state = self._state(case_id)
        case = state.case
        lang = lang or self.language_of(case)
        day = _checked_date(state, kind, dated, now.astimezone().date())
        document = self._document(state, kind, day, recipient, lang, enclosed)
        discloses = kind.discloses_data or enclosed is not None
        password = protect.new_password() if (discloses or self._settings.get(PROTECT_ALL_LETTERS)) else None
        finished = protect.finish(
            render(document),
            title=f"{document.title} ({case.reference})",
            author=case.entity.name,
            subject=f"{kind.value} {case.reference}",
            password=password,
            attachments=enclosed.attachments if enclosed else None,
        )
        digest = hashlib.sha256(finished).hexdigest()
        write_private(target, finished)
        with write_transaction(self._db):
            letter_id = self._db.execute(
                "INSERT INTO letters (case_id, kind, lang, created_by, created_at, dated_on, recipient, sha256,"
                " protected, file) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    case_id, kind.value, lang, actor, utc_text(now), day.isoformat(), recipient or "", digest,
                    int(password is not None), str(target),
                ),
            ).lastrowid  # fmt: skip
            assert letter_id is not None
            to = f" to {recipient}" if recipient else ""
            ids = {"kind": kind.value, "letter": letter_id} | ({"recipient": recipient} if recipient else {})
            self.cases.record_event(case_id, now, actor, "letter", f"{kind.label}{to} (letter {letter_id})", ids)
        in_keyring = password is not None and passwords.remember(self.store_id(), letter_id, password)
        return GeneratedLetter(self.letter(letter_id), password, in_keyring)

    def next_file(self, case: Case, kind: LetterKind, recipient: str | None = None) -> Path:
        """Where the next letter of the case goes: its folder beside the store, named from ids only."""
        folder = self._folder / case.reference
        folder.mkdir(parents=True, exist_ok=True)
        return folder / letter_file_name(case, kind, len(self.letters(case.id)) + 1, recipient)

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
            self.cases.record_event(
                case_id, now, actor, "letter", f"{record.kind.label} sent by {channel}",
                {"kind": record.kind.value, "letter": letter_id, "sent": True},
            )  # fmt: skip

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


def _checked_date(state: CaseState, kind: LetterKind, dated: date | None, today: date) -> date:
    day = dated or today
    if not state.case.received_date <= day <= today:
        raise InputError(
            f"date: the letter's date must lie between the receipt ({day_month_year(state.case.received_date)})"
            " and today"
        )
    promised = promised_date(kind, state)
    if promised is not None and promised[0] < day:
        what = f"the {kind.label.lower()} {promised[1]} {day_month_year(promised[0])}"
        if dated is None:
            raise PastDateError(f"{what}, which has passed; give the day the letter was actually sent")
        raise RefusedError(f"{what}, before the date given ({day_month_year(day)}); it cannot be sent then")
    return day


def letter_file_name(case: Case, kind: LetterKind, sequence: int, recipient: str | None = None) -> str:
    """Built from ids only: a subject's name never becomes a file name (a recipient's processor key may)."""
    to = f"-{recipient}" if recipient else ""
    return f"{case.reference}-{kind.value}{to}-{sequence}.pdf"


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _record(row: dict[str, Any]) -> LetterRecord:
    return LetterRecord(
        id=row["id"],
        kind=LetterKind(row["kind"]),
        lang=row["lang"],
        created_by=row["created_by"],
        created_at=parse_utc(row["created_at"]),
        dated_on=date.fromisoformat(row["dated_on"]),
        recipient=row["recipient"],
        sha256=row["sha256"],
        protected=bool(row["protected"]),
        file=Path(row["file"]),
        printed_at=parse_utc(row["printed_at"]) if row["printed_at"] else None,
        sent_at=parse_utc(row["sent_at"]) if row["sent_at"] else None,
        sent_channel=row["sent_channel"],
    )


class _SheetsWhenRead(Mapping[str, ProcessorSheet]):
    """The processor sheets a case's letters may name, by key, read when a letter's rule or text first needs
    them: most need none. A recipient's, or going through them, reads the sheets of the case's sources'
    recipients and of its Art. 19 notices together, not the others; any other key is read alone.
    Reading all of them (each checked as on import) took 12-30 ms of showing a case, 7 ms of a letter."""

    def __init__(self, processors: ProcessorStore, state: CaseState) -> None:
        self._processors = processors
        self._sources = state.sources
        self._notified = {notice.processor_key for notice in state.notices}
        self._read: dict[str, ProcessorSheet] = {}
        self._involved: dict[str, ProcessorSheet] | None = None

    def _all(self) -> dict[str, ProcessorSheet]:
        if self._involved is None:
            read = self._processors.sheets_of(self._sources, sorted(self._notified))
            self._involved = {sheet.key: sheet for sheet in read}
        return self._involved

    def __getitem__(self, key: str) -> ProcessorSheet:
        if self._involved is not None and key in self._involved:
            return self._involved[key]
        if key in self._notified:  # the case's other sheets follow, in the same query
            return self._all()[key]
        if key not in self._read:
            try:
                self._read[key] = self._processors.sheet(key)
            except NotFoundError:
                raise KeyError(key) from None
        return self._read[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())
