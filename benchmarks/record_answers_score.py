"""Score a record-question set (blind-set format) through the record answerer alone.

    python -m benchmarks.record_answers_score evals/datasets/blind/record-1 [--out OUT.json] [--today 2025-06-01]

``benchmarks.blind_score record`` runs the whole assistant (guard, triage, router, booking…), so its figure
mixes routing with answering. This runs each case's turns straight through ``RecordAnswers.answer_text``
(the text entry point, follow-ups resolved against the previous answered query) on the record file, and
judges the last answer with the same judge (``evals.blind.judge_record``): the answerer's own figure.
The clock is fixed (``--today``), never the wall clock.
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

from assistant.composer import Intents
from assistant.composer.draft import Draft
from assistant.composer.record_answers import RecordAnswers, RecordContext
from assistant.schemas import Language, SafetyInfo, TriageInfo, TriageLevel, Turn
from assistant.understanding.model import RecordQuery
from evals.blind import RecordCase, Tally, judge_record, load_jsonl
from fhir_client import load_bundle_file
from retrieval import ConceptMap, RecordQueries

ROOT = Path(__file__).resolve().parents[1]


def record_path(stem: str) -> Path:
    found = list((ROOT / "data" / "realworld").glob(f"{stem}*.json"))
    found += list((ROOT / "data" / "synthea").glob(f"{stem}_*.json"))
    if not found:
        raise SystemExit(f"no record file for {stem}")
    return found[0]


def run(folder: Path, today: date) -> dict[str, Any]:
    cases: list[RecordCase] = [c for f in sorted(folder.glob("*.jsonl")) for c in load_jsonl(f, RecordCase)]
    concepts, intents = ConceptMap.load(), Intents.load()
    answerers: dict[str, RecordAnswers] = {}
    groups: dict[str, Tally] = defaultdict(Tally)
    failures = []
    for case in cases:
        if case.patient not in answerers:
            record = load_bundle_file(record_path(case.patient))
            ctx = RecordContext(RecordQueries(record, concepts), concepts, intents, record.patient_id, today)
            answerers[case.patient] = RecordAnswers(ctx)
        answers = answerers[case.patient]
        previous: RecordQuery | None = None
        draft: Draft | None = None
        language: Language = case.lang
        for text in case.turns:
            draft = answers.answer_text(text, language, previous)
            if draft is not None and draft.record_query is not None:
                previous = draft.record_query
        turn = Turn(
            session_id="score",
            text=draft.text if draft else "I'm not sure I understood",
            language=language,
            triage=TriageInfo(level=TriageLevel.NONE, rules=[]),
            citations=draft.citations if draft else [],
            safety=SafetyInfo(flags=[], backend="offline", grounded=True),
        )
        verdict = judge_record(case, turn)
        for key in ("all", case.lang, case.kind):
            groups[key].add(bool(verdict["holds"]))
        if not verdict["holds"]:
            failures.append({"id": case.id, "reasons": verdict["reasons"], "query": str(previous)})
    return {"groups": {k: t.as_dict() for k, t in sorted(groups.items())}, "failures": failures}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("folder", type=Path)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--today", default="2025-06-01", help="the clock the answers read (YYYY-MM-DD)")
    args = parser.parse_args()
    report = run(args.folder, date.fromisoformat(args.today))
    text = json.dumps(report, ensure_ascii=False, indent=1)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    overall = report["groups"]["all"]
    print(f"{overall['k']}/{overall['n']} ({overall['rate']:.1%})")
    for failure in report["failures"]:
        print(f"  {failure['id']}: {'; '.join(failure['reasons'])}")


if __name__ == "__main__":
    main()
