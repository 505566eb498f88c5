"""Procedure cards: what was done, when, why — or that it was not done."""

from __future__ import annotations

from typing import Any

from retrieval.cards._context import CardContext, code_note, naming
from retrieval.fhir_values import clean, codes_of, concept_text, first_date, iso
from retrieval.model import Card


def procedure_card(res: Any, ctx: CardContext) -> Card:
    ref = f"Procedure/{res.id}"
    codes = codes_of(res.code)
    title, plain, fr, concept = naming(concept_text(res.code) or "procedure (name not recorded)", codes, ctx)
    period = getattr(res, "performedPeriod", None)
    start = first_date(
        getattr(res, "performedDateTime", None),
        getattr(period, "start", None),
        getattr(res, "performedString", None),
    )
    end = first_date(getattr(period, "end", None)) if period is not None else None
    status = str(res.status or "unknown")
    shown = start.iso() if start else iso(None)
    if status == "not-done":
        why = concept_text(getattr(res, "statusReason", None))
        parts = [f"Procedure: {plain}, NOT done ({shown})" + (f": {why}." if why else ".")]
    else:
        parts = [f"Procedure: {plain}, on {shown} ({status})."]
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
        title=f"{title} ({shown})",
        text=" ".join(parts),
        refs=(ref,),
        category="procedure" if status != "not-done" else "procedure not-done",
        codes=codes,
        date=start.day if start else None,
        end=end.day if end else None,
        status=status,
        concept=concept,
        name_fr=fr,
        extra={"semantic": f"procedure {title}"},
        precision=start.precision if start else "day",
        end_precision=end.precision if end else "day",
    )
