"""Every workflow action on a case, declared once: its fields, when it is allowed, and what it does.

The app builds each action's button (enabled, or disabled with the reason), its dialog and its validation
as the DPO types from the declaration; the command line builds ``dpo-desk case ACTION REF --json FILE``,
its JSON checks and its ``--help`` from the same one. Adding a field to an action is one edit here.

An action's ``build`` turns the fields' values into the domain's command and runs the core's rules on it
(so the app can refuse as the DPO types); ``perform`` hands it to the store and says what happened in one
line (a line starting "warning:" is a warning for the DPO).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from dpo_desk.application.fields import Field, Form, Kind, Options, check_complete
from dpo_desk.core import lifecycle
from dpo_desk.core.case_state import CaseState
from dpo_desk.core.deadlines import Extension, PauseKind, check_extension, check_pause, check_resume
from dpo_desk.core.errors import InputError, RefusedError
from dpo_desk.core.fees import FeeBasis, FeeDecision, FeeState, settle, validate_fee
from dpo_desk.core.identity import (
    Evidence,
    IdentityCheck,
    IdentityStatus,
    Method,
    Outcome,
    check_decision,
    copies_to_delete,
    validate_check,
)
from dpo_desk.core.models import Right, Status
from dpo_desk.core.outcomes import CHILD, ERASURE_EXCEPTIONS, ERASURE_GROUNDS, OUTCOME_KINDS, check_outcome
from dpo_desk.core.recipients import NoticeState, changed_notices
from dpo_desk.core.refusal import Refusal, RefusalGround, validate_refusal

if TYPE_CHECKING:
    from dpo_desk.application.desk import Desk

log = logging.getLogger(__name__)
Command = TypeVar("Command")
Values = Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Action(Generic[Command]):
    name: str  # the command line's name, and how the log names the action
    button: str  # the app's button; '&' marks the mnemonic
    summary: str  # one line for --help, and the button's tooltip when the action is allowed
    fields: tuple[Field, ...]
    build: Callable[[Values, Form], Command]
    perform: Callable[[Desk, CaseState, Command], str]
    allowed: Callable[[CaseState], str | None]  # None, or why not (in words for a tooltip)
    ok_text: str = ""  # the dialog's OK button, when "OK" says too little

    @property
    def title(self) -> str:
        return self.button.replace("&", "").removesuffix("…")

    def check(self, values: Values, form: Form) -> Command:
        """The command the values make, with every rule applied; raises naming the field at fault."""
        command = self.build(values, form)
        check_complete(self.fields, values)
        return command

    def run(self, desk: Desk, case_id: int, values: Values) -> str:
        """Do the action on the case if its state allows it; returns the line that says what happened."""
        state = desk.state(case_id)
        reason = self.allowed(state)
        if reason is not None:
            raise RefusedError(reason)
        command = self.check(values, desk.form(state))
        message = self.perform(desk, state, command)
        log.info("%s on case %d", self.name, case_id)  # ids and action names only: no case content
        return message


@dataclass(frozen=True, slots=True)
class Family:
    """One command-line action that stands for several declared ones, chosen by a field: an outcome per
    right, a recipient's notice per state."""

    name: str
    summary: str
    selector: str  # the JSON key that chooses the member
    members: Mapping[str, Action[Any]]
    nested: str = ""  # the key holding the member's fields, when they are not beside the selector


# --- when actions are allowed ----------------------------------------------------------------


def _open_record(state: CaseState) -> str | None:
    if state.settled:
        return f"the case is {state.case.status.label.lower()}: reopen it (move it back to in progress) to change it"
    return None


def may_attach(state: CaseState) -> str | None:
    """A file attached by hand adds to the case's record, so it follows the rule of every change; opening or
    saving out an attachment changes nothing, and stays possible on any case."""
    return _open_record(state)


def _when(*rules: Callable[[CaseState], str | None]) -> Callable[[CaseState], str | None]:
    """Allowed when every rule allows; the first reason found otherwise."""

    def allowed(state: CaseState) -> str | None:
        return next((reason for rule in rules if (reason := rule(state)) is not None), None)

    return allowed


