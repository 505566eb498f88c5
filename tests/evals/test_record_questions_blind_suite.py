"""The frozen blind record sets join the record-question suite as their own suite, never averaged in."""

from __future__ import annotations

import json

from evals.suites import BLIND_DIR, load_suites


def test_blind_record_sets_form_their_own_suite() -> None:
    cases = load_suites(["record_questions"])
    blind = [c for c in cases if c.suite == "record_questions_blind"]
    own = [c for c in cases if c.suite == "record_questions"]
    written = [
        json.loads(line)["id"]
        for path in sorted(BLIND_DIR.glob("record-*/cases.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    assert own and blind
    # every blind case comes from a frozen blind file (Synthea rows; real-world rows go to blind_score)
    assert {c.id.removeprefix("record:") for c in blind} <= set(written)
    assert all(c.source.startswith("blind/record-") for c in blind)
    assert not {c.id for c in own} & {c.id for c in blind}
