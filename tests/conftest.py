"""Shared fixtures: a real SQLite store in a temp folder, a fixed clock, offscreen Qt."""

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from sqlite_utils import Database

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from dpo_desk.core.models import Channel, NewCase, Right, SubjectDetails
from dpo_desk.store import keys
from dpo_desk.store.cases import CaseRepository
from dpo_desk.store.db import open_store
from dpo_desk.store.keys import KdfCost, create_key

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
# Stores that tests open directly, without a key file; the ``store_key`` fixture makes a real one.
TEST_KEY = bytes(range(32))
TEST_PASSPHRASE = "violet tractor under a quiet harbour"
# scrypt at the app's cost takes ~0.7 s; a key file records its own cost, so tests may choose a cheap one.
CHEAP_KDF = KdfCost(n=2**10)


class MemoryKeyring(KeyringBackend):
    """The OS keyring stand-in for tests: nothing a test writes may reach the DPO's real keyring."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.secrets.pop((service, username), None)


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test may touch the user's real store or settings."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("DPO_DESK_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))


@pytest.fixture(autouse=True)
def _passphrase_for_new_stores(monkeypatch: pytest.MonkeyPatch) -> None:
    """What a script sets for the command line; and new key files at a cheap cost (each records its own)."""
    monkeypatch.setenv("DPO_DESK_PASSPHRASE", TEST_PASSPHRASE)
    monkeypatch.setattr(keys, "DEFAULT_COST", CHEAP_KDF)


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "store.sqlite"


@pytest.fixture
def store_key(store_path: Path, memory_keyring: MemoryKeyring) -> bytes:
    """A real store key: key file beside the store, wrapped by TEST_PASSPHRASE, and in the (test) keyring."""
    return create_key(store_path, TEST_PASSPHRASE, cost=CHEAP_KDF)


@pytest.fixture
def db(store_path: Path, store_key: bytes) -> Iterator[Database]:
    database = open_store(store_path, store_key)
    yield database
    database.close()


@pytest.fixture
def repo(db: Database) -> CaseRepository:
    return CaseRepository(db)


def new_case(
    *,
    name: str = "Ola Nordmann",
    emails: tuple[str, ...] = ("ola@example.com",),
    entity: str = "Altoros Norge AS",
    received: datetime = datetime(2026, 3, 5, 9, 30, tzinfo=UTC),
    rights: tuple[Right, ...] = (Right.ACCESS,),
    text: str = "Please send me a copy of my data.",
    channel: Channel = Channel.EMAIL,
) -> NewCase:
    return NewCase(
        entity_name=entity,
        channel=channel,
        received=received,
        rights=rights,
        subject=SubjectDetails(name=name, emails=emails, address="Testveien 1\n0150 Oslo"),
        text=text,
    )
