"""Edit → Suppression list: check whether an e-mail or phone objected to direct marketing, and export the
salted hashes for the marketing tool. The list holds no address or number, so nothing here can show one."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dpo_desk.application.desk import Desk
from dpo_desk.core.errors import DeskError
from dpo_desk.core.suppression import EMAIL, PHONE
from dpo_desk.gui.accessible import name_form_fields
from dpo_desk.gui.file_places import ask_save
from dpo_desk.gui.rich_text import escape, sentence
from dpo_desk.gui.scheme import colours


def ask_export_path(parent: QWidget) -> Path | None:
    """The native save dialog; tests replace this one function. The format follows the name's suffix."""
    return ask_save(
        parent, "Export the suppression list", "suppression-list.csv", "CSV (*.csv);;JSON (*.json)", "suppression"
    )


class SuppressionDialog(QDialog):
    def __init__(self, desk: Desk, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle("Suppression list")
        self.setMinimumWidth(520)
        self._desk = desk
        kinds = [entry.kind for entry in desk.outcomes.suppression_list()[1]]
        entries = len(kinds)
        emails, phones = kinds.count(EMAIL), kinds.count(PHONE)
        explain = QLabel(
            f"{emails} e-mail address{'' if emails == 1 else 'es'} and "
            f"{phones} phone number{'' if phones == 1 else 's'} of people who objected to direct marketing "
            "(Art. 21(3)). Only a salted hash of each is kept: type one to check it."
        )
        explain.setWordWrap(True)
        self.identifier = QLineEdit()
        self.identifier.setPlaceholderText("an e-mail address, or a phone number")
        self.country = QComboBox()
        countries = sorted({entity.country for entity in desk.register.entities()})
        self.country.addItem("none: the number has its +code", "")
        for country in countries:
            self.country.addItem(country, country)
        self.finding = QLabel()
        self.finding.setWordWrap(True)
        self.check_button = QPushButton("C&heck")
        self.check_button.clicked.connect(self.check)
        self.export_button = QPushButton("E&xport…")
        self.export_button.setEnabled(entries > 0)
        self.export_button.setToolTip(
            "Write the hashes with their salt and recipe (CSV or JSON) for the marketing tool; whoever holds the "
            "file can test addresses against the list, and the audit records the export"
            if entries
            else "The list is empty: nothing to export"
        )
        self.export_button.clicked.connect(self.export)
        form = QFormLayout()
        form.addRow("&E-mail or phone", self.identifier)
        form.addRow("Phone's &country", self.country)
        name_form_fields(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.check_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.ActionRole)
        # Enter checks the identifier typed; it must never close the dialog (the box makes Close the default).
        buttons.button(QDialogButtonBox.StandardButton.Close).setAutoDefault(False)
        self.check_button.setDefault(True)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(explain)
        layout.addLayout(form)
        layout.addWidget(self.finding)
        layout.addWidget(buttons)
        self.identifier.setFocus()

    @Slot()
    def check(self) -> None:
        typed = self.identifier.text().strip()
        try:
            entry = self._desk.outcomes.suppressed(typed, self.country.currentData())
        except DeskError as error:
            field, _, problem = str(error).partition(": ")
            message = f"E-mail or phone: {problem}" if field == "identifier" else str(error)
            self.finding.setText(f"<span style='color:{colours().error}'>{escape(sentence(message))}</span>")
            return
        if entry is None:
            self.finding.setText(f"{escape(typed)} is <b>not</b> on the suppression list.")
        else:
            self.finding.setText(
                f"{escape(typed)} <b>is on the suppression list</b>, since {entry.added_on} ({entry.kind}): "
                "send it no direct marketing."
            )

    @Slot()
    def export(self) -> None:
        target = ask_export_path(self)
        if target is None:
            return
        fmt = "json" if target.suffix.lower() == ".json" else "csv"
        try:
            count = self._desk.export_suppression(fmt, target)
        except DeskError as error:
            QMessageBox.warning(self, "Not exported", sentence(str(error)))
            return
        self.finding.setText(f"Wrote {count} {'entry' if count == 1 else 'entries'} to {escape(str(target))}.")
