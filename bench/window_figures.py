"""The figures of the main window at 100,000 cases (see :mod:`bench.suite`): built, searched, sorted, a case
opened, letters written, the dashboard shown, all in one window with the stall watch of ``DPO_DESK_STALLS``
running, so that every stall over 100 ms is counted and named by the flow it froze."""

from __future__ import annotations

import gc
import re
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QSettings, Qt, QTimer, qInstallMessageHandler
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

from bench.bench_deadlines import requests
from bench.figures import RUNS, Figure, Probe, _acknowledgeable, csv_file, median_seconds
from dpo_desk.application.desk import Desk
from dpo_desk.core.deadlines import due_date
from dpo_desk.core.models import CaseQuery, Scope
from dpo_desk.gui.background import QtRunner, favour_the_window_thread
from dpo_desk.gui.case_table import DUE, SUBJECT
from dpo_desk.gui.fonts import load_shipped_fonts
from dpo_desk.gui.letters_aside import prepare_letters_aside
from dpo_desk.gui.main_window import CASES_PAGE, MainWindow
from dpo_desk.gui.pdf import render
from dpo_desk.gui.stalls import StallWatch
from dpo_desk.letters.kinds import LetterKind
from dpo_desk.letters.page import A4, Document

BATCH_LETTERS = 100
REPOSITORY = str(Path(__file__).resolve().parent.parent)
CSV_ROWS = 50_000
SETTLE_MS = 30


