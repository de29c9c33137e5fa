"""Shared fixtures: a real SQLCipher store in a temp folder (copied from one made per session), a desk on it
with a fixed clock, offscreen Qt."""

import dataclasses
import os
import secrets
import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from sqlite_utils import Database

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from dpo_desk.application.desk import Desk
from dpo_desk.application.fields import Field
from dpo_desk.core.models import Channel, NewCase, Right, SubjectDetails
from dpo_desk.store import keys
from dpo_desk.store.cases import CaseRepository
from dpo_desk.store.db import open_store
from dpo_desk.store.keys import KdfCost, key_file_path, keyring_save, read_key_file, wrap, write_key_file

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


class Template:
    """A store made (migrated and seeded) once per test session; each test gets a copy of its files, which
    is about ten times quicker than making a store."""

    def __init__(self, folder: Path) -> None:
        self.store = folder / "store.sqlite"
        self.key = secrets.token_bytes(32)
        write_key_file(self.store, wrap(self.key, TEST_PASSPHRASE, secrets.token_hex(16), CHEAP_KDF))
        open_store(self.store, self.key).close()  # closing the last connection folds the WAL into the file
        self.plain = folder / "plain-key" / "store.sqlite"  # keyed with TEST_KEY, without a key file
        open_store(self.plain, TEST_KEY).close()

    def copy_key_file(self, store: Path) -> bytes:
        """The key file beside ``store``, and the key in the (test) keyring, as a new store would have them."""
        store.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(key_file_path(self.store), key_file_path(store))
        keyring_save(read_key_file(store).store_id, self.key)
        return self.key

    def copy_store(self, store: Path) -> None:
        shutil.copy(self.store, store)


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> Template:
    return Template(tmp_path_factory.mktemp("template"))


def fresh_store(template: Template, path: Path) -> Path:
    """A new, empty store at ``path`` keyed with TEST_KEY (no key file), as ``open_store(path, TEST_KEY)``
    would make it, without the cost of migrating and seeding it again."""
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(template.plain, path)
    return path


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "store.sqlite"


@pytest.fixture
def store_key(store_path: Path, template: Template, memory_keyring: MemoryKeyring) -> bytes:
    """A real store key: key file beside the store, wrapped by TEST_PASSPHRASE, and in the (test) keyring."""
    return template.copy_key_file(store_path)


@pytest.fixture
def db(store_path: Path, store_key: bytes, template: Template) -> Iterator[Database]:
    template.copy_store(store_path)
    database = open_store(store_path, store_key)
    yield database
    database.close()


@pytest.fixture
def desk(db: Database, store_path: Path, store_key: bytes) -> Desk:
    """The session the app and the command line open, on the test's store, with the clock at NOW."""
    return Desk(db, store_path, store_key, actor="dpo", clock=lambda: NOW)


@pytest.fixture
def repo(desk: Desk) -> CaseRepository:
    return desk.cases


def desk_on(db: Database, path: Path, key: bytes) -> Desk:
    """A desk on another open store of a test (a restored copy, a store of its own)."""
    return Desk(db, path, key, actor="dpo", clock=lambda: NOW)


def daily_backup(desk: Desk, day: date) -> Path | None:
    """What the app does once a day: copy the store (in a task there), then audit and rotate."""
    target = desk.backups.daily_target(day)
    if target is None:
        return None
    return desk.finish_daily_backup(desk.backups.copy_to(target))


def new_case(
    *,
    name: str = "Ola Nordmann",
    emails: tuple[str, ...] = ("ola@example.com",),
    entity: str = "Altoros Norge AS",
    received: datetime = datetime(2026, 3, 5, 9, 30, tzinfo=UTC),
    rights: tuple[Right, ...] = (Right.ACCESS,),
    text: str = "Please send me a copy of my data.",
    channel: Channel = Channel.EMAIL,
    phones: tuple[str, ...] = (),
    address: str = "Testveien 1\n0150 Oslo",
    birth_date: date | None = None,
    letter_lang: str = "en",  # the tests of what letters say read English; tests of languages choose theirs
) -> NewCase:
    return NewCase(
        entity_name=entity,
        channel=channel,
        received=received,
        rights=rights,
        subject=SubjectDetails(name=name, emails=emails, phones=phones, address=address, birth_date=birth_date),
        text=text,
        letter_lang=letter_lang,
    )


def assert_keyed_apart(fields: Sequence[Field]) -> None:
    """Each field of a form has its Alt key, and no two share one ('&Outcome' and 'N&ote' did)."""
    keys = [field.label[field.label.index("&") + 1].lower() for field in fields if "&" in field.label]
    assert len(keys) == len(fields) and len(set(keys)) == len(keys), [field.label for field in fields]


CHATBOT_RECIPIENTS = ("drift", "hubspot", "google-cloud", "amazon", "altoros-group")


def fill_sheets(
    desk: Desk, services: tuple[str, ...] = CHATBOT_RECIPIENTS, country: str = "US", how: str = "dpf"
) -> None:
    """Give processor sheets the contacts, country and transfer mechanism the seeded register leaves empty."""
    for key in services:
        sheet = desk.processors.sheet(key)
        desk.save_processor(
            dataclasses.replace(
                sheet,
                country=country,
                transfer_mechanism=how,
                privacy_email=f"privacy@{key}.example",
                postal_address=f"{sheet.service}\n1 Example Street\nSan Francisco, CA 94105\nUSA",
                legal_entity=sheet.legal_entity or f"{sheet.service} Inc.",
            )
        )


@contextmanager
def opened_copy(template: Path, folder: Path) -> Iterator[tuple[Database, Path]]:
    """A copy of a store made once for a module (a demo of some hundred cases), opened: each test changes its
    own."""
    path = folder / template.name
    shutil.copy(template, path)
    with open_store(path, TEST_KEY) as db:
        yield db, path
