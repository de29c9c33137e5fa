"""Creating a demo store: the seeded register plus synthetic cases, never over an existing store.

Every demo case is played step by step through the steps the app takes (:class:`DemoSteps`), with their
checks, so its state obeys the rules: a responded or closed case has its identity settled, its pauses and
extension consistent with its dates, its outcomes and recipients recorded, and a fee only where a repeated
request gives it a basis. The steps are those of a :class:`~dpo_desk.store.bulk.CaseBatch`, which writes a
few thousand cases at a time; :class:`DeskSteps` takes them one call each through the desk's services, as
the app does, and makes the same store.
"""

from __future__ import annotations

import contextlib
import random
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol

from dpo_desk.application.desk import Desk
from dpo_desk.core.deadlines import Extension, PauseKind
from dpo_desk.core.demo import DemoCase, demo_cases
from dpo_desk.core.errors import RefusedError
from dpo_desk.core.fees import CostItem, FeeBasis, FeeDecision
from dpo_desk.core.identity import Evidence, IdentityCheck, IdentityStatus, Method, Outcome
from dpo_desk.core.models import Case, EarlierCase, NewCase, Right, Status
from dpo_desk.core.recipients import NoticeState, RecipientNotice, needs_notices
from dpo_desk.core.refusal import Refusal, RefusalGround
from dpo_desk.store.db import StoreError, open_store

DEMO_ACTOR = "demo"
# The demo store both shells make when it is missing (the command line takes others with --cases, --seed).
DEMO_CASES = 500
DEMO_SEED = 1
SOURCES = ("web-forms", "chatbot", "email-messengers-phones", "customers", "event-attendees")


def create_demo_store(
    path: Path,
    key: bytes,
    *,
    cases: int,
    seed: int,
    now: datetime,
    progress: Callable[[int, int], None] | None = None,
) -> None:
    """Create ``path`` with the register and ``cases`` synthetic cases; refuse if it exists."""
    if path.exists():
        raise StoreError(f"{path} already exists; the demo never overwrites a store")
    with Desk(open_store(path, key), path, key, actor=DEMO_ACTOR, clock=lambda: now) as desk:
        populate(desk, cases=cases, seed=seed, progress=progress)


def populate(
    desk: Desk,
    *,
    cases: int,
    seed: int,
    progress: Callable[[int, int], None] | None = None,
    steps: Callable[[Desk], DemoSteps] | None = None,
) -> None:
    """Add demo cases, received up to the desk's now, in one transaction: by default through a batch that
    writes a few thousand cases at a time; ``steps=DeskSteps`` takes each step through the desk's services."""
    names = [entity.name for entity in desk.register.entities()]
    with desk.transaction():
        _demo_letterheads(desk)
        played = steps(desk) if steps is not None else desk.case_batch()
        player = _Player(played, random.Random(seed + 1))
        for done, demo in enumerate(demo_cases(cases, seed=seed, entity_names=names, now=desk.now()), start=1):
            player.play(demo)
            if progress is not None:
                progress(done, cases)
        played.flush()


class DemoSteps(Protocol):
    """The steps a demo case is played through, with the signatures of the desk's services."""

    def add(self, new: NewCase, *, actor: str, now: datetime) -> int: ...
    def get_by_id(self, case_id: int) -> Case: ...
    def earlier_cases(self, case: Case) -> list[EarlierCase]: ...
    def change_status(self, case_id: int, target: Status, *, actor: str, reason: str, now: datetime) -> None: ...
    def record_check(self, case_id: int, check: IdentityCheck, *, actor: str, now: datetime) -> None: ...
    def decide_identity(
        self, case_id: int, status: IdentityStatus, reason: str, *, actor: str, now: datetime
    ) -> None: ...
    def pause(
        self, case_id: int, kind: PauseKind, start: date, reason: str, *, actor: str, now: datetime
    ) -> list[str]: ...
    def resume(self, case_id: int, kind: PauseKind, end: date, *, actor: str, now: datetime) -> None: ...
    def extend(self, case_id: int, extension: Extension, *, actor: str, now: datetime) -> None: ...
    def decide_fee(self, case_id: int, decision: FeeDecision, *, actor: str, now: datetime) -> None: ...
    def refuse(self, case_id: int, refusal: Refusal, *, actor: str, now: datetime) -> str: ...
    def record_outcome(
        self, case_id: int, kind: str, details: dict[str, Any], *, actor: str, now: datetime
    ) -> None: ...
    def set_sources(self, case_id: int, source_keys: list[str], *, actor: str, now: datetime) -> list[str]: ...
    def notices(self, case_id: int) -> list[RecipientNotice]: ...
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
    ) -> None: ...
    def told_subject(self, case_id: int, on: date, *, actor: str, now: datetime) -> None: ...
    def flush(self) -> None: ...


