"""A private demo clinic for the booking dialogues: they book and cancel, and switch its mode."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from sandbox import Sandbox
from tests.clocks import TODAY_TEXT


@pytest.fixture(scope="package")
def booking_clinic() -> Iterator[Sandbox]:
    with Sandbox(port=0, today=TODAY_TEXT) as sb:
        yield sb


@pytest.fixture
def clinic(booking_clinic: Sandbox) -> Iterator[Sandbox]:
    booking_clinic.reset()
    yield booking_clinic
    booking_clinic.clear_faults()
