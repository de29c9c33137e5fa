"""The Register's entities: a new calendar or time zone is chosen from the supported ones, and saved only
once the DPO confirmed the due dates it moves."""

from datetime import UTC, date, datetime

import pytest
from PySide6.QtWidgets import QComboBox, QMessageBox
from pytestqt.qtbot import QtBot

from dpo_desk.application.desk import Desk
from dpo_desk.gui.case_table import DUE, ENTITY
from dpo_desk.gui.fields_dialog import FieldsDialog
from dpo_desk.gui.main_window import MainWindow
from dpo_desk.gui.register_view import RegisterView
from tests.conftest import new_case
from tests.gui.conftest import open_page

AMERICAS = "Altoros Americas LLC"


def americas_selected(window: MainWindow, desk: Desk, received: datetime) -> tuple[int, RegisterView]:
    """A case of Altoros Americas shown, and the entity selected on the Register page."""
    case_id = desk.add_case(new_case(entity=AMERICAS, received=received))
    window.model.refresh()
    window.select_case(case_id)
    view = open_page(window, window.register_page)
    view.entities.selectRow(
        next(r for r in range(view.entities.rowCount()) if view.entities.item(r, 0).text() == AMERICAS)
    )
    return case_id, view


def test_a_new_calendar_is_saved_only_once_its_moved_due_dates_are_confirmed(
    qtbot: QtBot, window: MainWindow, desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    case_id, view = americas_selected(window, desk, datetime(2026, 4, 14, 15, tzinfo=UTC))
    assert window.model.index(0, DUE).data() == "2026-05-14"

    def ask(cls, title, fields, form, validate, parent=None, **options):
        dialog = cls(title, fields, form, validate, parent, **options)
        qtbot.addWidget(dialog)
        calendar, zone = dialog.inputs["calendar"], dialog.inputs["time_zone"]
        assert isinstance(calendar, QComboBox) and isinstance(zone, QComboBox)
        assert [calendar.itemText(i) for i in range(calendar.count())] == [
            "Norway (NO)", "Finland (FI)", "Poland (PL)", "None (weekends only)",
        ]  # fmt: skip
        assert calendar.currentData() == "none" and zone.currentData() == "America/New_York"
        assert zone.findData("Europe/Oslo") >= 0 and zone.findData("localtime") == -1
        calendar.setCurrentIndex(calendar.findData("NO"))
        assert dialog.ok.isEnabled(), dialog.problem.text()
        return dialog.values()

    questions: list[str] = []
    answers = iter([QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes])
    monkeypatch.setattr(FieldsDialog, "ask", classmethod(ask))
    monkeypatch.setattr(QMessageBox, "question", lambda parent, title, text: questions.append(text) or next(answers))
    monkeypatch.setattr(QMessageBox, "information", lambda *args: None)  # its letterhead still lacks a street

    view.edit_entity_button.click()  # declined: nothing is saved
    assert desk.register.entity(AMERICAS).calendar == "none"
    assert desk.cases.get_by_id(case_id).deadlines.due == date(2026, 5, 14)
    view.edit_entity_button.click()  # confirmed
    assert len(questions) == 2 and "1 open case(s) of Altoros Americas LLC get a different due date" in questions[0]
    assert "Thu 14 May 2026 → Fri 15 May 2026" in questions[0]
    assert desk.register.entity(AMERICAS).calendar == "NO"
    assert window.model.index(0, DUE).data() == "2026-05-15"  # the case list is read again
    assert "Ascension Day (NO public holiday)" in window.case_view.page.deadline_tab.why.text()
    assert window.statusBar().currentMessage() == "Altoros Americas LLC saved; the dates of 1 open case(s) moved"


def test_a_new_entity_is_added_once_its_name_country_calendar_and_zone_are_given(
    qtbot: QtBot, window: MainWindow, desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dpo_desk.application.entity_fields import NEW_ENTITY_FIELDS
    from tests.conftest import assert_keyed_apart

    assert_keyed_apart(NEW_ENTITY_FIELDS)
    view = open_page(window, window.register_page)

    def ask(cls, title, fields, form, validate, parent=None, **options):
        dialog = cls(title, fields, form, validate, parent, **options)
        qtbot.addWidget(dialog)
        assert not dialog.ok.isEnabled() and dialog.problem.text() == "Name: missing"
        dialog.inputs["name"].setText("Nordlys Data AS")
        assert dialog.problem.text() == "Country: missing"
        country = dialog.inputs["country"]
        country.setCurrentIndex(country.findText("Norway (NO)"))
        assert dialog.problem.text() == "Calendar: missing"
        calendar = dialog.inputs["calendar"]
        calendar.setCurrentIndex(calendar.findText("Norway (NO)"))
        assert dialog.problem.text() == "Time zone: missing" and not dialog.ok.isEnabled()
        zone = dialog.inputs["time_zone"]
        zone.setCurrentIndex(zone.findData("Europe/Oslo"))
        dialog.inputs["street"].setText("Storgata 1")
        assert dialog.ok.isEnabled(), dialog.problem.text()
        return dialog.values()

    shown: list[str] = []
    monkeypatch.setattr(FieldsDialog, "ask", classmethod(ask))
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: pytest.fail(f"refused: {args[2]}"))
    monkeypatch.setattr(QMessageBox, "information", lambda *args: shown.append(args[2]))
    view.new_entity_button.click()
    added = desk.register.entity("Nordlys Data AS")
    assert (added.country, added.calendar, added.time_zone, added.address.street) == (
        "NO", "NO", "Europe/Oslo", "Storgata 1",
    )  # fmt: skip
    assert view.entities.rowCount() == 6 and view.tabText(0) == "Entities (6)"
    assert window.filters.entity.findData(added.id) > 0  # the case list can show its cases alone
    assert shown == ["Nordlys Data AS: Postal code and City are missing; give them in the Register first"]


def test_a_renamed_entity_is_named_so_in_the_list_and_stays_selected_on_its_page(
    qtbot: QtBot, window: MainWindow, desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a rename, the list's Entity column kept the old name until it was read again for another
    reason, and the Register page lost the row: Edit then asked to select an entity."""
    case_id, view = americas_selected(window, desk, datetime(2026, 11, 2, 15, tzinfo=UTC))

    def rename(cls, title, fields, form, validate, parent=None, **options):
        dialog = cls(title, fields, form, validate, parent, **options)
        qtbot.addWidget(dialog)
        dialog.inputs["name"].setText("Altoros Americas Inc.")
        assert dialog.ok.isEnabled(), dialog.problem.text()
        return dialog.values()

    monkeypatch.setattr(FieldsDialog, "ask", classmethod(rename))
    monkeypatch.setattr(QMessageBox, "information", lambda *args: None)  # its letterhead still lacks a street
    view.edit_entity_button.click()
    assert window.model.index(window.model.row_of(case_id), ENTITY).data() == "Altoros Americas Inc."
    assert window.case_view.case.entity.name == "Altoros Americas Inc."
    rows = view.entities.selectionModel().selectedRows()
    assert [view.entities.item(index.row(), 0).text() for index in rows] == ["Altoros Americas Inc."]
