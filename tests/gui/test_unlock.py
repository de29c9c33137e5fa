"""Unlocking at start: the keyring opens the store by itself; without it the passphrase does; a new store
or one from before encryption first gets a passphrase the DPO chooses. And changing the passphrase."""

import contextlib
from pathlib import Path

from dpo_desk.store.driver import sqlite

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox
from pytestqt.qtbot import QtBot
from sqlite_utils import Database

from dpo_desk.application import demo
from dpo_desk.application.desk import Desk
from dpo_desk.application.jobs import SynchronousRunner
from dpo_desk.application.stores import open_desk
from dpo_desk.gui import app
from dpo_desk.gui.main_window import MainWindow
from dpo_desk.gui.passphrase import NewPassphraseDialog, UnlockDialog
from dpo_desk.store.encryption import kept_copy_path
from dpo_desk.store.keys import WrongPassphraseError, key_file_path, key_from_keyring, key_from_passphrase
from dpo_desk.store.migrations import migrations
from tests.conftest import NOW, TEST_PASSPHRASE, MemoryKeyring, desk_on, new_case

NEW_PASSPHRASE = "seven herons over the wet allotment"


def never(*args: object) -> None:
    raise AssertionError("no dialog was expected here")


def ok_button(dialog: NewPassphraseDialog) -> QDialogButtonBox:
    button = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert button is not None
    return button


def test_a_new_passphrase_is_checked_as_it_is_typed_and_ok_waits(qtbot: QtBot) -> None:
    dialog = NewPassphraseDialog("Choose", "Explanation", ask_current=True)
    qtbot.addWidget(dialog)
    assert dialog.message.text() == "" and not ok_button(dialog).isEnabled()  # nothing typed, nothing said
    qtbot.keyClicks(dialog.current, "the one in use now")
    qtbot.keyClicks(dialog.first, "too short")
    # Before OK: the field by its label, not the key "passphrase:", and OK disabled saying why.
    assert dialog.message.text().startswith("New passphrase: 9 characters; at least 15")
    assert not ok_button(dialog).isEnabled() and ok_button(dialog).toolTip() == dialog.message.text()
    dialog.first.setText(NEW_PASSPHRASE)
    assert dialog.message.text() == "Repeat: type the new passphrase again"
    qtbot.keyClicks(dialog.second, NEW_PASSPHRASE[:-1])
    assert dialog.message.text() == "Repeat: the two differ"
    qtbot.keyClicks(dialog.second, NEW_PASSPHRASE[-1])
    assert dialog.message.text() == "" and ok_button(dialog).isEnabled()


def opened(path: Path) -> Desk | None:
    """What the app does at start: open the store as a desk, asking in dialogs (tasks run synchronously)."""
    return open_desk(path, app.DialogUnlocker(SynchronousRunner()), actor="dpo", clock=lambda: NOW)


def test_choosing_a_passphrase_names_what_is_wrong(qtbot: QtBot) -> None:
    dialog = NewPassphraseDialog("Choose", "Explanation")
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.first, "too short")
    qtbot.mouseClick(ok_button(dialog), Qt.MouseButton.LeftButton)
    assert "at least 15" in dialog.message.text() and not dialog.passphrase
    dialog.first.setText("passwordpassword")
    qtbot.mouseClick(ok_button(dialog), Qt.MouseButton.LeftButton)
    assert "common" in dialog.message.text()
    dialog.first.setText(NEW_PASSPHRASE)
    dialog.second.setText(NEW_PASSPHRASE + "!")
    qtbot.mouseClick(ok_button(dialog), Qt.MouseButton.LeftButton)
    assert "differ" in dialog.message.text()
    dialog.second.setText(NEW_PASSPHRASE)
    qtbot.mouseClick(ok_button(dialog), Qt.MouseButton.LeftButton)
    assert dialog.passphrase == NEW_PASSPHRASE and dialog.result() == NewPassphraseDialog.DialogCode.Accepted
    assert dialog.first.text() == dialog.second.text() == ""


def unlock_dialog(qtbot: QtBot, store_path: Path) -> UnlockDialog:
    dialog = UnlockDialog(
        store_path,
        "The keyring does not hold this store's key.",
        lambda passphrase: key_from_passphrase(store_path, passphrase),
        SynchronousRunner(),
    )
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_the_unlock_dialog_refuses_a_wrong_passphrase_then_opens(
    qtbot: QtBot, store_path: Path, store_key: bytes, memory_keyring: MemoryKeyring
) -> None:
    memory_keyring.secrets.clear()
    dialog = unlock_dialog(qtbot, store_path)
    qtbot.keyClicks(dialog.entry.field, "a wrong passphrase, typed in haste")
    qtbot.keyClick(dialog.entry.field, Qt.Key.Key_Return)
    assert dialog.key is None and "Wrong passphrase" in dialog.entry.message.text()
    assert not dialog.entry.unlock_button.isEnabled()  # the wait after a failure
    qtbot.waitUntil(dialog.entry.unlock_button.isEnabled, timeout=3000)
    qtbot.keyClicks(dialog.entry.field, TEST_PASSPHRASE)
    qtbot.keyClick(dialog.entry.field, Qt.Key.Key_Return)
    assert dialog.key == store_key and dialog.result() == UnlockDialog.DialogCode.Accepted
    assert key_from_keyring(store_path) == store_key  # the next start unlocks by itself again