def _always(state: CaseState) -> str | None:
    return None


def _identity_pause_open(state: CaseState) -> bool:
    return any(pause.kind is PauseKind.IDENTITY for pause in state.case.open_pauses)


def _no_identity_pause(state: CaseState) -> str | None:
    return (
        "more identity information was asked for already; record the answer first"
        if _identity_pause_open(state)
        else None
    )


def _identity_pause(state: CaseState) -> str | None:
    return None if _identity_pause_open(state) else "no request for identity information is open"


def _a_pause_can_open(state: CaseState) -> str | None:
    open_kinds = {pause.kind for pause in state.case.open_pauses}
    return "every kind of pause is open already" if open_kinds == set(PauseKind) else None


def _a_pause_is_open(state: CaseState) -> str | None:
    return None if state.case.open_pauses else "no pause of the clock is open"


def _extendable(state: CaseState) -> str | None:
    if state.case.extension is not None:
        return "the case is already extended; the period can be extended only once"
    return None if state.case.status.is_open else "the case is answered"


def _no_fee(state: CaseState) -> str | None:
    return None if state.fee is None else "the case already has a fee decision; record the subject's answer instead"


def _fee_awaits_answer(state: CaseState) -> str | None:
    if state.fee is None:
        return "the case has no fee decision"
    if state.fee.state not in (FeeState.ANNOUNCED, FeeState.ACCEPTED):
        return f"the fee is {state.fee.state.label.lower()}: nothing more to record"
    return None


def _has_recipients(state: CaseState) -> str | None:
    return None if state.notices else "the case has no recipients to notify (Art. 19): say where its data came from"


def _not_yet_told(state: CaseState) -> str | None:
    told = state.recipients_told_on
    return None if told is None else f"the subject was told who the recipients are on {told.isoformat()} already"


def _has_notified(state: CaseState) -> str | None:
    notified = any(notice.state is NoticeState.NOTIFIED for notice in state.notices)
    return None if notified else "no recipient is recorded as notified yet"


def _invokes(kind: str) -> Callable[[CaseState], str | None]:
    def allowed(state: CaseState) -> str | None:
        if kind == CHILD or Right(kind) in state.case.rights:
            return None
        return f"the case does not invoke {kind}"

    return allowed


# --- defaults and options that depend on the case --------------------------------------------


def _today(form: Form) -> date:
    return form.today


def _in_two_weeks(form: Form) -> date:
    return form.today + timedelta(days=14)


def _choices(enum: Any) -> Options:
    return [(member.value, getattr(member, "label", member.value.replace("-", " ").capitalize())) for member in enum]


def _state(form: Form) -> CaseState:
    assert form.state is not None, "a case action's form always has its case"
    return form.state


def _open_pause_kinds(form: Form) -> Options:
    return [(pause.kind.value, pause.kind.value.capitalize()) for pause in _state(form).case.open_pauses]


def _earlier_references(form: Form) -> Options:
    return [(e.summary.reference, e.describe()) for e in _state(form).earlier_cases]


def _child_shown_by(form: Form) -> str:
    child = _state(form).child
    return child.describe() if child is not None else ""


def _recent_earlier(form: Form) -> list[str]:
    return [reference for reference, _ in _earlier_references(form)][:3]


def _register_sources(form: Form) -> Options:
    assert form.desk is not None
    return [(source.key, source.name) for source in form.desk.register.sources()]


def _chosen_sources(form: Form) -> list[str]:
    return list(_state(form).sources)


def _recipients(*states: NoticeState) -> Callable[[Form], Options]:
    def options(form: Form) -> Options:
        notices = _state(form).notices
        return [(n.processor_key, n.service) for n in notices if not states or n.state in states]

    return options


def _next_statuses(form: Form) -> Options:
    current = _state(form).case.status
    return [
        (status.value, status.label + ("  (needs a reason)" if lifecycle.reason_needed(current, status) else ""))
        for status in lifecycle.next_statuses(current)
    ]


# --- identity --------------------------------------------------------------------------------


