"""Fees, refusals, per-right outcomes, suppression and Art. 19 recipients in a real store."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlite_utils import Database

from dpo_desk.application.desk import Desk
from dpo_desk.core.deadlines import DeadlineInput, Pause, PauseKind, Rules, due_date
from dpo_desk.core.errors import InputError, NotFoundError, RefusedError
from dpo_desk.core.fees import FeeBasis, FeeDecision, FeeState, cost_item
from dpo_desk.core.identity import IdentityStatus
from dpo_desk.core.models import Right, Status
from dpo_desk.core.recipients import NoticeState
from dpo_desk.core.refusal import Refusal, RefusalGround
from dpo_desk.core.settings import RULES
from dpo_desk.core.suppression import hash_of
from dpo_desk.store.decisions import Decisions
from dpo_desk.store.outcomes import Outcomes
from tests.conftest import new_case

NOW = datetime(2026, 6, 20, 12, tzinfo=UTC)
EMAIL = ("repeat@example.com",)


@pytest.fixture
def decisions(desk: Desk) -> Decisions:
    return desk.decisions


@pytest.fixture
def outcomes(desk: Desk) -> Outcomes:
    return desk.outcomes


def add(decisions: Decisions, when: datetime, rights: tuple[Right, ...] = (Right.ACCESS,)) -> int:
    return decisions.cases.add(new_case(emails=EMAIL, received=when, rights=rights), actor="dpo", now=when)


def fee(basis: FeeBasis, earlier: tuple[str, ...]) -> FeeDecision:
    items = (cost_item("staff time, hours", "2.5", "400"), cost_item("postage", 1, "45.50"))
    return FeeDecision(basis, "Third request in four months for the same data", earlier, items, "NOK", date(2026, 6, 3))


def test_a_repeat_request_is_flagged_and_a_fee_calculated(decisions: Decisions) -> None:
    add(decisions, datetime(2026, 2, 2, tzinfo=UTC))
    add(decisions, datetime(2025, 3, 1, tzinfo=UTC))  # more than 12 months before: not named
    case_id = add(decisions, datetime(2026, 6, 1, tzinfo=UTC))
    assert decisions.repeat_warning(case_id) == (
        "the subject made a request within the last 12 months: DSR-2026-0001 (2026-02-02)"
    )
    decisions.decide_fee(case_id, fee(FeeBasis.EXCESSIVE, ("DSR-2026-0001",)), actor="dpo", now=NOW)
    stored = decisions.fee(case_id)
    assert stored is not None and stored.total == Decimal("1045.50") and stored.state is FeeState.ANNOUNCED
    with pytest.raises(RefusedError, match="in progress: the subject has not answered the fee"):
        decisions.cases.change_status(case_id, Status.IN_PROGRESS, actor="dpo", reason="", now=NOW)
    decisions.settle_fee(case_id, FeeState.ACCEPTED, date(2026, 6, 5), actor="dpo", now=NOW)
    decisions.settle_fee(case_id, FeeState.PAID, date(2026, 6, 10), actor="dpo", now=NOW)
    assert decisions.fee(case_id).settled_on == date(2026, 6, 10)  # type: ignore[union-attr]
    with pytest.raises(RefusedError, match="paid cannot become waived"):
        decisions.settle_fee(case_id, FeeState.WAIVED, date(2026, 6, 11), actor="dpo", now=NOW)


def test_a_fee_needs_its_basis_facts_and_earlier_cases(decisions: Decisions) -> None:
    case_id = add(decisions, datetime(2026, 6, 1, tzinfo=UTC))
    with pytest.raises(InputError, match="earlier_cases"):
        decisions.decide_fee(case_id, fee(FeeBasis.EXCESSIVE, ()), actor="dpo", now=NOW)
    with pytest.raises(RefusedError, match="DSR-2026-0099 are not earlier cases"):
        decisions.decide_fee(case_id, fee(FeeBasis.EXCESSIVE, ("DSR-2026-0099",)), actor="dpo", now=NOW)
    with pytest.raises(InputError, match="numbers for quantity"):
        cost_item("copies", "many", "2")
    decisions.decide_fee(case_id, fee(FeeBasis.FURTHER_COPY, ()), actor="dpo", now=NOW)
    assert decisions.fee(case_id).basis is FeeBasis.FURTHER_COPY  # type: ignore[union-attr]


def test_refusal_records_grounds_and_warns_when_late(decisions: Decisions) -> None:
    case_id = add(decisions, datetime(2026, 5, 4, tzinfo=UTC))  # due 4 June (Oslo)
    with pytest.raises(InputError, match="other_ground"):
        decisions.refuse(case_id, Refusal(False, (RefusalGround.OTHER,), "x", date(2026, 5, 5)), actor="d", now=NOW)
    late = Refusal(True, (RefusalGround.ART_15_4,), "Contains a colleague's data", date(2026, 6, 15))
    warning = decisions.refuse(case_id, late, actor="dpo", now=NOW)
    assert "after its deadline (Thu 4 Jun 2026)" in warning
    assert decisions.refusal(case_id) == late


def test_outcomes_are_checked_per_right(outcomes: Outcomes) -> None:
    case_id = outcomes.cases.add(new_case(rights=(Right.ERASURE, Right.RESTRICTION)), actor="d", now=NOW)
    erased = {
        "ground": "17(1)(a)",
        "exception": "",
        "systems": ["HubSpot", "CRM"],
        "backups_beyond_use": True,
        "done_on": "2026-06-10",
    }
    outcomes.record_outcome(case_id, "erasure", erased, actor="dpo", now=NOW)
    assert outcomes.outcomes(case_id)["erasure"]["systems"] == ["HubSpot", "CRM"]
    with pytest.raises(InputError, match="ground: one of"):
        outcomes.record_outcome(case_id, "erasure", {**erased, "ground": "17(9)"}, actor="dpo", now=NOW)
    with pytest.raises(InputError, match="does not invoke access"):
        outcomes.record_outcome(case_id, "access", {"provided_on": "2026-06-10"}, actor="dpo", now=NOW)
    lifted_early = {"applied_on": "2026-06-01", "lifting_notice_on": "2026-06-12", "lifted_on": "2026-06-11"}
    with pytest.raises(InputError, match="told before the restriction is lifted"):
        outcomes.record_outcome(case_id, "restriction", lifted_early, actor="dpo", now=NOW)
    outcomes.record_outcome(
        case_id,
        "child-deletion",
        {"age_basis": "said 14 in the form", "systems": ["CRM"], "done_on": "2026-06-10"},
        actor="dpo",
        now=NOW,
    )


def test_direct_marketing_objection_keeps_only_a_salted_hash(outcomes: Outcomes, db: Database) -> None:
    case_id = outcomes.cases.add(
        new_case(emails=("Stop.Mail@Example.com",), rights=(Right.OBJECTION,)), actor="d", now=NOW
    )
    outcomes.record_outcome(
        case_id, "objection", {"direct_marketing": True, "done_on": "2026-06-01"}, actor="dpo", now=NOW
    )
    entry = outcomes.suppressed(" stop.mail@EXAMPLE.com")
    assert entry is not None and (entry.kind, entry.added_on) == ("email", NOW.date().isoformat())
    assert outcomes.suppressed("other@example.com") is None
    rows = list(db.query("SELECT * FROM suppression"))
    assert len(rows) == 1 and set(rows[0]) == {"identifier_hash", "kind", "added_on"}
    assert "example" not in rows[0]["identifier_hash"] and len(rows[0]["identifier_hash"]) == 64
    assert outcomes.outcomes(case_id)["objection"]["suppressed"] == ["email"]


def test_an_objector_who_called_is_suppressed_by_phone(outcomes: Outcomes, db: Database) -> None:
    """Before, only e-mails went on the list: a subject with no e-mail was not suppressed at all."""
    case_id = outcomes.cases.add(
        new_case(emails=(), phones=("912 34 567",), rights=(Right.OBJECTION,)), actor="d", now=NOW
    )
    outcomes.record_outcome(
        case_id, "objection", {"direct_marketing": True, "done_on": "2026-06-01"}, actor="dpo", now=NOW
    )
    entry = outcomes.suppressed("+47 91 23 45 67")
    assert entry is not None and entry.kind == "phone"
    assert outcomes.suppressed("91234567", "NO") == entry  # typed without the code: read as Norwegian
    assert outcomes.suppressed("91234567", "PL") is None  # the same digits in Poland are someone else
    with pytest.raises(InputError, match="identifier: 'x' is not a phone number"):
        outcomes.suppressed("x")
    salt, entries = outcomes.suppression_list()
    assert entries == [entry] and entry.sha256 == hash_of("+4791234567", salt) and len(salt) == 32


def test_recipients_are_proposed_notified_and_block_closing(outcomes: Outcomes) -> None:
    case_id = outcomes.cases.add(new_case(rights=(Right.ERASURE,)), actor="d", now=NOW)
    proposed = outcomes.set_sources(case_id, ["chatbot"], actor="dpo", now=NOW)
    assert "Drift" in proposed and "HubSpot" in proposed
    outcomes.notify(
        case_id, ("drift",), NoticeState.NOTIFIED, on=date(2026, 6, 10), channel="e-mail", actor="d", now=NOW
    )
    outcomes.notify(case_id, ("drift",), NoticeState.CONFIRMED, on=date(2026, 6, 12), actor="d", now=NOW)
    with pytest.raises(InputError, match="disproportionate"):
        outcomes.notify(case_id, ("hubspot",), NoticeState.NOT_NOTIFIED, on=None, actor="d", now=NOW)
    for status in (Status.IDENTITY_CHECK, Status.IN_PROGRESS, Status.RESPONSE_READY, Status.RESPONDED):
        outcomes.cases.change_status(case_id, status, actor="d", reason="", now=NOW)
    outcomes.record_outcome(
        case_id, "erasure", {"ground": "17(1)(a)", "systems": ["CRM"], "done_on": "2026-06-11"}, actor="d", now=NOW
    )  # the erasure carried out: now each recipient is owed its notice
    with pytest.raises(RefusedError, match=r"Art\. 19 notification"):
        outcomes.cases.change_status(case_id, Status.CLOSED, actor="d", reason="", now=NOW)
    for notice in outcomes.notices(case_id):
        if notice.state is NoticeState.TO_NOTIFY:
            outcomes.notify(
                case_id,
                (notice.processor_key,),
                NoticeState.NOT_NOTIFIED,
                on=None,
                reason="no data of the subject is held there",
                actor="d",
                now=NOW,
            )
    outcomes.cases.change_status(case_id, Status.CLOSED, actor="d", reason="", now=NOW)
    outcomes.told_subject(case_id, date(2026, 6, 15), actor="d", now=NOW)
    assert outcomes.recipients_told_on(case_id) == date(2026, 6, 15)


def test_access_only_cases_get_no_recipients(outcomes: Outcomes) -> None:
    case_id = outcomes.cases.add(new_case(rights=(Right.ACCESS,)), actor="d", now=NOW)
    assert outcomes.set_sources(case_id, ["web-forms"], actor="dpo", now=NOW) == []
    assert outcomes.sources(case_id) == ["web-forms"]


def test_notices_and_the_told_event_lie_between_receipt_and_today_and_are_told_once(outcomes: Outcomes) -> None:
    received = datetime(2026, 6, 5, 9, tzinfo=UTC)
    case_id = outcomes.cases.add(new_case(rights=(Right.ERASURE,), received=received), actor="d", now=NOW)
    outcomes.set_sources(case_id, ["chatbot"], actor="dpo", now=NOW)
    with pytest.raises(InputError, match=r"date: 2026-06-01 is before the request was received \(2026-06-05\)"):
        outcomes.notify(
            case_id, ("drift",), NoticeState.NOTIFIED, on=date(2026, 6, 1), channel="e-mail", actor="d", now=NOW
        )
    with pytest.raises(InputError, match="before the request was received"):
        outcomes.told_subject(case_id, date(2026, 6, 4), actor="d", now=NOW)
    with pytest.raises(InputError, match="future"):
        outcomes.told_subject(case_id, date(2026, 6, 21), actor="d", now=NOW)
    outcomes.told_subject(case_id, date(2026, 6, 15), actor="d", now=NOW)
    with pytest.raises(RefusedError, match="told who the recipients are on 2026-06-15 already"):
        outcomes.told_subject(case_id, date(2026, 6, 16), actor="d", now=NOW)
    assert outcomes.recipients_told_on(case_id) == date(2026, 6, 15)


def test_the_status_follows_the_recorded_facts_and_needs_them(desk: Desk, outcomes: Outcomes) -> None:
    cases = outcomes.cases
    refused = cases.add(new_case(received=datetime(2026, 6, 1, 9, tzinfo=UTC)), actor="d", now=NOW)
    with pytest.raises(RefusedError, match="refused: record the refusal"):
        cases.change_status(refused, Status.REFUSED, actor="d", reason="manifestly unfounded", now=NOW)
    with pytest.raises(RefusedError, match="waiting on subject: record the pause"):
        cases.change_status(refused, Status.WAITING_ON_SUBJECT, actor="d", reason="asked", now=NOW)
    desk.decisions.refuse(
        refused, Refusal(True, (RefusalGround.ART_12_5,), "Only in part", date(2026, 6, 2)), actor="d", now=NOW
    )
    assert cases.get_by_id(refused).status is Status.RECEIVED  # a partial refusal leaves the rest to answer
    desk.decisions.refuse(
        refused, Refusal(False, (RefusalGround.ART_12_5,), "Third request", date(2026, 6, 2)), actor="d", now=NOW
    )
    assert cases.get_by_id(refused).status is Status.REFUSED
    assert cases.history(refused)[-1].reason == "refused on 2026-06-02"

    unknown = cases.add(new_case(received=datetime(2026, 6, 1, 9, tzinfo=UTC)), actor="d", now=NOW)
    desk.workflow.decide_identity(unknown, IdentityStatus.FAILED, "No ID matched the account", actor="d", now=NOW)
    assert cases.get_by_id(unknown).status is Status.REFUSED

    paused = cases.add(new_case(received=datetime(2026, 6, 1, 9, tzinfo=UTC)), actor="d", now=NOW)
    desk.workflow.pause(paused, PauseKind.CLARIFICATION, date(2026, 6, 3), "Which systems?", actor="d", now=NOW)
    assert cases.get_by_id(paused).status is Status.WAITING_ON_SUBJECT
    desk.workflow.resume(paused, PauseKind.CLARIFICATION, date(2026, 6, 5), actor="d", now=NOW)
    assert cases.get_by_id(paused).status is Status.IN_PROGRESS

    withdrawn = add(desk.decisions, datetime(2026, 6, 1, 9, tzinfo=UTC))
    desk.decisions.decide_fee(withdrawn, fee(FeeBasis.FURTHER_COPY, ()), actor="d", now=NOW)
    assert cases.get_by_id(withdrawn).status is Status.WAITING_ON_FEE
    desk.decisions.settle_fee(withdrawn, FeeState.WITHDRAWN, date(2026, 6, 10), actor="d", now=NOW)
    assert cases.get_by_id(withdrawn).status is Status.WITHDRAWN


def test_a_refused_erasure_owes_no_art_19_notice(desk: Desk, outcomes: Outcomes) -> None:
    case_id = outcomes.cases.add(new_case(rights=(Right.ERASURE,)), actor="d", now=NOW)
    outcomes.set_sources(case_id, ["chatbot"], actor="dpo", now=NOW)
    desk.decisions.refuse(
        case_id, Refusal(False, (RefusalGround.ART_12_5,), "Third request", date(2026, 3, 6)), actor="d", now=NOW
    )
    assert desk.state(case_id).open_notices == 0  # nothing was erased, so no recipient is told of an erasure
    outcomes.cases.change_status(case_id, Status.CLOSED, actor="d", reason="", now=NOW)
    assert outcomes.cases.get_by_id(case_id).status is Status.CLOSED


@pytest.mark.parametrize("rules", [Rules.ICO, Rules.EU])
def test_under_ico_rules_a_paid_fee_restarts_the_clock_and_under_eu_it_does_not_stop(
    desk: Desk, decisions: Decisions, rules: Rules
) -> None:
    desk.save_settings({RULES: rules.value})
    case_id = add(decisions, datetime(2026, 6, 1, 9, tzinfo=UTC))
    before = decisions.cases.get_by_id(case_id).deadlines.due
    decisions.decide_fee(case_id, fee(FeeBasis.FURTHER_COPY, ()), actor="dpo", now=NOW)  # announced 3 June
    decisions.settle_fee(case_id, FeeState.PAID, date(2026, 6, 10), actor="dpo", now=NOW)
    case = decisions.cases.get_by_id(case_id)
    if rules is Rules.ICO:
        assert [(p.kind, p.start, p.end) for p in case.pauses] == [(PauseKind.FEE, date(2026, 6, 3), date(2026, 6, 10))]
        expected = due_date(DeadlineInput(case.received_date, case.entity.calendar, Rules.ICO,
                                          (Pause(date(2026, 6, 3), date(2026, 6, 10), PauseKind.FEE),)))  # fmt: skip
        assert case.deadlines.due == expected == date(2026, 7, 10)  # a month from the payment
    else:
        assert case.pauses == () and case.deadlines.due == before  # a fee does not stop the EU clock


def test_recipients_told_alike_are_one_step_of_the_history_and_the_audit(outcomes: Outcomes, db: Database) -> None:
    """A notice to each of six recipients took six history entries and six audit entries: 8.6 of a demo
    case's 17.7 audit entries were notices."""
    case_id = outcomes.cases.add(new_case(rights=(Right.ERASURE,)), actor="d", now=NOW)
    outcomes.set_sources(case_id, ["chatbot"], actor="dpo", now=NOW)
    entries = db.execute("SELECT count(*) FROM audit").fetchone()[0]
    outcomes.notify(
        case_id, ("hubspot", "drift"), NoticeState.NOTIFIED, on=date(2026, 6, 10), channel="e-mail", actor="d",
        now=NOW,
    )  # fmt: skip
    told = {n.processor_key: n for n in outcomes.notices(case_id)}
    assert told["drift"].state is told["hubspot"].state is NoticeState.NOTIFIED
    assert told["drift"].notified_on == told["hubspot"].notified_on == date(2026, 6, 10)
    assert [e.reason for e in outcomes.cases.history(case_id) if e.action == "recipient"] == [
        "Drift, HubSpot: notified"
    ]
    assert db.execute("SELECT count(*) FROM audit").fetchone()[0] == entries + 1


