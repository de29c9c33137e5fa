"""The app's runner: each task in a Qt thread of its own, its end delivered on the window's thread."""

from pytestqt.qtbot import QtBot

from dpo_desk.application.jobs import Listener, Task
from dpo_desk.gui.background import QtRunner


def test_a_task_asked_for_once_the_app_quits_is_not_started(qtbot: QtBot) -> None:
    """A task's end delivered after the quit started the reminder's count, whose thread outlived the app: Qt
    aborted the process ("QThread: Destroyed while thread 'reminder' is still running"), in the start probe."""
    runner = QtRunner()
    ran: list[str] = []
    heard: Listener[None] = Listener(done=lambda _: None, failed=lambda error: None)
    runner.start(Task("before", lambda task: ran.append("before")), heard)
    qtbot.waitUntil(lambda: ran == ["before"])
    runner.wait_all(5_000)  # at quit
    runner.start(Task("after", lambda task: ran.append("after")), heard)
    qtbot.wait(100)
    assert ran == ["before"]
