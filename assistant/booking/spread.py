"""Choosing which free slots to offer: a few real alternatives, not four neighbours.

The first free slots of a clinic are usually consecutive quarter-hours with one clinician — four
offers that are one choice. ``spread`` keeps the best candidate first (the soonest, or the nearest
to what was asked) and then prefers, in order: slots not within ``gap`` of an already chosen slot
with the same clinician, another half-day, another clinician. Only when nothing else is left does it
take a close neighbour, so a patient who asked for one clinician at one time still gets offers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from fhir_client.scheduling import FreeSlot

DEFAULT_GAP = dt.timedelta(minutes=45)


def _half_day(slot: FreeSlot, tz: dt.tzinfo) -> tuple[dt.date, bool]:
    local = slot.start.astimezone(tz)
    return local.date(), local.hour >= 13


def _who(slot: FreeSlot) -> str | None:
    return slot.practitioner_ref or slot.practitioner


def _rank(
    index: int,
    slot: FreeSlot,
    chosen: Sequence[FreeSlot],
    tz: dt.tzinfo,
    gap: dt.timedelta,
    by_half_day: bool,
) -> tuple[bool, bool, bool, int]:
    """How much ``slot`` adds to ``chosen``: apart from the same clinician's, on a new half-day, with
    a new clinician — then simply how good it was as a candidate (a lower index)."""
    who = _who(slot)
    apart = all(who != _who(c) or abs(slot.start - c.start) >= gap for c in chosen)
    new_half = by_half_day and _half_day(slot, tz) not in {_half_day(c, tz) for c in chosen}
    return (apart, new_half, who not in {_who(c) for c in chosen}, -index)


def spread(
    candidates: Sequence[FreeSlot],
    count: int,
    tz: dt.tzinfo,
    *,
    gap: dt.timedelta = DEFAULT_GAP,
    by_half_day: bool = True,
) -> list[FreeSlot]:
    """Up to ``count`` slots from ``candidates`` (given best first), returned soonest first.

    ``by_half_day=False`` when the patient asked for a clock time: nearness to it then matters more
    than covering other half-days, so only clinicians and gaps spread the offers.
    """
    chosen: list[FreeSlot] = []
    remaining = list(dict.fromkeys(candidates))  # keeps order, drops repeats
    while remaining and len(chosen) < count:
        index = max(range(len(remaining)), key=lambda i: _rank(i, remaining[i], chosen, tz, gap, by_half_day))
        chosen.append(remaining.pop(index))
    return sorted(chosen, key=lambda s: (s.start, s.practitioner or ""))
