"""Start-up and case-list figures on a 100,000-case demo store.

Run: .venv/bin/python bench/bench_store.py [STORE]   (creates STORE with 100,000 demo cases if missing;
default /tmp/dpo-desk-bench/store.sqlite). Prints timings; asserts nothing.
"""

import os
import statistics
import subprocess
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

from dpo_desk.store.driver import is_unencrypted

from dpo_desk.application.demo import create_demo_store
from dpo_desk.application.desk import Desk
from dpo_desk.core.models import CaseQuery, Right, Status
from dpo_desk.store.db import export_encrypted, open_store

CASES = 100_000
DEFAULT = Path("/tmp/dpo-desk-bench/store.sqlite")
# Synthetic data only: a fixed key, so that the bench store needs no keyring or passphrase.
BENCH_KEY = bytes(range(32))

STARTUP = """
import sys, time
started = time.perf_counter()
from datetime import UTC, datetime
from pathlib import Path
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
from dpo_desk.application.desk import Desk
from dpo_desk.application.jobs import SynchronousRunner
from dpo_desk.gui.main_window import MainWindow
from dpo_desk.store.db import open_store
app = QApplication([])
key = bytes.fromhex(sys.argv[3])
path = Path(sys.argv[1])
desk = Desk(open_store(path, key), path, key, actor="bench", clock=lambda: datetime.now(UTC))
window = MainWindow(desk, QSettings(sys.argv[2], QSettings.Format.IniFormat), SynchronousRunner())
window.show()
app.processEvents()
window.model.index(0, 1).data()
print(time.perf_counter() - started)
"""


def timed(action, repeat: int = 5) -> float:
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs) * 1000


def main() -> None:
    store = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    if not store.exists():
        store.parent.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        create_demo_store(store, BENCH_KEY, cases=CASES, seed=1, now=datetime.now(UTC))
        print(f"store: created {CASES:,} demo cases in {time.perf_counter() - started:.1f} s")
    elif is_unencrypted(store):  # a bench store from before encryption: the same conversion the app makes
        started = time.perf_counter()
        export_encrypted(store, store, BENCH_KEY)
        size = store.stat().st_size / 1e6
        print(f"store: encrypted the existing {size:.0f} MB bench store in {time.perf_counter() - started:.1f} s")
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    settings = str(store.parent / "bench-settings.ini")
    startups = [
        float(
            subprocess.run(
                [sys.executable, "-c", STARTUP, str(store), settings, BENCH_KEY.hex()],
                env=env,
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        )
        for _ in range(3)
    ]
    print(
        f"startup: main window shown with the first row in {statistics.median(startups):.2f} s "
        "(median of 3, including Python and Qt imports)"
    )
    today = date.today()
    with Desk(open_store(store, BENCH_KEY), store, BENCH_KEY, actor="bench", clock=lambda: datetime.now(UTC)) as desk:
        repo = desk.cases
        print(f"cases in store: {repo.count():,}")
        queries = {
            "all, newest first": CaseQuery(),
            "search 'kowal'": CaseQuery(text="kowal"),
            "search 'nordmann example'": CaseQuery(text="nordmann example"),
            "status = in progress": CaseQuery(status=Status.IN_PROGRESS),
            "right = erasure": CaseQuery(right=Right.ERASURE),
            "due within 7 days": CaseQuery(due_within_days=7),
            "sort by due date": CaseQuery(sort="due", descending=False),
            "sort by subject": CaseQuery(sort="subject", descending=False),
            "sort by entity": CaseQuery(sort="entity"),
            "sort by status": CaseQuery(sort="status"),
            "search + erasure + sort by subject": CaseQuery(text="example", right=Right.ERASURE, sort="subject"),
        }
        for label, query in queries.items():
            found = len(repo.find_ids(query, today=today))
            print(
                f"filter: {label:<36} {timed(lambda q=query: repo.find_ids(q, today=today)):7.1f} ms  ({found:,} rows)"
            )
        ids = repo.find_ids(CaseQuery(), today=today)
        print(f"rows: first batch of 200 rows fetched in {timed(lambda: repo.summaries(ids[:200])):.1f} ms")
        started = time.perf_counter()
        report = desk.verify()
        print(
            f"verify: page check, integrity, foreign keys and the chain of {report.entries:,} audit entries "
            f"in {time.perf_counter() - started:.1f} s ({'ok' if report.ok else 'PROBLEMS'})"
        )


if __name__ == "__main__":
    main()
