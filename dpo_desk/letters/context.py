"""What a letter's template may name: the facts of one case's record, in the words a letter prints them.

Built only from what the store holds (the case state, the register's sources, the processor sheets, the
complaint authority); nothing here is made up for a kind. Every word that is not the record's own text
comes from the letter language's catalogue, and dates, money and countries are written for its locale.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from dpo_desk.core.case_state import CaseState
from dpo_desk.core.countries import EEA
from dpo_desk.core.deadlines import PauseKind, Rules
from dpo_desk.core.fees import FeeDecision
from dpo_desk.core.identity import IdentityStatus
from dpo_desk.core.models import Entity, Right
from dpo_desk.core.processors import ProcessorSheet
from dpo_desk.core.recipients import NoticeState, RecipientNotice
from dpo_desk.letters.authorities import EDPB_MEMBERS, ComplaintAuthority
from dpo_desk.letters.availability import DONE_KINDS, involved_sheets, notifiable_done
from dpo_desk.letters.kinds import LetterKind
from dpo_desk.letters.language import ENGLISH, LetterLanguage

LETTER_FONT = "DejaVu Sans"  # shipped with the app (dpo_desk/resources/fonts)
_IDENTIFIER_VALUES = {"email": "emails", "phone": "phones"}


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


def letter_context(
    kind: LetterKind,
    state: CaseState,
    *,
    dated: date,
    sheets: Mapping[str, ProcessorSheet],
    sources: Sequence[SourceText],
    authority: ComplaintAuthority,
    fee_payment: str,
    language: LetterLanguage,
    recipient: RecipientNotice | None = None,
) -> dict[str, Any]:
    words = language
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
            "name": words.term("labels", "privacy_team").format(name=sheet.legal_entity or sheet.service),
            "lines": _lines(sheet.postal_address) or [sheet.privacy_email],
        }
        recipient_part = {"service": sheet.service, "identifiers": _identifiers(sheet, state, words)}
    chosen = set(state.sources)
    return {
        "font": LETTER_FONT,
        "words": words.words("labels"),
        "counted": words.counted,  # counted("records", 3): "3 records", in the language's plural forms
        "date_text": words.date_text,  # a date the letter's enclosure gives (enclosed.as_of)
        "enclosed": None,  # what the letter carries, set only by the store that encloses it (an access copy)
        "today": words.date_text(dated),
        "addressee": addressee,
        "recipient": recipient_part,
        "entity": {
            "name": entity.name,
            "address_lines": _entity_address(entity, words),
            "org_number": entity.org_number,
            "phone": entity.phone,
            "dpo_name": entity.dpo_name,
            "dpo_email": entity.dpo_email,
        },
        "subject": subject,
        "case": {
            "reference": case.reference,
            "received": words.weekday_text(case.received_date),
            "due": words.weekday_text(case.deadlines.due),
            "due_unextended": words.weekday_text(case.deadlines.extension_notice_due),
            "extended": case.extension is not None,
            "rights": [words.term("rights", right.value) for right in case.rights],
            "identity_pending": state.identity is IdentityStatus.PENDING,
            "ico_rules": state.rules is Rules.ICO,  # awaited ID or fee restarts the clock (legal-rules 1.7)
        },
        "authority": _authority(authority, words),
        "entity_in_eea": entity.country in EEA,
        "entity_country": words.country_name(entity.country),
        "policy": {
            "required": state.policy.required,
            "trusted": [words.term("evidence", e.value) for e in state.policy.trusted],
        },
        "pause": _pause(state, kind, words),
        "extension": {
            "reasons": case.extension.reasons,
            "original_due": words.weekday_text(case.deadlines.extension_notice_due),
            "new_due": words.weekday_text(case.deadlines.due),
        }
        if case.extension
        else None,
        "fee": _fee(state.fee, state.rules, fee_payment, case.deadlines.due, words) if state.fee else None,
        "refusal": {
            "partial": state.refusal.partial,
            "grounds": [words.term("refusal_grounds", g.value) for g in state.refusal.grounds]
            + ([state.refusal.other_ground] if state.refusal.other_ground else []),
            "reasons": state.refusal.reasons,
        }
        if state.refusal
        else None,
        "outcome": _readable(state.recorded_outcomes.get(DONE_KINDS[kind], {}), words) if kind in DONE_KINDS else {},
        "done": {
            right.value: _readable(state.recorded_outcomes[right.value], words) for right in notifiable_done(state)
        },
        "answered": [words.term("rights", r.value) for r in case.rights if r.value in state.recorded_outcomes],
        "unanswered": [words.term("rights", r.value) for r in case.rights if r.value not in state.recorded_outcomes],
        "access": _readable(state.recorded_outcomes.get(Right.ACCESS.value, {}), words),
        "sources": [
            {
                "name": s.name,
                "purposes": list(s.purposes),
                "legal_bases": list(s.legal_bases),
                "data_categories": list(s.data_categories),
                "recipients": [_with_country(sheet, words) for sheet in _sheets_of(s.key, sheets)],
                "retention": s.retention,
                "description": s.description,
            }
            for s in sources
            if s.key in chosen
        ],
        "transfers": [
            {
                "service": sheet.service,
                "country": words.country_name(sheet.country),
                "mechanism": words.words("mechanisms").get(sheet.transfer_mechanism, ""),
            }
            for sheet in involved_sheets(state, sheets)
            if sheet.country not in EEA
        ],
        "notices": _notices(state.notices, words),
        "recipients": [
            {
                "service": n.service,
                "legal_entity": sheets[n.processor_key].legal_entity,
                "informed": _informed(n, words),
            }
            for n in state.notices
        ],
    }


def _entity_address(entity: Entity, words: LetterLanguage) -> list[str]:
    """The register's address, its country line (its last, where it has one) in a letter's language other
    than English: "Norge" in a Norwegian letter from Oslo."""
    lines = entity.address.lines()
    if entity.address.country and entity.country and words.code != ENGLISH:
        lines[-1] = words.country_name(entity.country)
    return lines


def _authority(choice: ComplaintAuthority, words: LetterLanguage) -> dict[str, Any]:
    found = choice.authority
    return {
        "known": found is not None,
        "name": found.name_in(words.code) if found else "",
        "address": found.address_in(words.code, words.locale.territories) if found else [],
        "website": found.website if found else "",
        "basis": choice.basis,
        "representative_country": words.country_name(choice.representative_country),
        "edpb_members": EDPB_MEMBERS,
    }


def _pause(state: CaseState, kind: LetterKind, words: LetterLanguage) -> dict[str, str] | None:
    pause_kind = {
        LetterKind.IDENTITY_REQUEST: PauseKind.IDENTITY,
        LetterKind.CLARIFICATION_REQUEST: PauseKind.CLARIFICATION,
    }.get(kind)
    found = next((p for p in state.case.open_pauses if p.kind is pause_kind), None)
    return {"reason": found.reason, "asked_on": words.weekday_text(found.start)} if found else None


def _fee(fee: FeeDecision, rules: Rules, payment: str, due: date, words: LetterLanguage) -> dict[str, Any]:
    return {
        "basis": words.term("fee_bases", fee.basis.value),
        "facts": fee.facts,
        "earlier_cases": list(fee.earlier_cases),
        "items": [
            {
                "description": i.description,
                "quantity": words.number_text(i.quantity),
                "unit_cost": words.money_text(i.unit_cost, fee.currency),
                "amount": words.money_text(i.amount, fee.currency),
            }
            for i in fee.items
        ],
        "total": words.money_text(fee.total, fee.currency),
        "answer_by": words.weekday_text(fee.answer_by) if fee.answer_by else "",
        "payment": payment.strip(),
        "restarts_clock": rules is Rules.ICO,
        "due": words.weekday_text(due),
    }


def _notices(notices: Sequence[RecipientNotice], words: LetterLanguage) -> dict[str, list[dict[str, str]]]:
    """Who was told of the changes (Art. 19), who is still to be told, and who is not told, and why."""
    return {
        "told": [
            {"service": n.service, "on": words.date_text(n.notified_on)}
            for n in notices
            if n.state in (NoticeState.NOTIFIED, NoticeState.CONFIRMED) and n.notified_on
        ],
        "to_tell": [{"service": n.service} for n in notices if n.state is NoticeState.TO_NOTIFY],
        "not_told": [
            {"service": n.service, "reason": n.reason} for n in notices if n.state is NoticeState.NOT_NOTIFIED
        ],
    }


def _identifiers(sheet: ProcessorSheet, state: CaseState, words: LetterLanguage) -> list[dict[str, str]]:
    """The subject as this recipient keys a person, from what the case records; the e-mail otherwise."""
    subject = state.case.subject
    wanted = [name for name in sheet.identifiers if name in _IDENTIFIER_VALUES] or ["email"]
    found = []
    for name in wanted:
        values = getattr(subject, _IDENTIFIER_VALUES[name])
        if values:
            found.append({"label": words.term("identifiers", name), "value": ", ".join(values)})
    return found


def _sheets_of(source_key: str, sheets: Mapping[str, ProcessorSheet]) -> list[ProcessorSheet]:
    return sorted((s for s in sheets.values() if source_key in s.sources), key=lambda s: s.service.casefold())


def _with_country(sheet: ProcessorSheet, words: LetterLanguage) -> str:
    return f"{sheet.service} ({words.country_name(sheet.country)})" if sheet.country else sheet.service


def _informed(notice: RecipientNotice, words: LetterLanguage) -> str:
    if notice.state is NoticeState.NOT_NOTIFIED:
        return words.term("informed", "not_informed").format(reason=notice.reason)
    if notice.notified_on:
        return words.term("informed", "informed_on").format(date=words.date_text(notice.notified_on))
    return words.term("informed", "not_yet")


def _readable(details: Mapping[str, Any], words: LetterLanguage) -> dict[str, Any]:
    """Outcome dates as a letter writes them: '24 Nov 2026', not '2026-11-24'. An optional field the record
    left out reads as empty (older records lack fields added since)."""
    readable: dict[str, Any] = defaultdict(str)
    for key, value in details.items():
        if isinstance(value, str) and key.endswith("_on") and value:
            value = words.date_text(date.fromisoformat(value))
        readable[key] = value
    return readable


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]
