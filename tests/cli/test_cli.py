"""The command line, in the forms scripts depend on; every refusal exits 2 with one line on stderr."""

import csv
import gc
import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from dpo_desk import __version__
from dpo_desk.cli import main
from dpo_desk.paths import demo_store
from tests.conftest import TEST_PASSPHRASE, MemoryKeyring

CASE = {
    "entity": "Altoros Finland Oy",
    "channel": "web-form",
    "received": "2026-05-19T10:00:00+03:00",
    "rights": ["access", "portability"],
    "subject": {
        "name": "Maija Meikäläinen",
        "emails": ["maija@example.fi"],
        "phones": ["+358 40 000 0000"],
        "address": "Esimerkkikatu 1\n00100 Helsinki",
    },
    "text": "Haluan kopion tiedoistani.",
}


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def write_case(tmp_path: Path, document: object, name: str = "case.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    first, log = capsys.readouterr().out.splitlines()
    assert first == f"dpo-desk {__version__}"
    assert log.startswith("log: ") and log.endswith("dpo-desk.log")  # where to look when something went wrong


def test_a_log_folder_that_cannot_be_made_stops_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "a-file"
    home.write_text("not a folder")
    monkeypatch.setenv("DPO_DESK_HOME", str(home))
    assert main(["due", "--received", "2026-01-05"]) == 0
    assert capsys.readouterr().out == "2026-02-05\n"


def test_entry_points_run_headless(tmp_path: Path) -> None:
    for command in (
        [sys.executable, "-m", "dpo_desk", "--version"],
        [Path(sys.executable).parent / "dpo-desk", "--version"],
    ):
        result = subprocess.run(command, capture_output=True, text=True, check=True, env={"PATH": "/usr/bin"})
        assert result.stdout.splitlines()[0] == f"dpo-desk {__version__}"


def test_demo_creates_a_store_and_never_overwrites_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = tmp_path / "demo.sqlite"
    code, out, _ = run(capsys, "--store", str(store), "demo", "--cases", "30", "--seed", "4")
    assert code == 0 and "30 demo cases" in out
    code, out, _ = run(capsys, "--store", str(store), "case", "list", "--json")
    cases = json.loads(out)
    assert len(cases) == 30
    assert {c["entity"] for c in cases} == {
        "Altoros A.S.",
        "Altoros Americas LLC",
        "Altoros Finland Oy",
        "Altoros Norge AS",
        "Altoros Poland",
    }
    before = store.read_bytes()
    code, _, err = run(capsys, "--store", str(store), "demo", "--cases", "5")
    assert code == 2 and "already exists" in err
    assert store.read_bytes() == before


def test_demo_without_store_uses_the_demo_folder(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, _ = run(capsys, "demo", "--cases", "3")
    assert code == 0 and demo_store().exists()


def test_add_list_and_show_round_trip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = str(tmp_path / "store.sqlite")
    code, out, err = run(capsys, "--store", store, "case", "add", "--json", str(write_case(tmp_path, CASE)))
    assert (code, out, err) == (0, "DSR-2026-0001\n", "")

    code, out, _ = run(capsys, "--store", store, "case", "show", "DSR-2026-0001", "--json")
    shown = json.loads(out)
    assert shown["reference"] == "DSR-2026-0001"
    assert shown["status"] == "received"
    assert shown["entity"] == "Altoros Finland Oy"
    assert shown["received"] == "2026-05-19T10:00:00+03:00"
    assert shown["rights"] == ["access", "portability"]
    assert shown["subject"] == {**CASE["subject"], "birth_date": None, "child": False}
    assert shown["due"] == "2026-06-22"  # 19 June is Midsummer Eve in Finland
    assert shown["history"][0]["to"] == "received"

    # What list/show print is accepted back by add.
    again = {key: shown[key] for key in ("entity", "channel", "received", "rights", "subject", "text")}
    again["received"] = "2026-06-01T10:00:00+03:00"  # the same person asks again
    code, out, err = run(
        capsys, "--store", store, "case", "add", "--json", str(write_case(tmp_path, again, "again.json"))
    )
    assert out == "DSR-2026-0002\n"
    assert err == "warning: the subject made a request within the last 12 months: DSR-2026-0001 (2026-05-19)\n"
    code, out, _ = run(capsys, "--store", store, "case", "list", "--json")
    listed = json.loads(out)
    assert [c["reference"] for c in listed] == ["DSR-2026-0002", "DSR-2026-0001"]
    code, out, _ = run(capsys, "--store", store, "case", "show", "DSR-2026-0002")
    assert "Earlier:   DSR-2026-0001" in out
    code, out, _ = run(capsys, "--store", store, "case", "list")
    assert out.splitlines()[0].startswith("DSR-2026-0002  received")


def test_a_listed_store_is_added_back_whole_or_not_at_all(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source, target = str(tmp_path / "source.sqlite"), str(tmp_path / "target.sqlite")
    run(capsys, "--store", source, "case", "add", "--json", str(write_case(tmp_path, CASE)))
    run(
        capsys,
        "--store",
        source,
        "case",
        "add",
        "--json",
        str(write_case(tmp_path, CASE | {"received": "2026-06-01T10:00:00+03:00"})),
    )
    _, listed, _ = run(capsys, "--store", source, "case", "list", "--json")
    cases = json.loads(listed)
    broken = write_case(tmp_path, [cases[0], cases[1] | {"rights": ["telepathy"]}], "broken.json")
    code, out, err = run(capsys, "--store", target, "case", "add", "--json", str(broken))
    assert code == 2 and err.startswith("dpo-desk: case 2: rights:") and out == ""
    elsewhere = write_case(tmp_path, [cases[0], cases[1] | {"entity": "Nowhere AS"}], "elsewhere.json")
    code, out, err = run(capsys, "--store", target, "case", "add", "--json", str(elsewhere))
    assert code == 2 and err.startswith("dpo-desk: case 2: ") and "Nowhere AS" in err
    assert json.loads(run(capsys, "--store", target, "case", "list", "--json")[1]) == []  # the first was not kept
    code, out, err = run(
        capsys, "--store", target, "case", "add", "--json", str(write_case(tmp_path, cases, "all.json"))
    )
    assert (code, out) == (0, "DSR-2026-0001\nDSR-2026-0002\n"), err
    _, again, _ = run(capsys, "--store", target, "case", "list", "--json")
    fields = ("entity", "channel", "received", "rights", "subject", "text")
    assert sorted(json.dumps([c[f] for f in fields]) for c in json.loads(again)) == sorted(
        json.dumps([c[f] for f in fields]) for c in cases
    )


def test_add_reads_stdin(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps(CASE)))
    code, out, _ = run(capsys, "--store", str(tmp_path / "s.sqlite"), "case", "add", "--json", "-")
    assert (code, out) == (0, "DSR-2026-0001\n")


def broken(**changes: object) -> dict:
    document = json.loads(json.dumps(CASE))
    for key, value in changes.items():
        if value is None:
            del document[key]
        else:
            document[key] = value
    return document


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (broken(entity="Altoros Mars"), "unknown entity 'Altoros Mars'"),
        (broken(rights=["access", "teleport"]), "unknown right 'teleport'"),
        (
            broken(received="2026-13-01T10:00:00+01:00"),
            "received: '2026-13-01T10:00:00+01:00' is not a valid",
        ),
        (broken(received="2026-02-29T10:00:00+01:00"), "is not a valid ISO 8601"),  # 2026 is no leap year
        (broken(received=None), "received: missing field"),
        (broken(subject={"emails": ["x@example.com"]}), "subject.name: the subject's name is missing"),
    ],
)
def test_bad_case_exits_2_with_one_line_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], document: dict, message: str
) -> None:
    store = tmp_path / "store.sqlite"
    run(capsys, "--store", str(store), "case", "add", "--json", str(write_case(tmp_path, CASE, "ok.json")))
    code, out, err = run(capsys, "--store", str(store), "case", "add", "--json", str(write_case(tmp_path, document)))
    assert code == 2 and out == ""
    assert message in err and err.count("\n") == 1
    code, out, _ = run(capsys, "--store", str(store), "case", "list", "--json")
    assert len(json.loads(out)) == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [("{not json", "not valid JSON"), (None, "no such file")],
)
def test_unreadable_json_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str | None, message: str
) -> None:
    path = tmp_path / "case.json"
    if content is not None:
        path.write_text(content)
    code, _, err = run(capsys, "--store", str(tmp_path / "s.sqlite"), "case", "add", "--json", str(path))
    assert code == 2 and message in err and err.count("\n") == 1


