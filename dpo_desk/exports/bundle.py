"""The portability bundle (Art. 20): a ZIP a receiving controller's software can read, the same bytes each time.

Layout: ``README.txt``; ``data/<source>.json`` and ``data/<source>.csv`` per source; ``manifest.json``
listing every other member with its bytes, records, source and SHA-256; ``schema/`` with a JSON Schema
(draft 2020-12) for each JSON member. Member names come from source keys, never from subject input.
Deterministic: entries in name order, dated 1980-01-01, mode 0644, deflated at one fixed level, and the
manifest's time is when the data last changed, not when the file was written.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import json.encoder
import re
import zipfile
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from dpo_desk.core.csv_cells import FORMULA_START, csv_text
from dpo_desk.core.progress import Progress

FORMAT, VERSION = "dpo-desk-portability", "1.0"
SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest a ZIP entry can bear
LEVEL = 6
MAX_MEMBERS = 1_000
MAX_UNPACKED = 2 * 1024**3  # what verify-bundle reads at most, declared sizes summed
_SOURCE_KEY = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


@dataclass(frozen=True, slots=True)
class BundleSource:
    key: str  # the member name: data/<key>.json
    name: str
    records: tuple[dict[str, Any], ...]


@dataclass(frozen=True, slots=True)
class BundleFacts:
    case_reference: str
    subject_name: str
    subject_email: str
    controller: dict[str, str]  # name, address, country, org. number
    created: datetime  # UTC: when the data in it last changed
    sources: tuple[BundleSource, ...]


@dataclass(frozen=True, slots=True)
class Written:
    manifest: dict[str, Any]
    records: int


def write_bundle(facts: BundleFacts, out: IO[bytes], progress: Progress | None = None) -> Written:
    """Write the ZIP to ``out`` (a file opened for writing, or a buffer). ``progress`` hears each source
    begun, n of N (and may raise to stop)."""
    keys = [source.key for source in facts.sources]
    bad = [key for key in keys if not _SOURCE_KEY.match(key)]
    if bad or len(set(keys)) != len(keys):
        raise ValueError(f"source keys must be unique, lower-case letters, digits and dashes: {keys}")
    sources = sorted(facts.sources, key=lambda source: source.key)
    encode = _value_encoder()
    with zipfile.ZipFile(out, "w") as bundle, _MemberWriter(bundle) as writer:
        writer.put("README.txt", _readme(facts).encode(), records=None, source="")
        for done, source in enumerate(sources):
            if progress is not None:
                progress(done, len(sources), f"Writing the data of system {done + 1} of {len(sources)}…")
            records = len(source.records)
            writer.put(f"data/{source.key}.json", _json_member(source, encode), records=records, source=source.key)
            writer.put(f"data/{source.key}.csv", _csv_member(source, encode), records=records, source=source.key)
        # Made while the last member is written: the data's are the ones the writer waits for.
        schemas = {f"schema/{source.key}.schema.json": _data_schema(source) for source in sources}
        schema_members = [(name, _json_bytes(schema)) for name, schema in sorted(schemas.items())]
        schema_members.append(("schema/manifest.schema.json", _json_bytes(MANIFEST_SCHEMA)))
        schema_members.sort()
        files = writer.entries()
        # The manifest lists every member, so its entries for the schemas (written after it) come first.
        for name, content in schema_members:
            files.append(_entry(name, content, records=None, source=""))
        manifest = _manifest(facts, sorted(files, key=lambda entry: entry["path"]))
        _write(bundle, "manifest.json", _json_bytes(manifest))
        for name, content in schema_members:
            _write(bundle, name, content)
    return Written(manifest, sum(len(source.records) for source in sources))


class _MemberWriter:
    """Hashes and deflates each member on a thread of its own, in the order put, while the caller builds
    the next: zlib and hashlib let go of the GIL, so the two take the time of the slower, not the sum.
    A member waits for the one before it, so that no more than two are held at once."""

    def __init__(self, bundle: zipfile.ZipFile) -> None:
        self._bundle = bundle
        self._thread = ThreadPoolExecutor(1, thread_name_prefix="bundle-writer")
        self._writing: Future[dict[str, Any]] | None = None
        self._entries: list[dict[str, Any]] = []

    def put(self, name: str, content: bytes, *, records: int | None, source: str) -> None:
        self._finish()
        self._writing = self._thread.submit(self._written, name, content, records, source)

    def entries(self) -> list[dict[str, Any]]:
        """The manifest's entry of every member put, in that order, once all are written."""
        self._finish()
        return self._entries

    def _finish(self) -> None:
        if self._writing is not None:
            writing, self._writing = self._writing, None
            self._entries.append(writing.result())

    def _written(self, name: str, content: bytes, records: int | None, source: str) -> dict[str, Any]:
        _write(self._bundle, name, content)
        return _entry(name, content, records=records, source=source)

    def __enter__(self) -> _MemberWriter:
        return self

    def __exit__(self, *exception: object) -> None:
        # On a stop or an error as well: the ZIP is closed after its last member is written, not during.
        self._thread.shutdown(wait=True)


