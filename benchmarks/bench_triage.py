"""Triage quality and speed: ``.venv/bin/python -m benchmarks.bench_triage [--quick] [--misses]``.

Scores the labelled message sets in ``evals/datasets/triage`` (the retired regex engine's development set
and its five held-out sets, now regression data for the protocols) three ways (emergency / needs care =
urgent + soon / self-care = self_care + none) and prints, per set and language: emergency sensitivity,
3-way accuracy, exact-level accuracy, the share of self-care messages sent to the emergency number, and
under-triage. Then latency per message over a batch of 10,000 (cycling the sets' messages), without and
with a patient record: the protocol engine alone (the understanding already made, as in a turn, where the
stage's reading is shared by the guard, the router and the triage), and the stage plus the engine.
The safety evals' escalation suite (multi-turn, records) is scored by ``health-assistant eval``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import Any

from assistant.guardrails.triage import ProtocolEngine
from assistant.schemas import level_rank
from assistant.understanding.signals import SignalTable
from assistant.understanding.stage import Understander
from fhir_client import PatientRecord, load_bundle_file

ROOT = Path(__file__).resolve().parent.parent
SETS = ROOT / "evals" / "datasets" / "triage"
SET_LABELS = {
    "messages": "development",
    "heldout": "held-out 1",
    "heldout2": "held-out 2",
    "heldout3": "held-out 3",
    "heldout4": "held-out 4",
    "heldout5": "held-out 5",
}
THREE_WAY = {"emergency": "emergency", "urgent": "care", "soon": "care", "self_care": "self", "none": "self"}


def read_set(name: str) -> list[dict[str, Any]]:
    path = SETS / f"{name}.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


class Triager:
    """The understanding stage and the protocol engine, as a chat turn calls them (no record by default)."""

    def __init__(self) -> None:
        self.stage = Understander.default(signals=SignalTable.load())
        self.engine = ProtocolEngine.load()

    def level(self, message: str, language: str | None = None, **kwargs: Any) -> str:
        today = kwargs.pop("today", TODAY)
        u = self.stage.understand(message, language=language, today=today)  # type: ignore[arg-type]
        return self.engine.assess(u, today=today, **kwargs).level.value


TODAY = date(2026, 12, 1)


def score(engine: Triager, rows: Iterable[dict[str, Any]]) -> dict[str, Any]:
    rows = list(rows)
    got = [engine.level(r["message"], r["lang"]) for r in rows]
    exp = [r["expected"] for r in rows]
    emerg = [g for g, e in zip(got, exp, strict=True) if e == "emergency"]
    selfc = [g for g, e in zip(got, exp, strict=True) if THREE_WAY[e] == "self"]
    misses = [
        {"id": r["id"], "expected": e, "got": g, "message": r["message"]}
        for r, g, e in zip(rows, got, exp, strict=True)
        if THREE_WAY[g] != THREE_WAY[e]
    ]
    under = sum(
        level_rank(g) < level_rank(e) and THREE_WAY[g] != THREE_WAY[e] for g, e in zip(got, exp, strict=True)
    )
    return {
        "n": len(rows),
        "emergencies": len(emerg),
        "sensitivity": sum(g == "emergency" for g in emerg) / len(emerg) if emerg else float("nan"),
        "three_way": sum(THREE_WAY[g] == THREE_WAY[e] for g, e in zip(got, exp, strict=True)) / len(rows),
        "exact": sum(g == e for g, e in zip(got, exp, strict=True)) / len(rows),
        "self_care_to_emergency": sum(g == "emergency" for g in selfc) / len(selfc)
        if selfc
        else float("nan"),
        "under_triage": under / len(rows),
        "misses": misses,
    }


def pct(x: float) -> str:
    return f"{100 * x:.1f} %"


def quality(engine: Triager, show_misses: bool) -> None:
    print(
        "| set | lang | n | emergencies | emergency sensitivity | 3-way accuracy | exact level | self-care → emergency | under-triage (3-way) |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, label in SET_LABELS.items():
        rows = read_set(name)
        by_lang = {lang: score(engine, (r for r in rows if r["lang"] == lang)) for lang in ("en", "fr")}
        both = score(engine, rows)
        for lang, s in [("en", by_lang["en"]), ("fr", by_lang["fr"]), ("both", both)]:
            print(
                f"| {label} | {lang} | {s['n']} | {s['emergencies']} | {pct(s['sensitivity'])} | {pct(s['three_way'])} "
                f"| {pct(s['exact'])} | {pct(s['self_care_to_emergency'])} | {pct(s['under_triage'])} |"
            )
        gap = abs(by_lang["en"]["three_way"] - by_lang["fr"]["three_way"]) * 100
        print(f"<!-- {label}: en/fr 3-way gap {gap:.1f} points -->")
        if show_misses:
            for m in both["misses"]:
                print(f"    miss {m['id']}: expected {m['expected']}, got {m['got']}: {m['message']}")


def _timed(n: int, size: int, run: Callable[[int], object]) -> str:
    for i in range(50):  # warm-up
        run(i % size)
    times = []
    for k in range(n):
        t0 = time.perf_counter()
        run(k % size)
        times.append(time.perf_counter() - t0)
    times.sort()
    q = statistics.quantiles(times, n=100)
    return (
        f"{n} messages, mean {1000 * statistics.fmean(times):.3f} ms, p50 {1000 * q[49]:.3f} ms, "
        f"p95 {1000 * q[94]:.3f} ms, p99 {1000 * q[98]:.3f} ms, max {1000 * times[-1]:.3f} ms"
    )


def latency(triager: Triager, n: int) -> None:
    messages = [r["message"] for name in SET_LABELS for r in read_set(name)]
    josue = load_bundle_file(next((ROOT / "data" / "synthea").glob("Josue_Sipes_*.json")))
    read = [triager.stage.understand(m, today=TODAY) for m in messages]
    engine, stage = triager.engine, triager.stage
    for label, record in (("no record", None), ("with Josue_Sipes record (959 resources)", josue)):
        facts = engine.record_facts(record, TODAY) if record is not None else None

        def engine_only(i: int, record: PatientRecord | None = record, facts: Any = facts) -> object:
            return engine.assess(read[i], record=record, today=TODAY, facts=facts)

        def with_stage(i: int, record: PatientRecord | None = record, facts: Any = facts) -> object:
            u = stage.understand(messages[i], today=TODAY)
            return engine.assess(u, record=record, today=TODAY, facts=facts)

        print(f"latency engine, {label}: {_timed(n, len(messages), engine_only)}")
        print(f"latency stage + engine, {label}: {_timed(n, len(messages), with_stage)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="1,000 messages for latency instead of 10,000")
    parser.add_argument("--misses", action="store_true", help="list every 3-way miss")
    args = parser.parse_args()
    t0 = time.perf_counter()
    triager = Triager()
    load_s = time.perf_counter() - t0
    criteria = sum(len(p.criteria) for p in triager.engine.protocols)
    print(
        f"{len(triager.engine.protocols)} protocols, {criteria} criteria; stage + engine loaded in {load_s:.2f} s"
    )
    quality(triager, args.misses)
    latency(triager, 1_000 if args.quick else 10_000)


if __name__ == "__main__":
    main()
