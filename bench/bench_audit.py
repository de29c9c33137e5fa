"""Reliability suite T15's budget: verifying the audit chain of 100,000 entries (≤ 5 s asked).

Run: .venv/bin/python -m bench.bench_audit   Prints timings; asserts nothing.
"""

import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from dpo_desk.store import audit
from dpo_desk.store.db import open_store
from dpo_desk.store.keys import new_key
from dpo_desk.store.transactions import write_transaction
from dpo_desk.store.verify import verify

ENTRIES = 100_000
NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder, open_store(Path(folder) / "store.sqlite", new_key()) as db:
        started = time.perf_counter()
        with write_transaction(db):
            for number in range(ENTRIES):
                audit.record(
                    db, actor="bench", action="case-note", entity="case", entity_id=number % 5000,
                    details={"note": number}, now=NOW,
                )  # fmt: skip
        print(f"audit: {ENTRIES:,} entries written in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        problems = audit.verify_chain(db)
        seconds = time.perf_counter() - started
        print(f"chain: {ENTRIES:,} entries verified in {seconds:.2f} s ({len(problems)} problems)")
        started = time.perf_counter()
        report = verify(db)
        print(
            f"verify: page check, integrity, foreign keys and chain in {time.perf_counter() - started:.2f} s "
            f"({'ok' if report.ok else 'PROBLEMS'})"
        )


if __name__ == "__main__":
    main()
