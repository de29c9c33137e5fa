"""Reading the files source systems export (CSV, JSON, JSON Lines, .eml, .mbox) into records, within limits.

A file is read whole or refused: a malformed one gives one error naming the file and the line, so nothing
is half-imported. CSV files from Norwegian, Finnish and Polish spreadsheets use ``;`` and cp1252 or
cp1250: the encoding is UTF-8 (with or without a BOM) when the bytes are UTF-8, else what
charset-normalizer finds; the delimiter is the one of ``, ; TAB |`` that splits the first lines alike.
Both are reported, and the DPO can give either instead.
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from dpo_desk.core.errors import InputError
from dpo_desk.mail.parse import MailError, read_eml_bytes

FORMATS = ("csv", "json", "jsonl", "eml", "mbox")
DELIMITERS = (",", ";", "\t", "|")
MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_RECORDS = 1_000_000
MAX_FIELDS = 1_000  # columns of a CSV, keys of a record
_SUFFIXES = {".csv": "csv", ".tsv": "csv", ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".eml": "eml"}
_SUFFIXES |= {".mbox": "mbox", ".mbx": "mbox"}

Value = Any  # what JSON holds: text, a number, true/false, null, a list or an object


@dataclass(frozen=True, slots=True)
class Record:
    place: str  # where it is in the file: "line 12", "item 3", "message 2"
    fields: tuple[tuple[str, Value], ...]  # in the file's order


@dataclass(frozen=True, slots=True)
class SourceFile:
    format: str
    encoding: str  # "" for a format that is not text (e-mail)
    delimiter: str  # "" except for CSV
    records: tuple[Record, ...]
    sha256: str  # of the bytes the records were read from: the import's provenance
    size: int

    def detected(self) -> str:
        """What was found, for the preview: "CSV, cp1252, ';'"."""
        parts = [self.format.upper(), self.encoding, repr(self.delimiter) if self.delimiter else ""]
        return ", ".join(part for part in parts if part)


def format_of(name: str) -> str:
    suffix = Path(name).suffix.lower()
    if suffix not in _SUFFIXES:
        raise InputError(f"{name}: the format cannot be told from the name; give it ({', '.join(FORMATS)})")
    return _SUFFIXES[suffix]


def read_source_file(
    path: Path,
    *,
    fmt: str | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    country: str = "",
    progress: Callable[[int], None] | None = None,
) -> SourceFile:
    """Every record of ``path``; an :class:`InputError` naming the file (and line) for anything else.
    ``country``: the receiving entity's, whose code page wins a tie between two that read the file.
    ``progress`` hears how many records were read, now and then (and may raise to stop the reading)."""
    name = path.name
    fmt = fmt or format_of(name)
    if fmt not in FORMATS:
        raise InputError(f"format: {fmt!r} is not one of {', '.join(FORMATS)}")
    if delimiter is not None and delimiter not in DELIMITERS:
        raise InputError(f"delimiter: {delimiter!r} is not one of {', '.join(map(repr, DELIMITERS))}")
    try:
        status = path.stat()
    except OSError as error:
        raise InputError(f"{name}: cannot be read ({error.strerror})") from None
    size, file_time = status.st_size, datetime.fromtimestamp(status.st_mtime, UTC)
    if size > MAX_FILE_BYTES:
        raise InputError(f"{name}: {size // 2**20} MB is larger than the {MAX_FILE_BYTES // 2**20} MB limit for a file")
    data = path.read_bytes()

    def found(records: Iterator[Record], used: str = "", used_delimiter: str = "") -> SourceFile:
        read = tuple(_limited(records, name, progress))
        return SourceFile(fmt, used, used_delimiter, read, hashlib.sha256(data).hexdigest(), len(data))

    if fmt == "mbox":
        return found(_mailbox(data, name, file_time))
    if fmt == "eml":
        return found(iter((_mail_record(data, name, "message 1", file_time),)))
    text, used = _decoded(data, name, encoding, ("cp1250", "cp1252") if country == "PL" else ("cp1252", "cp1250"))
    if fmt == "csv":
        used_delimiter = delimiter or sniff_delimiter(text)
        return found(_csv(text, name, used_delimiter), used, used_delimiter)
    return found(_json(text, name) if fmt == "json" else _json_lines(text, name), used)


def _decoded(data: bytes, name: str, encoding: str | None, prefer: tuple[str, ...]) -> tuple[str, str]:
    if encoding is not None:
        try:
            return data.decode(encoding), encoding
        except LookupError:
            raise InputError(f"encoding: {encoding!r} is not an encoding Python knows") from None
        except UnicodeDecodeError as error:
            raise InputError(f"{name}, {_line_of(data, error.start)}: not {encoding} (byte {error.start})") from None
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", "strict"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    import charset_normalizer  # loaded when first used: the window's start does not need it

    results = charset_normalizer.from_bytes(data[: 4 * 2**20])
    best = results.best()
    if best is None:
        raise InputError(f"{name}: the text encoding cannot be told; give it (such as cp1252 or cp1250)")
    # A short file fits cp1250 and cp1252 equally well ("Øst" or "Řst"): the tie goes to the code page of
    # the entity's country, Central European for Poland, Western for the others.
    tied = {m.encoding for m in results if (m.chaos, m.coherence) == (best.chaos, best.coherence)}
    best = next((m for code_page in prefer for m in results if m.encoding == code_page and code_page in tied), best)
    try:
        return data.decode(best.encoding), best.encoding
    except UnicodeDecodeError as error:
        raise InputError(f"{name}, {_line_of(data, error.start)}: not {best.encoding}; give the encoding") from None


def _line_of(data: bytes, offset: int) -> str:
    return f"line {data.count(NEWLINE, 0, offset) + 1}"


NEWLINE = b"\n"


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the header into most cells and the most of the first lines alike; ","
    when none splits it (a file of one column). A bad row further down is then reported, not hidden."""
    lines = [line for line in text[: 64 * 1024].splitlines()[:20] if line.strip()]
    best, best_score = ",", (0, 1)
    for delimiter in DELIMITERS:
        counts = [len(row) for row in csv.reader(lines, delimiter=delimiter)]
        if counts and counts[0] > 1:
            score = (sum(1 for count in counts if count == counts[0]), counts[0])
            if score > best_score:
                best, best_score = delimiter, score
    return best


