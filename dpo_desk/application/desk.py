"""The session of one DPO at one store: the open store, who acts and the clock, and every service over the
store, each built once. The app and the command line each open one and reach the store only through it.
"""

from __future__ import annotations

import contextlib
import mimetypes
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlite_utils import Database

from dpo_desk.core import suppression
from dpo_desk.core.case_state import CaseState
from dpo_desk.core.children import child_of
from dpo_desk.core.entities import (
    MovedDeadlines,
    changed_entity,
    check_names_free,
    deadline_fields_changed,
    new_entity,
)
from dpo_desk.core.errors import InputError, RefusedError
from dpo_desk.core.models import CaseQuery, EarlierCase, Entity, NewCase, Right, SubjectDetails
from dpo_desk.core.processors import ProcessorSheet
from dpo_desk.core.settings import REMINDER_WORKING_DAYS, RULES, Setting, consent_age_setting
from dpo_desk.files import new_file_target, write_private
from dpo_desk.letters.kinds import LetterKind
from dpo_desk.letters.language import letter_language_name, letter_language_names, letter_languages
from dpo_desk.store import audit
from dpo_desk.store.attachments import Attachments, StoredAttachment
from dpo_desk.store.audit import Anchor, AuditLog
from dpo_desk.store.backup import Backups, recover_from_backup
from dpo_desk.store.cases import CaseRepository
from dpo_desk.store.db import check_store, open_store
from dpo_desk.store.decisions import Decisions
from dpo_desk.store.encryption import forget_unencrypted, record_passphrase_change, unencrypted_leftovers
from dpo_desk.store.keys import WrongPassphraseError, change_passphrase, key_from_passphrase
from dpo_desk.store.letters import GeneratedLetter, LetterStore, Renderer
from dpo_desk.store.mail import MailStore
from dpo_desk.store.outcomes import Outcomes
from dpo_desk.store.processors import ImportPreview, ProcessorStore
from dpo_desk.store.register import Register, Source
from dpo_desk.store.retention import ExpiredCase, Retention
from dpo_desk.store.settings import StoreSettings
from dpo_desk.store.statistics import Statistics
from dpo_desk.store.transactions import write_transaction
from dpo_desk.store.workflow import Workflow

# What only a report, an export, a check of the store or the demo uses is imported when it runs: the
# window's start need not load it. Nor need a command that writes one letter or shows one case load the
# dashboard, the subject's data, the workflow's actions or the mail's parts (150 M of a letter's 2,415 M instructions).
if TYPE_CHECKING:
    from dpo_desk.application.dashboard import Dashboard, DashboardFigures, Reminder
    from dpo_desk.application.fields import Form
    from dpo_desk.application.subject_data import SubjectDataDesk
    from dpo_desk.application.yearly_report import YearReport
    from dpo_desk.mail.draft import MailDraft
    from dpo_desk.mail.parse import ParsedMail
    from dpo_desk.store.bulk import CaseBatch
    from dpo_desk.store.size import StoreSize
    from dpo_desk.store.verify import Report

Clock = Callable[[], datetime]
CLOCK_SLACK = timedelta(minutes=5)  # two laptops' clocks may differ this much


