"""The audit on screen: the case's own trail, the whole log, verify and the anchor."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView
from pytestqt.qtbot import QtBot
from sqlite_utils import Database

from dpo_desk.application.desk import Desk
from dpo_desk.gui import audit_view as audit_view_module
from dpo_desk.gui.main_window import MainWindow
from dpo_desk.store.audit import Anchor, AuditEntry, case_entries
from dpo_desk.store.cases import CaseRepository
from dpo_desk.store.verify import verify
from tests.conftest import NOW, new_case
from tests.gui.held import HeldRunner


def column(table: audit_view_module.AuditTable, index: int) -> list[str]:
    model = table.model()
    return [model.index(row, index).data() for row in range(model.rowCount())]


def test_the_case_view_shows_only_that_cases_trail(qtbot: QtBot, repo: CaseRepository, window: MainWindow) -> None:
    first = repo.add(new_case(name="First Person"), actor="alice", now=NOW)
    second = repo.add(new_case(name="Second Person"), actor="bob", now=NOW)
    repo.add_note(first, "called back", author="alice", now=NOW)
    window.model.refresh()
    window.select_case(first)
    trail = window.case_view.page.audit
    assert column(trail, 3) == ["Created", "Note"]
    assert set(column(trail, 4)) == {f"Case {repo.get_by_id(first).reference}"}
    assert column(trail, 2) == ["alice", "alice"]
    assert "First Person" not in " ".join(column(trail, 5)) + " ".join(column(trail, 4))
    window.select_case(second)
    assert column(window.case_view.page.audit, 3) == ["Created"]


def test_the_audit_page_lists_verifies_and_exports_the_anchor(
    qtbot: QtBot,
    repo: CaseRepository,
    window: MainWindow,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    db: Database,
) -> None:
    repo.add(new_case(), actor="alice", now=NOW)
    window.navigation.setCurrentRow(4)
    page = window.audit_view
    assert window.pages.currentWidget() is page
    assert column(page.table, 0)[0] == "1" and page.summary.text() == "1 entry"

    page.verify_button.click()
    assert "All checks passed" in page.result.text() and "chain intact" in page.result.text()

    target = tmp_path / "anchor.txt"
    monkeypatch.setattr(audit_view_module, "ask_anchor_path", lambda parent: target)
    page.anchor_button.click()
    anchor = Anchor.parse(target.read_text(encoding="utf-8"))
    assert anchor.seq == 1 and verify(db, anchor).ok


def test_a_broken_chain_shows_red(qtbot: QtBot, repo: CaseRepository, window: MainWindow, db: Database) -> None:
    repo.add(new_case(), actor="alice", now=NOW)
    db.execute("DROP TRIGGER audit_is_append_only_update")  # what someone editing the file could do
    db.execute("UPDATE audit SET actor = 'mallory' WHERE seq = 1")
    window.audit_view.verify_button.click()
    assert "Problems found" in window.audit_view.result.text()


def test_case_entries_include_the_cases_letters_only(repo: CaseRepository, desk: Desk, db: Database) -> None:
    case_id = repo.add(new_case(), actor="alice", now=NOW)
    other = repo.add(new_case(name="Other"), actor="alice", now=NOW)
    for owner, letter_id in ((case_id, 1), (other, 2)):
        db.execute(
            "INSERT INTO letters (id, case_id, kind, lang, created_by, created_at, sha256, protected, file)"
            " VALUES (?, ?, 'acknowledgement', 'en', 'alice', '2026-11-29T12:00:00Z', 'x', 0, 'f.pdf')",
            (letter_id, owner),
        )
    desk.letters.mark_printed(1, actor="alice", now=NOW)
    desk.letters.mark_printed(2, actor="alice", now=NOW)
    assert [(e.action, e.entity, e.entity_id) for e in case_entries(db, case_id)] == [
        ("created", "case", str(case_id)),
        ("letter-printed", "letter", "1"),
    ]


def test_the_audit_page_shows_the_newest_entries_at_once_and_counts_them_all_aside(
    qtbot: QtBot, repo: CaseRepository, desk: Desk, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Counting 1.77 M entries on the window's thread froze it 173 ms to 1.2 s when the Audit page opened."""
    monkeypatch.setattr(audit_view_module, "SHOWN", 2)
    for name in ("Ola Nordmann", "Kari Nordmann", "Jan Kowalski"):
        repo.add(new_case(name=name), actor="d", now=NOW)
    total = db.execute("SELECT count(*) FROM audit").fetchone()[0]
    assert total > 2
    held = HeldRunner()
    view = audit_view_module.AuditView(desk, held)
    qtbot.addWidget(view)
    view.refresh()
    assert view.table.model().rowCount() == 2
    assert view.summary.text() == "The newest 2 entries shown; counting them all…"
    view.refresh()  # asked again (an entry written) before the first count arrived
    assert [task.name for task, _ in held.held] == ["audit count", "audit count"]
    held.finish(0)
    assert view.summary.text() == "The newest 2 entries shown; counting them all…"  # not the older count
    held.finish(1)
    assert view.summary.text() == f"{total} entries; the newest 2 shown"