def test_a_wrong_passphrase_and_enter_never_cancel_the_unlock(
    qtbot: QtBot, store_path: Path, store_key: bytes, memory_keyring: MemoryKeyring
) -> None:
    """Once, a wrong passphrase disabled the field, Enter landed on Cancel and the app quit with status 2."""
    memory_keyring.secrets.clear()
    dialog = unlock_dialog(qtbot, store_path)
    qtbot.keyClicks(dialog.entry.field, "a wrong passphrase, typed in haste")
    qtbot.keyClick(dialog.entry.field, Qt.Key.Key_Return)
    qtbot.keyClick(dialog.entry.field, Qt.Key.Key_Return)  # again, during the wait
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    assert dialog.isVisible()  # not cancelled: the app would have quit
    assert dialog.entry.field.isEnabled() and dialog.focusWidget() is dialog.entry.field
    assert "Wrong passphrase" in dialog.entry.message.text()


def test_the_keyring_unlocks_without_asking(
    store_path: Path, store_key: bytes, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    db.close()
    monkeypatch.setattr(UnlockDialog, "ask", never)
    monkeypatch.setattr(NewPassphraseDialog, "ask", never)
    desk = opened(store_path)
    assert desk is not None and desk.opens_with(TEST_PASSPHRASE)
    desk.close()


def test_without_the_keyring_entry_the_passphrase_is_asked_and_says_why(
    store_path: Path, store_key: bytes, db: Database, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    db.close()
    memory_keyring.secrets.clear()
    asked: list[str] = []

    def ask(path: Path, reason: str, attempt: object, runner: object) -> bytes:
        asked.append(reason)
        return attempt(TEST_PASSPHRASE)  # type: ignore[operator,no-any-return]

    monkeypatch.setattr(UnlockDialog, "ask", ask)
    desk = opened(store_path)
    assert desk is not None and "keyring does not hold" in asked[0]
    desk.close()


def test_a_first_start_chooses_a_passphrase_and_makes_the_demo(
    tmp_path: Path, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = tmp_path / "demo" / "store.sqlite"
    titles: list[str] = []
    monkeypatch.setattr(NewPassphraseDialog, "ask", lambda title, text: titles.append(title) or NEW_PASSPHRASE)
    monkeypatch.setattr(demo, "DEMO_CASES", 12)
    runner = SynchronousRunner()
    desk = open_desk(
        store, app.DialogUnlocker(runner), actor="dpo", clock=lambda: NOW, fill=lambda d: app.make_demo(runner, d)
    )
    assert desk is not None and desk.cases.count() == 12
    assert "demo store" in titles[0]
    key = key_from_keyring(store)
    assert key is not None and key_from_passphrase(store, NEW_PASSPHRASE) == key
    desk.close()


def test_cancelling_the_first_passphrase_creates_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(NewPassphraseDialog, "ask", lambda title, text: None)
    store = tmp_path / "store.sqlite"
    assert opened(store) is None
    assert not store.exists() and not key_file_path(store).exists()


def test_a_store_from_before_encryption_is_encrypted_at_start_and_the_copy_offered_for_deletion(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = tmp_path / "store.sqlite"
    with contextlib.closing(sqlite.connect(store)) as connection:
        legacy = Database(connection, execute_plugins=False)
        migrations.apply(legacy)
        desk_on(legacy, store, b"").cases.add(new_case(name="From Before"), actor="dpo", now=NOW)
    shown: list[str] = []
    monkeypatch.setattr(NewPassphraseDialog, "ask", lambda title, text: shown.append(text) or NEW_PASSPHRASE)
    desk = opened(store)
    assert desk is not None and "store.sqlite.before-encryption" in shown[0]
    assert [case.subject.name for case in desk.cases.cases([1])] == ["From Before"]

    monkeypatch.setattr(QMessageBox, "question", lambda *args: shown.append(args[2]) or QMessageBox.StandardButton.No)
    app.offer_to_forget_unencrypted(desk, None)  # type: ignore[arg-type]
    assert kept_copy_path(store).exists() and "before-encryption" in shown[-1]
    monkeypatch.setattr(QMessageBox, "question", lambda *args: QMessageBox.StandardButton.Yes)
    app.offer_to_forget_unencrypted(desk, None)  # type: ignore[arg-type]
    assert not kept_copy_path(store).exists()
    desk.close()


def test_changing_the_passphrase_from_the_menu_checks_the_current_one_and_is_audited(
    window: MainWindow, desk: Desk, store_path: Path, store_key: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = iter([("not the current passphrase", NEW_PASSPHRASE), (TEST_PASSPHRASE, NEW_PASSPHRASE)])
    asked: list[str] = []
    monkeypatch.setattr(
        NewPassphraseDialog, "ask_change", lambda title, text, parent: asked.append(text) or next(answers)
    )
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: warned.append(text))
    window.passphrase_action.trigger()
    assert warned == ["The current passphrase is wrong; nothing changed."]
    assert key_from_passphrase(store_path, TEST_PASSPHRASE) == store_key
    window.passphrase_action.trigger()
    assert key_from_passphrase(store_path, NEW_PASSPHRASE) == store_key
    with pytest.raises(WrongPassphraseError):
        key_from_passphrase(store_path, TEST_PASSPHRASE)
    assert desk.audit.latest(1)[0].action == "passphrase-changed"
    assert window.statusBar().currentMessage() == "Recovery passphrase changed"
    assert asked[0].endswith(
        "Backups made before keep the old passphrase (this computer's keyring opens them as well)."
    )


def test_without_a_keyring_changing_the_passphrase_claims_none_opens_old_backups(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a computer where no keyring works, it said "the keyring opens them as well"."""
    monkeypatch.setattr("dpo_desk.os_keyring.works", lambda: False)
    asked: list[str] = []
    monkeypatch.setattr(NewPassphraseDialog, "ask_change", lambda title, text, parent: asked.append(text))
    window.passphrase_action.trigger()
    assert asked[0].endswith("Backups made before keep the old passphrase.") and "keyring" not in asked[0]
