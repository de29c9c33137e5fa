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

from dpo_desk.gui import app
from dpo_desk.gui.main_window import MainWindow
from dpo_desk.gui.passphrase import NewPassphraseDialog, UnlockDialog
from dpo_desk.store import audit
from dpo_desk.store.cases import CaseRepository
from dpo_desk.store.db import open_store
from dpo_desk.store.encryption import kept_copy_path
from dpo_desk.store.keys import WrongPassphraseError, key_file_path, key_from_keyring, key_from_passphrase
from dpo_desk.store.migrations import migrations
from tests.conftest import NOW, TEST_PASSPHRASE, MemoryKeyring, new_case

NEW_PASSPHRASE = "seven herons over the wet allotment"


def never(*args: object) -> None:
    raise AssertionError("no dialog was expected here")


def ok_button(dialog: NewPassphraseDialog) -> QDialogButtonBox:
    button = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert button is not None
    return button


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


def test_the_unlock_dialog_refuses_a_wrong_passphrase_then_opens(
    qtbot: QtBot, store_path: Path, store_key: bytes, memory_keyring: MemoryKeyring
) -> None:
    memory_keyring.secrets.clear()
    dialog = UnlockDialog(store_path, "The keyring does not hold this store's key.")
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.entry.field, "a wrong passphrase, typed in haste")
    qtbot.keyClick(dialog.entry.field, Qt.Key.Key_Return)
    assert dialog.key is None and "Wrong passphrase" in dialog.entry.message.text()
    assert not dialog.entry.field.isEnabled()  # the wait after a failure
    qtbot.waitUntil(dialog.entry.field.isEnabled, timeout=3000)
    qtbot.keyClicks(dialog.entry.field, TEST_PASSPHRASE)
    qtbot.keyClick(dialog.entry.field, Qt.Key.Key_Return)
    assert dialog.key == store_key and dialog.result() == UnlockDialog.DialogCode.Accepted
    assert key_from_keyring(store_path) == store_key  # the next start unlocks by itself again


def test_the_keyring_unlocks_without_asking(
    store_path: Path, store_key: bytes, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(UnlockDialog, "ask", never)
    monkeypatch.setattr(NewPassphraseDialog, "ask", never)
    assert app.unlock(store_path, None) == store_key


def test_without_the_keyring_entry_the_passphrase_is_asked_and_says_why(
    store_path: Path, store_key: bytes, db: Database, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    memory_keyring.secrets.clear()
    asked: list[str] = []
    monkeypatch.setattr(UnlockDialog, "ask", lambda path, reason: asked.append(reason) or store_key)
    assert app.unlock(store_path, None) == store_key
    assert "keyring does not hold" in asked[0]


def test_a_first_start_chooses_a_passphrase_and_makes_the_demo(
    tmp_path: Path, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = tmp_path / "demo" / "store.sqlite"
    titles: list[str] = []
    monkeypatch.setattr(NewPassphraseDialog, "ask", lambda title, text: titles.append(title) or NEW_PASSPHRASE)
    made: list[bytes] = []

    def make_demo(path: Path, key: bytes) -> None:
        with open_store(path, key) as db:
            CaseRepository(db).add(new_case(), actor="dpo", now=NOW)
        made.append(key)

    key = app.unlock(store, make_demo)
    assert key is not None and made == [key]
    assert "demo store" in titles[0]
    assert key_from_keyring(store) == key and key_from_passphrase(store, NEW_PASSPHRASE) == key


def test_cancelling_the_first_passphrase_creates_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(NewPassphraseDialog, "ask", lambda title, text: None)
    store = tmp_path / "store.sqlite"
    assert app.unlock(store, None) is None
    assert not store.exists() and not key_file_path(store).exists()


def test_a_store_from_before_encryption_is_encrypted_at_start_and_the_copy_offered_for_deletion(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = tmp_path / "store.sqlite"
    with contextlib.closing(sqlite.connect(store)) as connection:
        legacy = Database(connection, execute_plugins=False)
        migrations.apply(legacy)
        CaseRepository(legacy).add(new_case(name="From Before"), actor="dpo", now=NOW)
    shown: list[str] = []
    monkeypatch.setattr(NewPassphraseDialog, "ask", lambda title, text: shown.append(text) or NEW_PASSPHRASE)
    key = app.unlock(store, None)
    assert key is not None and "store.sqlite.before-encryption" in shown[0]
    with open_store(store, key, create=False) as db:
        assert [row[0] for row in db.execute("SELECT name FROM subjects")] == ["From Before"]

    monkeypatch.setattr(QMessageBox, "question", lambda *args: shown.append(args[2]) or QMessageBox.StandardButton.No)
    app.offer_to_forget_unencrypted(store, None)  # type: ignore[arg-type]
    assert kept_copy_path(store).exists() and "before-encryption" in shown[-1]
    monkeypatch.setattr(QMessageBox, "question", lambda *args: QMessageBox.StandardButton.Yes)
    app.offer_to_forget_unencrypted(store, None)  # type: ignore[arg-type]
    assert not kept_copy_path(store).exists()


def test_changing_the_passphrase_from_the_menu_asks_the_current_one_and_is_audited(
    window: MainWindow, store_path: Path, store_key: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    checks: list[object] = []

    def ask(title: str, text: str, check_current: object, parent: object) -> str:
        checks.append(check_current)
        return NEW_PASSPHRASE

    monkeypatch.setattr(NewPassphraseDialog, "ask", ask)
    window.passphrase_action.trigger()
    assert key_from_passphrase(store_path, NEW_PASSPHRASE) == store_key
    with pytest.raises(WrongPassphraseError):
        key_from_passphrase(store_path, TEST_PASSPHRASE)
    check_current = checks[0]
    assert callable(check_current)
    with pytest.raises(WrongPassphraseError):
        check_current("not the current passphrase")
    assert audit.latest_entries(window._repo.db, 1)[0].action == "passphrase-changed"
