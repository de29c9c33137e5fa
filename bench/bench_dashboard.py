"""The dashboard on a demo store (default 5,000 cases): how long it takes to open, against the case list's own
start-up query in the same run, and each of its SQL aggregates alone.

Run: .venv/bin/python -m bench.bench_dashboard [CASES] [STORE]   (creates STORE if missing; default
/tmp/dpo-desk-bench/dashboard-CASES.sqlite). Prints figures; asserts nothing.
"""

import os
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from bench.bench_store import timed
from dpo_desk.application.demo import create_demo_store
from dpo_desk.application.desk import Desk
from dpo_desk.application.jobs import SynchronousRunner
from dpo_desk.core.models import CaseQuery, Scope
from dpo_desk.gui.main_window import MainWindow
from dpo_desk.store.db import open_store

BENCH_KEY = bytes(range(32))  # synthetic data only: no keyring or passphrase needed


def main() -> None:
    cases = int(sys.argv[1]) if len(sys.argv) > 1 else 5_000
    store = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(f"/tmp/dpo-desk-bench/dashboard-{cases}.sqlite")
    now = datetime.now(UTC)
    if not store.exists():
        store.parent.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        create_demo_store(store, BENCH_KEY, cases=cases, seed=1, now=now)
        print(f"demo store of {cases:,} cases made in {time.perf_counter() - started:.1f} s")
    app = QApplication([])
    desk = Desk(open_store(store, BENCH_KEY), store, BENCH_KEY, actor="bench", clock=lambda: datetime.now(UTC))
    today = desk.today()
    dashboard = desk.dashboard
    start_query = CaseQuery(scope=Scope.OPEN, sort="due", descending=False)
    baseline = timed(lambda: desk.cases.find_ids(start_query, today=today))
    figures = {
        "six counts": timed(lambda: dashboard.counts(today)),
        "next 10 deadlines (with next steps)": timed(lambda: dashboard.next_deadlines(today)),
        "requests per month, 12 months": timed(lambda: dashboard.months(today)),
        "on time per quarter, 4 quarters": timed(lambda: dashboard.quarters(today)),
    }
    settings = QSettings(str(Path(tempfile.mkdtemp()) / "bench.ini"), QSettings.Format.IniFormat)
    window = MainWindow(desk, settings, SynchronousRunner())
    window.resize(1366, 740)
    window.show()
    app.processEvents()

    def open_dashboard() -> None:
        window.dashboard.refresh()
        window.dashboard.repaint()  # the charts painted, not only computed

    shown = timed(open_dashboard)
    print(f"store: {desk.cases.count():,} cases")
    print(f"baseline, the case list's start-up query (open cases by due date): {baseline:.1f} ms")
    for name, ms in figures.items():
        print(f"  {name}: {ms:.1f} ms")
    print(f"dashboard refreshed and painted: {shown:.1f} ms (goal: under 500 ms)")
    window.close()


if __name__ == "__main__":
    main()
