"""Reliability suite T1 at full size: 200 kill -9 rounds over the real write paths, with the figures.

Run: .venv/bin/python -m bench.bench_kill9 [ROUNDS]
"""

import sys
import tempfile
from pathlib import Path

from tests.reliability.kill9 import run


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    with tempfile.TemporaryDirectory() as folder:
        result = run(rounds, Path(folder), seed=2026)
    acked = ", ".join(f"{kind} {count}" for kind, count in sorted(result.acked.items()))
    print(f"{result.rounds} kill -9 rounds in {result.seconds:.1f} s")
    print(f"acknowledged: {sum(result.acked.values())} ({acked}); cases in the store: {result.cases_in_store}")
    print(
        f"lost {len(result.lost)}, torn {len(result.torn)}, rounds with integrity/audit/open problems "
        f"{len(result.broken_rounds)}, visible partial files {len(result.visible_partials)}, "
        f"hidden partial files left {result.hidden_partials}"
    )
    print(f"files read back without a password: {len(result.read_files)}; showing a subject: {len(result.leaked)}")
    for problem in [*result.lost, *result.torn, *result.broken_rounds, *result.visible_partials, *result.leaked][:20]:
        print("  ", problem)
    sys.exit(0 if result.ok else 1)


if __name__ == "__main__":
    main()
