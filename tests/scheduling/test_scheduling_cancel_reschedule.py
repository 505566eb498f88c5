"""Cancel and reschedule keep the schedule consistent and only ever touch the patient's own
appointments, on both booking paths."""

from __future__ import annotations

import uuid

import pytest
from scheduling_checks import JOSUE, LIZ, active_appointments_for_slot, assert_consistent, slot_status

from fhir_client import FhirClient
from fhir_client.scheduling import (
    AppointmentNotFound,
    BookingFailed,
    SchedulingClient,
    SlotQuery,
)
from sandbox import Sandbox
from tests.clocks import frozen

pytestmark = pytest.mark.integration


def _key() -> str:
    return str(uuid.uuid4())


def test_cancel_frees_the_slot_and_drops_it_from_upcoming(
    scheduling: SchedulingClient, fhir: FhirClient
) -> None:
    slot = scheduling.find_slots(SlotQuery(service="hs-general-practice", limit=1))[0]
    booked = scheduling.book(slot.id, JOSUE, idempotency_key=_key())
    assert [a.id for a in scheduling.upcoming(JOSUE)] == [booked.appointment_id]

    cancelled = scheduling.cancel(booked.appointment_id, JOSUE)
    assert cancelled.status == "cancelled"
    assert (fhir.read("Appointment", booked.appointment_id).resource or {})["status"] == "cancelled"
    assert slot_status(fhir, slot.id) == "free"
    assert scheduling.upcoming(JOSUE) == []
    # Cancelling again changes nothing and still reports the cancelled appointment.
    assert scheduling.cancel(booked.appointment_id, JOSUE).status == "cancelled"
    # The freed slot can be booked again.
    again = scheduling.book(slot.id, LIZ, idempotency_key=_key())
    assert again.created
    assert_consistent(fhir, slot.id)


def test_another_patients_appointment_cannot_be_seen_cancelled_or_moved(
    scheduling: SchedulingClient, fhir: FhirClient
) -> None:
    first, second = scheduling.find_slots(SlotQuery(service="hs-cardiology", limit=2))
    theirs = scheduling.book(first.id, LIZ, idempotency_key=_key())
    with pytest.raises(AppointmentNotFound, match="no appointment"):
        scheduling.cancel(theirs.appointment_id, JOSUE)
    with pytest.raises(AppointmentNotFound):
        scheduling.reschedule(theirs.appointment_id, second.id, JOSUE, idempotency_key=_key())
    with pytest.raises(AppointmentNotFound):
        scheduling.appointment(theirs.appointment_id, JOSUE)
    assert scheduling.upcoming(JOSUE) == []
    assert (fhir.read("Appointment", theirs.appointment_id).resource or {})["status"] == "booked"
    assert slot_status(fhir, first.id) == "busy"
    assert slot_status(fhir, second.id) == "free"
    assert active_appointments_for_slot(fhir, second.id) == []


def test_reschedule_books_the_new_slot_then_cancels_the_old(
    scheduling: SchedulingClient, fhir: FhirClient
) -> None:
    old_slot, new_slot = scheduling.find_slots(SlotQuery(service="hs-diabetes", limit=2))
    old = scheduling.book(old_slot.id, JOSUE, idempotency_key=_key())
    moved = scheduling.reschedule(old.appointment_id, new_slot.id, JOSUE, idempotency_key=_key())
    assert moved.previous_cancelled
    assert moved.previous.id == old.appointment_id and moved.previous.status == "cancelled"
    assert moved.booking.appointment.start == new_slot.start
    assert [a.id for a in scheduling.upcoming(JOSUE)] == [moved.booking.appointment_id]
    assert_consistent(fhir, old_slot.id)
    assert_consistent(fhir, new_slot.id)
    assert slot_status(fhir, old_slot.id) == "free"


def test_reschedule_into_a_taken_slot_keeps_the_old_appointment(
    scheduling: SchedulingClient, fhir: FhirClient, fresh_clinic: Sandbox
) -> None:
    old_slot, wanted = scheduling.find_slots(SlotQuery(service="hs-diabetes", limit=2))
    old = scheduling.book(old_slot.id, JOSUE, idempotency_key=_key())
    fresh_clinic.take_slot(wanted.id)
    with pytest.raises(BookingFailed) as failed:
        scheduling.reschedule(old.appointment_id, wanted.id, JOSUE, idempotency_key=_key())
    assert failed.value.reason == "slot_taken" and failed.value.alternatives
    assert [a.id for a in scheduling.upcoming(JOSUE)] == [old.appointment_id]
    assert_consistent(fhir, old_slot.id)


def test_reschedule_when_the_cancel_fails_leaves_two_never_none(fresh_clinic: Sandbox) -> None:
    with FhirClient(fresh_clinic.base_url) as fhir:
        scheduling = SchedulingClient(fhir, clock=frozen)
        old_slot, new_slot = scheduling.find_slots(SlotQuery(service="hs-nurse", limit=2))
        old = scheduling.book(old_slot.id, JOSUE, idempotency_key=_key())
        fresh_clinic.add_fault(method="PUT", path=rf"^/Appointment/{old.appointment_id}", status=503, times=3)
        moved = scheduling.reschedule(old.appointment_id, new_slot.id, JOSUE, idempotency_key=_key())
        assert not moved.previous_cancelled
        assert sorted(a.id for a in scheduling.upcoming(JOSUE)) == sorted(
            [old.appointment_id, moved.booking.appointment_id]
        )
        assert_consistent(fhir, old_slot.id)
        assert_consistent(fhir, new_slot.id)


def test_upcoming_is_soonest_first_and_only_this_patients(scheduling: SchedulingClient) -> None:
    slots = scheduling.find_slots(SlotQuery(service="hs-telehealth", limit=3))
    for slot in reversed(slots[:2]):
        scheduling.book(slot.id, JOSUE, idempotency_key=_key())
    scheduling.book(slots[2].id, LIZ, idempotency_key=_key())
    mine = scheduling.upcoming(JOSUE)
    assert [a.start for a in mine] == [slots[0].start, slots[1].start]
    assert all(a.practitioner == "Dr Amina Haddad" for a in mine)
    assert [a.start for a in scheduling.upcoming(LIZ)] == [slots[2].start]
