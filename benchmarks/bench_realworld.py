"""Load + index of each real-world record (data/realworld: IPS document, Austrian IPS, MEDITECH searchset,
C-CDA conversion) and of each Synthea record: the issue-16 target is < 1 s per real-world file.

Run: ``.venv/bin/python -m benchmarks.bench_realworld [--repeat 5] [--synthea]``

Each run loads the file (parse, references, absence statements), builds the cards and indexes them into a
fresh embedded chromadb index (embedding every card text): what ``health-assistant ingest`` does for a new
patient. The embedder is loaded once before timing (a process does that once); the median of ``--repeat``
fresh indexes is reported, with the slowest run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from fhir_client import load_bundle_file
from retrieval import MiniLMEmbedder, RecordRetriever
from retrieval.cards import build_cards

ROOT = Path(__file__).resolve().parent.parent


def _one(path: Path, embedder: MiniLMEmbedder) -> tuple[float, float, float, int, int, float]:
    """(load s, cards s, index s, resources, cards, CPU s) for one fresh index.

    CPU seconds (all threads of this process) say what the work costs; wall seconds also count the time
    the process waited for a core on a shared machine."""
    with tempfile.TemporaryDirectory(prefix="bench-rw-") as tmp:
        c0 = time.process_time()
        t0 = time.perf_counter()
        record = load_bundle_file(path)
        t1 = time.perf_counter()
        retriever = RecordRetriever(Path(tmp), embedder=embedder)
        try:
            report = retriever.index_record(record)
        finally:
            retriever.close()
        t2 = time.perf_counter()
        cpu = time.process_time() - c0
    return t1 - t0, report.cards_seconds, t2 - t1, len(record), report.sync.total, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--synthea", action="store_true", help="also time the 12 Synthea records")
    args = parser.parse_args()
    files = sorted((ROOT / "data" / "realworld").glob("*.json"))
    if args.synthea:
        files += sorted((ROOT / "data" / "synthea").glob("*.json"), key=lambda p: p.stat().st_size)
    embedder = MiniLMEmbedder()
    embedder.embed(["warm up"])
    build_cards(load_bundle_file(files[0]))  # warm the model imports
    print(f"load average at start: {os.getloadavg()[0]:.2f} (2 cores shared)")
    print(
        f"{'record':<44} {'res':>5} {'cards':>5} {'load s':>7} {'index s':>8} {'total s':>8} {'max s':>7} {'cpu s':>6}"
    )
    for path in files:
        runs = [_one(path, embedder) for _ in range(args.repeat)]
        load = statistics.median(r[0] for r in runs)
        index = statistics.median(r[2] for r in runs)
        totals = [r[0] + r[2] for r in runs]
        cpu = statistics.median(r[5] for r in runs)
        print(
            f"{path.name[:44]:<44} {runs[0][3]:>5} {runs[0][4]:>5} {load:7.3f} {index:8.3f} "
            f"{statistics.median(totals):8.3f} {max(totals):7.3f} {cpu:6.3f}"
        )
    print(f"load average at end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
