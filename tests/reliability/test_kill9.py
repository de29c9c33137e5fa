"""Suite T1 in CI: kill -9 at random moments while the real write paths run; every promise must hold.

The full 200 rounds run from bench/bench_kill9.py; CI runs fewer to stay fast.
"""

from pathlib import Path

import pytest

from dpo_desk.store.db import open_store
from tests.conftest import NOW, TEST_KEY, Template, desk_on, fresh_store, new_case
from tests.reliability.kill9 import case_digest, kept, run, stored_case_digest, torn_cases

CI_ROUNDS = 20


@pytest.mark.slow
def test_no_acknowledged_item_is_lost_or_torn_after_kill_9(tmp_path: Path) -> None:
    result = run(CI_ROUNDS, tmp_path, seed=7)
    assert result.rounds == CI_ROUNDS
    assert sum(result.acked.values()) >= CI_ROUNDS  # each kill waited for a promise, whatever the load
    assert result.ok, (result.lost, result.torn, result.broken_rounds, result.visible_partials, result.leaked)
    assert result.cases_in_store >= result.acked.get("case", 0)


def test_the_checks_see_a_changed_or_half_written_case(tmp_path: Path, template: Template) -> None:
    path = fresh_store(template, tmp_path / "store.sqlite")
    with open_store(path, TEST_KEY) as db:
        case_id = desk_on(db, path, TEST_KEY).cases.add(new_case(name="Kept Promise", text="hello"), actor="t", now=NOW)
        promised = stored_case_digest(db, case_id)
        assert promised is not None and kept(db, "case", case_id, promised)
        assert not kept(db, "case", case_id, case_digest("Kept Promise", "changed", ["access"], []))
        assert not kept(db, "case", case_id + 1, promised)
        assert torn_cases(db) == []
        db.execute("DELETE FROM case_rights WHERE case_id = ?", (case_id,))
        assert torn_cases(db) == [case_id]
