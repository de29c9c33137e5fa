"""The bundle's entry point: the dpo-desk command, as `python -m dpo_desk` runs it from a checkout."""

import locale
import os
import sys

# python itself moves a C or POSIX locale to UTF-8 before any code runs (PEP 538); PyInstaller's bootloader does
# not, and Qt then warns on every start from a bare environment (a cron job, `env -i`, a minimal container).
if os.name == "posix" and "LC_ALL" not in os.environ and locale.setlocale(locale.LC_CTYPE, "") in ("C", "POSIX"):
    for utf8 in ("C.UTF-8", "C.utf8", "UTF-8"):
        try:
            locale.setlocale(locale.LC_CTYPE, utf8)
        except locale.Error:
            continue
        os.environ["LC_CTYPE"] = utf8
        break

# Only now: Qt reads the locale when it starts.
from dpo_desk.cli import main

sys.exit(main())
