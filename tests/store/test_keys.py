"""The store key and its two wraps: the OS keyring and the recovery passphrase (key file beside the store)."""

import json
from pathlib import Path

import pytest

from dpo_desk.core.errors import InputError
from dpo_desk.core.passphrase import check_passphrase, unlock_delay
from dpo_desk.os_keyring import works as keyring_works
from dpo_desk.store.db import open_store
from dpo_desk.store.keys import (
    KdfCost,
    KeyFileError,
    WrongPassphraseError,
    change_passphrase,
    create_key,
    derive_wrapping_key,
    key_file_path,
    key_from_keyring,
    key_from_passphrase,
    passphrase_bytes,
    read_key_file,
)
from tests.conftest import CHEAP_KDF, TEST_PASSPHRASE, MemoryKeyring

NEW_PASSPHRASE = "seven herons over the wet allotment"


def test_a_new_key_is_random_and_both_wraps_open_it(store_path: Path, memory_keyring: MemoryKeyring) -> None:
    key = create_key(store_path, TEST_PASSPHRASE, cost=CHEAP_KDF)
    other = create_key(store_path.with_name("other.sqlite"), TEST_PASSPHRASE, cost=CHEAP_KDF)
    assert len(key) == 32 and key != other
    assert key_from_keyring(store_path) == key
    assert key_from_passphrase(store_path, TEST_PASSPHRASE) == key
    text = key_file_path(store_path).read_text()
    assert key.hex() not in text and TEST_PASSPHRASE not in text
    assert json.loads(text)["kdf"] == {"name": "scrypt", "n": 2**10, "r": 8, "p": 1}


def test_the_default_cost_is_owasps_scrypt_minimum() -> None:
    assert KdfCost() == KdfCost(n=2**17, r=8, p=1)


def test_a_wrong_passphrase_is_named_and_opens_nothing(store_path: Path) -> None:
    create_key(store_path, TEST_PASSPHRASE, cost=CHEAP_KDF)
    with pytest.raises(WrongPassphraseError, match="wrong passphrase"):
        key_from_passphrase(store_path, TEST_PASSPHRASE + " ")


def test_keyring_loss_is_recovered_by_the_passphrase(store_path: Path, memory_keyring: MemoryKeyring) -> None:
    key = create_key(store_path, TEST_PASSPHRASE, cost=CHEAP_KDF)
    memory_keyring.secrets.clear()  # a keyring reset, a new profile, an admin password reset
    assert key_from_keyring(store_path) is None
    assert key_from_passphrase(store_path, TEST_PASSPHRASE) == key
    assert key_from_keyring(store_path) == key  # put back, so the next start unlocks by itself


def test_a_stale_keyring_entry_is_not_trusted(store_path: Path, memory_keyring: MemoryKeyring) -> None:
    create_key(store_path, TEST_PASSPHRASE, cost=CHEAP_KDF)
    for account in list(memory_keyring.secrets):
        memory_keyring.secrets[account] = "00" * 32
    assert key_from_keyring(store_path) is None


def test_changing_the_passphrase_keeps_the_key_and_drops_the_old_passphrase(store_path: Path) -> None:
    key = create_key(store_path, TEST_PASSPHRASE, cost=CHEAP_KDF)
    with open_store(store_path, key) as db:
        db.execute("INSERT INTO settings (key, value) VALUES ('marker', 'kept')")
    change_passphrase(store_path, key, NEW_PASSPHRASE)
    assert key_from_passphrase(store_path, NEW_PASSPHRASE) == key
    with pytest.raises(WrongPassphraseError):
        key_from_passphrase(store_path, TEST_PASSPHRASE)
    with pytest.raises(InputError, match="at least 15"):
        change_passphrase(store_path, key, "short")
    with pytest.raises(WrongPassphraseError):
        change_passphrase(store_path, bytes(32), "another fine passphrase here")
    assert key_from_passphrase(store_path, NEW_PASSPHRASE) == key
    assert not list(store_path.parent.glob(".*.part"))


