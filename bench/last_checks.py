"""What remembering "last checked" costs the diff stage: memory per subject and time per batch entry.

python -m bench.last_checks [--subjects 550000]: the bench population's subjects for a million reservations.
"""

from __future__ import annotations

import argparse
import time
import tracemalloc

from domain.tracking.checks import LastChecks


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--subjects", type=int, default=550_000)
    args = parser.parse_args()
    checks = LastChecks(keep_s=600)
    tracemalloc.start()
    started = time.perf_counter()
    # Each batch's subject names are fresh strings, dropped with the batch unless remembered: as in the worker.
    for first in range(0, args.subjects, 80):
        checks.seen({_subject(n): {"fetched_at": 1_800_000_000.0 + n} for n in range(first, first + 80)},
                    now=1_800_000_000.0)
    elapsed = time.perf_counter() - started
    kept, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"{len(checks):,} subjects remembered: {kept / 2**20:.1f} MiB ({kept / len(checks):.0f} bytes a subject, "
          f"its name included)")
    print(f"{elapsed / args.subjects * 1e6:.2f} µs a snapshot entry, batch built and traced")
    batch = {_subject(n): {"fetched_at": 1_800_000_000.0} for n in range(80)}
    started = time.perf_counter()
    for _ in range(10_000):
        checks.seen(batch, now=1_800_000_000.0)
    print(f"{(time.perf_counter() - started) / 800_000 * 1e6:.2f} µs a snapshot entry untraced, nothing newer")


def _subject(n: int) -> str:
    return f"flight/LH/{n:07d}/2027-03-01"   # as long as a real flight subject


if __name__ == "__main__":
    main()
