"""What encryption at rest costs: the passphrase's key derivation, SQLCipher on writes and reads, encrypting
a store from before encryption, changing the passphrase.

Run: .venv/bin/python -m bench.bench_encryption   Prints timings; asserts nothing. Never touches a keyring.
"""

import contextlib
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from dpo_desk.store.driver import sqlite

import keyring
from keyring.backends import fail
from sqlite_utils import Database

from dpo_desk.application.demo import populate
from dpo_desk.application.desk import Desk
from dpo_desk.core.models import CaseQuery, Channel, NewCase, Right, SubjectDetails
from dpo_desk.store.db import open_store
from dpo_desk.store.encryption import encrypt_store
from dpo_desk.store.keys import KdfCost, change_passphrase, key_from_passphrase, new_key, unwrap, wrap
from dpo_desk.store.migrations import migrations

PASSPHRASE = "violet tractor under a quiet harbour"
CASES = 1_000
NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)


def seconds(action: Callable[[], object], repeat: int = 3) -> float:
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def plain_store(path: Path) -> Database:
    """A store as written before encryption: the same schema on an unkeyed connection."""
    db = Database(sqlite.connect(path), execute_plugins=False)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = FULL")
    migrations.apply(db)
    return db


def main() -> None:
    keyring.set_keyring(fail.Keyring())  # figures without a keyring: the passphrase path
    cost = KdfCost()
    key = new_key()
    wrapped = wrap(key, PASSPHRASE, "bench", cost)
    print(f"unlock: scrypt n=2^17 r=8 p=1 + AES-GCM unwrap {seconds(lambda: unwrap(wrapped, PASSPHRASE)):.2f} s")

    with tempfile.TemporaryDirectory() as folder:
        encrypted_path, plain_path = Path(folder) / "encrypted.sqlite", Path(folder) / "plain.sqlite"
        for label, path, make in (
            ("encrypted", encrypted_path, lambda p: open_store(p, key)),
            ("plain", plain_path, plain_store),
        ):
            with contextlib.closing(make(path)) as db:
                desk = Desk(db, path, key, actor="bench", clock=lambda: NOW)
                started = time.perf_counter()
                populate(desk, cases=CASES, seed=1)
                bulk = time.perf_counter() - started
                repo = desk.cases
                started = time.perf_counter()
                for number in range(100):
                    repo.add(_case(number), actor="bench", now=NOW)
                single = (time.perf_counter() - started) / 100
                listing = seconds(lambda r=repo: r.summaries(r.find_ids(CaseQuery(), today=NOW.date())[:200]), 5)
                search = seconds(lambda r=repo: r.find_ids(CaseQuery(text="example"), today=NOW.date()), 5)
            print(
                f"{label:>9}: {CASES:,} demo cases in one transaction {bulk:.2f} s; one case per transaction "
                f"{single * 1000:.1f} ms; list + 200 rows {listing * 1000:.1f} ms; search {search * 1000:.1f} ms"
            )
        opening = seconds(lambda: open_store(encrypted_path, key).close())
        print(f"open: an encrypted {CASES:,}-case store opens in {opening * 1000:.1f} ms")

        started = time.perf_counter()
        legacy_key = encrypt_store(plain_path, PASSPHRASE)
        size = plain_path.stat().st_size / 1e6
        print(f"encrypt: a plain {size:.1f} MB store encrypted in place in {time.perf_counter() - started:.2f} s")
        print(
            "change passphrase (rewrap, one rename): "
            f"{seconds(lambda: change_passphrase(plain_path, legacy_key, PASSPHRASE + ' again')):.2f} s; "
            f"unlock from the key file {seconds(lambda: key_from_passphrase(plain_path, PASSPHRASE + ' again')):.2f} s"
        )


def _case(number: int) -> NewCase:
    return NewCase(
        "Altoros Norge AS",
        Channel.EMAIL,
        NOW,
        (Right.ACCESS,),
        SubjectDetails(name=f"Bench Person {number}", emails=(f"bench{number}@example.com",)),
        "Please send me a copy of my data.",
    )


if __name__ == "__main__":
    main()