def _value_encoder() -> Callable[[Any], str]:
    """``json.dumps(value, ensure_ascii=False)`` with its C encoder made once: ``JSONEncoder.encode`` makes a
    new one at each call, which takes longer than encoding a record, and a bundle encodes every record
    and every list in its CSV. One per bundle, as the encoder's circular-reference markers go unshared."""
    encoder = json.JSONEncoder(ensure_ascii=False)
    make_encoder = getattr(json.encoder, "c_make_encoder", None)  # None where json runs without its C part
    if make_encoder is None:
        return encoder.encode
    chunks = make_encoder({}, encoder.default, json.encoder.encode_basestring, None, ": ", ", ", False, False, True)
    return lambda value: "".join(chunks(value, 0))


def _json_member(source: BundleSource, encode: Callable[[Any], str]) -> bytes:
    # One record a line: the C encoder does the work (an indented dump runs in Python, ten times slower).
    lines = ",\n".join(map(encode, source.records))
    return (f"[\n{lines}\n]\n" if lines else "[]\n").encode()


def _csv_member(source: BundleSource, encode: Callable[[Any], str]) -> bytes:
    # Each distinct shape once, in the order first seen: a set's order would change with str hashing, per process.
    shapes = dict.fromkeys(map(tuple, source.records))
    header = tuple(dict.fromkeys(name for names in shapes for name in names))

    def cell(value: Any) -> str:
        kind = type(value)
        if kind is int:
            return str(value)
        return "" if value is None else encode(value)

    def cells(record: dict[str, Any]) -> list[str]:
        # Most records hold the header's fields in its order: their values are the row as they stand.
        values = record.values() if tuple(record) == header else [record.get(name) for name in header]
        return [value if type(value) is str else cell(value) for value in values]  # no call for text

    return csv_text(header, map(cells, source.records)).encode()


def _entry(name: str, content: bytes, *, records: int | None, source: str) -> dict[str, Any]:
    entry: dict[str, Any] = {"path": name, "bytes": len(content), "sha256": hashlib.sha256(content).hexdigest()}
    if records is not None:
        entry |= {"records": records, "source": source}
    return entry


