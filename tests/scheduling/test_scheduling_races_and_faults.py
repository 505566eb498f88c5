"""Booking stays consistent when twenty patients want one slot and when the server dies mid-booking.

Every test runs on both booking paths: Argonaut $book and Slot (If-Match) + Appointment (If-None-Exist).
"""

from __future__ import annotations

import datetime as dt
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from scheduling_checks import JOSUE, LIZ, active_appointments_for_slot, assert_consistent, slot_status

from fhir_client import FhirClient, Search
from fhir_client.scheduling import BookingFailed, BookingResult, FreeSlot, SchedulingClient, SlotQuery
from fhir_client.scheduling_models import BOOKING_IDENTIFIER_SYSTEM
from sandbox import Sandbox
from tests.clocks import frozen

pytestmark = pytest.mark.integration


def _key() -> str:
    return str(uuid.uuid4())


def _cardiology(scheduling: SchedulingClient, n: int = 3) -> list[FreeSlot]:
    slots = scheduling.find_slots(SlotQuery(practitioner="dr-henri-dubois", limit=n))
    assert len(slots) == n
    return slots


def _appointments_with_key(fhir: FhirClient, key: str) -> list[dict[str, Any]]:
    return list(fhir.iter(Search("Appointment").where(identifier=f"{BOOKING_IDENTIFIER_SYSTEM}|{key}")))


def test_twenty_concurrent_bookers_get_one_appointment_and_nineteen_offers_of_the_next_slot(
    scheduling: SchedulingClient, fhir: FhirClient
) -> None:
    wanted, following, *_ = _cardiology(scheduling)
    start = threading.Barrier(20)

    def attempt(i: int) -> BookingResult | BookingFailed:
        start.wait()
        try:
            return scheduling.book(wanted.id, f"racer-{i:02d}", idempotency_key=_key())
        except BookingFailed as failure:
            return failure

    with ThreadPoolExecutor(max_workers=20) as pool:
        outcomes = list(pool.map(attempt, range(20)))

    wins = [o for o in outcomes if isinstance(o, BookingResult)]
    losses = [o for o in outcomes if isinstance(o, BookingFailed)]
    assert len(wins) == 1 and len(losses) == 19
    assert all(loss.reason == "slot_taken" for loss in losses)
    assert all("taken by someone else" in str(loss) for loss in losses)
    assert all(loss.alternatives and loss.alternatives[0].id == following.id for loss in losses)
    assert all(wanted.id not in {a.id for a in loss.alternatives} for loss in losses)
    appointments = active_appointments_for_slot(fhir, wanted.id)
    assert [a["id"] for a in appointments] == [wins[0].appointment_id]
    assert slot_status(fhir, wanted.id) == "busy"
    assert slot_status(fhir, following.id) == "free"


def test_the_same_key_never_books_twice(scheduling: SchedulingClient, fhir: FhirClient) -> None:
    slot = _cardiology(scheduling, 1)[0]
    key = _key()
    first = scheduling.book(slot.id, JOSUE, idempotency_key=key)
    again = scheduling.book(slot.id, JOSUE, idempotency_key=key)
    assert first.created and not again.created
    assert again.appointment_id == first.appointment_id
    assert len(_appointments_with_key(fhir, key)) == 1
    with pytest.raises(BookingFailed) as reused:
        scheduling.book(slot.id, LIZ, idempotency_key=key)
    assert reused.value.reason == "invalid_request"
    assert_consistent(fhir, slot.id)


def test_a_slot_taken_between_offer_and_booking_fails_with_the_next_slots(
    scheduling: SchedulingClient, fhir: FhirClient, fresh_clinic: Sandbox
) -> None:
    offered, following, _ = _cardiology(scheduling)
    fresh_clinic.take_slot(offered.id)
    with pytest.raises(BookingFailed) as failed:
        scheduling.book(offered.id, JOSUE, idempotency_key=_key())
    assert failed.value.reason == "slot_taken"
    assert failed.value.alternatives[0].id == following.id
    assert active_appointments_for_slot(fhir, offered.id) == []


def test_server_dies_after_the_slot_write_then_recovers_without_an_orphan_busy_slot(
    scheduling: SchedulingClient, fhir: FhirClient, fresh_clinic: Sandbox, booking_path: str
) -> None:
    slot = _cardiology(scheduling, 1)[0]
    # Slot+Appointment: the server dies right after accepting the Slot update, before the
    # Appointment create (and stays down for the rollback). Argonaut: it dies on the $book itself.
    if booking_path == "slot-appointment":
        fresh_clinic.add_fault(status=503, times=6, after_method="PUT", after_path=r"^/Slot/")
    else:
        fresh_clinic.add_fault(method="POST", path=r"^/Appointment/\$book", status=503, times=1)
        fresh_clinic.add_fault(status=503, times=5, after_method="POST", after_path=r"^/Appointment/\$book")
    with pytest.raises(BookingFailed) as failed:
        scheduling.book(slot.id, JOSUE, idempotency_key=_key())
    assert failed.value.reason == "server_unavailable"
    fresh_clinic.clear_faults()  # the server is back

    scheduling.recover()
    assert scheduling.pending_holds == []
    assert active_appointments_for_slot(fhir, slot.id) == []
    assert slot_status(fhir, slot.id) == "free"


