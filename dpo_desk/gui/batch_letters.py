"""Case → Acknowledge selected cases: one acknowledgement letter per case, written in a task (its own store
connection, off the window's thread) with "n of N" and Cancel; the letters written before a cancel stay.
A case whose state does not allow the letter (closed, refused, already acknowledged) is skipped, and the
line that ends the batch says how many were skipped, and why."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from dpo_desk.application.desk import Desk
from dpo_desk.application.jobs import Listener, Runner, Task
from dpo_desk.core.errors import DeskError
from dpo_desk.gui.fonts import load_shipped_fonts
from dpo_desk.gui.pdf import render
from dpo_desk.gui.rich_text import sentence
from dpo_desk.letters.kinds import LetterKind


class BatchLetters(QObject):
    """Signals:
    finished(int, str): a batch ended; how many letters were written, and the line that says so.
    """

    finished = Signal(int, str)

    def __init__(self, desk: Desk, runner: Runner, window: QWidget) -> None:
        super().__init__(window)
        self._desk = desk
        self._runner = runner
        self._window = window
        self.progress: QProgressDialog | None = None
        self.task: Task[None] | None = None

    def acknowledge(self, case_ids: Sequence[int]) -> None:
        total = len(case_ids)
        written: list[str] = []
        problems: list[str] = []
        skipped: dict[str, list[str]] = {}  # why → the references

        def work(task: Task[None]) -> None:
            with self._desk.worker() as desk:
                for done, case_id in enumerate(case_ids):
                    task.progress(done, total, f"Writing acknowledgements: {done + 1} of {total}…")
                    reference = desk.cases.get_by_id(case_id).reference
                    why = desk.letters.why_not(case_id, LetterKind.ACKNOWLEDGEMENT)
                    if why:
                        skipped.setdefault(why, []).append(reference)
                        continue
                    try:
                        desk.write_letter(case_id, LetterKind.ACKNOWLEDGEMENT, render)
                    except DeskError as error:
                        problems.append(f"{reference}: {error}")
                    else:
                        written.append(reference)

        def ended(how: str) -> None:
            assert self.progress is not None
            self.progress.reset()
            message = f"{len(written)} of {total} acknowledgement(s) written{how}"
            if skipped:
                count = sum(len(references) for references in skipped.values())
                reasons = "; ".join(f"{why} ({len(refs)})" for why, refs in sorted(skipped.items(), key=_most))
                message += f"; {count} skipped: {reasons}"
            if problems:
                message += f"; not written: {'; '.join(problems)}"
            self.finished.emit(len(written), message)

        def failed(error: Exception) -> None:
            ended("; the batch stopped")
            QMessageBox.warning(self._window, "Acknowledgements", sentence(str(error)))

        load_shipped_fonts()  # on the window's thread, before any letter is laid out in the task's
        self.progress = QProgressDialog("Writing acknowledgements…", "Cancel", 0, total, self._window)
        self.progress.setWindowTitle("Acknowledgements")
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.setMinimumDuration(300)
        self.task = Task("acknowledgements", work)
        self.progress.canceled.connect(self.task.cancel)
        progress = self.progress

        def step(done: int, all_of_them: int, text: str) -> None:
            progress.setValue(done)
            progress.setLabelText(text)

        self._runner.start(
            self.task,
            Listener(
                done=lambda _: ended(""),
                failed=failed,
                progress=step,
                cancelled=lambda: ended(" before Cancel"),
            ),
        )


def _most(item: tuple[str, list[str]]) -> tuple[int, str]:
    return -len(item[1]), item[0]
