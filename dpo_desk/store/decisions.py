"""Fee decisions and refusals in the store, each written with its history entry."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal

from sqlite_utils import Database

from dpo_desk.core.deadlines import PauseKind, Rules
from dpo_desk.core.errors import RefusedError
from dpo_desk.core.fees import CostItem, FeeBasis, FeeDecision, FeeState, repeat_warning, settle, validate_fee
from dpo_desk.core.models import Status
from dpo_desk.core.refusal import Refusal, RefusalGround, late_refusal_warning, validate_refusal
from dpo_desk.store.cases import CaseRepository
from dpo_desk.store.transactions import write_transaction


class Decisions:
    def __init__(self, db: Database, cases: CaseRepository) -> None:
        self._db = db
        self.cases = cases

    def repeat_warning(self, case_id: int) -> str:
        """Names the subject's requests of the 12 months before this one (fees and refusals weigh them)."""
        case = self.cases.get_by_id(case_id)
        earlier = [(e.summary.reference, e.summary.received_date) for e in self.cases.earlier_cases(case)]
        return repeat_warning(earlier, case.received_date)

    def fee(self, case_id: int) -> FeeDecision | None:
        rows = list(self._db.query("SELECT * FROM fees WHERE case_id = ?", [case_id]))
        if not rows:
            return None
        row = rows[0]
        items = tuple(
            CostItem(item["description"], Decimal(item["quantity"]), Decimal(item["unit_cost"]))
            for item in self._db.query("SELECT * FROM fee_items WHERE case_id = ? ORDER BY id", [case_id])
        )
        return FeeDecision(
            basis=FeeBasis(row["basis"]),
            facts=row["facts"],
            earlier_cases=tuple(json.loads(row["earlier_cases"])),
            items=items,
            currency=row["currency"],
            announced_on=date.fromisoformat(row["announced_on"]),
            state=FeeState(row["state"]),
            settled_on=date.fromisoformat(row["settled_on"]) if row["settled_on"] else None,
            answer_by=date.fromisoformat(row["answer_by"]) if row["answer_by"] else None,
        )

    def decide_fee(self, case_id: int, decision: FeeDecision, *, actor: str, now: datetime) -> None:
        """Record the fee as announced to the subject, who may withdraw rather than pay."""
        with write_transaction(self._db):
            case = self.cases.get_by_id(case_id)
            if self.fee(case_id) is not None:
                raise RefusedError("the case already has a fee decision; record the subject's answer instead")
            validate_fee(decision, received=case.received_date, today=now.astimezone().date())
            known = {e.summary.reference for e in self.cases.earlier_cases(case)}
            unknown = [ref for ref in decision.earlier_cases if ref not in known]
            if unknown:
                raise RefusedError(f"earlier_cases: {', '.join(unknown)} are not earlier cases of this subject")
            self._db.execute(
                "INSERT INTO fees (case_id, basis, facts, earlier_cases, currency, announced_on, state, answer_by)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    case_id,
                    decision.basis.value,
                    decision.facts.strip(),
                    json.dumps(list(decision.earlier_cases)),
                    decision.currency.upper(),
                    decision.announced_on.isoformat(),
                    FeeState.ANNOUNCED.value,
                    decision.answer_by.isoformat() if decision.answer_by else None,
                ),
            )
            self._db.conn.executemany(
                "INSERT INTO fee_items (case_id, description, quantity, unit_cost) VALUES (?, ?, ?, ?)",
                [(case_id, i.description, str(i.quantity), str(i.unit_cost)) for i in decision.items],
            )
            self.cases.record_event(
                case_id, now, actor, "fee", f"{decision.basis.value}: {decision.total} {decision.currency.upper()}"
            )
            self.cases.follow(
                case_id, Status.WAITING_ON_FEE, f"fee announced on {decision.announced_on}", actor=actor, now=now
            )
            if self.cases.rules() is Rules.ICO and not any(p.kind is PauseKind.FEE for p in case.open_pauses):
                # ICO: the clock stops for the fee and restarts from the payment (legal memo §1.4)
                self._db.execute(
                    "INSERT INTO pauses (case_id, kind, start_date, reason) VALUES (?, 'fee', ?, ?)",
                    (case_id, decision.announced_on.isoformat(), "fee announced; waiting for the payment"),
                )
                self.cases.recompute_deadlines([case_id], today=now.astimezone().date())

    def settle_fee(self, case_id: int, state: FeeState, on: date, *, actor: str, now: datetime) -> None:
        with write_transaction(self._db):
            current = self.fee(case_id)
            if current is None:
                raise RefusedError("the case has no fee decision")
            settled = settle(current, state, on)
            self._db.execute(
                "UPDATE fees SET state = ?, settled_on = ? WHERE case_id = ?",
                (settled.state.value, settled.settled_on.isoformat() if settled.settled_on else None, case_id),
            )
            self.cases.record_event(case_id, now, actor, "fee", f"{state.label} on {on}")
            if state in (FeeState.PAID, FeeState.WAIVED, FeeState.WITHDRAWN):  # the fee pause, if any, ends
                closed = self._db.execute(
                    "UPDATE pauses SET end_date = ? WHERE case_id = ? AND kind = 'fee' AND end_date IS NULL",
                    (on.isoformat(), case_id),
                ).rowcount
                if closed:
                    self.cases.recompute_deadlines([case_id], today=now.astimezone().date())
            if state is FeeState.WITHDRAWN:
                self.cases.follow(
                    case_id, Status.WITHDRAWN, f"the subject withdrew rather than pay ({on})", actor=actor, now=now
                )
            elif (
                state in (FeeState.PAID, FeeState.WAIVED)
                and self.cases.get_by_id(case_id).status is Status.WAITING_ON_FEE
            ):
                self.cases.follow(
                    case_id, Status.IN_PROGRESS, f"fee {state.label.lower()} on {on}", actor=actor, now=now
                )

    def refusal(self, case_id: int) -> Refusal | None:
        rows = list(self._db.query("SELECT * FROM refusals WHERE case_id = ?", [case_id]))
        if not rows:
            return None
        row = rows[0]
        return Refusal(
            partial=bool(row["partial"]),
            grounds=tuple(RefusalGround(g) for g in json.loads(row["grounds"])),
            reasons=row["reasons"],
            decided_on=date.fromisoformat(row["decided_on"]),
            other_ground=row["other_ground"],
        )

    def refuse(self, case_id: int, refusal: Refusal, *, actor: str, now: datetime) -> str:
        """Record a full or partial refusal; returns a warning when it comes after its deadline."""
        with write_transaction(self._db):
            case = self.cases.get_by_id(case_id)
            validate_refusal(refusal, received=case.received_date, today=now.astimezone().date())
            self._db.execute(
                "INSERT OR REPLACE INTO refusals (case_id, partial, grounds, other_ground, reasons, decided_on)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (
                    case_id,
                    int(refusal.partial),
                    json.dumps([g.value for g in refusal.grounds]),
                    refusal.other_ground.strip(),
                    refusal.reasons.strip(),
                    refusal.decided_on.isoformat(),
                ),
            )
            kind = "partial" if refusal.partial else "full"
            grounds = ", ".join(g.label for g in refusal.grounds)
            self.cases.record_event(case_id, now, actor, "refusal", f"{kind} refusal on {grounds}")
            if not refusal.partial:
                self.cases.follow(case_id, Status.REFUSED, f"refused on {refusal.decided_on}", actor=actor, now=now)
        return late_refusal_warning(refusal, case.deadlines.extension_notice_due)
