"""Booking state is read from the real demo clinic: the counter sees an Appointment appear and go."""

from __future__ import annotations

import pytest

from evals.runner import FhirAppointmentCounter
from fhir_client import FhirClient

pytestmark = pytest.mark.integration

LIZ = "27c911c6-f045-4ffa-af5d-6eba57ac94b2"  # Liz Conn in the sandbox (uuid of her file)


def test_counter_sees_a_new_appointment_and_ignores_cancelled_ones(sandbox_url: str) -> None:
    with FhirClient(sandbox_url) as client:
        count = FhirAppointmentCounter(client)
        before = count(LIZ)
        created = client.create(
            {
                "resourceType": "Appointment",
                "status": "booked",
                "start": "2031-03-01T09:00:00+01:00",
                "end": "2031-03-01T09:20:00+01:00",
                "participant": [{"actor": {"reference": f"Patient/{LIZ}"}, "status": "accepted"}],
            }
        )
        assert count(LIZ) == before + 1
        resource = dict(created.resource or {})
        client.update({**resource, "status": "cancelled"})
        assert count(LIZ) == before
        client.delete("Appointment", str(resource["id"]))