def test_the_audit_count_reads_with_thousands_separators_and_one_entry_is_singular() -> None:
    """The page read "1770539 entries" at 100,000 cases, where the case list reads "100,000 cases"."""
    assert audit_view_module.count_text(1_770_539) == "1,770,539 entries; the newest 1,000 shown"
    assert audit_view_module.count_text(1) == "1 entry"
    assert audit_view_module.count_text(0) == "0 entries"


def test_each_audit_column_is_as_wide_as_its_widest_text_and_a_detail_shows_whole_as_tooltip(
    qtbot: QtBot, repo: CaseRepository, desk: Desk
) -> None:
    """The columns are sized from every entry shown: the widest actor here is the oldest entry, the last row."""
    for actor in ("a DPO whose name is long enough to widen the column", "al", "bo"):
        case_id = repo.add(new_case(name=f"Subject of {actor}"), actor=actor, now=NOW)
    repo.add_note(case_id, "called back", author="bo", now=NOW)
    view = audit_view_module.AuditView(desk, HeldRunner())
    qtbot.addWidget(view)
    view.refresh()
    table, header = view.table, view.table.horizontalHeader()
    for index in range(audit_view_module.AuditModel.DETAILS):  # as wide as Qt's own fit, which reads every cell
        assert header.sectionSize(index) >= table.sizeHintForColumn(index), audit_view_module.AuditModel.HEADERS[index]
    assert header.sectionResizeMode(audit_view_module.AuditModel.DETAILS) is QHeaderView.ResizeMode.Stretch
    detailed = next(row for row, text in enumerate(column(table, audit_view_module.AuditModel.DETAILS)) if text)
    details = table.model().index(detailed, audit_view_module.AuditModel.DETAILS)
    assert details.data(Qt.ItemDataRole.ToolTipRole) == details.data()
    assert table.model().index(0, 2).data(Qt.ItemDataRole.ToolTipRole) is None


def test_an_entrys_details_name_each_value_and_a_list_item_by_item(qapp: object) -> None:
    """An entity edited read "Fields: ['name']" on the Audit page (a helper's review)."""
    entry = AuditEntry(
        seq=8478, at=datetime(2026, 12, 4, 19, 0, tzinfo=UTC), actor="dpo", action="entity-saved",
        entity="entity", entity_id="altoros-poland", details={"fields": ["name", "time_zone"], "to": "closed",
                                                              "printed": True, "recipients": []},
        case_reference="",
    )  # fmt: skip
    model = audit_view_module.AuditModel()
    model.show_entries([entry])
    shown = model.index(0, audit_view_module.AuditModel.DETAILS).data()
    assert shown == "Fields: name, time_zone; To: Closed; Printed: yes; Recipients: none"
