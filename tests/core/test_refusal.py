"""Refusals on their own (Art. 12(4)): grounds, reasons, the date, and the warning when late."""

from datetime import date

import pytest

from dpo_desk.core.errors import InputError
from dpo_desk.core.refusal import Refusal, RefusalGround, late_refusal_warning, validate_refusal

RECEIVED, TODAY = date(2026, 3, 2), date(2026, 3, 20)


def refusal(**changes: object) -> Refusal:
    fields: dict[str, object] = {
        "partial": True,
        "grounds": (RefusalGround.ART_15_4,),
        "reasons": "The file includes a colleague's messages",
        "decided_on": date(2026, 3, 10),
    } | changes
    return Refusal(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"grounds": ()}, "grounds: choose at least one"),
        ({"grounds": (RefusalGround.OTHER,)}, "other_ground: name the other legal ground"),
        ({"reasons": "  "}, "reasons: the subject must be told the specific reasons"),
        ({"decided_on": date(2026, 3, 1)}, "decided_on: between the receipt and today"),
        ({"decided_on": date(2026, 3, 21)}, "decided_on: between the receipt and today"),
    ],
)
def test_a_refusal_states_its_ground_and_reasons(changes: dict[str, object], message: str) -> None:
    with pytest.raises(InputError, match=message):
        validate_refusal(refusal(**changes), received=RECEIVED, today=TODAY)


def test_another_ground_is_named_in_words() -> None:
    named = refusal(grounds=(RefusalGround.OTHER,), other_ground="§ 16 of the Norwegian Personal Data Act")
    assert validate_refusal(named, received=RECEIVED, today=TODAY) is named
    assert RefusalGround.OTHER.label == "Other ground" and RefusalGround.ART_12_5.label == "Art. 12(5) GDPR"


def test_a_refusal_after_the_first_month_is_late() -> None:
    due = date(2026, 4, 2)
    assert late_refusal_warning(refusal(decided_on=due), due) == ""
    assert late_refusal_warning(refusal(decided_on=date(2026, 4, 3)), due) == (
        "the refusal comes after its deadline (Thu 2 Apr 2026): Art. 12(4) asks for it within one month of receipt"
    )
