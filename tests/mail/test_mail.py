"""E-mail intake: the corpus (four languages, several mail programs, the awkward parts of real mail),
suggested rights with their trigger words, the entity guess, and a case with its attachments."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlite_utils import Database

from dpo_desk.application.desk import Desk
from dpo_desk.core.errors import InputError, RefusedError
from dpo_desk.core.models import Right
from dpo_desk.mail import draft as draft_module
from dpo_desk.mail.draft import TextDraft, draft_from, draft_from_paste, guess_entity
from dpo_desk.mail.parse import MAX_BYTES, MailError, read_mail, read_pasted_mail
from dpo_desk.mail.rights import suggest_rights
from dpo_desk.store import audit

CORPUS = Path(__file__).parents[1] / "data" / "mail"
FILES = sorted(CORPUS.iterdir())
NOW = datetime(2026, 11, 29, 12, tzinfo=UTC)


def test_the_corpus_is_big_enough_and_varied() -> None:
    assert len(FILES) >= 30
    assert {f.name.split("-")[1] for f in FILES} == {"en", "nb", "fi", "pl"}
    assert any(f.suffix == ".msg" for f in FILES)


@pytest.mark.parametrize("path", FILES, ids=[f.name for f in FILES])
def test_every_corpus_mail_reads_and_asks_for_a_right(path: Path) -> None:
    mail = read_mail(path)
    assert "@" in mail.sender_address
    assert mail.subject and mail.body
    assert suggest_rights(f"{mail.subject}\n{mail.body}"), path.name


def test_encodings_and_headers_are_decoded() -> None:
    polish = read_mail(CORPUS / "16-pl-mozilla.eml")
    assert polish.subject == "Żądanie usunięcia danych"  # RFC 2047
    assert "usunięcie moich danych" in polish.body
    assert read_mail(CORPUS / "11-fi-mozilla.eml").sender_name == "Matti Meikäläinen"
    assert "Zażółć gęślą jaźń" in read_mail(CORPUS / "25-pl-windows-1250.eml").body
    assert read_mail(CORPUS / "03-en-gmail.eml").received == datetime(2026, 6, 4, 7, 3, tzinfo=UTC)


def test_forward_as_attachment_keeps_the_message_and_the_rfc2231_name() -> None:
    mail = read_mail(CORPUS / "23-pl-forward-as-attachment.eml")
    names = [a.name for a in mail.attachments]
    assert names == ["request.eml", "wniosek o usunięcie.pdf"]
    assert b"Subject:" in mail.attachments[0].content
    assert mail.attachments[1].content.startswith(b"%PDF") and len(mail.attachments[1].sha256) == 64


def test_html_only_mail_becomes_text_without_scripts() -> None:
    mail = read_mail(CORPUS / "22-nb-html-only.eml")
    assert "Jeg ber om innsyn i mine opplysninger." in mail.body
    assert "x()" not in mail.body and "<p>" not in mail.body


@pytest.mark.parametrize(
    ("name", "words"), [("20-en-missing-date.eml", "no Date: header"), ("21-en-absurd-date.eml", "is implausible")]
)
def test_a_missing_or_absurd_date_falls_back_to_the_file_time(name: str, words: str) -> None:
    mail = read_mail(CORPUS / name)
    assert abs((mail.received - datetime.fromtimestamp((CORPUS / name).stat().st_mtime, UTC)).total_seconds()) < 1
    assert any(words in w for w in mail.warnings)


def test_defects_and_unknown_charsets_are_reported() -> None:
    assert any("defects" in w for w in read_mail(CORPUS / "26-en-defective-multipart.eml").warnings)
    assert any("unknown charset" in w for w in read_mail(CORPUS / "27-nb-unknown-charset.eml").warnings)


def test_bidi_controls_never_reach_the_name() -> None:
    assert read_mail(CORPUS / "28-en-bidi-name.eml").sender_name == "Annfdp.exe Example"


def test_receiving_addresses_include_cc_and_delivered_to() -> None:
    mail = read_mail(CORPUS / "29-en-cc-and-delivered-to.eml")
    assert set(mail.receiving) == {"sales@altoros.com", "dpo@altoros.com"}


def test_outlook_msg() -> None:
    mail = read_mail(CORPUS / "31-pl-outlook.msg")
    assert (mail.sender_name, mail.sender_address) == ("Jan Kowalski", "jan.kowalski.31@example.com")
    assert mail.receiving == ("dpo@altoros.com",) and mail.subject == "Żądanie usunięcia danych"
    assert [a.name for a in mail.attachments] == ["dowód skan zaczerniony.pdf"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Please send me a copy of my data.", {Right.ACCESS: ("a copy",)}),
        ("Jeg ber om innsyn og sletting.", {Right.ACCESS: ("innsyn",), Right.ERASURE: ("sletting",)}),
        ("Kiellän suoramarkkinoinnin.", {Right.OBJECTION: ("kiellän", "suoramarkkinoinnin")}),
        ("Wycofuję zgodę na przetwarzanie.", {Right.CONSENT_WITHDRAWAL: ("wycofuję zgodę",)}),
        ("Thank you for the nice webinar.", {}),
    ],
)
def test_suggested_rights_name_their_trigger_words(text: str, expected: dict[Right, tuple[str, ...]]) -> None:
    assert {s.right: s.triggers for s in suggest_rights(text)} == expected


def test_the_entity_is_guessed_only_when_one_owns_the_address(desk: Desk, db: Database) -> None:
    entities = desk.mail.cases.register.entities()
    entity, note = guess_entity(["dpo@altoros.com"], entities)
    assert entity is None and "shared by 5 entities" in note
    db.execute("UPDATE entities SET email = 'personvern@altoros.no' WHERE key = 'altoros-norge'")
    entities = desk.mail.cases.register.entities()
    entity, _ = guess_entity(["Personvern@Altoros.no"], entities)
    assert entity is not None and entity.name == "Altoros Norge AS"


def test_a_mail_becomes_a_case_with_its_attachments_and_duplicates_are_flagged(desk: Desk, db: Database) -> None:
    mails = desk.mail
    draft = draft_from(read_mail(CORPUS / "31-pl-outlook.msg"), mails.cases.register.entities())
    case_id, duplicates = mails.add_case(draft, entity_name="Altoros Poland", rights=draft.rights, actor="d", now=NOW)
    assert duplicates == []
    case = mails.cases.get_by_id(case_id)
    assert case.subject.emails == ("jan.kowalski.31@example.com",) and case.rights == (Right.ERASURE,)
    assert "Żądanie usunięcia danych" in case.text
    assert [(a.name, a.size, a.source) for a in desk.attachments(case_id)] == [
        ("dowód skan zaczerniony.pdf", 28, "mail")
    ]
    first = draft_from(read_mail(CORPUS / "01-en-mozilla.eml"), mails.cases.register.entities())
    mails.add_case(first, entity_name="Altoros Norge AS", rights=first.rights, actor="d", now=NOW)
    again = draft_from(read_mail(CORPUS / "30-en-duplicate-of-01.eml"), mails.cases.register.entities())
    _, duplicates = mails.add_case(again, entity_name="Altoros Norge AS", rights=again.rights, actor="d", now=NOW)
    assert duplicates == ["DSR-2026-0002"]


def test_a_known_sender_is_offered_never_linked(desk: Desk, db: Database) -> None:
    mails = desk.mail
    first = draft_from(read_mail(CORPUS / "01-en-mozilla.eml"), mails.cases.register.entities())
    first_id, _ = mails.add_case(first, entity_name="Altoros Norge AS", rights=first.rights, actor="d", now=NOW)
    forged = draft_from(read_mail(CORPUS / "30-en-duplicate-of-01.eml"), mails.cases.register.entities())
    assert [e.summary.id for e in mails.same_sender(forged.mail)] == [first_id]
    second_id, _ = mails.add_case(forged, entity_name="Altoros Norge AS", rights=forged.rights, actor="d", now=NOW)
    subjects = {row[0] for row in db.execute("SELECT subject_id FROM cases")}
    assert len(subjects) == 2  # not linked on its own
    linked_id, _ = mails.add_case(
        forged, entity_name="Altoros Norge AS", rights=forged.rights, actor="d", now=NOW, same_subject_as=first_id
    )
    assert mails.cases.get_by_id(linked_id).subject == mails.cases.get_by_id(first_id).subject
    assert second_id != linked_id


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"\x00\x01binary junk" * 50, "no e-mail headers"),
        (b"Just some text: with a colon\n\nbody", "not an e-mail"),
        (b"\xd0\xcf\x11\xe0" + b"\x00" * 600, "not a readable"),
    ],
)
def test_what_is_not_mail_is_a_clear_error(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "strange.eml"
    path.write_bytes(content)
    with pytest.raises(MailError, match=message) as caught:
        read_mail(path)
    assert str(caught.value).startswith("strange.eml: ")


def test_the_size_limit_is_checked_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "huge.eml"
    with path.open("wb") as handle:
        handle.truncate(MAX_BYTES + 1)
    with pytest.raises(MailError, match="larger than the 50 MB limit"):
        read_mail(path)


def test_rejected_files_are_quarantined_inside_the_store_with_their_reason(
    tmp_path: Path, desk: Desk, db: Database
) -> None:
    source = tmp_path / "bad.eml"
    source.write_bytes(b"garbage")
    kept = desk.mail.quarantine(source, "bad.eml: no e-mail headers found", actor="dpo", now=NOW)
    [item] = desk.mail.quarantined()
    assert (item.id, item.file_name, item.size) == (kept, "bad.eml", 7)
    assert item.reason.startswith("bad.eml: no e-mail headers")
    assert [path.name for path in tmp_path.iterdir() if "quarantine" in path.name] == []  # nothing beside it
    assert audit.latest_entries(db, 1)[0].action == "quarantined"
    out = tmp_path / "inspect" / "copy.bin"
    out.parent.mkdir()
    desk.mail.save_quarantined(kept, out, actor="dpo", now=NOW)
    assert out.read_bytes() == b"garbage" and audit.latest_entries(db, 1)[0].action == "quarantine-saved"


def test_a_file_over_the_size_limit_is_quarantined_without_its_content(
    tmp_path: Path, desk: Desk, db: Database
) -> None:
    source = tmp_path / "huge.eml"
    with source.open("wb") as handle:
        handle.truncate(MAX_BYTES + 1)
    kept = desk.mail.quarantine(source, "huge.eml: larger than the 50 MB limit", actor="dpo", now=NOW)
    row = db.execute("SELECT size, length(content), sha256 FROM quarantine WHERE id = ?", (kept,)).fetchone()
    assert row[0] == MAX_BYTES + 1 and row[1] == 0 and len(row[2]) == 64


NESTED = b"""From: Kari Nordmann <kari@example.no>
To: privacy@altoros.no
Subject: Innsyn
Date: Tue, 01 Dec 2026 09:00:00 +0100
Message-ID: <nested@example.no>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="outer"

