"""The first start on a computer: no store of the DPO's own in the data folder yet, so DPO Desk asks how to
begin, with the demo (fictitious cases in a store of their own) or with the DPO's own store, which starts with
no cases and the register DPO Desk ships with."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCommandLinkButton, QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from dpo_desk import APP_NAME, paths
from dpo_desk.gui.app_icon import app_icon
from dpo_desk.gui.modal import run_modal


class FirstRunDialog(QDialog):
    """Demo or own store; closing the dialog (or Quit) quits without making either."""

    def __init__(self, data_dir: Path, *, demo_made: bool, parent: QWidget | None = None) -> None:
        from dpo_desk.application.demo import DEMO_CASES  # the demo's code loads only where a demo may be made

        super().__init__(parent)
        self.setWindowTitle(f"Welcome to {APP_NAME}")
        self.chose_demo = False
        icon = QLabel()
        icon.setPixmap(app_icon().pixmap(64, 64))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        heading = QLabel(f"<b>Welcome to {APP_NAME}</b>")
        explain = QLabel(f"{APP_NAME} keeps its cases in one encrypted file in your data folder,")
        folder = QLabel(str(data_dir))  # on a line of its own: a wrapped path reads as two
        folder.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        question = QLabel("How would you like to begin?")
        self.demo = QCommandLinkButton(
            "&Open the demo" if demo_made else "Try the &demo",
            "The demo store made earlier, with its fictitious cases. Your own store is not made yet."
            if demo_made
            else f"{DEMO_CASES} fictitious cases in a store of their own, to try every step without real data. "
            "Your own store is not made yet.",
        )
        self.own = QCommandLinkButton(
            "Start &your own store",
            "No cases yet: the legal entities, processors and data sources of the register DPO Desk ships "
            "with, ready for the first real request.",
        )
        self.quit = QPushButton("&Quit")
        self.demo.clicked.connect(self._demo)
        self.own.clicked.connect(self.accept)
        self.quit.clicked.connect(self.reject)
        self.demo.setDefault(True)
        text = QVBoxLayout()
        for line in (heading, explain, folder, question):
            text.addWidget(line)
        top = QHBoxLayout()
        top.addWidget(icon)
        top.addLayout(text, 1)
        quit_row = QHBoxLayout()
        quit_row.addStretch(1)
        quit_row.addWidget(self.quit)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.demo)
        layout.addWidget(self.own)
        layout.addLayout(quit_row)
        self.demo.setFocus()

    def _demo(self) -> None:
        self.chose_demo = True
        self.accept()

    @classmethod
    def ask(cls, data_dir: Path, *, demo_made: bool) -> bool | None:
        """True for the demo, False for the DPO's own store, None to quit."""
        dialog = cls(data_dir, demo_made=demo_made)
        return dialog.chose_demo if run_modal(dialog) else None


def store_to_open(own: Path) -> tuple[Path, bool] | None:
    """The store a start with none named opens, and whether it is the demo: the DPO's own once it exists;
    before that, the one the DPO chooses. None: the DPO quit."""
    if own.exists():
        return own, False
    demo = paths.demo_store()
    chose_demo = FirstRunDialog.ask(paths.data_dir(), demo_made=demo.exists())
    if chose_demo is None:
        return None
    return (demo, True) if chose_demo else (own, False)
