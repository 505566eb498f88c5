"""Triage quality and speed: ``.venv/bin/python -m benchmarks.bench_triage [--quick] [--misses]``.

Scores the labelled message sets in ``evals/datasets/triage`` (development set, five held-out sets) three
ways (emergency / needs care = urgent + soon / self-care = self_care + none) and prints, per set and
language: emergency sensitivity, 3-way accuracy, exact-level accuracy, the share of self-care messages
sent to the emergency number, and under-triage. Then screening latency per message over a batch of
10,000 (cycling the set's messages), without and with a patient record, and the engine's load time.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from assistant.guardrails.triage import TriageEngine
from assistant.schemas import level_rank
from fhir_client import load_bundle_file

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


def score(engine: TriageEngine, rows: Iterable[dict[str, Any]]) -> dict[str, Any]:
    rows = list(rows)
    got = [engine.assess(r["message"], language=r["lang"]).level.value for r in rows]
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


def quality(engine: TriageEngine, show_misses: bool) -> None:
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


ESCALATION = ROOT / "evals" / "datasets" / "escalation"


def independent(engine: TriageEngine, show_misses: bool) -> None:
    """The safety-eval escalation cases (written by another engineer for issue #9): floor and ceiling.

    Every case with a triage expectation, the last turn assessed with the earlier turns as history and the
    named shared patient's record when there is one (records read at today's date, like the eval runner).
    """
    import yaml

    records: dict[str, Any] = {}
    by_file: dict[str, list[bool]] = {}
    for path in sorted(ESCALATION.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        default = (data.get("defaults") or {}).get("expect") or {}
        for case in data.get("cases", []):
            expect = {**default, **(case.get("expect") or {})}
            floor, ceiling = expect.get("triage_at_least"), expect.get("triage_at_most")
            if not (floor or ceiling):
                continue
            record = None
            if case.get("patient"):
                name = case["patient"]
                if name not in records:
                    records[name] = load_bundle_file(next((ROOT / "data" / "synthea").glob(f"{name}_*.json")))
                record = records[name]
            turns = case["turns"]
            level = engine.assess(
                turns[-1],
                history=turns[:-1],
                language=case.get("language"),
                record=record,
                today=date(2026, 11, 23),
            ).level
            ok = (not floor or level_rank(level) >= level_rank(floor)) and (
                not ceiling or level_rank(level) <= level_rank(ceiling)
            )
            by_file.setdefault(path.stem, []).append(ok)
            if show_misses and not ok:
                print(f"    miss {case['id']}: want {floor or ''}..{ceiling or ''}, got {level.value}")
    cells = ", ".join(f"{name} {sum(v)}/{len(v)}" for name, v in by_file.items())
    total = [ok for v in by_file.values() for ok in v]
    print(f"independent escalation cases met: {sum(total)}/{len(total)} ({cells})")


def latency(engine: TriageEngine, n: int) -> None:
    messages = [r["message"] for name in SET_LABELS for r in read_set(name)]
    record = load_bundle_file(next((ROOT / "data" / "synthea").glob("Josue_Sipes_*.json")))
    for label, kwargs in (("no record", {}), ("with Josue_Sipes record (959 resources)", {"record": record})):
        for m in messages[:50]:  # warm-up (record facts are cached per record and day)
            engine.assess(m, today=date(2021, 3, 20), **kwargs)  # type: ignore[arg-type]
        times = []
        for i in range(n):
            t0 = time.perf_counter()
            engine.assess(messages[i % len(messages)], today=date(2021, 3, 20), **kwargs)  # type: ignore[arg-type]
            times.append(time.perf_counter() - t0)
        times.sort()
        q = statistics.quantiles(times, n=100)
        print(
            f"latency {label}: {n} messages, mean {1000 * statistics.fmean(times):.3f} ms, "
            f"p50 {1000 * q[49]:.3f} ms, p95 {1000 * q[94]:.3f} ms, p99 {1000 * q[98]:.3f} ms, "
            f"max {1000 * times[-1]:.3f} ms"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="1,000 messages for latency instead of 10,000")
    parser.add_argument("--misses", action="store_true", help="list every 3-way miss")
    args = parser.parse_args()
    t0 = time.perf_counter()
    engine = TriageEngine.load()
    load_s = time.perf_counter() - t0
    print(
        f"engine: {len(engine.rules)} rules, {len(engine.modifiers)} record modifiers, loaded in {load_s:.2f} s"
    )
    quality(engine, args.misses)
    independent(engine, args.misses)
    latency(engine, 1_000 if args.quick else 10_000)


if __name__ == "__main__":
    main()
