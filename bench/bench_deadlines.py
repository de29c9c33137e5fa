"""Due dates of 100,000 cases on one core, and every stored due date of a store recomputed (goal: under 0.5 s).

Run: .venv/bin/python -m bench.bench_deadlines [STORE]   (with STORE, also recomputes its dates, on a copy).
Prints figures; asserts nothing. :func:`recompute_all` gives the store's figures to a suite.
"""

from __future__ import annotations

import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bench.figures import BENCH_PASSPHRASE
from dpo_desk.application.desk import Desk
from dpo_desk.core.calendars import CALENDARS
from dpo_desk.core.deadlines import DeadlineInput, Pause, PauseKind, Rules, due_date
from dpo_desk.core.settings import RULES, TARGET_DAYS
from dpo_desk.store.db import open_store
from dpo_desk.store.keys import key_file_path, read_key_file, unwrap

if TYPE_CHECKING:  # sqlite_utils must load after dpo_desk, which makes it use SQLCipher
    from sqlite_utils import Database

CASES = 100_000
BENCH_KEY = bytes(range(32))  # synthetic data only: the bench stores need no keyring or passphrase


def requests(count: int, seed: int = 1) -> list[DeadlineInput]:
    rng = random.Random(seed)
    result = []
    for _ in range(count):
        received = date(2024, 1, 1) + timedelta(days=rng.randrange(5 * 365))
        pauses: tuple[Pause, ...] = ()
        if rng.random() < 0.2:  # one case in five waits for ID or a clarification
            start = received + timedelta(days=rng.randrange(5))
            pauses = (Pause(start, start + timedelta(days=rng.randrange(20)), rng.choice(list(PauseKind))),)
        result.append(
            DeadlineInput(received, rng.choice(CALENDARS), rng.choice(list(Rules)), pauses, rng.random() < 0.1)
        )
    return result


def median_seconds(action: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def stored_inputs(db: Database) -> tuple[list[Any], list[Any]]:
    """The bare SELECT of what a stored due date is computed from: the baseline for recomputing them all."""
    cases = db.execute(
        "SELECT id, entity_id, received_date, extension_notice_sent_on, due_date, extension_notice_due, target_date"
        " FROM cases"
    ).fetchall()
    pauses = db.execute("SELECT case_id, kind, start_date, end_date FROM pauses ORDER BY case_id, start_date, id")
    return cases, pauses.fetchall()


def inputs_of(db: Database, desk: Desk, today: date) -> list[DeadlineInput]:
    cases, pause_rows = stored_inputs(db)
    pauses: dict[int, list[Pause]] = {}
    for case_id, kind, start, end in pause_rows:
        begun = date.fromisoformat(start)
        pauses.setdefault(case_id, []).append(
            Pause(begun, date.fromisoformat(end) if end else max(begun, today), PauseKind(kind))
        )
    calendars = {entity.id: entity.calendar for entity in desk.register.entities()}
    rules = desk.settings.get(RULES)
    return [
        DeadlineInput(
            date.fromisoformat(received),
            calendars[entity_id],
            rules,
            tuple(pauses.get(case_id, ())),
            bool(extended),
        )
        for case_id, entity_id, received, extended, *_ in cases
    ]


def recompute_all(desk: Desk, db: Database, runs: int = 5) -> dict[str, float]:
    """Seconds, the median of ``runs``, to recompute every stored due date of the desk's store: with nothing
    to change, and after the internal target changed (rows rewritten, audited, as saving the Deadline
    settings does). Baselines: the bare SELECT of the columns they are computed from, ``due_date`` alone
    over the same inputs, and a bare ``executemany`` writing the same new targets. Writes to the store: give
    it a copy."""
    today = desk.today()
    inputs = inputs_of(db, desk, today)
    target_days = desk.settings.get(TARGET_DAYS)
    desk.apply_deadline_settings({TARGET_DAYS: target_days - 1}, {})
    shorter = {row[0]: row[6] for row in stored_inputs(db)[0]}
    desk.apply_deadline_settings({TARGET_DAYS: target_days}, {})
    usual = {row[0]: row[6] for row in stored_inputs(db)[0]}
    moved = [case_id for case_id, target in usual.items() if shorter[case_id] != target]
    targets = iter([target_days - 1, target_days] * runs)
    writes = iter([shorter, usual] * runs)

    def write_targets() -> None:
        written = next(writes)
        db.conn.execute("BEGIN IMMEDIATE")
        db.conn.executemany(
            "UPDATE cases SET target_date = ? WHERE id = ?", [(written[case_id], case_id) for case_id in moved]
        )
        db.conn.execute("COMMIT")

    figures = {
        "bare SELECT of the columns": median_seconds(lambda: stored_inputs(db), runs),
        "due_date alone": median_seconds(lambda: [due_date(request) for request in inputs], runs),
        "recompute, nothing changed": median_seconds(lambda: desk.cases.recompute_deadlines(today=today), runs),
        f"bare executemany of {len(moved):,} new targets": median_seconds(write_targets, runs * 2),
        "recompute after a new target (Deadline settings saved)": median_seconds(
            lambda: desk.apply_deadline_settings({TARGET_DAYS: next(targets)}, {}), runs * 2
        ),
    }
    print(f"recompute: {len(inputs):,} cases in the store, median of {runs} runs (goal: under 0.5 s)")
    for name, seconds in figures.items():
        print(f"  {name}: {seconds:.3f} s")
    return figures


def main() -> None:
    if len(sys.argv) > 1:
        store = Path(sys.argv[1])
        # The suite's cached store has a key file wrapped with its passphrase; a bench store its fixed key.
        key = unwrap(read_key_file(store), BENCH_PASSPHRASE) if key_file_path(store).exists() else BENCH_KEY
        copy = Path(tempfile.mkdtemp()) / "store.sqlite"
        shutil.copy(store, copy)
        with open_store(copy, key) as db:
            recompute_all(Desk(db, copy, key, actor="bench", clock=lambda: datetime.now(UTC)), db)
        shutil.rmtree(copy.parent)
    batch = requests(CASES)
    started = time.perf_counter()
    for request in batch:
        due_date(request)
    cold = time.perf_counter() - started
    started = time.perf_counter()
    for request in batch:
        due_date(request)
    warm = time.perf_counter() - started
    print(f"deadlines: {CASES:,} due dates in {cold:.3f} s (holiday cache cold), {warm:.3f} s (warm)")


if __name__ == "__main__":
    main()
