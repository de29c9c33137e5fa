"""The Data tab, driven offscreen: import with review, the rows taken and only those, exports with reasons."""

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox
from sqlite_utils import Database

from dpo_desk.application.desk import Desk
from dpo_desk.core.identity import Evidence, IdentityCheck, Method, Outcome
from dpo_desk.core.models import Right
from dpo_desk.gui.data_tab import ImportDialog
from dpo_desk.gui.letters_tab import PasswordDialog
from dpo_desk.gui.main_window import MainWindow
from tests.conftest import NOW, fill_sheets, new_case

CRM = (
    "Email;Company;Notes\r\n"
    "kari.nordmann@example.no;Øst AS;the subject\r\n"
    "per@example.no;Hansen AS;OTHERPERSON\r\n"
    "kari.private@example.org;Øst AS;the subject's other address\r\n"
)


@pytest.fixture
def case_id(window: MainWindow, desk: Desk) -> int:
    received = NOW - timedelta(days=3)
    new = new_case(name="Kari Nordmann", emails=("kari.nordmann@example.no",), received=received,
                   rights=(Right.ACCESS, Right.PORTABILITY))  # fmt: skip
    case_id = desk.cases.add(new, actor="d", now=NOW)
    for evidence, method in ((Evidence.PASSPORT, Method.VIDEO_CALL), (Evidence.ACCOUNT_LOGIN, Method.ACCOUNT_LOGIN)):
        check = IdentityCheck(evidence, method, "d", received + timedelta(hours=1), Outcome.PASSED)
        desk.workflow.record_check(case_id, check, actor="d", now=NOW)
    desk.outcomes.set_sources(case_id, ["web-forms"], actor="d", now=NOW)
    outcome = {"conditions_met": True, "done_on": NOW.date().isoformat()}
    desk.outcomes.record_outcome(case_id, "portability", outcome, actor="d", now=NOW)
    fill_sheets(desk, tuple(sheet.key for sheet in desk.processors.sheets()))
    window.model.refresh()
    window.select_case(case_id)
    return case_id


@pytest.fixture
def crm(tmp_path: Path) -> Path:
    path = tmp_path / "crm.csv"
    path.write_bytes(CRM.encode("cp1252"))
    return path


def choose_file(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args, **kwargs: (str(path), ""))


def review_with(monkeypatch: pytest.MonkeyPatch, *steps: Callable[[ImportDialog], int]) -> list[ImportDialog]:
    """Each time the import dialog opens, the next step plays the DPO's part and says how it closed."""
    shown: list[ImportDialog] = []
    remaining = list(steps)

    def exec_(dialog: ImportDialog) -> int:
        shown.append(dialog)
        return remaining.pop(0)(dialog)

    monkeypatch.setattr(ImportDialog, "exec", exec_)
    return shown


def test_without_data_the_exports_are_disabled_with_the_reason(window: MainWindow, case_id: int) -> None:
    tab = window.case_view.page.data_tab
    assert tab.import_button.isEnabled()
    assert not tab.access_button.isEnabled()
    assert tab.access_button.toolTip().startswith("No data of the subject has been imported and accepted")
    assert (
        not tab.bundle_button.isEnabled() and "no portable data of the subject" in tab.bundle_button.toolTip().lower()
    )
    assert not tab.accept_button.isEnabled() and not tab.drop_button.isEnabled()


