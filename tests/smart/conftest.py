"""A demo clinic with SMART on FHIR on (``sandbox --auth``), started once per session on a free port.

Tests here sign in the way a browser does (``sandbox.signin``) and read as the clinic with its system
client. Tests that write (consents, bookings) use patients no other test in this package reads for
that purpose, or a private clinic.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from fhir_client import FhirClient
from fhir_client.auth import SmartPatientLaunch
from sandbox import Sandbox
from sandbox.signin import APP_CLIENT_ID, CALLBACK
from tests.clocks import real_seconds

JOSUE = "7d27f180-98d6-456d-98c0-d91df32cd023"
LIZ = "27c911c6-f045-4ffa-af5d-6eba57ac94b2"
EMERY = "298c62e6-b204-4a14-8e21-73d5be0ce22e"
DAISEY = "e916a083-8ee6-4df8-acbe-b711fa791253"
LUIGI = "e27d88b0-c5e5-4042-ad49-184f6a900ee3"
LUPE = "f8a42e66-8c03-4ee6-85e3-3817c2942de1"
FIDEL = "79dabd54-65a3-41b3-8975-e868bffce1e1"

pytestmark = pytest.mark.integration


@pytest.fixture(scope="session")
def smart_clinic() -> Iterator[Sandbox]:
    with Sandbox(port=0, auth=True) as sb:
        yield sb


@pytest.fixture(scope="session")
def clinic(smart_clinic: Sandbox) -> Iterator[FhirClient]:
    """The clinic's own view (system client): to learn ids to attack and to check what happened."""
    with FhirClient(smart_clinic.base_url, auth=smart_clinic.system_auth(clock=real_seconds)) as fhir:
        yield fhir


@pytest.fixture
def launch(smart_clinic: Sandbox) -> Iterator[SmartPatientLaunch]:
    with SmartPatientLaunch(
        smart_clinic.base_url, APP_CLIENT_ID, redirect_uri=CALLBACK, clock=real_seconds
    ) as running:
        yield running
