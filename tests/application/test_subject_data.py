"""Subject data collection through the application layer and the command line: what is kept, review,
provenance, the audit, and a portability bundle that checks out, byte-identical whatever the zone."""

import hashlib
import io
import json
import os
import subprocess
import time
import zipfile
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import jsonschema
import pytest
from sqlite_utils import Database

from dpo_desk.application.desk import Desk
from dpo_desk.application.jobs import CancelledError
from dpo_desk.cli import main
from dpo_desk.core.errors import InputError, NotFoundError, RefusedError
from dpo_desk.core.identity import Evidence, IdentityCheck, Method, Outcome
from dpo_desk.core.models import Right
from dpo_desk.exports.bundle import verify_bundle, write_bundle
from dpo_desk.store.verify import verify
from tests.conftest import new_case

KARI = {"name": "Kari Nordmann", "emails": ("kari.nordmann@example.no",), "phones": ("+47 912 34 567",)}
CSV_ROWS = (
    "Record ID;First Name;Last Name;Email;Phone;Company;Score\r\n"
    '1;Kari;Nordmann; Kari.Nordmann@Example.no ;;Øst AS;=HYPERLINK("http://x")\r\n'
    "2;Per;OTHERPERSON;per.otherperson@example.no;;Hansen AS;12\r\n"
    "3;Kari;Nordmann;kari@elsewhere.example;;Annen Kari AS;7\r\n"
    "4;;;;912 34 567;Øst AS;3\r\n"
)


@pytest.fixture
def kari(desk: Desk) -> int:
    """A case whose data may be disclosed: identity verified, the Art. 20 conditions recorded as met."""
    case_id = desk.cases.add(new_case(rights=(Right.ACCESS, Right.PORTABILITY), **KARI), actor="dpo", now=desk.now())
    at = new_case().received + timedelta(hours=2)
    for evidence, method in ((Evidence.PASSPORT, Method.VIDEO_CALL), (Evidence.ACCOUNT_LOGIN, Method.ACCOUNT_LOGIN)):
        desk.workflow.record_check(case_id, IdentityCheck(evidence, method, "dpo", at, Outcome.PASSED), actor="d",
                                   now=desk.now())  # fmt: skip
    outcome = {"conditions_met": True, "done_on": desk.today().isoformat()}
    desk.outcomes.record_outcome(case_id, "portability", outcome, actor="dpo", now=desk.now())
    return case_id


def test_a_bundle_is_refused_before_the_identity_is_verified(desk: Desk, hubspot: Path, tmp_path: Path) -> None:
    case_id = desk.cases.add(new_case(rights=(Right.PORTABILITY,), **KARI), actor="dpo", now=desk.now())
    take(desk, case_id, hubspot, "HubSpot", accept_matched=True)
    desk.data.review(case_id, drop=[record.id for record in desk.data.store.records(case_id, state="pending")])
    assert desk.data.why_no_bundle(case_id).startswith("identity not verified")
    with pytest.raises(RefusedError, match="identity not verified"):
        desk.data.export_portability(case_id, tmp_path / "b.zip")
    assert not (tmp_path / "b.zip").exists()


@pytest.fixture
def hubspot(tmp_path: Path) -> Path:
    path = tmp_path / "hubspot-contacts.csv"
    path.write_bytes(CSV_ROWS.encode("cp1252"))
    return path


def take(desk: Desk, case_id: int, file: Path, source: str, **options: object) -> object:
    preview = desk.data.preview(case_id, file)
    return desk.data.take(case_id, preview, desk.data.source(source, portable=True), **options)  # type: ignore[arg-type]


def store_text(db: Database) -> str:
    """Every value of every table, as text."""
    tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    return "\n".join(str(row) for table in tables for row in db.execute(f'SELECT * FROM "{table}"'))


