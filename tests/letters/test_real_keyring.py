"""Letter passwords and the store key against a real Secret Service (gnome-keyring under dbus-run-session),
not a stand-in."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

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


# Off macOS, keyring's macOS backend searched for its frameworks (ctypes.util.find_library runs ldconfig and a C
# compiler) before its priority said "macOS required": 40-70 ms of every start's keyring lookup.
NO_PROGRAM_RUN = """
import subprocess
run = []
start = subprocess.Popen.__init__
def recording(self, args, *rest, **options):
    run.append(args)
    start(self, args, *rest, **options)
subprocess.Popen.__init__ = recording
import keyring
from dpo_desk import os_keyring
assert os_keyring.works()
backend = type(keyring.get_keyring()).__module__
assert backend == "keyring.backends.SecretService", backend
assert run == [], run
print("ok")
"""


def in_secret_service_session(tmp_path: Path, program: str) -> subprocess.CompletedProcess[str]:
    """``program`` run by this Python in a D-Bus session of its own with an unlocked gnome-keyring."""
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
    return subprocess.run(
        ["dbus-run-session", "--", "sh", "-c", shell],
        env=env | {"PROGRAM": program, "STORE": str(tmp_path / "store.sqlite")},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_passwords_and_the_store_key_round_trip_through_the_secret_service(tmp_path: Path) -> None:
    result = in_secret_service_session(tmp_path, PROGRAM)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("ok")


@pytest.mark.skipif(sys.platform == "darwin", reason="the Keychain backend is the one that works there")
def test_finding_the_keyring_runs_no_program(tmp_path: Path) -> None:
    """The backend keyring picks is the same (its own detection, with the macOS backend's import failing as it
    does without the frameworks), found without running ldconfig or a compiler."""
    result = in_secret_service_session(tmp_path, NO_PROGRAM_RUN)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("ok")
