"""Immunization cards: which vaccine, when, and whether it was given (or why not)."""

from __future__ import annotations

from typing import Any

from retrieval.cards._context import CardContext, code_note, naming
from retrieval.fhir_values import codes_of, concept_text, first_date, iso
from retrieval.model import Card


def immunization_card(res: Any, ctx: CardContext) -> Card:
    ref = f"Immunization/{res.id}"
    codes = codes_of(res.vaccineCode)
    name = concept_text(res.vaccineCode) or _target_disease(res) or "vaccine"
    title, plain, fr, concept = naming(name, codes, ctx)
    when = first_date(
        getattr(res, "occurrenceDateTime", None),
        getattr(res, "occurrenceString", None),
        getattr(res, "recorded", None),
    )
    status = str(res.status or "unknown")
    shown = when.iso() if when else iso(None)
    if status == "completed":
        parts = [f"Vaccine: {plain}, given on {shown}."]
    elif status == "not-done":
        why = concept_text(getattr(res, "statusReason", None))
        parts = [f"Vaccine: {plain}, NOT given on {shown}" + (f" ({why})." if why else ".")]
    else:
        parts = [f"Vaccine: {plain}, status {status} on {shown}."]
    dose = _dose_number(res)
    if dose:
        parts.append(f"Dose {dose} of the series.")
    target = _target_disease(res)
    if target and target.lower() not in plain.lower():
        parts.append(f"Against: {target}.")
    note = code_note(codes)
    if note:
        parts.append(f"({note})")
    return Card(
        id=ref,
        ref=ref,
        kind="Immunization",
        resource_type="Immunization",
        title=f"{title} ({shown})",
        text=" ".join(parts),
        refs=(ref,),
        category="vaccine" if status == "completed" else f"vaccine {status}",
        codes=codes,
        date=when.day if when else None,
        status=status,
        concept=concept,
        name_fr=fr,
        extra={"semantic": f"vaccine {title}", "target": target},
        precision=when.precision if when else "day",
    )


def _target_disease(res: Any) -> str:
    for applied in getattr(res, "protocolApplied", None) or []:
        for disease in getattr(applied, "targetDisease", None) or []:
            text = concept_text(disease)
            if text:
                return text
    return ""


def _dose_number(res: Any) -> str:
    for applied in getattr(res, "protocolApplied", None) or []:
        number = getattr(applied, "doseNumberPositiveInt", None) or getattr(applied, "doseNumberString", None)
        if number:
            return str(number)
    return ""