def test_only_the_subjects_rows_enter_the_store(desk: Desk, db: Database, kari: int, hubspot: Path) -> None:
    preview = desk.data.preview(kari, hubspot)
    assert preview.read.detected() == "CSV, cp1252, ';'"
    assert [found.text() for found in preview.matches] == [
        "e-mail in Email",
        "",
        "name in the name fields (a hint only)",
        "phone in Phone",
    ]
    taken = desk.data.take(kari, preview, desk.data.source("HubSpot", portable=True), accept_matched=True)
    assert (taken.read, taken.matched, taken.hinted, taken.accepted, taken.pending, taken.left_out) == (
        4,
        2,
        1,
        2,
        1,
        1,
    )
    dump = store_text(db)
    assert "OTHERPERSON" not in dump  # another person's row never entered the store
    records = desk.data.store.records(kari)
    assert [(r.place, r.state) for r in records] == [
        ("line 2", "accepted"),
        ("line 4", "pending"),
        ("line 5", "accepted"),
    ]
    entry = desk.data.store.imports(kari)[0]
    assert (entry.file_name, entry.file_sha256, entry.records_read, entry.imported_by) == (
        "hubspot-contacts.csv",
        hashlib.sha256(hubspot.read_bytes()).hexdigest(),
        4,
        desk.actor,
    )
    assert not entry.file_kept and (entry.encoding, entry.delimiter) == ("cp1252", ";")
    assert verify(db).ok  # the import is audited, and the case's seal moved with it
    assert desk.audit.latest(1)[0].action == "data-imported"


def test_review_accepts_or_drops_and_a_dropped_record_leaves_the_store(desk: Desk, kari: int, hubspot: Path) -> None:
    take(desk, kari, hubspot, "HubSpot", accept_matched=False)
    pending = desk.data.store.records(kari, state="pending")
    assert len(pending) == 3
    desk.data.review(kari, accept=[pending[0].id], drop=[pending[1].id])
    assert [(r.id, r.state) for r in desk.data.store.records(kari)] == [
        (pending[0].id, "accepted"),
        (pending[2].id, "pending"),
    ]
    with pytest.raises(RefusedError, match="already accepted"):
        desk.data.review(kari, drop=[pending[0].id])
    other = desk.cases.add(new_case(name="Per Hansen", emails=("per@example.no",)), actor="dpo", now=desk.now())
    with pytest.raises(NotFoundError, match="not a record of this case"):
        desk.data.review(other, accept=[pending[2].id])


def test_a_malformed_file_imports_nothing(desk: Desk, db: Database, kari: int, tmp_path: Path) -> None:
    bad = tmp_path / "crm.jsonl"
    bad.write_text('{"email": "kari.nordmann@example.no"}\n{"email": \n')
    with pytest.raises(InputError, match=r"^crm.jsonl, line 2: not JSON"):
        desk.data.preview(kari, bad)
    assert db.execute("SELECT count(*) FROM data_imports").fetchone()[0] == 0


def test_the_source_file_is_kept_only_when_asked(desk: Desk, db: Database, kari: int, hubspot: Path) -> None:
    take(desk, kari, hubspot, "HubSpot", accept_matched=True, keep_file=True)
    kept = db.execute("SELECT file_content FROM data_imports").fetchone()[0]
    assert kept == hubspot.read_bytes() and desk.data.store.imports(kari)[0].file_kept


def bundle_members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as bundle:
        return {name: bundle.read(name) for name in bundle.namelist()}


@pytest.fixture
def bundle_case(desk: Desk, kari: int, hubspot: Path, tmp_path: Path) -> int:
    take(desk, kari, hubspot, "HubSpot", accept_matched=True)
    desk.data.review(kari, drop=[record.id for record in desk.data.store.records(kari, state="pending")])
    event = tmp_path / "summit.json"
    attendees = [
        {"name": "Kari Nordmann", "email": "kari.nordmann@example.no", "dietary": "vegetarian", "score": 0.8},
        {"name": "Ola Other", "email": "ola.other@example.no", "dietary": ""},
    ]
    event.write_text(json.dumps({"event": "Summit", "attendees": attendees}))
    preview = desk.data.preview(kari, event)
    source = desk.data.source("event-attendees")
    source = type(source)(source.key, source.name, source.portable, source.category, ("score",))  # inferred
    desk.data.take(kari, preview, source, accept_matched=True)
    cookies = tmp_path / "cookies.csv"
    cookies.write_text("email,segment\nkari.nordmann@example.no,likely buyer\n")
    desk.data.take(kari, desk.data.preview(kari, cookies), desk.data.source("website-cookies"), accept_matched=True)
    return kari


