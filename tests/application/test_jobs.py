"""Long work in one way: every task ends heard (done, failed or cancelled), whatever its work raised."""

import queue
import threading
from collections.abc import Callable

import pytest

from dpo_desk.application.jobs import Listener, SynchronousRunner, Task, ThreadRunner
from dpo_desk.core.errors import InputError


def listen(ended: list[object]) -> Listener[object]:
    return Listener(
        done=lambda result: ended.append(("done", result)),
        failed=lambda error: ended.append(("failed", type(error).__name__)),
        progress=lambda done, total, text: ended.append(("progress", done, total)),
        cancelled=lambda: ended.append(("cancelled",)),
    )


def count_to(total: int, then: Callable[[], object] = lambda: "counted") -> Callable[[Task[object]], object]:
    def work(task: Task[object]) -> object:
        for number in range(total):
            task.progress(number, total)
        return then()

    return work


def test_done_with_progress_then_failures_of_every_kind() -> None:
    ended: list[object] = []
    runner = SynchronousRunner()
    runner.start(Task("count", count_to(2)), listen(ended))
    runner.start(Task("refused", count_to(0, lambda: (_ for _ in ()).throw(InputError("no")))), listen(ended))
    runner.start(Task("bug", count_to(0, lambda: 1 / 0)), listen(ended))
    runner.start(Task("again", count_to(0)), listen(ended))  # the next task still runs
    assert ended == [
        ("progress", 0, 2),
        ("progress", 1, 2),
        ("done", "counted"),
        ("failed", "InputError"),
        ("failed", "ZeroDivisionError"),
        ("done", "counted"),
    ]


def test_cancel_stops_the_work_at_its_next_report() -> None:
    ended: list[object] = []
    task: Task[object] = Task("count", count_to(5))
    listener = listen(ended)
    stop_at_two = Listener(
        done=listener.done,
        failed=listener.failed,
        progress=lambda done, total, text: (ended.append(("progress", done, total)), done == 1 and task.cancel()),
        cancelled=listener.cancelled,
    )
    SynchronousRunner().start(task, stop_at_two)
    assert ended == [("progress", 0, 5), ("progress", 1, 5), ("cancelled",)]


@pytest.mark.parametrize("work", [count_to(3), count_to(0, lambda: [][1])], ids=["done", "bug"])
def test_a_thread_runner_delivers_the_ending_on_the_callers_thread(work: Callable[[Task[object]], object]) -> None:
    inbox: queue.Queue[Callable[[], None]] = queue.Queue()
    ended: list[object] = []
    caller = threading.get_ident()
    seen_on: set[int] = set()

    def on_caller(call: Callable[[], None]) -> None:
        inbox.put(call)

    listener = listen(ended)
    ThreadRunner(on_caller).start(Task("work", work), listener)
    while not ended or ended[-1][0] == "progress":  # type: ignore[index]
        inbox.get(timeout=10)()
        seen_on.add(threading.get_ident())
    assert seen_on == {caller}
    assert ended[-1] in (("done", "counted"), ("failed", "IndexError"))
