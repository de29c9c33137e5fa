"""Children: the age of digital consent per country decides whether a case takes the deletion path."""

from datetime import UTC, date, datetime

import pytest

from dpo_desk.application.desk import Desk
from dpo_desk.core.errors import InputError
from dpo_desk.core.identity import IdentityStatus
from dpo_desk.core.intake import new_case_from_json
from dpo_desk.core.next_step import next_step
from dpo_desk.core.outcomes import CHILD
from dpo_desk.core.settings import CONSENT_AGE_NO, CONSENT_AGE_OTHER
from tests.conftest import NOW, new_case

RECEIVED = datetime(2026, 3, 5, 9, 30, tzinfo=UTC)
FOURTEEN = date(2011, 12, 1)  # 14 on the day the requests arrive


@pytest.mark.parametrize(
    ("entity", "child"),
    [("Altoros Norge AS", False), ("Altoros Finland Oy", False), ("Altoros Poland", True),
     ("Altoros Americas LLC", True)],
)  # fmt: skip
def test_the_entitys_country_decides_the_age(desk: Desk, entity: str, child: bool) -> None:
    case_id = desk.cases.add(new_case(entity=entity, received=RECEIVED, birth_date=FOURTEEN), actor="d", now=NOW)
    state = desk.state(case_id)
    assert (state.child is not None) is child
    if child:
        assert CHILD in state.missing_outcomes
        desk.workflow.decide_identity(case_id, IdentityStatus.NOT_REQUIRED, "parent known", actor="d", now=NOW)
        step = next_step(desk.state(case_id))
        assert (
            step.startswith("Overdue since")
            and "delete the child's data and confirm it: the subject is under 16" in step
        )


def test_the_age_is_a_setting_and_norways_can_be_raised(desk: Desk) -> None:
    case_id = desk.cases.add(new_case(received=RECEIVED, birth_date=FOURTEEN), actor="d", now=NOW)
    assert desk.state(case_id).child is None
    desk.save_settings({CONSENT_AGE_NO: 15})  # the 2025 proposal
    child = desk.state(case_id).child
    assert child is not None and child.describe().startswith("under 15, the age of digital consent in Norway")
    with pytest.raises(InputError, match="Other countries: 12 years; choose between 13 and 16"):
        desk.save_settings({CONSENT_AGE_OTHER: 12})


def test_the_deletion_ends_the_path(desk: Desk) -> None:
    case_id = desk.cases.add(new_case(entity="Altoros Poland", received=RECEIVED, birth_date=FOURTEEN), actor="d",
                             now=NOW)  # fmt: skip
    desk.outcomes.record_outcome(
        case_id,
        CHILD,
        {"age_basis": desk.state(case_id).child.describe(), "systems": ["CRM"], "done_on": "2026-03-10"},  # type: ignore[union-attr]
        actor="d",
        now=NOW,
    )
    state = desk.state(case_id)
    assert CHILD not in state.missing_outcomes and "child" not in next_step(state)


def test_a_birth_date_comes_in_with_the_case_and_cannot_be_in_the_future() -> None:
    document = {"entity": "Altoros Norge AS", "channel": "email", "received": "2026-03-05T10:00:00+01:00",
                "rights": ["erasure"], "subject": {"name": "Kid", "emails": ["kid@example.no"],
                                                   "birth_date": "2014-05-01"}}  # fmt: skip
    assert new_case_from_json(document, now=NOW).subject.birth_date == date(2014, 5, 1)
    document["subject"]["birth_date"] = "2027-01-01"  # type: ignore[index]
    with pytest.raises(InputError, match=r"subject\.birth_date: 2027-01-01 is in the future"):
        new_case_from_json(document, now=NOW)
    document["subject"]["birth_date"] = "1 May 2014"  # type: ignore[index]
    with pytest.raises(InputError, match=r"subject\.birth_date: '1 May 2014' is not a date YYYY-MM-DD"):
        new_case_from_json(document, now=NOW)
