"""The one line that tells the DPO what a case needs next, derived from its state."""

from __future__ import annotations

from datetime import date

from dpo_desk.core.dates import day_month_year, short_date
from dpo_desk.core.models import Case, Status

_BY_STATUS = {
    Status.RECEIVED: "Acknowledge receipt and start the identity check",
    Status.IDENTITY_CHECK: "Identity: record two trusted IDs, or why no check is needed",
    Status.IN_PROGRESS: "Gather the data and prepare the response",
    Status.WAITING_ON_SUBJECT: "Waiting on the subject's answer",
    Status.WAITING_ON_FEE: "Waiting on the subject's decision about the fee",
    Status.RESPONSE_READY: "Send the response",
    Status.RESPONDED: "Close the case once nothing is left to do",
}


def next_step(case: Case, today: date) -> str:
    if case.status in (Status.CLOSED, Status.REFUSED, Status.WITHDRAWN):
        return f"Nothing to do: the case is {case.status.label.lower()}"
    step = _BY_STATUS[case.status]
    if not case.status.is_open:
        return step
    due = case.deadlines.due
    if due < today:
        return f"Overdue since {day_month_year(due)}: {step.lower()} now"
    notice = case.deadlines.extension_notice_due
    if notice == due and (due - today).days <= 7:
        return f"{step} by {short_date(due)}, or send an extension notice with reasons by then"
    return f"{step}; due by {short_date(due)}"
