"""The first start without a store of the DPO's own: the choice between the demo and the DPO's own store, and
the store each choice opens."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QLabel
from pytestqt.qtbot import QtBot

from dpo_desk import paths
from dpo_desk.gui import first_run
from dpo_desk.gui.first_run import FirstRunDialog, store_to_open


@pytest.fixture
def dialog(qtbot: QtBot, tmp_path: Path) -> FirstRunDialog:
    shown = FirstRunDialog(tmp_path, demo_made=False)
    qtbot.addWidget(shown)
    shown.show()
    return shown


def test_it_says_where_the_store_goes_and_offers_the_demo_first(dialog: FirstRunDialog, tmp_path: Path) -> None:
    assert any(str(tmp_path) in label.text() for label in dialog.findChildren(QLabel))
    assert dialog.focusWidget() is dialog.demo and dialog.demo.isDefault()
    assert dialog.demo.text() == "Try the &demo" and "500 fictitious cases" in dialog.demo.description()


@pytest.mark.parametrize(("button", "demo"), [("demo", True), ("own", False)])
def test_each_choice_is_taken_as_clicked(dialog: FirstRunDialog, button: str, demo: bool) -> None:
    getattr(dialog, button).click()
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.chose_demo is demo


def test_quit_makes_no_choice(dialog: FirstRunDialog) -> None:
    dialog.quit.click()
    assert dialog.result() == QDialog.DialogCode.Rejected


def test_a_demo_made_before_is_offered_as_it_is(qtbot: QtBot, tmp_path: Path) -> None:
    again = FirstRunDialog(tmp_path, demo_made=True)
    qtbot.addWidget(again)
    assert again.demo.text() == "&Open the demo" and "made earlier" in again.demo.description()


def test_the_own_store_once_made_opens_without_asking(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    own = tmp_path / "store.sqlite"
    own.write_bytes(b"a store")
    monkeypatch.setattr(FirstRunDialog, "ask", classmethod(lambda cls, *a, **k: pytest.fail("asked")))
    assert store_to_open(own) == (own, False)


@pytest.mark.parametrize(
    ("answer", "opened"), [(True, "demo"), (False, "own"), (None, None)], ids=["demo", "own store", "quit"]
)
def test_before_it_exists_the_choice_decides(
    monkeypatch: pytest.MonkeyPatch, answer: bool | None, opened: str | None
) -> None:
    asked: list[tuple[Path, bool]] = []

    def ask(cls: type[FirstRunDialog], data_dir: Path, *, demo_made: bool) -> bool | None:
        asked.append((data_dir, demo_made))
        return answer

    monkeypatch.setattr(FirstRunDialog, "ask", classmethod(ask))
    own = paths.default_store()
    expected = {"demo": (paths.demo_store(), True), "own": (own, False), None: None}[opened]
    assert first_run.store_to_open(own) == expected
    assert asked == [(paths.data_dir(), False)]
