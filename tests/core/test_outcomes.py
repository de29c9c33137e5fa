"""Outcomes on their own: the rules each right's record must keep (its fields are declared with its action)."""

import pytest

from dpo_desk.core.errors import InputError
from dpo_desk.core.identifiers import email_key
from dpo_desk.core.models import Right
from dpo_desk.core.outcomes import CHILD, check_outcome
from dpo_desk.core.suppression import hash_of

INVOKED = (Right.ERASURE, Right.RESTRICTION, Right.OBJECTION)


def test_an_outcome_is_kept_as_recorded() -> None:
    erased = {"ground": "17(1)(a)", "exception": "", "systems": ["CRM"], "backups_beyond_use": True, "done_on": "x"}
    assert check_outcome("erasure", erased, INVOKED) == erased


@pytest.mark.parametrize(
    ("kind", "details", "message"),
    [
        ("poem", {}, "right: unknown outcome 'poem'"),
        ("access", {"provided_on": "2026-03-05"}, "right: the case does not invoke access"),
        ("erasure", {"ground": "17(9)"}, r"ground: one of 17\(1\)\(a\)"),
        ("erasure", {"ground": "17(1)(a)", "exception": "17(2)"}, r"exception: '' or one of 17\(3\)\(a\)"),
        (
            "restriction",
            {"applied_on": "2026-03-05", "lifted_on": "2026-03-09"},
            r"lifting_notice_on: the subject must be told before",
        ),
        (
            "restriction",
            {"applied_on": "2026-03-05", "lifting_notice_on": "2026-03-10", "lifted_on": "2026-03-09"},
            "lifting_notice_on: the subject must be told before",
        ),
        (
            "restriction",
            {"applied_on": "2026-03-05", "lifting_notice_on": "2026-03-01", "lifted_on": "2026-03-02"},
            "lifted_on: a restriction cannot be lifted before it was applied",
        ),
        ("restriction", {"applied_on": "2026-03-05", "lifted_on": "soon"}, "lifted_on: give a date"),
        ("objection", {"direct_marketing": False, "assessment": " "}, "assessment: weigh the grounds"),
    ],
)
def test_the_rules_of_each_right(kind: str, details: dict[str, object], message: str) -> None:
    with pytest.raises(InputError, match=message):
        check_outcome(kind, details, INVOKED)


def test_an_objection_to_direct_marketing_is_absolute() -> None:
    """Art. 21(3): nothing to weigh, and processing for direct marketing stops."""
    kept = check_outcome("objection", {"direct_marketing": True, "upheld": False, "assessment": "x"}, INVOKED)
    assert (kept["upheld"], kept["assessment"]) == (True, "")


def test_a_childs_data_can_be_deleted_whatever_the_case_invokes() -> None:
    assert check_outcome(CHILD, {"age_basis": "born 2012"}, ()) == {"age_basis": "born 2012"}


def test_the_suppression_list_keeps_a_salted_hash_of_the_normalised_address() -> None:
    assert hash_of(email_key(" Ola@Example.com "), "salt") == hash_of("ola@example.com", "salt")
    assert hash_of("ola@example.com", "salt") != hash_of("ola@example.com", "pepper")
    assert "ola" not in hash_of("ola@example.com", "salt")
