"""Score a blind set once, through the public interfaces (see ``evals/blind.py`` and BLIND-EVALUATION.md).

    python -m benchmarks.blind_score understanding evals/datasets/blind/understanding-1 --out OUT.json
    python -m benchmarks.blind_score triage evals/datasets/blind/triage-1 --out OUT.json
    python -m benchmarks.blind_score record evals/datasets/blind/record-1 --out OUT.json

Conversations run in process against the demo clinic (a sandbox started here, booking on, fixed
``--today``), each case in a fresh session on its patient's record read from the clinic's FHIR server; the
triage set goes through ``health-assistant triage --batch`` (JSON lines in and out), the interface every
version of the engine has. The output JSON holds the figures and every failure with its reasons; the
transcripts go next to it (``*.turns.json``) so a failure can be read, not only counted.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from evals.blind import (
    RecordCase,
    TriageCase,
    TriageOutcome,
    UnderstandingCase,
    load_jsonl,
    run_conversations,
    score_record_turns,
    score_triage,
    score_understanding_turns,
    turns_as_json,
)

ROOT = Path(__file__).resolve().parents[1]
SYNTHEA = ROOT / "data" / "synthea"
REALWORLD_DIRS = [ROOT / "data" / "realworld", ROOT.parent / "shared" / "data" / "realworld"]
_UUID = re.compile(r"_([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.json$")


def _synthea_file(stem: str) -> Path:
    for path in SYNTHEA.glob(f"{stem}_*.json"):
        return path
    raise SystemExit(f"no Synthea file for {stem}")


def _record_source(stem: str, fhir: bool) -> str:
    for directory in REALWORLD_DIRS:
        for suffix in (".json", ".fhir.json"):
            candidate = directory / f"{stem}{suffix}"
            if candidate.exists():
                return str(candidate)
        matches = list(directory.glob(f"{stem}*.json")) if directory.is_dir() else []
        if matches:
            return str(matches[0])
    path = _synthea_file(stem)
    if fhir:
        m = _UUID.search(path.name)
        assert m is not None
        return f"fhir:{m.group(1)}"
    return str(path)


def _conversations(kind: str, folder: Path, out: Path, today: str, limit: int | None) -> dict[str, Any]:
    from health_assistant.factory import build_assistant, close_quietly
    from health_assistant.settings import Settings
    from sandbox.launcher import Sandbox

    model = UnderstandingCase if kind == "understanding" else RecordCase
    cases = [c for f in sorted(folder.glob("*.jsonl")) for c in load_jsonl(f, model)]
    if limit:
        cases = cases[:limit]
    with tempfile.TemporaryDirectory(prefix="blind-") as tmp, Sandbox(port=0, today=today) as clinic:
        settings = Settings(data_dir=Path(tmp), fhir_url=clinic.base_url)
        assistants: dict[str, Any] = {}

        def open_session(case: Any) -> tuple[Any, str]:
            src = _record_source(case.patient or "Lupe_Little", fhir=True)
            if src not in assistants:
                assistants[src] = build_assistant(src, settings)
            assistant = assistants[src]
            return assistant, assistant.new_session(language=case.lang)

        started = time.perf_counter()
        outcomes = run_conversations(
            cases, open_session, progress=lambda n: print(f"\r{n}/{len(cases)}", end="", file=sys.stderr)
        )
        print(file=sys.stderr)
        for a in assistants.values():
            close_quietly(a)
    report = score_understanding_turns(outcomes) if kind == "understanding" else score_record_turns(outcomes)
    report["seconds"] = round(time.perf_counter() - started, 1)
    out.with_suffix(".turns.json").write_text(
        json.dumps(turns_as_json(outcomes), ensure_ascii=False, indent=1), encoding="utf-8"
    )
    return report


def _triage(folder: Path, out: Path) -> dict[str, Any]:
    cases: list[TriageCase] = [c for f in sorted(folder.glob("*.jsonl")) for c in load_jsonl(f, TriageCase)]
    lines = "".join(
        json.dumps({"id": c.id, "message": c.message, "lang": c.lang}, ensure_ascii=False) + "\n"
        for c in cases
    )
    cmd = [sys.executable, "-c", "from health_assistant.cli import main; main()", "triage", "--batch"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    t0 = time.perf_counter()
    done = subprocess.run(
        cmd, input=lines, capture_output=True, text=True, cwd=ROOT, env=env, check=False, timeout=1800
    )
    total = time.perf_counter() - t0
    if done.returncode != 0:
        raise SystemExit(f"triage --batch failed ({done.returncode}): {done.stderr[-2000:]}")
    got = {row["id"]: row for row in (json.loads(line) for line in done.stdout.splitlines() if line.strip())}
    from assistant.schemas import TriageLevel

    outcomes = [
        TriageOutcome(
            c,
            TriageLevel(got[c.id]["level"]),
            float(got[c.id].get("ms", 0)) / 1000,
            list(got[c.id].get("rules", [])),
        )
        for c in cases
    ]
    report = score_triage(outcomes)
    report["batch_seconds"] = round(total, 2)
    report["failures"] = [
        {"id": o.case.id, "expected": o.case.expected, "got": o.level.value, "rules": o.rules}
        for o in outcomes
        if not _ok(o)
    ]
    return report


def _ok(o: TriageOutcome) -> bool:
    from assistant.schemas import level_rank

    low, high = o.case.levels
    return level_rank(low) <= level_rank(o.level) <= level_rank(high)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("kind", choices=["understanding", "triage", "record"])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument(
        "--today", default="2026-12-07", help="the demo clinic's today (slots are seeded after it)"
    )
    parser.add_argument("--limit", type=int)
    parser.add_argument("--label", default="", help="what was scored, e.g. 'baseline 6685ea8'")
    args = parser.parse_args()
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT, check=False
    ).stdout.strip()
    if args.kind == "triage":
        report = _triage(args.folder, args.out)
    else:
        report = _conversations(args.kind, args.folder, args.out, args.today, args.limit)
    report["meta"] = {
        "set": str(args.folder),
        "commit": commit,
        "label": args.label,
        "date": time.strftime("%Y-%m-%d"),
        "machine": f"{os.cpu_count()} cores",
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    summary = {k: v for k, v in report.items() if k not in ("failures",)}
    print(json.dumps(summary.get("all") or summary.get("groups", {}).get("all"), indent=1))


if __name__ == "__main__":
    main()
