"""A private demo clinic for the booking dialogues (they book and cancel, and switch its mode), and
frozen clocks: each dialogue runs at a fixed local time, with the clinic seeded from that day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest

from sandbox import Sandbox
from tests.clocks import TODAY_TEXT

PARIS = ZoneInfo("Europe/Paris")

#: The moments the dialogues are played at: the day the issue was found (a Friday afternoon, so
#: "tomorrow" is a Saturday), a Saturday, a weekday, a Friday late at night, and the Sunday the
#: clocks go forward (the next morning's slots are at +02:00).
MOMENTS = {
    "friday": dt.datetime(2026, 12, 4, 16, 0, tzinfo=PARIS),
    "saturday": dt.datetime(2026, 12, 5, 10, 0, tzinfo=PARIS),
    "wednesday": dt.datetime(2026, 12, 9, 9, 0, tzinfo=PARIS),
    "friday-late": dt.datetime(2026, 12, 11, 23, 30, tzinfo=PARIS),
    "dst-sunday": dt.datetime(2027, 3, 28, 10, 0, tzinfo=PARIS),
}


@dataclass(frozen=True)
class Frozen:
    """A frozen clock and the clinic seeded for its day."""

    now: dt.datetime
    clinic: Sandbox

    def clock(self) -> dt.datetime:
        return self.now


@pytest.fixture(scope="package")
def booking_clinic() -> Iterator[Sandbox]:
    with Sandbox(port=0, today=TODAY_TEXT) as sb:
        yield sb


@pytest.fixture
def clinic(booking_clinic: Sandbox) -> Iterator[Sandbox]:
    """The clinic; each test seeds it for its frozen day with ``freeze``."""
    yield booking_clinic
    booking_clinic.clear_faults()


def freeze(clinic: Sandbox, moment: str | dt.datetime, *, argonaut: bool = False) -> Frozen:
    """Reset the clinic to the frozen day (its slots start that day, whatever the machine's date),
    in the Slot + Appointment mode or the Argonaut ``$find``/``$book`` mode."""
    now = MOMENTS[moment] if isinstance(moment, str) else moment
    clinic.reset(today=now.date().isoformat())
    clinic.set_argonaut(argonaut)
    return Frozen(now, clinic)