def _build_check(values: Values, form: Form) -> IdentityCheck:
    check = IdentityCheck(
        evidence=Evidence(values["evidence"]),
        method=Method(values["method"]),
        checked_by=values["checked_by"].strip() or form.actor,
        checked_at=values["checked_at"],
        outcome=Outcome(values["outcome"]),
        reference=values["reference"],
        copy_deleted_on=values["copy_deleted_on"],
        note=values["note"],
    )
    return validate_check(check, received_at=_state(form).case.received_at, now=form.now)


def _not_waived(state: CaseState) -> str | None:
    decision = state.decision
    waived = decision is not None and decision.status is IdentityStatus.NOT_REQUIRED
    return "no identity check is needed (recorded): a check would contradict that record" if waived else None


def _record_check(desk: Desk, state: CaseState, check: IdentityCheck) -> str:
    desk.workflow.record_check(state.case.id, check, actor=desk.actor, now=desk.now())
    return f"identity: {desk.workflow.identity_status(state.case.id).label.lower()}"


IDENTITY_CHECK = Action(
    "identity-check",
    "&Record check…",
    "record one identity check",
    (
        Field("evidence", "&Evidence", Kind.CHOICE, options=_choices(Evidence)),
        Field("method", "&Method", Kind.CHOICE, options=_choices(Method), help="how the evidence reached you"),
        Field("outcome", "&Outcome", Kind.CHOICE, options=_choices(Outcome)),
        Field("checked_by", "Checked &by", required=False, default=lambda form: form.actor, help="default: you"),
        Field("checked_at", "&When", Kind.DATETIME, default=lambda form: form.now),
        Field("reference", "&Reference", required=False, help="at most 4 characters, never the document number"),
        Field("copy_deleted_on", "Copy &deleted on", Kind.DATE, required=False, help="a copy received was deleted"),
        Field("note", "&Note", Kind.LONG, required=False, help="e.g. 'ID card was checked'; no numbers"),
    ),
    _build_check,
    _record_check,
    _when(_open_record, _not_waived),
)


def _copies_kept(state: CaseState) -> str | None:
    return None if copies_to_delete(state.checks) else "no received copy of an ID document is kept"


def _copies_deleted(desk: Desk, state: CaseState, on: date) -> str:
    count = desk.workflow.copies_deleted(state.case.id, on, actor=desk.actor, now=desk.now())
    return f"{count} received copy(ies) recorded as deleted on {on.isoformat()}"


COPIES_DELETED = Action(
    "copies-deleted",
    "Copies de&leted…",
    "record the day the received copies of ID documents were deleted (a case closes only then)",
    (Field("on", "&Deleted on", Kind.DATE, default=_today),),
    lambda values, form: values["on"],
    _copies_deleted,
    _when(_open_record, _copies_kept),
)


def _decision(status: IdentityStatus) -> Callable[[Values, Form], str]:
    def build(values: Values, form: Form) -> str:
        check_decision(status, values["reason"])
        return str(values["reason"])

    return build


def _decide(status: IdentityStatus) -> Callable[[Desk, CaseState, str], str]:
    def perform(desk: Desk, state: CaseState, reason: str) -> str:
        desk.workflow.decide_identity(state.case.id, status, reason, actor=desk.actor, now=desk.now())
        return f"identity: {status.label.lower()}"

    return perform


IDENTITY_WAIVE = Action(
    "identity-waive",
    "No chec&k needed…",
    "record that no identity check is needed",
    (Field("reason", "&Reason", Kind.LONG, help="why no check is needed"),),
    _decision(IdentityStatus.NOT_REQUIRED),
    _decide(IdentityStatus.NOT_REQUIRED),
    _open_record,
)
IDENTITY_FAIL = Action(
    "identity-fail",
    "Cannot &identify…",
    "record that identity could not be established (Art. 11(2))",
    (Field("reason", "&Reason", Kind.LONG, help="what was tried, and why it did not establish identity"),),
    _decision(IdentityStatus.FAILED),
    _decide(IdentityStatus.FAILED),
    _open_record,
)


