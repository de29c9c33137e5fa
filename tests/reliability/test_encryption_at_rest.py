"""Reliability suite T7: canaries put in through the app's own calls are found in no file on disk; neither
is the key or the passphrase. Stores from before encryption are encrypted, their plain copies kept until
the DPO confirms."""

import base64
import contextlib
import tempfile
from collections.abc import Iterator
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path

from dpo_desk.store.driver import SQLITE_HEADER, sqlite

import pytest
from sqlite_utils import Database

from dpo_desk.cli import main
from dpo_desk.core.identity import Evidence, IdentityCheck, Method, Outcome
from dpo_desk.core.models import Right
from dpo_desk.mail.draft import draft_from
from dpo_desk.mail.parse import read_mail
from dpo_desk.store import encryption
from dpo_desk.store.db import UnencryptedStoreError, check_store, open_store
from dpo_desk.store.encryption import encrypt_store, forget_unencrypted, kept_copy_path, unencrypted_leftovers
from dpo_desk.store.keys import key_file_path, key_from_passphrase
from dpo_desk.store.migrations import migrations
from tests.conftest import CHEAP_KDF, NOW, TEST_PASSPHRASE, daily_backup, desk_on, new_case

CANARY_NAME = "Qwyneth Canarydottir"
CANARY_EMAIL = "qwyneth.canary@example.org"
CANARY_TEXT = "CANARY-REQUEST-TEXT please send everything"
CANARY_NOTE = "CANARY-ID-NOTE seen on video"
CANARY_BYTES = b"CANARY-ATTACHMENT-BYTES\x00\x01 scanned passport"
CANARIES = [CANARY_NAME, CANARY_EMAIL, "CANARY-REQUEST-TEXT", "CANARY-ID-NOTE"]


def forms(text: str) -> list[bytes]:
    """How a string can sit in a file: UTF-8, UTF-16 (Qt, Windows) and JSON-escaped."""
    return [text.encode(), text.encode("utf-16-le"), text.encode("unicode_escape")]


def key_forms(key: bytes) -> list[bytes]:
    return [key, key.hex().encode(), key.hex().upper().encode(), base64.b64encode(key)]


def files_under(*folders: Path) -> Iterator[Path]:
    for folder in folders:
        yield from (path for path in folder.rglob("*") if path.is_file())


def hits(needles: list[bytes], *folders: Path) -> list[str]:
    return [
        f"{path.name}: {needle[:20]!r}"
        for path in files_under(*folders)
        for needle in needles
        if needle in path.read_bytes()
    ]


@pytest.fixture
def private_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Temp files anything writes during the test land here, where the scan reads them."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def canary_mail(folder: Path) -> Path:
    message = EmailMessage()
    message["From"] = f"{CANARY_NAME} <{CANARY_EMAIL}>"
    message["To"] = "dpo@altoros.com"
    message["Subject"] = "Access request"
    message["Date"] = "Thu, 05 Mar 2026 09:30:00 +0100"
    message.set_content(f"{CANARY_TEXT}. I ask for access to my personal data.")
    message.add_attachment(CANARY_BYTES, maintype="application", subtype="octet-stream", filename="id.bin")
    path = folder / "request.eml"
    path.write_bytes(message.as_bytes())
    return path


def test_canaries_key_and_passphrase_are_in_no_file(
    tmp_path: Path, store_path: Path, store_key: bytes, private_tmp: Path
) -> None:
    inbox = tmp_path / "inbox"  # the mail file itself is the DPO's input, not something the app wrote
    inbox.mkdir()
    mail = read_mail(canary_mail(inbox))
    with open_store(store_path, store_key) as db:
        desk = desk_on(db, store_path, store_key)
        repo, mails = desk.cases, desk.mail
        case_id, _ = mails.add_case(
            draft_from(mail, repo.register.entities()),
            entity_name="Altoros Norge AS",
            rights=(Right.ACCESS,),
            actor="dpo",
            now=NOW,
        )
        typed = repo.add(new_case(name=CANARY_NAME, emails=(CANARY_EMAIL,), text=CANARY_TEXT), actor="dpo", now=NOW)
        check = IdentityCheck(
            Evidence.PASSPORT, Method.VIDEO_CALL, "dpo", NOW - timedelta(days=1), Outcome.PASSED, note=CANARY_NOTE
        )
        desk.workflow.record_check(typed, check, actor="dpo", now=NOW)
        repo.add_note(case_id, CANARY_NOTE, author="dpo", now=NOW)
        assert db.execute("SELECT count(*) FROM attachments WHERE content = ?", (CANARY_BYTES,)).fetchone()[0] == 1
        daily_backup(desk, NOW.date())
        # While the store is open: the -wal and -shm are on disk too.
        assert store_path.with_name("store.sqlite-wal").exists()
        open_hits = hits([form for text in CANARIES for form in forms(text)] + [CANARY_BYTES], store_path.parent)
        assert [hit for hit in open_hits if not hit.startswith("request.eml")] == []

    scanned = [store_path.parent, private_tmp]
    needles = [form for text in CANARIES for form in forms(text)] + [CANARY_BYTES]
    secrets = key_forms(store_key) + forms(TEST_PASSPHRASE)
    assert [hit for hit in hits(needles + secrets, *scanned) if not hit.startswith("request.eml")] == []
    written = [path for path in files_under(store_path.parent) if inbox not in path.parents]
    assert {path.name for path in written} >= {"store.sqlite", "store.sqlite.key", "store-daily-2026-11-29.sqlite"}
    for path in written:
        assert path.stat().st_mode & 0o077 == 0, f"{path.name} is readable by other users"
        if path.suffix == ".sqlite":
            assert not path.read_bytes().startswith(SQLITE_HEADER), path.name
    assert check_store(store_path, store_key) == []  # cipher_integrity_check and quick_check both clean