class WindowBench:
    def __init__(self, desk: Desk, probe: Probe) -> None:
        self.desk = desk
        self.probe = probe
        self.app = QApplication.instance() or QApplication([])
        self.runner = QtRunner()  # the app's: searches, sorts and batches in worker threads
        favour_the_window_thread()  # as the app does (gui/app.py)
        load_shipped_fonts()  # before the window, as the app does: registered later they lay it all out again
        self.settings = QSettings(str(probe.folder / "bench.ini"), QSettings.Format.IniFormat)
        # The flow running, as the stall figure names it; None for work the app does off the window's thread.
        self.flow: str | None = "window shown"
        self.stalls: list[tuple[str, float, str]] = []  # flow, seconds, where the most sampled stack was

    def figures(self) -> list[Figure]:
        qInstallMessageHandler(lambda *message: None)  # the offscreen platform's warnings, between the lines
        watch = StallWatch(self.app)
        try:
            built, self.window = self._window_built()
            gc.freeze()  # as the app does once its window is built (gui/app.py)
            figures = [built]
            self.window.resize(1366, 740)
            self.window.navigation.setCurrentRow(CASES_PAGE)
            # Building the window is before any window is on screen (the MainWindow and cold start lines time
            # it); from its first paint on, a stall freezes a window the DPO sees.
            self._settle(watch, counted=False)
            self.window.show()
            self._settle(watch)
            # What the app starts once its window is shown (gui/app.py); the bench waits for it, as a DPO does
            # not type in the first half second, and counts the window's stalls meanwhile.
            letters_ready = prepare_letters_aside()
            while letters_ready.is_alive():
                self._settle(watch)
            figures += self._searches(watch)
            figures += self._sorts(watch)
            figures += self._case_opened(watch)
            figures += self._letters(watch)
            figures += [self._dashboard(watch), self._deadlines(watch), self._csv_import(watch)]
            self._audit_page(watch)
        finally:
            watch.stop()
        figures.append(self._stall_figure())
        return figures

    # --- each flow ---------------------------------------------------------------------------------------

    def _window_built(self) -> tuple[Figure, MainWindow]:
        """Built once: a second MainWindow in one process trips PySide6's wrapper cache (a QHeaderView comes
        back as a QAbstractScrollArea), so the figure is one construction, as the app makes one."""
        bare: list[QMainWindow] = []

        def bare_window() -> None:
            window = QMainWindow()
            window.setCentralWidget(QTableView())
            bare.append(window)

        baseline = median_seconds(bare_window, 3, between=self.app.processEvents)
        started = time.perf_counter()
        window = MainWindow(self.desk, self.settings, self.runner)
        seconds = time.perf_counter() - started
        figure = Figure("MainWindow.__init__ (one)", seconds, "ms", baseline, "a QMainWindow with a table", 0.1)
        return figure, window

    def _searches(self, watch: StallWatch) -> list[Figure]:
        surname = self._a_surname()
        figures = []
        for label, text in (
            ("one letter 'm'", "m"),
            (f"a surname '{surname}'", surname),
            ("a word 'example'", "example"),
        ):
            self.flow = f"search {label}"
            work = self._median(watch, lambda t=text: self._search(t), reset=lambda: self._search("", paint=True))
            painted = self._median(
                watch, lambda t=text: self._search(t, paint=True), reset=lambda: self._search("", paint=True)
            )
            self._search(text, paint=True)
            floor = median_seconds(self._bare_list_query)
            rows = self.window.model.rowCount()
            figures.append(Figure(f"keystroke work, {label}", work, "ms", floor, "the list's SQL alone", 0.016,
                                  note=f"{rows:,} rows"))  # fmt: skip
            figures.append(Figure(f"key to rows painted, {label}", painted, "ms", floor, "the list's SQL alone", 0.05))
        self._search("", paint=True)
        return figures

    def _sorts(self, watch: StallWatch) -> list[Figure]:
        figures = []
        for label, column in (("due", DUE), ("subject", SUBJECT)):
            self.flow = f"sort by {label}"
            orders = iter([Qt.SortOrder.DescendingOrder, Qt.SortOrder.AscendingOrder] * RUNS)

            def sort(column: int = column, orders: Iterator[Qt.SortOrder] = orders) -> None:
                self.window.table.sortByColumn(column, next(orders))
                self._until_shown()
                self.window.table.viewport().repaint()

            seconds = self._median(watch, sort)
            floor = median_seconds(self._bare_list_query)
            figures.append(Figure(f"sort by {label}, painted", seconds, "ms", floor, "the list's SQL alone", 0.05))
        self.window.table.sortByColumn(DUE, Qt.SortOrder.AscendingOrder)
        self._until_shown()
        return figures

    def _case_opened(self, watch: StallWatch) -> list[Figure]:
        self.flow = "open a case"
        model = self.window.model
        rows = iter(range(0, model.rowCount(), max(model.rowCount() // (RUNS + 2), 1)))

        def open_next() -> None:
            self.window.select_case(model.case_id(next(rows)))
            # Laid out with what it now shows, then painted: a repaint alone painted the old layout, and the
            # layout and a second paint (15-25 ms) came in the next turn of the event loop, after the timing.
            QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
            self.window.case_view.repaint()

        first = self._median(watch, open_next, runs=1)
        later = self._median(watch, open_next)
        floor = median_seconds(lambda: self.desk.cases.get_by_id(model.case_id(0)))
        return [
            Figure("open a case, the first", first, "ms", floor, "the case read from the store", 0.05),
            Figure("open a case, later ones", later, "ms", floor, "the case read from the store", 0.05),
        ]

    def _letters(self, watch: StallWatch) -> list[Figure]:
        self.flow = "letters"
        ids = _acknowledgeable(self.desk, LetterKind.ACKNOWLEDGEMENT, BATCH_LETTERS + RUNS)
        numbers = iter(range(len(ids)))
        folder = Path(tempfile.mkdtemp(dir=self.probe.folder))

        def one() -> None:
            number = next(numbers)
            self.desk.write_letter(ids[number], LetterKind.ACKNOWLEDGEMENT, render, target=folder / f"{number}.pdf")

        single = self._median(watch, one)
        bare = Document(body="<p>Dear Kari Nordmann,</p><p>We received your request.</p>", paper=A4, title="bare")
        floor = median_seconds(lambda: render(bare))
        self.flow = None  # the app writes a batch on a worker thread
        batch = self._median(watch, lambda: [one() for _ in range(BATCH_LETTERS)], runs=1)
        return [
            Figure("one letter in the app", single, "ms", floor, "Qt rendering a two-line page", 0.05),
            Figure(f"{BATCH_LETTERS} letters in the app", batch, "s", floor * BATCH_LETTERS, "the two-line page × 100",
                   5.0),
        ]  # fmt: skip

    def _dashboard(self, watch: StallWatch) -> Figure:
        self.flow = "dashboard"
        dashboard = self.window.dashboard

        def refreshed(then: Callable[[], None]) -> None:
            dashboard.shown.connect(then)
            dashboard.refresh()  # read in a worker thread, as the app does

        def shown() -> None:
            _run_until(refreshed)
            dashboard.shown.disconnect()
            dashboard.repaint()

        seconds = self._median(watch, shown)
        query = CaseQuery(scope=Scope.OPEN, sort="due", descending=False)
        floor = median_seconds(lambda: self.desk.cases.find_ids(query, today=self.desk.today()))
        return Figure("dashboard refreshed and painted", seconds, "ms", floor, "the case list's start query", 0.5)

    def _audit_page(self, watch: StallWatch) -> None:
        """No figure of its own: the page's first showing counts for the stall line (it counted all 1.77 M
        entries on the window's thread)."""
        self._settle(watch, counted=False)  # what ran before (the CSV figure's floor) is not the page's
        self.flow = "audit page shown"
        self.window.navigation.setCurrentRow(self.window.pages.indexOf(self.window.audit_view))
        self._settle(watch)
        while "counting" in self.window.audit_view.summary.text():  # until the count arrives
            self._settle(watch)

    def _deadlines(self, watch: StallWatch) -> Figure:
        self.flow = None  # the app recomputes on a worker thread (its settings' Save waits, the window repaints)
        cases = self.desk.cases
        seconds = self._median(watch, lambda: cases.recompute_deadlines(today=self.desk.today()), runs=3)
        inputs = requests(self.probe.cases)
        floor = median_seconds(lambda: [due_date(request) for request in inputs], runs=3)
        return Figure("due dates recomputed, all cases", seconds, "s", floor,
                      f"core due_date alone, {len(inputs):,} requests", 0.5 * self.probe.cases / 100_000)  # fmt: skip

    def _csv_import(self, watch: StallWatch) -> Figure:
        self.flow = None  # the app imports on a worker thread, with a progress bar
        case_id = self.window.model.case_id(0)
        email = next(iter(self.desk.cases.get_by_id(case_id).subject.emails), "kari@example.no")
        file = csv_file(self.probe.folder / "crm.csv", CSV_ROWS, email)
        data = self.desk.data

        def imported() -> None:
            preview = data.preview(case_id, file)
            data.take(case_id, preview, data.source("crm"), accept_matched=True)

        # Once: no issue sets it a target, and three runs took 13-17 s of the bench.
        seconds = self._median(watch, imported, runs=1)
        floor = median_seconds(lambda: _csv_rows(file), runs=3)
        return Figure(f"{CSV_ROWS:,}-row CSV imported into a case", seconds, "s", floor,
                      "the csv module reading the file", None)  # fmt: skip

    def _stall_figure(self) -> Figure:
        flows: dict[str, list[tuple[float, str]]] = {}
        for flow, seconds, where in self.stalls:
            flows.setdefault(flow, []).append((seconds, where))
        named = "; ".join(
            f"{flow} {len(stalls)}×, longest {max(stalls)[0] * 1000:.0f} ms in {max(stalls)[1]}"
            for flow, stalls in flows.items()
        )
        return Figure("GUI-thread stalls over 100 ms", len(self.stalls), "count", None, "", 0, note=named)

    # --- helpers -----------------------------------------------------------------------------------------

    def _median(self, watch: StallWatch, action: Callable[[], object], runs: int = RUNS,
                reset: Callable[[], object] = lambda: None) -> float:  # fmt: skip
        """Median seconds of ``action`` on the window's thread, each run followed by the event loop, so that the
        stall watch sees each run on its own; what ran before it (the bench's own preparing, a baseline) is
        not counted."""
        timings = []
        for _ in range(runs):
            self._settle(watch, counted=False)
            reset()
            self._settle(watch, counted=False)
            started = time.perf_counter()
            action()
            timings.append(time.perf_counter() - started)
            self._settle(watch)
        return sorted(timings)[len(timings) // 2]

    def _settle(self, watch: StallWatch, counted: bool = True) -> None:
        """The event loop for a while, so that what a flow started (a worker's result, a paint) is done. It
        runs the loop, as the app does: a sleep between passes held the loop still, and the watch counted the
        bench's own 30 ms of sleeping into the stall it logged ("window shown", 113 and 144 ms)."""
        for _ in range(3):
            _run_for(SETTLE_MS)
        self.app.processEvents()
        if counted and self.flow is not None:
            self.stalls += [(self.flow, seconds, _where(stack)) for seconds, stack in watch.stalls]
        watch.stalls.clear()

    def _until_shown(self) -> None:
        """The event loop, until the list shows the last query asked (its ids found in the worker thread)."""
        _run_until(self.window.model.when_shown)

    def _search(self, text: str, *, paint: bool = False) -> None:
        """The search as typed: without ``paint`` the window's own work for it (the query runs aside), with it
        until its rows are painted."""
        self.window.filters.search.setText(text)
        self.window.filters.apply_now()
        if paint:
            self._until_shown()
            self.window.table.viewport().repaint()

    def _bare_list_query(self) -> None:
        """The floor of a search or sort painted: the list's own statement for the query it shows, its ids
        fetched, with no worker thread, model or paint. A bare MATCH fetching every rowid was no floor: "m"
        matches all 100,000 cases, which the list filters and orders in SQL to the open ones before Python
        sees any, and the bare query spent two thirds of its time making the 100,000 rows."""
        sql, params = self.desk.cases.list_statement(self.window.model.query, today=self.desk.today())
        self.desk.cases._db.execute(sql, params).fetchall()

    def _a_surname(self) -> str:
        middle = self.window.model.case_id(self.window.model.rowCount() // 2)
        return self.desk.cases.get_by_id(middle).subject.name.split()[-1]


def _run_for(milliseconds: int) -> None:
    """The window's event loop, as the app runs it, for ``milliseconds``."""
    loop = QEventLoop()
    QTimer.singleShot(milliseconds, loop.quit)
    loop.exec()


def _run_until(started: Callable[[Callable[[], None]], None]) -> None:
    """The window's event loop, as the app runs it, until ``started`` calls back what it was given. Not a loop
    of processEvents: given a time, it does not wait for events but spins, and took the GIL from the worker
    thread at each turn (the worker's query, 37 ms alone, took 77-106 ms beside it)."""
    loop = QEventLoop()
    ended: list[bool] = []

    def end() -> None:
        ended.append(True)
        loop.quit()

    started(end)
    if not ended:  # called back at once: quit before exec would not stop the loop
        loop.exec()


def _csv_rows(file: Path) -> int:
    import csv

    with file.open(newline="", encoding="utf-8") as handle:
        return sum(1 for _ in csv.reader(handle, delimiter=";"))


def _where(stack: str) -> str:
    """The innermost frame of a formatted stack, and DPO Desk's innermost where that is not its own: what ran,
    and what asked for it (a Python stack ends in the call that entered Qt, for Qt's own work)."""
    frames = [_frame(line) for line in stack.splitlines() if line.strip().startswith('File "')]
    ours = [frame for frame in frames if frame.startswith("dpo_desk/")]
    if not frames:
        return "no Python frame"
    if not ours or ours[-1] == frames[-1]:
        return frames[-1]
    return f"{frames[-1]} from {ours[-1]}"


def _frame(line: str) -> str:
    path, _, rest = line.strip().removeprefix('File "').partition('", line ')
    path = re.sub(r".*/(site-packages|lib/python3\.\d+)/", "", path).removeprefix(f"{REPOSITORY}/")
    number, _, function = rest.partition(", in ")
    return f"{path}:{number} {function}"
