"""The workflow actions of ``dpo-desk case ACTION REF --json FILE``: JSON in, one store call, a line out.

Each action documents its JSON fields (shown by ``dpo-desk case --help``) and turns
the document into core types, so a refusal names the field at fault.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlite_utils import Database

from dpo_desk.core.deadlines import Extension, PauseKind
from dpo_desk.core.errors import InputError
from dpo_desk.core.fees import FeeBasis, FeeDecision, FeeState, cost_item
from dpo_desk.core.identity import Evidence, IdentityCheck, IdentityStatus, Method, Outcome
from dpo_desk.core.intake import parse_received
from dpo_desk.core.models import Status
from dpo_desk.core.outcomes import FIELDS as OUTCOME_FIELDS
from dpo_desk.core.recipients import NoticeState
from dpo_desk.core.refusal import Refusal, RefusalGround
from dpo_desk.store.decisions import Decisions
from dpo_desk.store.outcomes import Outcomes
from dpo_desk.store.workflow import Workflow


@dataclass(frozen=True, slots=True)
class Context:
    db: Database
    case_id: int
    actor: str
    now: datetime


Handler = Callable[[Mapping[str, Any], Context], str]


@dataclass(frozen=True, slots=True)
class Action:
    summary: str
    fields: str
    run: Handler


def _get(data: Mapping[str, Any], key: str, *, default: Any = ..., kind: type = str) -> Any:
    if key not in data:
        if default is ...:
            raise InputError(f"{key}: missing field")
        return default
    value = data[key]
    if not isinstance(value, kind):
        raise InputError(f"{key}: must be a {kind.__name__}")
    return value


def _choice(data: Mapping[str, Any], key: str, enum: Any) -> Any:
    value = _get(data, key)
    try:
        return enum(value)
    except ValueError:
        raise InputError(f"{key}: {value!r} is not one of {', '.join(m.value for m in enum)}") from None


def _day(data: Mapping[str, Any], key: str, *, required: bool = True) -> date | None:
    value = data.get(key)
    if value in (None, "") and not required:
        return None
    if value is None:
        raise InputError(f"{key}: missing field")
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise InputError(f"{key}: {value!r} is not a valid date YYYY-MM-DD") from None


def _required_day(data: Mapping[str, Any], key: str) -> date:
    day = _day(data, key)
    assert day is not None
    return day


def _identity_check(data: Mapping[str, Any], ctx: Context) -> str:
    check = IdentityCheck(
        evidence=_choice(data, "evidence", Evidence),
        method=_choice(data, "method", Method),
        checked_by=_get(data, "checked_by", default=ctx.actor),
        checked_at=parse_received(_get(data, "checked_at"), now=ctx.now, field="checked_at"),
        outcome=_choice(data, "outcome", Outcome),
        reference=_get(data, "reference", default=""),
        copy_deleted_on=_day(data, "copy_deleted_on", required=False),
        note=_get(data, "note", default=""),
    )
    workflow = Workflow(ctx.db)
    workflow.record_check(ctx.case_id, check, actor=ctx.actor, now=ctx.now)
    return f"identity: {workflow.identity_status(ctx.case_id).value}"


def _identity_decision(status: IdentityStatus) -> Handler:
    def run(data: Mapping[str, Any], ctx: Context) -> str:
        Workflow(ctx.db).decide_identity(ctx.case_id, status, _get(data, "reason"), actor=ctx.actor, now=ctx.now)
        return f"identity: {status.value}"

    return run


def _pause(data: Mapping[str, Any], ctx: Context) -> str:
    kind = _choice(data, "kind", PauseKind)
    workflow = Workflow(ctx.db)
    warnings = workflow.pause(
        ctx.case_id, kind, _required_day(data, "start"), _get(data, "reason"), actor=ctx.actor, now=ctx.now
    )
    due = workflow.cases.get_by_id(ctx.case_id).deadlines.due
    return "\n".join([f"paused ({kind.value}); due while paused: {due}"] + [f"warning: {w}" for w in warnings])


def _resume(data: Mapping[str, Any], ctx: Context) -> str:
    workflow = Workflow(ctx.db)
    workflow.resume(
        ctx.case_id, _choice(data, "kind", PauseKind), _required_day(data, "end"), actor=ctx.actor, now=ctx.now
    )
    return f"resumed; due {workflow.cases.get_by_id(ctx.case_id).deadlines.due}"


def _extend(data: Mapping[str, Any], ctx: Context) -> str:
    workflow = Workflow(ctx.db)
    extension = Extension(_get(data, "reasons"), _required_day(data, "notice_sent_on"))
    workflow.extend(ctx.case_id, extension, actor=ctx.actor, now=ctx.now)
    return f"extended; due {workflow.cases.get_by_id(ctx.case_id).deadlines.due}"


def _fee(data: Mapping[str, Any], ctx: Context) -> str:
    items = _get(data, "items", kind=list)
    if not all(isinstance(item, Mapping) for item in items):
        raise InputError("items: a list of objects with description, quantity and unit_cost")
    decision = FeeDecision(
        basis=_choice(data, "basis", FeeBasis),
        facts=_get(data, "facts"),
        earlier_cases=tuple(_get(data, "earlier_cases", default=[], kind=list)),
        items=tuple(
            cost_item(str(item.get("description", "")), item.get("quantity"), item.get("unit_cost")) for item in items
        ),
        currency=_get(data, "currency"),
        announced_on=_required_day(data, "announced_on"),
    )
    decisions = Decisions(ctx.db)
    decisions.decide_fee(ctx.case_id, decision, actor=ctx.actor, now=ctx.now)
    return f"fee announced: {decision.total} {decision.currency.upper()}"


def _fee_answer(data: Mapping[str, Any], ctx: Context) -> str:
    state = _choice(data, "state", FeeState)
    Decisions(ctx.db).settle_fee(ctx.case_id, state, _required_day(data, "on"), actor=ctx.actor, now=ctx.now)
    return f"fee: {state.value}"


def _refuse(data: Mapping[str, Any], ctx: Context) -> str:
    grounds = _get(data, "grounds", kind=list)
    refusal = Refusal(
        partial=_get(data, "partial", kind=bool),
        grounds=tuple(_choice({"grounds": g}, "grounds", RefusalGround) for g in grounds),
        reasons=_get(data, "reasons"),
        decided_on=_required_day(data, "decided_on"),
        other_ground=_get(data, "other_ground", default=""),
    )
    warning = Decisions(ctx.db).refuse(ctx.case_id, refusal, actor=ctx.actor, now=ctx.now)
    return "refusal recorded" + (f"\nwarning: {warning}" if warning else "")


def _outcome(data: Mapping[str, Any], ctx: Context) -> str:
    kind = _get(data, "right")
    Outcomes(ctx.db).record_outcome(ctx.case_id, kind, _get(data, "details", kind=dict), actor=ctx.actor, now=ctx.now)
    return f"outcome recorded: {kind}"


def _sources(data: Mapping[str, Any], ctx: Context) -> str:
    keys = _get(data, "sources", kind=list)
    proposed = Outcomes(ctx.db).set_sources(ctx.case_id, [str(k) for k in keys], actor=ctx.actor, now=ctx.now)
    return "recipients to notify: " + (", ".join(proposed) if proposed else "none")


def _notify(data: Mapping[str, Any], ctx: Context) -> str:
    state = _choice(data, "state", NoticeState)
    Outcomes(ctx.db).notify(
        ctx.case_id,
        _get(data, "recipient"),
        state,
        on=_day(data, "on", required=False),
        channel=_get(data, "channel", default=""),
        reason=_get(data, "reason", default=""),
        actor=ctx.actor,
        now=ctx.now,
    )
    return f"recipient {data['recipient']}: {state.value}"


def _recipients_told(data: Mapping[str, Any], ctx: Context) -> str:
    Outcomes(ctx.db).told_subject(ctx.case_id, _required_day(data, "on"), actor=ctx.actor, now=ctx.now)
    return "the subject was told who the recipients are"


def _status(data: Mapping[str, Any], ctx: Context) -> str:
    target = _choice(data, "to", Status)
    Workflow(ctx.db).cases.change_status(
        ctx.case_id, target, actor=ctx.actor, reason=_get(data, "reason", default=""), now=ctx.now
    )
    return f"status: {target.value}"


def _values(enum: Any) -> str:
    return "|".join(member.value for member in enum)


ACTIONS: dict[str, Action] = {
    "identity-check": Action(
        "record one identity check",
        f"evidence ({_values(Evidence)}), method ({_values(Method)}), checked_at (ISO 8601 with offset), "
        f"outcome ({_values(Outcome)}), checked_by, reference (at most 4 characters), "
        "copy_deleted_on (YYYY-MM-DD, for copies received), note",
        _identity_check,
    ),
    "identity-waive": Action(
        "record that no identity check is needed", "reason", _identity_decision(IdentityStatus.NOT_REQUIRED)
    ),
    "identity-fail": Action(
        "record that identity could not be established (Art. 11(2))",
        "reason",
        _identity_decision(IdentityStatus.FAILED),
    ),
    "pause": Action(
        "pause the clock from the day information was asked for",
        f"kind ({_values(PauseKind)}), start (YYYY-MM-DD), reason (for identity: the concrete doubt)",
        _pause,
    ),
    "resume": Action("close a pause on the day the answer arrived", f"kind ({_values(PauseKind)}), end", _resume),
    "extend": Action(
        "extend by two further months", "reasons, notice_sent_on (YYYY-MM-DD, within the first month)", _extend
    ),
    "fee": Action(
        "announce a fee decision",
        f"basis ({_values(FeeBasis)}), facts, earlier_cases (references), items ([{{description, quantity, "
        "unit_cost}]), currency (ISO 4217), announced_on",
        _fee,
    ),
    "fee-answer": Action(
        "record the subject's answer to a fee", "state (accepted|paid|waived|withdrawn), on", _fee_answer
    ),
    "refuse": Action(
        "record a full or partial refusal",
        f"partial (true|false), grounds ([{_values(RefusalGround)}]), other_ground, reasons, decided_on",
        _refuse,
    ),
    "outcome": Action(
        "record what was done for one right",
        "right, details: " + "; ".join(f"{kind}: {fields}" for kind, fields in OUTCOME_FIELDS.items()),
        _outcome,
    ),
    "sources": Action(
        "say which register sources the subject's data came from (proposes the Art. 19 recipients)",
        "sources (list of source keys, e.g. web-forms, customers)",
        _sources,
    ),
    "notify-recipient": Action(
        "record an Art. 19 notice to one recipient",
        "recipient (processor key), state (notified|confirmed|not-notified), on, channel, reason",
        _notify,
    ),
    "recipients-told": Action("record that the subject was told who the recipients are", "on", _recipients_told),
    "status": Action("move the case to another status", f"to ({_values(Status)}), reason", _status),
}


def help_text() -> str:
    lines = ["workflow actions: dpo-desk --store PATH case ACTION REF --json FILE ('-' reads stdin)", ""]
    for name, action in ACTIONS.items():
        lines.append(f"  {name}: {action.summary}")
        lines.append(f"      JSON fields: {action.fields}")
    return "\n".join(lines)
