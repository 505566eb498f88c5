"""Reading and building the FHIR resources scheduling touches: Slot, Schedule, Appointment.

Pure functions over resource JSON, so the booking logic in ``scheduling.py`` reads as steps and the
mapping rules (which participant is the practitioner, what text names the service) are tested once.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import Any

from fhir_client.scheduling_models import (
    BOOKING_IDENTIFIER_SYSTEM,
    HOLD_TAG_SYSTEM,
    AppointmentInfo,
    FreeSlot,
)

_ID_RE = re.compile(r"^[A-Za-z0-9\-.]{1,64}$")
_KEY_RE = re.compile(r"^[A-Za-z0-9\-._:]{8,128}$")


def bare_id(value: str, resource_type: str) -> str:
    """``"Slot/x"`` or ``"x"`` → ``"x"``; anything else (another type, a URL, bad characters) is refused."""
    text = str(value).strip()
    if "/" in text:
        rtype, _, rid = text.partition("/")
        if rtype != resource_type:
            raise ValueError(f"expected a {resource_type} reference or id, got {value!r}")
        text = rid
    if not _ID_RE.match(text):
        raise ValueError(f"{value!r} is not a valid {resource_type} id")
    return text


def check_key(key: str) -> str:
    """Idempotency keys go into identifiers and tags: 8-128 URL-safe characters."""
    if not isinstance(key, str) or not _KEY_RE.match(key):
        raise ValueError(
            f"idempotency_key must be 8-128 characters of letters, digits, '-', '.', '_' or ':' (got {key!r})"
        )
    return key


def parse_instant(text: Any) -> dt.datetime | None:
    if not isinstance(text, str) or not text:
        return None
    try:
        value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def concept_text(concepts: Any) -> str | None:
    """The first readable name of a CodeableConcept (or list of them): text, then a coding display."""
    items = concepts if isinstance(concepts, list) else [concepts]
    for cc in items:
        if not isinstance(cc, Mapping):
            continue
        if isinstance(cc.get("text"), str) and cc["text"]:
            return str(cc["text"])
        for coding in cc.get("coding") or []:
            if isinstance(coding, Mapping) and isinstance(coding.get("display"), str):
                return str(coding["display"])
    return None


def concept_code(concepts: Any) -> str | None:
    items = concepts if isinstance(concepts, list) else [concepts]
    for cc in items:
        if isinstance(cc, Mapping):
            for coding in cc.get("coding") or []:
                if isinstance(coding, Mapping) and isinstance(coding.get("code"), str):
                    return str(coding["code"])
    return None


def concept_tokens(concepts: Any) -> list[str]:
    """Every coding as a ``system|code`` search token."""
    out: list[str] = []
    items = concepts if isinstance(concepts, list) else [concepts]
    for cc in items:
        if not isinstance(cc, Mapping):
            continue
        for coding in cc.get("coding") or []:
            if isinstance(coding, Mapping) and isinstance(coding.get("code"), str):
                system = coding.get("system")
                out.append(f"{system}|{coding['code']}" if isinstance(system, str) else coding["code"])
    return out


def ref_of(value: Any) -> str | None:
    if isinstance(value, Mapping) and isinstance(value.get("reference"), str):
        return str(value["reference"])
    return None


def actor(actors: Sequence[Any], resource_type: str) -> tuple[str | None, str | None]:
    """(reference, display) of the first actor of a type among Schedule.actor / participant actors."""
    for item in actors:
        if not isinstance(item, Mapping):
            continue
        ref = ref_of(item)
        if ref and ref.startswith(f"{resource_type}/"):
            display = item.get("display")
            return ref, display if isinstance(display, str) else None
    return None, None


def person_name(resource: Mapping[str, Any]) -> str | None:
    """ "Dr Claire Martin" from a Practitioner's first name; a Location's or service's ``name``."""
    if isinstance(resource.get("name"), str):
        return str(resource["name"])
    for name in resource.get("name") or []:
        if not isinstance(name, Mapping):
            continue
        if isinstance(name.get("text"), str):
            return str(name["text"])
        parts = [*(name.get("prefix") or []), *(name.get("given") or []), name.get("family") or ""]
        text = " ".join(str(p) for p in parts if p)
        if text:
            return text
    return None


