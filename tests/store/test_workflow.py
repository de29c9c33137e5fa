"""Identity checks, pauses and the extension in a real store, with the deadlines they move."""

from datetime import UTC, date, datetime

import pytest
from sqlite_utils import Database

from dpo_desk.application.desk import Desk
from dpo_desk.core.deadlines import Extension, PauseKind
from dpo_desk.core.errors import InputError, RefusedError
from dpo_desk.core.identity import Evidence, IdentityCheck, IdentityPolicy, IdentityStatus, Method, Outcome
from dpo_desk.core.models import Status
from dpo_desk.core.settings import IDENTITY_REQUIRED, IDENTITY_TRUSTED
from dpo_desk.store.workflow import Workflow
from tests.conftest import new_case

RECEIVED = datetime(2026, 3, 2, 14, tzinfo=UTC)  # Monday 2 March 2026 in New York; calendar "none"
DURING = datetime(2026, 3, 20, 12, tzinfo=UTC)


@pytest.fixture
def workflow(desk: Desk) -> Workflow:
    return desk.workflow


@pytest.fixture
def case_id(workflow: Workflow) -> int:
    return workflow.cases.add(new_case(received=RECEIVED, entity="Altoros Americas LLC"), actor="dpo", now=RECEIVED)


def passed(evidence: Evidence, method: Method) -> IdentityCheck:
    return IdentityCheck(evidence, method, "alice", datetime(2026, 3, 3, 10, tzinfo=UTC), Outcome.PASSED)


def test_two_checks_verify_and_open_the_gate(workflow: Workflow, case_id: int) -> None:
    with pytest.raises(RefusedError, match="0 of 2"):
        workflow.check_disclosure(case_id)
    workflow.record_check(case_id, passed(Evidence.PASSPORT, Method.VIDEO_CALL), actor="alice", now=DURING)
    assert workflow.identity_status(case_id) is IdentityStatus.PENDING
    workflow.record_check(case_id, passed(Evidence.ACCOUNT_LOGIN, Method.ACCOUNT_LOGIN), actor="alice", now=DURING)
    assert workflow.identity_status(case_id) is IdentityStatus.VERIFIED
    workflow.check_disclosure(case_id)
    actions = [event.action for event in workflow.cases.history(case_id)]
    assert actions == ["created", "identity-check", "identity-check"]


def test_a_waiver_needs_its_reason(workflow: Workflow, case_id: int) -> None:
    with pytest.raises(InputError, match="reason"):
        workflow.decide_identity(case_id, IdentityStatus.NOT_REQUIRED, " ", actor="alice", now=DURING)
    workflow.decide_identity(case_id, IdentityStatus.NOT_REQUIRED, "logged-in request", actor="alice", now=DURING)
    workflow.check_disclosure(case_id)
    assert workflow.decision(case_id).reason == "logged-in request"  # type: ignore[union-attr]


def test_a_document_number_never_reaches_the_store(workflow: Workflow, case_id: int, db: Database) -> None:
    bad = IdentityCheck(Evidence.PASSPORT, Method.COPY_RECEIVED, "alice", DURING, Outcome.PASSED, reference="FN1234567")
    with pytest.raises(InputError, match="at most 4"):
        workflow.record_check(case_id, bad, actor="alice", now=DURING)
    assert db.execute("SELECT count(*) FROM identity_checks").fetchone()[0] == 0


