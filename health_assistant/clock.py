"""The one place the machine's clock is read.

Everything that needs "now" or "today" — the triage modifiers (an age, a recent operation), the booking
flow ("tomorrow", "next week"), slot searches, the session store's timestamps, token expiry — takes a
``Clock`` from the composition root (the CLI, the API app, the patient app, the eval runner), which
passes ``system_clock``. Tests pass a frozen clock instead, so a test gives the same answer on a Tuesday,
a Saturday, a Friday at 23:30 and the night the clocks change; ``tests/test_architecture_clock.py`` fails
if anything else reads the wall clock.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

__all__ = ["Clock", "clock_at", "fixed_clock", "system_clock"]

Clock = Callable[[], datetime]
"""A zero-argument callable returning the current instant as a timezone-aware ``datetime``."""


def system_clock() -> datetime:
    """The machine's clock, in UTC (aware): what production passes down as ``clock``."""
    return datetime.now(UTC)


def fixed_clock(at: datetime) -> Clock:
    """A clock that always answers ``at`` (aware), e.g. for ``--now`` in a reproducible demo or eval."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"a fixed clock needs a timezone-aware instant, got {at.isoformat()}")
    instant = at.astimezone(UTC)

    def now() -> datetime:
        return instant

    return now


def clock_at(now: datetime | None) -> Clock:
    """``system_clock``, or a clock frozen at ``now`` (``HEALTH_ASSISTANT_NOW``) when one is given."""
    return fixed_clock(now) if now is not None else system_clock
