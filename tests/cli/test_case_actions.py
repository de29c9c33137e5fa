"""Every workflow action from the command line, and each refusal: exit 2, the reason, nothing changed."""

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from dpo_desk.cli import main
from dpo_desk.store.audit import AuditLog
from dpo_desk.store.db import open_store
from dpo_desk.store.keys import read_key_file, unwrap
from tests.conftest import TEST_PASSPHRASE

RECEIVED = (datetime.now(UTC) - timedelta(days=10)).replace(microsecond=0)
DAY = RECEIVED.date()


def on(days: int) -> str:
    return (DAY + timedelta(days=days)).isoformat()


@pytest.fixture
def store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    path = str(tmp_path / "store.sqlite")
    case = {
        "entity": "Altoros Americas LLC",
        "channel": "email",
        "received": RECEIVED.isoformat(),
        "rights": ["erasure", "objection"],
        "subject": {"name": "John Doe", "emails": ["john.doe@example.com"]},
        "text": "Delete my data and stop the newsletters.",
    }
    (tmp_path / "case.json").write_text(json.dumps(case))
    assert main(["--store", path, "case", "add", "--json", str(tmp_path / "case.json")]) == 0
    capsys.readouterr()
    return path


def act(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, store: str, action: str, document: object
) -> tuple[int, str, str]:
    file = tmp_path / f"{action}.json"
    file.write_text(json.dumps(document))
    code = main(["--store", store, "case", action, "DSR-" + str(DAY.year) + "-0001", "--json", str(file)])
    out, err = capsys.readouterr()
    return code, out, err


def show(capsys: pytest.CaptureFixture[str], store: str) -> dict:
    main(["--store", store, "case", "show", f"DSR-{DAY.year}-0001", "--json"])
    return json.loads(capsys.readouterr().out)