# --- pauses and the extension ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PauseRequest:
    kind: PauseKind
    start: date
    reason: str


def _pause_of(kind: PauseKind | None) -> Callable[[Values, Form], PauseRequest]:
    def build(values: Values, form: Form) -> PauseRequest:
        request = PauseRequest(kind or PauseKind(values["kind"]), values["start"], values["reason"])
        case = _state(form).case
        check_pause(
            request.kind, request.start, request.reason, received=case.received_date, today=form.today,
            pauses=case.pauses,
        )  # fmt: skip
        return request

    return build


def _pause(desk: Desk, state: CaseState, request: PauseRequest) -> str:
    warnings = desk.workflow.pause(
        state.case.id, request.kind, request.start, request.reason, actor=desk.actor, now=desk.now()
    )
    due = desk.cases.get_by_id(state.case.id).deadlines.due
    return "\n".join(
        [f"paused ({request.kind.label.lower()}); due while paused: {due}"] + [f"warning: {w}" for w in warnings]
    )


@dataclass(frozen=True, slots=True)
class ResumeRequest:
    kind: PauseKind
    end: date


def _resume_of(kind: PauseKind | None) -> Callable[[Values, Form], ResumeRequest]:
    def build(values: Values, form: Form) -> ResumeRequest:
        request = ResumeRequest(kind or PauseKind(values["kind"]), values["end"])
        check_resume(request.kind, request.end, today=form.today, pauses=_state(form).case.pauses)
        return request

    return build


def _resume(desk: Desk, state: CaseState, request: ResumeRequest) -> str:
    desk.workflow.resume(state.case.id, request.kind, request.end, actor=desk.actor, now=desk.now())
    return f"resumed; due {desk.cases.get_by_id(state.case.id).deadlines.due}"


IDENTITY_DOUBT = Action(
    "identity-doubt",
    "&Doubt: ask for more…",
    "record a concrete doubt about identity and the day more information was asked for (pauses the clock)",
    (
        Field("reason", "Concrete &doubt", Kind.LONG, help="e.g. written from an address not on file"),
        Field("start", "More information &asked on", Kind.DATE, default=_today),
    ),
    _pause_of(PauseKind.IDENTITY),
    _pause,
    _when(_open_record, _no_identity_pause),
)
IDENTITY_ANSWER = Action(
    "identity-answer",
    "&Answer received…",
    "record the day the identity information asked for arrived (resumes the clock)",
    (Field("end", "Answer &received on", Kind.DATE, default=_today),),
    _resume_of(PauseKind.IDENTITY),
    _resume,
    _when(_open_record, _identity_pause),
)
PAUSE = Action(
    "pause",
    "&Pause clock…",
    "pause the clock from the day information was asked for",
    (
        Field("kind", "&Waiting for", Kind.CHOICE, options=_choices(PauseKind)),
        Field("start", "&Asked on", Kind.DATE, default=_today),
        Field("reason", "&Reason", Kind.LONG, help="what was asked for; for identity, the concrete doubt"),
    ),
    _pause_of(None),
    _pause,
    _when(_open_record, _a_pause_can_open),
)
RESUME = Action(
    "resume",
    "Answer &received…",
    "close a pause on the day the answer arrived",
    (
        Field(
            "kind",
            "&Answer to",
            Kind.CHOICE,
            options=_open_pause_kinds,
            shape="|".join(kind.value for kind in PauseKind) + ", a kind of pause that is open",
        ),
        Field("end", "&Received on", Kind.DATE, default=_today),
    ),
    _resume_of(None),
    _resume,
    _when(_open_record, _a_pause_is_open),
)


def _build_extension(values: Values, form: Form) -> Extension:
    extension = Extension(values["reasons"], values["notice_sent_on"])
    state = _state(form)
    extended = state.case.extension is not None
    check_extension(state.deadline_input, extension, today=form.today, already_extended=extended)
    return extension


def _extend(desk: Desk, state: CaseState, extension: Extension) -> str:
    desk.workflow.extend(state.case.id, extension, actor=desk.actor, now=desk.now())
    return f"extended; due {desk.cases.get_by_id(state.case.id).deadlines.due}"


