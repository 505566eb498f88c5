"""Immunization cards: which vaccine, when, and whether it was given."""

from __future__ import annotations

from typing import Any

from retrieval.cards._context import CardContext, code_note, naming
from retrieval.fhir_values import as_date, codes_of, concept_text, iso
from retrieval.model import Card


def immunization_card(res: Any, ctx: CardContext) -> Card:
    ref = f"Immunization/{res.id}"
    codes = codes_of(res.vaccineCode)
    title, plain, fr, concept = naming(concept_text(res.vaccineCode), codes, ctx)
    when = as_date(getattr(res, "occurrenceDateTime", None)) or as_date(getattr(res, "recorded", None))
    status = str(res.status or "unknown")
    verb = "given" if status == "completed" else f"status {status}"
    parts = [f"Vaccine: {plain}, {verb} on {iso(when)}."]
    note = code_note(codes)
    if note:
        parts.append(f"({note})")
    return Card(
        id=ref,
        ref=ref,
        kind="Immunization",
        resource_type="Immunization",
        title=f"{title} ({iso(when)})",
        text=" ".join(parts),
        refs=(ref,),
        category="vaccine",
        codes=codes,
        date=when,
        status=status,
        concept=concept,
        name_fr=fr,
        extra={"semantic": f"vaccine {title}"},
    )
