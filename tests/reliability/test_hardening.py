"""Core dumps held the store key: the app and every command turn them off before reading a key."""

import json
import subprocess
import sys
from pathlib import Path

CHILD = """
import ctypes, json, resource
from dpo_desk.cli import main
def state():  # PR_GET_DUMPABLE is 3
    return {"core": list(resource.getrlimit(resource.RLIMIT_CORE)), "dumpable": ctypes.CDLL(None).prctl(3, 0, 0, 0, 0)}
before = state()
main(["due", "--received", "2026-01-05"])
print(json.dumps({"before": before, "after": state()}))
"""


def test_a_command_can_neither_dump_core_nor_be_read_by_a_debugger() -> None:
    run = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).parents[2])  # fmt: skip
    shown = json.loads(run.stdout.splitlines()[-1])
    assert shown["before"]["dumpable"] == 1  # as every process starts
    assert shown["after"] == {"core": [0, 0], "dumpable": 0}
