"""The Processors view: search, edit a sheet (the stale flag goes), duplicates, printing to PDF."""

import subprocess
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QLabel, QMessageBox
from pytestqt.qtbot import QtBot

from dpo_desk.application.desk import Desk
from dpo_desk.gui import processors_view
from dpo_desk.gui.fields_dialog import FieldsDialog
from dpo_desk.gui.main_window import MainWindow
from tests.conftest import NOW, assert_keyed_apart
from tests.gui.conftest import open_page


def row_of(view: processors_view.ProcessorsView, service: str) -> int:
    for row in range(view.table.rowCount()):
        if view.table.item(row, 0).text() == service:
            return row
    raise AssertionError(service)


def test_search_filters_the_list(window: MainWindow) -> None:
    view = open_page(window, window.processors_page)
    window.navigation.setCurrentRow(2)
    view.search.setText("google ireland")
    shown = [view.table.item(r, 0).text() for r in range(view.table.rowCount()) if not view.table.isRowHidden(r)]
    assert "Google Analytics" in shown and "Hotjar" not in shown
    assert view.count.text().startswith(f"{len(shown)} of 47 sheets")


def test_editing_a_sheet_clears_its_stale_flag(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch, desk: Desk
) -> None:
    view = open_page(window, window.processors_page)
    row = row_of(view, "Hotjar")
    assert view.table.item(row, 8).text() == "not reviewed yet"  # as seeded: not flagged as overdue
    drift = desk.processors.sheet("drift")
    desk.save_processor(replace(drift, last_reviewed=NOW.date() - timedelta(days=400)))
    view.refresh()
    assert view.table.item(row_of(view, "Drift"), 8).text() == processors_view.STALE
    assert view.count.text().endswith("· 1 due for review · 46 not reviewed yet")

    def ask(cls, title, fields, form, validate, parent=None, **options):
        dialog = cls(title, fields, form, validate, parent, **options)
        qtbot.addWidget(dialog)
        assert_keyed_apart(fields)  # "&Category" and "Data &categories", "&Postal address" and "&Procedure"
        dialog.inputs["country"].setText("mt-x")
        assert "Country: 'MT-X' is not an ISO 3166 country code" in dialog.problem.text()  # by its label
        dialog.inputs["country"].setText("se")
        dialog.inputs["privacy_email"].setText("privacy@hotjar.com")
        dialog.inputs["last_reviewed"].given.setChecked(True)  # reviewed today, the date it offers
        assert dialog.ok.isEnabled()
        return dialog.values()

    monkeypatch.setattr(FieldsDialog, "ask", classmethod(ask))
    view.table.selectRow(row)
    view.edit_button.click()
    row = row_of(view, "Hotjar")
    assert view.table.item(row, 8).text() == "ok"
    assert view.table.item(row, 4).text() == "SE"
    assert view.table.item(row, 6).text() == "e-mail"
    sheet = desk.processors.sheet("hotjar")
    assert sheet.last_reviewed == NOW.date() and sheet.privacy_email == "privacy@hotjar.com"


