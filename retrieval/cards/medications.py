"""Medicine cards: prescriptions, medicine-list statements, doses given and dispensings (``MedicineEntry``).

The instructions are quoted exactly as the prescriber wrote them (never reworded: a paraphrased dose is a
safety risk); a medicine known only by a code says so.
"""

from __future__ import annotations

from typing import Any

from retrieval.cards._context import CardContext, code_note, naming
from retrieval.fhir_values import iso
from retrieval.medicines import CURRENT, GIVEN, NOT_TAKEN, ON_HOLD, STOPPED, MedicineEntry, read_medicine
from retrieval.model import Card

# Kept for callers that filter prescriptions by status word.
ACTIVE = {"active", "on-hold", "draft", "intended"}
STATE_WORDS = {
    CURRENT: "current",
    ON_HOLD: "on hold",
    STOPPED: "no longer taken",
    GIVEN: "given",
    NOT_TAKEN: "not taken",
}
KIND_WORDS = {
    "MedicationRequest": "Prescription",
    "MedicationStatement": "Medicine list entry",
    "MedicationAdministration": "Dose given",
    "MedicationDispense": "Dispensed by a pharmacy",
}


def medication_card(res: Any, ctx: CardContext) -> Card:
    entry = read_medicine(res, ctx.record, ctx.concepts)
    if entry is None:  # entered in error: kept searchable, said as such
        ref = f"{res.__resource_type__}/{res.id}"
        return Card(
            id=ref,
            ref=ref,
            kind=res.__resource_type__,
            resource_type=res.__resource_type__,
            title="medicine entry marked entered in error",
            text="A medicine entry marked as entered in error; it is not part of your medicines.",
            refs=(ref,),
            category="error",
            status="entered-in-error",
        )
    return entry_card(entry, ctx)


def entry_card(entry: MedicineEntry, ctx: CardContext) -> Card:
    title, plain, fr, concept = naming(entry.name, entry.codes, ctx)
    state = STATE_WORDS.get(entry.state, "status not stated")
    if entry.resource_type == "MedicationRequest" and entry.state in (CURRENT, STOPPED):
        state = "currently prescribed" if entry.state == CURRENT else "no longer prescribed"
    kind = KIND_WORDS.get(entry.resource_type, "Medicine")
    parts = [f"{kind}: {plain}."]
    if entry.coded_only:
        parts.append(
            "The record gives no name for this medicine, only its code; a pharmacist can say which it is."
        )
    parts.append(f"Status: {entry.status} ({state}).")
    if entry.status_reason:
        parts.append(f"Reason for the status: {entry.status_reason}.")
    if entry.start and entry.end:
        parts.append(f"From {entry.start.iso()} to {entry.end.iso()}.")
    elif entry.start:
        verb = "Given" if entry.state == GIVEN else "Since"
        parts.append(f"{verb} {entry.start.iso()}.")
    elif entry.end:
        parts.append(f"Until {entry.end.iso()}.")
    elif entry.asserted:
        parts.append(f"Dates not recorded; stated on {entry.asserted.iso()}.")
    else:
        parts.append("Dates not recorded.")
    if entry.prescriber:
        parts.append(f"By {entry.prescriber}.")
    parts.append(
        f'Instructions as written: "{entry.dosage}".' if entry.dosage else "No dosage instructions recorded."
    )
    if entry.reasons:
        parts.append(f"Reason: {', '.join(entry.reasons)}.")
    note = code_note(entry.codes)
    if note:
        parts.append(f"({note})")
    when = entry.start or entry.end or entry.asserted
    return Card(
        id=entry.ref,
        ref=entry.ref,
        kind=entry.resource_type,
        resource_type=entry.resource_type,
        title=f"{title} ({'active' if entry.current else entry.status}, {when.iso() if when else iso(None)})",
        text=" ".join(parts),
        refs=entry.refs,
        category="active" if entry.current else ("unknown" if entry.state not in STATE_WORDS else "stopped"),
        codes=entry.codes,
        date=when.day if when else None,
        end=entry.end.day if entry.end else None,
        status=entry.status,
        concept=concept or entry.concept,
        name_fr=fr,
        extra={"semantic": f"medicine {title}", "dosage": entry.dosage, "state": entry.state},
        precision=when.precision if when else "day",
        end_precision=entry.end.precision if entry.end else "day",
    )
