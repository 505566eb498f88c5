"""10,000 turns for two patients from many threads through the clinic API: thread safety of per-patient state.

``python -m benchmarks concurrency [--turns N] [--threads T]``. The same driver and per-turn checks as
``tests/api/test_api_concurrency.py`` (``tests/api/concurrency.py``): Josue Sipes on warfarin against Lupe
Little on no anticoagulant, through the real app factory served by uvicorn on 127.0.0.1 with its thread
pool; every turn must triage and cite its own patient only. Prints turns, wrong turns, throughput and
latency percentiles (figures in benchmarks/RESULTS.md).
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from tests.api.concurrency import drive, two_patient_api


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--turns", type=int, default=10_000)
    parser.add_argument("--threads", type=int, default=32)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, two_patient_api(Path(tmp)) as (url, josue, lupe):
        outcome = drive(url, josue, lupe, turns=args.turns, threads=args.threads)
    print("| turns | client threads | wrong turns | seconds | turns/s | p50 ms | p95 ms | p99 ms |")
    print("|---|---|---|---|---|---|---|---|")
    print(
        f"| {outcome.turns:,} | {args.threads} | {len(outcome.problems)} | {outcome.seconds:.0f} "
        f"| {outcome.per_second:.0f} | {outcome.percentile(0.5) * 1000:.0f} | {outcome.percentile(0.95) * 1000:.0f} "
        f"| {outcome.percentile(0.99) * 1000:.0f} |"
    )
    for problem in outcome.problems[:20]:
        print("  wrong:", problem)
    if outcome.problems:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