def _write(bundle: zipfile.ZipFile, name: str, content: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3  # Unix, wherever it is made, so that the attributes read the same
    info.external_attr = 0o100644 << 16
    bundle.writestr(info, content, compresslevel=LEVEL)


def _json_bytes(document: Any) -> bytes:
    return (json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


def _manifest(facts: BundleFacts, files: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": VERSION,
        "case": facts.case_reference,
        "subject": {"name": facts.subject_name, "email": facts.subject_email},
        "controller": facts.controller,
        "created": facts.created.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "sources": {source.key: source.name for source in facts.sources},
        "csv_cells": "A CSV cell that starts with " + " ".join(repr(c)[1:-1] for c in FORMULA_START) + " has a "
        "leading apostrophe added, so that no spreadsheet runs it as a formula; the JSON holds the value as it is.",
        "files": files,
    }


_JSON_TYPES: dict[type, str] = {str: "string", bool: "boolean", int: "integer", float: "number", list: "array"}
_JSON_TYPES |= {dict: "object", type(None): "null"}


def _data_schema(source: BundleSource) -> dict[str, Any]:
    # Records of one source mostly share their fields and types: look at each distinct shape once.
    shapes = dict.fromkeys((tuple(record), tuple(map(type, record.values()))) for record in source.records)
    seen: dict[str, set[str]] = {}
    everywhere: set[str] | None = None  # the fields every record has
    for names, types in shapes:
        everywhere = set(names) if everywhere is None else everywhere & set(names)
        for name, kind in zip(names, types, strict=True):
            seen.setdefault(name, set()).add(_JSON_TYPES.get(kind, "null"))
    return {
        "$schema": SCHEMA_DIALECT,
        "$id": f"schema/{source.key}.schema.json",
        "title": source.name,
        "description": f"The records of {source.name} about the subject, one object each, as the system holds them.",
        "type": "array",
        "items": {
            "type": "object",
            "properties": {name: {"type": sorted(types)} for name, types in seen.items()},
            "required": [name for name in seen if name in (everywhere or set())],
            "additionalProperties": False,
        },
    }


MANIFEST_SCHEMA: dict[str, Any] = {
    "$schema": SCHEMA_DIALECT,
    "$id": "schema/manifest.schema.json",
    "title": "Manifest of a DPO Desk portability bundle",
    "type": "object",
    "required": ["format", "version", "case", "subject", "controller", "created", "files"],
    "properties": {
        "format": {"const": FORMAT},
        "version": {"type": "string"},
        "case": {"type": "string"},
        "subject": {
            "type": "object",
            "required": ["name", "email"],
            "properties": {"name": {"type": "string"}, "email": {"type": "string"}},
        },
        "controller": {"type": "object", "additionalProperties": {"type": "string"}},
        "created": {"type": "string", "pattern": "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z$"},
        "sources": {"type": "object", "additionalProperties": {"type": "string"}},
        "csv_cells": {"type": "string"},
        "files": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["path", "bytes", "sha256"],
                "properties": {
                    "path": {"type": "string"},
                    "bytes": {"type": "integer", "minimum": 0},
                    "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                    "records": {"type": "integer", "minimum": 0},
                    "source": {"type": "string"},
                },
                "additionalProperties": False,
            },
        },
    },
}


def _readme(facts: BundleFacts) -> str:
    listed = "\n".join(f"  data/{source.key}.json and .csv: {source.name}" for source in facts.sources)
    return f"""Your personal data from {facts.controller.get("name", "")}, case {facts.case_reference}
=====================================================================

This archive holds the personal data you provided to us, and the data we observed while you used
our services, in a structured, commonly used and machine-readable format (Article 20 GDPR). Sources and
fields our records mark as inferred or derived by us are left out. It is the data as it stood on
{facts.created:%Y-%m-%d}.

What is in it:
{listed or "  no source holds data about you that falls under this right"}
  manifest.json: the list of every file, with its size, its number of records and its SHA-256
  schema/: a JSON Schema (draft 2020-12) for each JSON file

For a receiving organisation: the JSON files are the authoritative form, UTF-8, one object per
record, with the fields as the source system names them; each is described by its schema. The CSV
files are the same records for a spreadsheet; a cell that could run as a formula has a leading
apostrophe added. The SHA-256 of each file in manifest.json shows that it arrived unchanged (for example,
compare it with the output of sha256sum).
"""