--outer
Content-Type: text/plain; charset=utf-8

Jeg ber om innsyn i mine personopplysninger.
--outer
Content-Type: multipart/mixed; boundary="inner"

--inner
Content-Type: text/plain; charset=utf-8
Content-Disposition: attachment; filename="note.txt"

inner note
--inner
Content-Type: aplication/pdf; name="id.pdf"
Content-Disposition: attachment; filename="id.pdf"
Content-Transfer-Encoding: base64

JVBERi0xLjQKJSVFT0YK
--inner--
--outer
Content-Type: multipart/digest; boundary="digest"

--digest

From: someone@example.no
Subject: earlier

the earlier message
--digest--
--outer--
"""


def test_nested_multipart_mail_and_a_misspelt_type_are_accepted(tmp_path: Path) -> None:
    """A multipart/mixed inside multipart/mixed, a digest, and 'aplication/pdf' were refused with
    KeyError, because get_content() was called on containers and on a type it has no reader for."""
    path = tmp_path / "nested.eml"
    path.write_bytes(NESTED.replace(b"\n", b"\r\n"))
    mail = read_mail(path)
    assert [(a.name, a.content_type) for a in mail.attachments] == [
        ("note.txt", "text/plain"),
        ("id.pdf", "aplication/pdf"),
        ("forwarded message.eml", "message/rfc822"),
    ]
    assert mail.attachments[1].content == b"%PDF-1.4\n%%EOF\n"  # the bytes sent, decoded from base64
    assert b"the earlier message" in mail.attachments[2].content
    assert "innsyn" in mail.body.lower()


def test_an_oversized_quarantined_file_is_not_saved_as_an_empty_one(desk: Desk, tmp_path: Path) -> None:
    """Only the name, size and hash of a file over the limit are kept; saving it wrote 0 bytes and said so."""
    big = tmp_path / "huge.eml"
    with big.open("wb") as handle:
        handle.truncate(MAX_BYTES + 1)
    quarantine_id = desk.mail.quarantine(big, "too large", actor="dpo", now=NOW)
    with pytest.raises(RefusedError, match="larger than 50 MB, so only its name, size and SHA-256 were kept"):
        desk.save_quarantined(quarantine_id, tmp_path / "out.eml")
    assert not (tmp_path / "out.eml").exists()


def test_hostile_headers_are_refused_before_they_are_decoded(tmp_path: Path) -> None:
    """A 700 KB Subject of 50,000 encoded words took 120 s to read; 20,000 To addresses 10.5 s."""
    from tests.reliability.hostile_mail import corpus

    refused = {
        "subject of 50,000 encoded words": "KB of headers, more than the 256 KB limit",
        "20,000 To addresses": "KB of headers, more than the 256 KB limit",
        "5,000 header fields": "5005 header fields, more than the limit of 1000",
        "a 40 KB folded header": "the X-Long header is longer than the 32 KB limit",
        "a part whose file name is 50,000 encoded words": "the Content-Disposition header of part 2 is longer",
        "a 6 MB text body": "the message text is 6.0 MB, more than the 5 MB limit for the text of a request",
        "a 6 MB text part beside an attachment": "the message text is 6.0 MB, more than the 5 MB limit",
    }
    for name, data in corpus().items():
        path = tmp_path / "hostile.eml"
        path.write_bytes(data)
        if name in refused:
            with pytest.raises(MailError, match=refused[name]):
                read_mail(path)
        else:
            mail = read_mail(path)
            assert mail.sender_address == "kari@example.no"
    path.write_bytes(corpus()["eight To fields of 30 KB"])
    receiving = read_mail(path).receiving
    assert receiving[0] == "person0@example.com" and 500 < len(receiving) < 1_000  # the first 16 KB of them


@pytest.mark.parametrize(
    "text",
    [
        "Re: your letter of 3 March\n\nPlease delete my data.",  # looks like a header, names no sender
        "Subject: my data\n\nPlease send me a copy.",
        "Dear Sir: please send me a copy of my data.",
    ],
)
def test_pasted_text_is_a_mail_only_with_a_sender_address(text: str) -> None:
    assert read_pasted_mail(text, NOW) is None
    draft = draft_from_paste(text, [], NOW)
    assert isinstance(draft, TextDraft) and draft.text == text


def test_a_pasted_text_over_the_request_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(draft_module, "MAX_TEXT_BYTES", 1024 * 1024)
    with pytest.raises(InputError, match=r"^the pasted text is 1\.0 MB, more than the 1 MB limit"):
        draft_from_paste("delete my data " * 70_000, [], NOW)
