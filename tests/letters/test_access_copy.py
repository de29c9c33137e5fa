"""The access copy: the access response, the data after it and the bundle embedded, AES-256, registered;
and the letter says a copy is enclosed only when one is."""

import io
import json
import re
import subprocess
import unicodedata
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pikepdf
import pytest

from dpo_desk.application.desk import Desk
from dpo_desk.core.errors import RefusedError
from dpo_desk.core.identity import Evidence, IdentityCheck, Method, Outcome
from dpo_desk.core.models import Right
from dpo_desk.exports import access_copy
from dpo_desk.exports.bundle import verify_bundle
from dpo_desk.gui.pdf import render
from dpo_desk.letters.kinds import LetterKind
from tests.conftest import fill_sheets, new_case
from tests.letters import samples

NOW = datetime(2026, 11, 29, 12, tzinfo=UTC)
RECEIVED = datetime(2026, 11, 2, 9, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _qt_renders(qapp: object) -> None:
    """Qt lays the letters out."""


def read(path: Path, password: str) -> str:
    """The text with its page breaks (form feeds) and every other run of whitespace as one space."""
    text = subprocess.run(
        ["pdftotext", "-upw", password, str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    text = unicodedata.normalize("NFKC", text)  # the font's "fi" ligature reads as "fi"
    return "\f".join(" ".join(page.split()) for page in text.split("\f"))


@pytest.fixture
def access_case(desk: Desk, tmp_path: Path) -> int:
    case_id = desk.cases.add(
        new_case(
            name="Kari Nordmann",
            emails=("kari.nordmann@example.no",),
            received=RECEIVED,
            rights=(Right.ACCESS, Right.PORTABILITY),
        ),
        actor="dpo",
        now=NOW,
    )
    at = RECEIVED + timedelta(hours=3)
    for evidence, method in ((Evidence.PASSPORT, Method.VIDEO_CALL), (Evidence.ACCOUNT_LOGIN, Method.ACCOUNT_LOGIN)):
        desk.workflow.record_check(
            case_id, IdentityCheck(evidence, method, "dpo", at, Outcome.PASSED), actor="d", now=NOW
        )
    desk.outcomes.set_sources(case_id, ["chatbot"], actor="dpo", now=NOW)
    fill_sheets(desk, tuple(sheet.key for sheet in desk.processors.sheets()))
    return case_id


def import_data(desk: Desk, case_id: int, folder: Path, rows: int = 2) -> None:
    samples.import_data(desk, case_id, folder, "kari.nordmann@example.no", rows, encoding="cp1252")


def test_the_access_copy_holds_the_letter_the_data_and_the_bundle(desk: Desk, access_case: int, tmp_path: Path) -> None:
    import_data(desk, access_case, tmp_path)
    made = desk.data.export_access(access_case, tmp_path / "access.pdf", render)
    assert made.password is not None and made.record.protected
    with pytest.raises(pikepdf.PasswordError):
        pikepdf.open(made.record.file)
    text = read(made.record.file, made.password)
    assert "The copy of the data itself (Article 15(3)) follows this letter" in text
    assert "3 records from 2 systems" in text and "(Article 20). This " in text
    assert "Your data, case" in text and "Øst AS" in text and "Pricing question" in text
    assert "what does the chatbot cost?" in text
    assert "Date: Mon 2 Nov 2026, 10:00 (UTC+01:00)" in text  # the sender's clock, in words
    assert "OTHERPERSON" not in text
    assert "not part of this letter" not in text
    pages = text.count("\f")
    assert f"Page {pages} of {pages}" in text  # numbered on through the data part
    with pikepdf.open(made.record.file, password=made.password) as pdf:
        attached = dict(pdf.attachments)
        assert list(attached) == [f"{desk.cases.get_by_id(access_case).reference}-portability.zip"]
        bundle = attached[next(iter(attached))].get_file().read_bytes()
    extracted = tmp_path / "bundle.zip"
    extracted.write_bytes(bundle)
    assert verify_bundle(extracted) == []
    with zipfile.ZipFile(io.BytesIO(bundle)) as archive:
        assert json.loads(archive.read("manifest.json"))["subject"]["name"] == "Kari Nordmann"
    export = desk.data.store.exports(access_case)[0]
    assert (export.kind, export.sha256, export.records) == ("access", made.record.sha256, 3)
    assert desk.letters.letters(access_case)[-1].kind is LetterKind.ACCESS_RESPONSE


def test_without_a_copy_the_letter_says_it_is_provided_separately(desk: Desk, access_case: int, tmp_path: Path) -> None:
    made = desk.letters.generate(
        access_case, LetterKind.ACCESS_RESPONSE, tmp_path / "a.pdf", render, actor="d", now=NOW
    )
    assert made.password is not None
    text = read(made.record.file, made.password)
    assert "is not part of this letter: we provide it separately" in text and "follows this letter" not in text


def test_no_copy_while_records_wait_for_review_or_without_data(desk: Desk, access_case: int, tmp_path: Path) -> None:
    with pytest.raises(RefusedError, match="no data of the subject has been imported and accepted"):
        desk.data.export_access(access_case, tmp_path / "a.pdf", render)
    crm = tmp_path / "crm.csv"
    crm.write_text("Email;Company\nkari.nordmann@example.no;Øst AS\n")
    desk.data.take(
        access_case, desk.data.preview(access_case, crm), desk.data.source("web-forms"), accept_matched=False
    )
    with pytest.raises(RefusedError, match="1 record\\(s\\) wait for review"):
        desk.data.export_access(access_case, tmp_path / "a.pdf", render)
    assert not (tmp_path / "a.pdf").exists()


def test_wide_records_are_folded_and_long_data_paginates(
    desk: Desk, access_case: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(access_copy, "BATCH_RECORDS", 20)  # many small documents, numbered as one
    import_data(desk, access_case, tmp_path, rows=60)
    made = desk.data.export_access(access_case, tmp_path / "access.pdf", render)
    assert made.password is not None
    text = read(made.record.file, made.password)
    pages = text.count("\f")
    assert pages >= 3 and f"Page {pages} of {pages}" in text
    assert all(f"lead {n}" in text for n in range(60))  # every record, none cut off
    assert "(continued)" in text
    reference = desk.cases.get_by_id(access_case).reference
    all_pages = text.split("\f")
    data_pages = all_pages[next(n for n, page in enumerate(all_pages) if "Your data, case" in page) :]
    # The data part is the letter's later pages: its running header on each, at the letter's left margin.
    header = re.compile(f"^Altoros Norge AS · {reference} .*Page \\d+ of {pages}")
    assert len(data_pages) > 2 and all(header.match(page) for page in data_pages if page)
    words = subprocess.run(
        ["pdftotext", "-bbox", "-upw", made.password, str(made.record.file), "-"], capture_output=True, text=True
    ).stdout
    lefts = {word: float(x) for x, word in re.findall(r'xMin="([\d.]+)"[^>]*>(Dear|Your)<', words)}
    assert abs(lefts["Your"] - lefts["Dear"]) < 1  # points


def test_the_portability_cover_carries_its_bundle_and_says_what_it_holds(
    desk: Desk, access_case: int, tmp_path: Path
) -> None:
    desk.outcomes.record_outcome(
        access_case, "portability", {"conditions_met": True, "done_on": NOW.date().isoformat()}, actor="d", now=NOW
    )
    assert "no portable data of the subject has been imported" in desk.letters.why_not(
        access_case, LetterKind.PORTABILITY_COVER
    )
    import_data(desk, access_case, tmp_path)
    assert desk.letters.why_not(access_case, LetterKind.PORTABILITY_COVER) == ""
    with pytest.raises(RefusedError, match="the cover goes only with the bundle it covers"):
        desk.letters.generate(access_case, LetterKind.PORTABILITY_COVER, tmp_path / "c.pdf", render, actor="d", now=NOW)
    made = desk.write_letter(access_case, LetterKind.PORTABILITY_COVER, render, target=tmp_path / "cover.pdf")
    assert made.password is not None and made.record.protected
    text = read(made.record.file, made.password)
    reference = desk.cases.get_by_id(access_case).reference
    assert f"Attached to this file is {reference}-portability.zip" in text
    assert "It holds 3 records from 2 systems (Chatbot; Web forms), as they stood on 29 Nov 2026, in 9 files" in text
    with pikepdf.open(made.record.file, password=made.password) as pdf:
        bundle = next(iter(pdf.attachments.values())).get_file().read_bytes()
    with zipfile.ZipFile(io.BytesIO(bundle)) as archive:
        assert len(archive.namelist()) == 9
    assert [e.kind for e in desk.data.store.exports(access_case)] == ["portability"]


def test_the_command_line_writes_the_access_copy_and_its_password(
    desk: Desk, store_path: Path, access_case: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from dpo_desk.cli import main

    import_data(desk, access_case, tmp_path)
    reference = desk.cases.get_by_id(access_case).reference
    out, password = tmp_path / "access.pdf", tmp_path / "password.txt"
    store = ["--store", str(store_path)]
    assert main([*store, "export", reference, "--kind", "access", "--out", str(out), "--password-file",
                 str(password)]) == 0  # fmt: skip
    assert f"wrote {out}" in capsys.readouterr().out
    assert oct(password.stat().st_mode & 0o777) == "0o600"
    assert "Pricing question" in read(out, password.read_text().strip())
    assert main([*store, "export", reference, "--kind", "access", "--out", str(out)]) == 2
    assert "already exists; a letter never overwrites a file" in capsys.readouterr().err


def test_an_import_names_its_source_and_a_named_source_without_data_blocks_the_copy(
    desk: Desk, access_case: int, tmp_path: Path
) -> None:
    crm = tmp_path / "crm.csv"
    crm.write_text("Email;Company\nkari.nordmann@example.no;Øst AS\n")
    desk.data.take(access_case, desk.data.preview(access_case, crm), desk.data.source("web-forms"), accept_matched=True)
    assert desk.outcomes.sources(access_case) == ["web-forms", "chatbot"] or set(
        desk.outcomes.sources(access_case)
    ) == {
        "web-forms",
        "chatbot",
    }
    reason = desk.data.why_no_access_copy(access_case)
    assert reason.startswith("Chatbot: named as a source of the subject's data, but none of its data has been")
    with pytest.raises(RefusedError, match="Chatbot: named as a source"):
        desk.data.export_access(access_case, tmp_path / "a.pdf", render)
    desk.outcomes.set_sources(access_case, ["web-forms"], actor="dpo", now=NOW)
    assert desk.data.why_no_access_copy(access_case) == ""
