"""The workflow steps of a case in the store: identity checks and decisions, pauses, the extension.

Each step is checked by the core, written with its history entry in one transaction,
and followed by fresh deadlines.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlite_utils import Database

from dpo_desk.core import identity
from dpo_desk.core.deadlines import Extension, PauseKind, check_extension, check_pause, check_resume, explain
from dpo_desk.core.identity import (
    Evidence,
    IdentityCheck,
    IdentityDecision,
    IdentityPolicy,
    IdentityStatus,
    Method,
    Outcome,
)
from dpo_desk.core.models import Status
from dpo_desk.core.worded import in_sentence
from dpo_desk.store.cases import CaseRepository, parse_utc, utc_text
from dpo_desk.store.settings import StoreSettings
from dpo_desk.store.transactions import write_transaction


class Workflow:
    def __init__(self, db: Database, cases: CaseRepository, settings: StoreSettings) -> None:
        self._db = db
        self.cases = cases
        self._settings = settings

    # --- identity ---------------------------------------------------------------------------

    def policy(self) -> IdentityPolicy:
        return self._settings.identity_policy()

    def checks(self, case_id: int) -> list[IdentityCheck]:
        rows = self._db.query("SELECT * FROM identity_checks WHERE case_id = ? ORDER BY checked_at, id", [case_id])
        return [
            IdentityCheck(
                evidence=Evidence(row["evidence"]),
                method=Method(row["method"]),
                checked_by=row["checked_by"],
                checked_at=parse_utc(row["checked_at"]),
                outcome=Outcome(row["outcome"]),
                reference=row["reference"],
                copy_deleted_on=date.fromisoformat(row["copy_deleted_on"]) if row["copy_deleted_on"] else None,
                note=row["note"],
            )
            for row in rows
        ]

    def decision(self, case_id: int) -> IdentityDecision | None:
        rows = list(self._db.query("SELECT * FROM identity_decisions WHERE case_id = ?", [case_id]))
        if not rows:
            return None
        row = rows[0]
        return IdentityDecision(
            IdentityStatus(row["status"]), row["reason"], row["decided_by"], parse_utc(row["decided_at"])
        )

    def identity_status(self, case_id: int) -> IdentityStatus:
        return identity.identity_status(self.checks(case_id), self.decision(case_id), self.policy())

    def check_disclosure(self, case_id: int) -> None:
        """The gate letters and exports call before anything carrying personal data leaves."""
        identity.check_disclosure(self.checks(case_id), self.decision(case_id), self.policy())

    def record_check(self, case_id: int, check: IdentityCheck, *, actor: str, now: datetime) -> None:
        with write_transaction(self._db):
            case = self.cases.get_by_id(case_id)
            identity.validate_check(check, received_at=case.received_at, now=now)
            identity.check_not_waived(self.decision(case_id))
            self._db.execute(
                "INSERT INTO identity_checks (case_id, evidence, method, checked_by, checked_at, outcome,"
                " reference, copy_deleted_on, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    case_id,
                    check.evidence.value,
                    check.method.value,
                    check.checked_by.strip(),
                    utc_text(check.checked_at),
                    check.outcome.value,
                    check.reference.strip(),
                    check.copy_deleted_on.isoformat() if check.copy_deleted_on else None,
                    check.note.strip(),
                ),
            )
            self.cases.record_event(
                case_id,
                now,
                actor,
                "identity-check",
                f"{check.evidence.label}, {in_sentence(check.method.label)}: {check.outcome.label.lower()}",
            )

    def decide_identity(self, case_id: int, status: IdentityStatus, reason: str, *, actor: str, now: datetime) -> None:
        """Record that no check is needed, or that identity could not be established (Art. 11(2))."""
        identity.check_decision(status, reason)
        with write_transaction(self._db):
            self.cases.get_by_id(case_id)
            self._db.execute(
                "INSERT OR REPLACE INTO identity_decisions (case_id, status, reason, decided_by, decided_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (case_id, status.value, reason.strip(), actor, utc_text(now)),
            )
            self.cases.record_event(case_id, now, actor, "identity-decision", f"{status.label}: {reason.strip()}")
            if status is IdentityStatus.FAILED:
                self.cases.follow(
                    case_id, Status.REFUSED, "identity could not be established (Art. 11(2))", actor=actor, now=now
                )

    def copies_deleted(self, case_id: int, on: date, *, actor: str, now: datetime) -> int:
        """Record the day the received copies of ID documents still kept were deleted; returns how many."""
        with write_transaction(self._db):
            case = self.cases.get_by_id(case_id)
            kept = identity.copies_to_delete(self.checks(case_id))
            identity.check_copies_deleted(kept, on, received=case.received_date, today=now.astimezone().date())
            self._db.execute(
                "UPDATE identity_checks SET copy_deleted_on = ?"
                " WHERE case_id = ? AND method = ? AND copy_deleted_on IS NULL",
                (on.isoformat(), case_id, Method.COPY_RECEIVED.value),
            )
            self.cases.record_event(case_id, now, actor, "copies-deleted", f"{len(kept)} copy(ies) deleted on {on}")
        return len(kept)

    # --- pauses and extension ---------------------------------------------------------------

    def pause(self, case_id: int, kind: PauseKind, start: date, reason: str, *, actor: str, now: datetime) -> list[str]:
        """Open a pause from the day more information was asked for; returns warnings for the DPO."""
        today = now.astimezone().date()
        with write_transaction(self._db):
            case = self.cases.get_by_id(case_id)
            check_pause(kind, start, reason, received=case.received_date, today=today, pauses=case.pauses)
            self._db.execute(
                "INSERT INTO pauses (case_id, kind, start_date, reason) VALUES (?, ?, ?, ?)",
                (case_id, kind.value, start.isoformat(), reason.strip()),
            )
            self.cases.record_event(case_id, now, actor, "pause", f"{kind.label} from {start}: {reason.strip()}")
            waiting = Status.WAITING_ON_FEE if kind is PauseKind.FEE else Status.WAITING_ON_SUBJECT
            self.cases.follow(case_id, waiting, f"{kind.label} pause from {start}", actor=actor, now=now)
            self.cases.recompute_deadlines([case_id], today=today)
            fresh = self.cases.get_by_id(case_id)
        return list(explain(self.cases.deadline_input(fresh, today=today)).warnings)

    def resume(self, case_id: int, kind: PauseKind, end: date, *, actor: str, now: datetime) -> None:
        """Close the open pause of ``kind`` on the day the answer arrived."""
        today = now.astimezone().date()
        with write_transaction(self._db):
            case = self.cases.get_by_id(case_id)
            check_resume(kind, end, today=today, pauses=case.pauses)
            self._db.execute(
                "UPDATE pauses SET end_date = ? WHERE case_id = ? AND kind = ? AND end_date IS NULL",
                (end.isoformat(), case_id, kind.value),
            )
            self.cases.record_event(case_id, now, actor, "resume", f"{kind.label} answer received on {end}")
            still_open = [p for p in self.cases.get_by_id(case_id).pauses if p.end is None]
            if case.status in (Status.WAITING_ON_SUBJECT, Status.WAITING_ON_FEE) and not still_open:
                self.cases.follow(
                    case_id, Status.IN_PROGRESS, f"{kind.label} answer received on {end}", actor=actor, now=now
                )
            self.cases.recompute_deadlines([case_id], today=today)

    def extend(self, case_id: int, extension: Extension, *, actor: str, now: datetime) -> None:
        """Extend by two further months, refused when the notice went out after the first month."""
        today = now.astimezone().date()
        with write_transaction(self._db):
            case = self.cases.get_by_id(case_id)
            request = self.cases.deadline_input(case, today=today)
            check_extension(request, extension, today=today, already_extended=case.extension is not None)
            self._db.execute(
                "UPDATE cases SET extension_reasons = ?, extension_notice_sent_on = ?, updated_at = ? WHERE id = ?",
                (extension.reasons.strip(), extension.notice_sent_on.isoformat(), utc_text(now), case_id),
            )
            self.cases.record_event(
                case_id,
                now,
                actor,
                "extend",
                f"notice sent {extension.notice_sent_on}: {extension.reasons.strip()}",
            )
            self.cases.recompute_deadlines([case_id], today=today)
