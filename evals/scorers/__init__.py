"""Scorers: pure functions of a case and its transcript (+ the record, + booking state when known)."""

from evals.scorers.base import Score, ScoreContext, Scorer
from evals.scorers.booking import score_booking
from evals.scorers.citations import score_citations
from evals.scorers.content import score_content, score_forbidden
from evals.scorers.contract import score_contract
from evals.scorers.privacy import score_other_patients
from evals.scorers.refusal import score_refusal
from evals.scorers.triage import score_triage

DETERMINISTIC_SCORERS: tuple[Scorer, ...] = (
    score_contract,
    score_triage,
    score_refusal,
    score_citations,
    score_other_patients,
    score_content,
    score_forbidden,
    score_booking,
)

__all__ = [
    "DETERMINISTIC_SCORERS",
    "Score",
    "ScoreContext",
    "Scorer",
    "score_booking",
    "score_citations",
    "score_content",
    "score_contract",
    "score_forbidden",
    "score_other_patients",
    "score_refusal",
    "score_triage",
]
