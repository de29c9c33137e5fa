"""Starting on a damaged store: the app offers the latest backup and keeps the damaged file."""

import os
import time
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from dpo_desk.gui import app
from dpo_desk.gui.background import StoreCheck
from dpo_desk.store.backup import daily_backup
from dpo_desk.store.cases import CaseRepository
from dpo_desk.store.db import open_store
from tests.conftest import NOW, TEST_KEY, new_case


@pytest.fixture
def damaged_store_with_backup(tmp_path: Path) -> Path:
    path = tmp_path / "store.sqlite"
    with open_store(path, TEST_KEY) as db:
        CaseRepository(db).add(new_case(name="In The Backup"), actor="dpo", now=NOW)
        daily_backup(db, path, TEST_KEY, today=NOW.date(), keep=7, actor="dpo")
    path.write_bytes(path.read_bytes()[:6000])
    return path


def answer(monkeypatch: pytest.MonkeyPatch, button: QMessageBox.StandardButton) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda *args: shown.append(args[2]) or button)
    monkeypatch.setattr(QMessageBox, "information", lambda *args: shown.append(args[2]))
    monkeypatch.setattr(QMessageBox, "critical", lambda *args: shown.append(args[2]))
    return shown


def test_yes_restores_the_latest_backup(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, damaged_store_with_backup: Path
) -> None:
    shown = answer(monkeypatch, QMessageBox.StandardButton.Yes)
    db = app.open_or_recover(damaged_store_with_backup, TEST_KEY)
    assert db is not None
    try:
        assert [row[0] for row in db.execute("SELECT name FROM subjects")] == ["In The Backup"]
    finally:
        db.close()
    assert "damaged" in shown[0] and "daily-2026-11-29.sqlite" in shown[0]
    assert "kept as store.sqlite.damaged-" in shown[1]
    assert len(list(damaged_store_with_backup.parent.glob("store.sqlite.damaged-*"))) == 1


def test_no_leaves_everything_as_it_was(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, damaged_store_with_backup: Path
) -> None:
    before = damaged_store_with_backup.read_bytes()
    answer(monkeypatch, QMessageBox.StandardButton.No)
    assert app.open_or_recover(damaged_store_with_backup, TEST_KEY) is None
    assert damaged_store_with_backup.read_bytes() == before
    assert not list(damaged_store_with_backup.parent.glob("*.damaged-*"))


def test_without_a_backup_the_message_says_so(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite"
    path.write_bytes(b"")
    shown = answer(monkeypatch, QMessageBox.StandardButton.Yes)
    assert app.open_or_recover(path, TEST_KEY) is None
    assert "empty (0 bytes)" in shown[0] and "No backup was found" in shown[0]


def test_the_background_check_reports_damage_the_open_did_not_see(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite"
    with open_store(path, TEST_KEY) as db:
        for number in range(40):
            CaseRepository(db).add(new_case(name=f"Subject {number}", text="x " * 300), actor="dpo", now=NOW)
    data = bytearray(path.read_bytes())
    data[-4096 * 3 : -4096 * 2] = bytes(4096)  # a page near the end, which opening does not read
    path.write_bytes(bytes(data))
    open_store(path, TEST_KEY, create=False).close()
    check = StoreCheck(path, TEST_KEY)
    with qtbot.waitSignal(check.damaged, timeout=10_000) as signal:
        check.start()
    assert signal.args and signal.args[0]


def test_the_background_check_is_quiet_on_a_healthy_store(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite"
    open_store(path, TEST_KEY).close()
    check = StoreCheck(path, TEST_KEY)
    damaged: list[str] = []
    check.damaged.connect(damaged.append)
    with qtbot.waitSignal(check.finished, timeout=10_000):
        check.start()
    assert damaged == []


def test_half_written_files_a_crash_left_are_removed_at_start_when_old(tmp_path: Path) -> None:
    store = tmp_path / "store.sqlite"
    old, young = time.time() - 2 * 3600, time.time() - 60
    planted = {
        tmp_path / "letters" / "DSR-2026-0001" / ".DSR-2026-0001-acknowledgement-1.pdf.part": old,
        tmp_path / "backups" / ".daily-2026-11-28.sqlite.part": old,
        tmp_path / ".store.sqlite.key.part": old,
        tmp_path / "letters" / "DSR-2026-0002" / ".DSR-2026-0002-acknowledgement-1.pdf.part": young,
        tmp_path / ".someone-elses-download.part": old,  # not DPO Desk's: left alone
    }
    for path, mtime in planted.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"half")
        os.utime(path, (mtime, mtime))
    removed = app.remove_crash_leftovers(store)
    assert sorted(path.name for path in removed) == [
        ".DSR-2026-0001-acknowledgement-1.pdf.part",
        ".daily-2026-11-28.sqlite.part",
        ".store.sqlite.key.part",
    ]
    assert sorted(path.name for path in planted if path.exists()) == [
        ".DSR-2026-0002-acknowledgement-1.pdf.part",
        ".someone-elses-download.part",
    ]