def test_retrying_after_the_server_died_mid_booking_books_exactly_once(
    scheduling: SchedulingClient, fhir: FhirClient, fresh_clinic: Sandbox, booking_path: str
) -> None:
    slot = _cardiology(scheduling, 1)[0]
    key = _key()
    if booking_path == "slot-appointment":
        fresh_clinic.add_fault(status=503, times=6, after_method="PUT", after_path=r"^/Slot/")
    else:
        fresh_clinic.add_fault(method="POST", path=r"^/Appointment/\$book", status=503, times=1)
    with pytest.raises(BookingFailed):
        scheduling.book(slot.id, JOSUE, idempotency_key=key)
    fresh_clinic.clear_faults()

    retried = scheduling.book(slot.id, JOSUE, idempotency_key=key)
    replayed = scheduling.book(slot.id, JOSUE, idempotency_key=key)
    assert retried.created and not replayed.created
    assert len(_appointments_with_key(fhir, key)) == 1
    assert_consistent(fhir, slot.id)


def test_a_timeout_leaves_the_outcome_unknown_and_the_retry_finds_the_one_appointment(
    fresh_clinic: Sandbox, booking_path: str
) -> None:
    path = r"^/Appointment(\?|$)" if booking_path == "slot-appointment" else r"^/Appointment/\$book"
    with FhirClient(fresh_clinic.base_url, timeout=1.0) as fhir:
        scheduling = SchedulingClient(fhir, clock=frozen)
        slot = _cardiology(scheduling, 1)[0]
        key = _key()
        # The server is slow, not dead: it applies the write 2.5 s later, after the client gave up.
        fresh_clinic.add_fault(method="POST", path=path, delay_ms=2500, times=1)
        with pytest.raises(BookingFailed) as failed:
            scheduling.book(slot.id, JOSUE, idempotency_key=key)
        assert failed.value.reason == "outcome_unknown"
        time.sleep(2.0)
        # Recovery within the grace period must not free a slot the slow write is about to use.
        scheduling.recover()
        retried = scheduling.book(slot.id, JOSUE, idempotency_key=key)
        assert not retried.created
        assert len(_appointments_with_key(fhir, key)) == 1
        assert_consistent(fhir, slot.id)


def test_a_failed_appointment_create_puts_the_slot_back_at_once(fresh_clinic: Sandbox) -> None:
    with FhirClient(fresh_clinic.base_url) as fhir:
        scheduling = SchedulingClient(fhir, clock=frozen)
        slot = _cardiology(scheduling, 1)[0]
        fresh_clinic.add_fault(method="POST", path=r"^/Appointment(\?|$)", status=500, times=1)
        with pytest.raises(BookingFailed) as failed:
            scheduling.book(slot.id, JOSUE, idempotency_key=_key())
        assert failed.value.reason == "server_unavailable" and not failed.value.slot_held
        assert failed.value.alternatives, "a failed booking still offers other slots"
        assert scheduling.pending_holds == []
        assert_consistent(fhir, slot.id)


def test_holds_left_by_a_crashed_process_are_released_by_the_sweeper(fresh_clinic: Sandbox) -> None:
    with FhirClient(fresh_clinic.base_url) as fhir:
        crashed = SchedulingClient(fhir, clock=frozen)
        slot = _cardiology(crashed, 1)[0]
        fresh_clinic.add_fault(status=503, times=6, after_method="PUT", after_path=r"^/Slot/")
        with pytest.raises(BookingFailed) as failed:
            crashed.book(slot.id, JOSUE, idempotency_key=_key())
        assert failed.value.slot_held
        fresh_clinic.clear_faults()
        assert slot_status(fhir, slot.id) == "busy"  # the crashed process never came back

        later = _written_at(fhir, slot.id) + dt.timedelta(minutes=30)
        sweeper = SchedulingClient(fhir, clock=lambda: later)
        assert sweeper.release_stale_holds(older_than=dt.timedelta(minutes=10)) == [slot.id]
        assert_consistent(fhir, slot.id)


def test_the_sweeper_keeps_slots_of_finished_bookings(fresh_clinic: Sandbox) -> None:
    with FhirClient(fresh_clinic.base_url) as fhir:
        scheduling = SchedulingClient(fhir, clock=frozen)
        slot = _cardiology(scheduling, 1)[0]
        scheduling.book(slot.id, JOSUE, idempotency_key=_key())
        later = _written_at(fhir, slot.id) + dt.timedelta(minutes=30)
        assert SchedulingClient(fhir, clock=lambda: later).release_stale_holds() == []
        assert slot_status(fhir, slot.id) == "busy"


def _written_at(fhir: FhirClient, slot_id: str) -> dt.datetime:
    """When the server last wrote the Slot, by the server's own clock: a hold's age is counted against it,
    so the sweeper's "30 minutes later" is 30 minutes after that, whatever the test's or machine's date."""
    ref = slot_id if "/" in slot_id else f"Slot/{slot_id}"
    meta = (fhir.read(ref).resource or {}).get("meta") or {}
    return dt.datetime.fromisoformat(str(meta["lastUpdated"]).replace("Z", "+00:00"))
