"""Fee decisions on their own (Art. 12(5), 15(3)): the cost calculation, what a decision needs, the answers."""

from datetime import date
from decimal import Decimal

import pytest

from dpo_desk.core.errors import InputError, RefusedError
from dpo_desk.core.fees import FeeBasis, FeeDecision, FeeState, cost_item, repeat_warning, settle, validate_fee

RECEIVED = date(2026, 6, 1)


def decision(**changes: object) -> FeeDecision:
    fields: dict[str, object] = {
        "basis": FeeBasis.FURTHER_COPY,
        "facts": "A second paper copy of the same data",
        "earlier_cases": (),
        "items": (cost_item("staff time, hours", "2.5", "400"), cost_item("postage", 1, "45.50")),
        "currency": "NOK",
        "announced_on": date(2026, 6, 3),
    } | changes
    return FeeDecision(**fields)  # type: ignore[arg-type]


def test_the_total_is_the_sum_of_items_rounded_to_the_cent() -> None:
    fee = decision(items=(cost_item("pages", 3, "0.333"), cost_item("postage", 1, "45.50")))
    assert [item.amount for item in fee.items] == [Decimal("1.00"), Decimal("45.50")]
    assert fee.total == Decimal("46.50")
    assert decision(items=()).total == Decimal("0.00")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (("", 1, 1), "needs a description"),
        (("postage", "one", 1), "needs numbers"),
        (("postage", 0, 1), "positive quantity"),
        (("postage", "NaN", 1), "needs numbers"),
        (("postage", 1, "Infinity"), "needs numbers"),
        (("postage", 1, -1), "unit cost of 0 or more"),
    ],
)
def test_a_cost_item_refuses_what_cannot_be_charged(arguments: tuple[object, ...], message: str) -> None:
    with pytest.raises(InputError, match=message):
        cost_item(*arguments)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"facts": " "}, "facts: state the facts"),
        ({"items": ()}, "items: give the cost calculation"),
        ({"currency": "kroner"}, "not an ISO 4217 code"),
        ({"basis": FeeBasis.EXCESSIVE}, "earlier_cases: a repetitive request is shown"),
        ({"announced_on": date(2026, 5, 31)}, "announced after receipt"),
        ({"announced_on": date(2026, 7, 1)}, "not in the future"),
    ],
)
def test_the_controller_must_show_its_case_for_a_fee(changes: dict[str, object], message: str) -> None:
    with pytest.raises(InputError, match=message):
        validate_fee(decision(**changes), received=RECEIVED, today=date(2026, 6, 20))


def test_a_repetitive_request_is_shown_by_the_cases_it_repeats() -> None:
    fee = decision(basis=FeeBasis.EXCESSIVE, earlier_cases=("DSR-2026-0001",))
    assert validate_fee(fee, received=RECEIVED, today=date(2026, 6, 20)) is fee


def test_the_answers_a_fee_can_get() -> None:
    accepted = settle(decision(), FeeState.ACCEPTED, date(2026, 6, 5))
    assert accepted.state is FeeState.ACCEPTED and accepted.settled_on is None  # accepted is not yet settled
    paid = settle(accepted, FeeState.PAID, date(2026, 6, 9))
    assert (paid.state, paid.settled_on) == (FeeState.PAID, date(2026, 6, 9))
    with pytest.raises(RefusedError, match="a fee that is paid cannot become waived"):
        settle(paid, FeeState.WAIVED, date(2026, 6, 10))
    with pytest.raises(InputError, match="cannot predate the announcement"):
        settle(decision(), FeeState.WITHDRAWN, date(2026, 6, 2))


def test_repeats_are_requests_of_the_twelve_months_before() -> None:
    earlier = [("DSR-2025-0001", date(2025, 5, 31)), ("DSR-2025-0009", date(2025, 6, 1)), ("DSR-2026-0002", RECEIVED)]
    warning = repeat_warning(earlier, RECEIVED)
    assert warning == (
        "the subject made a request within the last 12 months: DSR-2025-0009 (2025-06-01), DSR-2026-0002 (2026-06-01)"
    )
    assert repeat_warning([("DSR-2025-0001", date(2025, 5, 31))], RECEIVED) == ""
