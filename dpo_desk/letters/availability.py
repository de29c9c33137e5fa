"""Which letters a case's record allows, and why not: a letter claims only what the record holds, so a
kind whose facts are missing is unavailable, with the reason in words (a tooltip, a command's one line).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date

from dpo_desk.core.case_state import CaseState
from dpo_desk.core.countries import EEA
from dpo_desk.core.deadlines import PauseKind
from dpo_desk.core.fees import FeeState
from dpo_desk.core.identity import IdentityStatus
from dpo_desk.core.models import Right, Status
from dpo_desk.core.outcomes import CHILD
from dpo_desk.core.processors import ProcessorSheet
from dpo_desk.core.recipients import NOTIFIABLE, NoticeState, RecipientNotice
from dpo_desk.letters.kinds import LetterKind

DONE_KINDS: dict[LetterKind, str] = {  # each letter that confirms an outcome, and the outcome's kind
    LetterKind.RECTIFICATION_DONE: Right.RECTIFICATION.value,
    LetterKind.ERASURE_DONE: Right.ERASURE.value,
    LetterKind.RESTRICTION_DONE: Right.RESTRICTION.value,
    LetterKind.RESTRICTION_LIFTING: Right.RESTRICTION.value,
    LetterKind.OBJECTION_DONE: Right.OBJECTION.value,
    LetterKind.CONSENT_WITHDRAWAL_DONE: Right.CONSENT_WITHDRAWAL.value,
    LetterKind.CHILD_DELETION_DONE: CHILD,
}
_Rule = Callable[[CaseState, Mapping[str, ProcessorSheet], str], str]
_ANSWERED = (Status.CLOSED, Status.REFUSED, Status.WITHDRAWN, Status.RESPONDED)


def why_not(kind: LetterKind, state: CaseState, sheets: Mapping[str, ProcessorSheet], *, fee_payment: str = "") -> str:
    """'' when the record holds every fact the letter states, else the first fact missing."""
    problems = state.case.entity.letterhead_problems()
    if problems:
        return problems[0]
    reason = _KIND_RULES[kind](state, sheets, fee_payment)
    if reason:
        return reason
    if kind.discloses_data:
        return state.disclosure_refused() or ""
    return ""


_RESPONSES = (
    LetterKind.ACCESS_RESPONSE,
    LetterKind.PORTABILITY_COVER,
    *DONE_KINDS,
    LetterKind.REFUSAL,
    LetterKind.RECIPIENT_NOTICE,
    LetterKind.RECIPIENTS_LIST,
)
_ANSWERS = {  # the letter that answers each right
    Right.ACCESS: LetterKind.ACCESS_RESPONSE,
    Right.PORTABILITY: LetterKind.PORTABILITY_COVER,
    Right.RECTIFICATION: LetterKind.RECTIFICATION_DONE,
    Right.ERASURE: LetterKind.ERASURE_DONE,
    Right.RESTRICTION: LetterKind.RESTRICTION_DONE,
    Right.OBJECTION: LetterKind.OBJECTION_DONE,
    Right.CONSENT_WITHDRAWAL: LetterKind.CONSENT_WITHDRAWAL_DONE,
}


def suggested_kind(state: CaseState, reasons: Mapping[LetterKind, str], written: set[LetterKind]) -> LetterKind:
    """The letter the case calls for. Once its response is ready: the first answer it owes and has not had
    (a refusal, then one per right), even one the record does not allow yet, so that the tab says what is
    missing. Else the first letter the record allows and the case has none of, in the course of a case
    (acknowledgement, requests, notices); else the first allowed; else the first of all, with its reason."""
    order = list(LetterKind)
    if state.case.status in (Status.RESPONSE_READY, Status.RESPONDED):
        owed = [LetterKind.REFUSAL] if state.refusal is not None else []
        owed += [_ANSWERS[right] for right in state.case.rights if right in _ANSWERS]
        unanswered = next((kind for kind in owed if kind not in written), None)
        if unanswered is not None:
            return unanswered
        order = [*_RESPONSES, *(kind for kind in order if kind not in _RESPONSES)]
    allowed = [kind for kind in order if not reasons.get(kind)]
    return next((kind for kind in allowed if kind not in written), allowed[0] if allowed else order[0])


def recipient_why_not(state: CaseState, notice: RecipientNotice, sheet: ProcessorSheet) -> str:
    """Why the Art. 19 notice to this recipient cannot be written, or ''."""
    if notice.state is NoticeState.NOT_NOTIFIED:
        return f"{notice.service} is recorded as not to be notified: {notice.reason}"
    if not notifiable_done(state):
        return "record the rectification, erasure or restriction carried out first"
    if not (sheet.postal_address.strip() or sheet.privacy_email.strip()):
        missing = f"{notice.service}: the processor sheet has no Postal address and no Privacy / DPO e-mail"
        if sheet.web_form_url:  # a letter cannot be posted to a form; the DPO writes in it and records that
            return f"{missing}; tell them through their web form ({sheet.web_form_url}) and record it as notified"
        return missing
    return ""


def notifiable_done(state: CaseState) -> list[Right]:
    """The Art. 19 changes carried out: the rectification, erasure and restriction outcomes recorded."""
    return [right for right in NOTIFIABLE if right.value in state.recorded_outcomes]


def involved_sheets(state: CaseState, sheets: Mapping[str, ProcessorSheet]) -> list[ProcessorSheet]:
    """The recipients of the sources the subject's data came from (Art. 15(1)(c), 15(2))."""
    chosen = set(state.sources)
    if not chosen:  # none is involved, and the sheets (read when first asked for) stay unread
        return []
    return sorted(
        (sheet for sheet in sheets.values() if chosen & set(sheet.sources)), key=lambda s: s.service.casefold()
    )


