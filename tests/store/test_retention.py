"""Retention: the DPO previews the expired cases; the purge removes exactly those, or anonymisation strips them,
audited, leaving no trace in any page of the store (decrypted and scanned)."""

import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlite_utils import Database

from dpo_desk.application.desk import Desk
from dpo_desk.cli import main
from dpo_desk.core.errors import InputError, RefusedError
from dpo_desk.core.identity import Evidence, IdentityCheck, Method, Outcome
from dpo_desk.core.models import CaseQuery, Status
from dpo_desk.core.settings import RETENTION_MONTHS
from dpo_desk.store.cases import CaseRepository
from dpo_desk.store.db import open_store
from dpo_desk.store.retention import anonymise, expired_cases, purge
from dpo_desk.store.verify import verify
from tests.conftest import NOW, new_case
from tests.sqlcipher_pages import decrypted_store

TODAY = date(2026, 11, 29)
CANARY = "Canary Qzxwvj"


def withdrawn_on(repo: CaseRepository, day: datetime, name: str, emails: tuple[str, ...] = ()) -> int:
    case_id = repo.add(
        new_case(name=name, emails=emails or (f"{name.split()[-1].lower()}@example.com",), received=day,
                 text=f"please erase {name}"),
        actor="dpo", now=day,
    )  # fmt: skip
    repo.change_status(case_id, Status.WITHDRAWN, actor="dpo", reason="subject withdrew", now=day)
    return case_id


@pytest.fixture
def cases(repo: CaseRepository) -> dict[str, int]:
    return {
        "old": withdrawn_on(repo, datetime(2023, 5, 2, 10, tzinfo=UTC), CANARY),
        "edge": withdrawn_on(repo, datetime(2023, 11, 29, 10, tzinfo=UTC), "Edge Case"),
        "recent": withdrawn_on(repo, datetime(2026, 1, 10, 10, tzinfo=UTC), "Recent Person"),
        "open": repo.add(new_case(name="Open Person", received=datetime(2022, 1, 3, tzinfo=UTC)), actor="d", now=NOW),
    }


def test_preview_lists_cases_ended_more_than_the_period_ago(
    repo: CaseRepository, cases: dict[str, int], db: Database
) -> None:
    expired = expired_cases(db, today=TODAY, months=36)
    assert [case.case_id for case in expired] == [cases["old"]]  # ended exactly 36 months ago: kept one more day
    assert expired[0].status == "withdrawn" and expired[0].ended_on == date(2023, 5, 2)
    assert {case.case_id for case in expired_cases(db, today=date(2026, 11, 30), months=36)} == {
        cases["old"],
        cases["edge"],
    }


