"""The portability bundle's members, byte for byte: what the json and csv modules themselves would write,
however its writing is split between threads."""

import csv
import io
import json
import zipfile
from datetime import UTC, datetime
from typing import Any

import pytest

from dpo_desk.core.csv_cells import neutralised
from dpo_desk.exports.bundle import BundleFacts, BundleSource, verify_bundle, write_bundle

AWKWARD: list[dict[str, Any]] = [
    {"text": "Øst Kraków 日本 😀", "count": 3, "score": 0.1, "flag": True, "none": None},
    {"text": '=HYPERLINK("x")', "count": -7, "score": float("nan"), "flag": False, "none": None},
    {"text": "line\r\nbreak\t\0", "count": 10**30, "score": float("-inf"), "flag": True, "none": None},
    {"text": "", "count": 0, "score": -2.5e-300, "flag": False, "none": None, "list": ["a", '"b"', [1, None]]},
    {"none": None, "text": "'-1", "map": {"ü": "=v", "n": [True, 1.0]}},  # other fields, in another order
]


def facts(*sources: BundleSource) -> BundleFacts:
    as_of = datetime(2026, 3, 5, tzinfo=UTC)
    return BundleFacts("DSR-2026-0001", "Kari", "kari@example.no", {"name": "Altoros Norge AS"}, as_of, sources)


def members(bundle: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(bundle)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def written(*sources: BundleSource) -> bytes:
    out = io.BytesIO()
    write_bundle(facts(*sources), out)
    return out.getvalue()


def test_each_record_and_cell_is_the_json_modules_own_text(tmp_path: Any) -> None:
    bundle = written(BundleSource("crm", "CRM", tuple(AWKWARD)))
    data = members(bundle)
    lines = ",\n".join(json.dumps(record, ensure_ascii=False) for record in AWKWARD)
    assert data["data/crm.json"] == f"[\n{lines}\n]\n".encode()
    rows = list(csv.reader(io.StringIO(data["data/crm.csv"].decode(), newline="")))
    header = rows[0]

    def cell(value: Any) -> str:
        if isinstance(value, str):
            return neutralised(value)
        if type(value) is int:
            return neutralised(str(value))
        return "" if value is None else neutralised(json.dumps(value, ensure_ascii=False))

    assert rows[1:] == [[cell(record.get(name)) for name in header] for record in AWKWARD]
    (tmp_path / "bundle.zip").write_bytes(bundle)
    assert verify_bundle(tmp_path / "bundle.zip") == []


class FullDisk(io.BytesIO):
    """A disk that fails one write, past the README: the writer's thread meets the error, not the caller's."""

    def __init__(self) -> None:
        super().__init__()
        self.failed = False

    def write(self, data: Any) -> int:
        if not self.failed and self.tell() > 2_000:
            self.failed = True
            raise OSError(28, "No space left on device")
        return super().write(data)


def test_a_failed_write_stops_the_bundle_with_its_error() -> None:
    records = tuple({"n": number, "text": f"record {number}"} for number in range(2_000))
    with pytest.raises(OSError, match="No space left"):
        write_bundle(facts(BundleSource("crm", "CRM", records), BundleSource("web", "Web", records)), FullDisk())


def test_the_csv_header_takes_the_fields_in_the_order_they_first_appear() -> None:
    """Not in the order of a set of shapes, which str hashing, seeded anew in each process, shuffles: the
    same records gave a CSV with its columns in another order, and another SHA-256, at each run."""
    records = tuple({f"field-{number}": "x", "common": "y"} for number in range(8))
    data = members(written(BundleSource("crm", "CRM", records)))
    header = data["data/crm.csv"].decode().split("\r\n")[0]
    fields = ["field-0", "common", *(f"field-{number}" for number in range(1, 8))]
    assert header == ",".join(f'"{name}"' for name in fields)


def test_a_source_without_records_has_empty_members() -> None:
    data = members(written(BundleSource("crm", "CRM", ())))
    assert data["data/crm.json"] == b"[]\n" and data["data/crm.csv"] == b"\r\n"
