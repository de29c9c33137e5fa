"""Hostile input (issue 8): fuzzed CSV and JSON imports end in a named refusal or a clean preview, never a
crash, and never change the store; a subject's name never becomes a file name (T13)."""

import json
import string
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlite_utils import Database

from dpo_desk.application.desk import Desk
from dpo_desk.cli import main
from dpo_desk.core.errors import InputError
from dpo_desk.letters.kinds import LetterKind
from dpo_desk.store.cases import CaseRepository
from dpo_desk.store.db import open_store
from dpo_desk.store.letters import letter_file_name
from dpo_desk.store.processors import ProcessorStore
from tests.conftest import TEST_KEY, new_case

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=12), inner, max_size=6),
    max_leaves=30,
)


@pytest.fixture
def exported(desk: Desk, db: Database, tmp_path: Path) -> dict[str, bytes]:
    store = desk.processors
    files = {}
    for fmt in ("csv", "json"):
        store.export(fmt, tmp_path / f"sheets.{fmt}")
        files[fmt] = (tmp_path / f"sheets.{fmt}").read_bytes()
    return files


def snapshot(db: Database) -> list[tuple]:
    return list(db.execute("SELECT * FROM processors ORDER BY key"))


def mutate(data: bytes, cuts: list[tuple[int, int, bytes]]) -> bytes:
    changed = bytearray(data)
    for position, length, replacement in cuts:
        at = position % (len(changed) + 1)
        changed[at : at + length] = replacement
    return bytes(changed)


def preview_or_refusal(store: ProcessorStore, path: Path) -> str:
    try:
        preview = store.preview_import(path)
    except InputError as error:
        assert str(error)
        return "refused"
    for message in preview.errors:
        assert ":" in message  # every rejected row names where it is
    return "previewed"


@FUZZ
@given(
    fmt=st.sampled_from(["csv", "json"]),
    cuts=st.lists(st.tuples(st.integers(0, 200_000), st.integers(0, 40), st.binary(max_size=12)), max_size=6),
)
def test_mutated_sheet_files_never_crash_or_write(
    desk: Desk, db: Database, exported: dict[str, bytes], tmp_path: Path, fmt: str, cuts: list[tuple[int, int, bytes]]
) -> None:
    store = desk.processors
    before = snapshot(db)
    path = tmp_path / f"fuzzed.{fmt}"
    path.write_bytes(mutate(exported[fmt], cuts))
    preview_or_refusal(store, path)
    assert snapshot(db) == before


@FUZZ
@given(document=json_values)
def test_arbitrary_json_sheets_never_crash(desk: Desk, db: Database, tmp_path: Path, document: object) -> None:
    store = desk.processors
    path = tmp_path / "arbitrary.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    preview_or_refusal(store, path)


@FUZZ
@given(document=json_values)
def test_arbitrary_case_json_is_refused_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], document: object
) -> None:
    store = tmp_path / "store.sqlite"
    if not store.exists():
        open_store(store, TEST_KEY).close()
    path = tmp_path / "case.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    code = main(["--store", str(store), "case", "add", "--json", str(path)])
    err = capsys.readouterr().err
    if code != 0:  # an arbitrary document is almost never a valid case; if it is, it was added
        assert code == 2 and err.startswith("dpo-desk: ") and err.count("\n") == 1


def test_an_oversized_sheet_file_is_refused_before_it_is_read(desk: Desk, db: Database, tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    with path.open("wb") as handle:
        handle.truncate(60 * 1024 * 1024)  # sparse: no 60 MB written
    with pytest.raises(InputError, match="larger than"):
        desk.processors.preview_import(path)


@given(name=st.text(alphabet=string.printable + '\u202e/\\:*?"<>|\x00ÆØÅ', min_size=1, max_size=60))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_a_subjects_name_never_reaches_a_file_name(repo: CaseRepository, name: str) -> None:
    if not name.strip():
        return
    case = repo.get_by_id(repo.add(new_case(name=name.strip()), actor="dpo", now=datetime(2026, 11, 29, tzinfo=UTC)))
    for kind in LetterKind:
        file_name = letter_file_name(case, kind, 3)
        assert file_name == f"{case.reference}-{kind.value}-3.pdf"
        assert set(file_name) <= set(string.ascii_letters + string.digits + "-.")
