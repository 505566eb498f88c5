"""Condition cards: a health problem, whether it is still active, since when and until when."""

from __future__ import annotations

from typing import Any

from retrieval.cards._context import CardContext, code_note, naming
from retrieval.fhir_values import as_date, codes_of, concept_text, iso, period_dates, status_code
from retrieval.model import Card

STATUS_WORDS = {
    "active": "active (ongoing)",
    "recurrence": "active (came back)",
    "relapse": "active (came back)",
    "inactive": "inactive",
    "remission": "in remission",
    "resolved": "resolved (over)",
}


def condition_card(res: Any, ctx: CardContext) -> Card:
    ref = f"Condition/{res.id}"
    codes = codes_of(res.code)
    title, plain, fr, concept = naming(concept_text(res.code), codes, ctx)
    status = status_code(res.clinicalStatus) or "unknown"
    onset = as_date(getattr(res, "onsetDateTime", None)) or period_dates(getattr(res, "onsetPeriod", None))[0]
    onset = onset or as_date(getattr(res, "recordedDate", None))
    abated = (
        as_date(getattr(res, "abatementDateTime", None))
        or period_dates(getattr(res, "abatementPeriod", None))[0]
    )
    parts = [f"Health problem: {plain}.", f"Status: {STATUS_WORDS.get(status, status)}."]
    parts.append(f"Started {iso(onset)}." if onset else "Start date not recorded.")
    if abated:
        parts.append(f"Ended {iso(abated)}.")
    verification = status_code(getattr(res, "verificationStatus", None))
    if verification and verification != "confirmed":
        parts.append(f"Verification: {verification}.")
    note = code_note(codes)
    if note:
        parts.append(f"({note})")
    return Card(
        id=ref,
        ref=ref,
        kind="Condition",
        resource_type="Condition",
        title=f"{title} ({status}, since {iso(onset)})",
        text=" ".join(parts),
        refs=(ref,),
        category="problem",
        codes=codes,
        date=onset,
        end=abated,
        status=status,
        concept=concept,
        name_fr=fr,
        extra={"semantic": f"health problem {title}"},
    )
