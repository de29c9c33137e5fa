"""Time to render one letter, and a batch of 100 acknowledgements, as the app does it (Qt PDF, pikepdf).

Run: .venv/bin/python bench/bench_letters.py
"""

import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from dpo_desk.application.demo import create_demo_store
from dpo_desk.application.desk import Desk
from dpo_desk.core.models import CaseQuery
from dpo_desk.gui.pdf import headless_renderer
from dpo_desk.letters.kinds import LetterKind
from dpo_desk.store.db import open_store
from dpo_desk.store.keys import new_key

BATCH = 100


def main() -> None:
    render = headless_renderer()
    with tempfile.TemporaryDirectory() as folder:
        store = Path(folder) / "store.sqlite"
        key = new_key()
        create_demo_store(store, key, cases=BATCH, seed=3, now=datetime.now(UTC))
        with Desk(open_store(store, key), store, key, actor="bench", clock=lambda: datetime.now(UTC)) as desk:
            letters = desk.letters
            # Only the cases an acknowledgement fits (open, and an entity whose letterhead may print).
            ids = [
                case_id
                for case_id in desk.cases.find_ids(CaseQuery(), today=desk.today())
                if not letters.why_not(case_id, LetterKind.ACKNOWLEDGEMENT)
            ]
            singles = []
            for number in range(5):
                started = time.perf_counter()
                letters.generate(
                    ids[0],
                    LetterKind.ACKNOWLEDGEMENT,
                    Path(folder) / f"one-{number}.pdf",
                    render,
                    actor="bench",
                    now=datetime.now(UTC),
                )
                singles.append(time.perf_counter() - started)
            started = time.perf_counter()
            for number, case_id in enumerate(ids):
                letters.generate(
                    case_id,
                    LetterKind.ACKNOWLEDGEMENT,
                    Path(folder) / f"batch-{number}.pdf",
                    render,
                    actor="bench",
                    now=datetime.now(UTC),
                )
            batch = time.perf_counter() - started
    print(
        f"letters: one acknowledgement in {statistics.median(singles) * 1000:.0f} ms (median of 5, "
        f"first {singles[0] * 1000:.0f} ms); a batch of {len(ids)} in {batch:.1f} s"
    )


if __name__ == "__main__":
    main()
