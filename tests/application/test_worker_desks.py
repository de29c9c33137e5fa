"""A worker thread's desk is a further connection to the store the desk holds open: it neither looks at the
file again nor checks the -wal, which is the desk's own writing (a check of a busy -wal took a worker up to
190 ms before its first read at 100,000 cases). It still reads what the desk wrote."""

from pathlib import Path

import pytest

from dpo_desk.application.desk import Desk
from dpo_desk.core.models import CaseQuery, Scope
from dpo_desk.store import db as store_db
from dpo_desk.store.wal import WalCheck
from tests.conftest import NOW, new_case


def test_a_worker_desk_does_not_check_the_desk_s_own_wal(
    desk: Desk, store_path: Path, store_key: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    case_id = desk.add_case(new_case(name="Kari Nordmann"))
    assert store_path.with_name(store_path.name + "-wal").stat().st_size > 0  # the desk's writing, not checkpointed
    checked: list[Path] = []

    def check(path: Path) -> WalCheck:
        checked.append(path)
        return WalCheck(0, 0)

    monkeypatch.setattr(store_db, "check_wal", check)
    with desk.worker() as worker:
        assert worker.cases.get_by_id(case_id).subject.name == "Kari Nordmann"
    assert desk.find_case_ids(CaseQuery(scope=Scope.ALL), NOW.date()) == [case_id]
    assert checked == []
    store_db.open_store(store_path, store_key, create=False).close()  # a first opening still checks it
    assert len(checked) == 1
