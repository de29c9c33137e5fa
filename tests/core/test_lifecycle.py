"""The status lifecycle: normal moves, moves that need a reason, moves that are refused."""

import pytest

from dpo_desk.core import lifecycle
from dpo_desk.core.errors import RefusedError
from dpo_desk.core.models import Status


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (Status.RECEIVED, Status.IDENTITY_CHECK),
        (Status.IDENTITY_CHECK, Status.IN_PROGRESS),
        (Status.IN_PROGRESS, Status.WAITING_ON_SUBJECT),
        (Status.WAITING_ON_SUBJECT, Status.IN_PROGRESS),
        (Status.IN_PROGRESS, Status.RESPONSE_READY),
        (Status.RESPONSE_READY, Status.RESPONDED),
        (Status.RESPONDED, Status.CLOSED),
        (Status.REFUSED, Status.CLOSED),
        (Status.WITHDRAWN, Status.CLOSED),
    ],
)
def test_normal_moves_need_no_reason(current: Status, target: Status) -> None:
    assert not lifecycle.reason_needed(current, target)
    lifecycle.check_move(current, target, reason="")


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (Status.RECEIVED, Status.IN_PROGRESS),  # skips the identity check
        (Status.RECEIVED, Status.RESPONDED),
        (Status.RESPONDED, Status.IN_PROGRESS),  # goes back
        (Status.IN_PROGRESS, Status.REFUSED),
        (Status.RECEIVED, Status.WITHDRAWN),
        (Status.CLOSED, Status.IN_PROGRESS),  # reopening
    ],
)
def test_skips_ends_and_returns_need_a_reason(current: Status, target: Status) -> None:
    with pytest.raises(RefusedError, match="give a reason"):
        lifecycle.check_move(current, target, reason="  ")
    lifecycle.check_move(current, target, reason="the subject asked us to")


@pytest.mark.parametrize(
    ("current", "target", "message"),
    [
        (Status.IN_PROGRESS, Status.IN_PROGRESS, "already in progress"),
        (Status.REFUSED, Status.IN_PROGRESS, "can only be closed"),
        (Status.CLOSED, Status.RESPONDED, "can only be reopened"),
    ],
)
def test_impossible_moves_are_refused_even_with_a_reason(current: Status, target: Status, message: str) -> None:
    with pytest.raises(RefusedError, match=message):
        lifecycle.check_move(current, target, reason="because")


def test_next_statuses_list_normal_moves_first() -> None:
    options = lifecycle.next_statuses(Status.IN_PROGRESS)
    assert options[:3] == [Status.WAITING_ON_SUBJECT, Status.WAITING_ON_FEE, Status.RESPONSE_READY]
    assert Status.IN_PROGRESS not in options
    assert lifecycle.next_statuses(Status.CLOSED) == [Status.IN_PROGRESS]