def test_a_step_for_several_recipients_changes_all_or_none_and_names_the_one_refused(outcomes: Outcomes) -> None:
    case_id = outcomes.cases.add(new_case(rights=(Right.ERASURE,)), actor="d", now=NOW)
    outcomes.set_sources(case_id, ["chatbot"], actor="dpo", now=NOW)
    outcomes.notify(
        case_id, ("drift",), NoticeState.NOTIFIED, on=date(2026, 6, 10), channel="e-mail", actor="d", now=NOW
    )
    before = outcomes.notices(case_id)
    with pytest.raises(InputError, match=r"confirmed: the recipient confirms after being notified.*\(HubSpot\)"):
        outcomes.notify(case_id, ("drift", "hubspot"), NoticeState.CONFIRMED, on=date(2026, 6, 12), actor="d", now=NOW)
    with pytest.raises(NotFoundError, match=r"recipients: 'moon-base', 'mars' are not recipients of this case"):
        outcomes.notify(case_id, ("moon-base", "drift", "mars"), NoticeState.CONFIRMED, on=None, actor="d", now=NOW)
    with pytest.raises(InputError) as alike:  # the form's fault, not HubSpot's: no recipient is named
        outcomes.notify(case_id, ("drift", "hubspot"), NoticeState.NOTIFIED, on=date(2026, 6, 12), actor="d", now=NOW)
    assert str(alike.value) == "notified: give the date and the channel (e.g. e-mail to privacy@…)"
    with pytest.raises(InputError, match="recipients: choose at least one"):
        outcomes.notify(case_id, (), NoticeState.CONFIRMED, on=date(2026, 6, 12), actor="d", now=NOW)
    assert outcomes.notices(case_id) == before
