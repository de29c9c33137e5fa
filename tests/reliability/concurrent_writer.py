"""A second DPO Desk process writing to the same store: adds cases until a file named STOP appears beside it.

Run alone: python -m tests.reliability.concurrent_writer STORE
"""

from __future__ import annotations

import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from dpo_desk.store.db import open_store
from tests.conftest import TEST_KEY, desk_on, new_case


def main(store: Path) -> None:
    desk = desk_on(open_store(store, TEST_KEY, create=False), store, TEST_KEY)
    sys.stdout.write("READY\n")
    sys.stdout.flush()
    written = 0
    stop = store.parent / "STOP"
    while not stop.exists():
        desk.cases.add(new_case(name=f"Writer {written}"), actor="writer", now=datetime.now(UTC))
        written += 1
        # A busy neighbour (100 writes a second, more than any script), not a tight loop: SQLite's lock is
        # not fair, and a writer that never lets go starves every other one, whatever the transactions.
        time.sleep(0.01)
    sys.stdout.write(f"WROTE {written}\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
