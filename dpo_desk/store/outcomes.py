"""Per-right outcomes, the suppression list, and the Art. 19 recipients of a case."""

from __future__ import annotations

import json
import secrets
from datetime import date, datetime
from typing import Any

from sqlite_utils import Database

from dpo_desk.core import suppression
from dpo_desk.core.errors import InputError, NotFoundError, RefusedError
from dpo_desk.core.models import Case, Right
from dpo_desk.core.outcomes import check_outcome, outcome_label
from dpo_desk.core.recipients import NoticeState, RecipientNotice, changed_notices, needs_notices, notice_event
from dpo_desk.store import audit
from dpo_desk.store.cases import CaseRepository, utc_text
from dpo_desk.store.transactions import write_transaction


class Outcomes:
    def __init__(self, db: Database, cases: CaseRepository) -> None:
        self._db = db
        self.cases = cases

    # --- outcomes ---------------------------------------------------------------------------

    def outcomes(self, case_id: int) -> dict[str, dict[str, Any]]:
        rows = self._db.query("SELECT kind, details FROM outcomes WHERE case_id = ? ORDER BY rowid", [case_id])
        return {row["kind"]: json.loads(row["details"]) for row in rows}

    def record_outcome(self, case_id: int, kind: str, details: dict[str, Any], *, actor: str, now: datetime) -> None:
        """Record (or correct) what was done for one right; a direct-marketing objection puts the subject's
        e-mails and phones on the suppression list."""
        with write_transaction(self._db):
            case = self.cases.get_by_id(case_id)
            clean = check_outcome(kind, details, case.rights)
            if kind == Right.OBJECTION and clean.get("direct_marketing"):
                clean["suppressed"] = self._suppress(case, now)  # what the objection letter may say is kept
            self._db.execute(
                "INSERT OR REPLACE INTO outcomes (case_id, kind, details, recorded_by, recorded_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (case_id, kind, json.dumps(clean, ensure_ascii=False), actor, utc_text(now)),
            )
            self.cases.record_event(case_id, now, actor, "outcome", outcome_label(kind))

    # --- the suppression list ---------------------------------------------------------------

    def _suppress(self, case: Case, now: datetime) -> list[str]:
        """Put the subject's e-mails and phones on the list; returns the kinds put there."""
        salt = self._salt()
        found = suppression.identifiers(case.subject, case.entity.country)
        self._db.conn.executemany(
            "INSERT OR IGNORE INTO suppression (identifier_hash, kind, added_on) VALUES (?, ?, ?)",
            [(suppression.hash_of(key, salt), kind, now.date().isoformat()) for kind, key in found],
        )
        return sorted({kind for kind, _ in found})

    def suppressed(self, identifier: str, country: str = "") -> suppression.Entry | None:
        """The entry of an e-mail or phone on the suppression list, or None; ``country`` reads a phone typed
        without its country code."""
        _, key = suppression.identifier(identifier, country)
        salt = self._stored_salt()
        if salt is None:
            return None
        row = self._db.execute(
            "SELECT kind, identifier_hash, added_on FROM suppression WHERE identifier_hash = ?",
            (suppression.hash_of(key, salt),),
        ).fetchone()
        return suppression.Entry(*row) if row is not None else None

    def suppression_list(self) -> tuple[str, list[suppression.Entry]]:
        """The salt and every entry, for a marketing tool to check its own list."""
        salt = self._stored_salt() or ""
        rows = self._db.execute(
            "SELECT kind, identifier_hash, added_on FROM suppression ORDER BY added_on, identifier_hash"
        )
        return salt, [suppression.Entry(*row) for row in rows]

    def suppression_exported(self, entries: int, file_name: str, *, actor: str, now: datetime) -> None:
        """Audited, because whoever holds the exported salt can test identifiers against the list."""
        with write_transaction(self._db):
            audit.record(
                self._db, actor=actor, action="suppression-exported", entity="suppression", entity_id="",
                details={"entries": entries, "file": file_name}, now=now,
            )  # fmt: skip

    def _stored_salt(self) -> str | None:
        row = self._db.execute("SELECT value FROM settings WHERE key = 'suppression_salt'").fetchone()
        return str(row[0]) if row is not None else None

    def _salt(self) -> str:
        """One random salt per store, so a leaked list cannot be matched against a dictionary of e-mails."""
        salt = self._stored_salt()
        if salt is not None:
            return salt
        salt = secrets.token_hex(16)
        self._db.execute("INSERT INTO settings (key, value) VALUES ('suppression_salt', ?)", (salt,))
        return salt

    # --- Art. 19 recipients -----------------------------------------------------------------

    def set_sources(self, case_id: int, source_keys: list[str], *, actor: str, now: datetime) -> list[str]:
        """Say where the subject's data came from; returns the recipients proposed for Art. 19 notices."""
        with write_transaction(self._db):
            case = self.cases.get_by_id(case_id)
            ids = []
            for key in source_keys:
                row = self._db.execute("SELECT id FROM sources WHERE key = ?", (key,)).fetchone()
                if row is None:
                    raise NotFoundError(f"sources: unknown source {key!r}")
                ids.append(row[0])
            self._db.execute("DELETE FROM case_sources WHERE case_id = ?", (case_id,))
            self._db.conn.executemany(
                "INSERT INTO case_sources (case_id, source_id) VALUES (?, ?)", [(case_id, i) for i in ids]
            )
            if needs_notices(case.rights):
                # Keep the notices already under way; propose the rest.
                self._db.execute(
                    "INSERT OR IGNORE INTO recipient_notices (case_id, processor_id, state)"
                    " SELECT DISTINCT ?, processor_id, 'to-notify' FROM source_recipients"
                    f" WHERE source_id IN ({', '.join('?' * len(ids)) or 'NULL'})",
                    [case_id, *ids],
                )
            self.cases.record_event(case_id, now, actor, "sources", ", ".join(source_keys))
        return [notice.service for notice in self.notices(case_id)]

    def sources(self, case_id: int) -> list[str]:
        rows = self._db.execute(
            "SELECT s.key FROM case_sources c JOIN sources s ON s.id = c.source_id WHERE c.case_id = ? ORDER BY s.id",
            (case_id,),
        )
        return [row[0] for row in rows]

    def notices(self, case_id: int) -> list[RecipientNotice]:
        rows = self._db.query(
            "SELECT p.key, p.service, n.* FROM recipient_notices n JOIN processors p ON p.id = n.processor_id"
            " WHERE n.case_id = ? ORDER BY p.service COLLATE NOCASE",
            [case_id],
        )
        return [
            RecipientNotice(
                processor_key=row["key"],
                service=row["service"],
                state=NoticeState(row["state"]),
                notified_on=date.fromisoformat(row["notified_on"]) if row["notified_on"] else None,
                channel=row["channel"],
                confirmed_on=date.fromisoformat(row["confirmed_on"]) if row["confirmed_on"] else None,
                reason=row["reason"],
            )
            for row in rows
        ]

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
        """Several recipients told (or confirming, or not to be told) alike are one step of the DPO's: one
        history entry, and one audit entry, for all of them."""
        with write_transaction(self._db):
            _check_day(on, self.cases.get_by_id(case_id).received_date, now)
            notices = self.notices(case_id)
            changed = changed_notices(notices, processor_keys, state, on=on, channel=channel, reason=reason)
            for new in changed:
                self._db.execute(
                    "UPDATE recipient_notices SET state = ?, notified_on = ?, channel = ?, confirmed_on = ?,"
                    " reason = ? WHERE case_id = ? AND processor_id = (SELECT id FROM processors WHERE key = ?)",
                    (
                        new.state.value,
                        new.notified_on.isoformat() if new.notified_on else None,
                        new.channel,
                        new.confirmed_on.isoformat() if new.confirmed_on else None,
                        new.reason,
                        case_id,
                        new.processor_key,
                    ),
                )
            self.cases.record_event(case_id, now, actor, "recipient", notice_event(changed, state))

    def told_subject(self, case_id: int, on: date, *, actor: str, now: datetime) -> None:
        """Art. 19, last sentence: the subject was told who the recipients are."""
        if not self.notices(case_id):
            raise RefusedError("the case has no recipients to tell the subject about")
        told = self.recipients_told_on(case_id)
        if told is not None:
            raise RefusedError(f"the subject was told who the recipients are on {told.isoformat()} already")
        _check_day(on, self.cases.get_by_id(case_id).received_date, now)
        with write_transaction(self._db):
            self._db.execute("UPDATE cases SET recipients_told_on = ? WHERE id = ?", (on.isoformat(), case_id))
            self.cases.record_event(case_id, now, actor, "recipients-told", f"on {on}")

    def recipients_told_on(self, case_id: int) -> date | None:
        row = self._db.execute("SELECT recipients_told_on FROM cases WHERE id = ?", (case_id,)).fetchone()
        return date.fromisoformat(row[0]) if row and row[0] else None


def _check_day(on: date | None, received: date, now: datetime) -> None:
    """A day in the case's record lies between the request's receipt and today."""
    if on is None:
        return
    if on > now.astimezone().date():
        raise InputError("date: cannot be in the future")
    if on < received:
        raise InputError(f"date: {on.isoformat()} is before the request was received ({received.isoformat()})")
