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

from dpo_desk.application.actions import EXTEND
from dpo_desk.application.desk import Desk
from dpo_desk.application.jobs import SynchronousRunner
from dpo_desk.gui.fields_dialog import FieldsDialog
from dpo_desk.gui.letters_tab import PasswordDialog
from dpo_desk.gui.main_window import MainWindow
from dpo_desk.gui.new_case_dialog import NewCaseDialog
from dpo_desk.gui.scheme import follow_system
from dpo_desk.store.db import open_store
from dpo_desk.store.keys import key_from_keyring, key_from_passphrase


def main() -> None:
    store, out = Path(sys.argv[1]), Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv[:1])
    follow_system(app)  # DPO_DESK_COLOR_SCHEME=dark for the dark screenshots
    settings = QSettings(str(out / "settings.ini"), QSettings.Format.IniFormat)
    key = key_from_keyring(store) or key_from_passphrase(store, os.environ["DPO_DESK_PASSPHRASE"])
    with Desk(open_store(store, key), store, key, actor="dpo", clock=lambda: datetime.now(UTC)) as desk:
        window = MainWindow(desk, settings, SynchronousRunner())
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
        state = window.case_view.state
        assert state is not None
        form = desk.form(state)
        dialogs = {
            "new-case": NewCaseDialog(desk.register.entities(), desk.now, desk.cases.cases_from_emails),
            "extend": FieldsDialog(EXTEND.title, EXTEND.fields, form, lambda v: EXTEND.check(v, form)),
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