EXTEND = Action(
    "extend",
    "E&xtend…",
    "extend by two further months",
    (
        Field("reasons", "&Reasons", Kind.LONG, help="told to the subject: complexity, number of requests"),
        Field("notice_sent_on", "&Notice sent on", Kind.DATE, default=_today, help="within the first month"),
    ),
    _build_extension,
    _extend,
    _when(_open_record, _extendable),
    ok_text="Extend",
)


# --- fee and refusal -------------------------------------------------------------------------


def _build_fee(values: Values, form: Form) -> FeeDecision:
    decision = FeeDecision(
        basis=FeeBasis(values["basis"]),
        facts=values["facts"],
        earlier_cases=tuple(values["earlier_cases"]),
        items=values["items"],
        currency=values["currency"],
        announced_on=values["announced_on"],
        answer_by=values["answer_by"],
    )
    return validate_fee(decision, received=_state(form).case.received_date, today=form.today)


def _decide_fee(desk: Desk, state: CaseState, decision: FeeDecision) -> str:
    desk.decisions.decide_fee(state.case.id, decision, actor=desk.actor, now=desk.now())
    return f"fee announced: {decision.total} {decision.currency.upper()}"


FEE = Action(
    "fee",
    "&Decide fee…",
    "announce a fee decision",
    (
        Field("basis", "&Basis", Kind.CHOICE, options=_choices(FeeBasis)),
        Field("facts", "&Facts", Kind.LONG, help="what makes the request unfounded, excessive or a further copy"),
        Field(
            "earlier_cases",
            "&Earlier cases",
            Kind.CHOICES,
            required=False,
            options=_earlier_references,
            default=_recent_earlier,
            help="the subject's earlier requests the facts rely on",
        ),
        Field("items", "&Cost items", Kind.COST_ITEMS, help="the cost calculation"),
        Field("currency", "C&urrency", default="EUR", help="ISO 4217"),
        Field("announced_on", "&Announced on", Kind.DATE, default=_today),
        Field(
            "answer_by",
            "Ans&wer by",
            Kind.DATE,
            default=_in_two_weeks,
            help="the fee notice asks the subject to say by this day whether they pay or withdraw",
        ),
    ),
    _build_fee,
    _decide_fee,
    _when(_open_record, _no_fee),
    ok_text="Announce fee",
)


@dataclass(frozen=True, slots=True)
class FeeAnswer:
    state: FeeState
    on: date


def _build_fee_answer(values: Values, form: Form) -> FeeAnswer:
    answer = FeeAnswer(FeeState(values["state"]), values["on"])
    fee = _state(form).fee
    if fee is None:
        raise RefusedError("the case has no fee decision")
    settle(fee, answer.state, answer.on)
    return answer


def _settle_fee(desk: Desk, state: CaseState, answer: FeeAnswer) -> str:
    desk.decisions.settle_fee(state.case.id, answer.state, answer.on, actor=desk.actor, now=desk.now())
    return f"fee: {answer.state.label.lower()}"


FEE_ANSWER = Action(
    "fee-answer",
    "Fee &answer…",
    "record the subject's answer to a fee",
    (
        Field(
            "state",
            "&Answer",
            Kind.CHOICE,
            options=[(s.value, s.value.capitalize()) for s in FeeState if s is not FeeState.ANNOUNCED],
        ),
        Field("on", "&On", Kind.DATE, default=_today),
    ),
    _build_fee_answer,
    _settle_fee,
    _when(_open_record, _fee_awaits_answer),
)


def _build_refusal(values: Values, form: Form) -> Refusal:
    refusal = Refusal(
        partial=values["partial"],
        grounds=tuple(RefusalGround(ground) for ground in values["grounds"]),
        reasons=values["reasons"],
        decided_on=values["decided_on"],
        other_ground=values["other_ground"],
    )
    return validate_refusal(refusal, received=_state(form).case.received_date, today=form.today)