class DeskSteps:
    """The demo's steps one call each, through the desk's services as the app takes them."""

    def __init__(self, desk: Desk) -> None:
        cases, workflow, decisions, outcomes = desk.cases, desk.workflow, desk.decisions, desk.outcomes
        self.add, self.get_by_id, self.earlier_cases = cases.add, cases.get_by_id, cases.earlier_cases
        self.change_status = cases.change_status
        self.record_check, self.decide_identity = workflow.record_check, workflow.decide_identity
        self.pause, self.resume, self.extend = workflow.pause, workflow.resume, workflow.extend
        self.decide_fee, self.refuse = decisions.decide_fee, decisions.refuse
        self.record_outcome, self.set_sources = outcomes.record_outcome, outcomes.set_sources
        self.notices, self.notify, self.told_subject = outcomes.notices, outcomes.notify, outcomes.told_subject

    def flush(self) -> None:
        """Each step was written as it was taken."""


# The register gives no usable street address for these entities, so no letter of theirs may print. In a
# demo store (fictitious cases) they get addresses that say they are fictitious, so letters can be tried;
# a real store keeps the register as the policy gives it.
_DEMO_ADDRESSES = {
    "altoros-americas": ("1 Demo Street (fictitious)", "10001", "New York", "United States"),
    "altoros-finland": ("Demokatu 1 (fictitious)", "00100", "Helsinki", "Finland"),
    "altoros-as": ("Calle Demo 1 (fictitious)", "C1000", "Buenos Aires", "Argentina"),
    "altoros-poland": ("ul. Demo 1 (fictitious)", "00-001", "Warszawa", "Poland"),
}


def _demo_letterheads(desk: Desk) -> None:
    for entity in desk.register.entities():
        address = _DEMO_ADDRESSES.get(entity.key)
        if address is not None and entity.letterhead_problems():
            street, postal_code, city, country = address
            changes = {"street": street, "postal_code": postal_code, "city": city, "address_country": country}
            if entity.address_to_replace:
                changes["phone"] = ""  # the replaced address's phone (Minsk) goes with it
            desk.update_entity(entity.key, changes)


_RECORDED = (Status.WAITING_ON_SUBJECT, Status.WAITING_ON_FEE, Status.REFUSED)


