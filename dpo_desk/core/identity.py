"""The identity policy ("two trusted IDs") and what a case's identity checks add up to.

The rule is N independent items out of a list of trusted evidence types. Two items
of the same type, or that came through the same channel (the method of the check),
are not independent: a stolen mailbox yields both a code and a scanned passport.
Nothing here keeps a document number or a scan; a reference is at most 4 characters.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from dpo_desk.core.errors import InputError, RefusedError
from dpo_desk.core.worded import Worded, in_sentence

MAX_REFERENCE = 4
# A run of five or more digits in free text looks like a document number: refused, never stored.
_DOCUMENT_NUMBER = re.compile(r"\d[\d\s-]{4,}\d|\d{5,}")


class Evidence(StrEnum):
    PASSPORT = "passport"
    NATIONAL_ID = "national-id"
    DRIVING_LICENCE = "driving-licence"
    RESIDENCE_PERMIT = "residence-permit"
    CODE_TO_KNOWN_ADDRESS = "code-to-known-address"
    ACCOUNT_LOGIN = "account-login"
    SIGNED_LETTER = "signed-letter"

    @property
    def label(self) -> str:
        return {
            Evidence.PASSPORT: "Passport",
            Evidence.NATIONAL_ID: "National ID card",
            Evidence.DRIVING_LICENCE: "Driving licence",
            Evidence.RESIDENCE_PERMIT: "Residence permit",
            Evidence.CODE_TO_KNOWN_ADDRESS: "Code sent to an address on file",
            Evidence.ACCOUNT_LOGIN: "Login to an existing customer account",
            Evidence.SIGNED_LETTER: "Signed letter from the postal address on file",
        }[self]


class Method(StrEnum):
    """How the evidence reached the DPO: the channel of the check."""

    SIGHTED_IN_PERSON = "sighted-in-person"
    VIDEO_CALL = "video-call"
    COPY_RECEIVED = "copy-received"
    CODE_SENT = "code-sent"
    ACCOUNT_LOGIN = "account-login"

    @property
    def label(self) -> str:
        return self.value.replace("-", " ").capitalize()


class Outcome(Worded):
    PASSED = "passed"
    FAILED = "failed"


class IdentityStatus(Worded):
    PENDING = "pending"
    VERIFIED = "verified"
    NOT_REQUIRED = "not-required"
    FAILED = "failed"  # Art. 11(2) / 12(2): the controller cannot identify the subject


@dataclass(frozen=True, slots=True)
class IdentityPolicy:
    required: int = 2
    trusted: tuple[Evidence, ...] = tuple(Evidence)

    def describe(self) -> str:
        return f"{self.required} independent items, each another kind of ID checked another way, of: " + "; ".join(
            in_sentence(e.label) for e in self.trusted
        )


def check_policy(policy: IdentityPolicy) -> IdentityPolicy:
    if not policy.trusted:
        raise InputError("trusted evidence: choose at least one type")
    if not 1 <= policy.required <= len(policy.trusted):
        raise InputError(f"required items: choose between 1 and {len(policy.trusted)} (the trusted types)")
    return policy


@dataclass(frozen=True, slots=True)
class IdentityCheck:
    evidence: Evidence
    method: Method
    checked_by: str
    checked_at: datetime
    outcome: Outcome
    reference: str = ""  # at most 4 characters, e.g. the last digits, never the number
    copy_deleted_on: date | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class IdentityDecision:
    """A decision that ends the checks: not required (with its reason) or failed (Art. 11(2))."""

    status: IdentityStatus
    reason: str
    decided_by: str
    decided_at: datetime


def validate_check(
    check: IdentityCheck, *, received_at: datetime | None = None, now: datetime | None = None
) -> IdentityCheck:
    """Refuse what must never be stored (a document number), a missing checker, a deletion before receipt,
    and, given the case's receipt and the time now, a check before the request or in the future."""
    if len(check.reference.strip()) > MAX_REFERENCE:
        raise InputError(
            f"reference: keep at most {MAX_REFERENCE} characters (e.g. the last digits), never the document number"
        )
    if _DOCUMENT_NUMBER.search(check.note):
        raise InputError("note: it looks like a document number; record only that the document was checked")
    if not check.checked_by.strip():
        raise InputError("checked_by: say who checked")
    if check.copy_deleted_on is not None:
        if check.method is not Method.COPY_RECEIVED:
            raise InputError("copy_deleted_on: only a check on a received copy has a copy to delete")
        if check.copy_deleted_on < check.checked_at.date():
            raise InputError("copy_deleted_on: the copy cannot be deleted before it was checked")
    if now is not None and check.checked_at > now:
        raise InputError("checked_at: the check cannot be in the future")
    if received_at is not None and check.checked_at < received_at:
        raise InputError("checked_at: the check cannot predate the request")
    return check