def test_the_bundle_holds_portable_data_only_and_checks_out(desk: Desk, bundle_case: int, tmp_path: Path) -> None:
    made = desk.data.export_portability(bundle_case, tmp_path / "bundle.zip")
    assert made.records == 3 and made.sha256 == hashlib.sha256(made.file.read_bytes()).hexdigest()
    assert verify_bundle(made.file) == []
    assert subprocess.run(["unzip", "-t", str(made.file)], capture_output=True, check=False).returncode == 0
    members = bundle_members(made.file)
    assert sorted(members) == [
        "README.txt",
        "data/custom-hubspot.csv",
        "data/custom-hubspot.json",
        "data/event-attendees.csv",
        "data/event-attendees.json",
        "manifest.json",
        "schema/custom-hubspot.schema.json",
        "schema/event-attendees.schema.json",
        "schema/manifest.schema.json",
    ]  # website-cookies is not portable (observed by cookies, inferred segments): not in it
    text = b"\n".join(members.values()).decode()
    assert "likely buyer" not in text and "0.8" not in text  # a source and a field flagged as inferred
    manifest = json.loads(members["manifest.json"])
    assert manifest["case"] == desk.cases.get_by_id(bundle_case).reference
    assert manifest["subject"] == {"name": "Kari Nordmann", "email": "kari.nordmann@example.no"}
    assert manifest["controller"]["name"] == "Altoros Norge AS"
    listed = {entry["path"]: entry for entry in manifest["files"]}
    assert set(listed) == set(members) - {"manifest.json"}
    assert listed["data/custom-hubspot.json"]["records"] == 2
    # Read back with other tools than the writer: jq for the JSON, the jsonschema validator for the schemas.
    jq = subprocess.run(
        ["jq", "-r", ".[].Company"], input=members["data/custom-hubspot.json"], capture_output=True, check=True
    )
    assert jq.stdout.decode().split("\n")[:2] == ["Øst AS", "Øst AS"]
    for name in ("custom-hubspot", "event-attendees"):
        schema = json.loads(members[f"schema/{name}.schema.json"])
        jsonschema.Draft202012Validator(schema).validate(json.loads(members[f"data/{name}.json"]))
    event_schema = json.loads(members["schema/event-attendees.schema.json"])
    assert event_schema["items"]["required"] == ["name", "email", "dietary", "event"]  # every record has these
    with pytest.raises(jsonschema.ValidationError, match="'email' is a required property"):
        jsonschema.validate([{"event": "Summit", "name": "K", "dietary": ""}], event_schema)
    csv_text = members["data/custom-hubspot.csv"].decode()
    assert '"\'=HYPERLINK(""http://x"")"' in csv_text  # neutralised in the CSV, as it was in the JSON
    assert json.loads(members["data/custom-hubspot.json"])[0]["Score"] == '=HYPERLINK("http://x")'
    assert desk.data.store.exports(bundle_case)[0].sha256 == made.sha256
    assert desk.audit.latest(1)[0].action == "data-exported"


@pytest.fixture
def zone(request: pytest.FixtureRequest) -> Iterator[None]:
    before = os.environ.get("TZ")
    os.environ["TZ"] = request.param
    time.tzset()
    yield
    if before is None:
        os.environ.pop("TZ")
    else:
        os.environ["TZ"] = before
    time.tzset()


@pytest.mark.parametrize("zone", ["America/Buenos_Aires", "Asia/Tokyo"], indirect=True)
def test_the_same_data_gives_the_same_bytes_in_any_zone(desk: Desk, bundle_case: int, zone: None) -> None:
    reference = io.BytesIO()
    os.environ["TZ"] = "UTC"
    time.tzset()
    write_bundle(desk.data.bundle_facts(bundle_case), reference)
    os.environ["TZ"] = "Pacific/Kiritimati"
    time.tzset()
    again = io.BytesIO()
    write_bundle(desk.data.bundle_facts(bundle_case), again)
    assert again.getvalue() == reference.getvalue()