def _refuse(desk: Desk, state: CaseState, refusal: Refusal) -> str:
    warning = desk.decisions.refuse(state.case.id, refusal, actor=desk.actor, now=desk.now())
    return "refusal recorded" + (f"\nwarning: {warning}" if warning else "")


REFUSE = Action(
    "refuse",
    "&Refuse…",
    "record a full or partial refusal",
    (
        Field("partial", "&Extent", Kind.BOOL, help="partial refusal (part of the request is answered)"),
        Field("grounds", "&Legal grounds", Kind.CHOICES, options=_choices(RefusalGround)),
        Field("other_ground", "&Other ground", required=False, help="for 'Other ground': the provision"),
        Field("reasons", "&Reasons", Kind.LONG, help="the specific reasons the subject will read"),
        Field("decided_on", "&Decided on", Kind.DATE, default=_today),
    ),
    _build_refusal,
    _refuse,
    _open_record,
    ok_text="Record refusal",
)


# --- outcomes, one action per right ----------------------------------------------------------

DONE_ON = Field("done_on", "&Done on", Kind.DATE, default=_today)
OUTCOME_FIELDS: dict[str, tuple[Field, ...]] = {
    Right.ACCESS: (
        Field("provided_on", "Copy &provided on", Kind.DATE, default=_today),
        Field("note", "&Note", required=False),
    ),
    Right.RECTIFICATION: (Field("corrected", "What was &corrected", Kind.LONG), DONE_ON),
    Right.ERASURE: (
        Field("ground", "Art. 17(1) &ground", Kind.CHOICE, options=[(g, g) for g in ERASURE_GROUNDS]),
        Field(
            "exception",
            "Art. 17(3) &exception",
            Kind.CHOICE,
            required=False,
            options=[(e, e or "none") for e in ERASURE_EXCEPTIONS],
            default="",
        ),
        Field(
            "kept",
            "&Reasons for keeping",
            Kind.LONG,
            required=False,
            help="with an exception: which data is kept and why it is needed (told to the subject)",
        ),
        Field("systems", "&Systems erased", Kind.LIST),
        Field("backups_beyond_use", "&Backups", Kind.BOOL, help="put beyond use until overwritten"),
        DONE_ON,
    ),
    Right.RESTRICTION: (
        Field("scope", "&Scope", Kind.LONG, required=False, help="which data, or which processing, is restricted"),
        Field("applied_on", "&Applied on", Kind.DATE, default=_today),
        Field("lifting_notice_on", "Art. 18(3) &notice on", Kind.DATE, required=False, help="told before lifting"),
        Field("lifted_on", "&Lifted on", Kind.DATE, required=False, help="the restriction was lifted"),
    ),
    Right.OBJECTION: (
        Field("direct_marketing", "Direct &marketing", Kind.BOOL, help="objection to direct marketing (absolute)"),
        Field(
            "assessment",
            "&Assessment",
            Kind.LONG,
            required=False,
            help="other objections: the weighing (required unless direct marketing)",
        ),
        Field(
            "upheld", "&Upheld", Kind.BOOL, required=False, help="processing stopped (required unless direct marketing)"
        ),
        DONE_ON,
    ),
    Right.PORTABILITY: (
        Field("conditions_met", "&Art. 20 conditions", Kind.BOOL, help="consent or contract, and automated means"),
        Field("note", "&Note", required=False),
        DONE_ON,
    ),
    Right.CONSENT_WITHDRAWAL: (Field("consents", "&Consents withdrawn", Kind.LIST), DONE_ON),
    Right.OTHER: (Field("note", "&What was done", Kind.LONG), DONE_ON),
    CHILD: (
        Field(
            "age_basis",
            "&Age shown by",
            Kind.LONG,
            default=_child_shown_by,
            help="the subject's age, the age of digital consent that applies, and what shows it",
        ),
        Field("systems", "&Systems erased", Kind.LIST),
        DONE_ON,
    ),
}


@dataclass(frozen=True, slots=True)
class OutcomeRecord:
    kind: str
    details: dict[str, Any]  # as the store keeps it (dates as YYYY-MM-DD)