def test_a_case_from_received_to_closed(store: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def ok(action: str, document: dict) -> str:
        code, out, err = act(capsys, tmp_path, store, action, document)
        assert code == 0, err
        return out

    checked_at = (RECEIVED + timedelta(days=1)).isoformat()
    assert (
        ok(
            "identity-check",
            {
                "evidence": "passport",
                "method": "video-call",
                "checked_at": checked_at,
                "outcome": "passed",
                "reference": "1234",
            },
        )
        == "identity: pending\n"
    )
    assert (
        ok(
            "identity-check",
            {"evidence": "code-to-known-address", "method": "code-sent", "checked_at": checked_at, "outcome": "passed"},
        )
        == "identity: verified\n"
    )
    ok("status", {"to": "identity-check"})
    ok("status", {"to": "in-progress"})
    assert ok("pause", {"kind": "clarification", "start": on(2), "reason": "which newsletters?"}).startswith("paused")
    assert ok("resume", {"kind": "clarification", "end": on(4)}).startswith("resumed; due ")
    assert ok("extend", {"reasons": "data in six systems", "notice_sent_on": on(5)}).startswith("extended; due ")
    assert "Gmail" in ok("sources", {"sources": ["web-forms"]})
    ok(
        "outcome",
        {
            "right": "erasure",
            "details": {
                "ground": "17(1)(a)",
                "exception": "",
                "systems": ["CRM"],
                "backups_beyond_use": True,
                "done_on": on(6),
            },
        },
    )
    ok("outcome", {"right": "objection", "details": {"direct_marketing": True, "done_on": on(6)}})
    # The recipients told alike in one step: one document, one history entry.
    said = ok(
        "notify-recipient",
        {"recipients": ["wordpress", "hubspot"], "state": "notified", "on": on(7), "channel": "e-mail"},
    )
    assert said == "recipients WordPress (incl. WordPress Stats), HubSpot: notified\n"  # by name, not by key
    ok("notify-recipient", {"recipients": ["gmail"], "state": "notified", "on": on(7), "channel": "e-mail"})
    ok(
        "notify-recipient",
        # One document shape for every state, as scripts send it: the date is let through unused.
        {
            "recipients": ["google-cloud", "amazon", "altoros-group"],
            "state": "not-notified",
            "on": on(7),
            "reason": "erasure done by us in the shared storage",
        },
    )
    ok("recipients-told", {"on": on(8)})
    code, _, err = act(capsys, tmp_path, store, "recipients-told", {"on": on(9)})  # a one-time event
    assert code == 2 and f"the subject was told who the recipients are on {on(8)} already" in err
    ok("status", {"to": "response-ready"})
    ok("status", {"to": "responded"})
    ok("status", {"to": "closed"})
    shown = show(capsys, store)
    assert shown["status"] == "closed"
    assert shown["identity"] == "verified"
    assert shown["extension"]["notice_sent_on"] == on(5)
    assert [p["kind"] for p in shown["pauses"]] == ["clarification"]
    assert set(shown["outcomes"]) == {"erasure", "objection"}
    assert {r["recipient"]: r["state"] for r in shown["recipients"]}["gmail"] == "notified"
    main(["--store", store, "case", "show", f"DSR-{DAY.year}-0001"])
    history = capsys.readouterr().out
    assert "None" not in history and f"recipients-told  on {on(8)}" in history  # each step by its name
    assert "in-progress → response-ready" in history
    # The history and the audit tell the same story, step for step, and the status is where both end.
    key = unwrap(read_key_file(Path(store)), TEST_PASSPHRASE)
    with open_store(Path(store), key, create=False) as db:
        audited = [entry.action for entry in AuditLog(db).of_case(1)]
    assert audited == [event["action"] for event in shown["history"]]
    assert [event["to"] for event in shown["history"] if event["to"]][-1] == shown["status"]


@pytest.mark.parametrize(
    ("action", "document", "message"),
    [
        (
            "identity-check",
            {"evidence": "passport", "method": "telepathy", "checked_at": "2026-01-01T00:00:00Z", "outcome": "passed"},
            "method: 'telepathy' is not one of",
        ),
        (
            "identity-check",
            {
                "evidence": "passport",
                "method": "video-call",
                "checked_at": "2026-01-01T00:00:00Z",
                "outcome": "passed",
                "reference": "AB1234567",
            },
            "at most 4 characters",
        ),
        ("identity-waive", {"reason": " "}, "reason: say why"),
        ("pause", {"kind": "identity", "start": "1999-01-01", "reason": "doubt"}, "before the request was received"),
        ("resume", {"kind": "identity", "end": on(1)}, "no pause of the clock is open"),
        ("extend", {"reasons": "complex", "notice_sent_on": "2099-01-01"}, "in the future"),
        (
            "fee",
            {
                "basis": "excessive-or-repetitive",
                "facts": "again",
                "items": [],
                "currency": "EUR",
                "announced_on": on(1),
                "answer_by": on(20),
            },
            "items: give the cost calculation",
        ),
        ("fee-answer", {"state": "paid", "on": on(1)}, "no fee decision"),
        ("refuse", {"partial": False, "grounds": ["99"], "reasons": "x", "decided_on": on(1)}, "grounds: '99'"),
        ("outcome", {"right": "access", "details": {"provided_on": on(1)}}, "does not invoke access"),
        ("sources", {"sources": ["moon-base"]}, "sources: 'moon-base' is not one of website-cookies, web-forms, "),
        (
            "notify-recipient",
            {"recipients": ["drift"], "state": "notified", "on": on(1), "channel": "e-mail"},
            "no recipients to notify (Art. 19)",
        ),
        ("recipients-told", {"on": on(1)}, "no recipients"),
        ("refuse", {"grounds": ["12(5)"], "reasons": "x", "decided_on": on(1)}, "partial: missing field"),
        (
            "outcome",
            {"right": "objection", "details": {"direct_marketing": False, "assessment": "weighed", "done_on": on(1)}},
            "upheld: true or false",
        ),
        ("outcome", {"right": ["erasure"], "details": {}}, "right: ['erasure'] is not one of"),
        ("outcome", {"right": "erasure", "details": ["x"]}, "details: must be an object"),
        ("outcome", {"right": "erasure", "ground": "17(1)(a)"}, "ground: not a field here; the fields go in 'details'"),
        ("sources", {}, "sources: missing field"),
        (
            "fee",
            {
                "basis": "further-copy",
                "facts": "copy",
                "items": [{"description": "x", "quantity": "NaN", "unit_cost": 1}],
                "currency": "EUR",
                "announced_on": on(1),
                "answer_by": on(20),
            },
            "needs numbers",
        ),
        ("status", {"to": "closed"}, "give a reason"),
        ("status", {"to": "paused"}, "to: 'paused' is not one of"),
    ],
)
def test_refused_actions_exit_2_and_change_nothing(
    store: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], action: str, document: dict, message: str
) -> None:
    before = show(capsys, store)
    code, out, err = act(capsys, tmp_path, store, action, document)
    assert code == 2 and out == ""
    assert message in err and err.count("\n") == 1
    assert show(capsys, store) == before


