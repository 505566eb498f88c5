"""What a scorer sees and what it says.

Scorers are pure functions ``(ScoreContext) -> Score | None``: ``None`` means the case asks nothing of
that scorer, and ``passed=None`` means it asked but could not be checked in this run (e.g. booking state
without a FHIR server), which the report shows instead of counting it as a pass.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from pydantic import BaseModel, ConfigDict

from evals.cases import Case
from evals.records import PatientIdentity
from evals.transcript import Transcript
from fhir_client import PatientRecord

__all__ = ["Score", "ScoreContext", "Scorer"]


class Score(BaseModel):
    model_config = ConfigDict(extra="forbid")

    scorer: str
    passed: bool | None
    detail: str = ""
    value: float | None = None  # rubric points ratio, judge agreement, ...


@dataclass
class ScoreContext:
    case: Case
    transcript: Transcript
    record: PatientRecord | None = None  # the case's patient, with the record patch applied
    own_refs: frozenset[str] = (
        frozenset()
    )  # the patient's other ids (the sandbox serves it under the file's uuid)
    others: Sequence[PatientIdentity] = ()
    appointments_before: int | None = None  # counted in the FHIR server, when the run has one
    appointments_after: int | None = None
    notes: dict[str, str] = field(default_factory=dict)


Scorer = Callable[[ScoreContext], Score | None]