def hold_key(slot: Mapping[str, Any]) -> str | None:
    """The idempotency key of the booking holding this slot, if one of ours does."""
    meta = slot.get("meta")
    for tag in (meta.get("tag") if isinstance(meta, Mapping) else None) or []:
        if isinstance(tag, Mapping) and tag.get("system") == HOLD_TAG_SYSTEM and tag.get("code"):
            return str(tag["code"])
    return None


def with_status(slot: Mapping[str, Any], status: str, hold: str | None) -> dict[str, Any]:
    """A copy of the slot with a new status and our hold tag set (``hold``) or removed (None)."""
    copy = {k: v for k, v in slot.items() if k != "meta"}
    meta = slot.get("meta")
    tags = [
        t
        for t in ((meta.get("tag") if isinstance(meta, Mapping) else None) or [])
        if not (isinstance(t, Mapping) and t.get("system") == HOLD_TAG_SYSTEM)
    ]
    if hold is not None:
        tags.append({"system": HOLD_TAG_SYSTEM, "code": hold, "display": "held by a booking in progress"})
    copy["status"] = status
    if tags:
        copy["meta"] = {"tag": tags}
    return copy


def free_slot(
    slot: Mapping[str, Any],
    schedule: Mapping[str, Any] | None,
    displays: Mapping[str, str],
) -> FreeSlot | None:
    """A ``FreeSlot`` from a Slot and its Schedule; None when the slot lacks an id or a start."""
    start = parse_instant(slot.get("start"))
    if not isinstance(slot.get("id"), str) or start is None:
        return None
    actors = (schedule or {}).get("actor") or []
    prac_ref, prac_display = actor(actors, "Practitioner")
    if prac_ref is None:
        prac_ref, prac_display = actor(actors, "PractitionerRole")
    loc_ref, loc_display = actor(actors, "Location")
    service = (
        concept_text(slot.get("serviceType"))
        or concept_text((schedule or {}).get("serviceType"))
        or concept_text(slot.get("specialty"))
        or "Appointment"
    )
    return FreeSlot(
        id=str(slot["id"]),
        start=start,
        end=parse_instant(slot.get("end")),
        start_text=str(slot["start"]),
        end_text=slot.get("end") if isinstance(slot.get("end"), str) else None,
        service=service,
        service_code=concept_code(slot.get("serviceType"))
        or concept_code((schedule or {}).get("serviceType")),
        specialty_code=concept_code(slot.get("specialty")) or concept_code((schedule or {}).get("specialty")),
        practitioner=prac_display or (displays.get(prac_ref) if prac_ref else None),
        practitioner_ref=prac_ref,
        location=loc_display or (displays.get(loc_ref) if loc_ref else None),
        location_ref=loc_ref,
        schedule_ref=ref_of(slot.get("schedule")),
        service_token=next(iter(concept_tokens(slot.get("serviceType"))), None),
    )


def slot_from_proposal(appointment: Mapping[str, Any]) -> FreeSlot | None:
    """A ``FreeSlot`` from an Argonaut ``$find`` proposed Appointment (one slot each)."""
    slots = [ref_of(s) for s in appointment.get("slot") or []]
    slot_ref = next((s for s in slots if s and s.startswith("Slot/")), None)
    start = parse_instant(appointment.get("start"))
    if slot_ref is None or start is None:
        return None
    actors = [p.get("actor") for p in appointment.get("participant") or [] if isinstance(p, Mapping)]
    prac_ref, prac_display = actor(actors, "Practitioner")
    loc_ref, loc_display = actor(actors, "Location")
    return FreeSlot(
        id=slot_ref.split("/", 1)[1],
        start=start,
        end=parse_instant(appointment.get("end")),
        start_text=str(appointment["start"]),
        end_text=appointment.get("end") if isinstance(appointment.get("end"), str) else None,
        service=concept_text(appointment.get("serviceType"))
        or concept_text(appointment.get("specialty"))
        or "Appointment",
        service_code=concept_code(appointment.get("serviceType")),
        specialty_code=concept_code(appointment.get("specialty")),
        practitioner=prac_display,
        practitioner_ref=prac_ref,
        location=loc_display,
        location_ref=loc_ref,
        service_token=next(iter(concept_tokens(appointment.get("serviceType"))), None),
    )


