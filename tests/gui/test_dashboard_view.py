"""The dashboard, driven offscreen: a count clicked lists exactly its cases, and the filter bar says which."""

import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from dpo_desk.application.demo import populate
from dpo_desk.application.desk import Desk
from dpo_desk.core.models import CaseQuery, Right, Scope
from dpo_desk.gui.dashboard_view import fitted_labels
from dpo_desk.gui.main_window import CASES_PAGE, DASHBOARD_PAGE, MainWindow
from dpo_desk.gui.report_dialog import YearlyReportDialog
from tests.conftest import NOW
from tests.gui.held import HeldRunner


def listed(window: MainWindow) -> set[int]:
    return {window.model.case_id(row) for row in range(window.model.rowCount())}


def test_the_window_opens_on_the_dashboard_and_a_count_opens_its_cases(
    qtbot: QtBot, desk: Desk, window: MainWindow
) -> None:
    populate(desk, cases=150, seed=11)
    window.model.refresh()  # as after any change: the dashboard counts again
    assert window.pages.currentIndex() == DASHBOARD_PAGE
    counts = desk.dashboard.counts(NOW.date())
    overdue = window.dashboard.figures[Scope.OVERDUE]
    assert (overdue.number.text(), overdue.caption.text()) == (str(counts[Scope.OVERDUE]), "Overdue")
    assert counts[Scope.OVERDUE] > 0
    qtbot.mouseClick(overdue, Qt.MouseButton.LeftButton)
    assert window.pages.currentIndex() == CASES_PAGE
    assert window.filters.scope.currentText() == "Overdue"
    assert listed(window) == set(desk.cases.find_ids(CaseQuery(scope=Scope.OVERDUE), today=NOW.date()))
    assert window.model.rowCount() == counts[Scope.OVERDUE]
    window.filters.all_cases.click()
    assert window.model.rowCount() == desk.cases.count() == 150


def test_a_bar_clicked_lists_its_month_and_the_filter_bar_shows_it(
    qtbot: QtBot, desk: Desk, window: MainWindow
) -> None:
    populate(desk, cases=150, seed=11)
    window.model.refresh()
    window.resize(1300, 760)
    window.show()
    qtbot.waitExposed(window)
    chart = window.dashboard.months
    latest = desk.dashboard.months(NOW.date())[-1]
    column = chart.width() / 12
    bottom = chart.height() - chart.LABEL_HEIGHT - 1  # inside the lowest segment of the last bar
    qtbot.mouseClick(chart, Qt.MouseButton.LeftButton, pos=QPoint(int(column * 11.5), int(bottom)))
    assert window.pages.currentIndex() == CASES_PAGE
    assert window.filters.period.isVisible()
    assert window.filters.period.text().startswith(f"Received in Nov {NOW.year}")
    first_right = next(iter(latest.by_right))
    assert listed(window) == set(desk.cases.find_ids(latest.query(first_right), today=NOW.date()))
    window.filters.period.click()  # clears the period: the right stays chosen
    assert not window.filters.period.isVisible()
    window.navigation.setCurrentRow(DASHBOARD_PAGE)
    chart.setFocus()
    qtbot.keyClick(chart, Qt.Key.Key_Left)  # from the latest to the month before, then Enter
    qtbot.keyClick(chart, Qt.Key.Key_Return)
    before = desk.dashboard.months(NOW.date())[-2]
    assert listed(window) == set(desk.cases.find_ids(before.query(), today=NOW.date()))


def test_without_a_tray_the_reminder_is_a_banner_that_opens_its_cases(
    qtbot: QtBot, desk: Desk, window: MainWindow
) -> None:
    populate(desk, cases=150, seed=11)
    window.reminders.check()  # offscreen there is no system tray
    reminder = window.reminders.last
    assert reminder is not None and reminder.due > 0
    assert not window.reminder_banner.isHidden()
    assert window.reminder_banner.text.text() == f"Reminder: {reminder}."
    window.reminder_banner.due_button.click()
    assert window.pages.currentIndex() == CASES_PAGE and window.reminder_banner.isHidden()
    assert window.filters.period.text().startswith("Overdue or due within 3 working days")
    assert listed(window) == set(desk.cases.find_ids(reminder.due_query, today=NOW.date()))


def test_the_reports_menu_writes_the_yearly_report_and_the_calendar(
    desk: Desk, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    populate(desk, cases=40, seed=5)
    report = tmp_path / "requests.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(report), ""))
    dialog = YearlyReportDialog(desk, window)
    assert dialog.focusWidget() in (None, dialog.year)  # opens on the year
    dialog.year.setValue(NOW.year)
    dialog.accept()
    text = subprocess.run(["pdftotext", str(report), "-"], capture_output=True, text=True, check=True).stdout
    assert f"Data-subject requests {NOW.year}: all entities" in text
    ics = tmp_path / "deadlines.ics"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(ics), ""))
    window.calendar_action.trigger()
    assert ics.read_bytes().startswith(b"BEGIN:VCALENDAR")
    assert window.statusBar().currentMessage() == f"Deadlines calendar written to {ics}"  # with its folder


