"""Letter passwords and the store key against a real Secret Service (gnome-keyring under dbus-run-session),
not a stand-in."""

import os
import subprocess
import sys
from pathlib import Path

PROGRAM = """
import keyring
from dpo_desk.letters import passwords
backend = type(keyring.get_keyring()).__module__
assert backend == "keyring.backends.SecretService", backend
assert passwords.remember("store-1", 7, "abcd-efgh-jkmn")
assert passwords.recall("store-1", 7) == "abcd-efgh-jkmn"
assert passwords.recall("store-1", 8) is None

import os
from pathlib import Path
from dpo_desk.store.keys import KdfCost, create_key, key_from_keyring, key_from_passphrase, read_key_file
store = Path(os.environ["STORE"])
key = create_key(store, "violet tractor under a quiet harbour", cost=KdfCost(n=2**10))
assert key_from_keyring(store) == key
keyring.delete_password("dpo-desk", read_key_file(store).store_id + "/store-key")  # the keyring lost it
assert key_from_keyring(store) is None
assert key_from_passphrase(store, "violet tractor under a quiet harbour") == key
assert key_from_keyring(store) == key  # written back to the Secret Service
print("ok")
"""


def test_passwords_and_the_store_key_round_trip_through_the_secret_service(tmp_path: Path) -> None:
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "XDG_RUNTIME_DIR": str(runtime),
        "PYTHONPATH": str(Path(__file__).parents[2]),
    }
    shell = (
        "echo -n unlock | gnome-keyring-daemon --unlock --components=secrets >/dev/null && "
        f'"{sys.executable}" -c "$PROGRAM"'
    )
    result = subprocess.run(
        ["dbus-run-session", "--", "sh", "-c", shell],
        env=env | {"PROGRAM": PROGRAM, "STORE": str(tmp_path / "store.sqlite")},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("ok")