def _build_outcome(kind: str) -> Callable[[Values, Form], OutcomeRecord]:
    def build(values: Values, form: Form) -> OutcomeRecord:
        details = {name: value.isoformat() if isinstance(value, date) else value for name, value in values.items()}
        return OutcomeRecord(kind, check_outcome(kind, details, _state(form).case.rights))

    return build


def _record_outcome(desk: Desk, state: CaseState, record: OutcomeRecord) -> str:
    desk.outcomes.record_outcome(state.case.id, record.kind, record.details, actor=desk.actor, now=desk.now())
    return f"outcome recorded: {record.kind}"


OUTCOMES: dict[str, Action[OutcomeRecord]] = {
    kind: Action(
        f"outcome-{kind}",
        f"{kind.replace('-', ' ').capitalize()}…",
        f"record what was done: {kind}",
        OUTCOME_FIELDS[kind],
        _build_outcome(kind),
        _record_outcome,
        _when(_open_record, _invokes(kind)),
        ok_text="Record outcome",
    )
    for kind in OUTCOME_KINDS
}


# --- Art. 19 recipients ----------------------------------------------------------------------


def _build_sources(values: Values, form: Form) -> list[str]:
    return list(values["sources"])


def _set_sources(desk: Desk, state: CaseState, keys: list[str]) -> str:
    proposed = desk.outcomes.set_sources(state.case.id, keys, actor=desk.actor, now=desk.now())
    return "recipients to notify: " + (", ".join(proposed) if proposed else "none")


SOURCES = Action(
    "sources",
    "Sources of the &data…",
    "say which register sources the subject's data came from (proposes the Art. 19 recipients)",
    (
        Field(
            "sources",
            "&Sources",
            Kind.CHOICES,
            empty_ok=True,
            options=_register_sources,
            default=_chosen_sources,
            help="the register's source keys, e.g. web-forms, customers",
        ),
    ),
    _build_sources,
    _set_sources,
    _open_record,
)


@dataclass(frozen=True, slots=True)
class NoticeChange:
    recipients: tuple[str, ...]
    state: NoticeState
    on: date | None
    channel: str
    reason: str


def _notice(state: NoticeState) -> Callable[[Values, Form], NoticeChange]:
    def build(values: Values, form: Form) -> NoticeChange:
        change = NoticeChange(
            tuple(values["recipients"]), state, values.get("on"), values.get("channel", ""), values.get("reason", "")
        )
        if change.on is not None and change.on > form.today:
            raise InputError("on: cannot be in the future")
        changed_notices(
            _state(form).notices, change.recipients, state, on=change.on, channel=change.channel, reason=change.reason
        )
        return change

    return build


def _notify(desk: Desk, state: CaseState, change: NoticeChange) -> str:
    desk.outcomes.notify(
        state.case.id, change.recipients, change.state, on=change.on, channel=change.channel, reason=change.reason,
        actor=desk.actor, now=desk.now(),
    )  # fmt: skip
    services = {notice.processor_key: notice.service for notice in state.notices}
    named = ", ".join(services.get(key, key) for key in change.recipients)  # as the Recipients tab lists them
    return f"recipient{'s' if len(change.recipients) > 1 else ''} {named}: {change.state.label.lower()}"


def _recipient(*states: NoticeState) -> Field:
    """Several at once: the recipients told alike (one e-mail to each, the same day) are one step."""
    return Field("recipients", "Re&cipients", Kind.CHOICES, options=_recipients(*states), help="their processor keys")