def test_extension_after_the_deadline_is_refused_naming_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(tmp_path / "late.sqlite")
    case = {
        "entity": "Altoros Americas LLC",
        "channel": "letter",
        "received": "2026-01-05T15:00:00+00:00",
        "rights": ["access"],
        "subject": {"name": "Jane Roe", "address": "1 Example Street"},
    }
    (tmp_path / "case.json").write_text(json.dumps(case))
    main(["--store", path, "case", "add", "--json", str(tmp_path / "case.json")])
    (tmp_path / "extend.json").write_text(json.dumps({"reasons": "complex", "notice_sent_on": "2026-02-20"}))
    capsys.readouterr()
    code = main(["--store", path, "case", "extend", "DSR-2026-0001", "--json", str(tmp_path / "extend.json")])
    err = capsys.readouterr().err
    assert code == 2
    assert "the extension notice had to be sent by Thu 5 Feb 2026; it was sent on Fri 20 Feb 2026" in err


def test_case_help_documents_every_action(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["case", "--help"])
    text = capsys.readouterr().out
    for action in (
        "identity-check",
        "identity-waive",
        "pause",
        "resume",
        "extend",
        "fee",
        "refuse",
        "outcome",
        "notify-recipient",
        "status",
    ):
        assert f"  {action}: " in text
    assert (
        "JSON fields: reasons (told to the subject: complexity, number of requests), notice_sent_on (YYYY-MM-DD" in text
    )
    assert "right erasure: ground (17(1)(a)|" in text and "state not-notified: recipient" in text


def test_letter_command(store: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], qapp: object) -> None:
    import os
    import stat

    reference = f"DSR-{DAY.year}-0001"
    assert main(["letter", "--list-kinds"]) == 0
    assert "acknowledgement" in capsys.readouterr().out
    out_file = tmp_path / "ack.pdf"
    assert main(["--store", store, "letter", reference, "acknowledgement", "--out", str(out_file)]) == 2
    assert "Altoros Americas LLC: Street address is missing" in capsys.readouterr().err and not out_file.exists()
    assert main(["--store", store, "entity", "set", "Altoros Americas LLC", "street=1 Test St", "city"]) == 2
    assert "'city': write FIELD=VALUE" in capsys.readouterr().err
    assert main(["--store", store, "entity", "set", "altoros-americas", "street=1 Test St", "country=SE"]) == 2
    assert "country: not a field of an entity" in capsys.readouterr().err
    code = main(["--store", store, "entity", "set", "altoros-americas", "street=1 Test St", "postal_code=10001",
                 "city=New York"])  # fmt: skip
    assert code == 0 and "letters: may be printed" in capsys.readouterr().out
    assert main(["--store", store, "entity", "list", "--json"]) == 0
    listed = {row["key"]: row for row in json.loads(capsys.readouterr().out)}
    assert listed["altoros-americas"]["street"] == "1 Test St" and listed["altoros-poland"]["address_to_replace"]
    assert main(["--store", store, "entity", "list"]) == 0
    assert "as to be replaced" in capsys.readouterr().out
    future = (date.today() + timedelta(days=1)).isoformat()
    code = main(["--store", store, "letter", reference, "acknowledgement", "--out", str(out_file), "--date", future])
    assert code == 2 and "date: the letter's date must lie between the receipt" in capsys.readouterr().err
    assert main(["--store", store, "letter", reference, "acknowledgement", "--out", str(out_file)]) == 0
    assert capsys.readouterr().out.strip().isdigit() and out_file.exists()
    for args, message in (
        ([reference, "poem"], "unknown letter kind 'poem'"),
        (["DSR-1999-0001", "acknowledgement"], "no case with reference"),
        ([reference, "access-response"], "does not invoke access"),
        ([reference, "recipients-list"], "no Art. 19 recipients"),
    ):
        code = main(["--store", store, "letter", *args, "--out", str(tmp_path / "x.pdf")])
        assert code == 2 and message in capsys.readouterr().err
    checked_at = (RECEIVED + timedelta(days=1)).isoformat()
    for evidence, method in (("passport", "video-call"), ("account-login", "account-login")):
        act(
            capsys,
            tmp_path,
            store,
            "identity-check",
            {"evidence": evidence, "method": method, "checked_at": checked_at, "outcome": "passed"},
        )
    act(capsys, tmp_path, store, "sources", {"sources": ["web-forms"]})
    password_file = tmp_path / "pw.txt"
    assert (
        main(
            [
                "--store",
                store,
                "letter",
                reference,
                "recipients-list",
                "--out",
                str(tmp_path / "list.pdf"),
                "--password-file",
                str(password_file),
            ]
        )
        == 0
    )
    assert stat.S_IMODE(os.stat(password_file).st_mode) == 0o600
    assert len(password_file.read_text().strip()) == 24


