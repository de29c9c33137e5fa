"""Reliability suite T7, passphrase change under kill -9: after every kill the store opens with the old
passphrase or the new one, never neither, and no half-written key file is visible.

The child changes the passphrase back and forth as fast as it can and prints ``ACK n`` after each change
returns; the parent kills it with SIGKILL at a random moment.
"""

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dpo_desk.store.db import open_store
from dpo_desk.store.keys import WrongPassphraseError, create_key, key_from_passphrase
from tests.conftest import CHEAP_KDF

ROUNDS = 50
PASSPHRASES = ("first passphrase of the drill", "second passphrase of the drill")
CHILD = """
import sys
from pathlib import Path
from dpo_desk.store.keys import change_passphrase, read_key_file, unwrap
store, passphrases = Path(sys.argv[1]), sys.argv[2:]
key = unwrap(read_key_file(store), passphrases[0])
print("READY", flush=True)
n = 0
while True:
    n += 1
    change_passphrase(store, key, passphrases[n % 2])
    print("ACK", n, flush=True)
"""


def opens_with(store: Path) -> list[int]:
    """Which of the two passphrases open the store now."""
    found = []
    for number, passphrase in enumerate(PASSPHRASES):
        try:
            key = key_from_passphrase(store, passphrase)
        except WrongPassphraseError:
            continue
        with open_store(store, key, create=False) as db:
            assert db.execute("SELECT count(*) FROM entities").fetchone()[0] == 5
        found.append(number)
    return found


@pytest.mark.slow
def test_a_passphrase_change_killed_at_any_moment_leaves_old_or_new(tmp_path: Path) -> None:
    store = tmp_path / "store.sqlite"
    open_store(store, create_key(store, PASSPHRASES[0], cost=CHEAP_KDF)).close()
    rng = random.Random(8)
    env = os.environ | {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}  # never the real keyring
    acknowledged = 0
    current = 0
    for _ in range(ROUNDS):
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(store), PASSPHRASES[current], PASSPHRASES[1 - current]],
            stdout=subprocess.PIPE,
            text=True,
            env=env,
            cwd=Path(__file__).parents[2],
        )
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "READY"
        first = child.stdout.readline()  # the kill lands after the first change, however slow the machine
        time.sleep(rng.uniform(0, 0.1))
        child.send_signal(signal.SIGKILL)
        lines = (first + child.stdout.read()).split("\n")[:-1]  # a line the kill cut short is no promise
        child.stdout.close()
        child.wait()
        acks = [int(line.split()[1]) for line in lines if line.startswith("ACK ")]
        acknowledged += len(acks)
        working = opens_with(store)
        assert len(working) == 1, f"after {len(acks)} changes the store opens with {working}"
        current = working[0]
        visible = sorted(path.name for path in tmp_path.iterdir() if not path.name.startswith("."))
        assert visible == ["store.sqlite", "store.sqlite.key"]
    assert acknowledged >= ROUNDS  # each kill waited for a change, whatever the load