def test_identity_pause_suspends_the_clock_and_resume_fixes_it(workflow: Workflow, case_id: int) -> None:
    assert workflow.cases.get_by_id(case_id).deadlines.due == date(2026, 4, 2)
    warnings = workflow.pause(
        case_id, PauseKind.IDENTITY, date(2026, 3, 4), "request from an address not on file", actor="a", now=DURING
    )
    assert warnings == []
    # Open pause, counted to today (20 March): 16 days added to 2 April → 18 April (Sat) → Mon 20 April.
    assert workflow.cases.get_by_id(case_id).deadlines.due == date(2026, 4, 20)
    with pytest.raises(RefusedError, match="already open"):
        workflow.pause(case_id, PauseKind.IDENTITY, date(2026, 3, 5), "again", actor="a", now=DURING)
    workflow.resume(case_id, PauseKind.IDENTITY, date(2026, 3, 11), actor="a", now=DURING)
    case = workflow.cases.get_by_id(case_id)
    assert case.deadlines.due == date(2026, 4, 9)  # + 7 days, as the public vector
    assert case.pauses[0].end == date(2026, 3, 11)
    with pytest.raises(RefusedError, match="no identity pause is open"):
        workflow.resume(case_id, PauseKind.IDENTITY, date(2026, 3, 12), actor="a", now=DURING)


def test_a_case_waiting_on_the_subject_moves_on_only_with_their_answer(workflow: Workflow, case_id: int) -> None:
    """Before, a status move out of waiting-on-subject was accepted with the pause still open."""
    workflow.pause(case_id, PauseKind.CLARIFICATION, date(2026, 3, 10), "which services?", actor="a", now=DURING)
    cases = workflow.cases
    assert cases.get_by_id(case_id).status is Status.WAITING_ON_SUBJECT
    with pytest.raises(RefusedError, match=r"in progress: the clock is paused, waiting on the subject: record"):
        cases.change_status(case_id, Status.IN_PROGRESS, actor="a", reason="", now=DURING)
    workflow.resume(case_id, PauseKind.CLARIFICATION, date(2026, 3, 12), actor="a", now=DURING)
    assert cases.get_by_id(case_id).status is Status.IN_PROGRESS


def test_a_fee_pause_under_eu_rules_is_recorded_with_a_warning(workflow: Workflow, case_id: int) -> None:
    warnings = workflow.pause(case_id, PauseKind.FEE, date(2026, 3, 5), "fee announced", actor="a", now=DURING)
    assert any("does not suspend the legal clock" in w for w in warnings)
    assert workflow.cases.get_by_id(case_id).deadlines.due == date(2026, 4, 2)


def test_pause_before_receipt_is_refused(workflow: Workflow, case_id: int) -> None:
    with pytest.raises(InputError, match="before the request was received"):
        workflow.pause(case_id, PauseKind.CLARIFICATION, date(2026, 3, 1), "which data?", actor="a", now=DURING)


def test_extension_in_time_gives_three_months(workflow: Workflow, case_id: int) -> None:
    workflow.extend(
        case_id, Extension("complex: data in six systems", date(2026, 3, 25)), actor="a", now=DURING.replace(day=26)
    )
    case = workflow.cases.get_by_id(case_id)
    assert case.extension == Extension("complex: data in six systems", date(2026, 3, 25))
    assert case.deadlines.due == date(2026, 6, 2)
    assert case.deadlines.extension_notice_due == date(2026, 4, 2)
    with pytest.raises(RefusedError, match="already extended"):
        workflow.extend(case_id, Extension("again", date(2026, 3, 26)), actor="a", now=DURING.replace(day=26))


def test_an_extension_noticed_in_month_one_may_be_recorded_after_it(workflow: Workflow, case_id: int) -> None:
    """Month one ends Thu 2 Apr 2026: a notice sent on 1 Apr counts though it is recorded on 3 Apr."""
    later = datetime(2026, 4, 3, 12, tzinfo=UTC)
    with pytest.raises(RefusedError, match=r"had to be sent by Thu 2 Apr 2026"):
        workflow.extend(case_id, Extension("complex", date(2026, 4, 3)), actor="a", now=later)
    assert workflow.cases.get_by_id(case_id).extension is None
    workflow.extend(case_id, Extension("complex", date(2026, 4, 1)), actor="a", now=later)
    assert workflow.cases.get_by_id(case_id).extension == Extension("complex", date(2026, 4, 1))


