"""A private demo clinic for the scheduling tests: they book, cancel, break the server on purpose
and switch its Argonaut mode, so they must not share the session-wide sandbox other tests read."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from fhir_client import FhirClient
from fhir_client.scheduling import SchedulingClient
from sandbox import Sandbox
from tests.clocks import TODAY_TEXT, frozen

PATHS = ["slot-appointment", "argonaut"]


@pytest.fixture(scope="package")
def clinic() -> Iterator[Sandbox]:
    with Sandbox(port=0, today=TODAY_TEXT) as sb:
        yield sb


@pytest.fixture
def fresh_clinic(clinic: Sandbox) -> Iterator[Sandbox]:
    """The clinic as seeded, with no faults and the Argonaut mode off."""
    clinic.reset()
    yield clinic
    clinic.clear_faults()


@pytest.fixture(params=PATHS)
def booking_path(request: pytest.FixtureRequest, fresh_clinic: Sandbox) -> str:
    path = str(request.param)
    fresh_clinic.set_argonaut(path == "argonaut")
    return path


@pytest.fixture
def fhir(fresh_clinic: Sandbox) -> Iterator[FhirClient]:
    with FhirClient(fresh_clinic.base_url) as client:
        yield client


@pytest.fixture
def scheduling(fhir: FhirClient, booking_path: str, fresh_clinic: Sandbox) -> Iterator[SchedulingClient]:
    """A patient-facing client and a separate "system" client, as a clinic deploys them."""
    with FhirClient(fresh_clinic.base_url) as system:
        client = SchedulingClient(fhir, system_client=system, clock=frozen)
        assert client.path == booking_path
        yield client