def promised_date(kind: LetterKind, state: CaseState) -> tuple[date, str] | None:
    """The date a letter promises or must precede, and what it is, where it has one."""
    case = state.case
    if kind is LetterKind.ACKNOWLEDGEMENT:
        return case.deadlines.extension_notice_due, "promises a reply by"
    if kind is LetterKind.EXTENSION_NOTICE:
        return case.deadlines.extension_notice_due, "must reach the subject within the first month, by"
    if kind is LetterKind.FEE_NOTICE and state.fee is not None and state.fee.answer_by is not None:
        return state.fee.answer_by, "asks for an answer by"
    if kind is LetterKind.RESTRICTION_LIFTING:
        lifted = state.recorded_outcomes.get(Right.RESTRICTION.value, {}).get("lifted_on")
        if lifted:
            return date.fromisoformat(lifted), "tells the subject before the restriction is lifted on"
    return None


def _open_pause(state: CaseState, kind: PauseKind) -> str:
    return next((p.reason for p in state.case.open_pauses if p.kind is kind), "")


def _acknowledgement(state: CaseState, _sheets: Mapping[str, ProcessorSheet], _payment: str) -> str:
    if state.case.status in _ANSWERED:
        return f"the case is {state.case.status.label.lower()}: an acknowledgement is for a request still open"
    return ""


def _identity_request(state: CaseState, _sheets: Mapping[str, ProcessorSheet], _payment: str) -> str:
    if state.identity is not IdentityStatus.PENDING:
        return "identity is already settled"
    if not _open_pause(state, PauseKind.IDENTITY):
        return "record the concrete doubt and the day more information was asked for (Identity: Doubt) first"
    return ""


def _clarification(state: CaseState, _sheets: Mapping[str, ProcessorSheet], _payment: str) -> str:
    if not _open_pause(state, PauseKind.CLARIFICATION):
        return "record what was asked and when (Deadline: Pause clock, waiting for clarification) first"
    return ""


def _extension(state: CaseState, _sheets: Mapping[str, ProcessorSheet], _payment: str) -> str:
    if state.case.status in _ANSWERED:
        return f"the case is {state.case.status.label.lower()}: an extension notice is for a request still open"
    return "" if state.case.extension is not None else "record the extension (Deadline tab) first"


