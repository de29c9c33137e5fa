"""Save screenshots of the main window for a human to look at: python scripts/screenshots.py STORE OUTDIR.

Run under Xvfb (xvfb-run -a -s "-screen 0 1400x900x24") or offscreen; it selects a case,
shows each of its tabs and the register, and writes one PNG per view. The store is unlocked by the
keyring, else by DPO_DESK_PASSPHRASE.
"""

import os
import sys
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from dpo_desk.gui.letters_tab import PasswordDialog
from dpo_desk.gui.main_window import MainWindow
from dpo_desk.gui.new_case_dialog import NewCaseDialog
from dpo_desk.gui.settings_dialog import SettingsDialog
from dpo_desk.store.cases import CaseRepository
from dpo_desk.store.db import open_store
from dpo_desk.store.keys import key_from_keyring, key_from_passphrase


def main() -> None:
    store, out = Path(sys.argv[1]), Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv[:1])
    settings = QSettings(str(out / "settings.ini"), QSettings.Format.IniFormat)
    key = key_from_keyring(store) or key_from_passphrase(store, os.environ["DPO_DESK_PASSPHRASE"])
    with open_store(store, key) as db:
        window = MainWindow(CaseRepository(db), store, "dpo", lambda: datetime.now(UTC), settings, key)
        window.resize(1380, 860)
        window.show()
        app.processEvents()
        window.grab().save(str(out / "main.png"))
        window.table.selectRow(int(sys.argv[3]) if len(sys.argv) > 3 else 3)
        names = ("overview", "identity", "deadline", "fee", "outcomes", "recipients", "letters", "history")
        for index, name in enumerate(names):
            window.case_view.tabs.setCurrentIndex(index)
            app.processEvents()
            window.grab().save(str(out / f"case-{name}.png"))
        window.navigation.setCurrentRow(1)
        app.processEvents()
        window.grab().save(str(out / "processors.png"))
        window.navigation.setCurrentRow(2)
        for index, name in enumerate(("entities", "sources", "processors")):
            window.register_view.setCurrentIndex(index)
            app.processEvents()
            window.grab().save(str(out / f"register-{name}.png"))
        repo = CaseRepository(db)
        dialogs = {
            "new-case": NewCaseDialog(repo.register.entities(), lambda: datetime.now(UTC), repo.cases_from_emails),
            "settings": SettingsDialog(repo.settings(), repo.register.entities()),
            "password": PasswordDialog("k7dq-m2xp-9vwe-3hna-tt4r", False),
        }
        for name, dialog in dialogs.items():
            dialog.show()
            app.processEvents()
            dialog.grab().save(str(out / f"dialog-{name}.png"))
            dialog.close()
        window.close()


if __name__ == "__main__":
    main()
