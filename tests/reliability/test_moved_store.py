"""A store moved to another disk while the app was open lost 6 of 6 later writes (they went to the
deleted file). Every write now checks, under the write lock, that the file is still the one opened."""

import shutil
from pathlib import Path

import pytest

from dpo_desk.store.db import open_store
from dpo_desk.store.transactions import StoreMovedError
from tests.conftest import NOW, TEST_KEY, Template, desk_on, fresh_store, new_case


def test_writes_stop_once_the_file_is_moved_or_replaced(tmp_path: Path, template: Template) -> None:
    store = fresh_store(template, tmp_path / "store.sqlite")
    db = open_store(store, TEST_KEY)
    desk = desk_on(db, store, TEST_KEY)
    desk.cases.add(new_case(), actor="dpo", now=NOW)
    # A move to another file system: a copy there, and the original deleted.
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    elsewhere = tmp_path / "other-disk" / "store.sqlite"
    elsewhere.parent.mkdir()
    shutil.copy(store, elsewhere)
    store.unlink()
    with pytest.raises(StoreMovedError, match="was moved, renamed or replaced while DPO Desk had it open"):
        desk.cases.add(new_case(name="Lost Write"), actor="dpo", now=NOW)
    shutil.copy(elsewhere, store)  # a file back at the name is another file: still refused
    with pytest.raises(StoreMovedError):
        desk.cases.add(new_case(name="Lost Write"), actor="dpo", now=NOW)
    db.close()
    with open_store(elsewhere, TEST_KEY, create=False) as moved:
        assert moved.execute("SELECT count(*) FROM cases").fetchone()[0] == 1  # opened where it is now
