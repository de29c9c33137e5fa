"""Suite T9: an export for subject A never holds data of subject B (Art. 15(4), 20(4); a leak is a breach).

Generated stores of 2 to 12 subjects, look-alike names and e-mails among them, every field of every
record carrying its subject's canary; each subject's case imports the same mixed files. The target's
bundle must hold every canary of the target and none of the others, in any member's bytes or name, as
ASCII, UTF-16 or JSON-escaped text. A leak injected on purpose (the records query losing its case filter)
must be caught.
"""

import csv
import io
import json
import subprocess
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pikepdf
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlite_utils import Database

from dpo_desk.application.desk import Desk
from dpo_desk.core.identity import Evidence, IdentityCheck, Method, Outcome
from dpo_desk.exports.bundle import write_bundle
from dpo_desk.store.records import SubjectData
from tests.conftest import NOW, fill_sheets, new_case

SURNAMES = ("Nordmann", "Virtanen", "Kowalski", "Hansen")


@dataclass(frozen=True)
class Person:
    canary: str
    name: str
    email: str


@dataclass(frozen=True)
class World:
    people: tuple[Person, ...]
    target: int
    as_json: bool
    rows_each: int


@st.composite
def worlds(draw: st.DrawFn) -> World:
    count = draw(st.integers(2, 12))
    people = []
    for index in range(count):
        surname = draw(st.sampled_from(SURNAMES))
        first = draw(st.sampled_from(("Kari", "Kári", "KARI", "Ola")))  # shared and look-alike names
        # Look-alike addresses, each a different identifier: a plus tag, a dot, another domain.
        local = draw(st.sampled_from(("kari.nordmann", "karinordmann", "kari.nordmann+dsr")))
        domain = draw(st.sampled_from(("example.no", "example.fi", "example.no.example")))
        email = f"{local}.{index}@{domain}" if draw(st.booleans()) else f"{local}{index}@{domain}"
        people.append(Person(f"CNRY{index:04d}Z", f"{first} {surname}", email))
    return World(tuple(people), draw(st.integers(0, count - 1)), draw(st.booleans()), draw(st.integers(1, 3)))


def rows(world: World) -> list[dict[str, str]]:
    made = []
    for person in world.people:
        for row in range(world.rows_each):
            made.append(
                {
                    "email": person.email.upper() if row % 2 else person.email,
                    "name": person.name,  # shared names: a hint only, never a match
                    "note": f"{person.canary}-note-{row}",
                    "company": f"{person.canary}-company",
                }
            )
    return made[::-1] if world.target % 2 else made


def source_file(world: World, folder: Path) -> Path:
    records = rows(world)
    if world.as_json:
        path = folder / "crm.json"
        path.write_text(json.dumps({"contacts": records}))
        return path
    path = folder / "crm.csv"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(records[0]), delimiter=";")
    writer.writeheader()
    writer.writerows(records)
    path.write_text(out.getvalue(), encoding="cp1252")
    return path


def forms(canary: str) -> list[bytes]:
    return [canary.encode(), canary.encode("utf-16-le"), canary.encode("utf-16-be"), json.dumps(canary).encode()]


def scanned_parts(bundle: bytes) -> Iterator[bytes]:
    yield bundle
    with zipfile.ZipFile(io.BytesIO(bundle)) as archive:
        for member in archive.infolist():
            yield member.filename.encode()
            yield archive.read(member)


def check_isolation(desk: Desk, db: Database, folder: Path, world: World) -> None:
    db.conn.execute("BEGIN IMMEDIATE")  # each example in a transaction of its own, rolled back after
    try:
        file = source_file(world, folder)
        case_ids = []
        for person in world.people:
            case = new_case(name=person.name, emails=(person.email,))
            case_ids.append(desk.cases.add(case, actor="dpo", now=desk.now()))
        for case_id in case_ids:
            preview = desk.data.preview(case_id, file)
            desk.data.take(case_id, preview, desk.data.source("web-forms"), accept_matched=True)
        out = io.BytesIO()
        write_bundle(desk.data.bundle_facts(case_ids[world.target]), out)
    finally:
        db.conn.execute("ROLLBACK")
    parts = list(scanned_parts(out.getvalue()))
    target = world.people[world.target]
    for person in world.people:
        found = any(form in part for part in parts for form in forms(person.canary))
        if person is target:
            assert found, "incomplete: the target's own data is missing"
        else:
            assert not found, f"cross-subject leak: {person.canary} in {target.canary}'s bundle"
    notes = b"".join(parts).count(f"{target.canary}-note-".encode())
    assert notes >= world.rows_each  # every record of the target, in the JSON at least


