"""Versioned migrations of the store. A released migration is never edited: add the next one."""

from __future__ import annotations

from importlib.resources import files

from sqlite_utils import Database, Migrations

from dpo_desk.store.seed import seed_register

migrations = Migrations("dpo_desk")


@migrations(name="0001_initial")
def initial_schema(db: Database) -> None:
    db.executescript(files("dpo_desk.store").joinpath("schema_0001.sql").read_text(encoding="utf-8"))


@migrations(name="0002_seed_register")
def seeded_register(db: Database) -> None:
    """A new store starts with the register in data/: entities, processors and sources."""
    seed_register(db)


@migrations(name="0003_workflow")
def workflow(db: Database) -> None:
    """Identity checks and decisions, pauses of the clock, and the extension."""
    db.executescript(files("dpo_desk.store").joinpath("schema_0003.sql").read_text(encoding="utf-8"))
