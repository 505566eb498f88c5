"""Demo clinic start-up: definitions indexing, seeding (12 Synthea patients + clinic) and total time
until the server announces it is ready, over several cold starts; plus the cost of a re-seed.

Run: ``.venv/bin/python -m benchmarks.bench_sandbox [--starts 5]``
"""

from __future__ import annotations

import argparse
import statistics
import time

from sandbox import Sandbox


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--starts", type=int, default=5)
    args = parser.parse_args()

    wall: list[float] = []
    parts: dict[str, list[float]] = {"definitions": [], "seed": [], "total": []}
    reseed: list[float] = []
    resources = slots = 0
    for _ in range(args.starts):
        t0 = time.perf_counter()
        with Sandbox(port=0) as sb:
            wall.append(time.perf_counter() - t0)
            for key, value in sb.startup_seconds.items():
                parts.setdefault(key, []).append(value)
            counts = sb.seed_info["counts"]
            resources = sum(c["created"] for c in counts.values())
            slots = sb.seed_info["slots"]
            t1 = time.perf_counter()
            again = sb.seed()
            reseed.append(time.perf_counter() - t1)
            assert sum(c["created"] for c in again["counts"].values()) == 0

    def fmt(values: list[float]) -> str:
        return f"median {statistics.median(values):6.2f} s  (min {min(values):.2f}, max {max(values):.2f})"

    print(f"sandbox cold starts: {args.starts}; seeded {resources:,} resources of which {slots:,} slots")
    print(f"  index definitions      {fmt(parts['definitions'])}")
    print(f"  seed (create)          {fmt(parts['seed'])}")
    print(f"  node: ready after      {fmt(parts['total'])}")
    print(f"  python: start() wall   {fmt(wall)}")
    print(f"  re-seed (no-op, HTTP)  {fmt(reseed)}")


if __name__ == "__main__":
    main()
