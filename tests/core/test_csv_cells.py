"""CSV injection, completely: whatever a cell holds, two readers see the same rows, none starts a formula,
and the import gives back what was written."""

import csv
import dataclasses
import io
import json
import subprocess
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dpo_desk.application.desk import Desk
from dpo_desk.core.csv_cells import FORMULA_START, csv_text, neutralised, unneutralised
from tests.conftest import NOW

# Cells built from the characters that matter, so that every dangerous start and separator is tried.
CELLS = st.text(
    alphabet=st.sampled_from(["=", "+", "-", "@", "\t", "\r", "\n", "\0", "'", '"', ",", ";", "a", "1", "ø"])
)
ROWS = st.lists(st.lists(CELLS, min_size=3, max_size=3), min_size=1, max_size=5)


def read_with_python(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def read_with_sqlite(text: str, folder: Path) -> list[list[str]]:
    """The sqlite3 shell's own CSV reader, which shares no code with Python's."""
    path = folder / "cells.csv"
    path.write_bytes(text.encode("utf-8"))
    script = f".mode csv\n.import {path} cells\n.mode json\nSELECT * FROM cells;\n"
    shown = subprocess.run(["sqlite3", ":memory:"], input=script, capture_output=True, text=True, check=True).stdout
    return [list(row.values()) for row in json.loads(shown or "[]")]


def test_a_raw_carriage_return_no_longer_ends_a_row() -> None:
    """Written unquoted before, so a reader split the row and '=1+1' began the next record."""
    text = csv_text(["a", "b"], [["x", "\r=1+1"]])
    assert read_with_python(text) == [["a", "b"], ["x", "'\r=1+1"]]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=ROWS)
def test_two_readers_see_the_same_safe_rows(rows: list[list[str]], tmp_path: Path) -> None:
    text = csv_text(["first", "second", "third"], rows)
    by_python = read_with_python(text)
    assert by_python[0] == ["first", "second", "third"] and len(by_python) == len(rows) + 1
    for written, read in zip(rows, by_python[1:], strict=True):
        assert [unneutralised(cell) for cell in read] == written  # the import gives back what was written
        assert not any(cell.startswith(FORMULA_START) for cell in read)  # a spreadsheet runs none of them
    if not any("\0" in cell for row in rows for cell in row):  # the sqlite3 shell stops a cell at a NUL
        assert read_with_sqlite(text, tmp_path) == by_python[1:]


@settings(max_examples=200, deadline=None)
@given(header=st.lists(CELLS, max_size=3), rows=st.lists(st.lists(CELLS, max_size=3), max_size=5))
def test_the_text_is_the_csv_writers_with_every_cell_quoted(header: list[str], rows: list[list[str]]) -> None:
    """Rows of no cells too: the writer writes an empty line for one, not an empty cell."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([neutralised(cell) for cell in row] for row in rows)
    assert csv_text(header, rows) == out.getvalue()


def test_a_cell_that_looks_neutralised_already_round_trips() -> None:
    for cell in ("'=SUM(A1)", "''=x", "'plain", "-5", "@user", "\0x"):
        assert unneutralised(neutralised(cell)) == cell


def test_a_processor_sheet_with_a_carriage_return_exports_as_one_row(desk: Desk, tmp_path: Path) -> None:
    sheet = desk.processors.sheet("hotjar")
    desk.processors.save(dataclasses.replace(sheet, notes="see\r=1+1"), actor="dpo", now=NOW)
    desk.processors.export("csv", tmp_path / "sheets.csv")
    rows = read_with_python((tmp_path / "sheets.csv").read_bytes().decode("utf-8"))
    assert len(rows) == 1 + len(desk.processors.sheets())
    assert not any(cell.startswith(FORMULA_START) for row in rows for cell in row)
    preview = desk.processors.preview_import(tmp_path / "sheets.csv")
    assert preview.errors == [] and preview.changed == []  # read back exactly as written
