"""The tests' one clock: a fixed instant, so no test depends on the day it runs.

``TODAY`` is a Tuesday, at 07:00 in the clinic's time zone, before the first appointment of the day: the
demo clinic is seeded with this ``today`` (``Sandbox(today=TODAY_TEXT)``), so "tomorrow", "next week",
"on Thursday" and "today's earliest slots" have one meaning on every machine, whatever its own clock says
(``make test`` reruns the clock-marked tests with the machine's clock faked to prove it).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")
NOW = dt.datetime(2026, 12, 1, 7, 0, tzinfo=PARIS).astimezone(dt.UTC)
TODAY = NOW.astimezone(PARIS).date()
TODAY_TEXT = TODAY.isoformat()


def frozen() -> dt.datetime:
    """The clock components get in tests: always ``NOW``."""
    return NOW


class MovableClock:
    """A frozen clock a test can move on (retention, token expiry, hold timeouts)."""

    def __init__(self, at: dt.datetime = NOW) -> None:
        self.now = at

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, delta: dt.timedelta) -> None:
        self.now += delta


def real_seconds() -> float:
    """The real clock, in seconds since the epoch — only for clients of the demo clinic's authorization
    server, which dates tokens and signed assertions by the machine's clock (a client judging them by the
    tests' frozen NOW would find every fresh token days old)."""
    from health_assistant.clock import system_clock

    return system_clock().timestamp()
