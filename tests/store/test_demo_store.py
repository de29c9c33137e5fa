"""The demo store obeys the workflow rules it demonstrates."""

from datetime import UTC, datetime
from pathlib import Path

from dpo_desk.application.demo import create_demo_store
from dpo_desk.core.identity import IdentityStatus
from dpo_desk.core.models import CaseQuery, Status
from dpo_desk.core.recipients import NoticeState, needs_notices
from dpo_desk.store.db import open_store
from tests.conftest import TEST_KEY, desk_on

NOW = datetime(2026, 11, 29, 12, tzinfo=UTC)


def test_demo_cases_are_coherent(tmp_path: Path) -> None:
    path = tmp_path / "demo.sqlite"
    create_demo_store(path, TEST_KEY, cases=160, seed=5, now=NOW)
    with open_store(path, TEST_KEY) as db:
        desk = desk_on(db, path, TEST_KEY)
        workflow, decisions, outcomes = desk.workflow, desk.decisions, desk.outcomes
        cases = workflow.cases.cases(workflow.cases.find_ids(CaseQuery(), today=NOW.date()))
        assert len(cases) == 160 and {c.status for c in cases} == set(Status)
        answered = [c for c in cases if c.status in (Status.RESPONDED, Status.CLOSED)]
        assert answered
        for case in answered:
            assert workflow.identity_status(case.id) in (IdentityStatus.VERIFIED, IdentityStatus.NOT_REQUIRED)
            assert not case.open_pauses
            assert set(outcomes.outcomes(case.id)) == {r.value for r in case.rights}
            notices = outcomes.notices(case.id)
            assert bool(notices) == needs_notices(case.rights)
            assert all(n.state is not NoticeState.TO_NOTIFY for n in notices)
            if case.extension is not None:
                assert case.extension.notice_sent_on <= case.deadlines.extension_notice_due
        for case in cases:
            fee = decisions.fee(case.id)
            if fee is not None:
                assert set(fee.earlier_cases) <= {e.summary.reference for e in workflow.cases.earlier_cases(case)}
                assert fee.earlier_cases, case.reference  # a fee only where a repeat gives it a basis
            if case.status is Status.REFUSED:
                assert decisions.refusal(case.id) is not None
            if case.status is Status.WAITING_ON_SUBJECT:
                assert case.open_pauses
        assert any(c.extension for c in cases)
        assert any(len(c.pauses) and c.pauses[0].end for c in cases)