def _fee(state: CaseState, _sheets: Mapping[str, ProcessorSheet], payment: str) -> str:
    if state.fee is None:
        return "record the fee decision first"
    if state.fee.state is not FeeState.ANNOUNCED:
        return f"the fee is already {state.fee.state.value}"
    if state.fee.answer_by is None:
        return "the fee decision was recorded without an answer-by date, so no fee notice can state one"
    if not payment.strip():
        return "say how a fee is paid (Settings: Letters, How a fee is paid) first"
    return ""


def _refusal(state: CaseState, _sheets: Mapping[str, ProcessorSheet], _payment: str) -> str:
    return "" if state.refusal is not None else "record the refusal first"


def _access(state: CaseState, sheets: Mapping[str, ProcessorSheet], _payment: str) -> str:
    if Right.ACCESS not in state.case.rights:
        return "the case does not invoke access"
    if not state.sources:
        return "say which sources the subject's data came from (Recipients: Sources of the data) first"
    for sheet in involved_sheets(state, sheets):
        if not sheet.country:
            return f"{sheet.service}: the processor sheet gives no Country (Art. 15(1)(c), 15(2))"
        if sheet.country not in EEA and sheet.transfer_mechanism in ("", "none"):
            return f"{sheet.service}: the processor sheet gives no Transfer mechanism for {sheet.country} (Art. 15(2))"
    return ""


def _portability(state: CaseState, _sheets: Mapping[str, ProcessorSheet], _payment: str) -> str:
    if Right.PORTABILITY not in state.case.rights:
        return "the case does not invoke portability"
    refused = state.disclosure_refused()
    if refused:
        return refused
    outcome = state.recorded_outcomes.get(Right.PORTABILITY.value)
    if outcome is None:
        return "record the portability outcome (Art. 20 conditions) first"
    if not outcome.get("conditions_met"):
        return "the Art. 20 conditions are recorded as not met: write a refusal instead"
    return ""  # the bundle itself: the letter store checks that there is portable data to make it of


def _done(kind: LetterKind) -> _Rule:
    outcome_kind = DONE_KINDS[kind]

    def rule(state: CaseState, _sheets: Mapping[str, ProcessorSheet], _payment: str) -> str:
        outcome = state.recorded_outcomes.get(outcome_kind)
        if outcome is None:
            return f"record the {outcome_kind} outcome first"
        if kind is LetterKind.RESTRICTION_LIFTING and not outcome.get("lifting_notice_on"):
            return "record the Art. 18(3) notice date in the restriction outcome first"
        return ""

    return rule


def _recipient_notice(state: CaseState, sheets: Mapping[str, ProcessorSheet], _payment: str) -> str:
    if not state.notices:
        return "the case has no Art. 19 recipients"
    if not notifiable_done(state):
        return "record the rectification, erasure or restriction carried out first"
    reasons = [recipient_why_not(state, n, sheets[n.processor_key]) for n in state.notices]
    if all(reasons):
        return reasons[0]
    return ""


def _recipients_list(state: CaseState, _sheets: Mapping[str, ProcessorSheet], _payment: str) -> str:
    return "" if state.notices else "the case has no Art. 19 recipients"


_KIND_RULES = {
    LetterKind.ACKNOWLEDGEMENT: _acknowledgement,
    LetterKind.IDENTITY_REQUEST: _identity_request,
    LetterKind.CLARIFICATION_REQUEST: _clarification,
    LetterKind.EXTENSION_NOTICE: _extension,
    LetterKind.FEE_NOTICE: _fee,
    LetterKind.REFUSAL: _refusal,
    LetterKind.ACCESS_RESPONSE: _access,
    LetterKind.PORTABILITY_COVER: _portability,
    LetterKind.RECIPIENT_NOTICE: _recipient_notice,
    LetterKind.RECIPIENTS_LIST: _recipients_list,
    **{kind: _done(kind) for kind in DONE_KINDS},
}