def test_the_dashboard_reads_its_figures_aside_and_shows_none_after_the_lock(
    qtbot: QtBot, desk: Desk, settings: QSettings
) -> None:
    """At 100,000 cases the dashboard's figures held the window's start for seconds: they are read in a worker
    thread, and figures arriving after the window locked (or after a newer refresh) are not shown."""
    populate(desk, cases=40, seed=11)
    held = HeldRunner()
    window = MainWindow(desk, settings, held)
    qtbot.addWidget(window)
    overdue = window.dashboard.figures[Scope.OVERDUE]
    assert window.pages.currentIndex() == DASHBOARD_PAGE
    qtbot.waitUntil(lambda: any(task.name == "dashboard" for task, _ in held.held))  # once the page is settled
    assert overdue.number.text() != str(desk.dashboard.counts(NOW.date())[Scope.OVERDUE])  # not read yet
    held.finish_last("dashboard")
    assert overdue.number.text() == str(desk.dashboard.counts(NOW.date())[Scope.OVERDUE])
    assert window.dashboard.deadlines.rowCount() > 0

    window.dashboard.refresh()
    window.dashboard.clear()  # the window locked while the figures were read
    held.finish_last("dashboard")
    assert window.dashboard.deadlines.rowCount() == 0


def test_a_window_that_opens_on_the_case_list_reads_no_dashboard(qtbot: QtBot, desk: Desk, settings: QSettings) -> None:
    """The dashboard is read when it is the page shown: read behind the case list (the view the DPO left, or
    the start probe's), it took 30% of the start at 100,000 cases."""
    held = HeldRunner()
    window = MainWindow(desk, settings, held)
    qtbot.addWidget(window)
    window.navigation.setCurrentRow(CASES_PAGE)  # as the start probe does, or the view reopened
    qtbot.wait(50)
    assert [task.name for task, _ in held.held if task.name == "dashboard"] == []
    window.navigation.setCurrentRow(DASHBOARD_PAGE)
    assert [task.name for task, _ in held.held if task.name == "dashboard"] == ["dashboard"]


def test_the_reminder_counts_aside_and_reminds_once_counted(qtbot: QtBot, desk: Desk, settings: QSettings) -> None:
    """Counting what is due held the window 781 ms at the start of a 100,000-case store."""
    populate(desk, cases=150, seed=11)
    held = HeldRunner()
    window = MainWindow(desk, settings, held)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: any(task.name == "open pauses" for task, _ in held.held))
    held.finish_last("open pauses")  # the day's due dates first
    qtbot.waitUntil(lambda: any(task.name == "reminder" for task, _ in held.held))  # once the window is painted
    assert window.reminders.last is None and window.reminder_banner.isHidden()
    held.finish_last("reminder")
    reminder = window.reminders.last
    assert reminder is not None and reminder.due > 0
    assert window.reminder_banner.text.text() == f"Reminder: {reminder}."


def test_a_charts_key_breaks_lines_between_its_labels_never_inside_one(window: MainWindow, desk: Desk) -> None:
    """At a laptop's width, "Consent" ended a line of the rights' key and "withdrawal" began the next."""
    populate(desk, cases=150, seed=11)
    window.model.refresh()
    page = QTextDocument()
    page.setHtml(window.dashboard.legend.text())
    breaks_at = [part for part in page.toRawText().split(" ") if part.strip("\u00a0")]  # raw: no-break spaces kept
    labels = {right.label for right in Right}
    assert breaks_at and all(part.removeprefix("■\u00a0").replace("\u00a0", " ") in labels for part in breaks_at)
    assert "■\u00a0Consent\u00a0withdrawal" in breaks_at


def test_month_labels_wider_than_their_bars_go_on_two_lines_all_alike(window: MainWindow) -> None:
    """At 1,024 pixels the months' labels ran into each other: "Mar 26Apr 26"."""
    metrics = window.dashboard.months.fontMetrics()
    wide = metrics.horizontalAdvance("Mar 26")
    assert fitted_labels(["Jul 26", "Mar 26"], wide + 1, metrics) == ["Jul 26", "Mar 26"]
    assert fitted_labels(["Jul 26", "Mar 26"], wide - 1, metrics) == ["Jul\n26", "Mar\n26"]  # "Jul 26" fits alone
    assert fitted_labels(["Q1 2026\n98%"], 1, metrics) == ["Q1 2026\n98%"]  # two lines already: no third
