"""Suite T12's budget: every hostile mail reads or is refused in under 2 s and 200 MB (asked).

Run: .venv/bin/python -m bench.bench_hostile_mail   Prints timings against an ordinary mail; asserts nothing.
"""

import tempfile
import time
import tracemalloc
from pathlib import Path

from dpo_desk.mail.parse import MailError, read_mail
from tests.reliability.hostile_mail import corpus

ORDINARY = Path(__file__).parents[1] / "tests" / "data" / "mail" / "01-en-mozilla.eml"


def measure(path: Path) -> tuple[float, float, str]:
    tracemalloc.start()
    started = time.perf_counter()
    try:
        read_mail(path)
        outcome = "read"
    except MailError as error:
        outcome = f"refused ({str(error).partition(': ')[2][:60]})"
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return seconds, peak, outcome


def corpus_body() -> bytes:
    line = b"Jeg ber om innsyn i alle opplysninger dere har om meg, og i hvem som har mottatt dem.\r\n"
    return b"From: kari@example.no\r\nTo: privacy@altoros.no\r\nSubject: x\r\n\r\n" + line * (49 * 2**20 // len(line))


def main() -> None:
    baseline, baseline_peak, _ = measure(ORDINARY)
    print(f"baseline, an ordinary mail: {baseline * 1000:.1f} ms, {baseline_peak:.1f} MB")
    results = []
    with tempfile.TemporaryDirectory() as folder:
        hostile = corpus() | {"a 49 MB text body": corpus_body()}
        for name, data in hostile.items():
            path = Path(folder) / "hostile.eml"
            path.write_bytes(data)
            seconds, peak, outcome = measure(path)
            results.append((seconds, name))
            print(f"{name:<36} {len(data) // 1024:>5} KB  {seconds * 1000:8.1f} ms ({seconds / baseline:6.1f}×)"
                  f"  {peak:6.1f} MB  {outcome}")  # fmt: skip
    slowest = max(results)
    print(f"slowest: {slowest[1]}, {slowest[0]:.2f} s (budget 2 s)")


if __name__ == "__main__":
    main()
