"""Creating a demo store: the seeded register plus synthetic cases, never over an existing store."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from sqlite_utils import Database

from dpo_desk.core.demo import demo_cases
from dpo_desk.store.cases import CaseRepository
from dpo_desk.store.db import StoreError, open_store, write_transaction

DEMO_ACTOR = "demo"


def create_demo_store(
    path: Path,
    *,
    cases: int,
    seed: int,
    now: datetime,
    progress: Callable[[int, int], None] | None = None,
) -> None:
    """Create ``path`` with the register and ``cases`` synthetic cases; refuse if it exists."""
    if path.exists():
        raise StoreError(f"{path} already exists; the demo never overwrites a store")
    db = open_store(path)
    try:
        populate(db, cases=cases, seed=seed, now=now, progress=progress)
    finally:
        db.close()


def populate(
    db: Database,
    *,
    cases: int,
    seed: int,
    now: datetime,
    progress: Callable[[int, int], None] | None = None,
) -> None:
    """Add demo cases through the same repository calls the app uses, in one transaction."""
    repo = CaseRepository(db)
    names = [entity.name for entity in repo.register.entities()]
    with write_transaction(db):
        for done, demo in enumerate(demo_cases(cases, seed=seed, entity_names=names, now=now), start=1):
            case_id = repo.add(demo.case, actor=DEMO_ACTOR, now=demo.case.received)
            for status, when, reason in demo.steps:
                repo.change_status(case_id, status, actor=DEMO_ACTOR, reason=reason, now=when)
            if progress is not None:
                progress(done, cases)