def test_unknown_reference_and_missing_store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = tmp_path / "store.sqlite"
    run(capsys, "--store", str(store), "case", "add", "--json", str(write_case(tmp_path, CASE)))
    code, _, err = run(capsys, "--store", str(store), "case", "show", "DSR-2026-0099")
    assert code == 2 and "no case with reference 'DSR-2026-0099'" in err
    code, _, err = run(capsys, "--store", str(tmp_path / "nowhere.sqlite"), "case", "list")
    assert code == 2 and "no store at" in err
    assert not (tmp_path / "nowhere.sqlite").exists()


@pytest.mark.parametrize(
    ("args", "first_line"),
    [
        (["--received", "2027-03-05"], "2027-04-05"),
        (["--received", "2026-03-05", "--calendar", "NO"], "2026-04-07"),
        (["--received", "2026-01-31", "--extended"], "2026-04-30"),
        (["--received", "2026-03-02", "--pause", "2026-03-04:2026-03-11"], "2026-04-09"),
        (["--received", "2026-03-02", "--rules", "ico", "--pause", "2026-03-04:2026-03-11"], "2026-04-13"),
        (
            [
                "--received",
                "2026-09-01",
                "--calendar",
                "PL",
                "--pause",
                "2026-09-02:2026-09-05",
                "--pause",
                "2026-09-10:2026-09-14",
            ],
            "2026-10-08",
        ),
    ],
)
def test_due_prints_the_date_first(capsys: pytest.CaptureFixture[str], args: list[str], first_line: str) -> None:
    code, out, _ = run(capsys, "due", *args)
    assert code == 0 and out == first_line + "\n"


