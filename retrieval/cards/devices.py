"""Device cards: implanted or used medical devices (pacemaker, defibrillator, pump), from ``Device`` and
``DeviceUseStatement``. Placeholders left in device fields ("<INSERT MANUFACTURER NAME HERE>") are not
shown; the software that generated a document is not the patient's device and gets no card."""

from __future__ import annotations

from typing import Any

from fhir_client.placeholders import is_placeholder
from retrieval.cards._context import CardContext, code_note, naming
from retrieval.fhir_values import clean, codes_of, concept_text, first_date, iso, ref_of
from retrieval.model import Card


def device_name(res: Any) -> str:
    for name in getattr(res, "deviceName", None) or []:
        text = clean(getattr(name, "name", None))
        if text and not is_placeholder(text):
            return text
    return concept_text(getattr(res, "type", None))


def is_patient_device(res: Any) -> bool:
    """A device of the patient (it names them), not the software or machine that wrote the record."""
    return ref_of(getattr(res, "patient", None)) is not None


def device_card(res: Any, ctx: CardContext) -> Card:
    ref = f"Device/{res.id}"
    codes = codes_of(getattr(res, "type", None))
    title, plain, fr, concept = naming(device_name(res) or "medical device", codes, ctx)
    status = str(getattr(res, "status", None) or "unknown")
    parts = [f"Medical device: {plain} (status {status})."]
    maker = clean(getattr(res, "manufacturer", None))
    if maker and not is_placeholder(maker):
        parts.append(f"Made by {maker}.")
    use = _use_statement(res, ctx)
    when = None
    if use is not None:
        when = first_date(getattr(use, "timingDateTime", None), getattr(use, "recordedOn", None))
        parts.append(f"In use: {use.status}.")
    note = code_note(codes)
    if note:
        parts.append(f"({note})")
    refs = (ref, f"DeviceUseStatement/{use.id}") if use is not None else (ref,)
    return Card(
        id=ref,
        ref=ref,
        kind="Device",
        resource_type="Device",
        title=f"{title} ({status})",
        text=" ".join(parts),
        refs=refs,
        category="device",
        codes=codes,
        date=when.day if when else None,
        status=status,
        concept=concept,
        name_fr=fr,
        extra={"semantic": f"medical device {title}"},
        precision=when.precision if when else "day",
    )


def _use_statement(device: Any, ctx: CardContext) -> Any:
    own = f"Device/{device.id}"
    for use in ctx.record.of_type("DeviceUseStatement"):
        if ref_of(getattr(use, "device", None)) == own:
            return use
    return None


def document_card(res: Any, ctx: CardContext) -> Card:
    """A document the record points to: its kind and date; its content is not read (and the card says so)."""
    ref = f"DocumentReference/{res.id}"
    codes = codes_of(getattr(res, "type", None))
    title, plain, fr, concept = naming(concept_text(getattr(res, "type", None)) or "document", codes, ctx)
    when = first_date(getattr(res, "date", None))
    formats = [
        clean(getattr(getattr(c, "attachment", None), "contentType", None))
        for c in getattr(res, "content", None) or []
    ]
    parts = [f"Document: {plain}, {when.iso() if when else iso(None)}."]
    if formats:
        parts.append(
            f"Attached as {', '.join(f for f in formats if f) or 'a file'}; its content is not read here."
        )
    return Card(
        id=ref,
        ref=ref,
        kind="DocumentReference",
        resource_type="DocumentReference",
        title=f"{title} ({when.iso() if when else iso(None)})",
        text=" ".join(parts),
        refs=(ref,),
        category="document",
        codes=codes,
        date=when.day if when else None,
        status=str(getattr(res, "status", None) or "") or None,
        concept=concept,
        name_fr=fr,
        extra={"semantic": f"document {title}"},
        precision=when.precision if when else "day",
    )
