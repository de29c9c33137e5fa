"""The figures of ``./desk bench`` (:mod:`bench.suite`): each measured as the DPO meets it, with its baseline
measured in the same run, on a copy of the cached demo store."""

from __future__ import annotations

import csv
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from dpo_desk.application.desk import Desk
from dpo_desk.store.db import open_store
from dpo_desk.store.keys import new_key

# Synthetic data only; the bench's stores open as a DPO's do without a keyring: with a recovery passphrase.
BENCH_PASSPHRASE = "violet tractor under a quiet harbour"
RUNS = 5
PROCESS_RUNS = 3

# A bare PySide6 window with an empty table, shown and painted: what any Qt app's start costs here.
BARE_WINDOW = """
import os, time
from pathlib import Path
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView
def since_start():
    fields = Path("/proc/self/stat").read_text().rpartition(")")[2].split()
    return float(Path("/proc/uptime").read_text().split()[0]) - int(fields[19]) / os.sysconf("SC_CLK_TCK")
class Painted(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, lambda: (print(f"{since_start():.3f}"), app.exit(0)))
        return False
app = QApplication([])
window = QMainWindow()
table = QTableView()
window.setCentralWidget(table)
painted = Painted()
table.viewport().installEventFilter(painted)
window.show()
app.exec()
"""

# The same page through Qt's PDF writer, nothing else: the floor of a letter written by a process.
BARE_PDF = """
import sys
from PySide6.QtGui import QGuiApplication, QPageSize, QPdfWriter, QTextDocument
app = QGuiApplication([])
writer = QPdfWriter(sys.argv[1])
writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
document = QTextDocument()
document.setHtml("<p>Dear Kari Nordmann,</p><p>We received your request.</p>")
document.print_(writer)
"""

# The libraries a letter written by a process cannot do without, imported before that page: the store's, the
# keyring, pikepdf (which finishes every letter), jinja2 (its templates) and Babel (its dates).
LETTER_LIBRARIES = (
    "import sqlcipher3, sqlite_utils, keyring, cryptography.hazmat.primitives.ciphers.aead, pikepdf, jinja2,"
    " babel.dates\n"
)

DUE = ("due", "--received", "2026-11-02", "--calendar", "NO")
# What `due` cannot do without: the holidays package and one country's calendar (its `countries` package
# imports all 250 countries' modules to load one).
BARE_HOLIDAYS = "import holidays; holidays.country_holidays('NO', years=2026, language='en_US')"
# The libraries a start cannot do without, as a process imports them: Qt, SQLCipher and sqlite-utils (the
# store), keyring (its key), cryptography (the key file) and platformdirs (where the store is). And Qt's
# namespace of enums, which any window's code names (alignments, keys, roles): importing it builds them
# all, 35-40 ms here, where the bare window touches none.
START_LIBRARIES = (
    "import sqlcipher3, sqlite_utils, keyring, cryptography.hazmat.primitives.ciphers.aead, platformdirs,"
    " PySide6.QtWidgets; from PySide6.QtCore import Qt"
)
IMPORTS = "import time; t = time.perf_counter(); {imports}; print(time.perf_counter() - t)"


@dataclass(frozen=True, slots=True)
class Figure:
    """One line of the bench: ``value`` against ``baseline``, judged against ``target`` (an upper bound, or a
    lower one when ``higher_is_better``) and, where set, ``ratio_target`` (times the baseline at most, or at
    least when higher is better). A None value says why it was not measured in ``note``."""

    name: str
    value: float | None
    unit: str
    baseline: float | None
    baseline_name: str
    target: float | None = None
    higher_is_better: bool = False
    ratio_target: float | None = None
    note: str = ""

    @staticmethod
    def header() -> str:
        return f"{'figure':<46} {'median':>10} {'baseline':>10} {'ratio':>7} {'target':>16}  {'':<8} baseline is"

    def met(self) -> bool | None:
        if self.value is None or (self.target is None and self.ratio_target is None):
            return None
        checks = []
        if self.target is not None:
            checks.append(self.value >= self.target if self.higher_is_better else self.value <= self.target)
        if self.ratio_target is not None and self.baseline:
            ratio = self.value / self.baseline
            checks.append(ratio >= self.ratio_target if self.higher_is_better else ratio <= self.ratio_target)
        return all(checks)

    def line(self) -> str:
        if self.value is None:
            return f"{self.name:<46} {'—':>10} {'':>10} {'':>7} {self._target_text():>16}  {'not run':<8} {self.note}"
        ratio = f"{self.value / self.baseline:.1f}x" if self.baseline else "—"
        baseline = _amount(self.baseline, self.unit) if self.baseline is not None else "—"
        verdict = {True: "met", False: "NOT MET", None: "no target"}[self.met()]
        note = f"; {self.note}" if self.note else ""
        return (
            f"{self.name:<46} {_amount(self.value, self.unit):>10} {baseline:>10} {ratio:>7} "
            f"{self._target_text():>16}  {verdict:<8} {self.baseline_name}{note}"
        )

    def _target_text(self) -> str:
        sign = "≥" if self.higher_is_better else "<"
        parts = []
        if self.target is not None:
            parts.append(f"{sign} {_amount(self.target, self.unit)}")
        if self.ratio_target is not None:
            parts.append(f"{sign} {self.ratio_target:g}x")
        return " and ".join(parts) or "—"