def test_due_explains_after_the_date(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "due", "--received", "2026-01-31", "--explain")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "2026-03-02"
    assert lines[1:] == [
        "received Sat 31 Jan 2026; the day of receipt is not counted",
        "one month: 28 Feb 2026 (no 31 Feb)",
        "Sat 28 Feb is not a working day: Saturday",
        "Sun 1 Mar is not a working day: Sunday",
        "due Mon 2 Mar 2026",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--received", "2026-02-30"], "'2026-02-30' is not a valid date"),
        (
            ["--received", "2026-03-05", "--pause", "2026-03-01:2026-03-04"],
            "starts before the request was received",
        ),
        (["--received", "2026-03-05", "--pause", "2026-03-09:2026-03-06"], "ends before it starts"),
        (["--received", "2026-03-05", "--pause", "2026-03-09"], "must be START:END"),
        (["--received", "2026-03-05", "--calendar", "SE"], "unknown calendar 'SE'"),
        (["--received", "2026-03-05", "--rules", "uk"], "unknown rule set 'uk'"),
    ],
)
def test_due_refuses_bad_input(capsys: pytest.CaptureFixture[str], args: list[str], message: str) -> None:
    code, out, err = run(capsys, "due", *args)
    assert code == 2 and out == "" and message in err and err.count("\n") == 1


