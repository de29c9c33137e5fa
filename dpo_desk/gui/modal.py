"""Running a dialog modally and letting it go afterwards.

A dialog made with the window as its parent lives as long as the window unless it is deleted: a day of
forms, previews and message boxes piled up as hidden children (a print preview keeps its rendered pages).
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog


def run_modal(dialog: QDialog) -> bool:
    """Whether the DPO accepted; the dialog is deleted once control is back in the event loop, so the caller
    can still read what was entered."""
    try:
        return dialog.exec() == QDialog.DialogCode.Accepted
    finally:
        dialog.deleteLater()
