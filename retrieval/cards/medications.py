"""MedicationRequest cards: the medicine, whether it is still prescribed, and the instructions exactly as
the prescriber wrote them (never reworded: a paraphrased dose is a safety risk)."""

from __future__ import annotations

from typing import Any

from retrieval.cards._context import CardContext, code_note, naming
from retrieval.fhir_values import as_date, clean, codes_of, concept_text, fmt_number, iso, ref_of
from retrieval.model import Card

ACTIVE = {"active", "on-hold", "draft"}


def medication_name(res: Any, ctx: CardContext) -> tuple[str, Any]:
    concept = getattr(res, "medicationCodeableConcept", None)
    if concept is not None:
        return concept_text(concept), concept
    ref = ref_of(getattr(res, "medicationReference", None))
    med: Any = ctx.record.get(ref) if ref else None
    if med is not None and getattr(med, "code", None) is not None:
        return concept_text(med.code), med.code
    return clean(getattr(getattr(res, "medicationReference", None), "display", None)) or "medicine", None


def dosage_text(res: Any) -> str:
    """The prescriber's own text when there is one; otherwise the structured parts, stated literally."""
    out = []
    for d in getattr(res, "dosageInstruction", None) or []:
        if d.text:
            out.append(clean(d.text))
            continue
        bits = []
        for dr in d.doseAndRate or []:
            q = dr.doseQuantity
            if q is not None and q.value is not None:
                bits.append(f"dose {fmt_number(float(q.value))} {clean(q.unit)}".strip())
        rep = getattr(getattr(d, "timing", None), "repeat", None)
        if rep is not None and rep.frequency and rep.period:
            bits.append(
                f"{rep.frequency} time(s) per {fmt_number(float(rep.period))} {rep.periodUnit or ''}".strip()
            )
        if d.asNeededBoolean:
            bits.append("as needed")
        if bits:
            out.append(", ".join(bits))
    return "; ".join(out)


def medication_card(res: Any, ctx: CardContext) -> Card:
    ref = f"MedicationRequest/{res.id}"
    name, concept_obj = medication_name(res, ctx)
    codes = codes_of(concept_obj)
    title, plain, fr, concept = naming(name, codes, ctx)
    status = str(res.status or "unknown")
    active = status in ACTIVE
    when = as_date(getattr(res, "authoredOn", None))
    parts = [f"Medicine: {plain}."]
    parts.append(f"Status: {status} ({'currently prescribed' if active else 'no longer prescribed'}).")
    parts.append(
        f"Prescribed {iso(when)}" + (f" by {who}." if (who := ctx.person_name(res.requester)) else ".")
    )
    dosage = dosage_text(res)
    parts.append(f'Instructions as written: "{dosage}".' if dosage else "No dosage instructions recorded.")
    reasons = [concept_text(c) for c in getattr(res, "reasonCode", None) or []]
    reasons += [clean(r.display) for r in getattr(res, "reasonReference", None) or [] if r.display]
    if reasons:
        parts.append(f"Reason: {', '.join(reasons)}.")
    note = code_note(codes)
    if note:
        parts.append(f"({note})")
    return Card(
        id=ref,
        ref=ref,
        kind="MedicationRequest",
        resource_type="MedicationRequest",
        title=f"{title} ({'active' if active else status}, {iso(when)})",
        text=" ".join(parts),
        refs=(ref,),
        category="active" if active else "stopped",
        codes=codes,
        date=when,
        status=status,
        concept=concept,
        name_fr=fr,
        extra={"semantic": f"medicine {title}", "dosage": dosage},
    )