def _csv(text: str, name: str, delimiter: str) -> Iterator[Record]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader, None)
        if header is None:
            return
        if len(header) > MAX_FIELDS:
            raise InputError(f"{name}, line 1: {len(header)} columns, more than the limit of {MAX_FIELDS}")
        columns = _column_names(header)
        start = reader.line_num + 1
        for row in reader:
            if any(cell.strip() for cell in row):
                if len(row) > len(columns):
                    raise InputError(
                        f"{name}, line {start}: {len(row)} cells, but the header has {len(columns)} columns"
                    )
                cells = [*row, *[""] * (len(columns) - len(row))]  # a spreadsheet drops trailing empty cells
                yield Record(f"line {start}", tuple(zip(columns, cells, strict=True)))
            start = reader.line_num + 1
    except csv.Error as error:
        raise InputError(f"{name}, line {reader.line_num}: {error}") from None


def _column_names(header: list[str]) -> list[str]:
    """The header's names, each unique: an empty one is "column N", a repeated one "Name (2)"."""
    names: list[str] = []
    for number, cell in enumerate(header, start=1):
        base = cell.strip().lstrip("\ufeff") or f"column {number}"
        candidate, count = base, 1
        while candidate in names:
            count += 1
            candidate = f"{base} ({count})"
        names.append(candidate)
    return names


