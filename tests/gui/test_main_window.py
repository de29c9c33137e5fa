"""The main window driven through real widgets, offscreen: create a case, find it, filter, look at it."""

import re
import sys
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path
from types import FrameType
from typing import Any

import pytest
from PySide6.QtCore import (
    QCoreApplication,
    QDateTime,
    QEvent,
    QModelRoleData,
    QModelRoleDataSpan,
    QSettings,
    Qt,
)
from PySide6.QtWidgets import QDialogButtonBox, QLabel, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot
from sqlite_utils import Database

from dpo_desk.application.desk import Desk
from dpo_desk.application.jobs import SynchronousRunner
from dpo_desk.core.identity import Evidence
from dpo_desk.core.models import CaseQuery, CaseSummary, EarlierCase, NewCase, Right, Status
from dpo_desk.core.settings import DUE_SOON_DAYS, TARGET_DAYS
from dpo_desk.gui.case_table import (
    COLUMNS,
    DAYS_LEFT,
    DUE,
    REFERENCE,
    STATUS,
    SUBJECT,
    BadgeColourRole,
    CaseIdRole,
    CaseTableModel,
)
from dpo_desk.gui.fields_dialog import FieldsDialog
from dpo_desk.gui.main_window import CASES_PAGE, DASHBOARD_PAGE, EMPTY_STORE, FIRST_SIZE, NOTHING_MATCHES, MainWindow
from dpo_desk.gui.new_case_dialog import NewCaseDialog
from dpo_desk.gui.receipt_dialog import ReceiptDialog
from dpo_desk.gui.scheme import colours
from dpo_desk.store.cases import CaseRepository
from tests.conftest import NOW, TEST_PASSPHRASE, new_case
from tests.gui.held import HeldRunner


def fill_dialog(qtbot: QtBot, dialog: NewCaseDialog) -> None:
    dialog.entity.setCurrentIndex(dialog.entity.findText("Altoros Norge AS"))
    qtbot.keyClicks(dialog.name, "Kari Nordmann")
    qtbot.keyClicks(dialog.emails, "kari@example.no")
    dialog.rights[Right.ERASURE].setChecked(True)
    qtbot.keyClicks(dialog.text, "Slett alle opplysninger om meg.")


def test_empty_store_says_how_to_begin(window: MainWindow) -> None:
    window.navigation.setCurrentRow(CASES_PAGE)
    assert window.model.rowCount() == 0
    assert window.empty.isVisible() and window.empty.text() == EMPTY_STORE
    assert not window.change_status_action.isEnabled()


def test_new_case_dialog_names_what_is_missing(qtbot: QtBot, repo: CaseRepository) -> None:
    dialog = NewCaseDialog(repo.register.entities(), lambda: NOW, lambda subject, country: ([], []))
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()
    assert dialog.problem.text() == "Name: the subject's name is missing"
    qtbot.keyClicks(dialog.name, "Kari Nordmann")
    assert dialog.problem.text() == "Contact: give an e-mail, a phone or a postal address, so the answer can reach them"
    qtbot.keyClicks(dialog.emails, "kari@")
    assert (
        dialog.problem.text() == "E-mails: 'kari@' is not an e-mail address: there must be something after the @-sign"
    )
    qtbot.keyClicks(dialog.emails, "example.no")
    assert dialog.problem.text() == "Rights: tick at least one right the request invokes"  # not the JSON wording
    dialog.rights[Right.ACCESS].setChecked(True)
    # No silent default entity: the received time means nothing before its zone is known.
    assert dialog.problem.text() == "Entity: choose the entity that received the request"
    assert not ok.isEnabled() and not dialog.received.isEnabled()
    dialog.entity.setCurrentIndex(dialog.entity.findText("Altoros Norge AS"))
    assert dialog.problem.text() == "" and ok.isEnabled()
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    value = dialog.value()
    assert value is not None and value.subject.emails == ("kari@example.no",)
    assert value.received.tzinfo is not None


def test_the_received_time_stays_the_moment_typed_when_the_entity_changes(qtbot: QtBot, repo: CaseRepository) -> None:
    dialog = NewCaseDialog(repo.register.entities(), lambda: NOW, lambda subject, country: ([], []))
    qtbot.addWidget(dialog)
    dialog.entity.setCurrentIndex(dialog.entity.findText("Altoros A.S."))  # Buenos Aires, UTC-3
    dialog.received.setDateTime(QDateTime(2026, 11, 27, 5, 21, 0))
    dialog.entity.setCurrentIndex(dialog.entity.findText("Altoros Norge AS"))  # Oslo, UTC+1 in November
    assert dialog.received.dateTime().toString("yyyy-MM-dd HH:mm") == "2026-11-27 09:21"
    assert "Europe/Oslo" in dialog.zone_hint.text()
    qtbot.keyClicks(dialog.name, "Kari Nordmann")
    qtbot.keyClicks(dialog.emails, "kari@example.no")
    dialog.rights[Right.ACCESS].setChecked(True)
    dialog.accept()
    value = dialog.value()
    assert value is not None
    assert value.received == datetime(2026, 11, 27, 8, 21, tzinfo=UTC)  # 05:21 in Buenos Aires, as typed