class _Player:
    def __init__(self, steps: DemoSteps, rng: random.Random) -> None:
        self.workflow = self.decisions = self.outcomes = self.cases = steps
        self.rng = rng

    def play(self, demo: DemoCase) -> None:
        cases = self.cases
        case_id = cases.add(demo.case, actor=DEMO_ACTOR, now=demo.case.received)
        for status, when, reason in demo.steps:
            self._before(case_id, status, when)
            if status in _RECORDED:  # the fact is recorded, and the status follows it
                self._record_fact(case_id, status, when, reason)
            elif cases.get_by_id(case_id).status is not status:  # a fact recorded before may have moved it
                cases.change_status(case_id, status, actor=DEMO_ACTOR, reason=reason, now=when)

    def _before(self, case_id: int, status: Status, when: datetime) -> None:
        """What must be true before the case may take this step."""
        if status is Status.IN_PROGRESS:
            self._settle_identity(case_id, when)
            self._maybe_extend(case_id, when)
        elif status is Status.RESPONSE_READY:
            self._record_outcomes(case_id, when)
        elif status is Status.RESPONDED and self.outcomes.notices(case_id):
            self.outcomes.told_subject(case_id, when.date(), actor=DEMO_ACTOR, now=when)

    def _record_fact(self, case_id: int, status: Status, when: datetime, reason: str) -> None:
        if status is Status.WAITING_ON_SUBJECT:
            self.workflow.pause(
                case_id,
                PauseKind.CLARIFICATION,
                when.date(),
                "Asked which services the request covers",
                actor=DEMO_ACTOR,
                now=when,
            )
        elif status is Status.WAITING_ON_FEE:
            self._announce_fee(case_id, when)
        elif status is Status.REFUSED:
            refusal = Refusal(False, (RefusalGround.ART_12_5,), reason, when.date())
            self.decisions.refuse(case_id, refusal, actor=DEMO_ACTOR, now=when)

    def _settle_identity(self, case_id: int, when: datetime) -> None:
        case = self.cases.get_by_id(case_id)
        if self.rng.random() < 0.2:
            self.workflow.decide_identity(
                case_id,
                IdentityStatus.NOT_REQUIRED,
                "Written from the e-mail address on file; no data disclosed",
                actor=DEMO_ACTOR,
                now=when,
            )
            return
        checked_at = max(case.received_at, when - timedelta(hours=2))
        if (when.date() - case.received_date).days >= 4 and self.rng.random() < 0.3:
            # A doubt first: more information was asked for, and came two days later.
            asked = case.received_date + timedelta(days=1)
            self.workflow.pause(
                case_id, PauseKind.IDENTITY, asked, "Written from an address not on file", actor=DEMO_ACTOR, now=when
            )
            self.workflow.resume(case_id, PauseKind.IDENTITY, asked + timedelta(days=2), actor=DEMO_ACTOR, now=when)
        for evidence, method in (
            (Evidence.PASSPORT, Method.VIDEO_CALL),
            (Evidence.CODE_TO_KNOWN_ADDRESS, Method.CODE_SENT),
        ):
            check = IdentityCheck(evidence, method, DEMO_ACTOR, checked_at, Outcome.PASSED, note="ID was checked")
            self.workflow.record_check(case_id, check, actor=DEMO_ACTOR, now=when)

    def _maybe_extend(self, case_id: int, when: datetime) -> None:
        if self.rng.random() >= 0.15:
            return
        extension = Extension("Data spread over six systems (Art. 12(3): complexity)", when.date())
        with contextlib.suppress(RefusedError):  # too late for this case: it stays unextended, as the rules say
            self.workflow.extend(case_id, extension, actor=DEMO_ACTOR, now=when)

    def _announce_fee(self, case_id: int, when: datetime) -> None:
        case = self.cases.get_by_id(case_id)
        earlier = tuple(e.summary.reference for e in self.cases.earlier_cases(case))[:2]
        basis = FeeBasis.EXCESSIVE if earlier else FeeBasis.MANIFESTLY_UNFOUNDED
        items = (
            CostItem("Staff time, hours", Decimal("2"), Decimal("45.00")),
            CostItem("Postage", Decimal("1"), Decimal("3.50")),
        )
        facts = "The same request again, with no change in the data since the earlier answer"
        announced = max(when.date(), case.received_date)
        decision = FeeDecision(basis, facts, earlier, items, "EUR", announced, answer_by=announced + timedelta(days=14))
        self.decisions.decide_fee(case_id, decision, actor=DEMO_ACTOR, now=when)

    def _record_outcomes(self, case_id: int, when: datetime) -> None:
        case = self.cases.get_by_id(case_id)
        day = when.date()
        for right in case.rights:
            self.outcomes.record_outcome(case_id, right.value, _outcome(right, day), actor=DEMO_ACTOR, now=when)
        if needs_notices(case.rights):
            sources = self.rng.sample(SOURCES, self.rng.choice((1, 2)))
            self.outcomes.set_sources(case_id, sources, actor=DEMO_ACTOR, now=when)
            # As a DPO does it: the storage we control recorded in one step, the e-mail to the others in one,
            # the confirmations that came back in one (drawn recipient by recipient, as before they were grouped).
            keys = [notice.processor_key for notice in self.outcomes.notices(case_id)]
            ours = tuple(key for key in keys if key in ("google-cloud", "amazon", "altoros-group"))
            told = tuple(key for key in keys if key not in ours)
            confirmed = tuple(key for key in told if self.rng.random() < 0.6)
            if ours:
                self.outcomes.notify(
                    case_id, ours, NoticeState.NOT_NOTIFIED, on=None, reason="Storage we control: erased by us",
                    actor=DEMO_ACTOR, now=when,
                )  # fmt: skip
            if told:
                self.outcomes.notify(
                    case_id, told, NoticeState.NOTIFIED, on=day, channel="e-mail to the privacy contact",
                    actor=DEMO_ACTOR, now=when,
                )  # fmt: skip
            if confirmed:
                self.outcomes.notify(case_id, confirmed, NoticeState.CONFIRMED, on=day, actor=DEMO_ACTOR, now=when)


def _outcome(right: Right, day: date) -> dict[str, Any]:
    done = day.isoformat()
    outcomes: dict[Right, dict[str, Any]] = {
        Right.ACCESS: {"provided_on": done, "note": "Password-protected PDF sent"},
        Right.RECTIFICATION: {"corrected": "Job title and phone number", "done_on": done},
        Right.ERASURE: {
            "ground": "17(1)(a)",
            "exception": "",
            "systems": ["CRM", "HubSpot"],
            "backups_beyond_use": True,
            "done_on": done,
        },
        Right.RESTRICTION: {"applied_on": done},
        Right.OBJECTION: {"direct_marketing": True, "done_on": done},
        Right.PORTABILITY: {"conditions_met": True, "note": "JSON and CSV bundle", "done_on": done},
        Right.CONSENT_WITHDRAWAL: {"consents": ["Newsletter"], "done_on": done},
        Right.OTHER: {"note": "Explained how the event registration data is used", "done_on": done},
    }
    return outcomes[right]