def test_purge_removes_the_case_everywhere_and_audits_it(
    repo: CaseRepository, db: Database, cases: dict[str, int], store_path: Path, store_key: bytes
) -> None:
    assert CANARY.encode() in decrypted_store(store_path, store_key)  # the scan below does see case data
    old = repo.get_by_id(cases["old"]).reference
    assert purge(db, [cases["old"]], today=TODAY, months=36, actor="dpo", now=NOW) == [old]
    remaining = {row[0] for row in db.execute("SELECT id FROM cases")}
    assert remaining == {cases["edge"], cases["recent"], cases["open"]}
    assert db.execute("SELECT count(*) FROM subjects WHERE name = ?", (CANARY,)).fetchone()[0] == 0
    assert repo.find_ids(CaseQuery(text="Qzxwvj"), today=TODAY) == []
    last = db.execute("SELECT action, entity_id, details FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    assert last[0] == "retention-purge" and last[1] == str(cases["old"]) and old in last[2]
    assert CANARY not in last[2]
    assert verify(db).ok
    db.close()
    # Decrypted, every page (free ones included) and the -wal: secure_delete and the index rebuild left nothing.
    pages = decrypted_store(store_path, store_key)
    assert CANARY.encode() not in pages and b"qzxwvj" not in pages.lower()


def test_anonymising_keeps_the_case_for_statistics_without_the_subject_or_free_text(
    repo: CaseRepository, desk: Desk, db: Database, cases: dict[str, int], store_path: Path, store_key: bytes,
    tmp_path: Path,
) -> None:  # fmt: skip
    case_id = cases["old"]
    check = IdentityCheck(Evidence.PASSPORT, Method.VIDEO_CALL, "dpo", datetime(2023, 5, 2, 11, tzinfo=UTC),
                          Outcome.PASSED, reference="4711", note=f"{CANARY} showed a passport")  # fmt: skip
    desk.workflow.record_check(case_id, check, actor="dpo", now=NOW)
    repo.add_note(case_id, f"called {CANARY} back", author="dpo", now=NOW)
    before = repo.get_by_id(case_id)
    crm = tmp_path / f"{CANARY}-crm.json"
    crm.write_text(json.dumps([{"email": before.subject.emails[0], "notes": f"{CANARY} asked for a demo"}]))
    source = desk.data.source("web-forms")
    desk.data.take(case_id, desk.data.preview(case_id, crm), source, accept_matched=True, keep_file=True)
    reference = before.reference
    assert anonymise(db, [case_id], today=TODAY, months=36, actor="dpo", now=NOW) == [reference]

    after = repo.get_by_id(case_id)
    assert after.subject.name == "(anonymised)" and after.subject.emails == () and after.text == ""
    assert (after.reference, after.entity, after.rights, after.status) == (
        before.reference, before.entity, before.rights, before.status,
    )  # fmt: skip
    assert after.deadlines == before.deadlines and after.received_at == before.received_at
    assert db.execute("SELECT note, reference FROM identity_checks WHERE case_id = ?", (case_id,)).fetchall() == [
        ("", "")
    ]
    assert db.execute("SELECT count(*) FROM notes WHERE case_id = ?", (case_id,)).fetchone()[0] == 0
    assert desk.data.store.records(case_id) == [] and desk.data.store.imports(case_id) == []
    assert repo.find_ids(CaseQuery(text="Qzxwvj"), today=TODAY) == []
    assert db.execute("SELECT count(*) FROM subjects WHERE name = ?", (CANARY,)).fetchone()[0] == 0
    last = db.execute("SELECT action, entity_id FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    assert last == ("retention-anonymise", str(case_id))
    assert verify(db).ok
    db.close()
    pages = decrypted_store(store_path, store_key)
    assert CANARY.encode() not in pages and b"qzxwvj" not in pages.lower()


@pytest.mark.parametrize("ending", [purge, anonymise])
def test_a_file_attached_by_hand_goes_with_the_case(
    ending: Callable[..., list[str]], desk: Desk, db: Database, cases: dict[str, int], store_path: Path,
    store_key: bytes,
) -> None:  # fmt: skip
    case_id = cases["old"]
    desk.attached.add(case_id, f"{CANARY}.txt", "text/plain", f"letter of {CANARY}".encode(), actor="dpo", now=NOW)
    ending(db, [case_id], today=TODAY, months=36, actor="dpo", now=NOW)
    assert desk.attachments(case_id) == []
    assert verify(db).ok
    db.close()
    assert CANARY.encode() not in decrypted_store(store_path, store_key)


def test_an_anonymised_case_leaves_the_list_so_no_later_run_undoes_the_choice(
    repo: CaseRepository, db: Database, cases: dict[str, int]
) -> None:
    anonymise(db, [cases["old"]], today=TODAY, months=36, actor="dpo", now=NOW)
    assert cases["old"] not in [case.case_id for case in expired_cases(db, today=TODAY, months=36)]
    with pytest.raises(RefusedError, match=f"cases {cases['old']} are not past retention"):
        purge(db, [cases["old"]], today=TODAY, months=36, actor="dpo", now=NOW)
    assert repo.get_by_id(cases["old"]).subject.name == "(anonymised)"  # kept for the statistics


def test_purge_refuses_a_case_not_past_retention_and_changes_nothing(
    repo: CaseRepository, db: Database, cases: dict[str, int]
) -> None:
    with pytest.raises(RefusedError, match=f"cases {cases['recent']} are not past retention"):
        purge(db, [cases["old"], cases["recent"]], today=TODAY, months=36, actor="dpo", now=NOW)
    assert db.execute("SELECT count(*) FROM cases").fetchone()[0] == 4


def test_a_subject_with_another_case_is_kept(repo: CaseRepository, db: Database) -> None:
    first = withdrawn_on(repo, datetime(2020, 1, 6, tzinfo=UTC), "Same Person", ("same@example.com",))
    second = repo.add(
        new_case(name="Same Person", emails=("same@example.com",)), actor="dpo", now=NOW,
        same_subject_as=first,
    )  # fmt: skip
    purge(db, [first], today=TODAY, months=36, actor="dpo", now=NOW)
    assert repo.get_by_id(second).subject.emails == ("same@example.com",)


def test_the_period_is_a_setting(desk: Desk) -> None:
    assert desk.settings.get(RETENTION_MONTHS) == 36
    desk.save_settings({RETENTION_MONTHS: 72})
    assert desk.settings.get(RETENTION_MONTHS) == 72
    with pytest.raises(InputError, match="between 1 and 240"):
        desk.save_settings({RETENTION_MONTHS: 0})


def test_cli_previews_then_purges(
    repo: CaseRepository,
    cases: dict[str, int],
    store_path: Path,
    store_key: bytes,
    capsys: pytest.CaptureFixture[str],
    db: Database,
) -> None:
    old = repo.get_by_id(cases["old"]).reference
    assert main(["--store", str(store_path), "retention", "--today", "2026-11-29"]) == 0
    out = capsys.readouterr().out
    assert old in out and "1 case" in out and "--purge" in out
    assert db.execute("SELECT count(*) FROM cases").fetchone()[0] == 4
    assert main(["--store", str(store_path), "retention", "--today", "2026-11-29", "--purge"]) == 2
    refused = capsys.readouterr()
    assert refused.out.startswith(old) and "add --yes to purge the 1 case(s) listed" in refused.err
    assert db.execute("SELECT count(*) FROM cases").fetchone()[0] == 4  # named, not deleted
    assert main(["--store", str(store_path), "retention", "--today", "2026-11-29", "--purge", "--yes"]) == 0
    assert f"purged {old}" in capsys.readouterr().out
    with open_store(store_path, store_key, create=False) as db:
        assert db.execute("SELECT count(*) FROM cases").fetchone()[0] == 3


def test_cli_anonymises_instead(
    repo: CaseRepository, cases: dict[str, int], store_path: Path, capsys: pytest.CaptureFixture[str], db: Database
) -> None:
    old = repo.get_by_id(cases["old"]).reference
    assert main(["--store", str(store_path), "retention", "--today", "2026-11-29", "--anonymise", "--yes"]) == 0
    assert f"anonymised {old}" in capsys.readouterr().out
    assert repo.get_by_id(cases["old"]).subject.name == "(anonymised)"
    assert db.execute("SELECT count(*) FROM cases").fetchone()[0] == 4
    with pytest.raises(SystemExit) as refused:  # one or the other, as argparse says
        main(["--store", str(store_path), "retention", "--purge", "--anonymise"])
    assert refused.value.code == 2 and "not allowed with" in capsys.readouterr().err
