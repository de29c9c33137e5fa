"""Issue 21's figure "demo --cases 100000 in under 60 s", with its baseline measured in the same run.

Run: .venv/bin/python -m bench.bench_demo [CASES]   (default 10,000; the target scales with the cases)
The baseline: the same number of rows the demo wrote, each about as wide, inserted with a bare
``executemany`` into one table of a new store, in one transaction: what writing the rows costs without
playing the cases (their checks, history, audit entries and seals). Prints timings; asserts nothing.
"""

import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from dpo_desk.application.demo import create_demo_store
from dpo_desk.application.desk import Desk
from dpo_desk.store.db import open_store
from dpo_desk.store.keys import new_key

TARGET_AT_100K = 60.0  # seconds
NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)


def main() -> None:
    given = [arg for arg in sys.argv[1:] if arg.isdigit()]  # ./desk bench passes its own options on too
    cases = int(given[0]) if given else 10_000
    with tempfile.TemporaryDirectory() as folder:
        key = new_key()
        demo = Path(folder) / "demo.sqlite"
        started = time.perf_counter()
        create_demo_store(demo, key, cases=cases, seed=1, now=NOW)
        built = time.perf_counter() - started
        with Desk(open_store(demo, key), demo, key, actor="bench", clock=lambda: NOW) as desk:
            size = desk.store_size()
        rows = sum(tree.cells for tree in size.trees if tree.kind == "table")
        payload = sum(tree.payload for tree in size.trees if tree.kind == "table")
        bare = _bare_insert(Path(folder) / "bare.sqlite", rows, payload // max(rows, 1))
    target = TARGET_AT_100K * cases / 100_000
    print(
        f"demo: {cases:,} cases in {built:.1f} s ({built / cases * 1000:.2f} ms a case; {size.bytes / 1e6:.0f} MB)"
        f" | baseline: {rows:,} rows by a bare executemany in {bare:.1f} s | ratio {built / bare:.1f}x"
        f" | target {target:.1f} s ({TARGET_AT_100K:.0f} s at 100,000) | {'met' if built < target else 'not met'}"
    )


def _bare_insert(path: Path, rows: int, width: int) -> float:
    """Seconds to insert ``rows`` rows of about ``width`` bytes into one table of a new store."""
    with open_store(path, new_key()) as db:
        db.execute("CREATE TABLE bare (id INTEGER PRIMARY KEY, n INTEGER NOT NULL, text TEXT NOT NULL)")
        filler = "x" * max(width - 8, 1)
        started = time.perf_counter()
        db.conn.execute("BEGIN IMMEDIATE")
        db.conn.executemany("INSERT INTO bare (n, text) VALUES (?, ?)", ((n, filler) for n in range(rows)))
        db.conn.execute("COMMIT")
        return time.perf_counter() - started


if __name__ == "__main__":
    main()
