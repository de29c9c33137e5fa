"""Many new cases written at once: the demo's 100,000 in minutes, where one call per step took half an hour.

:class:`CaseBatch` offers the steps the demo plays (intake, identity, pauses, the extension, fee, refusal,
outcomes, Art. 19 recipients, status changes) with the signatures of the repositories that take one step per
call (``cases``, ``workflow``, ``decisions``, ``outcomes``), and the same checks from ``core/`` in the same
order. Instead of a few dozen statements per step it keeps each new case's rows in memory, and writes the
rows of a few thousand cases with one ``executemany`` per table. Each step's history entry and audit entry
are made as the repositories make them, the audit entry's seal computed from the rows in memory
(:func:`seals.row_text`, the Python twin of the seal's SQL), and the chain hashed as it grows.

It writes new cases only, each with a subject of its own, inside the caller's transaction; a step that fails
after it began to change a case leaves the batch unusable (the caller's transaction rolls back), as a failed
step of the repositories would have rolled back its own savepoint.

What a case costs is mostly Python's: each of its 17 or so audit entries seals the case (SHA-256 over each of
its tables, in name order) and adds a history row; then SQLCipher's insert of its 47 or so rows, indexes and
search index included (``bench/bench_demo.py`` sets it beside a bare ``executemany`` of as many rows).
"""

from __future__ import annotations

import bisect
import contextlib
import hashlib
import json
import operator
import secrets
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from dpo_desk.core import identity, lifecycle, suppression
from dpo_desk.core.deadlines import (
    DeadlineInput,
    Extension,
    PauseKind,
    Rules,
    case_deadlines,
    check_extension,
    check_pause,
    check_resume,
    explain,
)
from dpo_desk.core.errors import DeskError, NotFoundError, RefusedError
from dpo_desk.core.fees import FeeDecision, FeeState, validate_fee
from dpo_desk.core.identifiers import email_key, name_key, phone_key, phone_key_or_none, postal_key
from dpo_desk.core.identity import IdentityCheck, IdentityDecision, IdentityStatus, Method
from dpo_desk.core.models import Case, CaseSummary, EarlierCase, Entity, NewCase, Right, Status, SubjectDetails
from dpo_desk.core.outcomes import check_outcome, outcome_label
from dpo_desk.core.recipients import (
    NOTIFIABLE,
    NoticeState,
    RecipientNotice,
    changed_notices,
    needs_notices,
    notice_event,
)
from dpo_desk.core.refusal import Refusal, late_refusal_warning, validate_refusal
from dpo_desk.core.settings import TARGET_DAYS
from dpo_desk.core.worded import in_sentence
from dpo_desk.store import audit, seals
from dpo_desk.store.cases import CaseRepository, _case, _pause, utc_text
from dpo_desk.store.outcomes import _check_day
from dpo_desk.store.settings import StoreSettings
from dpo_desk.store.statistics import ANSWERING, local_date

CHUNK = 2000  # cases per write: a few MB of rows in memory

# The order rows are written in: a row's parent first (foreign keys are checked at each statement).
_WRITE_ORDER = (
    "subjects", "subject_emails", "subject_phones", "cases", "case_rights", "case_events", "identity_checks",
    "identity_decisions", "pauses", "fees", "fee_items", "refusals", "outcomes", "case_sources", "recipient_notices",
)  # fmt: skip
# Tables whose INTEGER PRIMARY KEY the batch numbers itself, as SQLite would (the largest id, plus one).
_NUMBERED = {"subjects": "id", "cases": "id", "case_events": "id", "identity_checks": "id", "pauses": "id",
             "fee_items": "id"}  # fmt: skip
# The tables a Case is read from, each with the part of it read from its rows alone (kept until they change).
_READ_FROM = {"cases": None, "pauses": "pauses", "subjects": "subject", "subject_emails": "subject",
              "subject_phones": "subject"}  # fmt: skip
_TEXT = "\0text"  # the key a row's text in its seal is kept under, beside its columns
_NOTICE = "\0notice"  # the key a recipient_notices row keeps its RecipientNotice under, until it changes
_UTC = timedelta(0)  # a moment at this offset is the same text in a row (utc_text) and in an audit entry
_ENDED = (Status.CLOSED, Status.REFUSED, Status.WITHDRAWN)
_NOTIFIABLE = frozenset(right.value for right in NOTIFIABLE)  # the outcomes that owe the recipients a notice
_RIGHT_ORDER = {right: rank for rank, right in enumerate(Right)}
_ASCII_FOLD = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")  # COLLATE NOCASE


class BatchBrokenError(DeskError):
    """A step failed after it had begun to change a case: the batch's rows are not to be written."""