def test_adding_a_likely_duplicate_asks_first(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    def ask(cls, title, fields, form, validate, parent=None, **options):
        dialog = cls(title, fields, form, validate, parent, **options)
        qtbot.addWidget(dialog)
        for name, value in (
            ("key", "google-forms"),
            ("service", "Google Forms"),
            ("legal_entity", "Google Ireland Limited"),
            ("category", "forms"),
        ):
            dialog.inputs[name].setText(value)
        return dialog.values()

    questions: list[str] = []
    monkeypatch.setattr(FieldsDialog, "ask", classmethod(ask))
    monkeypatch.setattr(
        QMessageBox, "question", lambda parent, title, text: questions.append(text) or QMessageBox.StandardButton.No
    )
    open_page(window, window.processors_page)
    window.processors_view.new_button.click()
    assert "same legal entity (Google Ireland Limited)" in questions[0]
    assert window.processors_view.table.rowCount() == 47  # not added


@pytest.mark.parametrize("booklet", [False, True], ids=["one sheet", "booklet"])
def test_printing_to_pdf(
    window: MainWindow, desk: Desk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, booklet: bool
) -> None:
    target = tmp_path / "sheets.pdf"
    monkeypatch.setattr(processors_view, "ask_pdf_path", lambda parent, suggested: target)
    view = open_page(window, window.processors_page)
    view.table.selectRow(row_of(view, "Drift"))
    printed: list[str] = []
    view.printed.connect(printed.append)
    (view.booklet_button if booklet else view.print_button).click()
    assert printed and printed[0].startswith("sheets.pdf: ")
    text = subprocess.run(["pdftotext", "-layout", str(target), "-"], capture_output=True, text=True, check=True).stdout
    assert "Drift" in text and "Drift.com, Inc." in text and "Chatbot" in text
    assert "not reviewed yet" in text and "review due" not in text  # as seeded: never reviewed, not overdue
    pages = int(
        next(
            line.split()[-1]
            for line in subprocess.run(
                ["pdfinfo", str(target)], capture_output=True, text=True, check=True
            ).stdout.splitlines()
            if line.startswith("Pages:")
        )
    )
    assert (pages >= 49) if booklet else (pages <= 2)  # a front page and contents, then a sheet a page or two
    drift = desk.processors.sheet("drift")
    assert drift.sources_cited["privacy_policy_url"].url in text.replace("\n", "")  # its sources, listed
    assert "not found in the published documents read:" in text  # what no document gave
    assert f"Page 1 of {pages}" in text


def test_a_source_is_added_in_the_register_view(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    def ask(cls, title, fields, form, validate, parent=None, **options):
        dialog = cls(title, fields, form, validate, parent, **options)
        qtbot.addWidget(dialog)
        dialog.inputs["key"].setText("webinars")
        dialog.inputs["name"].setText("Webinar attendees")
        assert dialog.problem.text().startswith("Data categories: give at least one")
        dialog.inputs["data_categories"].setText("name, e-mail")
        dialog.inputs["purposes"].setText("running the webinar")
        dialog.inputs["legal_bases"].setText("Art. 6(1)(b) contract")
        dialog.inputs["retention"].setText("6 years")
        assert dialog.ok.isEnabled(), dialog.problem.text()
        return dialog.values()

    monkeypatch.setattr(FieldsDialog, "ask", classmethod(ask))
    open_page(window, window.register_page)
    window.register_view.add_source_button.click()
    assert window.register_view.sources.rowCount() == 7
    assert window.register_view.sources.item(6, 0).text() == "Webinar attendees"


def test_import_previews_then_applies_only_when_confirmed(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, desk: Desk
) -> None:
    view = open_page(window, window.processors_page)
    assert view.import_button.isVisibleTo(view) and view.export_button.isVisibleTo(view)  # they were never laid out
    exported = tmp_path / "sheets.json"
    monkeypatch.setattr(processors_view, "ask_sheets_path", lambda parent, saving: exported)
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda *args: told.append(args[2]))
    view.export_button.click()
    assert told[0].endswith(f"sheets written to {exported} (JSON).")  # with its folder, not only the name
    exported.write_text(exported.read_text().replace('"Hotjar Ltd."', '"Hotjar Limited"'))
    answers = iter([False, True])
    seen: list[str] = []

    def confirm(parent, preview):
        seen.append(preview.summary())
        return next(answers)

    monkeypatch.setattr(processors_view, "confirm_import", confirm)
    view.import_button.click()  # declined: nothing changes
    assert desk.processors.sheet("hotjar").legal_entity == "Hotjar Ltd."
    view.import_button.click()  # confirmed
    assert seen == ["0 added, 1 changed, 46 unchanged"] * 2
    assert desk.processors.sheet("hotjar").legal_entity == "Hotjar Limited"


def test_an_entity_gets_its_street_in_the_register_view(
    qtbot: QtBot, window: MainWindow, desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dpo_desk.application.entity_fields import ENTITY_FIELDS
    from tests.conftest import assert_keyed_apart

    assert_keyed_apart(ENTITY_FIELDS)
    view = open_page(window, window.register_page)
    row = next(r for r in range(view.entities.rowCount()) if view.entities.item(r, 0).text() == "Altoros Poland")
    view.entities.selectRow(row)

    def ask(cls, title, fields, form, validate, parent=None, **options):
        dialog = cls(title, fields, form, validate, parent, **options)
        qtbot.addWidget(dialog)
        assert dialog.inputs["city"].text() == "Minsk" and dialog.inputs["address_to_replace"].isChecked()
        dialog.inputs["street"].setText("ul. Testowa 1")
        dialog.inputs["postal_code"].setText("00-001")
        dialog.inputs["city"].setText("Warszawa")
        dialog.inputs["address_country"].setText("Poland")
        return dialog.values()

    monkeypatch.setattr(FieldsDialog, "ask", classmethod(ask))
    monkeypatch.setattr(QMessageBox, "information", lambda *args: pytest.fail(f"still blocked: {args[2]}"))
    view.edit_entity_button.click()
    poland = desk.register.entity("Altoros Poland")
    assert poland.address.city == "Warszawa" and not poland.address_to_replace
    assert poland.letterhead_problems() == []
    assert desk.audit.latest(1)[0].action == "entity-saved"


def test_the_editor_shows_each_citation_and_an_edited_field_loses_its_own(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch, desk: Desk
) -> None:
    before = desk.processors.sheet("hotjar")
    cited = before.sources_cited["privacy_email"]
    searched = before.not_published["postal_address"]

    def ask(cls, title, fields, form, validate, parent=None, **options):
        dialog = cls(title, fields, form, validate, parent, **options)
        qtbot.addWidget(dialog)
        notes = {label.text() for label in dialog.findChildren(QLabel)}
        assert any(cited.url in note and "read 1 Dec 2026" in note for note in notes)
        assert any(searched in note and note.startswith("Not found in the published documents read") for note in notes)
        dialog.inputs["privacy_email"].setText("dpo@hotjar.example")
        dialog.inputs["postal_address"].setPlainText("Hotjar Ltd\nSt Julian's\nMalta")
        assert dialog.ok.isEnabled(), dialog.problem.text()  # neither the old citation nor the mark is in the way
        return dialog.values()

    monkeypatch.setattr(FieldsDialog, "ask", classmethod(ask))
    view = open_page(window, window.processors_page)
    view.table.selectRow(row_of(view, "Hotjar"))
    view.edit_button.click()
    after = desk.processors.sheet("hotjar")
    assert after.privacy_email == "dpo@hotjar.example" and "privacy_email" not in after.sources_cited
    assert "postal_address" not in after.not_published
    assert after.sources_cited["dpa_url"] == before.sources_cited["dpa_url"]  # the fields not edited keep theirs


def test_a_note_under_a_field_reads_as_written_with_its_apostrophes(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch, desk: Desk
) -> None:
    """A note without a link was taken for plain text, and its escaped apostrophes read "Google&#x27;s"."""
    searched = desk.processors.sheet("google-analytics").not_published["privacy_email"]
    assert "Google's" in searched
    shown: list[str] = []

    def ask(cls, title, fields, form, validate, parent=None, **options):
        dialog = cls(title, fields, form, validate, parent, **options)
        qtbot.addWidget(dialog)
        for label in dialog.findChildren(QLabel):
            if label.text().startswith("Not found in the published documents read"):
                rendered = QTextDocument()
                if label.textFormat() is Qt.TextFormat.RichText:
                    rendered.setHtml(label.text())
                else:
                    rendered.setPlainText(label.text())
                shown.append(rendered.toPlainText())
        return None

    monkeypatch.setattr(FieldsDialog, "ask", classmethod(ask))
    view = open_page(window, window.processors_page)
    view.table.selectRow(row_of(view, "Google Analytics"))
    view.edit_button.click()
    assert f"Not found in the published documents read: {searched}" in shown
    assert not any("&#x27;" in text for text in shown)