def test_identity_policy_is_stored_and_checked_as_a_whole(desk: Desk, db: Database) -> None:
    assert desk.settings.identity_policy() == IdentityPolicy()
    desk.save_settings({IDENTITY_REQUIRED: 1, IDENTITY_TRUSTED: ["passport"]})
    assert desk.settings.identity_policy() == IdentityPolicy(required=1, trusted=(Evidence.PASSPORT,))
    with pytest.raises(InputError, match="between 1 and 1"):
        desk.save_settings({IDENTITY_REQUIRED: 2})  # one trusted type cannot give two independent items
    assert desk.settings.identity_policy().required == 1
    changed = [row[0] for row in db.execute("SELECT entity_id FROM audit WHERE action = 'setting' ORDER BY seq")]
    assert changed == ["identity_required", "identity_trusted"]


def test_a_late_extension_notice_is_refused_naming_the_notice_deadline(workflow: Workflow, case_id: int) -> None:
    with pytest.raises(RefusedError, match=r"had to be sent by Thu 2 Apr 2026; it was sent on Mon 6 Apr 2026"):
        workflow.extend(
            case_id, Extension("complex", date(2026, 4, 6)), actor="a", now=datetime(2026, 4, 8, tzinfo=UTC)
        )


def test_stored_due_dates_of_open_pauses_catch_up_with_today(workflow: Workflow, case_id: int) -> None:
    workflow.pause(case_id, PauseKind.IDENTITY, date(2026, 3, 4), "doubt", actor="a", now=DURING)
    assert workflow.cases.get_by_id(case_id).deadlines.due == date(2026, 4, 20)  # counted to 20 March
    assert workflow.cases.refresh_open_pauses(today=date(2026, 3, 25), now=DURING) == 1
    entry = workflow.cases._db.execute("SELECT actor, action, details FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    assert entry == ("dpo-desk", "deadlines-refreshed", '{"cases":1,"to":"2026-03-25"}')  # a write, audited
    assert workflow.cases.get_by_id(case_id).deadlines.due == date(2026, 4, 23)  # 2 Apr + 21 days paused
    assert workflow.cases.refresh_open_pauses(today=date(2026, 3, 25), now=DURING) == 0  # once a day is enough


def test_a_kept_id_copy_blocks_closing_until_its_deletion_is_recorded(workflow: Workflow, case_id: int) -> None:
    checked = datetime(2026, 3, 6, 10, tzinfo=UTC)
    copy = IdentityCheck(Evidence.PASSPORT, Method.COPY_RECEIVED, "dpo", checked, Outcome.PASSED)
    workflow.record_check(case_id, copy, actor="dpo", now=DURING)
    cases = workflow.cases
    cases.change_status(case_id, Status.WITHDRAWN, actor="dpo", reason="the subject withdrew", now=DURING)
    with pytest.raises(RefusedError, match=r"closed: 1 received copy\(ies\) of an ID document still kept"):
        cases.change_status(case_id, Status.CLOSED, actor="dpo", reason="", now=DURING)
    with pytest.raises(InputError, match="before they were checked"):
        workflow.copies_deleted(case_id, date(2026, 3, 5), actor="dpo", now=DURING)
    assert workflow.copies_deleted(case_id, date(2026, 3, 7), actor="dpo", now=DURING) == 1
    assert workflow.checks(case_id)[0].copy_deleted_on == date(2026, 3, 7)
    cases.change_status(case_id, Status.CLOSED, actor="dpo", reason="", now=DURING)


def test_a_check_after_no_check_needed_is_refused(workflow: Workflow, case_id: int) -> None:
    workflow.decide_identity(
        case_id, IdentityStatus.NOT_REQUIRED, "Written from the address on file", actor="d", now=DURING
    )
    check = IdentityCheck(
        Evidence.PASSPORT, Method.VIDEO_CALL, "dpo", datetime(2026, 3, 6, 10, tzinfo=UTC), Outcome.PASSED
    )
    with pytest.raises(RefusedError, match="would contradict that record"):
        workflow.record_check(case_id, check, actor="dpo", now=DURING)
    assert workflow.checks(case_id) == []