def new_appointment(
    slot: Mapping[str, Any],
    schedule: Mapping[str, Any] | None,
    patient_id: str,
    key: str,
    *,
    status: str,
    displays: Mapping[str, str],
    created: dt.datetime,
) -> dict[str, Any]:
    """The Appointment a booking creates: the slot's times and service, the patient and the
    schedule's practitioner and location as participants, and our identifier (the idempotency key)."""
    participants: list[dict[str, Any]] = [
        {"actor": {"reference": f"Patient/{patient_id}"}, "required": "required", "status": "accepted"}
    ]
    actors = (schedule or {}).get("actor") or []
    for rtype in ("Practitioner", "Location"):
        ref, display = actor(actors, rtype)
        if ref:
            who: dict[str, Any] = {"reference": ref}
            if display or displays.get(ref):
                who["display"] = display or displays[ref]
            participants.append({"actor": who, "required": "required", "status": "accepted"})
    appointment: dict[str, Any] = {
        "resourceType": "Appointment",
        "identifier": [{"system": BOOKING_IDENTIFIER_SYSTEM, "value": key}],
        "status": status,
        "start": slot["start"],
        "slot": [{"reference": f"Slot/{slot['id']}"}],
        "created": created.astimezone(dt.UTC).isoformat().replace("+00:00", "Z"),
        "participant": participants,
        "comment": "Booked by the patient through the health assistant",
    }
    if slot.get("end"):
        appointment["end"] = slot["end"]
    for name in ("serviceType", "specialty", "appointmentType"):
        if slot.get(name):
            appointment[name] = slot[name]
    return appointment


def appointment_info(resource: Mapping[str, Any], version_id: str | None = None) -> AppointmentInfo:
    actors = [p.get("actor") for p in resource.get("participant") or [] if isinstance(p, Mapping)]
    prac_ref, prac_display = actor(actors, "Practitioner")
    loc_ref, loc_display = actor(actors, "Location")
    slots = tuple(
        ref.split("/", 1)[1]
        for ref in (ref_of(s) for s in resource.get("slot") or [])
        if ref and ref.startswith("Slot/")
    )
    meta = resource.get("meta")
    version = version_id or (meta.get("versionId") if isinstance(meta, Mapping) else None)
    return AppointmentInfo(
        id=str(resource.get("id")),
        status=str(resource.get("status") or "unknown"),
        start=parse_instant(resource.get("start")),
        end=parse_instant(resource.get("end")),
        start_text=resource.get("start") if isinstance(resource.get("start"), str) else None,
        end_text=resource.get("end") if isinstance(resource.get("end"), str) else None,
        service=concept_text(resource.get("serviceType"))
        or concept_text(resource.get("specialty"))
        or concept_text(resource.get("appointmentType"))
        or "Appointment",
        practitioner=prac_display,
        practitioner_ref=prac_ref,
        location=loc_display,
        location_ref=loc_ref,
        slot_ids=slots,
        service_code=concept_code(resource.get("serviceType")),
        specialty_code=concept_code(resource.get("specialty")),
        version_id=str(version) if version else None,
        service_token=next(iter(concept_tokens(resource.get("serviceType"))), None),
    )


def is_patients(resource: Mapping[str, Any], patient_id: str) -> bool:
    """True when the patient is a participant (the only test of ownership an Appointment offers)."""
    wanted = f"Patient/{patient_id}"
    for participant in resource.get("participant") or []:
        if isinstance(participant, Mapping) and ref_of(participant.get("actor")) == wanted:
            return True
    return False


def booking_key(resource: Mapping[str, Any]) -> str | None:
    for ident in resource.get("identifier") or []:
        if isinstance(ident, Mapping) and ident.get("system") == BOOKING_IDENTIFIER_SYSTEM:
            value = ident.get("value")
            return str(value) if value else None
    return None
