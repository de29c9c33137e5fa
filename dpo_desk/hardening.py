"""What the process does at start so that the store key in its memory goes nowhere else: no core dump,
and on Linux no ptrace attach or /proc/PID/mem read by other processes of the same user."""

from __future__ import annotations

import contextlib
import ctypes
import sys

PR_SET_DUMPABLE = 4  # <linux/prctl.h>


def keep_memory_private() -> None:
    """Best effort everywhere: a platform without these calls keeps its own defaults."""
    if sys.platform == "win32":
        return  # Windows writes no core files; crash dumps are the user's Windows Error Reporting setting
    import resource

    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
