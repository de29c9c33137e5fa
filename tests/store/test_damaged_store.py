"""Reliability suite T5: damaged store files are caught at open, named, never changed, and a backup restores."""

import random
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from dpo_desk.cli import main
from dpo_desk.store.backup import backup, recover_from_backup
from dpo_desk.store.db import DamagedStoreError, StoreError, check_store, open_store
from dpo_desk.store.keys import create_key
from dpo_desk.store.verify import verify
from tests.conftest import CHEAP_KDF, NOW, TEST_KEY, TEST_PASSPHRASE, daily_backup, desk_on, new_case

PAGE = 4096
Damage = Callable[[bytes, random.Random], bytes]


def truncated(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(1, len(data) - 1)]


def flipped_in_page_one(data: bytes, rng: random.Random) -> bytes:
    changed = bytearray(data)
    changed[rng.randrange(0, 100)] ^= 1 << rng.randrange(8)  # the 100-byte database header
    return bytes(changed)


def flipped_anywhere(data: bytes, rng: random.Random) -> bytes:
    changed = bytearray(data)
    changed[rng.randrange(PAGE, len(data))] ^= 0xFF
    return bytes(changed)


def zeroed_page(data: bytes, rng: random.Random) -> bytes:
    page = rng.randrange(1, len(data) // PAGE)
    return data[: page * PAGE] + bytes(PAGE) + data[(page + 1) * PAGE :]


DAMAGES: dict[str, tuple[Damage, int]] = {
    "truncated": (truncated, 60),
    "header flipped": (flipped_in_page_one, 60),
    "byte flipped": (flipped_anywhere, 60),
    "page zeroed": (zeroed_page, 30),
}


@pytest.fixture(scope="module")
def healthy(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    path = tmp_path_factory.mktemp("healthy") / "store.sqlite"
    with open_store(path, TEST_KEY) as db:
        repo = desk_on(db, path, TEST_KEY).cases
        for number in range(40):
            repo.add(new_case(name=f"Subject {number}", text="request " * 50), actor="dpo", now=NOW)
    return path.read_bytes()


def attempt(path: Path, key: bytes = TEST_KEY) -> str:
    """Where the damage is caught: at open, by the background check the app runs next, by verify, or not."""
    try:
        db = open_store(path, key, create=False)
    except StoreError as error:
        assert str(path) in str(error)
        return "refused at open"
    db.close()
    if check_store(path, key):
        return "found by the background check"
    with open_store(path, key, create=False) as db:
        return "opened, verify ok" if verify(db).ok else "found by verify"


def test_damaged_variants_are_caught_and_never_changed(healthy: bytes, tmp_path: Path) -> None:
    rng = random.Random(2026)
    outcomes: dict[str, Counter[str]] = {}
    for name, (damage, count) in DAMAGES.items():
        outcomes[name] = Counter()
        for number in range(count):
            path = tmp_path / f"{name.replace(' ', '-')}-{number}.sqlite"
            variant = damage(healthy, rng)
            path.write_bytes(variant)
            outcomes[name][attempt(path)] += 1
            assert path.read_bytes() == variant, f"{path.name} was changed by the attempt to open it"
    # SQLCipher keeps an HMAC per page, so every changed byte is caught: at open when it is in a page the
    # open reads (page one holds the salt: any flip there makes the key fail), else by the background
    # check's cipher_integrity_check, which the app runs at every start. Measured with this seed: byte flips
    # 3 at open and 57 by the check; zeroed pages 3 and 27.
    assert outcomes["truncated"]["refused at open"] == 60
    assert outcomes["header flipped"]["refused at open"] == 60
    for name, counter in outcomes.items():
        assert counter["opened, verify ok"] == 0, f"{name}: {dict(counter)}"


def test_a_wrong_key_is_refused_at_open_untouched(healthy: bytes, tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite"
    path.write_bytes(healthy)
    assert attempt(path, bytes(32)) == "refused at open"
    assert path.read_bytes() == healthy


@pytest.mark.parametrize(
    ("content", "error", "message"),
    [
        (b"", DamagedStoreError, r"empty \(0 bytes\)"),
        (b"%PDF-1.7 not a store\n" * 300, DamagedStoreError, "cannot be opened as a store"),
    ],
)
def test_empty_and_foreign_files_are_refused_untouched(
    tmp_path: Path, content: bytes, error: type[Exception], message: str
) -> None:
    path = tmp_path / "store.sqlite"
    path.write_bytes(content)
    with pytest.raises(error, match=message):
        open_store(path, TEST_KEY)
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store.sqlite"]


def test_recovery_restores_the_backup_and_keeps_the_damaged_file(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite"
    with open_store(path, TEST_KEY) as db:
        desk_on(db, path, TEST_KEY).cases.add(new_case(name="Backed Up"), actor="dpo", now=NOW)
        copy = backup(db, path, TEST_KEY, tmp_path / "backups" / "daily-2026-11-29.sqlite", actor="dpo", now=NOW)
    damaged = path.read_bytes()[:5000]
    path.write_bytes(damaged)
    with pytest.raises(DamagedStoreError):
        open_store(path, TEST_KEY)

    kept = recover_from_backup(path, TEST_KEY, copy, now=NOW)
    assert kept.name == "store.sqlite.damaged-20261129T120000Z"
    assert kept.read_bytes() == damaged
    with open_store(path, TEST_KEY, create=False) as db:
        assert [row[0] for row in db.execute("SELECT name FROM subjects")] == ["Backed Up"]


def test_the_command_line_names_the_damage_and_the_latest_backup(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "store.sqlite"
    key = create_key(path, TEST_PASSPHRASE, cost=CHEAP_KDF)
    with open_store(path, key) as db:
        desk = desk_on(db, path, key)
        desk.cases.add(new_case(), actor="dpo", now=NOW)
        daily_backup(desk, NOW.date())
    path.write_bytes(path.read_bytes()[:6000])
    assert main(["--store", str(path), "case", "list"]) == 2
    err = capsys.readouterr().err
    assert "is damaged" in err or "cannot be opened as a store" in err
    assert "latest backup is" in err and "daily-2026-11-29.sqlite" in err


def test_a_wal_from_another_store_is_caught_at_open(tmp_path: Path) -> None:
    """SQLite applies any -wal lying beside a database; one written under another key fails its pages' HMAC."""
    ours, theirs = tmp_path / "store.sqlite", tmp_path / "other.sqlite"
    open_store(ours, TEST_KEY).close()
    before = ours.read_bytes()
    with open_store(theirs, bytes(reversed(TEST_KEY))) as other:
        other.execute("PRAGMA wal_autocheckpoint = 0")  # keep the change in the -wal
        desk_on(other, theirs, TEST_KEY).cases.add(new_case(name="Someone Else"), actor="dpo", now=NOW)
        (tmp_path / "store.sqlite-wal").write_bytes((tmp_path / "other.sqlite-wal").read_bytes())
    with pytest.raises(DamagedStoreError, match="cannot be opened as a store"):
        open_store(ours, TEST_KEY, create=False)
    assert ours.read_bytes() == before
