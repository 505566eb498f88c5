"""The turn contract itself: every message answered, in the patient's language, in the right session."""

from __future__ import annotations

from evals.scorers.base import Score, ScoreContext

__all__ = ["score_contract"]


def score_contract(ctx: ScoreContext) -> Score:
    t = ctx.transcript
    if t.error:
        return Score(scorer="contract", passed=False, detail=f"error: {t.error}")
    turns = t.turns()
    if len(turns) != len(ctx.case.turns):
        return Score(
            scorer="contract", passed=False, detail=f"{len(turns)} of {len(ctx.case.turns)} turns answered"
        )
    wrong = [n for n, turn in enumerate(turns) if turn.language != ctx.case.language]
    if wrong:
        return Score(scorer="contract", passed=False, detail=f"turns {wrong} not in {ctx.case.language}")
    other = [n for n, turn in enumerate(turns) if turn.session_id != t.session_id]
    if other:
        return Score(scorer="contract", passed=False, detail=f"turns {other} answered in another session")
    return Score(scorer="contract", passed=True, detail=f"{len(turns)} turn(s)")