@dataclass(slots=True)
class _Held:
    """One new case's rows in every table, as the store would hold them after the steps so far."""

    entity: Entity
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    texts: dict[str, list[str]] = field(default_factory=dict)  # each table's rows' texts in its seal, sorted
    order: list[str] = field(default_factory=list)  # those tables in name order, as the seal folds them
    named: dict[str, bytes] = field(default_factory=dict)  # each table's name and digest, until its rows change
    # Each table's digest under way: SHA-256 over its first texts, until a text sorts among them. A case's new
    # event mostly sorts last (its action, "recipient" for most, then its time and id): one text to hash.
    hashing: dict[str, tuple[Any, int]] = field(default_factory=dict)
    read: Case | None = None  # the case as get_by_id reads it, until a row it is read from changes
    parts: dict[str, Any] = field(default_factory=dict)  # its subject and pauses, until their rows change

    @property
    def case(self) -> dict[str, Any]:
        return self.rows["cases"][0]


class CaseBatch:
    """New cases, played step by step in memory and written a chunk at a time; see the module's doc."""

    def __init__(self, db: Database, cases: CaseRepository, settings: StoreSettings, *, chunk: int = CHUNK) -> None:
        if not db.conn.in_transaction:
            raise RefusedError("a batch of cases is written inside the caller's transaction")
        if not audit.has_seals(db) or not audit.is_compact(db):
            raise RefusedError("this store's audit predates migration 0018: migrate it first")
        self._db = db
        self._repo = cases
        self._chunk = chunk
        self._columns = seals.sealed_tables(db)
        self._table_names = {table: table.encode() + b"\0" for table in self._columns}  # as fold_table joins them
        self._write_columns = {
            table: [row[0] for row in db.execute("SELECT name FROM pragma_table_info(?)", (table,))]
            for table in _WRITE_ORDER
        }
        # A new row's values before its own: each column's default, as its seal reads it (None when unsealed).
        self._defaults = {
            table: dict.fromkeys(self._write_columns[table]) | {c.name: c.default for c in self._columns[table]}
            for table in _WRITE_ORDER
        }
        self._rules: Rules = cases.rules()
        self._target_days = settings.get(TARGET_DAYS)
        self._entities: dict[str, Entity] = {}
        self._sources = dict(db.execute("SELECT key, id FROM sources").fetchall())
        self._processors = {
            row[0]: (row[1], row[2], row[2].translate(_ASCII_FOLD))
            for row in db.execute("SELECT id, key, service FROM processors")
        }
        self._processor_ids = {key: processor_id for processor_id, (key, _, _) in self._processors.items()}
        self._proposed: dict[tuple[int, ...], list[int]] = {}
        self._next = {
            table: int(db.execute(f"SELECT coalesce(max({key}), 0) FROM {table}").fetchone()[0]) + 1
            for table, key in _NUMBERED.items()
        }
        self._seqs = dict(db.execute("SELECT year, max(seq) FROM cases GROUP BY year").fetchall())
        head = audit.head(db)
        self._audit_seq, self._audit_hash = head.seq, head.hash
        self._audit_written = head  # what the store's head must be when the next chunk is written
        self._held: dict[int, _Held] = {}
        self._audit_rows: list[tuple[Any, ...]] = []
        self._suppressed: list[tuple[str, str, str]] = []
        self._by_key: dict[str, list[int]] = {}  # identifier → the held cases whose subject has it
        self._salt: str | None = None
        self._broken = False
        self._changed = False
        self._details: dict[tuple[Status | None, Status | None], str] = {}
        self._utc_texts: dict[datetime, tuple[str, str]] = {}

    # --- writing -----------------------------------------------------------------------------

    def flush(self) -> None:
        """Write every held case's rows, and the audit entries made so far."""
        self._usable()
        if audit.head(self._db) != self._audit_written:
            raise RefusedError("the audit log was written to beside the batch: its entries would not follow")
        for table in _WRITE_ORDER:
            columns = self._write_columns[table]
            values = operator.itemgetter(*columns)  # every column is in a held row (see _defaults)
            rows = [values(row) for held in self._held.values() for row in held.rows.get(table, ())]
            if rows:
                names = ", ".join(f'"{column}"' for column in columns)
                self._db.conn.executemany(
                    f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * len(columns))})", rows
                )
        self._db.conn.executemany(
            "INSERT OR IGNORE INTO suppression (identifier_hash, kind, added_on) VALUES (?, ?, ?)", self._suppressed
        )
        entry_columns = audit.CASE_ENTRY_COLUMNS
        self._db.conn.executemany(
            f"INSERT INTO audit ({', '.join(entry_columns)}) VALUES ({', '.join('?' * len(entry_columns))})",
            self._audit_rows,
        )
        self._audit_written = audit.Anchor(self._audit_seq, self._audit_hash)
        self._held.clear()
        self._by_key.clear()
        self._audit_rows.clear()
        self._suppressed.clear()

    def _utc(self, moment: datetime) -> str:
        """``utc_text``, once for each moment: a step records the same moment in several rows."""
        return self._texts_of(moment)[0]

    def _texts_of(self, moment: datetime) -> tuple[str, str]:
        """The moment as ``utc_text`` gives it, and as an audit entry holds it."""
        texts = self._utc_texts.get(moment)
        if texts is None:
            if len(self._utc_texts) > 64:
                self._utc_texts.clear()
            if moment.utcoffset() == _UTC and moment.year >= 1000:  # strftime's text, without its slow parsing
                utc = moment.isoformat(timespec="seconds")[:19] + "Z"
                texts = (utc, utc)
            else:
                texts = (utc_text(moment), audit.entry_time(moment))
            self._utc_texts[moment] = texts
        return texts

    def _usable(self) -> None:
        if self._broken:
            raise BatchBrokenError("an earlier step failed half-way: the batch is not written")

    @contextlib.contextmanager
    def _step(self) -> Iterator[None]:
        """One step: checks first; a failure after the first change breaks the batch."""
        self._usable()
        self._changed = False
        try:
            yield
        except BaseException:
            if self._changed:
                self._broken = True
            raise

    def _held_case(self, case_id: int) -> _Held:
        held = self._held.get(case_id)
        if held is None:
            raise NotFoundError(f"no case with id {case_id} in this batch")
        return held

    def _insert(self, held: _Held, table: str, row: dict[str, Any]) -> dict[str, Any]:
        self._changed = True
        key = _NUMBERED.get(table)
        given, row = row, self._defaults[table] | row
        if key is not None and key not in given:
            row[key] = self._next[table]
            self._next[table] += 1
        held.rows.setdefault(table, []).append(row)
        text = row[_TEXT] = seals.row_text(self._columns[table], row)
        self._add_text(held, table, text)
        self._rows_changed(held, table)
        return row

    def _update(self, held: _Held, table: str, row: dict[str, Any], **values: Any) -> None:
        self._changed = True
        row.update(values)
        row.pop(_NOTICE, None)
        texts = held.texts[table]
        at = texts.index(row[_TEXT])
        del texts[at]
        self._hashed_up_to(held, table, at)
        text = row[_TEXT] = seals.row_text(self._columns[table], row)
        self._add_text(held, table, text)
        self._rows_changed(held, table)

    def _add_text(self, held: _Held, table: str, text: str) -> None:
        texts = held.texts.get(table)
        if texts is None:
            texts = held.texts[table] = []
            held.order = sorted(held.texts)
        at = bisect.bisect_right(texts, text)
        texts.insert(at, text)
        self._hashed_up_to(held, table, at)

    def _hashed_up_to(self, held: _Held, table: str, at: int) -> None:
        """The table's texts changed from position ``at`` on: the digest under way is kept if it hashed none."""
        hashing = held.hashing.get(table)
        if hashing is not None and hashing[1] > at:
            del held.hashing[table]

    def _rows_changed(self, held: _Held, table: str) -> None:
        """Forget what was computed from the case's rows of ``table``."""
        held.named.pop(table, None)
        if table in _READ_FROM:
            held.read = None
            part = _READ_FROM[table]
            if part is not None:
                held.parts.pop(part, None)

    def _drop(self, held: _Held, table: str, kept: Callable[[dict[str, Any]], bool] = lambda row: False) -> None:
        """Delete the case's rows of ``table`` but those ``kept`` says to keep (a DELETE, an INSERT OR REPLACE)."""
        rows = held.rows.get(table)
        if rows:
            self._changed = True
            rows[:] = [row for row in rows if kept(row)]
            held.texts[table] = sorted(row[_TEXT] for row in rows)
            held.hashing.pop(table, None)
            self._rows_changed(held, table)

    def _seal(self, held: _Held) -> str:
        """:func:`seals.case_state` of the held case: ``seals.fold_table`` over its tables, inlined."""
        state, known, names, sha256 = b"", held.named, self._table_names, hashlib.sha256
        for table in held.order:
            named = known.get(table)
            if named is None:
                texts = held.texts[table]
                if not texts:
                    continue
                hashed, done = held.hashing.get(table) or (sha256(), 0)
                hashed.update(("\n".join(texts[done:]) + "\n").encode())  # as seals.table_digest_sorted hashes
                held.hashing[table] = (hashed, len(texts))
                named = known[table] = names[table] + hashed.copy().digest()
            state = sha256(state + named).digest()
        return seals.seal_of(state)

    def _record(
        self,
        held: _Held,
        now: datetime,
        actor: str,
        action: str,
        from_status: Status | None,
        to_status: Status | None,
        reason: str,
    ) -> None:
        """The history entry and the audit entry of a step, as ``CaseRepository._record`` makes them."""
        case_id = held.case["id"]
        at, entry_at = self._texts_of(now)
        self._insert(held, "case_events", {
            "case_id": case_id, "at": at, "actor": actor, "action": action,
            "from_status": from_status.value if from_status else None,
            "to_status": to_status.value if to_status else None, "reason": reason,
        })  # fmt: skip
        if action == "status" and to_status is not None and to_status.value in ANSWERING:
            first = min(row["at"] for row in held.rows["case_events"]
                        if row["action"] == "status" and row["to_status"] in ANSWERING)  # fmt: skip
            held.case["answered_on"] = local_date(first, held.case["received_tz"])  # as refresh_answered_on does
        statuses = (from_status, to_status) if from_status and to_status else (None, None)
        details = self._details.get(statuses)
        if details is None:
            details = self._details[statuses] = audit.canonical(
                {"from": from_status.value, "to": to_status.value} if from_status and to_status else {}
            )
        self._audit_seq += 1
        row = audit.case_entry(
            self._audit_hash, self._audit_seq, entry_at, actor, action, case_id, details, self._seal(held)
        )
        self._audit_hash = row[7].hex()
        self._audit_rows.append(row)

    # --- intake ------------------------------------------------------------------------------

    def add(self, new: NewCase, *, actor: str, now: datetime) -> int:
        """As :meth:`CaseRepository.add`, for a case with a subject of its own."""
        with self._step():
            if len(self._held) >= self._chunk:
                self.flush()
            entity = self._entity(new.entity_name)
            received_date = new.received.astimezone(ZoneInfo(entity.time_zone)).date()
            if len(set(new.rights)) != len(new.rights):
                raise RefusedError("rights: a right is named twice")
            year = received_date.year
            seq = self._seqs.get(year, 0) + 1
            request = DeadlineInput(received_date, entity.calendar, self._rules, time_zone=entity.time_zone)
            deadlines = case_deadlines(request, self._target_days)
            case_id = self._next["cases"]
            held = self._held[case_id] = _Held(entity)
            self._seqs[year] = seq
            subject_id = self._insert_subject(held, new.subject, entity.country, now)
            self._insert(held, "cases", {
                "id": case_id, "reference": f"DSR-{year}-{seq:04d}", "year": year, "seq": seq,
                "entity_id": entity.id, "subject_id": subject_id, "subject_name": new.subject.name,
                "name_key": held.rows["subjects"][0]["name_key"],
                "channel": new.channel.value, "received_at": self._utc(new.received), "received_tz": entity.time_zone,
                "received_date": received_date.isoformat(), "request_text": new.text,
                "status": Status.RECEIVED.value, "due_date": deadlines.due.isoformat(),
                "extension_notice_due": deadlines.extension_notice_due.isoformat(),
                "target_date": deadlines.target.isoformat(), "created_at": self._utc(now), "updated_at": self._utc(now),
                "letter_lang": new.letter_lang,
                # what the trigger on case_rights makes of them
                "rights": ",".join(right.value for right in sorted(new.rights, key=_RIGHT_ORDER.__getitem__)),
            })  # fmt: skip
            self._next["cases"] += 1
            for right in new.rights:
                self._insert(held, "case_rights", {"right": right.value, "case_id": case_id})
            self._record(held, now, actor, "created", None, Status.RECEIVED, "")
            self._index(held, case_id)
        return case_id

    def _entity(self, name: str) -> Entity:
        entity = self._entities.get(name)
        if entity is None:
            entity = self._entities[name] = self._repo.register.entity(name)
        return entity

    def _insert_subject(self, held: _Held, subject: SubjectDetails, country: str, now: datetime) -> int:
        row = self._insert(held, "subjects", {
            "name": subject.name, "address": subject.address, "created_at": self._utc(now),
            "name_key": name_key(subject.name), "postal_key": postal_key(subject.name, subject.address),
            "birth_date": subject.birth_date.isoformat() if subject.birth_date else None, "child": int(subject.child),
        })  # fmt: skip
        subject_id: int = row["id"]
        keys: set[str] = set()
        for email in subject.emails:  # INSERT OR IGNORE: the first of each key is kept
            key = email_key(email)
            if key not in keys:
                keys.add(key)
                self._insert(held, "subject_emails", {"subject_id": subject_id, "email": email, "email_key": key})
        phones: set[str] = set()
        for phone in subject.phones:
            key = phone_key(phone, country)
            if phone not in phones:
                phones.add(phone)
                self._insert(held, "subject_phones", {"subject_id": subject_id, "phone": phone, "phone_key": key})
        return subject_id

    def _index(self, held: _Held, case_id: int) -> None:
        """What :meth:`earlier_cases` finds a held case by, as ``CaseRepository.matching`` finds a stored one."""
        subject = held.rows["subjects"][0]
        keys = [f"e-mail {row['email_key']}" for row in held.rows.get("subject_emails", ())]
        keys += [f"phone {row['phone_key']}" for row in held.rows.get("subject_phones", ()) if row["phone_key"]]
        if subject["postal_key"]:
            keys.append(f"postal {subject['postal_key']}")
        for key in keys:
            self._by_key.setdefault(key, []).append(case_id)

    # --- reading a held case -----------------------------------------------------------------

    def get_by_id(self, case_id: int) -> Case:
        held = self._held_case(case_id)
        if held.read is None:
            held.read = self._read(held)
        return held.read

    def _read(self, held: _Held) -> Case:
        parts = held.parts
        details = parts.get("subject")
        if details is None:
            subject = held.rows["subjects"][0]
            details = parts["subject"] = SubjectDetails(
                subject["name"],
                tuple(row["email"] for row in held.rows.get("subject_emails", ())),
                tuple(row["phone"] for row in held.rows.get("subject_phones", ())),
                subject["address"],
                birth_date=date.fromisoformat(subject["birth_date"]) if subject["birth_date"] else None,
                child=bool(subject["child"]),
            )
        pauses = parts.get("pauses")
        if pauses is None:
            rows = sorted(held.rows.get("pauses", ()), key=lambda row: (row["start_date"], row["id"]))
            pauses = parts["pauses"] = tuple(_pause(row) for row in rows)
        case = _case(held.case, held.entity, details)
        return replace(case, pauses=pauses) if pauses else case

    def earlier_cases(self, case: Case) -> list[EarlierCase]:
        """As :meth:`CaseRepository.earlier_cases`: the stored cases, and the held ones, received before."""
        subject, country = case.subject, case.entity.country
        found = self._repo.earlier_cases(case)  # those written already (held cases are not in the store yet)
        keys = [f"e-mail {key}" for key in sorted({email_key(e) for e in subject.emails if e.strip()})]
        phones = {key for phone in subject.phones if (key := phone_key_or_none(phone, country))}
        keys += [f"phone {key}" for key in sorted(phones)]
        postal = postal_key(subject.name, subject.address)
        if postal:
            keys.append(f"postal {postal}")
        before = self._utc(case.received_at)
        matched: dict[int, list[str]] = {}
        for key in keys:
            what = "name and address" if key.startswith("postal ") else key
            for case_id in self._by_key.get(key, ()):
                row = self._held[case_id].case
                if case_id != case.id and row["received_at"] < before and what not in matched.get(case_id, []):
                    matched.setdefault(case_id, []).append(what)
        for case_id, found_by in matched.items():
            row = self._held[case_id].case
            summary = CaseSummary(
                id=case_id,
                reference=row["reference"],
                subject_name=row["subject_name"],
                rights=tuple(Right(value) for value in row["rights"].split(",") if value),
                entity_name=self._held[case_id].entity.name,
                received_date=date.fromisoformat(row["received_date"]),
                due=date.fromisoformat(row["due_date"]),
                status=Status(row["status"]),
            )
            found.append(EarlierCase(summary, ", ".join(found_by)))
        return sorted(found, key=lambda e: (e.summary.received_date, e.summary.reference), reverse=True)

    def decision(self, case_id: int) -> IdentityDecision | None:
        rows = self._held_case(case_id).rows.get("identity_decisions")
        if not rows:
            return None
        row = rows[0]
        return IdentityDecision(
            IdentityStatus(row["status"]), row["reason"], row["decided_by"], datetime.fromisoformat(row["decided_at"])
        )

    def notices(self, case_id: int) -> list[RecipientNotice]:
        rows = sorted(
            self._held_case(case_id).rows.get("recipient_notices", ()),
            key=lambda row: self._processors[row["processor_id"]][2],  # ORDER BY service COLLATE NOCASE
        )
        return [self._notice(row) for row in rows]

    def _notice(self, row: dict[str, Any]) -> RecipientNotice:
        notice: RecipientNotice | None = row.get(_NOTICE)
        if notice is None:
            notice = row[_NOTICE] = self._read_notice(row)
        return notice

    def _read_notice(self, row: dict[str, Any]) -> RecipientNotice:
        key, service, _ = self._processors[row["processor_id"]]
        return RecipientNotice(
            processor_key=key,
            service=service,
            state=NoticeState(row["state"]),
            notified_on=date.fromisoformat(row["notified_on"]) if row["notified_on"] else None,
            channel=row["channel"],
            confirmed_on=date.fromisoformat(row["confirmed_on"]) if row["confirmed_on"] else None,
            reason=row["reason"],
        )

    # --- status ------------------------------------------------------------------------------

    def change_status(self, case_id: int, target: Status, *, actor: str, reason: str, now: datetime) -> None:
        with self._step():
            held = self._held_case(case_id)
            current = Status(held.case["status"])
            owed = any(row["kind"] in _NOTIFIABLE for row in held.rows.get("outcomes", ()))
            open_notices = (
                sum(row["state"] == NoticeState.TO_NOTIFY.value for row in held.rows.get("recipient_notices", ()))
                if owed
                else 0
            )
            lifecycle.check_move(current, target, reason, open_notices=open_notices)
            missing = lifecycle.fact_missing(target, self._facts(held))
            if missing:
                raise RefusedError(f"{target.label.lower()}: {missing}")
            self._update(held, "cases", held.case, status=target.value, updated_at=self._utc(now))
            self._record(held, now, actor, "status", current, target, reason.strip())

    def _follow(self, held: _Held, target: Status, fact: str, *, actor: str, now: datetime) -> None:
        current = Status(held.case["status"])
        if current is target or current in _ENDED:
            return
        lifecycle.check_move(current, target, fact)
        self._update(held, "cases", held.case, status=target.value, updated_at=self._utc(now))
        self._record(held, now, actor, "status", current, target, fact)

    def _facts(self, held: _Held) -> lifecycle.Facts:
        rows = held.rows
        open_pauses = [row["kind"] for row in rows.get("pauses", ()) if row["end_date"] is None]
        return lifecycle.Facts(
            refused_in_full=any(row["partial"] == 0 for row in rows.get("refusals", ()))
            or any(row["status"] == "failed" for row in rows.get("identity_decisions", ())),
            asked_the_subject=any(kind in ("identity", "clarification") for kind in open_pauses),
            fee_pending=any(row["state"] in ("announced", "accepted") for row in rows.get("fees", ()))
            or "fee" in open_pauses,
            copies_kept=sum(
                row["method"] == Method.COPY_RECEIVED.value and row["copy_deleted_on"] is None
                for row in rows.get("identity_checks", ())
            ),
        )

    def _recompute(self, held: _Held, today: date) -> None:
        case = self.get_by_id(held.case["id"])
        fresh = case_deadlines(case.deadline_input(self._rules, today), self._target_days)
        if fresh != case.deadlines:
            self._update(
                held, "cases", held.case, due_date=fresh.due.isoformat(),
                extension_notice_due=fresh.extension_notice_due.isoformat(), target_date=fresh.target.isoformat(),
            )  # fmt: skip

    # --- identity, pauses, extension (as ``Workflow``) -----------------------------------------

    def record_check(self, case_id: int, check: IdentityCheck, *, actor: str, now: datetime) -> None:
        with self._step():
            held = self._held_case(case_id)
            case = self.get_by_id(case_id)
            identity.validate_check(check, received_at=case.received_at, now=now)
            identity.check_not_waived(self.decision(case_id))
            self._insert(held, "identity_checks", {
                "case_id": case_id, "evidence": check.evidence.value, "method": check.method.value,
                "checked_by": check.checked_by.strip(), "checked_at": self._utc(check.checked_at),
                "outcome": check.outcome.value, "reference": check.reference.strip(),
                "copy_deleted_on": check.copy_deleted_on.isoformat() if check.copy_deleted_on else None,
                "note": check.note.strip(),
            })  # fmt: skip
            label = f"{check.evidence.label}, {in_sentence(check.method.label)}: {check.outcome.label.lower()}"
            self._record(held, now, actor, "identity-check", None, None, label)

    def decide_identity(self, case_id: int, status: IdentityStatus, reason: str, *, actor: str, now: datetime) -> None:
        identity.check_decision(status, reason)
        with self._step():
            held = self._held_case(case_id)
            self._drop(held, "identity_decisions")  # INSERT OR REPLACE
            self._insert(held, "identity_decisions", {
                "case_id": case_id, "status": status.value, "reason": reason.strip(), "decided_by": actor,
                "decided_at": self._utc(now),
            })  # fmt: skip
            self._record(held, now, actor, "identity-decision", None, None, f"{status.label}: {reason.strip()}")
            if status is IdentityStatus.FAILED:
                self._follow(
                    held, Status.REFUSED, "identity could not be established (Art. 11(2))", actor=actor, now=now
                )

    def pause(self, case_id: int, kind: PauseKind, start: date, reason: str, *, actor: str, now: datetime) -> list[str]:
        today = now.astimezone().date()
        with self._step():
            held = self._held_case(case_id)
            case = self.get_by_id(case_id)
            check_pause(kind, start, reason, received=case.received_date, today=today, pauses=case.pauses)
            self._insert(held, "pauses", {
                "case_id": case_id, "kind": kind.value, "start_date": start.isoformat(), "end_date": None,
                "reason": reason.strip(),
            })  # fmt: skip
            self._record(held, now, actor, "pause", None, None, f"{kind.label} from {start}: {reason.strip()}")
            waiting = Status.WAITING_ON_FEE if kind is PauseKind.FEE else Status.WAITING_ON_SUBJECT
            self._follow(held, waiting, f"{kind.label} pause from {start}", actor=actor, now=now)
            self._recompute(held, today)
            fresh = self.get_by_id(case_id)
        return list(explain(fresh.deadline_input(self._rules, today)).warnings)

    def resume(self, case_id: int, kind: PauseKind, end: date, *, actor: str, now: datetime) -> None:
        today = now.astimezone().date()
        with self._step():
            held = self._held_case(case_id)
            case = self.get_by_id(case_id)
            check_resume(kind, end, today=today, pauses=case.pauses)
            for row in held.rows.get("pauses", ()):
                if row["kind"] == kind.value and row["end_date"] is None:
                    self._update(held, "pauses", row, end_date=end.isoformat())
            self._record(held, now, actor, "resume", None, None, f"{kind.label} answer received on {end}")
            still_open = [row for row in held.rows.get("pauses", ()) if row["end_date"] is None]
            if case.status in (Status.WAITING_ON_SUBJECT, Status.WAITING_ON_FEE) and not still_open:
                self._follow(held, Status.IN_PROGRESS, f"{kind.label} answer received on {end}", actor=actor, now=now)
            self._recompute(held, today)

    def extend(self, case_id: int, extension: Extension, *, actor: str, now: datetime) -> None:
        today = now.astimezone().date()
        with self._step():
            held = self._held_case(case_id)
            case = self.get_by_id(case_id)
            request = case.deadline_input(self._rules, today)
            check_extension(request, extension, today=today, already_extended=case.extension is not None)
            self._update(
                held, "cases", held.case, extension_reasons=extension.reasons.strip(),
                extension_notice_sent_on=extension.notice_sent_on.isoformat(), updated_at=self._utc(now),
            )  # fmt: skip
            what = f"notice sent {extension.notice_sent_on}: {extension.reasons.strip()}"
            self._record(held, now, actor, "extend", None, None, what)
            self._recompute(held, today)

    # --- fee and refusal (as ``Decisions``) ----------------------------------------------------

    def decide_fee(self, case_id: int, decision: FeeDecision, *, actor: str, now: datetime) -> None:
        with self._step():
            held = self._held_case(case_id)
            case = self.get_by_id(case_id)
            if held.rows.get("fees"):
                raise RefusedError("the case already has a fee decision; record the subject's answer instead")
            validate_fee(decision, received=case.received_date, today=now.astimezone().date())
            known = {e.summary.reference for e in self.earlier_cases(case)}
            unknown = [ref for ref in decision.earlier_cases if ref not in known]
            if unknown:
                raise RefusedError(f"earlier_cases: {', '.join(unknown)} are not earlier cases of this subject")
            self._insert(held, "fees", {
                "case_id": case_id, "basis": decision.basis.value, "facts": decision.facts.strip(),
                "earlier_cases": json.dumps(list(decision.earlier_cases)), "currency": decision.currency.upper(),
                "announced_on": decision.announced_on.isoformat(), "state": FeeState.ANNOUNCED.value,
                "answer_by": decision.answer_by.isoformat() if decision.answer_by else None,
            })  # fmt: skip
            for item in decision.items:
                self._insert(held, "fee_items", {
                    "case_id": case_id, "description": item.description, "quantity": str(item.quantity),
                    "unit_cost": str(item.unit_cost),
                })  # fmt: skip
            what = f"{decision.basis.value}: {decision.total} {decision.currency.upper()}"
            self._record(held, now, actor, "fee", None, None, what)
            announced = f"fee announced on {decision.announced_on}"
            self._follow(held, Status.WAITING_ON_FEE, announced, actor=actor, now=now)
            if self._rules is Rules.ICO and not any(p.kind is PauseKind.FEE for p in case.open_pauses):
                self._insert(held, "pauses", {
                    "case_id": case_id, "kind": "fee", "start_date": decision.announced_on.isoformat(),
                    "end_date": None, "reason": "fee announced; waiting for the payment",
                })  # fmt: skip
                self._recompute(held, now.astimezone().date())

    def refuse(self, case_id: int, refusal: Refusal, *, actor: str, now: datetime) -> str:
        with self._step():
            held = self._held_case(case_id)
            case = self.get_by_id(case_id)
            validate_refusal(refusal, received=case.received_date, today=now.astimezone().date())
            self._drop(held, "refusals")  # INSERT OR REPLACE
            self._insert(held, "refusals", {
                "case_id": case_id, "partial": int(refusal.partial),
                "grounds": json.dumps([g.value for g in refusal.grounds]), "other_ground": refusal.other_ground.strip(),
                "reasons": refusal.reasons.strip(), "decided_on": refusal.decided_on.isoformat(),
            })  # fmt: skip
            kind = "partial" if refusal.partial else "full"
            grounds = ", ".join(g.label for g in refusal.grounds)
            self._record(held, now, actor, "refusal", None, None, f"{kind} refusal on {grounds}")
            if not refusal.partial:
                self._follow(held, Status.REFUSED, f"refused on {refusal.decided_on}", actor=actor, now=now)
        return late_refusal_warning(refusal, case.deadlines.extension_notice_due)

    # --- outcomes and recipients (as ``Outcomes``) ---------------------------------------------

    def record_outcome(self, case_id: int, kind: str, details: dict[str, Any], *, actor: str, now: datetime) -> None:
        with self._step():
            held = self._held_case(case_id)
            case = self.get_by_id(case_id)
            clean = check_outcome(kind, details, case.rights)
            if kind == Right.OBJECTION and clean.get("direct_marketing"):
                clean["suppressed"] = self._suppress(case, now)
            self._drop(held, "outcomes", lambda row: row["kind"] != kind)  # INSERT OR REPLACE
            self._insert(held, "outcomes", {
                "case_id": case_id, "kind": kind, "details": json.dumps(clean, ensure_ascii=False),
                "recorded_by": actor, "recorded_at": self._utc(now),
            })  # fmt: skip
            self._record(held, now, actor, "outcome", None, None, outcome_label(kind))

    def _suppress(self, case: Case, now: datetime) -> list[str]:
        if self._salt is None:
            row = self._db.execute("SELECT value FROM settings WHERE key = 'suppression_salt'").fetchone()
            if row is None:
                self._db.execute(
                    "INSERT INTO settings (key, value) VALUES ('suppression_salt', ?)", (secrets.token_hex(16),)
                )
                row = self._db.execute("SELECT value FROM settings WHERE key = 'suppression_salt'").fetchone()
            self._salt = str(row[0])
        found = suppression.identifiers(case.subject, case.entity.country)
        self._changed = True
        self._suppressed += [
            (suppression.hash_of(key, self._salt), kind, now.date().isoformat()) for kind, key in found
        ]
        return sorted({kind for kind, _ in found})

    def set_sources(self, case_id: int, source_keys: list[str], *, actor: str, now: datetime) -> list[str]:
        with self._step():
            held = self._held_case(case_id)
            case = self.get_by_id(case_id)
            ids = []
            for key in source_keys:
                if key not in self._sources:
                    raise NotFoundError(f"sources: unknown source {key!r}")
                ids.append(self._sources[key])
            self._drop(held, "case_sources")
            for source_id in ids:
                self._insert(held, "case_sources", {"case_id": case_id, "source_id": source_id})
            if needs_notices(case.rights):
                present = {row["processor_id"] for row in held.rows.get("recipient_notices", ())}
                for processor_id in self._proposed_by(ids):
                    if processor_id not in present:  # INSERT OR IGNORE: the notices under way are kept
                        self._insert(held, "recipient_notices", {
                            "case_id": case_id, "processor_id": processor_id, "state": NoticeState.TO_NOTIFY.value,
                            "notified_on": None, "confirmed_on": None,
                        })  # fmt: skip
            self._record(held, now, actor, "sources", None, None, ", ".join(source_keys))
        return [notice.service for notice in self.notices(case_id)]

    def _proposed_by(self, source_ids: Sequence[int]) -> list[int]:
        """The recipients of these sources, in the order the repositories' INSERT … SELECT DISTINCT adds them."""
        key = tuple(source_ids)
        if key not in self._proposed:
            marks = ", ".join("?" * len(key)) or "NULL"
            self._proposed[key] = [
                row[1]
                for row in self._db.execute(
                    f"SELECT DISTINCT ?, processor_id FROM source_recipients WHERE source_id IN ({marks})", [0, *key]
                )
            ]
        return self._proposed[key]

    def notify(
        self,
        case_id: int,
        processor_keys: tuple[str, ...],
        state: NoticeState,
        *,
        on: date | None,
        channel: str = "",
        reason: str = "",
        actor: str,
        now: datetime,
    ) -> None:
        with self._step():
            held = self._held_case(case_id)
            _check_day(on, date.fromisoformat(held.case["received_date"]), now)
            notices = self.notices(case_id)  # in the repository's order, which the history's line follows
            changed = changed_notices(notices, processor_keys, state, on=on, channel=channel, reason=reason)
            row_of = {self._processors[row["processor_id"]][0]: row for row in held.rows.get("recipient_notices", ())}
            for new in changed:
                self._update(
                    held, "recipient_notices", row_of[new.processor_key], state=new.state.value,
                    notified_on=new.notified_on.isoformat() if new.notified_on else None, channel=new.channel,
                    confirmed_on=new.confirmed_on.isoformat() if new.confirmed_on else None, reason=new.reason,
                )  # fmt: skip
            self._record(held, now, actor, "recipient", None, None, notice_event(changed, state))

    def told_subject(self, case_id: int, on: date, *, actor: str, now: datetime) -> None:
        with self._step():
            held = self._held_case(case_id)
            if not self.notices(case_id):
                raise RefusedError("the case has no recipients to tell the subject about")
            told = held.case["recipients_told_on"]
            if told is not None:
                raise RefusedError(f"the subject was told who the recipients are on {told} already")
            _check_day(on, date.fromisoformat(held.case["received_date"]), now)
            self._update(held, "cases", held.case, recipients_told_on=on.isoformat())
            self._record(held, now, actor, "recipients-told", None, None, f"on {on}")
