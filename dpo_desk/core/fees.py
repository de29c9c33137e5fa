"""Fee decisions (Art. 12(5), Art. 15(3)): the basis, the facts, the cost calculation, the subject's answer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from dpo_desk.core.errors import InputError, RefusedError
from dpo_desk.core.worded import Worded

REPEAT_WINDOW_DAYS = 365  # EDPB 01/2022 para 185: a one-year interval is never "excessive"


class FeeBasis(StrEnum):
    MANIFESTLY_UNFOUNDED = "manifestly-unfounded"  # Art. 12(5)
    EXCESSIVE = "excessive-or-repetitive"  # Art. 12(5)
    FURTHER_COPY = "further-copy"  # Art. 15(3)

    @property
    def label(self) -> str:
        return {
            FeeBasis.MANIFESTLY_UNFOUNDED: "Art. 12(5): manifestly unfounded",
            FeeBasis.EXCESSIVE: "Art. 12(5): excessive or repetitive",
            FeeBasis.FURTHER_COPY: "Art. 15(3): further copy",
        }[self]


class FeeState(Worded):
    ANNOUNCED = "announced"  # the subject was told before any charge, and may withdraw
    ACCEPTED = "accepted"  # the subject answered: they will pay
    PAID = "paid"
    WAIVED = "waived"
    WITHDRAWN = "withdrawn"  # the subject withdrew the request rather than pay


@dataclass(frozen=True, slots=True)
class CostItem:
    description: str
    quantity: Decimal
    unit_cost: Decimal

    @property
    def amount(self) -> Decimal:
        return (self.quantity * self.unit_cost).quantize(Decimal("0.01"))


@dataclass(frozen=True, slots=True)
class FeeDecision:
    basis: FeeBasis
    facts: str
    earlier_cases: tuple[str, ...]  # references of the subject's earlier cases the facts rely on
    items: tuple[CostItem, ...]
    currency: str
    announced_on: date
    state: FeeState = FeeState.ANNOUNCED
    settled_on: date | None = None  # when paid, waived or withdrawn
    answer_by: date | None = None  # the fee notice asks the subject to answer by this day (None: recorded before)

    @property
    def total(self) -> Decimal:
        return sum((item.amount for item in self.items), Decimal("0.00"))


def cost_item(description: str, quantity: object, unit_cost: object) -> CostItem:
    if not description.strip():
        raise InputError("items: every cost item needs a description (e.g. 'staff time, hours')")
    try:
        parsed = CostItem(description.strip(), Decimal(str(quantity)), Decimal(str(unit_cost)))
    except InvalidOperation:
        raise InputError(f"items: {description!r} needs numbers for quantity and unit cost") from None
    if not (parsed.quantity.is_finite() and parsed.unit_cost.is_finite()):
        raise InputError(f"items: {description!r} needs numbers for quantity and unit cost")
    if parsed.quantity <= 0 or parsed.unit_cost < 0:
        raise InputError(f"items: {description!r} needs a positive quantity and a unit cost of 0 or more")
    return parsed


def validate_fee(decision: FeeDecision, *, received: date, today: date) -> FeeDecision:
    """The burden of proof is the controller's (Art. 12(5)): facts and a cost calculation are required."""
    if not decision.facts.strip():
        raise InputError("facts: state the facts that make the request unfounded, excessive or a further copy")
    if not decision.items:
        raise InputError("items: give the cost calculation (description, quantity, unit cost)")
    if len(decision.currency.strip()) != 3 or not decision.currency.isalpha():
        raise InputError(f"currency: {decision.currency!r} is not an ISO 4217 code such as EUR or NOK")
    if decision.basis is FeeBasis.EXCESSIVE and not decision.earlier_cases:
        raise InputError("earlier_cases: a repetitive request is shown by the earlier cases it repeats")
    if not received <= decision.announced_on <= today:
        raise InputError("announced_on: the fee is announced after receipt and not in the future")
    if decision.answer_by is not None and decision.answer_by <= decision.announced_on:
        raise InputError("answer_by: give the subject time to answer: a day after the announcement or later")
    return decision


def settle(decision: FeeDecision, state: FeeState, on: date) -> FeeDecision:
    """Record the subject's answer or the end of the fee: accepted, then paid; or waived or withdrawn."""
    allowed = {
        FeeState.ANNOUNCED: (FeeState.ACCEPTED, FeeState.PAID, FeeState.WAIVED, FeeState.WITHDRAWN),
        FeeState.ACCEPTED: (FeeState.PAID, FeeState.WAIVED, FeeState.WITHDRAWN),
    }
    if state not in allowed.get(decision.state, ()):
        raise RefusedError(f"a fee that is {decision.state.value} cannot become {state.value}")
    if on < decision.announced_on:
        raise InputError("date: the answer cannot predate the announcement of the fee")
    return FeeDecision(
        decision.basis,
        decision.facts,
        decision.earlier_cases,
        decision.items,
        decision.currency,
        decision.announced_on,
        state,
        on if state is not FeeState.ACCEPTED else None,
        decision.answer_by,
    )


def repeat_warning(earlier: Sequence[tuple[str, date]], received: date) -> str:
    """Names the subject's requests of the last 12 months, which matter for a fee or refusal."""
    recent = [(ref, day) for ref, day in earlier if 0 <= (received - day).days <= REPEAT_WINDOW_DAYS]
    if not recent:
        return ""
    listed = ", ".join(f"{ref} ({day.isoformat()})" for ref, day in recent)
    return f"the subject made a request within the last 12 months: {listed}"