def test_processors_export_and_import(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = str(tmp_path / "store.sqlite")
    run(capsys, "--store", store, "demo", "--cases", "0")
    code, out, _ = run(
        capsys, "--store", store, "processors", "export", "--format", "csv", "--out", str(tmp_path / "p.csv")
    )
    assert code == 0 and out.startswith("wrote 47 sheets")
    with (tmp_path / "p.csv").open(newline="") as file:
        rows = list(csv.DictReader(file))
    for row in rows:
        if row["key"] == "albacross":
            row["legal_entity"] = "Albacross Nordic AB (Sweden)"
    with (tmp_path / "edited.csv").open("w", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    code, out, _ = run(capsys, "--store", store, "processors", "import", str(tmp_path / "edited.csv"))
    assert code == 0 and "changed: albacross (Albacross)" in out and out.endswith("0 added, 1 changed, 46 unchanged\n")
    code, out, _ = run(capsys, "--store", store, "processors", "import", str(tmp_path / "edited.csv"), "--apply")
    assert out.endswith("applied\n")
    run(capsys, "--store", store, "processors", "export", "--format", "json", "--out", str(tmp_path / "p.json"))
    albacross = next(r for r in json.loads((tmp_path / "p.json").read_text())["processors"] if r["key"] == "albacross")
    assert albacross["legal_entity"] == "Albacross Nordic AB (Sweden)"
    assert "legal_entity" not in albacross["sources_cited"]  # the document named the entity as it was
    code, out, _ = run(capsys, "--store", store, "processors", "import", str(tmp_path / "p.json"))
    assert out.endswith("0 added, 0 changed, 47 unchanged\n")
    (tmp_path / "bad.json").write_text(
        '{"processors": [{"key": "x", "service": "X", "category": "crm", "country": "ZZ"}]}'
    )
    code, out, err = run(capsys, "--store", store, "processors", "import", str(tmp_path / "bad.json"), "--apply")
    assert code == 2 and "rejected: item 1: country: 'ZZ' is not an ISO 3166 country code" in err
    assert "applied" not in out


MAIL = Path(__file__).parents[1] / "data" / "mail"


def test_case_add_from_mail(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = str(tmp_path / "store.sqlite")
    code, out, err = run(capsys, "--store", store, "case", "add", "--eml", str(MAIL / "31-pl-outlook.msg"))
    assert code == 2 and "cannot guess it (dpo@altoros.com is shared by 5 entities" in err
    code, out, err = run(
        capsys, "--store", store, "case", "add", "--eml", str(MAIL / "31-pl-outlook.msg"), "--entity", "Altoros Poland"
    )
    assert (code, out) == (0, "DSR-2026-0001\n")
    code, out, _ = run(capsys, "--store", store, "case", "show", "DSR-2026-0001", "--json")
    shown = json.loads(out)
    assert shown["rights"] == ["erasure"] and shown["channel"] == "email"
    assert shown["subject"]["emails"] == ["jan.kowalski.31@example.com"]
    assert shown["received"].startswith("2026-06-10T10:31:00+02:00")
    code, out, err = run(
        capsys,
        "--store",
        store,
        "case",
        "add",
        "--eml",
        str(MAIL / "01-en-mozilla.eml"),
        "--entity",
        "Altoros Norge AS",
        "--rights",
        "access,erasure",
    )
    assert code == 0
    code, out, err = run(
        capsys,
        "--store",
        store,
        "case",
        "add",
        "--eml",
        str(MAIL / "30-en-duplicate-of-01.eml"),
        "--entity",
        "Altoros Norge AS",
    )
    assert code == 0 and "the same Message-ID was imported before: DSR-2026-0002" in err
    code, out, _ = run(capsys, "--store", store, "case", "show", "DSR-2026-0002", "--json")
    assert json.loads(out)["rights"] == ["access", "erasure"]


def test_case_add_from_a_file_that_is_not_mail(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "invoice.eml"
    bad.write_bytes(b"%PDF-1.7 binary\x00\x01")
    code, out, err = run(
        capsys,
        "--store",
        str(tmp_path / "store.sqlite"),
        "case",
        "add",
        "--eml",
        str(bad),
        "--entity",
        "Altoros Norge AS",
    )
    assert code == 2 and out == "" and err.startswith("dpo-desk: invoice.eml: ") and err.count("\n") == 1
    assert "quarantine save 1" in err and not (tmp_path / "quarantine").exists()
    code, out, _ = run(capsys, "--store", str(tmp_path / "store.sqlite"), "quarantine", "list")
    assert code == 0 and out.startswith("1  ") and "invoice.eml" in out
    saved = tmp_path / "inspect.bin"
    assert (
        run(capsys, "--store", str(tmp_path / "store.sqlite"), "quarantine", "save", "1", "--out", str(saved))[0] == 0
    )
    assert saved.read_bytes() == bad.read_bytes()
    assert (
        run(capsys, "--store", str(tmp_path / "store.sqlite"), "quarantine", "save", "1", "--out", str(saved))[0] == 2
    )


def test_the_passphrase_comes_from_the_environment_when_no_keyring_holds_the_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = str(tmp_path / "store.sqlite")
    assert run(capsys, "--store", store, "case", "add", "--json", str(write_case(tmp_path, CASE)))[0] == 0
    memory_keyring.secrets.clear()
    monkeypatch.setenv("DPO_DESK_PASSPHRASE", "not the passphrase of this store")
    code, out, err = run(capsys, "--store", store, "case", "list")
    assert (code, out) == (2, "") and err == "dpo-desk: wrong passphrase: it does not open this store\n"
    monkeypatch.delenv("DPO_DESK_PASSPHRASE")
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    code, _, err = run(capsys, "--store", store, "case", "list")
    assert code == 2 and "set DPO_DESK_PASSPHRASE" in err
    monkeypatch.setenv("DPO_DESK_PASSPHRASE", TEST_PASSPHRASE)
    code, out, _ = run(capsys, "--store", store, "case", "list")
    assert code == 0 and "DSR-2026-0001" in out


def test_a_new_store_refuses_a_weak_passphrase_and_creates_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DPO_DESK_PASSPHRASE", "passwordpassword")
    code, _, err = run(capsys, "--store", str(tmp_path / "store.sqlite"), "demo", "--cases", "1")
    assert code == 2 and "common passwords" in err
    assert list(tmp_path.iterdir()) == []


def test_change_passphrase_takes_the_new_one_from_its_own_variable(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = tmp_path / "store.sqlite"
    assert run(capsys, "--store", str(store), "demo", "--cases", "2")[0] == 0
    assert run(capsys, "--store", str(store), "change-passphrase")[0] == 2  # DPO_DESK_NEW_PASSPHRASE unset
    monkeypatch.setenv("DPO_DESK_NEW_PASSPHRASE", "seven herons over the wet allotment")
    code, out, _ = run(capsys, "--store", str(store), "change-passphrase")
    assert code == 0 and "passphrase changed" in out
    memory_keyring.secrets.clear()
    assert run(capsys, "--store", str(store), "case", "list")[0] == 2  # the old passphrase no longer opens it
    monkeypatch.setenv("DPO_DESK_PASSPHRASE", "seven herons over the wet allotment")
    assert run(capsys, "--store", str(store), "case", "list")[0] == 0


def test_attachments_are_listed_saved_out_and_added_by_hand(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = str(tmp_path / "store.sqlite")
    code, out, _ = run(capsys, "--store", store, "case", "add", "--eml", str(MAIL / "31-pl-outlook.msg"),
                       "--entity", "Altoros Poland")  # fmt: skip
    reference = out.strip()
    letter = tmp_path / "letter.txt"
    letter.write_text("Dear DPO, here is my signed form.", encoding="utf-8")
    code, out, _ = run(capsys, "--store", store, "attachments", "add", reference, str(letter))
    assert code == 0 and out == f"{reference}: attachment 2, letter.txt (33 bytes)\n"
    code, out, _ = run(capsys, "--store", store, "attachments", "list", reference, "--json")
    listed = json.loads(out)["attachments"]
    assert [(a["name"], a["source"], a["size"]) for a in listed] == [
        ("dowód skan zaczerniony.pdf", "mail", 28), ("letter.txt", "hand", 33),
    ]  # fmt: skip
    saved = tmp_path / "saved.txt"
    assert run(capsys, "--store", store, "attachments", "save", reference, "2", "--out", str(saved))[0] == 0
    assert saved.read_bytes() == letter.read_bytes()
    code, out, err = run(capsys, "--store", store, "attachments", "save", reference, "2", "--out", str(saved))
    assert (
        code == 2
        and out == ""
        and err
        == f"dpo-desk: {saved} already exists; saving an attachment never overwrites a file, choose a new name\n"
    )
    code, out, err = run(capsys, "--store", store, "attachments", "add", reference, str(tmp_path / "missing.pdf"))
    assert code == 2 and err == f"dpo-desk: {tmp_path / 'missing.pdf'}: not a file; choose a file to attach\n"


def test_a_command_leaves_what_it_made_to_the_exit_uncollected() -> None:
    """The process ends with the command: the collector does not walk its objects once more on the way out
    (0.15-0.2 s of a letter written, with Qt and pikepdf loaded)."""
    probe = (
        "import atexit, gc\n"
        "atexit.register(lambda: print('frozen' if gc.get_freeze_count() else 'collected'))\n"  # runs last
        "from dpo_desk.cli import main\n"
        "main(['due', '--received', '2026-03-02'])\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60)
    assert result.stdout.splitlines() == ["2026-04-02", "frozen"]


def test_a_command_runs_without_the_cyclic_collector_and_gives_it_back(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a command imports and builds lives as long as its process: the collector walking it again and again
    took 85 ms of a letter written. A caller in the same process has its collector on again afterwards."""
    from dpo_desk.core import deadlines

    seen: list[bool] = []
    counted = deadlines.due_date
    monkeypatch.setattr(deadlines, "due_date", lambda request: seen.append(gc.isenabled()) or counted(request))
    assert gc.isenabled()
    code, out, _ = run(capsys, "due", "--received", "2026-03-02")
    assert (code, out.splitlines()[0], seen, gc.isenabled()) == (0, "2026-04-02", [False], True)


def test_a_letter_loads_pikepdf_before_qt(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Qt for Python's import hook reads the source of every module imported after it: pikepdf, which
    finishes what Qt renders, comes first."""
    store = str(tmp_path / "store.sqlite")
    received = (datetime.now(UTC) - timedelta(days=1)).isoformat(timespec="seconds")
    case = write_case(tmp_path, CASE | {"entity": "Altoros Norge AS", "received": received})
    code, reference, _ = run(capsys, "--store", store, "case", "add", "--json", str(case))
    assert code == 0
    argv = ["--store", store, "letter", reference.strip(), "acknowledgement", "--out", str(tmp_path / "ack.pdf")]
    probe = (
        "import atexit, sys\n"
        "atexit.register(lambda: print(list(sys.modules).index('pikepdf') < list(sys.modules).index('PySide6')))\n"
        "from dpo_desk.cli import main\n"
        f"sys.exit(main({argv!r}))\n"
    )
    env = dict(os.environ, PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring", QT_QPA_PLATFORM="offscreen")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "True"


def test_a_letter_whose_promise_has_passed_asks_for_the_day_it_was_sent_as_an_option(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The command line names its --date option; the window asks for the day in a dialog instead."""
    store = str(tmp_path / "store.sqlite")
    received = (datetime.now(UTC) - timedelta(days=60)).isoformat(timespec="seconds")
    case = write_case(tmp_path, CASE | {"entity": "Altoros Norge AS", "received": received})
    code, reference, _ = run(capsys, "--store", store, "case", "add", "--json", str(case))
    assert code == 0
    code, _, err = run(capsys, "--store", store, "letter", reference.strip(), "acknowledgement", "--out",
                       str(tmp_path / "ack.pdf"))  # fmt: skip
    assert code == 2
    assert err.endswith("which has passed; give the day the letter was actually sent (--date YYYY-MM-DD)\n")
