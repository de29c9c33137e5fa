"""Refusals (Art. 12(4)): full or partial, on named legal grounds, with reasons."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from dpo_desk.core.dates import long_date
from dpo_desk.core.errors import InputError


class RefusalGround(StrEnum):
    ART_12_5 = "12(5)"  # manifestly unfounded or excessive
    ART_11_2 = "11(2)"  # the subject cannot be identified
    ART_15_4 = "15(4)"  # the rights and freedoms of others
    ART_17_3_A = "17(3)(a)"  # freedom of expression and information
    ART_17_3_B = "17(3)(b)"  # legal obligation, public interest
    ART_17_3_C = "17(3)(c)"  # public health
    ART_17_3_D = "17(3)(d)"  # archiving, research, statistics
    ART_17_3_E = "17(3)(e)"  # legal claims
    ART_20_CONDITIONS = "20"  # the conditions of Art. 20(1) are not met
    ART_21_1 = "21(1)"  # compelling legitimate grounds
    OTHER = "other"

    @property
    def label(self) -> str:
        if self is RefusalGround.OTHER:
            return "Other ground"
        return f"Art. {self.value} GDPR"


@dataclass(frozen=True, slots=True)
class Refusal:
    partial: bool
    grounds: tuple[RefusalGround, ...]
    reasons: str
    decided_on: date
    other_ground: str = ""  # the ground in words when OTHER is chosen


def validate_refusal(refusal: Refusal, *, received: date, today: date) -> Refusal:
    if not received <= refusal.decided_on <= today:
        raise InputError("decided_on: between the receipt and today")
    if not refusal.grounds:
        raise InputError("grounds: choose at least one legal ground")
    if RefusalGround.OTHER in refusal.grounds and not refusal.other_ground.strip():
        raise InputError("other_ground: name the other legal ground (e.g. the national provision)")
    if not refusal.reasons.strip():
        raise InputError("reasons: the subject must be told the specific reasons (Art. 12(4))")
    return refusal


def late_refusal_warning(refusal: Refusal, refusal_due: date) -> str:
    """Art. 12(4): a refusal is due within one month; an extension does not move it (legal-rules 1.7 item 7)."""
    if refusal.decided_on <= refusal_due:
        return ""
    return (
        f"the refusal comes after its deadline ({long_date(refusal_due)}): "
        "Art. 12(4) asks for it within one month of receipt"
    )