def test_new_case_dialog_takes_a_birth_date_and_reads_phones_by_the_entitys_country(
    qtbot: QtBot, repo: CaseRepository
) -> None:
    dialog = NewCaseDialog(repo.register.entities(), lambda: NOW, lambda subject, country: ([], []))
    qtbot.addWidget(dialog)
    fill_dialog(qtbot, dialog)
    qtbot.keyClicks(dialog.phones, "12")
    assert dialog.problem.text().startswith("Phones: '12' is not a phone number; give it with its country code")
    dialog.phones.clear()
    qtbot.keyClicks(dialog.phones, "912 34 567")  # a Norwegian mobile, typed without +47
    assert dialog.problem.text() == ""
    qtbot.keyClicks(dialog.birth_date, "2014-02-30")
    assert dialog.problem.text() == "Birth date: '2014-02-30' is not a date YYYY-MM-DD"
    dialog.birth_date.clear()
    qtbot.keyClicks(dialog.birth_date, "2014-02-28")
    dialog.child.setChecked(True)
    value = dialog.value()
    assert value is not None and value.subject.birth_date == date(2014, 2, 28) and value.subject.child


def test_new_case_dialog_warns_of_earlier_cases(qtbot: QtBot, repo: CaseRepository, desk: Desk) -> None:
    repo.add(new_case(emails=("kari@example.no",), received=datetime(2026, 2, 1, tzinfo=UTC)), actor="d", now=NOW)
    repo.add(
        new_case(name="Per Hansen", emails=(), phones=("+4791234567",), received=datetime(2026, 3, 1, tzinfo=UTC)),
        actor="d",
        now=NOW,
    )
    dialog = NewCaseDialog(repo.register.entities(), lambda: NOW, desk.earlier_of)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.emails, "KARI@example.no")
    assert "DSR-2026-0001 (1 Feb 2026, received; by e-mail kari@example.no)" in dialog.earlier.text()
    assert dialog.earlier.text().startswith("⚠ Repeat request: one within the last 12 months. Earlier cases")
    dialog.emails.clear()
    dialog.entity.setCurrentIndex(dialog.entity.findText("Altoros Norge AS"))
    qtbot.keyClicks(dialog.phones, "912 34 567")  # no country code: read as the entity's (Norway)
    assert "DSR-2026-0002 (1 Mar 2026, received; by phone +4791234567)" in dialog.earlier.text()
    qtbot.keyClicks(dialog.name, "Ola Nordmann")
    assert "Same name only, check before relying on it: DSR-2026-0001" in dialog.earlier.text()


def test_received_time_is_local_to_the_entity(qtbot: QtBot, repo: CaseRepository) -> None:
    dialog = NewCaseDialog(repo.register.entities(), lambda: NOW, lambda subject, country: ([], []))
    qtbot.addWidget(dialog)
    dialog.entity.setCurrentIndex(dialog.entity.findText("Altoros Finland Oy"))
    assert "Europe/Helsinki" in dialog.zone_hint.text()
    fill_dialog(qtbot, dialog)  # switches to Norway; the typed wall-clock time stays
    value = dialog.value()
    assert value is not None
    assert value.received.utcoffset().total_seconds() == 3600  # Oslo in November


