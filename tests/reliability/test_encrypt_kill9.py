"""Reliability suite T1 for the migration to encryption: a kill -9 at any moment of encrypting a store from
before encryption leaves a whole store at its path, plain (and it is simply encrypted again) or encrypted
with a key file that opens it, every case in it, and no visible half-written file."""

import contextlib
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from dpo_desk.store.driver import is_unencrypted, sqlite

import pytest
from sqlite_utils import Database

from dpo_desk.application.demo import populate
from dpo_desk.store.db import open_read_only, open_store
from dpo_desk.store.encryption import encrypt_store
from dpo_desk.store.keys import key_from_passphrase
from dpo_desk.store.migrations import migrations
from dpo_desk.store.verify import verify
from tests.conftest import CHEAP_KDF, TEST_PASSPHRASE, desk_on

ROUNDS = 20
CASES = 150
CHILD = """
import sys
from pathlib import Path
from dpo_desk.store.encryption import encrypt_store
from dpo_desk.store.keys import KdfCost
print("READY", flush=True)
if sys.stdin.readline().strip() != "GO":  # the parent may kill it before it starts
    sys.exit(1)
encrypt_store(Path(sys.argv[1]), sys.argv[2], cost=KdfCost(n=2**10))
print("ACK", flush=True)
"""


@pytest.fixture(scope="module")
def legacy_bytes(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    path = tmp_path_factory.mktemp("legacy") / "store.sqlite"
    with contextlib.closing(sqlite.connect(path)) as connection:
        db = Database(connection, execute_plugins=False)
        db.execute("PRAGMA journal_mode = WAL")
        migrations.apply(db)
        populate(desk_on(db, path, b""), cases=CASES, seed=3)
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.execute("PRAGMA journal_mode = DELETE")
    return path.read_bytes()


def state_after_kill(store: Path, acknowledged: bool) -> str:
    plain = is_unencrypted(store)
    if plain:
        assert not acknowledged, "encryption was acknowledged, yet the store is plain"
        with contextlib.closing(open_read_only(store, None)) as connection:
            assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert connection.execute("SELECT count(*) FROM cases").fetchone()[0] == CASES
        encrypt_store(store, TEST_PASSPHRASE, cost=CHEAP_KDF)  # the next start simply encrypts it again
    key = key_from_passphrase(store, TEST_PASSPHRASE)
    with open_store(store, key, create=False) as db:
        assert db.execute("SELECT count(*) FROM cases").fetchone()[0] == CASES
        assert verify(db).ok
    return "plain" if plain else "encrypted"


def encrypt_in_child(store: Path, kill_after: float | None) -> bool:
    """Run the encryption in a child process, killed ``kill_after`` seconds into it (a negative time: before
    it starts); True when it said done."""
    with subprocess.Popen(
        [sys.executable, "-c", CHILD, str(store), TEST_PASSPHRASE],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={"PATH": "/usr/bin:/bin", "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"},
        cwd=Path(__file__).parents[2],
    ) as child:
        assert child.stdout is not None and child.stdin is not None
        assert child.stdout.readline().strip() == "READY"
        if kill_after is None or kill_after >= 0:
            child.stdin.write("GO\n")
            child.stdin.flush()
        if kill_after is not None:
            time.sleep(max(kill_after, 0))
            child.send_signal(signal.SIGKILL)
        return "ACK" in child.stdout.read()


@pytest.mark.slow
def test_encryption_killed_at_any_moment_leaves_a_whole_store(legacy_bytes: bytes, tmp_path: Path) -> None:
    calibration = tmp_path / "calibration" / "store.sqlite"
    calibration.parent.mkdir()
    calibration.write_bytes(legacy_bytes)
    started = time.perf_counter()
    assert encrypt_in_child(calibration, None)
    duration = time.perf_counter() - started  # how long one encryption takes on this machine, now
    rng = random.Random(11)
    # Killed before it starts, and never killed: both sides of the switch are seen whatever the machine's load;
    # the random moments in between are where a torn store would show.
    moments = [-1.0, None] + [rng.uniform(0, 1.5 * duration) for _ in range(ROUNDS - 2)]
    outcomes: Counter[str] = Counter()
    for number, moment in enumerate(moments):
        folder = tmp_path / f"round-{number}"
        folder.mkdir()
        store = folder / "store.sqlite"
        store.write_bytes(legacy_bytes)
        acknowledged = encrypt_in_child(store, moment)
        outcomes[state_after_kill(store, acknowledged)] += 1
        visible = {path.name for path in folder.iterdir() if not path.name.startswith(".")}
        assert visible <= {"store.sqlite", "store.sqlite.key", "store.sqlite.before-encryption"}, visible
    assert outcomes["plain"] and outcomes["encrypted"], outcomes
