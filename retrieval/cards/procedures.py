"""Procedure cards: what was done, when, and why."""

from __future__ import annotations

from typing import Any

from retrieval.cards._context import CardContext, code_note, naming
from retrieval.fhir_values import as_date, clean, codes_of, concept_text, iso, period_dates
from retrieval.model import Card


def procedure_card(res: Any, ctx: CardContext) -> Card:
    ref = f"Procedure/{res.id}"
    codes = codes_of(res.code)
    title, plain, fr, concept = naming(concept_text(res.code), codes, ctx)
    start, end = period_dates(getattr(res, "performedPeriod", None))
    start = as_date(getattr(res, "performedDateTime", None)) or start
    status = str(res.status or "unknown")
    parts = [f"Procedure: {plain}, on {iso(start)} ({status})."]
    reasons = [concept_text(c) for c in res.reasonCode or []]
    reasons += [clean(r.display) for r in res.reasonReference or [] if r.display]
    if reasons:
        parts.append(f"Reason: {', '.join(reasons)}.")
    note = code_note(codes)
    if note:
        parts.append(f"({note})")
    return Card(
        id=ref,
        ref=ref,
        kind="Procedure",
        resource_type="Procedure",
        title=f"{title} ({iso(start)})",
        text=" ".join(parts),
        refs=(ref,),
        category="procedure",
        codes=codes,
        date=start,
        end=end,
        status=status,
        concept=concept,
        name_fr=fr,
        extra={"semantic": f"procedure {title}"},
    )
