"""The next-step line and the case state it reads, without a store."""

from dataclasses import replace
from datetime import UTC, date, datetime

from dpo_desk.core.case_state import CaseState
from dpo_desk.core.deadlines import Deadlines, Extension, PauseKind, RecordedPause
from dpo_desk.core.fees import FeeBasis, FeeDecision, FeeState
from dpo_desk.core.identity import Evidence, IdentityCheck, IdentityDecision, IdentityStatus, Method, Outcome
from dpo_desk.core.models import Address, Case, Channel, Entity, Right, Status, SubjectDetails
from dpo_desk.core.next_step import next_step
from dpo_desk.core.recipients import NoticeState, RecipientNotice

ENTITY = Entity(1, "norge", "Altoros Norge AS", "NO", "Europe/Oslo", "NO", Address(), "", "", "", True, "", "")
CASE = Case(
    id=1,
    reference="DSR-2026-0001",
    entity=ENTITY,
    channel=Channel.EMAIL,
    received_at=datetime(2026, 3, 2, 9, tzinfo=UTC),
    received_date=date(2026, 3, 2),
    rights=(Right.ACCESS, Right.ERASURE),
    subject=SubjectDetails("Ola Nordmann", ("ola@example.com",)),
    text="",
    status=Status.RECEIVED,
    deadlines=Deadlines(due=date(2026, 4, 2), extension_notice_due=date(2026, 4, 2), target=date(2026, 3, 30)),
)
CHECKS = tuple(
    IdentityCheck(evidence, method, "dpo", datetime(2026, 3, 3, tzinfo=UTC), Outcome.PASSED)
    for evidence, method in ((Evidence.PASSPORT, Method.VIDEO_CALL), (Evidence.ACCOUNT_LOGIN, Method.ACCOUNT_LOGIN))
)


def state(today: date = date(2026, 3, 10), **changes: object) -> CaseState:
    return CaseState(case=CASE, today=today, **changes)  # type: ignore[arg-type]


def test_identity_comes_first_and_counts_the_trusted_ids() -> None:
    assert next_step(state()) == "Check identity (0 of 2 trusted IDs recorded); due by 2 Apr"
    assert next_step(state(checks=CHECKS[:1])) == "Check identity (1 of 2 trusted IDs recorded); due by 2 Apr"
    assert state(checks=CHECKS).identity is IdentityStatus.VERIFIED
    assert state().disclosure_refused() is not None and state(checks=CHECKS).disclosure_refused() is None


def test_an_open_pause_says_what_is_awaited() -> None:
    paused = replace(CASE, pauses=(RecordedPause(PauseKind.CLARIFICATION, date(2026, 3, 4), None, "which data?"),))
    assert next_step(CaseState(paused, date(2026, 3, 10))) == (
        "Waiting on the subject's answer (clarification) since 4 Mar; due by 2 Apr"
    )


def test_the_extension_notice_is_pointed_out_in_its_last_week_and_overdue_is_said() -> None:
    verified = {"checks": CHECKS}
    in_progress = replace(CASE, status=Status.IN_PROGRESS)
    assert next_step(CaseState(in_progress, date(2026, 3, 27), **verified)).endswith(  # type: ignore[arg-type]
        "; extension notice due by 2 Apr"
    )
    extended = replace(in_progress, extension=Extension("six systems", date(2026, 3, 20)))
    assert next_step(CaseState(extended, date(2026, 3, 27), **verified)).endswith("; due by 2 Apr")  # type: ignore[arg-type]
    assert next_step(CaseState(in_progress, date(2026, 4, 3), **verified)).startswith(  # type: ignore[arg-type]
        "Overdue since 2 Apr 2026: record the outcome for access, erasure now"
    )
    # Each step is an action, also overdue: it read "Overdue since …: identity: 0 of 2 … recorded now".
    assert (
        next_step(state(date(2026, 4, 3)))
        == "Overdue since 2 Apr 2026: check identity (0 of 2 trusted IDs recorded) now"
    )


def test_a_fee_waiting_and_recipients_still_to_notify() -> None:
    fee = FeeDecision(FeeBasis.FURTHER_COPY, "a copy", (), (), "EUR", date(2026, 3, 5))
    waived = IdentityDecision(IdentityStatus.NOT_REQUIRED, "logged in", "dpo", datetime(2026, 3, 3, tzinfo=UTC))
    assert next_step(state(decision=waived, fee=fee)).startswith("Waiting on the subject's decision about the fee")
    paid = replace(fee, state=FeeState.PAID)
    notices = tuple(RecipientNotice(key, key.title()) for key in ("drift", "hubspot"))
    done = {"access": {}, "erasure": {}}
    responded = CaseState(
        replace(CASE, status=Status.RESPONDED), date(2026, 3, 10), decision=waived, fee=paid, outcomes=done,
        notices=notices,
    )  # fmt: skip
    assert next_step(responded) == "2 recipients still to notify"
    told = replace(responded, notices=(replace(notices[0], state=NoticeState.NOTIFIED),))
    assert next_step(told) == "Close the case once nothing is left to do"


def test_a_settled_case_needs_nothing() -> None:
    for status in (Status.CLOSED, Status.REFUSED, Status.WITHDRAWN):
        settled = CaseState(replace(CASE, status=status), date(2026, 5, 1))
        assert settled.settled and next_step(settled) == f"Nothing to do: the case is {status.label.lower()}"
