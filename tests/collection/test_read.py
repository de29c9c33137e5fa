"""Reading source systems' exports: encodings and delimiters detected, every format, limits, and errors that
name the file and the line."""

import hashlib
import json
from pathlib import Path

import pytest

from dpo_desk.collection import read
from dpo_desk.collection.read import read_source_file, sniff_delimiter
from dpo_desk.core.errors import InputError

HUBSPOT = (
    "Record ID;First Name;Last Name;Email;Company;Notes\r\n"
    "101;Åse;Øvergård;ase@example.no;Øst Consulting AS;Asked for a demo — “urgent”\r\n"
    "102;Per;Hansen;per@example.no;Hansen & Sønn;\r\n"
)


def write(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def test_a_norwegian_spreadsheets_csv_reads_as_cp1252_with_semicolons(tmp_path: Path) -> None:
    path = write(tmp_path, "contacts.csv", HUBSPOT.encode("cp1252"))
    found = read_source_file(path, country="NO")
    assert (found.format, found.encoding, found.delimiter) == ("csv", "cp1252", ";")
    assert found.detected() == "CSV, cp1252, ';'"
    first = dict(found.records[0].fields)
    assert first["Last Name"] == "Øvergård" and first["Company"] == "Øst Consulting AS"
    assert first["Notes"] == "Asked for a demo — “urgent”"
    assert [record.place for record in found.records] == ["line 2", "line 3"]


def test_a_polish_spreadsheets_csv_reads_as_cp1250_and_the_dpo_can_say_otherwise(tmp_path: Path) -> None:
    text = "Imię;Nazwisko;E-mail\r\nŁukasz;Świątek;lukasz@example.pl\r\nZofia;Gęślarz;zofia@example.pl\r\n"
    path = write(tmp_path, "uczestnicy.csv", text.encode("cp1250"))
    found = read_source_file(path, country="PL")
    assert found.encoding == "cp1250" and dict(found.records[0].fields)["Nazwisko"] == "Świątek"
    forced = read_source_file(path, encoding="latin-1", delimiter=",")
    assert (forced.encoding, forced.delimiter) == ("latin-1", ",")


@pytest.mark.parametrize(("bom", "expected"), [(b"\xef\xbb\xbf", "utf-8-sig"), (b"", "utf-8")])
def test_utf8_with_or_without_a_bom_comes_first(tmp_path: Path, bom: bytes, expected: str) -> None:
    path = write(tmp_path, "a.csv", bom + HUBSPOT.encode("utf-8"))
    found = read_source_file(path)
    assert found.encoding == expected
    assert found.records[0].fields[0][0] == "Record ID"  # no BOM left on the first name


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_the_delimiter_is_sniffed(delimiter: str) -> None:
    text = "\n".join(delimiter.join(row) for row in (["a", "b", "c"], ["1", "2, or 3", "x"], ["4", "5", "6"]))
    if delimiter == ",":
        text = 'a,b,c\n1,"2, or 3",x\n4,5,6'
    assert sniff_delimiter(text) == delimiter


def test_a_row_with_more_cells_than_the_header_names_the_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.csv", b"a;b\n1;2\n3;4;5\n")
    with pytest.raises(InputError, match=r"^bad.csv, line 3: 3 cells, but the header has 2 columns$"):
        read_source_file(path)


def test_an_unclosed_quote_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.csv", b'a,b\n1,2\n"3,4\n')
    with pytest.raises(InputError, match=r"^bad.csv, line \d"):
        read_source_file(path)


def test_headers_are_made_unique_and_short_rows_padded(tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", b"Name,Name,,Email\nKari,K,x,kari@example.no\nPer\n")
    records = read_source_file(path).records
    assert [name for name, _ in records[0].fields] == ["Name", "Name (2)", "column 3", "Email"]
    assert dict(records[1].fields) == {"Name": "Per", "Name (2)": "", "column 3": "", "Email": ""}


def test_json_as_an_array_an_object_or_an_object_of_arrays(tmp_path: Path) -> None:
    array = write(tmp_path, "a.json", json.dumps([{"email": "a@x.no"}, {"email": "b@x.no", "n": 2}]).encode())
    assert [r.place for r in read_source_file(array).records] == ["item 1", "item 2"]
    one = write(tmp_path, "b.json", json.dumps({"email": "a@x.no", "tags": ["x"]}).encode())
    assert read_source_file(one).records[0].fields == (("email", "a@x.no"), ("tags", ["x"]))
    arrays = {"event": "Summit", "attendees": [{"email": "a@x.no"}], "speakers": [{"email": "b@x.no"}]}
    nested = write(tmp_path, "c.json", json.dumps(arrays).encode())
    records = read_source_file(nested).records
    assert [r.place for r in records] == ["attendees, item 1", "speakers, item 1"]
    assert records[0].fields == (("email", "a@x.no"), ("event", "Summit"))  # what the record belongs to


def test_broken_json_and_json_lines_name_the_line(tmp_path: Path) -> None:
    broken = write(tmp_path, "a.json", b'[\n{"a": 1},\n{"a": }\n]')
    with pytest.raises(InputError, match=r"^a.json, line 3: not JSON"):
        read_source_file(broken)
    lines = write(tmp_path, "b.jsonl", b'{"a": 1}\n\n{"a": 2}\n[1]\n')
    with pytest.raises(InputError, match=r"^b.jsonl, line 4: a list, not a record"):
        read_source_file(lines)
    good = write(tmp_path, "c.jsonl", b'{"a": 1}\n\n{"a": 2}\n')
    assert [r.place for r in read_source_file(good).records] == ["line 1", "line 3"]


def test_a_mailbox_gives_one_record_per_message(tmp_path: Path) -> None:
    message = (
        "From MAILER-DAEMON Tue Dec  1 10:00:00 2026\nFrom: Kari <kari@example.no>\nTo: sales@altoros.no\n"
        "Subject: Pricing {n}\nDate: Tue, 01 Dec 2026 10:0{n}:00 +0100\n\nHello {n}.\n"
    )
    path = write(tmp_path, "box.mbox", "\n".join(message.format(n=n) for n in range(3)).encode())
    records = read_source_file(path).records
    assert [dict(r.fields)["subject"] for r in records] == ["Pricing 0", "Pricing 1", "Pricing 2"]
    assert dict(records[0].fields)["from"] == "Kari <kari@example.no>"
    assert dict(records[2].fields)["date"] == "2026-12-01T10:02:00+01:00"


def test_limits_name_their_rule(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(read, "MAX_RECORDS", 2)
    path = write(tmp_path, "many.jsonl", b'{"a": 1}\n{"a": 2}\n{"a": 3}\n')
    with pytest.raises(InputError, match="more than 2 records, the limit for a file"):
        read_source_file(path)
    monkeypatch.setattr(read, "MAX_FILE_BYTES", 10)
    with pytest.raises(InputError, match="larger than the 0 MB limit for a file"):
        read_source_file(path)
    with pytest.raises(InputError, match="the format cannot be told from the name"):
        read_source_file(write(tmp_path, "x.txt", b"a"))


def test_a_from_line_inside_a_message_does_not_start_another(tmp_path: Path) -> None:
    box = (
        b"From a@example.no Tue Dec  1 10:00:00 2026\nFrom: Kari <kari@example.no>\nSubject: One\n\n"
        b"Hello,\nFrom here on I want my data.\n\n"
        b"From b@example.no Tue Dec  1 11:00:00 2026\nFrom: Kari <kari@example.no>\nSubject: Two\n\nBye.\n"
    )
    records = read_source_file(write(tmp_path, "box.mbox", box)).records
    assert [dict(r.fields)["subject"] for r in records] == ["One", "Two"]
    assert "From here on I want my data." in str(dict(records[0].fields)["body"])
    found = read_source_file(write(tmp_path, "box2.mbox", box))
    assert found.sha256 == hashlib.sha256(box).hexdigest() and found.size == len(box)


def test_a_mail_keeps_its_recipients_names_and_its_message_id(tmp_path: Path) -> None:
    mail = (
        "From: Kari <kari@example.no>\r\nTo: =?utf-8?q?S=C3=B8rensen_Sales?= <sales@altoros.no>, b@altoros.no\r\n"
        'Cc: "Nordmann, Ola" <ola@example.no>\r\nSubject: Prices\r\nDate: Tue, 01 Dec 2026 10:00:00 +0100\r\n'
        "Message-ID: <abc.123@example.no>\r\n\r\nHello.\r\n"
    )
    fields = dict(read_source_file(write(tmp_path, "one.eml", mail.encode())).records[0].fields)
    assert fields["to"] == "Sørensen Sales <sales@altoros.no>, b@altoros.no"
    assert fields["cc"] == "Nordmann, Ola <ola@example.no>"
    assert fields["message_id"] == "<abc.123@example.no>"
    plain = "From: kari@example.no\r\nTo: sales@altoros.no\r\nSubject: Hi\r\n\r\nHello.\r\n"
    assert "cc" not in dict(read_source_file(write(tmp_path, "two.eml", plain.encode())).records[0].fields)