def test_a_recipient_notice_goes_to_one_recipient(
    store: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], qapp: object
) -> None:
    reference = f"DSR-{DAY.year}-0001"
    main(["--store", store, "entity", "set", "altoros-americas", "street=1 Test St", "city=New York"])
    act(capsys, tmp_path, store, "sources", {"sources": ["web-forms"]})
    erased = {"right": "erasure", "details": {"ground": "17(1)(a)", "systems": ["CRM"], "backups_beyond_use": False,
                                              "done_on": DAY.isoformat()}}  # fmt: skip
    assert act(capsys, tmp_path, store, "outcome", erased)[0] == 0
    out = tmp_path / "notice.pdf"
    assert main(["--store", store, "letter", reference, "recipient-notice", "--out", str(out)]) == 2
    assert "recipient: a recipient notice goes to one recipient; give its key" in capsys.readouterr().err
    code = main(
        ["--store", store, "letter", reference, "recipient-notice", "--out", str(out), "--recipient", "hubspot"]
    )
    assert code == 2 and "the processor sheet has no Postal address and no Privacy / DPO e-mail" in (
        capsys.readouterr().err
    )
    code = main(["--store", store, "letter", reference, "recipient-notice", "--out", str(out), "--recipient", "amazon"])
    assert code == 0 and out.exists()  # its published address
    out.unlink()
    sheets = tmp_path / "sheets.json"
    main(["--store", store, "processors", "export", "--format", "json", "--out", str(sheets)])
    records = json.loads(sheets.read_text())
    for record in records if isinstance(records, list) else records["processors"]:
        if record["key"] == "hubspot":
            record["privacy_email"] = "privacy@hubspot.example"
    sheets.write_text(json.dumps(records))
    assert main(["--store", store, "processors", "import", str(sheets), "--apply"]) == 0
    capsys.readouterr()
    code = main(
        ["--store", store, "letter", reference, "recipient-notice", "--out", str(out), "--recipient", "hubspot"]
    )
    assert code == 0 and out.exists()
    out.unlink()
    code = main(["--store", store, "letter", reference, "recipient-notice", "--out", str(out), "--recipient", "gmail"])
    assert code == 2 and "no Postal address and no Privacy / DPO e-mail" in capsys.readouterr().err
    code = main(["--store", store, "letter", reference, "recipient-notice", "--out", str(out), "--recipient", "nope"])
    assert code == 2 and "'nope' is not a recipient of this case" in capsys.readouterr().err
    assert not out.exists()


def test_letter_files_are_never_replaced_lost_or_followed(
    store: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], qapp: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--out into a missing folder printed a traceback; an existing file was overwritten (its register
    SHA-256 then matched nothing); a relative path was stored as typed; --password-file kept an existing
    file's mode and wrote through a symlink."""
    import os
    import stat

    reference = f"DSR-{DAY.year}-0001"
    main(["--store", store, "entity", "set", "altoros-americas", "street=1 Test St", "city=New York"])
    capsys.readouterr()
    letter = ["--store", store, "letter", reference, "acknowledgement", "--out"]
    assert main([*letter, str(tmp_path / "missing" / "a.pdf")]) == 2
    err = capsys.readouterr().err
    assert "missing: no such folder" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    kept = tmp_path / "kept.pdf"
    kept.write_bytes(b"the DPO's own file")
    assert main([*letter, str(kept)]) == 2
    assert "a letter never overwrites a file" in capsys.readouterr().err and kept.read_bytes() == b"the DPO's own file"
    monkeypatch.chdir(tmp_path)
    assert main([*letter, "relative.pdf"]) == 0
    letter_id = int(capsys.readouterr().out)
    main(["--store", store, "case", "show", reference, "--json"])
    capsys.readouterr()
    key = unwrap(read_key_file(Path(store)), TEST_PASSPHRASE)
    with open_store(Path(store), key, create=False) as db:
        stored = db.execute("SELECT file FROM letters WHERE id = ?", (letter_id,)).fetchone()[0]
    assert stored == str(tmp_path / "relative.pdf")
    victim = tmp_path / "victim.txt"
    victim.write_text("not a password file")
    victim.chmod(0o644)
    (tmp_path / "pw.txt").symlink_to(victim)
    act(capsys, tmp_path, store, "sources", {"sources": ["web-forms"]})
    for evidence, method in (("passport", "video-call"), ("account-login", "account-login")):
        act(capsys, tmp_path, store, "identity-check", {"evidence": evidence, "method": method,
            "checked_at": (RECEIVED + timedelta(days=1)).isoformat(), "outcome": "passed"})  # fmt: skip
    code = main(["--store", store, "letter", reference, "recipients-list", "--out", str(tmp_path / "list.pdf"),
                 "--password-file", str(tmp_path / "pw.txt")])  # fmt: skip
    assert code == 0, capsys.readouterr().err
    assert victim.read_text() == "not a password file"
    password_file = tmp_path / "pw.txt"
    assert not password_file.is_symlink() and stat.S_IMODE(os.stat(password_file).st_mode) == 0o600


