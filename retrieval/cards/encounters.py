"""Encounter cards: a visit's kind, dates, reason, clinician, place, and what was recorded during it.

"What did they do at my visit in March?" is answered by this one card; every item it names carries its
own reference so each can be cited.
"""

from __future__ import annotations

from typing import Any

from retrieval.cards._context import CardContext, code_note, naming
from retrieval.fhir_values import clean, codes_of, concept_text, first_concept, iso, period_dates
from retrieval.medicines import MEDICINE_TYPES, read_medicine
from retrieval.model import Card

CLASS_WORDS = {
    "AMB": "outpatient visit",
    "EMER": "emergency visit",
    "IMP": "hospital stay",
    "ACUTE": "hospital stay",
    "HH": "home visit",
    "VR": "virtual visit",
    "OBSENC": "observation stay",
    "PRENC": "pre-admission visit",
    "SS": "short stay",
    "wellness": "wellness visit",
    "ambulatory": "outpatient visit",
    "emergency": "emergency visit",
    "inpatient": "hospital stay",
    "urgentcare": "urgent care visit",
}
ITEM_WORDS = {
    "Condition": "diagnosis",
    "Procedure": "procedure",
    "Immunization": "vaccine",
    "MedicationRequest": "medicine",
    "DiagnosticReport": "report",
    "CarePlan": "care plan",
    "ImagingStudy": "imaging",
}
MAX_ITEMS = 14


def encounter_card(res: Any, ctx: CardContext) -> Card:
    ref = f"Encounter/{res.id}"
    kind_concept = first_concept(res.type)
    codes = codes_of(kind_concept)
    title, plain, fr, concept = naming(concept_text(kind_concept) or "Visit", codes, ctx)
    start, end = period_dates(res.period)
    cls = getattr(getattr(res, "class_fhir", None), "code", None) or ""
    setting = CLASS_WORDS.get(str(cls), str(cls) or "visit")
    when = iso(start) if not end or end == start else f"{iso(start)} to {iso(end)}"
    parts = [f"Visit ({setting}) on {when}: {plain}."]
    reasons = [concept_text(c) for c in res.reasonCode or []]
    reasons += [clean(r.display) for r in res.reasonReference or [] if r.display]
    if reasons:
        parts.append(f"Reason: {', '.join(reasons)}.")
    people = [ctx.person_name(p.individual) for p in res.participant or [] if p.individual is not None]
    people = [p for p in people if p]
    if people:
        parts.append(f"Seen by {', '.join(people)}.")
    place = ctx.person_name(res.serviceProvider) if res.serviceProvider is not None else ""
    if place:
        parts.append(f"At {place}.")
    items = [i for i in ctx.visit_items.get(ref, []) if ctx.record.is_item(f"{i.get_resource_type()}/{i.id}")]
    named, item_refs = _items(items, ctx)
    if named:
        parts.append(f"Recorded during this visit: {named}.")
    note = code_note(codes)
    if note:
        parts.append(f"({note})")
    return Card(
        id=ref,
        ref=ref,
        kind="Encounter",
        resource_type="Encounter",
        title=f"{title} ({iso(start)})",
        text=" ".join(parts),
        refs=(ref, *item_refs),
        category=setting,
        codes=codes,
        date=start,
        end=end,
        status=str(res.status or "") or None,
        concept=concept,
        name_fr=fr,
        extra={"semantic": f"visit {setting} {title}", "reasons": reasons},
    )


def _items(items: list[Any], ctx: CardContext) -> tuple[str, list[str]]:
    """Names of what the visit produced, non-observations first (they say more about the visit)."""
    ordered = sorted(items, key=lambda r: r.get_resource_type() == "Observation")
    seen: set[str] = set()
    names: list[str] = []
    refs: list[str] = []
    obs_count = 0
    for res in ordered:
        rtype = res.get_resource_type()
        if rtype == "Observation":
            obs_count += 1
        if len(names) >= MAX_ITEMS:
            continue
        label = ""
        if rtype in MEDICINE_TYPES:
            entry = read_medicine(res, ctx.record, ctx.concepts)
            label = entry.name if entry is not None else ""
            concept = None
        elif rtype == "Immunization":
            concept = res.vaccineCode
        elif rtype == "CarePlan":
            concept = first_concept(res.category)
        elif rtype == "ImagingStudy":
            concept = None
        else:
            concept = getattr(res, "code", None)
        if not label:
            label = concept_text(concept) if concept is not None else "imaging study"
        word = ITEM_WORDS.get(rtype, "medicine" if rtype in MEDICINE_TYPES else "")
        text = f"{word} {label}".strip() if word else label
        if text in seen:
            continue
        seen.add(text)
        names.append(text)
        refs.append(f"{rtype}/{res.id}")
    extra = ""
    if obs_count and len(names) >= MAX_ITEMS:
        extra = f" (and more; {obs_count} measurements in total)"
    return "; ".join(names) + extra, refs