def test_create_a_case_through_the_dialog_and_find_it_by_typing(
    qtbot: QtBot, window: MainWindow, repo: CaseRepository, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("Ola Nordmann", "Jan Kowalski", "Anna Kowalska"):
        repo.add(new_case(name=name, emails=(f"{name.split()[0].lower()}@example.com",)), actor="d", now=NOW)
    window.model.refresh()

    def ask(cls, entities, now, earlier_cases, parent=None) -> NewCase | None:
        dialog = cls(entities, now, earlier_cases, parent)
        qtbot.addWidget(dialog)
        fill_dialog(qtbot, dialog)
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
        return dialog.value()

    monkeypatch.setattr(NewCaseDialog, "ask", classmethod(ask))
    with qtbot.waitSignal(window.case_created) as created:
        window.new_case_action.trigger()
    assert created.args == ["DSR-2026-0004"]
    assert window.model.rowCount() == 4
    assert window.case_view.case is not None and window.case_view.case.reference == "DSR-2026-0004"

    window.find_action.trigger()
    assert window.filters.search.hasFocus()
    qtbot.keyClicks(window.filters.search, "kari")
    qtbot.waitUntil(lambda: window.model.rowCount() == 1)
    assert window.model.index(0, SUBJECT).data() == "Kari Nordmann"
    assert window.count_label.text() == "1 of 4 cases"

    window.filters.search.clear()
    qtbot.keyClicks(window.filters.search, "kowal")
    qtbot.waitUntil(lambda: window.model.rowCount() == 2)
    qtbot.keyClicks(window.filters.search, "ska")
    qtbot.waitUntil(lambda: window.model.rowCount() == 1)
    assert window.model.index(0, SUBJECT).data() == "Anna Kowalska"

    qtbot.keyClicks(window.filters.search, "zzz")
    qtbot.waitUntil(lambda: window.model.rowCount() == 0)
    assert window.empty.isVisible() and window.empty.text() == NOTHING_MATCHES


def test_status_and_right_filters(qtbot: QtBot, window: MainWindow, repo: CaseRepository) -> None:
    first = repo.add(new_case(rights=(Right.ERASURE,)), actor="d", now=NOW)
    repo.add(new_case(rights=(Right.ACCESS,)), actor="d", now=NOW)
    repo.change_status(first, Status.IDENTITY_CHECK, actor="d", reason="", now=NOW)
    window.model.refresh()
    window.filters.status.setCurrentIndex(window.filters.status.findData(Status.IDENTITY_CHECK))
    assert window.model.rowCount() == 1
    window.filters.status.setCurrentIndex(0)
    window.filters.right.setCurrentIndex(window.filters.right.findData(Right.ACCESS))
    assert window.model.rowCount() == 1
    assert window.model.index(0, REFERENCE).data() == "DSR-2026-0002"


def test_due_within_filter_and_sorting_by_due(qtbot: QtBot, window: MainWindow, repo: CaseRepository) -> None:
    repo.add(new_case(received=datetime(2026, 11, 25, tzinfo=UTC)), actor="d", now=NOW)  # due 28 Dec
    repo.add(new_case(received=datetime(2026, 11, 3, tzinfo=UTC)), actor="d", now=NOW)  # due 3 Dec
    window.model.refresh()
    window.filters.due_within.setChecked(True)
    window.filters.due_days.setValue(7)
    assert window.model.rowCount() == 1
    assert window.model.index(0, DAYS_LEFT).data() == "4 d left"
    window.filters.due_within.setChecked(False)
    window.table.sortByColumn(DUE, Qt.SortOrder.AscendingOrder)
    assert [window.model.index(row, DUE).data() for row in range(2)] == ["2026-12-03", "2026-12-28"]
    window.table.sortByColumn(DUE, Qt.SortOrder.DescendingOrder)
    assert [window.model.index(row, DUE).data() for row in range(2)] == ["2026-12-28", "2026-12-03"]


def test_case_view_shows_the_due_date_and_why(qtbot: QtBot, window: MainWindow, repo: CaseRepository) -> None:
    repo.add(
        new_case(received=datetime(2026, 1, 31, 10, tzinfo=UTC), entity="Altoros Norge AS"),
        actor="d",
        now=NOW,
    )
    window.model.refresh()
    window.table.selectRow(0)
    view = window.case_view
    assert view.page.reference.text() == "DSR-2026-0001"
    assert view.page.due_badge.text() == "272 d overdue"
    assert "Overdue since 2 Mar 2026" in view.page.next_step.text()
    why = view.page.deadline_tab.why.text()
    assert "one month: 28 Feb 2026 (no 31 Feb)" in why
    assert "due Mon 2 Mar 2026" in why
    deadline = view.page.deadline_tab.deadline
    labels = [deadline.itemAt(row, deadline.ItemRole.FieldRole).widget().text() for row in range(4)]
    assert labels[0].startswith("Mon 2 Mar 2026")
    assert labels[1] == "Mon 2 Mar 2026"  # extension notice deadline


def test_showing_a_case_reads_its_state_once_and_no_sheet(
    qtbot: QtBot, window: MainWindow, repo: CaseRepository, desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each tab used to read the case again (its earlier cases: 20 ms at 100,000 cases) and every processor
    sheet, which none of a new case's letters needs."""
    repo.add(new_case(), actor="d", now=NOW)
    window.model.refresh()
    reads = {"earlier cases": 0, "sheets": 0}

    def counted(what: str, read: Any) -> Any:
        def counting(*args: Any, **kwargs: Any) -> Any:
            reads[what] += 1
            return read(*args, **kwargs)

        return counting

    monkeypatch.setattr(desk, "earlier_of", counted("earlier cases", desk.earlier_of))
    monkeypatch.setattr(desk.processors, "sheets", counted("sheets", desk.processors.sheets))
    window.table.selectRow(0)
    assert window.case_view.page.reference.text() == "DSR-2026-0001"
    assert reads == {"earlier cases": 1, "sheets": 0}


def test_change_status_from_the_case_view(
    qtbot: QtBot, window: MainWindow, repo: CaseRepository, monkeypatch: pytest.MonkeyPatch
) -> None:
    case_id = repo.add(new_case(), actor="d", now=NOW)
    window.model.refresh()
    window.select_case(case_id)
    assert window.change_status_action.isEnabled()

    def ask(cls, title, fields, form, validate, parent=None, **options):
        dialog = cls(title, fields, form, validate, parent, **options)
        qtbot.addWidget(dialog)
        target = dialog.inputs["to"]
        assert target.itemText(target.findData("in-progress")) == "In progress  (needs a reason)"
        target.setCurrentIndex(target.findData("in-progress"))  # skips the ID check
        assert not dialog.ok.isEnabled() and "give a reason" in dialog.problem.text()
        qtbot.keyClicks(dialog.inputs["reason"], "Identity not needed: existing customer login")
        assert dialog.ok.isEnabled()
        return dialog.values()

    monkeypatch.setattr(FieldsDialog, "ask", classmethod(ask))
    window.change_status_action.trigger()
    assert repo.get_by_id(case_id).status is Status.IN_PROGRESS
    assert window.case_view.page.status.text() == "In progress"
    assert window.model.index(0, len(COLUMNS) - 1).data() == "In progress"
    history = window.case_view.page.history
    assert history.rowCount() == 2
    assert history.item(1, 3).text() == "Identity not needed: existing customer login"
    assert window.statusBar().currentMessage() == "Status: in progress"


def test_register_view_lists_the_seeded_register(window: MainWindow) -> None:
    window.navigation.setCurrentRow(3)
    assert window.pages.currentWidget() is window.register_page
    assert window.register_view.entities.rowCount() == 5
    assert window.register_view.sources.rowCount() == 6
    assert window.register_view.processors.rowCount() >= 40


def test_window_geometry_is_remembered(
    qtbot: QtBot, desk: Desk, settings: QSettings, runner: SynchronousRunner
) -> None:
    first = MainWindow(desk, settings, runner)
    qtbot.addWidget(first)
    first.show()
    first.resize(first.width(), 450)  # the offscreen screen is 800 x 600, narrower than the window
    first.close()
    assert settings.contains("window/geometry")
    second = MainWindow(desk, settings, runner)
    qtbot.addWidget(second)
    assert second.height() == 450


def test_case_model_passes_qt_model_tester(qtmodeltester, repo: CaseRepository) -> None:
    for day in range(1, 6):
        repo.add(new_case(received=datetime(2026, 10, day, tzinfo=UTC)), actor="d", now=NOW)
    model = CaseTableModel(repo, lambda: NOW.date(), 7, CaseQuery())
    model.refresh()
    qtmodeltester.check(model)


def test_a_painted_cell_is_one_call_into_python_answering_each_role_as_data_does(
    window: MainWindow, repo: CaseRepository
) -> None:
    """Qt asks a painted cell for seven roles: one call into Python each was 1,218 calls for a screen of the
    list, and each waits for the interpreter while a worker thread runs Python (issue 21)."""
    for day in range(1, 6):
        repo.add(new_case(received=datetime(2026, 10, day, tzinfo=UTC)), actor="d", now=NOW)
    window.navigation.setCurrentRow(CASES_PAGE)
    window.model.refresh()
    viewport = window.table.viewport()
    entered: Counter[str] = Counter()
    here = sys._getframe()

    def count_entries(frame: FrameType, event: str, arg: object) -> None:
        if event == "call" and frame.f_back is here:  # called by Qt, not by our own code
            entered[frame.f_code.co_name] += 1

    sys.setprofile(count_entries)
    try:
        viewport.repaint()
    finally:
        sys.setprofile(None)
    assert entered["multiData"] == 5 * len(COLUMNS) - 5  # each row's days-left pill asks its delegate instead
    assert entered["data"] == 0
    model = window.model
    for row in range(model.rowCount()):
        for column in range(model.columnCount()):
            index = model.index(row, column)
            for role in (*range(11), CaseIdRole, BadgeColourRole):
                asked = QModelRoleData(role)
                model.multiData(index, QModelRoleDataSpan(asked))
                assert asked.data() == index.data(role), (row, column, role)


def test_shortcuts(window: MainWindow) -> None:
    assert window.new_case_action.shortcut().toString() == "Ctrl+N"
    assert window.find_action.shortcut().toString() == "Ctrl+F"


def test_settings_dialog_changes_calendar_and_recomputes(
    qtbot: QtBot, window: MainWindow, desk: Desk, repo: CaseRepository, monkeypatch: pytest.MonkeyPatch
) -> None:
    americas = repo.register.entity("Altoros Americas LLC")
    case_id = repo.add(
        new_case(entity=americas.name, received=datetime(2026, 4, 14, 15, tzinfo=UTC)), actor="d", now=NOW
    )
    window.model.refresh()
    window.select_case(case_id)
    assert window.model.index(0, DUE).data() == "2026-05-14"

    def ask(cls, title, fields, form, validate, parent=None, **options):
        dialog = cls(title, fields, form, validate, parent, **options)
        qtbot.addWidget(dialog)
        calendar = dialog.inputs[f"calendar:{americas.id}"]
        assert calendar.currentData() == "none"  # the US entity's default
        calendar.setCurrentIndex(calendar.findData("NO"))
        due_soon = dialog.inputs["due_soon_days"]
        assert (due_soon.minimum(), due_soon.maximum(), due_soon.suffix()) == (0, 60, " days before the due date")
        due_soon.setValue(3)
        return dialog.values()

    monkeypatch.setattr(FieldsDialog, "ask", classmethod(ask))
    window.settings_action.trigger()
    assert window.model.index(0, DUE).data() == "2026-05-15"
    assert "Ascension Day (NO public holiday)" in window.case_view.page.deadline_tab.why.text()
    assert desk.settings.get(DUE_SOON_DAYS) == 3
    assert "1 due dates changed" in window.statusBar().currentMessage()


def test_correct_receipt_from_the_case_menu(
    qtbot: QtBot, window: MainWindow, repo: CaseRepository, monkeypatch: pytest.MonkeyPatch
) -> None:
    case_id = repo.add(new_case(received=datetime(2026, 5, 4, 9, tzinfo=UTC)), actor="d", now=NOW)
    window.model.refresh()
    window.select_case(case_id)

    def ask(cls, case, entities, now, parent=None):
        dialog = cls(case, entities, now, parent)
        qtbot.addWidget(dialog)
        ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert not ok.isEnabled() and dialog.problem.text().startswith("Reason")
        dialog.entity.setCurrentText("Altoros Poland")
        qtbot.keyClicks(dialog.reason, "Sent to the Warsaw office")
        assert ok.isEnabled()
        return dialog.answer()

    monkeypatch.setattr(ReceiptDialog, "ask", classmethod(ask))
    window.correct_receipt_action.trigger()
    case = repo.get_by_id(case_id)
    assert case.entity.name == "Altoros Poland"
    assert case.received_local.hour == 11  # the wall-clock time shown (Oslo) now read in Warsaw
    assert window.case_view.page.history.item(1, 2).text() == "Receipt corrected"


def test_identity_policy_is_edited_from_the_menu(
    qtbot: QtBot, window: MainWindow, desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    def ask(cls, title, fields, form, validate, parent=None, **options):
        dialog = cls(title, fields, form, validate, parent, **options)
        qtbot.addWidget(dialog)
        dialog.show()
        trusted = dialog.inputs["identity_trusted"]
        # Every kind of evidence in sight, none cut off: a sideways scroll bar hid the seventh and the ends.
        assert not trusted.horizontalScrollBar().isVisible() and not trusted.verticalScrollBar().isVisible()
        for evidence in ("driving-licence", "residence-permit", "signed-letter"):
            dialog.inputs["identity_trusted"].set_checked(evidence, False)
        dialog.inputs["identity_required"].setValue(5)
        assert not dialog.ok.isEnabled() and "between 1 and 4" in dialog.problem.text()
        dialog.inputs["identity_required"].setValue(3)
        assert dialog.ok.isEnabled()
        return dialog.values()

    monkeypatch.setattr(FieldsDialog, "ask", classmethod(ask))
    window.identity_policy_action.trigger()
    policy = desk.settings.identity_policy()
    assert policy.required == 3
    assert Evidence.DRIVING_LICENCE not in policy.trusted and Evidence.PASSPORT in policy.trusted
    assert "Identity policy: 3 independent items" in window.statusBar().currentMessage()


def test_daily_backup_from_the_window_shows_in_the_status_bar(
    qtbot: QtBot, window: MainWindow, store_path: Path
) -> None:
    assert window.backup_label.text() == "No backup yet"
    window.daily_backup.run_if_due()
    expected = f"store-daily-{NOW.date().isoformat()}.sqlite"
    assert (store_path.parent / "backups" / expected).is_file()
    assert window.backup_label.text() == f"Last backup: {expected}"
    assert not window.daily_backup.running


def test_a_failed_daily_backup_is_said_and_audits_nothing(
    qtbot: QtBot, window: MainWindow, db: Database, store_path: Path
) -> None:
    (store_path.parent / "backups").write_text("a file where the backups folder should be")
    window.daily_backup.run_if_due()
    assert window.statusBar().currentMessage().startswith("Daily backup failed:")
    assert window.backup_label.text() == "No backup yet"
    assert db.execute("SELECT count(*) FROM audit WHERE action = 'backup'").fetchone()[0] == 0


def test_a_daily_backup_name_another_store_holds_is_said_not_raised(
    qtbot: QtBot, window: MainWindow, store_path: Path
) -> None:
    taken = store_path.parent / "backups" / f"store-daily-{NOW.date().isoformat()}.sqlite"
    taken.parent.mkdir()
    taken.write_bytes(b"store.db's backup, whose key file is missing here")
    window.daily_backup.run_if_due()
    assert window.statusBar().currentMessage().startswith(f"Daily backup failed: {taken.name} in ")
    assert "is another store's backup; give this store a name of its own" in window.statusBar().currentMessage()
    assert not window.daily_backup.running and taken.read_bytes().startswith(b"store.db's")


def test_an_unexpected_backup_error_is_said_and_the_next_backup_still_runs(
    qtbot: QtBot, window: MainWindow, desk: Desk, store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The worker of old reported only the errors it expected: any other left it "busy", and no backup ran
    again in that session."""
    real_copy = desk.backups.copy_to
    monkeypatch.setattr(desk.backups, "copy_to", lambda target: {}["a bug"])
    window.daily_backup.run_if_due()
    assert window.statusBar().currentMessage() == "Daily backup failed: an unexpected KeyError (the log has it)"
    assert not window.daily_backup.running
    monkeypatch.setattr(desk.backups, "copy_to", real_copy)
    window.daily_backup.run_if_due()
    assert window.backup_label.text() == f"Last backup: store-daily-{NOW.date().isoformat()}.sqlite"


def test_the_first_window_is_no_taller_than_the_screen(window: MainWindow) -> None:
    # Offscreen, the screen is 800 high, lower than the 840 of the first size. (Not narrower: the widgets'
    # minimum width, 1266, wins over the screen's 800.)
    assert window.height() <= window.screen().availableGeometry().height() < FIRST_SIZE.height()


def test_the_title_names_the_store_and_leaves_the_app_name_to_qt(window: MainWindow, desk: Desk) -> None:
    # Qt appends " — DPO Desk" (the application display name); the title said "DPO Desk — … — DPO Desk".
    assert window.windowTitle() == str(desk.path)


def test_each_menus_mnemonics_are_unique(window: MainWindow) -> None:
    # Two items on one letter take two presses and a Return: "&Letter settings" and "Auto-&lock" did.
    for menu_action in window.menuBar().actions():
        menu = menu_action.menu()
        assert menu is not None
        letters = [re.search(r"&(\w)", a.text()) for a in menu.actions() if not a.isSeparator()]
        keys = [match.group(1).lower() for match in letters if match]
        assert len(keys) == len(set(keys)), (menu_action.text(), keys)
        assert len(keys) == len([a for a in menu.actions() if not a.isSeparator()]), menu_action.text()


def test_tab_leaves_the_address_and_the_request(qtbot: QtBot, repo: CaseRepository) -> None:
    dialog = NewCaseDialog(repo.register.entities(), lambda: NOW, lambda subject, country: ([], []))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    for field in (dialog.address, dialog.text):
        field.setFocus()
        qtbot.keyClick(field, Qt.Key.Key_Tab)
        assert field.toPlainText() == "" and not field.hasFocus()


def test_dialogs_open_with_the_focus_in_their_first_field(qtbot: QtBot, repo: CaseRepository, desk: Desk) -> None:
    dialog = NewCaseDialog(repo.register.entities(), lambda: NOW, lambda subject, country: ([], []))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.focusWidget() is dialog.entity  # not a button: what is typed lands in a field


def test_a_workflow_dialog_opens_in_its_first_field(
    qtbot: QtBot, window: MainWindow, repo: CaseRepository, monkeypatch: pytest.MonkeyPatch
) -> None:
    case_id = repo.add(new_case(), actor="d", now=NOW)
    window.model.refresh()
    window.open_case(case_id)
    focused: list[tuple[object, object]] = []

    def exec_(dialog: FieldsDialog) -> int:
        dialog.show()
        qtbot.waitExposed(dialog)
        focused.append((dialog.focusWidget(), dialog.first_field()))
        return 0

    monkeypatch.setattr(FieldsDialog, "exec", exec_)
    window.case_view.page.add_note_button.click()
    assert focused and focused[0][1] is not None and focused[0][0] is focused[0][1]


def test_days_left_and_status_stay_in_view_beside_a_case_on_a_laptop(window: MainWindow, repo: CaseRepository) -> None:
    case_id = repo.add(new_case(name="Bartholomew Fitzgerald-Øvergaard"), actor="d", now=NOW)
    window.resize(1366, 740)
    window.model.refresh()
    window.open_case(case_id)
    table = window.table
    for column in (DAYS_LEFT, STATUS):
        right_edge = table.columnViewportPosition(column) + table.columnWidth(column)
        assert table.columnViewportPosition(column) >= 0 and right_edge <= table.viewport().width(), column
    assert table.horizontalScrollBar().maximum() == 0
    assert window.minimumSizeHint().width() <= 1366  # every tab of the case fits beside the list


def left_open(qtbot: QtBot, desk: Desk, settings: QSettings, runner: SynchronousRunner, case_id: int) -> int:
    """``case_id``, left open in a window closed on it."""
    window = MainWindow(desk, settings, runner)
    qtbot.addWidget(window)
    window.show()
    window.open_case(case_id)
    window.close()
    return case_id


def test_the_view_and_the_case_left_open_come_back_at_the_next_start(
    qtbot: QtBot, desk: Desk, settings: QSettings, runner: SynchronousRunner, repo: CaseRepository
) -> None:
    case_id = left_open(qtbot, desk, settings, runner, repo.add(new_case(), actor="d", now=NOW))
    assert settings.value("window/case") in (case_id, str(case_id))  # the id: the settings file is plain text
    # Closed before it was on screen, a window keeps the case it was to reopen.
    unseen = MainWindow(desk, settings, runner)
    qtbot.addWidget(unseen)
    unseen.close()
    assert settings.value("window/case") in (case_id, str(case_id))
    again = MainWindow(desk, settings, runner)
    qtbot.addWidget(again)
    assert again.navigation.currentRow() == CASES_PAGE
    # Not while the window is built (the first case shown held its start): once it is on screen.
    assert again.case_view.case is None
    again.show()
    qtbot.waitUntil(lambda: again.case_view.case is not None)
    assert again.case_view.case is not None and again.case_view.case.id == case_id
    assert again.table.selectionModel().selectedRows()[0].row() == again.model.row_of(case_id)
    # A case purged since, or a value mangled by hand, opens the dashboard and no case.
    settings.setValue("window/case", 99999)
    settings.setValue("window/view", "cases")
    third = MainWindow(desk, settings, runner)
    qtbot.addWidget(third)
    assert third.navigation.currentRow() == DASHBOARD_PAGE and third.case_view.case is None


def test_a_window_locked_before_the_case_left_open_came_back_shows_it_only_after_the_unlock(
    qtbot: QtBot, desk: Desk, settings: QSettings, repo: CaseRepository
) -> None:
    """The case left open comes back after the first case's preparation (a worker task, then a few turns of the
    event loop): a window locked meanwhile (Ctrl+L at once) must not show it behind the lock screen."""
    case_id = left_open(qtbot, desk, settings, SynchronousRunner(), repo.add(new_case(), actor="d", now=NOW))
    held = HeldRunner()
    again = MainWindow(desk, settings, held)
    qtbot.addWidget(again)
    with qtbot.waitSignal(again.first_paint.painted):
        again.show()
    again.window_lock.lock()
    held.finish_last("first case")
    qtbot.waitUntil(lambda: again.case_view.built is not None)
    qtbot.wait(50)  # the turn that would show the case
    assert again.case_view.case is None and again.window_lock.is_locked
    again.close()
    assert settings.value("window/case") in (case_id, str(case_id))  # closed while locked: still the one left open
    third = MainWindow(desk, settings, SynchronousRunner())
    qtbot.addWidget(third)
    with qtbot.waitSignal(third.first_paint.painted):
        third.show()
    third.window_lock.lock()
    qtbot.waitUntil(lambda: third.case_view.built is not None)
    qtbot.wait(50)
    assert third.case_view.case is None
    entry = third.window_lock.screen.entry
    qtbot.keyClicks(entry.field, TEST_PASSPHRASE)
    qtbot.keyClick(entry.field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not third.window_lock.is_locked)
    assert third.case_view.case is not None and third.case_view.case.id == case_id  # back at the unlock


def test_a_case_left_open_in_another_store_is_not_reopened(
    qtbot: QtBot, desk: Desk, settings: QSettings, runner: SynchronousRunner, repo: CaseRepository
) -> None:
    """The settings are the computer's, not the store's: an id left open in one store opened an unrelated case
    of another store with that id."""
    left_open(qtbot, desk, settings, runner, repo.add(new_case(), actor="d", now=NOW))
    assert settings.value("window/case-store") == str(desk.path)
    settings.setValue("window/case-store", str(desk.path.with_name("other.sqlite")))  # as another store's left it
    again = MainWindow(desk, settings, runner)
    qtbot.addWidget(again)
    again.show()
    qtbot.waitUntil(lambda: again.case_view.built is not None)  # the step before the case left open
    qtbot.wait(50)
    assert again.case_view.case is None


def test_a_form_opens_with_what_it_needs_as_a_hint_and_says_it_as_an_error_once_edited(
    qtbot: QtBot, repo: CaseRepository
) -> None:
    dialog = NewCaseDialog(repo.register.entities(), lambda: NOW, lambda subject, country: ([], []))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    hint, error = colours().hint, colours().error
    assert dialog.problem.text() and hint in dialog.problem.styleSheet() and error not in dialog.problem.styleSheet()
    qtbot.keyClicks(dialog.emails, "not an address")
    assert dialog.problem.text() and error in dialog.problem.styleSheet()


def test_new_case_proposes_the_requests_language_else_the_offices_and_the_dpos_choice_wins(
    qtbot: QtBot, repo: CaseRepository
) -> None:
    dialog = NewCaseDialog(repo.register.entities(), lambda: NOW, lambda subject, country: ([], []))
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.name, "Jan Kowalski")
    qtbot.keyClicks(dialog.emails, "jan@example.pl")
    dialog.rights[Right.ACCESS].setChecked(True)
    dialog.entity.setCurrentIndex(dialog.entity.findText("Altoros Finland Oy"))
    assert dialog.letter_lang.currentData() == "fi" and "Altoros Finland Oy's office" in dialog.lang_hint.text()
    assert dialog.value() is not None and dialog.value().letter_lang == ""  # follows the office
    dialog.text.insertPlainText("Dzień dobry, proszę o kopię moich danych osobowych.")  # keyClicks: Latin-1 only
    assert dialog.letter_lang.currentData() == "pl" and "“proszę”" in dialog.lang_hint.text()
    assert dialog.value().letter_lang == "pl"
    dialog.letter_lang.setFocus()
    qtbot.keyClick(dialog.letter_lang, Qt.Key.Key_Up)  # the DPO picks another: it stays, whatever is typed
    picked = dialog.letter_lang.currentData()
    assert picked != "pl"
    dialog.text.insertPlainText(" Hyvä, pyydän tietoni.")
    assert dialog.letter_lang.currentData() == picked and dialog.value().letter_lang == picked


def test_deadline_settings_saved_by_a_worker_desk_show_in_the_window(
    window: MainWindow, desk: Desk, repo: CaseRepository, monkeypatch: pytest.MonkeyPatch
) -> None:
    case_id = repo.add(new_case(), actor="d", now=NOW)
    before = repo.get_by_id(case_id).deadlines.target
    asked: dict[str, str] = {}

    def answer(title: str, fields: object, form: object, validate: object, parent: object, **options: Any) -> object:
        asked["title"] = title
        return dict(options["preset"]) | {"target_days": 10}  # the form as shown, one field changed

    monkeypatch.setattr(FieldsDialog, "ask", staticmethod(answer))
    window.edit_deadline_settings()
    assert asked["title"] == "Deadline settings"
    assert desk.settings.get(TARGET_DAYS) == 10 and repo.get_by_id(case_id).deadlines.target != before
    assert "due dates changed" in window.statusBar().currentMessage()


class _WrappingPage(QWidget):
    """A tab of word-wrapped text, as most of the case's tabs are, counting each time a layout asks its height
    for a width (the text laid out again)."""

    def __init__(self) -> None:
        super().__init__()
        self.asked = 0
        text = QLabel("Art. 19 notices to every recipient of the data, then the subject told who they are. " * 8)
        text.setWordWrap(True)
        QVBoxLayout(self).addWidget(text)

    def heightForWidth(self, width: int) -> int:
        self.asked += 1
        return super().heightForWidth(width)


def test_a_case_shown_lays_out_the_tab_shown_and_not_the_hidden_ones(
    qtbot: QtBot, window: MainWindow, repo: CaseRepository
) -> None:
    hidden = _WrappingPage()
    window.case_view.page.tabs.addTab(hidden, "Wrapping")
    window.navigation.setCurrentRow(CASES_PAGE)
    qtbot.waitExposed(window)

    def show(text: str) -> None:
        case_id = repo.add(new_case(text=text), actor="dpo", now=NOW)
        window.model.refresh()
        window.select_case(case_id)
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        window.case_view.repaint()

    show("The first case shown: the page is shown and laid out for the first time.")
    asked_at_first_show = hidden.asked
    for text in ("Another case.", "A case with a longer request text, " * 20, "And one more."):
        show(text)
    assert window.case_view.page.tabs.currentWidget() is not hidden and window.case_view.isVisible()
    assert hidden.asked == asked_at_first_show  # before: each case shown laid it out again, twice or more
    window.case_view.page.tabs.setCurrentWidget(hidden)  # shown, it is laid out to the pane's width
    QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
    assert hidden.isVisible() and hidden.width() > window.case_view.width() // 2


def test_acknowledge_selected_is_disabled_with_the_reason_until_cases_are_selected(
    window: MainWindow, repo: CaseRepository
) -> None:
    """It was enabled with nothing selected and only said so in the status bar once clicked (a helper's review)."""
    case_id = repo.add(new_case(), actor="d", now=NOW)
    window.model.refresh()
    window.navigation.setCurrentRow(CASES_PAGE)
    window.table.clearSelection()
    assert not window.acknowledge_action.isEnabled()
    assert window.acknowledge_action.toolTip() == "Select the cases to acknowledge first"
    window.select_case(case_id)
    assert window.acknowledge_action.isEnabled()
    assert window.acknowledge_action.toolTip() == "Write the acknowledgement letter of every selected case"


def test_refresh_keeps_the_case_shown_selected_in_the_list(window: MainWindow, repo: CaseRepository) -> None:
    """Refresh dropped the list's selection while the pane kept the case: the two no longer agreed."""
    first = repo.add(new_case(name="First Person"), actor="dpo", now=NOW)
    second = repo.add(new_case(name="Second Person"), actor="dpo", now=NOW)
    window.navigation.setCurrentRow(CASES_PAGE)
    window.model.refresh()
    window.select_case(second)
    repo.add_note(second, "called back", author="dpo", now=NOW)  # a change the pane shows once read again
    window.refresh_action.trigger()
    rows = window.table.selectionModel().selectedRows()
    assert [window.model.case_id(index.row()) for index in rows] == [second] != [first]
    assert window.case_view.case is not None and window.case_view.case.id == second


def test_new_case_keeps_its_buttons_on_the_screen_with_every_line_below_the_form(
    qtbot: QtBot, repo: CaseRepository, window: MainWindow
) -> None:
    """On a laptop's 768 pixels, a mail's lines and a repeat warning pushed Create case below the screen."""
    many = [
        EarlierCase(CaseSummary(n, f"DSR-2026-{n:04d}", "Kari Nordmann", (Right.ACCESS,), "Altoros A.S.",
                                NOW.date(), NOW.date(), Status.CLOSED), "name")
        for n in range(1, 13)
    ]  # fmt: skip
    dialog = NewCaseDialog(repo.register.entities(), lambda: NOW, lambda subject, country: ([], many), window)
    qtbot.addWidget(dialog)
    dialog.mail_info.setText("<br>".join(f"A line about the e-mail, number {n}" for n in range(8)))
    dialog.mail_info.show()
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.name, "Kari Nordmann")  # the namesakes' warning, and a problem line, below the form
    # Up and down only: offscreen, the window (1,266 wide at least) is wider than the 800 of its screen.
    screen = dialog.screen().availableGeometry()
    frame = dialog.frameGeometry()
    ok = dialog.ok.mapToGlobal(dialog.ok.rect().bottomLeft())
    assert dialog.earlier.text() and screen.top() <= frame.top() and frame.bottom() <= screen.bottom(), frame
    assert ok.y() <= screen.bottom()