NOTICES: dict[str, Action[NoticeChange]] = {
    NoticeState.NOTIFIED: Action(
        "recipient-notified",
        "N&otified…",
        "record that a recipient was told (Art. 19)",
        (
            _recipient(),
            Field("on", "Notified &on", Kind.DATE, default=_today),
            Field("channel", "C&hannel", help="e.g. e-mail to privacy@…"),
        ),
        _notice(NoticeState.NOTIFIED),
        _notify,
        _when(_open_record, _has_recipients),
    ),
    NoticeState.CONFIRMED: Action(
        "recipient-confirmed",
        "Confir&med…",
        "record that a recipient confirmed the change",
        (_recipient(NoticeState.NOTIFIED), Field("on", "Confirmed &on", Kind.DATE, default=_today)),
        _notice(NoticeState.CONFIRMED),
        _notify,
        _when(_open_record, _has_notified),
    ),
    NoticeState.NOT_NOTIFIED: Action(
        "recipient-not-notified",
        "Not notif&ied…",
        "record why a recipient is not told: impossible, or disproportionate effort",
        (
            _recipient(NoticeState.TO_NOTIFY, NoticeState.NOT_NOTIFIED),
            Field("reason", "&Reason", Kind.LONG, help="why notifying is impossible or disproportionate"),
        ),
        _notice(NoticeState.NOT_NOTIFIED),
        _notify,
        _when(_open_record, _has_recipients),
    ),
}


def _build_told(values: Values, form: Form) -> date:
    told_on: date = values["on"]
    if not _state(form).case.received_date <= told_on <= form.today:
        raise InputError("on: between the receipt and today")
    return told_on


def _told(desk: Desk, state: CaseState, on: date) -> str:
    desk.outcomes.told_subject(state.case.id, on, actor=desk.actor, now=desk.now())
    return "the subject was told who the recipients are"


RECIPIENTS_TOLD = Action(
    "recipients-told",
    "&Told the subject…",
    "record that the subject was told who the recipients are",
    (Field("on", "&On", Kind.DATE, default=_today),),
    _build_told,
    _told,
    _when(_open_record, _has_recipients, _not_yet_told),
)


# --- status and notes ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StatusMove:
    target: Status
    reason: str


def _build_move(values: Values, form: Form) -> StatusMove:
    state = _state(form)
    move = StatusMove(Status(values["to"]), values["reason"])
    lifecycle.check_move(state.case.status, move.target, move.reason, open_notices=state.open_notices)
    missing = lifecycle.fact_missing(move.target, state.facts)
    if missing:  # refused and waiting follow a refusal, a pause or a fee; the status alone cannot say so
        raise RefusedError(f"to: {move.target.label.lower()}: {missing}")
    return move


def _move(desk: Desk, state: CaseState, move: StatusMove) -> str:
    desk.cases.change_status(state.case.id, move.target, actor=desk.actor, reason=move.reason, now=desk.now())
    return f"status: {move.target.label.lower()}"


STATUS = Action(
    "status",
    "Change &status…",
    "move the case to another status",
    (
        Field(
            "to",
            "&Move to",
            Kind.CHOICE,
            options=_next_statuses,
            shape="|".join(status.value for status in Status) + ", one the lifecycle allows from the status now",
        ),
        Field("reason", "&Reason", Kind.LONG, required=False, help="why; kept in the case history"),
    ),
    _build_move,
    _move,
    _always,
)


def _build_note(values: Values, form: Form) -> str:
    return str(values["note"])


def _add_note(desk: Desk, state: CaseState, text: str) -> str:
    desk.cases.add_note(state.case.id, text, author=desk.actor, now=desk.now())
    return "note added"


NOTE = Action(
    "note",
    "Add &note…",
    "add a note to the case",
    (Field("note", "&Note", Kind.LONG),),
    _build_note,
    _add_note,
    _always,
)


# --- the command line's view -----------------------------------------------------------------

OUTCOME = Family("outcome", "record what was done for one right", "right", OUTCOMES, nested="details")
NOTIFY = Family("notify-recipient", "record an Art. 19 notice to one or more recipients alike", "state", NOTICES)
COMMAND_LINE: dict[str, Action[Any] | Family] = {
    entry.name: entry
    for entry in (
        IDENTITY_CHECK, COPIES_DELETED, IDENTITY_WAIVE, IDENTITY_FAIL, IDENTITY_DOUBT, IDENTITY_ANSWER, PAUSE,
        RESUME, EXTEND, FEE, FEE_ANSWER, REFUSE, OUTCOME, SOURCES, NOTIFY, RECIPIENTS_TOLD, STATUS, NOTE,
    )
}  # fmt: skip