def test_the_standard_librarys_sqlite_cannot_read_the_store(store_path: Path, db: Database) -> None:
    import sqlite3  # noqa: TID251 - the point: an ordinary SQLite client, as an attacker with the file has

    with contextlib.closing(sqlite3.connect(store_path)) as plain, pytest.raises(sqlite3.DatabaseError):
        plain.execute("SELECT count(*) FROM cases").fetchone()


@pytest.fixture
def legacy_store(store_path: Path) -> Path:
    """A store as DPO Desk wrote it before encryption at rest: same schema, plain SQLite, with a plain backup."""
    with contextlib.closing(sqlite.connect(store_path)) as connection:
        legacy = Database(connection, execute_plugins=False)
        migrations.apply(legacy)
        desk_on(legacy, store_path, b"").cases.add(new_case(name=CANARY_NAME, text=CANARY_TEXT), actor="dpo", now=NOW)
    backups = store_path.parent / "backups"
    backups.mkdir()
    (backups / "daily-2026-11-01.sqlite").write_bytes(store_path.read_bytes())
    return store_path


def test_files_older_versions_quarantined_beside_the_store_are_leftovers_too(legacy_store: Path) -> None:
    folder = legacy_store.parent / "quarantine"
    folder.mkdir()
    (folder / "20260101T000000Z-0123456789abcdef.mail").write_bytes(CANARY_BYTES)
    encrypt_store(legacy_store, TEST_PASSPHRASE, cost=CHEAP_KDF)
    assert folder / "20260101T000000Z-0123456789abcdef.mail" in unencrypted_leftovers(legacy_store)
    forget_unencrypted(legacy_store)
    assert list(folder.iterdir()) == []


def test_a_plain_store_is_refused_by_name_until_encrypted(legacy_store: Path) -> None:
    before = legacy_store.read_bytes()
    with pytest.raises(UnencryptedStoreError, match="not encrypted yet"):
        open_store(legacy_store, bytes(32))
    assert legacy_store.read_bytes() == before


def test_encrypting_keeps_every_case_and_a_plain_copy_until_confirmed(legacy_store: Path) -> None:
    key = encrypt_store(legacy_store, TEST_PASSPHRASE, cost=CHEAP_KDF)
    raw = legacy_store.read_bytes()
    assert not raw.startswith(SQLITE_HEADER) and CANARY_NAME.encode() not in raw
    assert key_from_passphrase(legacy_store, TEST_PASSPHRASE) == key
    with open_store(legacy_store, key, create=False) as db:
        assert [row[0] for row in db.execute("SELECT name FROM subjects")] == [CANARY_NAME]
    kept = kept_copy_path(legacy_store)
    assert CANARY_NAME.encode() in kept.read_bytes()  # the DPO's safety net, until confirmed
    plain_backup = legacy_store.parent / "backups" / "daily-2026-11-01.sqlite"
    assert unencrypted_leftovers(legacy_store) == [kept, plain_backup]

    assert forget_unencrypted(legacy_store) == [kept, plain_backup]
    assert unencrypted_leftovers(legacy_store) == []
    assert hits(forms(CANARY_NAME), legacy_store.parent) == []


def test_an_interrupted_encryption_leaves_the_plain_store_whole_and_runs_again(
    legacy_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = legacy_store.read_bytes()

    def crash(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(encryption, "export_encrypted", crash)
    with pytest.raises(OSError, match="disk full"):
        encrypt_store(legacy_store, TEST_PASSPHRASE, cost=CHEAP_KDF)
    assert legacy_store.read_bytes() == before
    monkeypatch.undo()
    key = encrypt_store(legacy_store, TEST_PASSPHRASE, cost=CHEAP_KDF)
    with open_store(legacy_store, key, create=False) as db:
        assert db.execute("SELECT count(*) FROM cases").fetchone()[0] == 1


def test_the_command_line_encrypts_then_forgets_the_plain_copies(
    legacy_store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--store", str(legacy_store), "case", "list"]) == 2
    assert "not encrypted yet" in capsys.readouterr().err
    assert main(["--store", str(legacy_store), "encrypt"]) == 0
    captured = capsys.readouterr()
    assert "encrypted" in captured.out and "--forget-unencrypted" in captured.err
    assert key_file_path(legacy_store).exists()
    assert main(["--store", str(legacy_store), "case", "list"]) == 0
    assert CANARY_NAME in capsys.readouterr().out
    assert main(["--store", str(legacy_store), "encrypt", "--forget-unencrypted"]) == 0
    assert "deleted 2 unencrypted copies" in capsys.readouterr().out
    assert unencrypted_leftovers(legacy_store) == []
    assert main(["--store", str(legacy_store), "encrypt"]) == 2
    assert "nothing to encrypt" in capsys.readouterr().err
