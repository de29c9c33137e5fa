"""Cases in the store: intake, lookup, the list's SQL filtering and sorting, and the status history."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from dpo_desk.core import lifecycle
from dpo_desk.core.calendars import working_days_ahead
from dpo_desk.core.deadlines import (
    DeadlineInput,
    Deadlines,
    Extension,
    PauseKind,
    RecordedPause,
    Rules,
    case_deadlines,
)
from dpo_desk.core.entities import MovedDeadlines, changed_entity, deadline_fields_changed, deadlines_moved
from dpo_desk.core.errors import DeskError, InputError, NotFoundError, RefusedError
from dpo_desk.core.identifiers import email_key, name_key, phone_key, phone_key_or_none, postal_key
from dpo_desk.core.intake import check_not_future
from dpo_desk.core.models import (
    OPEN_STATUSES,
    Case,
    CaseEvent,
    CaseQuery,
    CaseSummary,
    Channel,
    EarlierCase,
    Entity,
    NewCase,
    Note,
    Right,
    Scope,
    Status,
    SubjectDetails,
)
from dpo_desk.core.recipients import NOTIFIABLE
from dpo_desk.core.settings import RULES, TARGET_DAYS, Setting
from dpo_desk.store import audit
from dpo_desk.store.register import Register
from dpo_desk.store.settings import StoreSettings
from dpo_desk.store.statistics import ANSWERING, answered_condition, refresh_answered_on, scope_condition
from dpo_desk.store.transactions import write_transaction

_BATCH = 500  # ids per query: well under SQLite's limit on bound parameters
SAME_NAME_SHOWN = 10  # earlier cases sharing only the name, newest first: hints, not a list to work through

# Column keys the case list sorts by, and the SQL that orders them.
SORT_COLUMNS = {
    "reference": "c.year {dir}, c.seq {dir}",
    "subject": "c.subject_name COLLATE NOCASE {dir}, c.id {dir}",
    "rights": "c.rights {dir}, c.id {dir}",
    "entity": "e.name {dir}, c.id {dir}",
    "received": "c.received_at {dir}, c.id {dir}",
    "due": "c.due_date {dir}, c.id {dir}",
    # As the index cases_by_days_left writes it (schema_0026.sql): the answered cases have no days left.
    "days": "(c.status IN ('responded', 'closed', 'refused', 'withdrawn')) {dir}, c.due_date {dir}, c.id {dir}",
    "status": "CASE c.status {ranks} END {dir}, c.due_date {dir}, c.id {dir}",
}
_STATUS_RANKS = " ".join(f"WHEN '{status.value}' THEN {rank}" for rank, status in enumerate(Status))


def utc_text(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_utc(text: str) -> datetime:
    return datetime.fromisoformat(text)


def search_expression(text: str) -> str:
    """FTS5 query for search-as-you-type: every word a prefix, user input never FTS syntax."""
    words = re.findall(r"\w+", text, flags=re.UNICODE)
    return " ".join(f'"{word}"*' for word in words)


class CaseRepository:
    def __init__(self, db: Database, register: Register, settings: StoreSettings) -> None:
        self._db = db
        self.register = register
        self._settings = settings

    # --- intake -----------------------------------------------------------------------------

    def add_all(self, news: Sequence[NewCase], *, actor: str, now: datetime) -> list[int]:
        """Several new cases in one transaction: all of them are stored, or none (a refused one names itself)."""
        ids = []
        with write_transaction(self._db):
            for number, new in enumerate(news, start=1):
                try:
                    ids.append(self.add(new, actor=actor, now=now))
                except DeskError as error:
                    raise type(error)(f"case {number}: {error}") from None
        return ids

    def add(self, new: NewCase, *, actor: str, now: datetime, same_subject_as: int | None = None) -> int:
        """Store a new case, its subject and its first history entry as one transaction; returns its id.

        ``same_subject_as`` links the case to the subject of that earlier case: only when the DPO chose
        it, never because the e-mail matched (a From: line can be forged).
        """
        with write_transaction(self._db):
            entity = self.register.entity(new.entity_name)
            received_date = new.received.astimezone(ZoneInfo(entity.time_zone)).date()
            if same_subject_as is None:
                subject_id = self._insert_subject(new.subject, entity.country, now)
            else:
                row = self._db.execute("SELECT subject_id FROM cases WHERE id = ?", (same_subject_as,)).fetchone()
                if row is None:
                    raise NotFoundError(f"no case with id {same_subject_as} to link the subject to")
                subject_id = row[0]
            year = received_date.year
            seq = self._next_seq(year)
            deadlines = self._deadlines(received_date, entity)
            case_id = self._db.execute(
                """
                INSERT INTO cases (reference, year, seq, entity_id, subject_id, subject_name, channel,
                    received_at, received_tz, received_date, request_text, status, due_date,
                    extension_notice_due, target_date, created_at, updated_at, letter_lang)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                (
                    f"DSR-{year}-{seq:04d}",
                    year,
                    seq,
                    entity.id,
                    subject_id,
                    self._subject_name(subject_id),
                    new.channel.value,
                    utc_text(new.received),
                    entity.time_zone,
                    received_date.isoformat(),
                    new.text,
                    Status.RECEIVED.value,
                    deadlines.due.isoformat(),
                    deadlines.extension_notice_due.isoformat(),
                    deadlines.target.isoformat(),
                    utc_text(now),
                    utc_text(now),
                    new.letter_lang,
                ),
            ).lastrowid
            assert case_id is not None
            self._db.conn.executemany(
                "INSERT INTO case_rights (right, case_id) VALUES (?, ?)",
                [(right.value, case_id) for right in new.rights],
            )
            self._record(case_id, now, actor, "created", None, Status.RECEIVED, "")
        return case_id

    def _subject_name(self, subject_id: int) -> str:
        return str(self._db.execute("SELECT name FROM subjects WHERE id = ?", (subject_id,)).fetchone()[0])

    def _insert_subject(self, subject: SubjectDetails, country: str, now: datetime) -> int:
        """The subject with the keys it is recognised by; a phone without its country code is read as one of
        the receiving entity's ``country``."""
        phones = [(phone, phone_key(phone, country)) for phone in subject.phones]
        subject_id = self._db.execute(
            "INSERT INTO subjects (name, address, created_at, name_key, postal_key, birth_date, child)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                subject.name,
                subject.address,
                utc_text(now),
                name_key(subject.name),
                postal_key(subject.name, subject.address),
                subject.birth_date.isoformat() if subject.birth_date else None,
                int(subject.child),
            ),
        ).lastrowid
        assert subject_id is not None
        self._db.conn.executemany(
            "INSERT OR IGNORE INTO subject_emails (subject_id, email, email_key) VALUES (?, ?, ?)",
            [(subject_id, email, email_key(email)) for email in subject.emails],
        )
        self._db.conn.executemany(
            "INSERT OR IGNORE INTO subject_phones (subject_id, phone, phone_key) VALUES (?, ?, ?)",
            [(subject_id, phone, key) for phone, key in phones],
        )
        return subject_id

    def _next_seq(self, year: int) -> int:
        row = self._db.execute("SELECT coalesce(max(seq), 0) + 1 FROM cases WHERE year = ?", (year,))
        return int(row.fetchone()[0])

    def _deadlines(self, received_date: date, entity: Entity) -> Deadlines:
        rules = self._settings.get(RULES)
        request = DeadlineInput(received_date, entity.calendar, rules, time_zone=entity.time_zone)
        return case_deadlines(request, self._settings.get(TARGET_DAYS))

    def rules(self) -> Rules:
        """How pauses affect the clock in this store (a setting)."""
        return self._settings.get(RULES)

    def deadline_input(self, case: Case, *, today: date) -> DeadlineInput:
        """What the case's deadline is computed from, for the "Why this date?" view."""
        return case.deadline_input(self._settings.get(RULES), today)

    def recompute_deadlines(self, case_ids: Iterable[int] | None = None, *, today: date) -> int:
        """Store fresh dates after the rules, a calendar or a receipt changed; returns how many changed.

        Reads only what a deadline is computed from and counts each distinct input once: at 100,000 cases
        about 4,000 inputs without pauses cover most of them, and building whole cases to change none of them
        took seconds. A changed row is written with only the dates that changed: a new internal target
        leaves the indexes on the due date alone."""
        with write_transaction(self._db):
            rules, target_days = self._settings.get(RULES), self._settings.get(TARGET_DAYS)
            entities = {entity.id: entity for entity in self.register.entities()}
            counted: dict[str | tuple[str, tuple[tuple[str, str, str | None], ...]], str] = {}  # input: dates
            moved: list[tuple[str, str, str, int]] = []
            target_moved: list[tuple[str, int]] = []
            for rows, pauses in self._deadline_inputs(case_ids):
                for case_id, receipt, stored in rows:
                    case_pauses = pauses.get(case_id)
                    key = receipt if case_pauses is None else (receipt, case_pauses)
                    fresh = counted.get(key)
                    if fresh is None:
                        entity_id, received, extended = receipt.split(" ")
                        entity = entities[int(entity_id)]
                        request = DeadlineInput(
                            received=date.fromisoformat(received),
                            calendar=entity.calendar,
                            rules=rules,
                            pauses=tuple(_recorded_pause(*pause).as_of(today) for pause in case_pauses or ()),
                            extended=extended == "1",
                            time_zone=entity.time_zone,
                        )
                        deadlines = case_deadlines(request, target_days)
                        fresh = counted[key] = " ".join(
                            day.isoformat() for day in (deadlines.due, deadlines.extension_notice_due, deadlines.target)
                        )
                    if fresh == stored:
                        continue
                    due, notice_due, target = fresh.split(" ")
                    if stored.split(" ")[:2] == [due, notice_due]:
                        target_moved.append((target, case_id))
                    else:
                        moved.append((due, notice_due, target, case_id))
            self._db.conn.executemany(
                "UPDATE cases SET due_date = ?, extension_notice_due = ?, target_date = ? WHERE id = ?", moved
            )
            self._db.conn.executemany("UPDATE cases SET target_date = ? WHERE id = ?", target_moved)
        return len(moved) + len(target_moved)

    def _deadline_inputs(
        self, case_ids: Iterable[int] | None
    ) -> Iterator[tuple[list[tuple[int, str, str]], dict[int, tuple[tuple[str, str, str | None], ...]]]]:
        """In batches of cases (every case when ``case_ids`` is None): per case its id, "entity-id received-day
        extended(0/1)" and its stored "due notice-due target"; with the pauses of the batch's cases as
        (kind, start, end), in the order :meth:`cases` gives them. Text made by SQL: three values a row."""
        if case_ids is None:
            batches: Iterable[list[int]] = [[]]
        else:
            ids = list(case_ids)
            batches = (ids[start : start + _BATCH] for start in range(0, len(ids), _BATCH))
        for batch in batches:
            of_pauses = of_cases = ""
            if case_ids is not None:
                marks = ", ".join("?" * len(batch))
                of_pauses, of_cases = f" WHERE case_id IN ({marks})", f" WHERE id IN ({marks})"
            pauses: dict[int, list[tuple[str, str, str | None]]] = {}
            for case_id, *pause in self._db.execute(
                f"SELECT case_id, kind, start_date, end_date FROM pauses{of_pauses} ORDER BY case_id, start_date, id",
                batch,
            ):
                pauses.setdefault(case_id, []).append((pause[0], pause[1], pause[2]))
            rows = self._db.execute(
                "SELECT id, entity_id || ' ' || received_date || ' ' || (coalesce(extension_notice_sent_on, '') != ''),"
                f" due_date || ' ' || extension_notice_due || ' ' || target_date FROM cases{of_cases}",
                batch,
            ).fetchall()
            yield rows, {case_id: tuple(kept) for case_id, kept in pauses.items()}

    def with_deadlines_to_today(self, cases: Sequence[Case], *, today: date) -> list[Case]:
        """The cases with the dates an open pause gives them today, computed, not stored: for a reader that
        must not write (the stored dates catch up once a day, in :meth:`refresh_open_pauses`)."""
        rules, target_days = self._settings.get(RULES), self._settings.get(TARGET_DAYS)
        return [
            replace(case, deadlines=case_deadlines(case.deadline_input(rules, today), target_days))
            if case.open_pauses
            else case
            for case in cases
        ]

    def open_pauses_counted(self, today: date) -> bool:
        """Whether :meth:`refresh_open_pauses` has brought the stored dates up to ``today`` already."""
        done = self._db.execute("SELECT value FROM settings WHERE key = 'open_pauses_counted_to'").fetchone()
        return done is not None and done[0] == today.isoformat()

    def refresh_open_pauses(self, *, today: date, now: datetime) -> int:
        """An open pause moves the due date a day each day it lasts: bring those stored dates up to today,
        audited. Done at most once a day (the store remembers the day), so opening the app stays quick; only
        a writable open runs it, after the store passed the checks of opening it."""
        if self.open_pauses_counted(today):
            return 0
        with write_transaction(self._db):
            paused = [row[0] for row in self._db.execute("SELECT DISTINCT case_id FROM pauses WHERE end_date IS NULL")]
            changed = self.recompute_deadlines(paused, today=today) if paused else 0
            self._db.execute(
                "INSERT OR REPLACE INTO settings (key, value) VALUES ('open_pauses_counted_to', ?)",
                (today.isoformat(),),
            )
            if changed:
                audit.record(
                    self._db, actor="dpo-desk", action="deadlines-refreshed", entity="store", entity_id="",
                    details={"cases": changed, "to": today.isoformat()}, now=now,
                )  # fmt: skip
        return changed

    def apply_deadline_settings(
        self,
        changes: Mapping[Setting[Any], Any],
        calendars: Mapping[int, str],
        *,
        today: date,
        actor: str,
        now: datetime,
    ) -> int:
        """Save the deadline settings and the entities' calendars, and recompute every stored date, all or
        nothing; returns how many due dates changed."""
        with write_transaction(self._db):
            self._settings.save(changes, actor=actor, now=now)
            before = {entity.id: entity.calendar for entity in self.register.entities()}
            moved = {entity_id: calendar for entity_id, calendar in calendars.items() if before[entity_id] != calendar}
            for entity_id, calendar in moved.items():
                self.register.set_calendar(entity_id, calendar)
            changed = self.recompute_deadlines(today=today)
            details = {"calendars": {str(k): v for k, v in sorted(moved.items())}, "due_dates_changed": changed}
            audit.record(
                self._db,
                actor=actor,
                action="deadline-settings",
                entity="settings",
                entity_id="deadlines",
                details=details,
                now=now,
            )
            return changed

    def open_cases_of(self, entity_id: int) -> list[Case]:
        """The entity's open cases, oldest first."""
        return self.cases(self._open_case_ids(entity_id))

    def _open_case_ids(self, entity_id: int) -> list[int]:
        marks = ", ".join("?" * len(OPEN_STATUSES))
        rows = self._db.execute(
            f"SELECT id FROM cases WHERE entity_id = ? AND status IN ({marks}) ORDER BY year, seq",
            [entity_id, *(status.value for status in OPEN_STATUSES)],
        )
        return [row[0] for row in rows]

    def deadlines_moved_by(self, entity: Entity, *, today: date) -> list[MovedDeadlines]:
        """The open cases of ``entity``, as it is to be saved, whose receipt day or dates would change."""
        return deadlines_moved(
            self.open_cases_of(entity.id), entity, rules=self._settings.get(RULES), today=today,
            target_days=self._settings.get(TARGET_DAYS),
        )  # fmt: skip

    def update_entity(
        self, name_or_key: str, changes: Mapping[str, Any], *, today: date, actor: str, now: datetime
    ) -> tuple[Entity, list[MovedDeadlines]]:
        """Set fields of an entity, all or nothing. A new calendar moves the dates of its open cases; a new
        time zone also reads their receipts in it. Each case so changed says what moved and why in its
        history; closed cases keep the dates they were held to. Returns the entity as saved and the cases
        whose dates moved."""
        with write_transaction(self._db):
            entity = self.register.entity(name_or_key)
            changed = changed_entity(entity, changes)
            deadline_fields = deadline_fields_changed(entity, changed)
            moved = self.deadlines_moved_by(changed, today=today) if deadline_fields else []
            recorded = {"open_cases_due_date_moved": sum(m.due_moved for m in moved)} if deadline_fields else {}
            saved = self.register.update_entity(entity.key, changes, actor=actor, now=now, recorded=recorded)
            rezoned = changed.time_zone != entity.time_zone
            moved_by_id = {m.case_id: m for m in moved}
            why = "; ".join(
                f"{label} {getattr(entity, name)} → {getattr(changed, name)}"
                for name, label in (("calendar", "calendar"), ("time_zone", "time zone"))
                if name in deadline_fields
            )
            # Every open case's receipt is read in the new zone, so each records it, moved or not.
            for case_id in self._open_case_ids(entity.id) if rezoned else list(moved_by_id):
                case = moved_by_id.get(case_id)
                if case is not None:
                    self._db.execute(
                        "UPDATE cases SET received_date = ?, updated_at = ? WHERE id = ?",
                        (case.received_after.isoformat(), utc_text(now), case_id),
                    )
                    self._store_deadlines(case_id, case.after)
                if rezoned:
                    self._db.execute(
                        "UPDATE cases SET received_tz = ?, updated_at = ? WHERE id = ?",
                        (changed.time_zone, utc_text(now), case_id),
                    )
                    refresh_answered_on(self._db, case_id)  # a reopened case's first answer, read in the new zone
                what = case.changes() if case is not None else "no date moved"
                self._record(case_id, now, actor, "deadlines-moved", None, None, f"{saved.name}'s {why}: {what}")
        return saved, moved

    def set_letter_language(self, case_id: int, lang: str, *, detail: str, actor: str, now: datetime) -> None:
        """The language the case's letters are written in from now on; ``detail`` says it in the history."""
        with write_transaction(self._db):
            self._db.execute(
                "UPDATE cases SET letter_lang = ?, updated_at = ? WHERE id = ?", (lang, utc_text(now), case_id)
            )
            self._record(case_id, now, actor, "letter-language", None, None, detail)

    def correct_receipt(
        self, case_id: int, *, entity_name: str, received: datetime, actor: str, reason: str, now: datetime
    ) -> None:
        """Fix the receiving entity or the time of receipt; the deadlines follow, the history says why."""
        if not reason.strip():
            raise InputError("reason: say why the receipt is corrected; it goes into the history")
        check_not_future(received, now=now)
        with write_transaction(self._db):
            before = self.get_by_id(case_id)
            entity = self.register.entity(entity_name)
            received_date = received.astimezone(ZoneInfo(entity.time_zone)).date()
            self._db.execute(
                "UPDATE cases SET entity_id = ?, received_at = ?, received_tz = ?, received_date = ?, "
                "updated_at = ? WHERE id = ?",
                (
                    entity.id,
                    utc_text(received),
                    entity.time_zone,
                    received_date.isoformat(),
                    utc_text(now),
                    case_id,
                ),
            )
            refresh_answered_on(self._db, case_id)  # an answer already given, read in the new entity's zone
            change = (
                f"receipt corrected from {before.entity.name}, {utc_text(before.received_at)} "
                f"to {entity.name}, {utc_text(received)}: {reason.strip()}"
            )
            self._record(case_id, now, actor, "corrected", None, None, change)
            self.recompute_deadlines([case_id], today=now.astimezone().date())

    def _store_deadlines(self, case_id: int, deadlines: Deadlines) -> None:
        self._db.execute(
            "UPDATE cases SET due_date = ?, extension_notice_due = ?, target_date = ? WHERE id = ?",
            (
                deadlines.due.isoformat(),
                deadlines.extension_notice_due.isoformat(),
                deadlines.target.isoformat(),
                case_id,
            ),
        )

    # --- lookup -----------------------------------------------------------------------------

    def get(self, reference: str) -> Case:
        row = self._db.execute("SELECT id FROM cases WHERE reference = ?", (reference.strip().upper(),))
        found = row.fetchone()
        if found is None:
            raise NotFoundError(f"no case with reference {reference!r}")
        return self.get_by_id(found[0])

    def get_by_id(self, case_id: int) -> Case:
        found = self.cases([case_id])
        if not found:
            raise NotFoundError(f"no case with id {case_id}")
        return found[0]

    def cases(self, ids: Sequence[int]) -> list[Case]:
        """Whole cases in the order of ``ids``, in a few queries per batch (for lists and exports)."""
        entities = {entity.id: entity for entity in self.register.entities()}
        found: dict[int, Case] = {}
        for start in range(0, len(ids), _BATCH):
            batch = list(ids[start : start + _BATCH])
            marks = ", ".join("?" * len(batch))
            rows = list(self._db.query(f"SELECT * FROM cases WHERE id IN ({marks})", batch))
            subjects = self._subjects([row["subject_id"] for row in rows])
            pauses: dict[int, list[RecordedPause]] = {}
            for pause in self._db.query(
                f"SELECT * FROM pauses WHERE case_id IN ({marks}) ORDER BY start_date, id", batch
            ):
                pauses.setdefault(pause["case_id"], []).append(_pause(pause))
            for row in rows:
                case = _case(row, entities[row["entity_id"]], subjects[row["subject_id"]])
                found[row["id"]] = replace(case, pauses=tuple(pauses.get(row["id"], ())))
        return [found[case_id] for case_id in ids if case_id in found]

    def _subjects(self, subject_ids: Sequence[int]) -> dict[int, SubjectDetails]:
        marks = ", ".join("?" * len(subject_ids))
        emails: dict[int, list[str]] = {}
        for row in self._db.execute(
            f"SELECT subject_id, email FROM subject_emails WHERE subject_id IN ({marks}) ORDER BY rowid",
            list(subject_ids),
        ):
            emails.setdefault(row[0], []).append(row[1])
        phones: dict[int, list[str]] = {}
        for row in self._db.execute(
            f"SELECT subject_id, phone FROM subject_phones WHERE subject_id IN ({marks}) ORDER BY rowid",
            list(subject_ids),
        ):
            phones.setdefault(row[0], []).append(row[1])
        return {
            row[0]: SubjectDetails(
                row[1],
                tuple(emails.get(row[0], ())),
                tuple(phones.get(row[0], ())),
                row[2],
                birth_date=date.fromisoformat(row[3]) if row[3] else None,
                child=bool(row[4]),
            )
            for row in self._db.execute(
                f"SELECT id, name, address, birth_date, child FROM subjects WHERE id IN ({marks})",
                list(subject_ids),
            )
        }

    def exists(self, case_id: int) -> bool:
        return self._db.execute("SELECT 1 FROM cases WHERE id = ?", (case_id,)).fetchone() is not None

    def count(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM cases").fetchone()[0])

    def find_ids(self, query: CaseQuery, *, today: date) -> list[int]:
        """The ids the case list shows, filtered and sorted in SQL (instant at 100,000 cases)."""
        sql, params = self.list_statement(query, today=today)
        return [row[0] for row in self._db.execute(sql, params)]

    def list_statement(self, query: CaseQuery, *, today: date) -> tuple[str, list[Any]]:
        """The SQL behind :meth:`find_ids`, for it and for checking its query plan."""
        where: list[str] = []
        params: list[Any] = []
        expression = search_expression(query.text)
        if expression:
            where.append("c.id IN (SELECT rowid FROM case_search WHERE case_search MATCH ?)")
            params.append(expression)
        if query.status is not None:
            where.append("c.status = ?")
            params.append(query.status.value)
        if query.right is not None:
            where.append("c.id IN (SELECT case_id FROM case_rights WHERE right = ?)")
            params.append(query.right.value)
        if query.entity_id is not None:
            where.append("c.entity_id = ?")
            params.append(query.entity_id)
        if query.scope is not Scope.ALL:
            condition, values = scope_condition(query.scope, today)
            where.append(condition)
            params += values
        if query.received_from is not None and query.received_until is not None:
            where.append("c.received_date BETWEEN ? AND ?")
            params += [query.received_from.isoformat(), query.received_until.isoformat()]
        if query.answered_from is not None and query.answered_until is not None:
            condition, values = answered_condition(query.answered_from, query.answered_until, query.answered_how)
            where.append(condition)
            params += values
        if query.due_within_working_days is not None:
            # Each entity's own working days: its due dates follow its calendar.
            horizons = []
            for entity in self.register.entities():
                horizon = working_days_ahead(entity.calendar, today, query.due_within_working_days)
                horizons.append("WHEN ? THEN ?")
                params += [entity.id, horizon.isoformat()]
            marks = ", ".join("?" * len(OPEN_STATUSES))
            where.append(f"c.due_date <= CASE c.entity_id {' '.join(horizons)} END AND c.status IN ({marks})")
            params += [s.value for s in OPEN_STATUSES]
        if query.due_within_days is not None:
            marks = ", ".join("?" * len(OPEN_STATUSES))
            where.append(f"c.status IN ({marks}) AND c.due_date <= ?")
            params += [s.value for s in OPEN_STATUSES]
            params.append((today + timedelta(days=query.due_within_days)).isoformat())
        order = SORT_COLUMNS[query.sort].format(dir="DESC" if query.descending else "ASC", ranks=_STATUS_RANKS)
        joins = " JOIN entities e ON e.id = c.entity_id" if query.sort == "entity" else ""
        sql = f"SELECT c.id FROM cases c{joins}"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += f" ORDER BY {order}"
        return sql, params

    def summaries(self, ids: Sequence[int]) -> dict[int, CaseSummary]:
        """One query for a batch of rows of the case list."""
        if not ids:
            return {}
        marks = ", ".join("?" * len(ids))
        rows = self._db.query(
            f"""
            SELECT c.id, c.reference, c.subject_name, c.rights, e.name AS entity_name,
                   c.received_date, c.due_date, c.status
            FROM cases c JOIN entities e ON e.id = c.entity_id
            WHERE c.id IN ({marks})
            """,
            list(ids),
        )
        return {row["id"]: _summary(row) for row in rows}

    def earlier_cases(self, case: Case) -> list[EarlierCase]:
        """Cases received before this one from the same person: repeats, which a fee may rely on."""
        return self.matching(case.subject, case.entity.country, before=case.received_at, excluding=case.id)

    def matching(
        self, subject: SubjectDetails, country: str, *, before: datetime | None = None, excluding: int | None = None
    ) -> list[EarlierCase]:
        """Cases of the same person, newest first, each with what matched: an e-mail (ignoring case), a phone
        (in E.164, read with ``country`` as the default), the name with the postal address, or the subject the
        DPO linked the case ``excluding`` to. A name alone matches nothing (see :meth:`same_name`)."""
        parts: list[tuple[str, list[Any]]] = []
        emails = sorted({email_key(e) for e in subject.emails if e.strip()})
        if emails:
            parts.append((
                "SELECT c.id, 'e-mail ' || se.email_key FROM cases c"
                " JOIN subject_emails se ON se.subject_id = c.subject_id"
                f" WHERE se.email_key IN ({', '.join('?' * len(emails))})",
                emails,
            ))  # fmt: skip
        phones = sorted({key for phone in subject.phones if (key := phone_key_or_none(phone, country))})
        if phones:
            parts.append((
                "SELECT c.id, 'phone ' || sp.phone_key FROM cases c"
                " JOIN subject_phones sp ON sp.subject_id = c.subject_id"
                f" WHERE sp.phone_key IN ({', '.join('?' * len(phones))})",
                phones,
            ))  # fmt: skip
        postal = postal_key(subject.name, subject.address)
        if postal:
            parts.append((
                "SELECT c.id, 'name and address' FROM cases c JOIN subjects s ON s.id = c.subject_id"
                " WHERE s.postal_key = ?",
                [postal],
            ))  # fmt: skip
        if excluding is not None:
            parts.append((
                "SELECT c.id, 'the subject the DPO linked' FROM cases c"
                " WHERE c.subject_id = (SELECT subject_id FROM cases WHERE id = ?)",
                [excluding],
            ))  # fmt: skip
        return self._earlier(parts, before, excluding)

    def same_name(
        self, subject: SubjectDetails, *, before: datetime | None = None, excluding: int | None = None
    ) -> list[EarlierCase]:
        """The newest cases whose subject has the same name (ignoring case and punctuation): a hint for the
        DPO to look at, never a match, since two people share a name. A common name is shared by thousands
        of cases in a large store: only the newest few are fetched, on every keystroke and case shown, read
        in order from the index of each case's name key and time of receipt."""
        key = name_key(subject.name)
        if not key:
            return []
        sql = "SELECT c.id, 'name' FROM cases c WHERE c.name_key = ?"
        return self._earlier([(sql, [key])], before, excluding, newest=SAME_NAME_SHOWN)

    def _earlier(
        self,
        parts: Sequence[tuple[str, list[Any]]],
        before: datetime | None,
        excluding: int | None,
        *,
        newest: int | None = None,
    ) -> list[EarlierCase]:
        """The cases each part's statement finds, received ``before`` and other than ``excluding``; with
        ``newest``, only that many of one part's, the last received first."""
        selects, params = [], []
        for sql, part_params in parts:
            params.extend(part_params)
            if before is not None:
                sql += " AND c.received_at < ?"
                params.append(utc_text(before))
            if excluding is not None:
                sql += " AND c.id != ?"
                params.append(excluding)
            selects.append(sql)
        if not selects:
            return []
        query = " UNION ALL ".join(selects)
        if newest is not None:
            assert len(selects) == 1, "the newest of one statement's cases"
            query += f" ORDER BY c.received_at DESC, c.id DESC LIMIT {int(newest)}"
        matched: dict[int, list[str]] = {}
        for case_id, what in self._db.execute(query, params):
            if what not in matched.setdefault(case_id, []):
                matched[case_id].append(what)
        found = self.summaries(list(matched))
        return sorted(
            (EarlierCase(summary, ", ".join(matched[case_id])) for case_id, summary in found.items()),
            key=lambda e: (e.summary.received_date, e.summary.reference),
            reverse=True,
        )

    # --- lifecycle --------------------------------------------------------------------------

    def change_status(self, case_id: int, target: Status, *, actor: str, reason: str, now: datetime) -> None:
        """Move the case to ``target`` if the lifecycle allows it, recording who, when and why."""
        with write_transaction(self._db):
            row = self._db.execute("SELECT status FROM cases WHERE id = ?", (case_id,)).fetchone()
            if row is None:
                raise NotFoundError(f"no case with id {case_id}")
            current = Status(row[0])
            done = ", ".join(f"'{right.value}'" for right in NOTIFIABLE)  # owed once one was carried out
            open_notices = self._db.execute(
                "SELECT count(*) FROM recipient_notices WHERE case_id = ? AND state = 'to-notify'"
                f" AND EXISTS (SELECT 1 FROM outcomes WHERE case_id = ? AND kind IN ({done}))",
                (case_id, case_id),
            ).fetchone()[0]
            lifecycle.check_move(current, target, reason, open_notices=int(open_notices))
            missing = lifecycle.fact_missing(target, self._facts(case_id))
            if missing:
                raise RefusedError(f"{target.label.lower()}: {missing}")
            self._db.execute(
                "UPDATE cases SET status = ?, updated_at = ? WHERE id = ?",
                (target.value, utc_text(now), case_id),
            )
            self._record(case_id, now, actor, "status", current, target, reason.strip())

    def follow(self, case_id: int, target: Status, fact: str, *, actor: str, now: datetime) -> None:
        """Move the status to where a fact just recorded puts it, the fact as the reason; part of the caller's
        transaction. A case that has ended, or is there already, stays where it is."""
        current = Status(self._db.execute("SELECT status FROM cases WHERE id = ?", (case_id,)).fetchone()[0])
        if current is target or current in (Status.CLOSED, Status.REFUSED, Status.WITHDRAWN):
            return
        lifecycle.check_move(current, target, fact)
        self._db.execute(
            "UPDATE cases SET status = ?, updated_at = ? WHERE id = ?", (target.value, utc_text(now), case_id)
        )
        self._record(case_id, now, actor, "status", current, target, fact)

    def _facts(self, case_id: int) -> lifecycle.Facts:
        def one(sql: str) -> bool:
            return self._db.execute(sql, (case_id,)).fetchone() is not None

        return lifecycle.Facts(
            refused_in_full=one("SELECT 1 FROM refusals WHERE case_id = ? AND partial = 0")
            or one("SELECT 1 FROM identity_decisions WHERE case_id = ? AND status = 'failed'"),
            asked_the_subject=one(
                "SELECT 1 FROM pauses WHERE case_id = ? AND end_date IS NULL AND kind IN ('identity', 'clarification')"
            ),
            fee_pending=one("SELECT 1 FROM fees WHERE case_id = ? AND state IN ('announced', 'accepted')")
            or one("SELECT 1 FROM pauses WHERE case_id = ? AND end_date IS NULL AND kind = 'fee'"),
            copies_kept=self._db.execute(
                "SELECT count(*) FROM identity_checks"
                " WHERE case_id = ? AND method = 'copy-received' AND copy_deleted_on IS NULL",
                (case_id,),
            ).fetchone()[0],
        )

    def add_note(self, case_id: int, text: str, *, author: str, now: datetime) -> None:
        if not text.strip():
            raise InputError("note: the note is empty")
        with write_transaction(self._db):
            note_id = self._db.execute(
                "INSERT INTO notes (case_id, at, author, text) VALUES (?, ?, ?, ?)",
                (case_id, utc_text(now), author, text.strip()),
            ).lastrowid
            audit.record(
                self._db,
                actor=author,
                action="note",
                entity="case",
                entity_id=case_id,
                details={"note": note_id},
                now=now,
            )

    def notes(self, case_id: int) -> list[Note]:
        rows = self._db.query("SELECT at, author, text FROM notes WHERE case_id = ? ORDER BY at, id", [case_id])
        return [Note(parse_utc(row["at"]), row["author"], row["text"]) for row in rows]

    def history(self, case_id: int) -> list[CaseEvent]:
        rows = self._db.query("SELECT * FROM case_events WHERE case_id = ? ORDER BY at, id", [case_id])
        return [
            CaseEvent(
                at=parse_utc(row["at"]),
                actor=row["actor"],
                action=row["action"],
                from_status=Status(row["from_status"]) if row["from_status"] else None,
                to_status=Status(row["to_status"]) if row["to_status"] else None,
                reason=row["reason"],
            )
            for row in rows
        ]

    def record_event(
        self, case_id: int, now: datetime, actor: str, action: str, detail: str, ids: Mapping[str, object] = {}
    ) -> None:
        """A history entry for a step other than a status change; part of the caller's transaction. ``ids``
        go into the audit too (a letter's kind and id): the detail is case content, and stays out of it."""
        self._record(case_id, now, actor, action, None, None, detail, ids)

    def _record(
        self,
        case_id: int,
        now: datetime,
        actor: str,
        action: str,
        from_status: Status | None,
        to_status: Status | None,
        reason: str,
        ids: Mapping[str, object] = {},
    ) -> None:
        self._db.execute(
            "INSERT INTO case_events (case_id, at, actor, action, from_status, to_status, reason)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                case_id,
                utc_text(now),
                actor,
                action,
                from_status.value if from_status else None,
                to_status.value if to_status else None,
                reason,
            ),
        )
        if action == "status" and to_status is not None and to_status.value in ANSWERING:
            refresh_answered_on(self._db, case_id)
        # The audit keeps ids and statuses only: reasons and details are case content.
        statuses = {"from": from_status.value, "to": to_status.value} if from_status and to_status else {}
        details = statuses | dict(ids)
        audit.record(self._db, actor=actor, action=action, entity="case", entity_id=case_id, details=details, now=now)


