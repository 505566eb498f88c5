"""AllergyIntolerance cards: substance, reactions with severity, criticality and status."""

from __future__ import annotations

from typing import Any

from retrieval.cards._context import CardContext, code_note, naming
from retrieval.fhir_values import (
    absent_reason_of,
    clean,
    codes_of,
    concept_text,
    first_date,
    iso,
    status_code,
)
from retrieval.model import Card


def allergy_card(res: Any, ctx: CardContext) -> Card:
    ref = f"AllergyIntolerance/{res.id}"
    codes = codes_of(res.code)
    title, plain, fr, concept = naming(
        concept_text(res.code) or "allergy (substance not recorded)", codes, ctx
    )
    status = status_code(getattr(res, "clinicalStatus", None)) or "unknown"
    verification = status_code(getattr(res, "verificationStatus", None))
    found = first_date(getattr(res, "onsetDateTime", None), getattr(res, "recordedDate", None))
    when = found.day if found else None
    kind = str(res.type or "allergy")
    cats = ", ".join(str(c) for c in res.category or [])
    parts = [
        f"Allergy or intolerance: {plain}.",
        f"Status: {status}" + (f", {verification}." if verification else "."),
    ]
    details = [f"type {kind}"]
    if cats:
        details.append(f"category {cats}")
    if res.criticality:
        details.append(f"criticality {res.criticality}")
    parts.append(f"Details: {', '.join(details)}.")
    reactions = []
    for reaction in res.reaction or []:
        signs = ", ".join(concept_text(m) for m in reaction.manifestation or [])
        sev = f" ({reaction.severity})" if reaction.severity else ""
        if signs:
            reactions.append(signs + sev)
        if getattr(reaction, "substance", None) is not None:
            reactions.append(f"substance {concept_text(reaction.substance)}")
    parts.append(f"Reactions: {'; '.join(reactions)}." if reactions else "No reaction recorded.")
    if found is not None:
        parts.append(f"Since {found.iso()}.")
    elif absent_reason_of(res, "onsetDateTime"):
        parts.append(f"Date not known ({absent_reason_of(res, 'onsetDateTime')}).")
    else:
        parts.append(f"Recorded {iso(None)}.")
    note = code_note(codes)
    if note:
        parts.append(f"({note})")
    return Card(
        id=ref,
        ref=ref,
        kind="AllergyIntolerance",
        resource_type="AllergyIntolerance",
        title=f"{title} ({status})",
        text=" ".join(parts),
        refs=(ref,),
        category=cats or kind,
        codes=codes,
        date=when,
        status=status,
        interpretation=clean(res.criticality) or None,
        concept=concept,
        name_fr=fr,
        extra={
            "semantic": f"allergy {title}",
            "criticality": clean(res.criticality) or None,
            "reactions": [r for r in reactions if not r.startswith("substance ")],
        },
        precision=found.precision if found else "day",
    )