def test_an_encrypted_stores_key_file_is_never_replaced(store_path: Path) -> None:
    key = create_key(store_path, TEST_PASSPHRASE, cost=CHEAP_KDF)
    open_store(store_path, key).close()
    before = key_file_path(store_path).read_bytes()
    with pytest.raises(KeyFileError, match="never replaced"):
        create_key(store_path, NEW_PASSPHRASE, cost=CHEAP_KDF)
    assert key_file_path(store_path).read_bytes() == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "is missing.*backups"),
        ("not json", "damaged"),
        ("[]", "damaged"),
        ('{"format": "something-else"}', "not a DPO Desk key file"),
        ('{"format": "dpo-desk-store-key", "version": 99}', "version 99"),
    ],
)
def test_a_missing_or_damaged_key_file_is_named(store_path: Path, content: str | None, message: str) -> None:
    if content is not None:
        key_file_path(store_path).write_text(content)
    with pytest.raises(KeyFileError, match=message):
        read_key_file(store_path)


def test_a_hostile_key_derivation_cost_is_refused_before_any_work(store_path: Path) -> None:
    create_key(store_path, TEST_PASSPHRASE, cost=CHEAP_KDF)
    data = json.loads(key_file_path(store_path).read_text())
    data["kdf"]["n"] = 2**40  # would ask scrypt for 140 TB
    key_file_path(store_path).write_text(json.dumps(data))
    with pytest.raises(KeyFileError, match="out of range"):
        key_from_passphrase(store_path, TEST_PASSPHRASE)


def test_the_passphrase_buffer_is_zeroed_after_derivation() -> None:
    buffer = passphrase_bytes(TEST_PASSPHRASE)
    derived = derive_wrapping_key(buffer, b"0123456789abcdef", CHEAP_KDF)
    assert len(derived) == 32
    assert buffer == bytearray(len(TEST_PASSPHRASE.encode()))


@pytest.mark.parametrize(
    ("passphrase", "reason"),
    [
        ("fourteen chars", "at least 15"),
        ("passwordpassword", "common"),
        ("Correct Horse Battery Staple", "common"),
        ("1qaz2wsx3edc4rfv", "common"),
        ("aaaaaaaaaaaaaaaaaaa", "repeats"),
        ("abcabcabcabcabcabc", "repeats"),
        ("abcdefghijklmnopq", "run of keys"),
        ("0987654321098765", "run of keys"),
        ("Altoros DPO Desk 2026", "company's name"),
    ],
)
def test_the_policy_names_why_a_passphrase_is_refused(passphrase: str, reason: str) -> None:
    with pytest.raises(InputError, match=reason):
        check_passphrase(passphrase)


@pytest.mark.parametrize(
    "passphrase",
    [TEST_PASSPHRASE, "no digits no symbols at all", "ÆØÅ blåbærsyltetøy på taket", "my cat eats tomatoes"],
)
def test_no_composition_rules_only_length_and_the_blocklist(passphrase: str) -> None:
    check_passphrase(passphrase)


def test_each_failure_doubles_the_wait_up_to_a_minute() -> None:
    assert [unlock_delay(n) for n in range(9)] == [0, 1, 2, 4, 8, 16, 32, 60, 60]


def test_a_keyring_that_writes_files_is_not_trusted_with_the_key(
    store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    class FileKeyring(MemoryKeyring):
        pass

    FileKeyring.__module__ = "keyrings.alt.file"  # how keyrings.alt's PlaintextKeyring presents itself
    backend = FileKeyring()
    monkeypatch.setattr("keyring.get_keyring", lambda: backend)
    monkeypatch.setattr("keyring.set_password", backend.set_password)
    create_key(store_path, TEST_PASSPHRASE, cost=CHEAP_KDF)
    assert not keyring_works() and backend.secrets == {}