def test_only_the_rows_the_dpo_checks_are_kept(
    window: MainWindow, desk: Desk, db: Database, case_id: int, crm: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def take_the_other_address_too(dialog: ImportDialog) -> int:
        assert dialog.detected.text().startswith("<b>CSV, cp1252, ';'</b>: 3 records; 1 matched the subject")
        assert [dialog.rows.item(row, 2).text() for row in range(3)] == ["e-mail in Email", "nothing", "nothing"]
        assert dialog.checked() == [0]  # matched rows are checked to begin with
        dialog._takes[2].setCheckState(Qt.CheckState.Checked)
        dialog.source.setCurrentText("Web forms")
        assert dialog.portable.isChecked()  # the register says web forms hold provided data
        return QDialog.DialogCode.Accepted

    shown = review_with(monkeypatch, take_the_other_address_too)
    choose_file(monkeypatch, crm)
    tab = window.case_view.page.data_tab
    tab.import_button.click()
    assert len(shown) == 1
    assert tab.records.rowCount() == 2
    assert [tab.records.item(row, 2).text() for row in range(2)] == ["e-mail in Email", "taken by hand"]
    assert tab.summary.text() == "1 file(s) imported, 2 record(s) accepted, 0 waiting for review."
    text = "\n".join(str(row) for row in db.execute("SELECT * FROM data_records"))
    assert "OTHERPERSON" not in text and "other address" in text
    assert tab.access_button.isEnabled() and tab.bundle_button.isEnabled()


def test_the_dpo_can_read_the_file_again_in_another_encoding(
    window: MainWindow, desk: Desk, case_id: int, crm: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def as_polish(dialog: ImportDialog) -> int:
        dialog.encoding.setCurrentText("cp1250")
        dialog.read_again_button.click()
        return QDialog.DialogCode.Rejected

    def take(dialog: ImportDialog) -> int:
        assert dialog.detected.text().startswith("<b>CSV, cp1250, ';'</b>")
        assert not dialog.take_button.isEnabled()  # no silent default source
        dialog.source.setCurrentText("Web forms")
        assert dialog.take_button.isEnabled()
        return QDialog.DialogCode.Accepted

    shown = review_with(monkeypatch, as_polish, take)
    choose_file(monkeypatch, crm)
    window.case_view.page.data_tab.import_button.click()
    assert len(shown) == 2
    assert desk.data.store.imports(case_id)[0].encoding == "cp1250"


def test_a_cancelled_import_keeps_nothing(
    window: MainWindow, desk: Desk, case_id: int, crm: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    review_with(monkeypatch, lambda dialog: QDialog.DialogCode.Rejected)
    choose_file(monkeypatch, crm)
    window.case_view.page.data_tab.import_button.click()
    assert desk.data.store.imports(case_id) == []


def test_review_then_the_access_copy_and_the_bundle(
    window: MainWindow, desk: Desk, case_id: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    crm = tmp_path / "crm.csv"
    crm.write_text("First;Last;Email\nKari;Nordmann;kari.nordmann@example.no\nKari;Nordmann;k@elsewhere.example\n")
    preview = desk.data.preview(case_id, crm)
    desk.data.take(case_id, preview, desk.data.source("web-forms"), accept_matched=True)  # the hint waits
    window.case_view.show_case(case_id)  # as after any change to the case
    tab = window.case_view.page.data_tab
    assert tab.summary.text().endswith("1 waiting for review.")
    assert "1 record(s) wait for review" in tab.access_button.toolTip()
    tab.records.selectRow(1)
    assert tab.drop_button.isEnabled()
    monkeypatch.setattr(QMessageBox, "question", lambda *args, **kwargs: QMessageBox.StandardButton.Yes)
    tab.drop_button.click()
    assert tab.records.rowCount() == 1 and tab.access_button.isEnabled()
    passwords: list[str] = []
    monkeypatch.setattr(
        PasswordDialog, "show_password", classmethod(lambda cls, p, k, parent=None: passwords.append(p))
    )
    access = tmp_path / "access.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(access), ""))
    tab.access_button.click()
    assert access.exists() and len(passwords) == 1
    bundle = tmp_path / "bundle.zip"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(bundle), ""))
    said: list[str] = []
    tab.changed.connect(said.append)
    tab.bundle_button.click()
    assert bundle.exists() and said == [f"portability bundle written to {bundle}"]  # the folder too
    assert [tab.exports.item(row, 0).text() for row in range(tab.exports.rowCount())] == ["access", "portability"]


def test_a_failed_export_says_why_in_one_line(
    window: MainWindow, desk: Desk, case_id: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    crm = tmp_path / "crm.csv"
    crm.write_text("Email\nkari.nordmann@example.no\n")
    desk.data.take(case_id, desk.data.preview(case_id, crm), desk.data.source("web-forms"), accept_matched=True)
    window.case_view.show_case(case_id)
    taken = tmp_path / "taken.zip"
    taken.write_bytes(b"the DPO's own file")
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: warnings.append(text))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(taken), ""))
    window.case_view.page.data_tab.bundle_button.click()
    assert len(warnings) == 1 and "already exists; an export never overwrites a file" in warnings[0]
    assert taken.read_bytes() == b"the DPO's own file"


def test_an_access_copy_shows_n_of_n_and_cancel_stops_it_mid_layout(
    window: MainWindow, desk: Desk, case_id: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    crm = tmp_path / "crm.csv"
    # Six fields make a record a block of its own: 100 of them are three parts of at most 40 records.
    rows = "".join(f"kari.nordmann@example.no;visit {n};a;b;c;d\n" for n in range(100))
    crm.write_text("Email;Page;A;B;C;D\n" + rows)
    desk.data.take(case_id, desk.data.preview(case_id, crm), desk.data.source("web-forms"), accept_matched=True)
    window.case_view.show_case(case_id)
    tab = window.case_view.page.data_tab
    reports: list[tuple[int, int, str]] = []

    def shown(dialog: object, done: int, total: int, text: str) -> None:
        reports.append((done, total, text))
        if text.startswith("Laying out part 3"):
            assert tab.task is not None
            tab.task.cancel()

    monkeypatch.setattr("dpo_desk.gui.data_tab.show_progress", shown)
    access = tmp_path / "out" / "access.pdf"
    access.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(access), ""))
    statuses: list[str] = []
    tab.changed.connect(statuses.append)
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: warnings.append(text))
    monkeypatch.setattr(PasswordDialog, "show_password", classmethod(lambda cls, *args: None))
    tab.access_button.click()
    assert warnings == []
    layout = [report for report in reports if report[2].startswith("Laying out")]
    assert [(done, total) for done, total, _ in layout] == [(0, 4), (1, 4), (2, 4)]
    assert statuses == ["cancelled; nothing was kept"]
    assert list(access.parent.iterdir()) == []  # no copy, no hidden partial
    assert desk.letters.letters(case_id) == [] and desk.data.store.exports(case_id) == []
