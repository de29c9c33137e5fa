"""What a letter's template may name: the facts of one case's record, in the words a letter prints them.

Built only from what the store holds (the case state, the register's sources, the processor sheets, the
complaint authority); nothing here is made up for a kind. Dates read '24 Nov 2026' or 'Tue 24 Nov 2026'.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from babel import Locale

from dpo_desk.core.case_state import CaseState
from dpo_desk.core.countries import EEA
from dpo_desk.core.dates import day_month_year, long_date
from dpo_desk.core.deadlines import PauseKind, Rules
from dpo_desk.core.fees import FeeDecision
from dpo_desk.core.identity import IdentityStatus
from dpo_desk.core.models import Right
from dpo_desk.core.processors import ProcessorSheet
from dpo_desk.core.recipients import NoticeState, RecipientNotice
from dpo_desk.letters.authorities import EDPB_MEMBERS, ComplaintAuthority
from dpo_desk.letters.availability import DONE_KINDS, involved_sheets, notifiable_done
from dpo_desk.letters.kinds import LetterKind

LETTER_FONT = "DejaVu Sans"  # shipped with the app (dpo_desk/resources/fonts)
MECHANISMS = {
    "adequacy": "an adequacy decision of the European Commission (Article 45 GDPR)",
    "dpf": "the EU-US Data Privacy Framework, an adequacy decision (Article 45 GDPR)",
    "sccs": "the European Commission's standard contractual clauses (Article 46(2)(c) GDPR)",
}
_IDENTIFIER_VALUES = {"email": "emails", "phone": "phones"}
_IDENTIFIER_LABELS = {"email": "e-mail address", "phone": "phone number"}


@dataclass(frozen=True, slots=True)
class SourceText:
    """A register source as the access response prints it."""

    key: str
    name: str
    purposes: tuple[str, ...]
    legal_bases: tuple[str, ...]
    data_categories: tuple[str, ...]
    retention: str
    description: str


def country_name(code: str) -> str:
    return _english_territories().get(code, code) if code else ""


@functools.cache
def _english_territories() -> Mapping[str, str]:
    return Locale.parse("en").territories


def letter_context(
    kind: LetterKind,
    state: CaseState,
    *,
    dated: date,
    sheets: Mapping[str, ProcessorSheet],
    sources: Sequence[SourceText],
    authority: ComplaintAuthority,
    fee_payment: str,
    recipient: RecipientNotice | None = None,
) -> dict[str, Any]:
    case = state.case
    entity = case.entity
    subject = {
        "name": case.subject.name,
        "lines": _lines(case.subject.address) or list(case.subject.emails),
        "emails": list(case.subject.emails),
    }
    addressee = subject
    recipient_part = None
    if recipient is not None:
        sheet = sheets[recipient.processor_key]
        addressee = {
            "name": f"{sheet.legal_entity or sheet.service}, privacy team",
            "lines": _lines(sheet.postal_address) or [sheet.privacy_email],
        }
        recipient_part = {"service": sheet.service, "identifiers": _identifiers(sheet, state)}
    chosen = set(state.sources)
    return {
        "font": LETTER_FONT,
        "enclosed": None,  # what the letter carries, set only by the store that encloses it (an access copy)
        "today": day_month_year(dated),
        "addressee": addressee,
        "recipient": recipient_part,
        "entity": {
            "name": entity.name,
            "address_lines": entity.address.lines(),
            "org_number": entity.org_number,
            "phone": entity.phone,
            "dpo_name": entity.dpo_name,
            "dpo_email": entity.dpo_email,
        },
        "subject": subject,
        "case": {
            "reference": case.reference,
            "received": long_date(case.received_date),
            "due": long_date(case.deadlines.due),
            "due_unextended": long_date(case.deadlines.extension_notice_due),
            "extended": case.extension is not None,
            "rights": [right.label.lower() for right in case.rights],
            "identity_pending": state.identity is IdentityStatus.PENDING,
            "ico_rules": state.rules is Rules.ICO,  # awaited ID or fee restarts the clock (legal-rules 1.7)
        },
        "authority": _authority(authority),
        "entity_in_eea": entity.country in EEA,
        "entity_country": country_name(entity.country),
        "policy": {"required": state.policy.required, "trusted": [e.label.lower() for e in state.policy.trusted]},
        "pause": _pause(state, kind),
        "extension": {
            "reasons": case.extension.reasons,
            "original_due": long_date(case.deadlines.extension_notice_due),
            "new_due": long_date(case.deadlines.due),
        }
        if case.extension
        else None,
        "fee": _fee(state.fee, state.rules, fee_payment, long_date(case.deadlines.due)) if state.fee else None,
        "refusal": {
            "partial": state.refusal.partial,
            "grounds": [g.label for g in state.refusal.grounds]
            + ([state.refusal.other_ground] if state.refusal.other_ground else []),
            "reasons": state.refusal.reasons,
        }
        if state.refusal
        else None,
        "outcome": _readable(state.recorded_outcomes.get(DONE_KINDS[kind], {})) if kind in DONE_KINDS else {},
        "done": {right.value: _readable(state.recorded_outcomes[right.value]) for right in notifiable_done(state)},
        "answered": [r.label.lower() for r in case.rights if r.value in state.recorded_outcomes],
        "unanswered": [r.label.lower() for r in case.rights if r.value not in state.recorded_outcomes],
        "access": _readable(state.recorded_outcomes.get(Right.ACCESS.value, {})),
        "sources": [
            {
                "name": s.name,
                "purposes": list(s.purposes),
                "legal_bases": list(s.legal_bases),
                "data_categories": list(s.data_categories),
                "recipients": [_with_country(sheet) for sheet in _sheets_of(s.key, sheets)],
                "retention": s.retention,
                "description": s.description,
            }
            for s in sources
            if s.key in chosen
        ],
        "transfers": [
            {
                "service": sheet.service,
                "country": country_name(sheet.country),
                "mechanism": MECHANISMS.get(sheet.transfer_mechanism, ""),
            }
            for sheet in involved_sheets(state, sheets)
            if sheet.country not in EEA
        ],
        "notices": _notices(state.notices),
        "recipients": [
            {"service": n.service, "legal_entity": sheets[n.processor_key].legal_entity, "informed": _informed(n)}
            for n in state.notices
        ],
    }


def _authority(choice: ComplaintAuthority) -> dict[str, Any]:
    found = choice.authority
    return {
        "known": found is not None,
        "name": found.name if found else "",
        "address": list(found.address) if found else [],
        "website": found.website if found else "",
        "basis": choice.basis,
        "representative_country": choice.representative_country,
        "edpb_members": EDPB_MEMBERS,
    }


def _pause(state: CaseState, kind: LetterKind) -> dict[str, str] | None:
    pause_kind = {
        LetterKind.IDENTITY_REQUEST: PauseKind.IDENTITY,
        LetterKind.CLARIFICATION_REQUEST: PauseKind.CLARIFICATION,
    }.get(kind)
    found = next((p for p in state.case.open_pauses if p.kind is pause_kind), None)
    return {"reason": found.reason, "asked_on": long_date(found.start)} if found else None


def _fee(fee: FeeDecision, rules: Rules, payment: str, due: str) -> dict[str, Any]:
    return {
        "basis": fee.basis.label,
        "facts": fee.facts,
        "earlier_cases": list(fee.earlier_cases),
        "items": [
            {
                "description": i.description,
                "quantity": str(i.quantity),
                "unit_cost": str(i.unit_cost),
                "amount": str(i.amount),
            }
            for i in fee.items
        ],
        "total": str(fee.total),
        "currency": fee.currency,
        "answer_by": long_date(fee.answer_by) if fee.answer_by else "",
        "payment": payment.strip(),
        "restarts_clock": rules is Rules.ICO,
        "due": due,
    }


def _notices(notices: Sequence[RecipientNotice]) -> dict[str, list[dict[str, str]]]:
    """Who was told of the changes (Art. 19), who is still to be told, and who is not told, and why."""
    return {
        "told": [
            {"service": n.service, "on": day_month_year(n.notified_on)}
            for n in notices
            if n.state in (NoticeState.NOTIFIED, NoticeState.CONFIRMED) and n.notified_on
        ],
        "to_tell": [{"service": n.service} for n in notices if n.state is NoticeState.TO_NOTIFY],
        "not_told": [
            {"service": n.service, "reason": n.reason} for n in notices if n.state is NoticeState.NOT_NOTIFIED
        ],
    }


def _identifiers(sheet: ProcessorSheet, state: CaseState) -> list[dict[str, str]]:
    """The subject as this recipient keys a person, from what the case records; the e-mail otherwise."""
    subject = state.case.subject
    wanted = [name for name in sheet.identifiers if name in _IDENTIFIER_VALUES] or ["email"]
    found = []
    for name in wanted:
        values = getattr(subject, _IDENTIFIER_VALUES[name])
        if values:
            found.append({"label": _IDENTIFIER_LABELS[name], "value": ", ".join(values)})
    return found


def _sheets_of(source_key: str, sheets: Mapping[str, ProcessorSheet]) -> list[ProcessorSheet]:
    return sorted((s for s in sheets.values() if source_key in s.sources), key=lambda s: s.service.casefold())


def _with_country(sheet: ProcessorSheet) -> str:
    return f"{sheet.service} ({country_name(sheet.country)})" if sheet.country else sheet.service


def _informed(notice: RecipientNotice) -> str:
    if notice.state is NoticeState.NOT_NOTIFIED:
        return f"not informed: {notice.reason}"
    if notice.notified_on:
        return f"informed on {day_month_year(notice.notified_on)}"
    return "not yet informed"


def _readable(details: Mapping[str, Any]) -> dict[str, Any]:
    """Outcome dates as a letter writes them: '24 Nov 2026', not '2026-11-24'. An optional field the record
    left out reads as empty (older records lack fields added since)."""
    readable: dict[str, Any] = defaultdict(str)
    for key, value in details.items():
        if isinstance(value, str) and key.endswith("_on") and value:
            value = day_month_year(date.fromisoformat(value))
        readable[key] = value
    return readable


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]