def _json(text: str, name: str) -> Iterator[Record]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(f"{name}, line {error.lineno}: not JSON ({error.msg})") from None
    if isinstance(document, list):
        yield from _items(document, name, "item")
    elif isinstance(document, dict):
        arrays = {key: value for key, value in document.items() if isinstance(value, list)}
        if arrays and all(isinstance(item, dict) for value in arrays.values() for item in value):
            # The object's other fields say what the records belong to ("event": "Summit 2026"): each
            # record keeps them after its own, unless it has a field of the same name.
            context = tuple((key, value) for key, value in document.items() if key not in arrays)
            for key, value in arrays.items():
                for record in _items(value, name, f"{key}, item"):
                    own = {field for field, _ in record.fields}
                    yield Record(record.place, record.fields + tuple(f for f in context if f[0] not in own))
        else:
            yield Record("the object", _fields(document, name, "the object"))
    else:
        raise InputError(f"{name}: the JSON holds one {type(document).__name__}, not records")


def _items(items: list[Any], name: str, label: str) -> Iterator[Record]:
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise InputError(f"{name}, {label} {number}: a {type(item).__name__}, not a record (an object)")
        yield Record(f"{label} {number}", _fields(item, name, f"{label} {number}"))


def _fields(item: dict[str, Any], name: str, place: str) -> tuple[tuple[str, Value], ...]:
    if len(item) > MAX_FIELDS:
        raise InputError(f"{name}, {place}: {len(item)} fields, more than the limit of {MAX_FIELDS}")
    return tuple(item.items())


def _json_lines(text: str, name: str) -> Iterator[Record]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as error:
            raise InputError(f"{name}, line {number}: not JSON ({error.msg})") from None
        if not isinstance(item, dict):
            raise InputError(f"{name}, line {number}: a {type(item).__name__}, not a record (an object)")
        yield Record(f"line {number}", _fields(item, name, f"line {number}"))


OMITTED_WHEN_EMPTY = ("cc", "message_id")  # a mail without them says nothing by a blank line


def _mail_record(data: bytes, name: str, place: str, file_time: datetime) -> Record:
    try:
        mail = read_eml_bytes(data, name, file_time)
    except MailError as error:
        raise InputError(f"{name}, {place}: {str(error).removeprefix(f'{name}: ')}") from None
    fields: tuple[tuple[str, Any], ...] = (
        ("from", f"{mail.sender_name} <{mail.sender_address}>" if mail.sender_name else mail.sender_address),
        ("to", ", ".join(mail.to)),
        ("cc", ", ".join(mail.cc)),
        ("date", mail.received.isoformat()),
        ("subject", mail.subject),
        ("message_id", mail.message_id),
        ("body", mail.body),
        ("attachments", [attachment.name for attachment in mail.attachments]),
    )
    return Record(place, tuple(field for field in fields if field[1] or field[0] not in OMITTED_WHEN_EMPTY))


# A message starts at a "From " line at the file's start or after a blank line, as the standard library's
# mailbox.mbox reads it; that module wants a file, and these are the very bytes that were hashed.
_FROM_LINE = re.compile(rb"(?:\A|(?<=\n\n)|(?<=\r\n\r\n))From [^\n]*\n")


def _mailbox(data: bytes, name: str, file_time: datetime) -> Iterator[Record]:
    lines = list(_FROM_LINE.finditer(data))
    for number, (line, following) in enumerate(itertools.zip_longest(lines, lines[1:]), start=1):
        assert line is not None
        end = following.start() if following is not None else len(data)
        yield _mail_record(data[line.end() : end], name, f"message {number}", file_time)


def _limited(records: Iterator[Record], name: str, progress: Callable[[int], None] | None) -> Iterator[Record]:
    for count, record in enumerate(records, start=1):
        if count > MAX_RECORDS:
            raise InputError(f"{name}: more than {MAX_RECORDS:,} records, the limit for a file")
        if progress is not None and count % 2_000 == 0:
            progress(count)
        yield record