def check_decision(status: IdentityStatus, reason: str) -> None:
    """A decision that ends the checks: no check needed, or identity cannot be established (Art. 11(2))."""
    if status not in (IdentityStatus.NOT_REQUIRED, IdentityStatus.FAILED):
        raise InputError("status: a decision is either that no check is needed or that identity cannot be established")
    if not reason.strip():
        raise InputError("reason: say why; the decision must be demonstrable (Art. 5(2))")


def counted_checks(checks: Sequence[IdentityCheck], policy: IdentityPolicy) -> tuple[IdentityCheck, ...]:
    """A largest set of passed, trusted checks with pairwise different types and channels: the ones that
    count towards the policy (the earliest such set, when several are as large)."""
    usable = [c for c in checks if c.outcome is Outcome.PASSED and c.evidence in policy.trusted]

    def best(index: int, types: frozenset[Evidence], methods: frozenset[Method]) -> tuple[IdentityCheck, ...]:
        if index == len(usable):
            return ()
        skip = best(index + 1, types, methods)
        check = usable[index]
        if check.evidence in types or check.method in methods:
            return skip
        take = (check, *best(index + 1, types | {check.evidence}, methods | {check.method}))
        return take if len(take) >= len(skip) else skip

    return best(0, frozenset(), frozenset())


def independent_items(checks: Sequence[IdentityCheck], policy: IdentityPolicy) -> int:
    return len(counted_checks(checks, policy))


def why_not_counted(check: IdentityCheck, counted: Sequence[IdentityCheck], policy: IdentityPolicy) -> str:
    """Why a check recorded does not count towards the policy; empty when it counts."""
    if any(check is other for other in counted):
        return ""
    if check.outcome is not Outcome.PASSED:
        return "it did not pass"
    if check.evidence not in policy.trusted:
        return f"the policy does not trust a {in_sentence(check.evidence.label)}"
    same_kind = next((c for c in counted if c.evidence is check.evidence), None)
    if same_kind is not None:
        return f"another {in_sentence(check.evidence.label)} already counts"
    # A largest set leaves no other reason: this check would otherwise join it.
    same_way = next(c for c in counted if c.method is check.method)
    return f"checked {in_sentence(check.method.label)}, as the {in_sentence(same_way.evidence.label)} was"


def identity_status(
    checks: Sequence[IdentityCheck], decision: IdentityDecision | None, policy: IdentityPolicy
) -> IdentityStatus:
    if decision is not None:
        return decision.status
    return IdentityStatus.VERIFIED if independent_items(checks, policy) >= policy.required else IdentityStatus.PENDING


def progress(checks: Sequence[IdentityCheck], decision: IdentityDecision | None, policy: IdentityPolicy) -> str:
    """'Identity: 1 of 2 trusted IDs recorded', or the decision, for the next-step line."""
    status = identity_status(checks, decision, policy)
    if status is IdentityStatus.NOT_REQUIRED:
        return "Identity: no check needed"
    if status is IdentityStatus.FAILED:
        return "Identity: could not be established (Art. 11(2))"
    count = min(independent_items(checks, policy), policy.required)
    return f"Identity: {count} of {policy.required} trusted IDs recorded"


def copies_to_delete(checks: Sequence[IdentityCheck]) -> list[IdentityCheck]:
    """Received copies not yet recorded as deleted: they must not be kept beyond the check."""
    return [c for c in checks if c.method is Method.COPY_RECEIVED and c.copy_deleted_on is None]


def check_not_waived(decision: IdentityDecision | None) -> None:
    """A check after 'no check needed' would contradict the record: the waiver stands, or is undone first."""
    if decision is not None and decision.status is IdentityStatus.NOT_REQUIRED:
        raise RefusedError(
            f"identity: no check was needed ({decision.reason}); a check now would contradict that record"
        )


def check_copies_deleted(kept: Sequence[IdentityCheck], on: date, *, received: date, today: date) -> None:
    if not kept:
        raise RefusedError("identity: no received copy of an ID document is kept")
    if on > today:
        raise InputError("on: the copies cannot be deleted in the future")
    checked = max(check.checked_at.date() for check in kept)
    if on < max(checked, received):
        raise InputError(f"on: the copies cannot be deleted before they were checked ({checked.isoformat()})")


def check_disclosure(
    checks: Sequence[IdentityCheck], decision: IdentityDecision | None, policy: IdentityPolicy
) -> None:
    """The disclosure gate: nothing that discloses personal data leaves before identity is settled."""
    status = identity_status(checks, decision, policy)
    if status in (IdentityStatus.VERIFIED, IdentityStatus.NOT_REQUIRED):
        return
    if status is IdentityStatus.FAILED:
        raise RefusedError("identity could not be established (Art. 11(2)): no personal data may be disclosed")
    raise RefusedError(
        f"identity not verified: {independent_items(checks, policy)} of {policy.required} independent "
        "trusted IDs recorded; record the checks, or why no check is needed, before disclosing personal data"
    )