def test_an_export_never_overwrites_and_leaves_no_partial(desk: Desk, bundle_case: int, tmp_path: Path) -> None:
    target = tmp_path / "bundle.zip"
    target.write_bytes(b"the DPO's own file")
    with pytest.raises(InputError, match="already exists; an export never overwrites a file"):
        desk.data.export_portability(bundle_case, target)
    assert target.read_bytes() == b"the DPO's own file"
    with pytest.raises(InputError, match="no such folder"):
        desk.data.export_portability(bundle_case, tmp_path / "missing" / "b.zip")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_a_cancelled_bundle_leaves_no_file_and_no_record(desk: Desk, bundle_case: int, tmp_path: Path) -> None:
    reports: list[tuple[int, int, str]] = []

    def cancel_at_first_system(done: int, total: int, text: str) -> None:
        reports.append((done, total, text))
        raise CancelledError

    folder = tmp_path / "out"
    folder.mkdir()
    with pytest.raises(CancelledError):
        desk.data.export_portability(bundle_case, folder / "bundle.zip", cancel_at_first_system)
    assert reports == [(0, 2, "Writing the data of system 1 of 2…")]
    assert list(folder.iterdir()) == [] and desk.data.store.exports(bundle_case) == []


def test_verify_bundle_names_each_mismatch(desk: Desk, bundle_case: int, tmp_path: Path) -> None:
    made = desk.data.export_portability(bundle_case, tmp_path / "bundle.zip")
    members = bundle_members(made.file)
    members["data/custom-hubspot.json"] = members["data/custom-hubspot.json"].replace(b"Kari", b"Karl")
    members["data/extra.txt"] = b"not listed"
    schema = json.loads(members["schema/event-attendees.schema.json"])
    schema["items"]["properties"]["dietary"]["type"] = ["integer"]
    members["schema/event-attendees.schema.json"] = json.dumps(schema).encode()
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(tampered, "w") as bundle:
        for name, content in members.items():
            bundle.writestr(name, content)
    problems = verify_bundle(tampered)
    assert "data/extra.txt is not in the manifest" in problems
    assert "data/custom-hubspot.json: its SHA-256 differs from the manifest's" in problems
    assert any(p.startswith("data/event-attendees.json: 0/dietary: 'vegetarian' is not of type") for p in problems)
    assert "schema/event-attendees.schema.json: its SHA-256 differs from the manifest's" in problems


def test_the_command_line_imports_lists_exports_and_verifies(
    desk: Desk, store_path: Path, kari: int, hubspot: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    reference = desk.cases.get_by_id(kari).reference
    store = ["--store", str(store_path)]
    assert main([*store, "data", "import", reference, str(hubspot), "--source", "HubSpot", "--portable", "yes",
                 "--accept-matched"]) == 0  # fmt: skip
    out = capsys.readouterr().out
    assert "hubspot-contacts.csv: CSV, cp1252, ';'; 4 records read" in out
    assert "matched 2, unmatched 2 (of them 1 by name only)" in out
    assert main([*store, "data", "list", reference, "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [r["state"] for r in listed["records"]] == ["accepted", "pending", "accepted"]
    assert listed["imports"][0]["source"]["key"] == "custom-hubspot"
    bundle = tmp_path / "out.zip"
    assert main([*store, "export", reference, "--kind", "portability", "--out", str(bundle)]) == 2
    assert "1 record(s) wait for review" in capsys.readouterr().err
    hint = listed["records"][1]["id"]
    assert main([*store, "data", "review", reference, "--drop", str(hint)]) == 0
    assert main([*store, "export", reference, "--kind", "portability", "--out", str(bundle)]) == 0
    assert main(["verify-bundle", str(bundle)]) == 0
    assert "every file matches the manifest" in capsys.readouterr().out
    bundle.write_bytes(bundle.read_bytes()[:-30])
    assert main(["verify-bundle", str(bundle)]) == 1
    assert "is not a readable ZIP" in capsys.readouterr().out


def test_a_file_changed_after_it_was_read_is_not_kept(desk: Desk, kari: int, hubspot: Path) -> None:
    preview = desk.data.preview(kari, hubspot)
    hubspot.write_bytes(hubspot.read_bytes() + b"5;Someone;Else;else@example.no;;X;1\r\n")
    with pytest.raises(RefusedError, match="the file changed since it was read; import it again"):
        desk.data.take(kari, preview, desk.data.source("HubSpot", portable=True), accept_matched=True, keep_file=True)
    assert desk.data.store.imports(kari) == []
    taken = desk.data.take(kari, preview, desk.data.source("HubSpot", portable=True), accept_matched=True)
    assert desk.data.store.imports(kari)[0].file_sha256 == preview.read.sha256 and taken.accepted == 2
