"""Everything the rules read about one case: the case itself and what its workflow has recorded.

Gathered once each time a case is shown or changed (``Desk.state``), so the next step, each action's
"allowed?" and each tab read the same facts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from dpo_desk.core import identity
from dpo_desk.core.children import Child
from dpo_desk.core.deadlines import DeadlineInput, PauseKind, Rules
from dpo_desk.core.errors import RefusedError
from dpo_desk.core.fees import FeeDecision, FeeState
from dpo_desk.core.identity import IdentityCheck, IdentityDecision, IdentityPolicy, IdentityStatus
from dpo_desk.core.lifecycle import Facts
from dpo_desk.core.models import Case, EarlierCase, Status
from dpo_desk.core.outcomes import CHILD
from dpo_desk.core.recipients import NOTIFIABLE, RecipientNotice
from dpo_desk.core.refusal import Refusal

SETTLED = (Status.CLOSED, Status.REFUSED, Status.WITHDRAWN)
_DEFAULT_POLICY = IdentityPolicy()


@dataclass(frozen=True, slots=True)
class CaseState:
    case: Case
    today: date
    rules: Rules = Rules.EU
    checks: tuple[IdentityCheck, ...] = ()
    decision: IdentityDecision | None = None
    policy: IdentityPolicy = _DEFAULT_POLICY
    fee: FeeDecision | None = None
    refusal: Refusal | None = None
    outcomes: Mapping[str, Mapping[str, Any]] | None = None  # by outcome kind (a right, or child deletion)
    notices: tuple[RecipientNotice, ...] = ()
    sources: tuple[str, ...] = ()
    recipients_told_on: date | None = None
    earlier_cases: tuple[EarlierCase, ...] = ()  # of the same person, received before (repeat requests)
    same_name: tuple[EarlierCase, ...] = ()  # earlier cases sharing only the name: a hint, never a match
    child: Child | None = None  # the subject is under the age of digital consent (Art. 8)

    @property
    def settled(self) -> bool:
        """A closed, refused or withdrawn case is a record: it changes only once reopened."""
        return self.case.status in SETTLED

    @property
    def facts(self) -> Facts:
        """What the statuses that follow a fact stand on (core/lifecycle.py)."""
        open_kinds = {pause.kind for pause in self.case.open_pauses}
        fee_open = self.fee is not None and self.fee.state in (FeeState.ANNOUNCED, FeeState.ACCEPTED)
        return Facts(
            refused_in_full=(self.refusal is not None and not self.refusal.partial)
            or (self.decision is not None and self.decision.status is IdentityStatus.FAILED),
            asked_the_subject=bool(open_kinds & {PauseKind.IDENTITY, PauseKind.CLARIFICATION}),
            fee_pending=fee_open or PauseKind.FEE in open_kinds,
            copies_kept=len(identity.copies_to_delete(self.checks)),
        )

    @property
    def deadline_input(self) -> DeadlineInput:
        return self.case.deadline_input(self.rules, self.today)

    @property
    def identity(self) -> IdentityStatus:
        return identity.identity_status(self.checks, self.decision, self.policy)

    @property
    def identity_progress(self) -> str:
        return identity.progress(self.checks, self.decision, self.policy)

    @property
    def recorded_outcomes(self) -> Mapping[str, Mapping[str, Any]]:
        return self.outcomes or {}

    @property
    def missing_outcomes(self) -> tuple[str, ...]:
        """The rights invoked without an outcome, and a child's data not yet deleted (the policy's promise)."""
        owed = [right.value for right in self.case.rights] + ([CHILD] if self.child is not None else [])
        return tuple(kind for kind in owed if kind not in self.recorded_outcomes)

    @property
    def open_notices(self) -> int:
        """Art. 19 notices owed and not sent: owed only once a rectification, erasure or restriction was
        carried out (recorded as an outcome), not for what was refused or is still undecided."""
        if not any(right.value in self.recorded_outcomes for right in NOTIFIABLE):
            return 0
        return sum(1 for notice in self.notices if notice.state.is_open)

    def disclosure_refused(self) -> str | None:
        """Why personal data may not leave yet (the disclosure gate), or None."""
        try:
            identity.check_disclosure(self.checks, self.decision, self.policy)
        except RefusedError as error:
            return str(error)
        return None