def test_a_passphrase_opens_in_either_unicode_form_and_bad_bytes_are_named(
    store: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import unicodedata

    from dpo_desk.store.keys import change_passphrase

    key = unwrap(read_key_file(Path(store)), TEST_PASSPHRASE)
    composed = "blåbærsyltetøy på en kald vinterdag"
    change_passphrase(Path(store), key, composed)
    assert unwrap(read_key_file(Path(store)), unicodedata.normalize("NFD", composed)) == key  # as a Mac types it
    monkeypatch.setattr("dpo_desk.store.keys.keyring_load", lambda store_id: None)  # no keyring: the passphrase
    monkeypatch.setenv("DPO_DESK_PASSPHRASE", "blåbær\udcff")  # a byte that is not UTF-8, as os.environ gives it
    assert main(["--store", store, "case", "list"]) == 2
    err = capsys.readouterr().err
    assert "passphrase: it is not valid UTF-8 text" in err and "Traceback" not in err


def test_entity_set_changes_the_calendar_and_names_a_wrong_one_by_its_label(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = str(tmp_path / "store.sqlite")
    case = {
        "entity": "Altoros Americas LLC", "channel": "email", "received": "2026-04-14T15:00:00+00:00",
        "rights": ["access"], "subject": {"name": "John Doe", "emails": ["john.doe@example.com"]}, "text": "My data?",
    }  # fmt: skip
    (tmp_path / "case.json").write_text(json.dumps(case))
    assert main(["--store", store, "case", "add", "--json", str(tmp_path / "case.json")]) == 0
    capsys.readouterr()
    for assignment, message in (
        ("calendar=SE", "Calendar: 'SE' is not a calendar; choose one of NO, FI, PL, none"),
        ("time_zone=Europe/Osloo", "Time zone: 'Europe/Osloo' is not an IANA time zone, such as Europe/Oslo"),
    ):
        assert main(["--store", store, "entity", "set", "altoros-americas", assignment]) == 2
        assert capsys.readouterr().err.strip().endswith(message)
    assert main(["--store", store, "entity", "set", "altoros-americas", "calendar=NO"]) == 0
    out = capsys.readouterr().out
    assert "moved: DSR-2026-0001: legal due date Thu 14 May 2026 → Fri 15 May 2026" in out
    assert main(["--store", store, "case", "show", "DSR-2026-0001", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["due"] == "2026-05-15"
    assert main(["--store", store, "entity", "list"]) == 0
    assert "deadlines: calendar NO, receipts read in America/New_York" in capsys.readouterr().out


def test_entity_add_needs_name_country_calendar_and_zone(store: str, capsys: pytest.CaptureFixture[str]) -> None:
    given = ["name=Nordlys Data AS", "country=NO", "calendar=NO"]
    assert main(["--store", store, "entity", "add", *given]) == 2
    assert capsys.readouterr().err.strip() == "dpo-desk: Time zone: missing"
    assert main(["--store", store, "entity", "add", *given, "time_zone=Europe/Oslo", "street=Storgata 1"]) == 0
    assert capsys.readouterr().out.startswith("nordlys-data-as: Nordlys Data AS added; letters: ")
    assert main(["--store", store, "entity", "add", *given, "time_zone=Europe/Oslo"]) == 2
    assert "Name: 'Nordlys Data AS' is already known as 'Nordlys Data AS'" in capsys.readouterr().err
    assert main(["--store", store, "entity", "list", "--json"]) == 0
    listed = {row["key"]: row for row in json.loads(capsys.readouterr().out)}
    assert listed["nordlys-data-as"]["street"] == "Storgata 1" and listed["nordlys-data-as"]["country"] == "NO"