def verify_bundle(path: Path) -> list[str]:
    """Every way the bundle differs from its manifest and schemas; empty when it checks out."""
    try:
        with zipfile.ZipFile(path) as bundle:
            return _verify(bundle)
    except (zipfile.BadZipFile, OSError) as error:
        return [f"{path.name} is not a readable ZIP ({error})"]


def _verify(bundle: zipfile.ZipFile) -> list[str]:
    members = bundle.infolist()
    if len(members) > MAX_MEMBERS or sum(member.file_size for member in members) > MAX_UNPACKED:
        return [f"more than {MAX_MEMBERS} members or {MAX_UNPACKED // 1024**3} GB unpacked: not read"]
    unsafe = [m.filename for m in members if m.filename.startswith(("/", "\\")) or ".." in m.filename.split("/")]
    if unsafe:
        return [f"member names outside the archive: {', '.join(unsafe[:5])}"]
    names = {member.filename for member in members}
    if "manifest.json" not in names:
        return ["manifest.json is missing"]
    try:
        manifest = json.loads(bundle.read("manifest.json"))
    except ValueError as error:
        return [f"manifest.json is not JSON ({error})"]
    problems = _schema_problems(bundle, names, "manifest.json", manifest, "schema/manifest.schema.json")
    listed = {entry.get("path") for entry in manifest.get("files", []) if isinstance(entry, dict)}
    problems += [f"{name} is not in the manifest" for name in sorted(names - listed - {"manifest.json"})]
    for entry in manifest.get("files", []):
        problems += _entry_problems(bundle, names, entry)
    return problems


def _entry_problems(bundle: zipfile.ZipFile, names: set[str], entry: Any) -> list[str]:
    if not isinstance(entry, dict) or not isinstance(entry.get("path"), str):
        return ["the manifest lists a file without a path"]
    name = entry["path"]
    if name not in names:
        return [f"{name} is in the manifest but not in the archive"]
    content = bundle.read(name)
    problems = []
    if len(content) != entry.get("bytes"):
        problems.append(f"{name}: {len(content)} bytes, the manifest says {entry.get('bytes')}")
    if hashlib.sha256(content).hexdigest() != entry.get("sha256"):
        problems.append(f"{name}: its SHA-256 differs from the manifest's")
    if "records" in entry:
        counted = _records_in(name, content)
        if counted is None:
            problems.append(f"{name}: cannot be read as {Path(name).suffix[1:].upper()}")
        elif counted != entry["records"]:
            problems.append(f"{name}: {counted:,} records, the manifest says {entry['records']}")
    if name.startswith("data/") and name.endswith(".json"):
        try:
            document = json.loads(content)
        except ValueError:
            return problems
        schema = f"schema/{Path(name).stem}.schema.json"
        problems += _schema_problems(bundle, names, name, document, schema)
    return problems


def _records_in(name: str, content: bytes) -> int | None:
    try:
        if name.endswith(".json"):
            document = json.loads(content)
            return len(document) if isinstance(document, list) else None
        rows = list(_csv_rows(content.decode("utf-8")))
        return max(len(rows) - 1, 0)
    except (ValueError, UnicodeDecodeError):
        return None


def _csv_rows(text: str) -> Iterable[list[str]]:
    return csv.reader(io.StringIO(text, newline=""))


def _schema_problems(bundle: zipfile.ZipFile, names: set[str], name: str, document: Any, schema_name: str) -> list[str]:
    if schema_name not in names:
        return [f"{name}: its schema {schema_name} is missing"]
    import jsonschema  # loaded when first used: the window's start does not need it

    try:
        schema = json.loads(bundle.read(schema_name))
        validator = jsonschema.Draft202012Validator(schema)
        errors = sorted(validator.iter_errors(document), key=lambda error: list(error.path))
    except (ValueError, jsonschema.SchemaError) as error:
        return [f"{schema_name}: not a usable JSON Schema ({str(error)[:100]})"]
    return [
        f"{name}: {'/'.join(map(str, error.path)) or 'the document'}: {error.message[:160]}" for error in errors[:5]
    ]
