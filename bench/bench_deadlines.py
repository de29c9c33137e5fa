"""Due dates of 100,000 cases on one core: prints the figure (goal: under 0.5 s).

Run: .venv/bin/python bench/bench_deadlines.py
"""

import random
import time
from datetime import date, timedelta

from dpo_desk.core.calendars import CALENDARS
from dpo_desk.core.deadlines import DeadlineInput, Pause, PauseKind, Rules, due_date

CASES = 100_000


def requests(count: int, seed: int = 1) -> list[DeadlineInput]:
    rng = random.Random(seed)
    result = []
    for _ in range(count):
        received = date(2024, 1, 1) + timedelta(days=rng.randrange(5 * 365))
        pauses: tuple[Pause, ...] = ()
        if rng.random() < 0.2:  # one case in five waits for ID or a clarification
            start = received + timedelta(days=rng.randrange(5))
            pauses = (Pause(start, start + timedelta(days=rng.randrange(20)), rng.choice(list(PauseKind))),)
        result.append(
            DeadlineInput(received, rng.choice(CALENDARS), rng.choice(list(Rules)), pauses, rng.random() < 0.1)
        )
    return result


def main() -> None:
    batch = requests(CASES)
    started = time.perf_counter()
    for request in batch:
        due_date(request)
    cold = time.perf_counter() - started
    started = time.perf_counter()
    for request in batch:
        due_date(request)
    warm = time.perf_counter() - started
    print(f"deadlines: {CASES:,} due dates in {cold:.3f} s (holiday cache cold), {warm:.3f} s (warm)")


if __name__ == "__main__":
    main()