def _rights(text: str) -> tuple[Right, ...]:
    return tuple(Right(value) for value in text.split(",") if value)


def _pause(row: dict[str, Any]) -> RecordedPause:
    return _recorded_pause(row["kind"], row["start_date"], row["end_date"], row["reason"])


def _recorded_pause(kind: str, start: str, end: str | None, reason: str = "") -> RecordedPause:
    return RecordedPause(PauseKind(kind), date.fromisoformat(start), date.fromisoformat(end) if end else None, reason)


def _case(row: dict[str, Any], entity: Entity, subject: SubjectDetails) -> Case:
    return Case(
        id=row["id"],
        reference=row["reference"],
        entity=entity,
        channel=Channel(row["channel"]),
        received_at=parse_utc(row["received_at"]),
        received_date=date.fromisoformat(row["received_date"]),
        rights=_rights(row["rights"]),
        subject=subject,
        text=row["request_text"],
        status=Status(row["status"]),
        deadlines=Deadlines(
            due=date.fromisoformat(row["due_date"]),
            extension_notice_due=date.fromisoformat(row["extension_notice_due"]),
            target=date.fromisoformat(row["target_date"]),
        ),
        extension=Extension(row["extension_reasons"], date.fromisoformat(row["extension_notice_sent_on"]))
        if row["extension_notice_sent_on"]
        else None,
        letter_lang=row["letter_lang"],
    )


def _summary(row: dict[str, Any]) -> CaseSummary:
    return CaseSummary(
        id=row["id"],
        reference=row["reference"],
        subject_name=row["subject_name"],
        rights=_rights(row["rights"]),
        entity_name=row["entity_name"],
        received_date=date.fromisoformat(row["received_date"]),
        due=date.fromisoformat(row["due_date"]),
        status=Status(row["status"]),
    )
