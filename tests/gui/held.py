"""A runner that holds each task until the test ends it, in any order: a worker thread as slow as the test
likes, for what the window does while work runs aside."""

from dpo_desk.application.jobs import Listener, Task, execute


class HeldRunner:
    def __init__(self) -> None:
        self.held: list[tuple[Task[object], Listener[object]]] = []

    def start(self, task: Task[object], listener: Listener[object]) -> None:
        self.held.append((task, listener))

    def finish(self, number: int) -> None:
        task, listener = self.held[number]
        execute(task, listener, lambda call: call())

    def finish_last(self, name: str) -> None:
        """End the last task of this name (a search, the dashboard)."""
        number = max(index for index, (task, _) in enumerate(self.held) if task.name == name)
        self.finish(number)
