"""Two app instances opened one store at once; now the second says where the first one runs."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from dpo_desk import instance_lock
from dpo_desk.core.errors import RefusedError

HOLDER = "import sys, time; from pathlib import Path; from dpo_desk import instance_lock as l; " \
         "held = l.hold(Path(sys.argv[1])); print('HELD', flush=True); time.sleep(60)"  # fmt: skip


def test_a_second_instance_is_refused_and_told_where_the_first_runs(tmp_path: Path) -> None:
    store = tmp_path / "store.sqlite"
    held = instance_lock.hold(store)
    with pytest.raises(RefusedError, match=rf"open in DPO Desk already \(process {os.getpid()} on .+, since .+ UTC\)"):
        instance_lock.hold(store)
    held.release()
    instance_lock.hold(store).release()  # free again once released
    assert instance_lock.lock_path(store).stat().st_mode & 0o077 == 0


def test_the_lock_goes_with_a_killed_process(tmp_path: Path) -> None:
    store = tmp_path / "store.sqlite"
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(store)], stdout=subprocess.PIPE, text=True,
                              cwd=Path(__file__).parents[2])  # fmt: skip
    assert holder.stdout is not None and holder.stdout.readline() == "HELD\n"
    with pytest.raises(RefusedError, match=f"process {holder.pid} on"):
        instance_lock.hold(store)
    holder.send_signal(signal.SIGKILL)
    holder.communicate()
    instance_lock.hold(store).release()  # no stale lock after kill -9