class Desk:
    def __init__(self, db: Database, path: Path, key: bytes, *, actor: str, clock: Clock) -> None:
        self.path = path
        self.actor = actor
        self._db = db
        self._key = key  # SQLCipher holds it too; kept for backups and the worker threads' own connections
        self._readers: dict[str, tuple[threading.Lock, Desk]] = {}  # see _reader
        self._readers_lock = threading.Lock()
        self._clock = clock
        self.settings = StoreSettings(db)
        self.register = Register(db)
        self.cases = CaseRepository(db, self.register, self.settings)
        self.workflow = Workflow(db, self.cases, self.settings)
        self.decisions = Decisions(db, self.cases)
        self.outcomes = Outcomes(db, self.cases)
        self.processors = ProcessorStore(db, self.register)
        # A letter states nothing of the person's earlier cases: its state need not look them up (a phone
        # number library loaded and two searches over every case, for each letter).
        self.letters = LetterStore(db, self.cases, self.processors, self.settings, path,
                                   lambda case_id: self.state(case_id, earlier=False))  # fmt: skip
        self.mail = MailStore(db, self.cases)
        self.attached = Attachments(db, self.cases)
        self._opened_folder: Path | None = None  # this session's private copies of attachments opened
        self.audit = AuditLog(db)
        self.backups = Backups(db, path, key, self.settings)
        self.retention = Retention(db)
        self._statistics = Statistics(db)
        self._later: dict[str, Any] = {}  # the services built when first used (see dashboard and data)
        self._later_lock = threading.Lock()

    @property
    def dashboard(self) -> Dashboard:
        return self._built_once("dashboard", self._new_dashboard)

    @property
    def data(self) -> SubjectDataDesk:
        """The subject's data collected from the source systems' files."""
        return self._built_once("data", self._new_data)

    def _built_once(self, name: str, build: Callable[[], Any]) -> Any:
        with self._later_lock:  # once, whichever thread asks first
            if name not in self._later:
                self._later[name] = build()
            return self._later[name]

    def _new_dashboard(self) -> Dashboard:
        from dpo_desk.application.dashboard import Dashboard

        # The next step of a deadline shown and of the calendar's events does not read the earlier cases.
        return Dashboard(self._statistics, self.cases, lambda case_id: self.state(case_id, earlier=False))

    def _new_data(self) -> SubjectDataDesk:
        from dpo_desk.application.subject_data import SubjectDataDesk
        from dpo_desk.store.records import SubjectData

        return SubjectDataDesk(
            SubjectData(self._db),
            self.cases,
            self.register,
            self.letters,
            self.outcomes,
            actor=self.actor,
            now=self.now,
        )

    def now(self) -> datetime:
        return self._clock()

    def clock_behind(self) -> str:
        """'' unless this computer's clock is behind the newest audit entry: then every time recorded now
        (receipts, deadlines, the audit's own) would be wrong, and the DPO must be told before working."""
        newest = self.audit.newest_time()
        if newest is None:
            return ""
        try:
            recorded = datetime.fromisoformat(newest)
        except ValueError:
            return ""
        now = self.now()
        if recorded.tzinfo is None or now >= recorded - CLOCK_SLACK:
            return ""
        return (
            f"this computer's clock says {now:%Y-%m-%d %H:%M} UTC, before the newest audit entry "
            f"({recorded:%Y-%m-%d %H:%M} UTC): set the date and time right before recording anything"
        )

    def today(self) -> date:
        return self.now().astimezone().date()

    def close(self) -> None:
        with self._readers_lock:
            for lock, reader in self._readers.values():
                with lock:  # after the reading under way, if any
                    reader.close()
            self._readers.clear()
        self._db.close()
        if self._opened_folder is not None:  # a program may still show a copy; the file itself goes now
            shutil.rmtree(self._opened_folder, ignore_errors=True)

    def __enter__(self) -> Desk:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def transaction(self) -> contextlib.AbstractContextManager[Database]:
        """Many changes as one: all of them or none (the demo's hundreds of cases)."""
        return write_transaction(self._db)

    def case_batch(self) -> CaseBatch:
        """New cases taken step by step and written a few thousand at a time, inside :meth:`transaction`
        (the demo's 100,000)."""
        from dpo_desk.store.bulk import CaseBatch

        return CaseBatch(self._db, self.cases, self.settings)

    @contextlib.contextmanager
    def worker(self) -> Iterator[Desk]:
        """A desk of its own for a worker thread (a connection must not cross threads): enter it there."""
        connection = open_store(self.path, self._key, create=False, again=True)
        desk = Desk(connection, self.path, self._key, actor=self.actor, clock=self._clock)
        try:
            yield desk
        finally:
            desk.close()

    def find_case_ids(self, query: CaseQuery, today: date) -> list[int]:
        """The case list's ids for ``query``, for the window's search and sort, which run in worker threads."""
        with self._reader("case list") as desk:
            return desk.cases.find_ids(query, today=today)

    def dashboard_figures(self) -> DashboardFigures:
        """What the dashboard shows today, for the window, which reads it in a worker thread."""
        with self._reader("dashboard") as desk:
            return desk.dashboard.figures(desk.today())

    def expired_cases(self, months: int) -> list[ExpiredCase]:
        """The ended cases past ``months`` of retention today, for the Retention dialog, which reads them in a
        worker thread (1.3-2.0 s at 100,000 cases: every ended case's history is read)."""
        with self._reader("retention") as desk:
            return desk.retention.expired(today=desk.today(), months=months)

    def audit_entries(self) -> int:
        """How many entries the audit holds, for the Audit page, which counts them in a worker thread."""
        with self._reader("audit") as desk:
            return desk.audit.count()

    def reminder(self) -> Reminder:
        """What is due soon today, for the window's hourly reminder, which counts it in a worker thread."""
        with self._reader("reminders") as desk:
            return desk.dashboard.reminder(desk.today(), desk.settings.get(REMINDER_WORKING_DAYS))

    @contextlib.contextmanager
    def _reader(self, purpose: str) -> Iterator[Desk]:
        """A desk of its own for one kind of reading in worker threads, one thread at a time, kept open from one
        task to the next: a new connection starts with a cold page cache, and each page SQLCipher reads
        from the file is decrypted again (with opening it, 16-40 ms more a search at 100,000 cases)."""
        with self._readers_lock:
            if purpose not in self._readers:
                connection = open_store(self.path, self._key, create=False, shared=True, again=True)
                self._readers[purpose] = (threading.Lock(), Desk(connection, self.path, self._key,
                                                                 actor=self.actor, clock=self._clock))  # fmt: skip
            lock, desk = self._readers[purpose]
        with lock:
            yield desk

    # --- one case, as the rules read it ------------------------------------------------------

    def state(self, case_id: int, *, earlier: bool = True) -> CaseState:
        """The case and what its workflow recorded; ``earlier=False`` leaves out the subject's earlier cases
        and namesakes (two searches of the store, 3-13 ms at 100,000 cases), for what reads neither."""
        case = self.cases.get_by_id(case_id)
        earlier_cases, same_name = (
            self.earlier_of(case.subject, case.entity.country, before=case.received_at, excluding=case.id)
            if earlier
            else ([], [])
        )
        age_setting, where = consent_age_setting(case.entity.country)
        return CaseState(
            case=case,
            today=self.today(),
            rules=self.settings.get(RULES),
            checks=tuple(self.workflow.checks(case_id)),
            decision=self.workflow.decision(case_id),
            policy=self.settings.identity_policy(),
            fee=self.decisions.fee(case_id),
            refusal=self.decisions.refusal(case_id),
            outcomes=self.outcomes.outcomes(case_id),
            notices=tuple(self.outcomes.notices(case_id)),
            sources=tuple(self.outcomes.sources(case_id)),
            recipients_told_on=self.outcomes.recipients_told_on(case_id),
            earlier_cases=tuple(earlier_cases),
            same_name=tuple(same_name),
            child=child_of(case.subject, case.received_date, self.settings.get(age_setting), where),
        )

    def earlier_of(
        self, subject: SubjectDetails, country: str, *, before: datetime | None = None, excluding: int | None = None
    ) -> tuple[list[EarlierCase], list[EarlierCase]]:
        """The same person's earlier cases (by e-mail, phone, or name with address), and those that share
        only the name: a hint the DPO looks at, never a match."""
        matches = self.cases.matching(subject, country, before=before, excluding=excluding)
        matched = {e.summary.id for e in matches}
        hints = self.cases.same_name(subject, before=before, excluding=excluding)
        return matches, [e for e in hints if e.summary.id not in matched]

    def form(self, state: CaseState | None = None) -> Form:
        """What a form of this session starts from: now, who fills it in, the case (if any), the store."""
        from dpo_desk.application.fields import Form

        return Form(self.now(), self.actor, state, self)

    # --- intake -----------------------------------------------------------------------------

    def add_case(self, new: NewCase, *, same_subject_as: int | None = None) -> int:
        self._check_letter_language(new)
        return self.cases.add(new, actor=self.actor, now=self.now(), same_subject_as=same_subject_as)

    def add_cases(self, news: Sequence[NewCase]) -> list[int]:
        """Cases read back from ``case list --json``: all of them, or none."""
        for new in news:
            self._check_letter_language(new)
        return self.cases.add_all(news, actor=self.actor, now=self.now())

    def _check_letter_language(self, new: NewCase) -> None:
        if new.letter_lang:
            _known_letter_language(new.letter_lang)

    def add_case_from_mail(
        self, new: NewCase, mail: ParsedMail, *, same_subject_as: int | None = None
    ) -> tuple[int, list[str]]:
        """The case as the DPO confirmed it, with the mail's attachments; and the earlier imports of the mail."""
        self._check_letter_language(new)
        return self.mail.add_reviewed(new, mail, actor=self.actor, now=self.now(), same_subject_as=same_subject_as)

    def add_case_from_draft(
        self, draft: MailDraft, *, entity_name: str, rights: tuple[Right, ...]
    ) -> tuple[int, list[str]]:
        """The case a mail asks for, as it stands (the command line); and the earlier imports of the mail."""
        return self.mail.add_case(draft, entity_name=entity_name, rights=rights, actor=self.actor, now=self.now())

    def quarantine(self, source: Path, reason: str) -> int:
        return self.mail.quarantine(source, reason, actor=self.actor, now=self.now())

    # --- attachments -------------------------------------------------------------------------

    def attachments(self, case_id: int) -> list[StoredAttachment]:
        return self.attached.of_case(case_id)

    def attachment_content(self, case_id: int, attachment_id: int) -> tuple[StoredAttachment, bytes]:
        """The attachment with its bytes, checked against its SHA-256 (refused when they differ)."""
        return self.attached.content(case_id, attachment_id)

    def attach_file(self, case_id: int, source: Path) -> StoredAttachment:
        """Attach a file to the case by hand (audited); refused on a closed case, and for a file unreadable,
        empty or over the e-mail limit."""
        from dpo_desk.application.actions import may_attach
        from dpo_desk.application.attachments import read_for_attaching

        reason = may_attach(self.state(case_id))
        if reason is not None:
            raise RefusedError(reason)
        content = read_for_attaching(source)
        content_type = mimetypes.guess_type(source.name)[0] or "application/octet-stream"
        return self.attached.add(case_id, source.name, content_type, content, actor=self.actor, now=self.now())

    def open_attachment(self, case_id: int, attachment_id: int, open_file: Callable[[Path], bool]) -> Path:
        """Copy the attachment into this session's private temporary folder and hand it to ``open_file`` (the
        desktop's program for its type); audited once it opened. The copy goes when the desk closes, or at
        once when nothing opened it."""
        from dpo_desk.application.attachments import disk_name

        attachment, content = self.attachment_content(case_id, attachment_id)
        if self._opened_folder is None:
            self._opened_folder = Path(tempfile.mkdtemp(prefix="dpo-desk-opened-"))  # 0700: the owner's only
        folder = self._opened_folder / str(attachment.id)  # two attachments may have the same name
        folder.mkdir(mode=0o700, exist_ok=True)
        copy = write_private(folder / disk_name(attachment.name, f"attachment-{attachment.id}"), content)
        if not open_file(copy):
            copy.unlink()
            raise RefusedError(
                f"no program on this computer opened {attachment.name} ({attachment.content_type}); save it out "
                "and open it from there"
            )
        self.attached.opened(attachment, actor=self.actor, now=self.now())
        return copy

    def save_attachment(self, case_id: int, attachment_id: int, target: Path) -> Path:
        """Write the attachment out of the store where the DPO chose, never over a file (audited)."""
        target = new_file_target(target, "saving an attachment")
        attachment, content = self.attachment_content(case_id, attachment_id)
        self._write_export(target, content, f"the attachment {attachment.name}")
        self.attached.saved(attachment, str(target), actor=self.actor, now=self.now())
        return target

    def export_suppression(self, fmt: str, target: Path) -> int:
        """Write the suppression list for a marketing tool (audited); returns how many entries it holds."""
        now = self.now()
        salt, entries = self.outcomes.suppression_list()
        text = suppression.export_text(fmt, salt, entries, now.strftime("%Y-%m-%dT%H:%M:%SZ"))  # refuses a format
        try:
            write_private(target, text.encode("utf-8"))
        except OSError as error:
            raise InputError(f"{target}: cannot write the suppression list ({error.strerror})") from None
        self.outcomes.suppression_exported(len(entries), target.name, actor=self.actor, now=now)
        return len(entries)

    def export_calendar(self, target: Path, *, days: int | None = None) -> int:
        """Write the open cases' deadlines as iCalendar (a nightly sync replaces the file whole); returns how
        many events it holds."""
        data = self.dashboard.calendar(self.today(), self.letters.store_id(), days=days, now=self.now())
        self._write_export(target, data, "the calendar")
        return data.count(b"BEGIN:VEVENT")

    def export_register(self, target: Path, *, year: int | None = None) -> int:
        """Write the register of requests as CSV; returns how many cases it lists."""
        from dpo_desk.application.requests_register import register_csv

        data, rows = register_csv(self._statistics, year)
        self._write_export(target, data, "the register of requests")
        audit.record(
            self._db, actor=self.actor, action="register-exported", entity="store", entity_id="",
            details={"year": year, "cases": rows, "file": target.name}, now=self.now(),
        )  # fmt: skip
        return rows

    def yearly_report(self, year: int, entity_name: str | None = None) -> YearReport:
        from dpo_desk.application.yearly_report import yearly_report

        entity = self.register.entity(entity_name) if entity_name else None
        # Made on this computer's day, as today() counts it, not UTC's: "the year so far" ends today.
        return yearly_report(
            self._statistics, year, entity_id=entity.id if entity else None,
            entity_name=entity.name if entity else "all entities", made=self.now().astimezone(),
        )  # fmt: skip

    def export_report(self, report: YearReport, target: Path, render: Renderer | None = None) -> None:
        """The report as CSV, or as PDF with ``render`` (no password: it holds no personal data); audited."""
        data = render(report.document()) if render is not None else report.csv()
        self._write_export(target, data, "the report")
        audit.record(
            self._db, actor=self.actor, action="report-exported", entity="store", entity_id="",
            details={"year": report.year, "entity": report.entity, "file": target.name}, now=self.now(),
        )  # fmt: skip

    def _write_export(self, target: Path, data: bytes, what: str) -> None:
        try:
            write_private(target, data)
        except OSError as error:
            raise InputError(f"{target}: cannot write {what} ({error.strerror})") from None

    def save_quarantined(self, quarantine_id: int, target: Path) -> Path:
        return self.mail.save_quarantined(quarantine_id, target, actor=self.actor, now=self.now())

    def correct_receipt(self, case_id: int, *, entity_name: str, received: datetime, reason: str) -> None:
        self.cases.correct_receipt(
            case_id, entity_name=entity_name, received=received, actor=self.actor, reason=reason, now=self.now()
        )

    def letter_languages(self) -> dict[str, str]:
        """Every language there are letters in, by code, with its name for a list: "norsk bokmål (Norwegian Bokmål)"."""
        return dict(letter_language_names())

    def letter_language_name(self, lang: str) -> str:
        """The name of ``lang``, a language there are letters in, for a case shown: reads only its own locale
        data, where :meth:`letter_languages` reads every language's."""
        return letter_language_name(_known_letter_language(lang))

    def set_letter_language(self, case_id: int, lang: str) -> None:
        """Write the case's letters in ``lang`` from now on (each letter may still be written in another)."""
        name = self.letter_language_name(lang)
        case = self.cases.get_by_id(case_id)
        before = letter_language_name(self.letters.language_of(case))
        self.cases.set_letter_language(
            case_id, lang, detail=f"Letter language: {before} → {name}", actor=self.actor, now=self.now()
        )

    def open_pauses_counted(self) -> bool:
        return self.cases.open_pauses_counted(self.today())

    def refresh_open_pauses(self) -> int:
        return self.cases.refresh_open_pauses(today=self.today(), now=self.now())

    # --- letters ----------------------------------------------------------------------------

    def write_letter(
        self,
        case_id: int,
        kind: LetterKind,
        render: Renderer,
        *,
        target: Path | None = None,
        lang: str | None = None,
        dated: date | None = None,
        recipient: str | None = None,
    ) -> GeneratedLetter:
        """Write and register a letter; without ``target`` it goes to the case's folder beside the store.
        ``lang``: this letter's language, where not the case's. ``dated``: the day the letter was actually
        sent, where that was before today."""
        if kind is LetterKind.PORTABILITY_COVER:  # the cover travels with the bundle, embedded in it
            return self.data.export_cover(case_id, target, render, lang=lang, dated=dated)
        if target is None:
            target = self.letters.next_file(self.cases.get_by_id(case_id), kind, recipient)
        return self.letters.generate(
            case_id, kind, target, render, actor=self.actor, now=self.now(), lang=lang, dated=dated,
            recipient=recipient,
        )  # fmt: skip

    def check_new_entity(self, values: Mapping[str, Any]) -> Entity:
        """The entity ``values`` describe, checked as :meth:`add_entity` checks it (the form, as the DPO types)."""
        entity = new_entity(values)
        check_names_free(entity, self.register.entities())
        return entity

    def add_entity(self, values: Mapping[str, Any]) -> Entity:
        """Add a legal entity to the register (the DPO's own company): name, country, calendar and time zone
        required, every field checked, audited; returns it as saved."""
        return self.register.add_entity(self.check_new_entity(values), actor=self.actor, now=self.now())

    def deadlines_moved_by(self, name_or_key: str, changes: Mapping[str, Any]) -> list[MovedDeadlines]:
        """The open cases of the entity whose receipt day or dates the changes (a calendar, a time zone) would
        move, counted today as :meth:`update_entity` would: what the DPO confirms before saving."""
        entity = self.register.entity(name_or_key)
        changed = changed_entity(entity, changes)
        if not deadline_fields_changed(entity, changed):
            return []
        return self.cases.deadlines_moved_by(changed, today=self.today())

    def update_entity(self, name_or_key: str, changes: Mapping[str, Any]) -> tuple[Entity, list[MovedDeadlines]]:
        """Set fields of a register entity (checked, audited); returns it as saved, and the open cases whose
        dates a new calendar or time zone moved."""
        return self.cases.update_entity(name_or_key, changes, today=self.today(), actor=self.actor, now=self.now())

    def mark_letter_sent(self, letter_id: int, channel: str) -> None:
        self.letters.mark_sent(letter_id, channel, actor=self.actor, now=self.now())

    def mark_letter_printed(self, letter_id: int) -> None:
        self.letters.mark_printed(letter_id, actor=self.actor, now=self.now())

    # --- settings and the register ----------------------------------------------------------

    def save_settings(self, changes: Mapping[Setting[Any], Any]) -> list[str]:
        """Save the settings that changed (each audited); returns their labels."""
        return self.settings.save(changes, actor=self.actor, now=self.now())

    def apply_deadline_settings(self, changes: Mapping[Setting[Any], Any], calendars: Mapping[int, str]) -> int:
        """Save the deadline settings and calendars and recompute every due date; returns how many moved."""
        return self.cases.apply_deadline_settings(
            changes, calendars, today=self.today(), actor=self.actor, now=self.now()
        )

    def save_processor(self, sheet: ProcessorSheet) -> list[str]:
        """Save a sheet; returns the open cases whose recipients this changes."""
        return self.processors.save(sheet, actor=self.actor, now=self.now())

    def import_processors(self, preview: ImportPreview) -> None:
        self.processors.apply_import(preview, actor=self.actor, now=self.now())

    def save_source(self, source: Source) -> list[str]:
        """Save a source of personal data; returns the open cases whose data came from it."""
        return self.register.save_source(source, actor=self.actor, now=self.now())

    # --- retention --------------------------------------------------------------------------

    def purge(self, case_ids: Sequence[int], *, today: date, months: int) -> list[str]:
        """Delete the cases listed as past retention on ``today``; returns their references."""
        return self.retention.purge(case_ids, today=today, months=months, actor=self.actor, now=self.now())

    def anonymise(self, case_ids: Sequence[int], *, today: date, months: int) -> list[str]:
        """Keep the cases listed as past retention without who asked or what they wrote; their references."""
        return self.retention.anonymise(case_ids, today=today, months=months, actor=self.actor, now=self.now())

    # --- safekeeping: backups, the audit chain, the key -------------------------------------

    def backup(self, target: Path) -> Path:
        return self.backups.backup(target, actor=self.actor, now=self.now())

    def finish_daily_backup(self, made: Path) -> Path:
        return self.backups.finish_daily(made, actor=self.actor, now=self.now())

    def verify(self, anchor: Anchor | None = None) -> Report:
        """SQLCipher's page check, SQLite's integrity and foreign keys, and the audit chain."""
        from dpo_desk.store.verify import verify

        return verify(self._db, anchor)

    def store_size(self) -> StoreSize:
        """The bytes of each table and index of the store, from its pages (read only)."""
        from dpo_desk.store.size import measure

        return measure(self._db, self.path, self._key)

    def check_pages(self) -> list[str]:
        """Every page's HMAC and SQLite's quick check, on a read-only connection of its own (seconds on a
        large store: run it in a worker thread); the problems found, or an empty list."""
        return check_store(self.path, self._key)

    def opens_with(self, passphrase: str) -> bool:
        """Whether the passphrase unlocks this very store (scrypt: about a second; fine in a worker thread).
        A wrong passphrase raises WrongPassphraseError; one of another store's key file gives False."""
        return key_from_passphrase(self.path, passphrase) == self._key

    def change_passphrase(self, new_passphrase: str) -> None:
        """Rewrap the store's key under a new recovery passphrase, and say so in the audit."""
        self.rewrap_key(new_passphrase)
        self.record_passphrase_change()

    def rewrap_key(self, new_passphrase: str, *, current: str | None = None) -> None:
        """The key file under a new passphrase, after checking ``current`` when given; the store itself is not
        rewritten. Uses no store connection, so it can run in a worker thread (scrypt takes a second)."""
        if current is not None and not self.opens_with(current):
            raise WrongPassphraseError("that passphrase belongs to another store")
        change_passphrase(self.path, self._key, new_passphrase)

    def record_passphrase_change(self) -> None:
        record_passphrase_change(self._db, actor=self.actor, now=self.now())

    def replaced_by_backup(self, backup: Path) -> tuple[Desk, Path]:
        """Close this desk, whose store turned out damaged, put the backup in its place and open that; the
        new desk, and where the damaged file is kept."""
        self.close()
        kept = recover_from_backup(self.path, self._key, backup, now=self.now())
        reopened = Desk(open_store(self.path, self._key), self.path, self._key, actor=self.actor, clock=self._clock)
        return reopened, kept

    def unencrypted_leftovers(self) -> list[Path]:
        """Plain copies encryption left beside the store, kept until the DPO says they may go."""
        return unencrypted_leftovers(self.path)

    def forget_unencrypted(self) -> list[Path]:
        return forget_unencrypted(self.path)


def _known_letter_language(lang: str) -> str:
    if lang not in letter_languages():
        raise InputError(f"letter language: no letters in {lang!r}; available: {', '.join(letter_languages())}")
    return lang
