"""Suite T5 with WAL damage: a damaged -wal silently dropped committed cases (1-20 of 20 lost, exit 0),
and was then checkpointed away. It is now refused before SQLite replays it, and left as it is."""

import shutil
from pathlib import Path

import pytest

from dpo_desk.store.db import DamagedStoreError, open_store
from dpo_desk.store.wal import FRAME_HEADER, HEADER, check_wal
from tests.conftest import NOW, TEST_KEY, Template, desk_on, fresh_store, new_case

CASES = 20


def store_with_a_wal(tmp_path: Path, template: Template) -> Path:
    """A copy of a store taken while it was open, its last 20 cases still only in the -wal."""
    store = fresh_store(template, tmp_path / "live" / "store.sqlite")
    db = open_store(store, TEST_KEY)
    db.execute("PRAGMA wal_autocheckpoint = 0")
    desk = desk_on(db, store, TEST_KEY)
    for number in range(CASES):
        desk.cases.add(new_case(name=f"Committed {number}"), actor="dpo", now=NOW)
    copy = tmp_path / "copy" / "store.sqlite"
    copy.parent.mkdir()
    for suffix in ("", "-wal"):
        shutil.copy(store.with_name(store.name + suffix), copy.with_name(copy.name + suffix))
    db.close()
    return copy


def test_an_intact_wal_is_replayed_whole(tmp_path: Path, template: Template) -> None:
    copy = store_with_a_wal(tmp_path, template)
    found = check_wal(copy.with_name(copy.name + "-wal"))
    assert found.frames > CASES and not found.damaged
    with open_store(copy, TEST_KEY, create=False) as db:
        assert db.execute("SELECT count(*) FROM cases").fetchone()[0] == CASES


def test_a_damaged_wal_is_refused_and_left_as_it_is(tmp_path: Path, template: Template) -> None:
    copy = store_with_a_wal(tmp_path, template)
    wal = copy.with_name(copy.name + "-wal")
    data = bytearray(wal.read_bytes())
    page_size = int.from_bytes(data[8:12], "big")
    middle = HEADER + (check_wal(wal).frames // 2) * (FRAME_HEADER + page_size) + FRAME_HEADER + 100
    data[middle] ^= 0xFF  # one byte of one page in the middle of the -wal
    wal.write_bytes(bytes(data))
    before = (copy.read_bytes(), wal.read_bytes())
    found = check_wal(wal)
    assert found.damaged and found.lost_commits > 0
    with pytest.raises(
        DamagedStoreError, match=r"store.sqlite-wal is damaged: frame \d+ fails its checksum, and \d+ committed"
    ):
        open_store(copy, TEST_KEY, create=False)
    assert (copy.read_bytes(), wal.read_bytes()) == before  # nothing replayed, nothing checkpointed away
