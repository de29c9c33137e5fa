"""The one line that tells the DPO what a case needs next, derived from its state."""

from __future__ import annotations

from dpo_desk.core.case_state import CaseState
from dpo_desk.core.dates import day_month_year, short_date
from dpo_desk.core.fees import FeeState
from dpo_desk.core.identity import IdentityStatus
from dpo_desk.core.models import Status
from dpo_desk.core.outcomes import CHILD, outcome_label

NOTICE_WARNING_DAYS = 7  # how early the extension-notice deadline is pointed out

_BY_STATUS = {
    Status.RECEIVED: "Acknowledge receipt and start the identity check",
    Status.IDENTITY_CHECK: "Finish the identity check",
    Status.IN_PROGRESS: "Gather the data and prepare the response",
    Status.WAITING_ON_SUBJECT: "Waiting on the subject's answer",
    Status.WAITING_ON_FEE: "Waiting on the subject's decision about the fee",
    Status.RESPONSE_READY: "Send the response",
    Status.RESPONDED: "Close the case once nothing is left to do",
}


def next_step(state: CaseState) -> str:
    case, today = state.case, state.today
    if state.settled:
        return f"Nothing to do: the case is {case.status.label.lower()}"
    step = _step(state)
    if not case.status.is_open:
        return step
    due = case.deadlines.due
    if due < today:
        return f"Overdue since {day_month_year(due)}: {step[0].lower()}{step[1:]} now"
    notice = case.deadlines.extension_notice_due
    if case.extension is None and 0 <= (notice - today).days <= NOTICE_WARNING_DAYS:
        return f"{step}; extension notice due by {short_date(notice)}"
    return f"{step}; due by {short_date(due)}"


def _step(state: CaseState) -> str:
    case = state.case
    for pause in case.open_pauses:
        return f"Waiting on the subject's answer ({pause.kind.label.lower()}) since {short_date(pause.start)}"
    if state.identity is IdentityStatus.PENDING and case.status.is_open:
        # An action, as every other step: "Identity: 0 of 2 …" read as a field ("…: identity: 0 of 2 … now").
        return f"Check identity ({state.identity_progress.removeprefix('Identity: ')})"
    if state.fee is not None and state.fee.state is FeeState.ANNOUNCED:
        return "Waiting on the subject's decision about the fee"
    if state.child is not None and CHILD not in state.recorded_outcomes:
        return f"Delete the child's data and confirm it: the subject is {state.child.describe()}"
    if state.missing_outcomes and case.status in (Status.IN_PROGRESS, Status.RESPONSE_READY, Status.RESPONDED):
        return f"Record the outcome for {', '.join(outcome_label(kind).lower() for kind in state.missing_outcomes)}"
    if state.open_notices:
        return f"{state.open_notices} recipient{'s' if state.open_notices > 1 else ''} still to notify"
    return _BY_STATUS[case.status]