def _amount(value: float, unit: str) -> str:
    if unit == "ms":
        return f"{value * 1000:.1f} ms" if value < 0.1 else f"{value * 1000:.0f} ms"
    if unit == "s":
        return f"{value:.2f} s" if value < 10 else f"{value:.0f} s"
    if unit == "count":
        return f"{value:.0f}"
    return f"{value:.0f} {unit}" if value >= 10 else f"{value:.1f} {unit}"


def median_seconds(
    action: Callable[[], object], runs: int = RUNS, between: Callable[[], object] = lambda: None
) -> float:
    timings = []
    for _ in range(runs):
        between()
        started = time.perf_counter()
        action()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


class Probe:
    """The store the figures run on (a copy of the cached one), and how processes are started on it."""

    def __init__(self, store: Path, folder: Path, cases: int, unlock_seconds: float) -> None:
        self.store = store
        self.folder = folder
        self.cases = cases
        self.unlock_seconds = unlock_seconds  # the passphrase's scrypt, measured in this run
        self.env = self.environment(folder, keyring=True)
        self.without_keyring = self.environment(folder, keyring=False)

    @staticmethod
    def environment(folder: Path, *, keyring: bool) -> dict[str, str]:
        """A DPO's machine, settings in ``folder``: its key in a keyring (a file one, synthetic data only), or
        no keyring and the passphrase from the environment."""
        backend = "bench.file_keyring.FileKeyring" if keyring else "keyring.backends.null.Keyring"
        return dict(
            os.environ,
            DPO_DESK_PASSPHRASE=BENCH_PASSPHRASE,
            PYTHON_KEYRING_BACKEND=backend,
            DPO_DESK_BENCH_KEYRING=str(folder / "keyring.json"),
            PYTHONPATH=str(Path(__file__).resolve().parent.parent),  # where bench.file_keyring is
            DPO_DESK_HOME=str(folder / "home"),
            XDG_CONFIG_HOME=str(folder / "config"),
            QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
        )

    def seconds(self, command: list[str], runs: int = PROCESS_RUNS) -> float:
        """Median wall time of ``command`` as a process, from its start to its exit."""

        def run() -> None:
            subprocess.run(command, env=self.env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

        return median_seconds(run, runs)

    def printed(
        self, command: list[str], runs: int = PROCESS_RUNS, env: dict[str, str] | None = None
    ) -> tuple[float, float]:
        """Median of the seconds ``command`` prints, and of its peak memory (MB)."""
        printed, memory = [], []
        for _ in range(runs):
            process = subprocess.Popen(command, env=env or self.env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
            assert process.stdout is not None
            output = process.stdout.read()
            _, status, usage = os.wait4(process.pid, 0)
            process.returncode = os.waitstatus_to_exitcode(status)
            if process.returncode != 0:
                raise RuntimeError(f"{' '.join(command[:4])}…: exit {process.returncode}")
            printed.append(float(output.decode().split()[-1]))
            memory.append(usage.ru_maxrss / 1024)
        return statistics.median(printed), statistics.median(memory)

    def cli(self, *arguments: str) -> list[str]:
        return [sys.executable, "-m", "dpo_desk", *arguments]


# --- the store ------------------------------------------------------------------------------------------


def table_rows(store: Path, key: bytes) -> tuple[int, int]:
    """Rows in the store's tables, and their bytes before page overhead."""
    with _desk(store, key) as desk:
        size = desk.store_size()
    tables = [tree for tree in size.trees if tree.kind == "table"]
    return sum(tree.cells for tree in tables), sum(tree.payload for tree in tables)


def bare_insert_seconds(folder: Path, rows: int, payload: int) -> float:
    """Seconds to insert ``rows`` rows of the same total bytes into one table of a new encrypted store."""
    path = folder / "bare.sqlite"
    try:
        with open_store(path, new_key()) as db:
            db.execute("CREATE TABLE bare (id INTEGER PRIMARY KEY, n INTEGER NOT NULL, text TEXT NOT NULL)")
            filler = "x" * max(payload // max(rows, 1) - 8, 1)
            started = time.perf_counter()
            db.conn.execute("BEGIN IMMEDIATE")
            db.conn.executemany("INSERT INTO bare (n, text) VALUES (?, ?)", ((n, filler) for n in range(rows)))
            db.conn.execute("COMMIT")
            return time.perf_counter() - started
    finally:
        for leftover in folder.glob("bare.sqlite*"):
            leftover.unlink()


def store_size_figure(store: Path, key: bytes, target_mb: float) -> Figure:
    with _desk(store, key) as desk:
        size = desk.store_size()
    payload = sum(tree.payload for tree in size.trees if tree.kind == "table")
    biggest = sorted(size.trees, key=lambda tree: tree.pages, reverse=True)[:3]
    parts = ", ".join(f"{tree.name} {tree.pages * size.page_size / 1e6:.0f}" for tree in biggest)
    return Figure(
        "store size", size.bytes / 1e6, "MB", payload / 1e6, "the tables' row bytes alone", target_mb,
        note=f"largest: {parts} MB",
    )  # fmt: skip


@contextmanager
def _desk(store: Path, key: bytes) -> Iterator[Desk]:
    now = datetime.now(UTC)
    with Desk(open_store(store, key), store, key, actor="bench", clock=lambda: now) as desk:
        yield desk


# --- processes --------------------------------------------------------------------------------------------


def process_figures(probe: Probe) -> list[Figure]:
    bare_python = probe.seconds([sys.executable, "-c", "pass"], RUNS)
    start = probe.cli("--store", str(probe.store), "--exit-when-shown")
    shown, memory = probe.printed(start)
    unlocked = probe.printed(start, env=probe.without_keyring)[0]
    bare_shown, bare_memory = probe.printed([sys.executable, "-c", BARE_WINDOW])
    library_shown = probe.printed([sys.executable, "-c", START_LIBRARIES + "\n" + BARE_WINDOW])[0]
    # As the app imports them: dpo_desk.cli, then what it loads to open the app, in its order, with the
    # collector paused as cli.main pauses it.
    app_imports = "import gc; gc.disable(); from dpo_desk.cli import load_app; load_app()"
    imports = probe.printed([sys.executable, "-c", IMPORTS.format(imports=app_imports)])[0]
    bare_imports = probe.printed([sys.executable, "-c", IMPORTS.format(imports="import PySide6.QtWidgets")])[0]
    library_imports = probe.printed([sys.executable, "-c", IMPORTS.format(imports=START_LIBRARIES)])[0]
    reference = _letter_reference(probe)
    letter = _cli_letter_seconds(probe, reference, iter(range(PROCESS_RUNS)))
    bare_pdf = probe.seconds([sys.executable, "-c", BARE_PDF, str(probe.folder / "bare.pdf")])
    library_pdf = probe.seconds([sys.executable, "-c", LETTER_LIBRARIES + BARE_PDF, str(probe.folder / "bare.pdf")])
    return [
        Figure("cold start, window shown with the list", shown, "s", bare_shown, "a bare PySide6 window, shown", 0.5,
               ratio_target=3, note="the key from the keyring"),
        Figure("  the floor: the window, the libraries loaded", library_shown, "s", bare_shown,
               "a bare PySide6 window, shown", note="the libraries of 'the libraries alone' below"),
        Figure("cold start, unlocked by the passphrase", unlocked, "s", bare_shown + probe.unlock_seconds,
               f"the bare window + scrypt ({probe.unlock_seconds:.2f} s)", 0.5, ratio_target=3,
               note="no keyring: the recovery passphrase typed"),
        Figure("imports before QApplication", imports, "s", bare_imports, "import PySide6.QtWidgets", 0.15),
        Figure("  the floor: the libraries alone", library_imports, "s", bare_imports, "import PySide6.QtWidgets",
               note="+ SQLCipher, sqlite-utils, keyring, cryptography, platformdirs"),
        Figure("peak memory, the store open (start probe)", memory, "MB", bare_memory, "the bare window's", 200),
        Figure("dpo-desk --version, a process", probe.seconds(probe.cli("--version"), RUNS), "s", bare_python,
               "python -c pass", 0.15),
        Figure("dpo-desk due, a process", probe.seconds(probe.cli(*DUE), RUNS), "s", bare_python, "python -c pass",
               0.15),
        Figure("  the floor: holidays, one calendar", probe.seconds([sys.executable, "-c", BARE_HOLIDAYS], RUNS),
               "s", bare_python, "python -c pass", note="Norway's 2026, as due --calendar NO loads it"),
        Figure("one letter from the command line, a process", letter, "s", bare_pdf,
               "a bare Qt process writing one PDF page", 0.4, note="the key from the keyring"),
        Figure("  the floor: the libraries alone", library_pdf, "s", bare_pdf, "a bare Qt process writing one PDF page",
               note="+ SQLCipher, sqlite-utils, keyring, cryptography, pikepdf, jinja2, Babel"),
    ]  # fmt: skip


def _cli_letter_seconds(probe: Probe, reference: str, numbers: Iterator[int]) -> float:
    def command() -> list[str]:
        target = probe.folder / f"cli-letter-{next(numbers)}.pdf"
        return probe.cli("--store", str(probe.store), "letter", reference, "acknowledgement", "--out", str(target))

    def run() -> None:
        subprocess.run(command(), env=probe.env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    return median_seconds(run, PROCESS_RUNS)


def _letter_reference(probe: Probe) -> str:
    from dpo_desk.letters.kinds import LetterKind
    from dpo_desk.store.keys import key_from_passphrase

    with _desk(probe.store, key_from_passphrase(probe.store, BENCH_PASSPHRASE)) as desk:
        return desk.cases.get_by_id(_acknowledgeable(desk, LetterKind.ACKNOWLEDGEMENT, 1)[0]).reference


def _acknowledgeable(desk: Desk, kind: Any, count: int) -> list[int]:
    """``count`` open cases that may have a ``kind`` letter now, newest first."""
    from dpo_desk.core.models import CaseQuery, Scope
    from dpo_desk.letters.availability import promised_date

    found: list[int] = []
    today = desk.today()
    # Latest due first: an acknowledgement states the due date, and refuses one that has passed.
    ids = desk.cases.find_ids(CaseQuery(scope=Scope.OPEN, sort="due", descending=True), today=today)
    for start in range(0, len(ids), 200):
        rows = desk.cases.summaries(ids[start : start + 200])
        for case_id in ids[start : start + 200]:
            if rows[case_id].due < today:
                return [found[number % len(found)] for number in range(count)]  # a small store: some twice
            promised = promised_date(kind, desk.state(case_id))
            if not desk.letters.why_not(case_id, kind) and (promised is None or promised[0] >= today):
                found.append(case_id)
                if len(found) == count:
                    return found
    return [found[number % len(found)] for number in range(count)]


# --- in the app -------------------------------------------------------------------------------------------


def gui_figures(probe: Probe, key: bytes) -> list[Figure]:
    """The window's figures, in this process, with the stall watch running through all of them."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from bench.window_figures import WindowBench

    with _desk(probe.store, key) as desk:
        return WindowBench(desk, probe).figures()


# --- libraries the app uses for exports and imports -------------------------------------------------------


def library_figures(megabytes: int) -> list[Figure]:
    from bench.bench_exports import bundle_seconds

    ours, baseline, written = bundle_seconds(megabytes)
    return [
        Figure(f"portability bundle, {written:.0f} MB of members", written / ours, "MB/s", written / baseline,
               "zipfile writing the same bytes", higher_is_better=True, ratio_target=0.5),
    ]  # fmt: skip


def csv_file(path: Path, rows: int, email: str) -> Path:
    """A CRM export of ``rows`` rows, one in a hundred the subject's: the shape of the 50,000-row import."""
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file, delimiter=";")
        writer.writerow(["Record ID", "Email", "First name", "Last name", "Company", "Create Date", "Notes"])
        for number in range(rows):
            who = email if number % 100 == 0 else f"person{number}@example.com"
            writer.writerow([100_000 + number, who, "Kari", f"Nordmann{number}", "Øst AS", "2025-03-01",
                             "pricing demo follow-up"])  # fmt: skip
    return path
