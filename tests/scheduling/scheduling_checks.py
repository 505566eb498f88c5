"""Checks the scheduling tests share: what the server holds for a slot, and the consistency invariant."""

from __future__ import annotations

from typing import Any

from fhir_client import FhirClient, Search
from fhir_client.scheduling_models import ACTIVE_APPOINTMENT_STATUSES

JOSUE = "7d27f180-98d6-456d-98c0-d91df32cd023"
LIZ = "27c911c6-f045-4ffa-af5d-6eba57ac94b2"


def active_appointments_for_slot(fhir: FhirClient, slot_id: str) -> list[dict[str, Any]]:
    return list(
        fhir.iter(
            Search("Appointment").where(slot=f"Slot/{slot_id}", status=",".join(ACTIVE_APPOINTMENT_STATUSES))
        )
    )


def slot_status(fhir: FhirClient, slot_id: str) -> str:
    return str((fhir.read("Slot", slot_id).resource or {})["status"])


def assert_consistent(fhir: FhirClient, slot_id: str) -> None:
    """The invariant every test ends on: a slot we touched is busy exactly when one active
    appointment holds it."""
    appointments = active_appointments_for_slot(fhir, slot_id)
    assert len(appointments) <= 1, f"Slot/{slot_id} is booked {len(appointments)} times"
    expected = "busy" if appointments else "free"
    assert slot_status(fhir, slot_id) == expected
