"""Condition cards: a health problem, whether it is still active, since when and until when.

Real records give clinical statuses beyond active/resolved (remission, recurrence, relapse, inactive) or
none at all, dates as a year or a month, and sometimes a paragraph of free text instead of a name: each is
said as written ("status not recorded", "2015", the first sentence of the note).
"""

from __future__ import annotations

from typing import Any

from retrieval.cards._context import CardContext, code_note, naming
from retrieval.fhir_values import (
    codes_of,
    concept_full_text,
    concept_text,
    first_date,
    is_paragraph,
    iso,
    status_code,
)
from retrieval.model import Card

STATUS_WORDS = {
    "active": "active (ongoing)",
    "recurrence": "active (came back)",
    "relapse": "active (came back)",
    "inactive": "inactive",
    "remission": "in remission",
    "resolved": "resolved (over)",
    "unknown": "status not recorded",
}
ONGOING = ("active", "recurrence", "relapse")
CATEGORY_WORDS = {
    "problem-list-item": "problem",
    "encounter-diagnosis": "diagnosis at a visit",
    "health-concern": "health concern",
}


def condition_card(res: Any, ctx: CardContext) -> Card:
    ref = f"Condition/{res.id}"
    codes = codes_of(res.code)
    full = concept_full_text(res.code)
    title, plain, fr, concept = naming(
        concept_text(res.code) or "health problem (name not recorded)", codes, ctx
    )
    status = status_code(res.clinicalStatus) or "unknown"
    onset_period = getattr(res, "onsetPeriod", None)
    onset = first_date(
        getattr(res, "onsetDateTime", None),
        getattr(onset_period, "start", None),
        getattr(res, "onsetString", None),
    )
    recorded = first_date(getattr(res, "recordedDate", None))
    start = onset or recorded
    abatement_period = getattr(res, "abatementPeriod", None)
    abated = first_date(
        getattr(res, "abatementDateTime", None),
        getattr(abatement_period, "start", None),
        getattr(res, "abatementString", None),
    )
    categories = [status_code(c) or concept_text(c) for c in getattr(res, "category", None) or []]
    kind = next((CATEGORY_WORDS[c] for c in categories if c in CATEGORY_WORDS), "problem")
    parts = [f"Health problem: {plain}.", f"Status: {STATUS_WORDS.get(status, status)}."]
    if onset:
        parts.append(f"Started {onset.iso()}.")
    elif recorded:
        parts.append(f"Start date not recorded; recorded {recorded.iso()}.")
    else:
        parts.append("Start date not recorded.")
    if abated:
        parts.append(f"Ended {abated.iso()}.")
    verification = status_code(getattr(res, "verificationStatus", None))
    if verification and verification != "confirmed":
        parts.append(f"Verification: {verification}.")
    if kind != "problem":
        parts.append(f"Kind: {kind}.")
    if is_paragraph(full):
        parts.append(f'Full text as written: "{full}"')
    note = code_note(codes)
    if note:
        parts.append(f"({note})")
    shown = start.iso() if start else iso(None)
    return Card(
        id=ref,
        ref=ref,
        kind="Condition",
        resource_type="Condition",
        title=f"{title} ({status}, since {shown})",
        text=" ".join(parts),
        refs=(ref,),
        category=kind,
        codes=codes,
        date=start.day if start else None,
        end=abated.day if abated else None,
        status=status,
        concept=concept,
        name_fr=fr,
        extra={"semantic": f"health problem {title}", "verification": verification or ""},
        precision=start.precision if start else "day",
        end_precision=abated.precision if abated else "day",
    )
