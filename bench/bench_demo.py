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

from bench.figures import bare_insert_seconds, table_rows
from dpo_desk.application.demo import create_demo_store
from dpo_desk.store.keys import new_key

TARGET_AT_100K = 60.0  # seconds
NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)


def main() -> None:
    cases = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with tempfile.TemporaryDirectory() as folder:
        key = new_key()
        demo = Path(folder) / "demo.sqlite"
        started = time.perf_counter()
        create_demo_store(demo, key, cases=cases, seed=1, now=NOW)
        built = time.perf_counter() - started
        size = demo.stat().st_size
        rows, payload = table_rows(demo, key)
        bare = bare_insert_seconds(Path(folder), rows, payload)
    target = TARGET_AT_100K * cases / 100_000
    print(
        f"demo: {cases:,} cases in {built:.1f} s ({built / cases * 1000:.2f} ms a case; {size / 1e6:.0f} MB)"
        f" | baseline: {rows:,} rows by a bare executemany in {bare:.1f} s | ratio {built / bare:.1f}x"
        f" | target {target:.1f} s ({TARGET_AT_100K:.0f} s at 100,000) | {'met' if built < target else 'not met'}"
    )


if __name__ == "__main__":
    main()
