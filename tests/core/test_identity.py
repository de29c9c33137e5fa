"""The "two trusted IDs" rule, what may never be stored, and the disclosure gate."""

from datetime import UTC, date, datetime

import pytest

from dpo_desk.core.errors import InputError, RefusedError
from dpo_desk.core.identity import (
    Evidence,
    IdentityCheck,
    IdentityDecision,
    IdentityPolicy,
    IdentityStatus,
    Method,
    Outcome,
    check_disclosure,
    copies_to_delete,
    counted_checks,
    identity_status,
    independent_items,
    progress,
    validate_check,
    why_not_counted,
)

AT = datetime(2026, 3, 6, 10, tzinfo=UTC)
POLICY = IdentityPolicy()


def check(evidence: Evidence, method: Method, outcome: Outcome = Outcome.PASSED, **kw: object) -> IdentityCheck:
    return IdentityCheck(evidence, method, "alice", AT, outcome, **kw)  # type: ignore[arg-type]


def test_two_independent_items_verify() -> None:
    checks = [check(Evidence.PASSPORT, Method.VIDEO_CALL), check(Evidence.CODE_TO_KNOWN_ADDRESS, Method.CODE_SENT)]
    assert independent_items(checks, POLICY) == 2
    assert identity_status(checks, None, POLICY) is IdentityStatus.VERIFIED
    check_disclosure(checks, None, POLICY)


@pytest.mark.parametrize(
    "checks",
    [
        [check(Evidence.PASSPORT, Method.VIDEO_CALL), check(Evidence.PASSPORT, Method.SIGHTED_IN_PERSON)],
        [check(Evidence.PASSPORT, Method.COPY_RECEIVED), check(Evidence.DRIVING_LICENCE, Method.COPY_RECEIVED)],
        [check(Evidence.PASSPORT, Method.VIDEO_CALL), check(Evidence.NATIONAL_ID, Method.VIDEO_CALL, Outcome.FAILED)],
    ],
    ids=["same type", "same channel", "one failed"],
)
def test_same_type_same_channel_or_failed_do_not_add_up(checks: list[IdentityCheck]) -> None:
    assert independent_items(checks, POLICY) == 1
    assert identity_status(checks, None, POLICY) is IdentityStatus.PENDING


def test_each_check_says_whether_it_counts_and_why_not() -> None:
    # A DPO recorded a passport and an ID card, both sighted in person, and read "1 of 2" with no reason.
    passport = check(Evidence.PASSPORT, Method.SIGHTED_IN_PERSON)
    id_card = check(Evidence.NATIONAL_ID, Method.SIGHTED_IN_PERSON)
    failed = check(Evidence.DRIVING_LICENCE, Method.VIDEO_CALL, Outcome.FAILED)
    checks = [passport, id_card, failed]
    counted = counted_checks(checks, POLICY)
    assert counted == (passport,) and independent_items(checks, POLICY) == 1
    assert [why_not_counted(c, counted, POLICY) for c in checks] == [
        "",
        "checked sighted in person, as the passport was",
        "it did not pass",
    ]
    only_passports = IdentityPolicy(required=1, trusted=(Evidence.PASSPORT,))
    assert why_not_counted(id_card, counted, only_passports) == "the policy does not trust a national ID card"
    second_passport = check(Evidence.PASSPORT, Method.VIDEO_CALL)
    assert why_not_counted(second_passport, counted, POLICY) == "another passport already counts"
    # With a passport on video, the ID card counts too, and the earlier passport no longer does.
    assert counted_checks([passport, id_card, second_passport], POLICY) == (id_card, second_passport)
    assert progress(checks, None, POLICY) == "Identity: 1 of 2 trusted IDs recorded"
    with pytest.raises(RefusedError, match="1 of 2 independent trusted IDs"):
        check_disclosure(checks, None, POLICY)


def test_the_best_combination_is_found() -> None:
    # Greedy would take passport+video and be stuck; passport+copy and licence+video makes two.
    checks = [
        check(Evidence.PASSPORT, Method.VIDEO_CALL),
        check(Evidence.PASSPORT, Method.COPY_RECEIVED),
        check(Evidence.DRIVING_LICENCE, Method.VIDEO_CALL),
    ]
    assert independent_items(checks, POLICY) == 2


def test_policy_is_a_setting() -> None:
    strict = IdentityPolicy(required=3, trusted=(Evidence.PASSPORT, Evidence.NATIONAL_ID, Evidence.ACCOUNT_LOGIN))
    checks = [check(Evidence.PASSPORT, Method.VIDEO_CALL), check(Evidence.SIGNED_LETTER, Method.COPY_RECEIVED)]
    assert independent_items(checks, strict) == 1  # a signed letter is not trusted under this policy
    assert identity_status(checks, None, IdentityPolicy(required=1)) is IdentityStatus.VERIFIED


def test_decisions_settle_identity_either_way() -> None:
    waived = IdentityDecision(IdentityStatus.NOT_REQUIRED, "writes from the e-mail on file", "alice", AT)
    check_disclosure([], waived, POLICY)
    failed = IdentityDecision(IdentityStatus.FAILED, "no answer to two requests", "alice", AT)
    with pytest.raises(RefusedError, match=r"Art\. 11\(2\)"):
        check_disclosure([], failed, POLICY)


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (check(Evidence.PASSPORT, Method.VIDEO_CALL, reference="AB123456"), "at most 4 characters"),
        (check(Evidence.PASSPORT, Method.VIDEO_CALL, note="passport no 12345678 seen"), "looks like a document number"),
        (check(Evidence.PASSPORT, Method.VIDEO_CALL, copy_deleted_on=date(2026, 3, 7)), "only a check on a received"),
        (check(Evidence.PASSPORT, Method.COPY_RECEIVED, copy_deleted_on=date(2026, 3, 1)), "before it was checked"),
    ],
)
def test_what_must_never_be_stored_is_refused(bad: IdentityCheck, message: str) -> None:
    with pytest.raises(InputError, match=message):
        validate_check(bad)


def test_received_copies_must_be_deleted() -> None:
    kept = check(Evidence.PASSPORT, Method.COPY_RECEIVED, reference="4321")
    deleted = check(Evidence.NATIONAL_ID, Method.COPY_RECEIVED, copy_deleted_on=date(2026, 3, 6))
    assert validate_check(kept) is kept
    assert copies_to_delete([kept, deleted]) == [kept]
