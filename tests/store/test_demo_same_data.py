"""The demo store holds the same facts for the same seed, however it is built: each case-table's rows, the
search index, and the demo's audit entries (their seals included), digested per table and compared with
what the demo built before it was made fast (tests/data/demo_300_seed_7.json). The history's and the
audit's digests are newer: since the recipients told alike became one step, a case's notices take one
entry of each, not one per recipient (5,062 audit entries became 3,035; every other table is unchanged)."""

import hashlib
import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from dpo_desk.application.demo import DemoSteps, DeskSteps, create_demo_store, populate
from dpo_desk.application.desk import Desk
from dpo_desk.store import audit, seals
from dpo_desk.store.bulk import CaseBatch
from dpo_desk.store.db import open_store
from tests.conftest import TEST_KEY, desk_on

NOW = datetime(2026, 11, 29, 12, tzinfo=UTC)
CASES, SEED = 300, 7
EXPECTED = Path(__file__).parent.parent / "data" / f"demo_{CASES}_seed_{SEED}.json"

# Every table holding a case's rows, and the register rows the demo changes.
TABLES = (
    "case_events", "case_rights", "case_sources", "cases", "entities", "fee_items", "fees", "identity_checks",
    "identity_decisions", "notes", "outcomes", "pauses", "recipient_notices", "refusals", "subject_emails",
    "subject_phones", "subjects",
)  # fmt: skip
WITHOUT_ROWID = {"case_rights"}
# Added after the expected digests were written: derived from rows they hold (a case's first answer from its
# history, a name's key from its subject), and compared between the batch and the desk's services below.
NEWER_COLUMNS = {"cases": {"answered_on", "name_key"}}


def canonical_dump(db: Database, leave_out: dict[str, set[str]] | None = None) -> dict[str, list[str]]:
    """Each table's rows as canonical JSON lines, in value order (rowids are facts too, and are included)."""
    dump: dict[str, list[str]] = {}
    for table in TABLES:
        rowid = "" if table in WITHOUT_ROWID else "rowid AS _rowid, "
        cursor = db.execute(f"SELECT {rowid}* FROM {table}")
        names = [column[0] for column in cursor.description]
        left_out = (leave_out or {}).get(table, set())
        dump[table] = _lines(
            {name: value for name, value in zip(names, row, strict=True) if name not in left_out} for row in cursor
        )
    search = db.execute("SELECT rowid, reference, subject_name, emails, request_text FROM case_search")
    dump["case_search"] = _lines({"rowid": r[0], "text": list(r[1:])} for r in search)
    # The salt is random per store: what is on the list, not its hashes.
    dump["suppression"] = _lines(
        {"kind": k, "added_on": a} for k, a in db.execute("SELECT kind, added_on FROM suppression")
    )
    first = db.execute("SELECT min(seq) FROM audit WHERE actor = 'demo'").fetchone()[0]
    audit = db.execute(
        "SELECT seq - ?, at, actor, action, entity, entity_id, details, sealed_case,"
        " CASE typeof(case_state) WHEN 'blob' THEN lower(hex(case_state)) ELSE case_state END FROM audit"
        " WHERE actor = 'demo'",
        (first,),
    )
    fields = ("seq", "at", "actor", "action", "entity", "entity_id", "details", "sealed_case", "case_state")
    dump["audit"] = _lines(dict(zip(fields, row, strict=True)) for row in audit)
    return dump


def _lines(rows: Any) -> list[str]:
    return sorted(json.dumps(row, sort_keys=True, ensure_ascii=False) for row in rows)


def digests(dump: dict[str, list[str]]) -> dict[str, dict[str, Any]]:
    return {
        table: {"rows": len(lines), "sha256": hashlib.sha256("\n".join(lines).encode()).hexdigest()}
        for table, lines in sorted(dump.items())
    }


def demo_digests(path: Path) -> dict[str, dict[str, Any]]:
    create_demo_store(path, TEST_KEY, cases=CASES, seed=SEED, now=NOW)
    with open_store(path, TEST_KEY) as db:
        return digests(canonical_dump(db, NEWER_COLUMNS))


def test_the_demo_holds_the_same_facts_for_the_same_seed(tmp_path: Path) -> None:
    found = demo_digests(tmp_path / "demo.sqlite")
    expected = json.loads(EXPECTED.read_text(encoding="utf-8"))
    differ = [table for table in expected.keys() | found.keys() if expected.get(table) != found.get(table)]
    assert not differ, f"tables whose rows differ: {sorted(differ)}"


if __name__ == "__main__":  # writes the expected digests: only from the code the demo is compared with
    import sys
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        written = demo_digests(Path(folder) / "demo.sqlite")
    EXPECTED.write_text(json.dumps(written, indent=2) + "\n", encoding="utf-8")
    sys.stderr.write(f"wrote {EXPECTED}\n")


def test_the_batch_makes_the_store_the_desk_s_services_make(tmp_path: Path) -> None:
    """Another seed, and a batch written in chunks of 7 cases: the same rows as one call per step."""
    made = {}
    ways: dict[str, Callable[[Desk], DemoSteps]] = {
        "calls": DeskSteps,
        "batch": lambda desk: CaseBatch(desk._db, desk.cases, desk.settings, chunk=7),
    }
    for name, steps in ways.items():
        path = tmp_path / f"{name}.sqlite"
        with open_store(path, TEST_KEY) as db:
            populate(desk_on(db, path, TEST_KEY), cases=120, seed=3, steps=steps)
            made[name] = canonical_dump(db)
    assert made["calls"] == made["batch"]


def test_a_row_s_text_in_python_is_the_text_of_its_seal_s_sql(tmp_path: Path) -> None:
    path = tmp_path / "demo.sqlite"
    create_demo_store(path, TEST_KEY, cases=60, seed=2, now=NOW)
    with open_store(path, TEST_KEY) as db:
        checked = 0
        seals._plan(db)  # registers the SQL function a blob's text uses
        for table, columns in seals.sealed_tables(db).items():
            if any(column.kind == "blob" for column in columns):
                continue
            text = seals._row_text(db, table)
            cursor = db.execute(f"SELECT {text}, * FROM {table}")
            names = [column[0] for column in cursor.description][1:]
            for row in cursor:
                assert seals.row_text(columns, dict(zip(names, row[1:], strict=True))) == row[0], table
                checked += 1
        assert checked > 1000


def test_a_case_entry_spelt_out_is_the_entry_the_log_makes() -> None:
    now = datetime(2026, 3, 4, 12, 30, tzinfo=UTC)
    for value in ("plain", "Kowalska – Łódź", 'quote " and \\ slash', "tab\tnew\nline\x01", "😀 emoji", ""):
        details = {"from": value, "to": "b"}
        made = audit.entry_row(12, "ab" * 32, value, value, "case", 7, details, now, 7, "cd" * 16)
        row = audit.case_entry(
            "ab" * 32, 12, audit.entry_time(now), value, value, 7, audit.canonical(details), "cd" * 16
        )
        assert dict(zip(audit.CASE_ENTRY_COLUMNS, row, strict=True)) == audit.stored(made, compact=True)
