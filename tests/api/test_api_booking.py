"""Slots and appointments over HTTP against a private sandbox (these tests write appointments)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.api.conftest import LIZ, LiveApi
from tests.api.test_api_endpoints import assert_problem
from tests.clocks import NOW

pytestmark = pytest.mark.integration

FIDEL = "79dabd54-65a3-41b3-8975-e868bffce1e1"  # not the README's patient: both book in this clinic


@pytest.fixture
def clinic(private_clinic: LiveApi) -> LiveApi:
    return private_clinic


def test_find_book_list_reschedule_cancel(clinic: LiveApi) -> None:
    with clinic.client(clinic.token(FIDEL)) as emery, clinic.client(clinic.token(LIZ)) as liz:
        start = NOW + timedelta(days=1)
        slots = emery.get(
            "/v1/slots", params={"service": "hs-general-practice", "start": start.isoformat(), "limit": 3}
        ).json()["slots"]
        assert len(slots) == 3
        assert all(s["id"].startswith("Slot/") and s["start"] >= start.isoformat()[:10] for s in slots)
        assert [s["start"] for s in slots] == sorted(s["start"] for s in slots)

        refused = emery.post("/v1/appointments", json={"slot_id": slots[0]["id"], "confirm": False})
        assert_problem(refused, 422, "confirmation_required")
        assert emery.get("/v1/appointments").json()["appointments"] == []

        key = {"Idempotency-Key": "portal-req-0001"}
        booked = emery.post(
            "/v1/appointments", json={"slot_id": slots[0]["id"], "confirm": True}, headers=key
        )
        assert booked.status_code == 201, booked.text
        appointment = booked.json()["appointment"]
        assert booked.json()["created"] is True and appointment["status"] == "booked"
        replay = emery.post(
            "/v1/appointments", json={"slot_id": slots[0]["id"], "confirm": True}, headers=key
        )
        assert replay.status_code == 201 and replay.json() == {**booked.json(), "created": False}
        # The same key from another patient is a different key: it cannot replay Emery's booking.
        taken = liz.post("/v1/appointments", json={"slot_id": slots[0]["id"], "confirm": True}, headers=key)
        assert_problem(taken, 409, "slot_unavailable")

        upcoming = emery.get("/v1/appointments").json()["appointments"]
        assert [a["id"] for a in upcoming] == [appointment["id"]]
        assert liz.get("/v1/appointments").json()["appointments"] == []

        appointment_id = appointment["id"].removeprefix("Appointment/")
        assert_problem(liz.delete(f"/v1/appointments/{appointment_id}"), 404, "appointment_not_found")
        assert_problem(
            liz.post(
                f"/v1/appointments/{appointment_id}/reschedule",
                json={"slot_id": slots[1]["id"], "confirm": True},
            ),
            404,
            "appointment_not_found",
        )

        moved = emery.post(
            f"/v1/appointments/{appointment_id}/reschedule", json={"slot_id": slots[1]["id"], "confirm": True}
        )
        assert moved.status_code == 200, moved.text
        assert moved.json()["previous"]["id"] == appointment["id"]
        assert moved.json()["previous_cancelled"] is True
        new_id = moved.json()["appointment"]["id"]
        assert [a["id"] for a in emery.get("/v1/appointments").json()["appointments"]] == [new_id]

        cancelled = emery.delete(f"/v1/appointments/{new_id.removeprefix('Appointment/')}")
        assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
        assert emery.get("/v1/appointments").json()["appointments"] == []
        # The slot is free again: it is offered and Liz can book it.
        again = liz.post("/v1/appointments", json={"slot_id": slots[1]["id"], "confirm": True})
        assert again.status_code == 201

    actions = [
        e.action for e in clinic.service.store.audit.query(FIDEL) if e.action.startswith("api.booking")
    ]
    assert actions == ["api.booking.book", "api.booking.book", "api.booking.reschedule", "api.booking.cancel"]


def test_bad_slot_queries_and_unknown_slots(clinic: LiveApi) -> None:
    with clinic.client(clinic.token(FIDEL)) as emery:
        assert_problem(
            emery.get("/v1/slots", params={"start": "2026-01-01T10:00:00"}), 422, "validation_error"
        )
        assert_problem(emery.get("/v1/slots", params={"service": "hs-nope"}), 422, "validation_error")
        assert_problem(
            emery.post("/v1/appointments", json={"slot_id": "Slot/does-not-exist", "confirm": True}),
            404,
            "slot_not_found",
        )
        assert_problem(
            emery.post("/v1/appointments", json={"slot_id": "Patient/x", "confirm": True}),
            422,
            "validation_error",
        )
        assert_problem(emery.delete("/v1/appointments/nope"), 404, "appointment_not_found")
