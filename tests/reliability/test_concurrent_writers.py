"""Suite T4: every audited write works while another process writes to the same store.

backup() and the daily backup wrote their audit entry outside a locked transaction, so both processes took
the same audit.seq: "dpo-desk backup" failed 4 of 4 times, the daily backup 6 of 10, while a CLI wrote.
"""

import subprocess
import sys
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from dpo_desk.application.desk import Desk
from dpo_desk.core.models import Right
from dpo_desk.core.settings import BACKUPS_KEPT, DUE_SOON_DAYS
from dpo_desk.store.db import open_store
from dpo_desk.store.verify import verify
from tests.conftest import NOW, TEST_KEY, Template, daily_backup, desk_on, fresh_store, new_case

ROUNDS = 8


def test_audited_writes_while_another_process_writes(tmp_path: Path, template: Template) -> None:
    store = fresh_store(template, tmp_path / "store.sqlite")
    db = open_store(store, TEST_KEY)
    desk: Desk = desk_on(db, store, TEST_KEY)
    objector = desk.cases.add(new_case(rights=(Right.OBJECTION,)), actor="dpo", now=NOW)
    writer = subprocess.Popen(
        [sys.executable, "-m", "tests.reliability.concurrent_writer", str(store)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).parents[2],
    )
    assert writer.stdout is not None and writer.stdout.readline() == "READY\n"
    paths: dict[str, Callable[[int], object]] = {
        "backup": lambda n: desk.backup(tmp_path / f"copy-{n}.sqlite"),
        "daily backup": lambda n: daily_backup(desk, date(2026, 1, 1) + timedelta(days=n)),
        "settings": lambda n: desk.save_settings({DUE_SOON_DAYS: n + 1, BACKUPS_KEPT: n + 2}),
        "outcome": lambda n: desk.outcomes.record_outcome(
            objector, "objection", {"direct_marketing": True, "done_on": "2026-11-01"}, actor="dpo", now=NOW
        ),
        "suppression export": lambda n: desk.export_suppression("json", tmp_path / f"list-{n}.json"),
    }
    failures = []
    try:
        for number in range(ROUNDS):
            for name, write in paths.items():
                try:
                    write(number)
                except Exception as error:  # the finding: any failure while the other process writes
                    failures.append(f"{name} {number}: {error}")
    finally:
        (tmp_path / "STOP").touch()
        written = writer.communicate(timeout=60)[0]
    assert failures == []
    assert written.startswith("WROTE ") and int(written.split()[1]) > 0  # the other process wrote meanwhile
    report = verify(db)
    assert report.ok, report.lines()
    db.close()