@pytest.mark.slow
@settings(
    max_examples=1000,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,  # the same 1,000 stores on every run: a failure here is a bug, never bad luck
)
@given(world=worlds())
def test_a_bundle_holds_its_subjects_data_and_no_one_elses(
    desk: Desk, db: Database, tmp_path: Path, world: World
) -> None:
    check_isolation(desk, db, tmp_path, world)


def test_a_leak_injected_on_purpose_is_caught(
    desk: Desk, db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = World(
        (
            Person("CNRY0000Z", "Kari Nordmann", "kari.0@example.no"),
            Person("CNRY0001Z", "Kari Nordmann", "kari1@example.no"),
        ),
        target=0,
        as_json=False,
        rows_each=1,
    )
    check_isolation(desk, db, tmp_path, world)  # as built: no leak

    # The leak: the case filter dropped from the queries that gather the records and their imports.
    records, imports = SubjectData.records, SubjectData.imports

    def all_cases(self: SubjectData) -> list[int]:
        return [row[0] for row in self._db.execute("SELECT id FROM cases")]

    monkeypatch.setattr(
        SubjectData,
        "records",
        lambda self, case_id, state=None: [r for other in all_cases(self) for r in records(self, other, state=state)],
    )
    monkeypatch.setattr(
        SubjectData, "imports", lambda self, case_id: [i for other in all_cases(self) for i in imports(self, other)]
    )
    with pytest.raises(AssertionError, match="cross-subject leak: CNRY0001Z"):
        check_isolation(desk, db, tmp_path, world)


@pytest.mark.slow
@settings(
    max_examples=50,  # each renders and encrypts a letter (about half a second): the bundle test above has 1,000
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)
@given(world=worlds())
def test_an_access_copy_holds_its_subjects_data_and_no_one_elses(
    qapp: object, desk: Desk, db: Database, tmp_path: Path, world: World
) -> None:
    """The same stores; the target's access copy, decrypted, read as text, and its embedded bundle."""
    from dpo_desk.gui.pdf import render

    fill_sheets(desk, tuple(sheet.key for sheet in desk.processors.sheets()))
    target = tmp_path / "access.pdf"
    target.unlink(missing_ok=True)
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        file = source_file(world, tmp_path)
        case_ids = [
            desk.cases.add(new_case(name=p.name, emails=(p.email,), received=NOW - timedelta(days=2)), actor="dpo",
                           now=NOW)
            for p in world.people
        ]  # fmt: skip
        for case_id in case_ids:
            desk.data.take(
                case_id, desk.data.preview(case_id, file), desk.data.source("web-forms"), accept_matched=True
            )
        chosen = case_ids[world.target]
        at = NOW - timedelta(days=1)
        for evidence, method in (
            (Evidence.PASSPORT, Method.VIDEO_CALL),
            (Evidence.ACCOUNT_LOGIN, Method.ACCOUNT_LOGIN),
        ):
            desk.workflow.record_check(chosen, IdentityCheck(evidence, method, "dpo", at, Outcome.PASSED), actor="d",
                                       now=NOW)  # fmt: skip
        # At review the DPO drops the rows that matched by name only: other people who share the name.
        desk.data.review(chosen, drop=[record.id for record in desk.data.store.records(chosen, state="pending")])
        made = desk.data.export_access(chosen, target, render)
    finally:
        db.conn.execute("ROLLBACK")
    assert made.password is not None
    with pikepdf.open(target, password=made.password) as pdf:
        attached = b"".join(spec.get_file().read_bytes() for spec in pdf.attachments.values())
        metadata = str(dict(pdf.docinfo)).encode()
    text = subprocess.run(
        ["pdftotext", "-upw", made.password, str(target), "-"], capture_output=True, check=True
    ).stdout
    parts = [text, metadata, *scanned_parts(attached)]
    person = world.people[world.target]
    assert any(person.canary.encode() in part for part in parts), "incomplete: the target's own data is missing"
    for other in world.people:
        if other is not person:
            assert not any(form in part for part in parts for form in forms(other.canary)), (
                f"cross-subject leak: {other.canary} in {person.canary}'s access copy"
            )
