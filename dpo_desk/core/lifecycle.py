"""The status lifecycle of a case: which moves are normal, which need a reason, which are refused."""

from __future__ import annotations

from dataclasses import dataclass

from dpo_desk.core.errors import RefusedError
from dpo_desk.core.models import Status

# The normal course: received → identity check → in progress → waiting → response ready → responded → closed.
_RANK = {
    Status.RECEIVED: 0,
    Status.IDENTITY_CHECK: 1,
    Status.IN_PROGRESS: 2,
    Status.WAITING_ON_SUBJECT: 3,
    Status.WAITING_ON_FEE: 3,
    Status.RESPONSE_READY: 4,
    Status.RESPONDED: 5,
    Status.CLOSED: 6,
}
_ENDS = (Status.REFUSED, Status.WITHDRAWN)
# Waiting is a detour, not a step every case takes.
_NORMAL_DETOURS = {
    (Status.IN_PROGRESS, Status.RESPONSE_READY),
    (Status.WAITING_ON_SUBJECT, Status.IN_PROGRESS),
    (Status.WAITING_ON_FEE, Status.IN_PROGRESS),
    (Status.WAITING_ON_SUBJECT, Status.WAITING_ON_FEE),
    (Status.WAITING_ON_FEE, Status.WAITING_ON_SUBJECT),
}


def reason_needed(current: Status, target: Status) -> bool:
    """Whether moving from ``current`` to ``target`` departs from the normal course."""
    check_move(current, target, reason="-")
    if target in _ENDS:
        return True
    if current in _ENDS:
        return False  # refused or withdrawn cases close normally
    if (current, target) in _NORMAL_DETOURS:
        return False
    return _RANK[target] != _RANK[current] + 1


def check_move(current: Status, target: Status, reason: str, *, open_notices: int = 0) -> None:
    """Refuse a move the lifecycle does not allow, or one that lacks its reason. A case with Art. 19
    notifications still open closes only with a reason."""
    if target == current:
        raise RefusedError(f"the case is already {current.label.lower()}")
    if current in _ENDS and target is not Status.CLOSED:
        raise RefusedError(f"a {current.label.lower()} case can only be closed")
    if current is Status.CLOSED and target is not Status.IN_PROGRESS:
        raise RefusedError("a closed case can only be reopened (moved back to in progress)")
    if not reason.strip() and reason_needed(current, target):
        raise RefusedError(
            f"moving from {current.label.lower()} to {target.label.lower()} leaves the normal course: give a reason"
        )
    if target is Status.CLOSED and open_notices and not reason.strip():
        raise RefusedError(
            f"{open_notices} Art. 19 notification(s) still open: notify the recipients, "
            "or give the reason for closing anyway"
        )


def next_statuses(current: Status) -> list[Status]:
    """Every status the case may move to from ``current``, normal moves first."""
    allowed = []
    for target in Status:
        try:
            check_move(current, target, reason="-")
        except RefusedError:
            continue
        allowed.append(target)
    return sorted(allowed, key=lambda s: reason_needed(current, s))


@dataclass(frozen=True, slots=True)
class Facts:
    """What the record says that a status stands on (and closing: no copy of an ID document kept)."""

    refused_in_full: bool = False  # a full refusal, or identity that could not be established (Art. 11(2))
    asked_the_subject: bool = False  # an open identity or clarification pause
    fee_pending: bool = False  # a fee announced or accepted and not yet paid, or an open fee pause
    copies_kept: int = 0  # received copies of ID documents not yet recorded as deleted


_WORKING = (Status.IN_PROGRESS, Status.RESPONSE_READY, Status.RESPONDED)  # statuses of work going on


def fact_missing(target: Status, facts: Facts) -> str:
    """What the record lacks for a case to stand at ``target``; '' when nothing does. These statuses follow
    their facts (a refusal, a pause, a fee): the status is never the only record of them."""
    if target is Status.REFUSED and not facts.refused_in_full:
        return "record the refusal (its grounds and reasons) first; the status follows it"
    if target is Status.WAITING_ON_SUBJECT and not facts.asked_the_subject:
        return "record the pause (what was asked of the subject, and when) first; the status follows it"
    if target is Status.WAITING_ON_FEE and not facts.fee_pending:
        return "record the fee decision first; the status follows it"
    if target in _WORKING and facts.asked_the_subject:
        return "the clock is paused, waiting on the subject: record their answer (Resume the clock) first"
    if target in _WORKING and facts.fee_pending:
        return "the subject has not answered the fee: record their answer (paid, waived or withdrawn) first"
    if target is Status.CLOSED and facts.copies_kept:
        return f"{facts.copies_kept} received copy(ies) of an ID document still kept: record the day they were deleted"
    return ""
