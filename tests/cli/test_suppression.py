"""`dpo-desk suppression`: a marketing tool's questions answered without the list ever holding an address."""

import csv
import json
import subprocess
from pathlib import Path

import pytest
from sqlite_utils import Database

from dpo_desk.cli import main
from dpo_desk.core.identifiers import email_key
from dpo_desk.core.models import Right
from dpo_desk.core.suppression import hash_of
from dpo_desk.store.outcomes import Outcomes
from tests.conftest import NOW, new_case


@pytest.fixture
def objector(db: Database, desk: object) -> None:
    outcomes: Outcomes = desk.outcomes  # type: ignore[attr-defined]
    case_id = outcomes.cases.add(
        new_case(emails=("Stop.Mail@Example.com",), phones=("912 34 567",), rights=(Right.OBJECTION,)),
        actor="d",
        now=NOW,
    )
    outcomes.record_outcome(case_id, "objection", {"direct_marketing": True, "done_on": "2026-06-01"}, actor="d",
                            now=NOW)  # fmt: skip


@pytest.mark.usefixtures("objector")
def test_check_answers_by_exit_code(store_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = ["--store", str(store_path), "suppression", "check"]
    assert main([*store, "STOP.MAIL@example.com"]) == 0
    assert "on the suppression list since 2026-11-29 (email)" in capsys.readouterr().out
    assert main([*store, "91234567", "--country", "NO"]) == 0
    assert main([*store, "+48 912 345 678"]) == 1
    assert "not on the suppression list" in capsys.readouterr().out
    assert main([*store, "ola..x@example.com"]) == 2
    assert "identifier: 'ola..x@example.com' is not an e-mail address" in capsys.readouterr().err


@pytest.mark.usefixtures("objector")
def test_export_gives_a_marketing_tool_what_it_needs_to_match(
    store_path: Path, tmp_path: Path, db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    store = ["--store", str(store_path), "suppression", "export"]
    assert main([*store, "--format", "json", "--out", str(tmp_path / "list.json")]) == 0
    assert "wrote 2 entries" in capsys.readouterr().out
    # Read back with another tool than the one that wrote it (jq), and matched as a marketing tool would.
    read = ["jq", "-c", ".suppression_list", str(tmp_path / "list.json")]
    document = json.loads(subprocess.run(read, check=True, capture_output=True, text=True).stdout)
    hashes = {entry["sha256"]: entry["kind"] for entry in document["entries"]}
    assert hashes == {
        hash_of(email_key("stop.mail@example.com"), document["salt"]): "email",
        hash_of("+4791234567", document["salt"]): "phone",
    }
    text = (tmp_path / "list.json").read_text()
    assert "E.164" in document["hashed_as"] and "stop.mail" not in text.casefold() and "91234567" not in text
    assert main([*store, "--format", "csv", "--out", str(tmp_path / "list.csv")]) == 0
    with (tmp_path / "list.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert {row["sha256"] for row in rows} == set(hashes) and {row["salt"] for row in rows} == {document["salt"]}
    assert (tmp_path / "list.csv").stat().st_mode & 0o077 == 0
    exports = db.execute("SELECT details FROM audit WHERE action = 'suppression-exported'").fetchall()
    assert [json.loads(row[0]) for row in exports] == [{"entries": 2, "file": "list.json"},
                                                        {"entries": 2, "file": "list.csv"}]  # fmt: skip
