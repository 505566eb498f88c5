"""Latency of the understanding stage: one message read into an ``Understanding`` (target: p95 < 10 ms).

    .venv/bin/python -m benchmarks.bench_understanding [--repeat 3] [--extra FILE.jsonl ...]

The corpus is what patients write, from the repository: the dev sets (``evals/datasets/blind/
understanding-1`` and ``triage-1``, half of them long narratives), every turn of the project's conversation
suite, and the routing table's own examples; ``--extra`` adds JSON-lines files with a ``message`` or
``question`` field (e.g. ../shared/data/patient-language/meqsum/meqsum.jsonl, long consumer messages).
The stage is built as the assistant builds it (``assistant.assistant.default_understander``), warmed up,
then each message is read ``--repeat`` times; percentiles are over every timed read (wall clock, and the
CPU time of the reading thread, which other processes on a shared machine disturb less). The split by part
(clinical reading, intents, record question) comes from the same calls the stage makes, timed apart.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path

from assistant.assistant import default_understander
from assistant.understanding.model import ConversationContext
from assistant.understanding.text import detect_language

ROOT = Path(__file__).resolve().parent.parent
DEV_SETS = [
    ROOT / "evals" / "datasets" / "blind" / "understanding-1",
    ROOT / "evals" / "datasets" / "blind" / "triage-1",
]
TODAY = date(2026, 11, 23)


def _messages_of(row: dict[str, object]) -> Iterable[str]:
    for key in ("turns",):
        value = row.get(key)
        if isinstance(value, list):
            yield from (str(v) for v in value)
            return
    for key in ("message", "question", "text", "user"):
        value = row.get(key)
        if isinstance(value, str) and value.strip():
            yield value
            return


def corpus(extra: Sequence[Path]) -> list[str]:
    out: list[str] = []
    files = [f for folder in DEV_SETS for f in sorted(folder.glob("*.jsonl"))]
    files += sorted((ROOT / "evals" / "datasets" / "conversations").glob("*.jsonl"))
    files += list(extra)
    for path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                if isinstance(row, dict):
                    out.extend(_messages_of(row))
    from assistant.understanding.intents import RoutingTable

    for entry in RoutingTable.load().entries:
        for lang in ("en", "fr"):
            out.extend(entry.examples.get(lang, ()))
    return [m for m in out if m.strip()]


def _pct(times: Sequence[float], q: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(q * (len(ordered) - 1)))] * 1000


def _row(name: str, times: Sequence[float]) -> str:
    return (
        f"| {name} | {len(times)} | {statistics.median(times) * 1000:.2f} | {_pct(times, 0.95):.2f} | "
        f"{_pct(times, 0.99):.2f} | {max(times) * 1000:.2f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--extra", type=Path, nargs="*", default=[])
    args = parser.parse_args()

    stage = default_understander()
    messages = corpus(args.extra)
    context = ConversationContext()
    for m in messages[:50]:  # warm up (regex caches, medspaCy pipelines)
        stage.understand(m, today=TODAY)

    total: list[float] = []
    cpu: list[float] = []
    by_group: dict[str, list[float]] = defaultdict(list)
    parts: dict[str, list[float]] = defaultdict(list)
    for _ in range(args.repeat):
        for message in messages:
            words = len(message.split())
            lang = detect_language(message)
            c0, t0 = time.thread_time(), time.perf_counter()
            stage.understand(message, context=context, today=TODAY)
            elapsed = time.perf_counter() - t0
            cpu.append(time.thread_time() - c0)
            total.append(elapsed)
            by_group[lang].append(elapsed)
            size = "short (< 20 words)" if words < 20 else "medium (20-60)" if words <= 60 else "long (> 60)"
            by_group[size].append(elapsed)
            # The same work, part by part.
            t1 = time.perf_counter()
            draft = stage.read_clinical(message, context=context, today=TODAY)
            t2 = time.perf_counter()
            intents = stage.intents.read(draft, context) if stage.intents is not None else ()
            t3 = time.perf_counter()
            if stage.signals is not None:
                stage.signals.read(draft, context)
            t4 = time.perf_counter()
            if stage.record_queries is not None:
                stage.record_queries.read(draft, intents, context)
            t5 = time.perf_counter()
            parts["clinical reading (text, clauses, findings, vitals, subjects)"].append(t2 - t1)
            parts["intents (routing table)"].append(t3 - t2)
            if stage.signals is not None:
                parts["signals"].append(t4 - t3)
            parts["record question"].append(t5 - t4)

    print(
        f"{len(messages)} messages x {args.repeat} repeats; stage readers: "
        f"intents={stage.intents is not None}, signals={stage.signals is not None}, "
        f"record_queries={stage.record_queries is not None}"
    )
    print("| messages | n | median ms | p95 ms | p99 ms | max ms |")
    print("|---|---|---|---|---|---|")
    print(_row("all", total))
    print(_row("all, CPU time of the reading thread (less sensitive to other load)", cpu))
    for name in sorted(by_group):
        print(_row(name, by_group[name]))
    print()
    print("| part | n | median ms | p95 ms | p99 ms | max ms |")
    print("|---|---|---|---|---|---|")
    for name, times in parts.items():
        print(_row(name, times))


if __name__ == "__main__":
    main()
