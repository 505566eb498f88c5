"""Finding slots for a request, and the nearest ones when nothing matches it exactly.

A request never dead-ends: when its days have nothing free (the GPs do not work on Saturdays, Friday
is full) the nearest free slots on either side of them are offered; when a time of day never has a
free slot, the nearest times; when the clinician asked for has nothing in the coming weeks (or the
clinic has no woman doctor for that service), the same service with someone else. ``Found.relaxed``
says what was loosened, so the reply can tell the patient plainly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Literal

from assistant.booking.directory import ClinicDirectory
from assistant.booking.spread import spread
from assistant.booking.state import SlotRequest
from fhir_client.scheduling import FreeSlot, SchedulingClient, SlotQuery
from fhir_client.scheduling_models import TIME_OF_DAY_HOURS

Relaxed = Literal["days", "time", "who"]
OFFERS = 4
_CANDIDATES = 100
_NEAR_CLOCK = dt.timedelta(minutes=61)
_DAYS_BACK = 3  # look this many days before an unavailable day for the nearest earlier slots
_DAYS_AHEAD = 21  # and this many after it


@dataclass(frozen=True)
class Found:
    """Slots to offer (soonest first) and what had to be loosened to find them."""

    slots: tuple[FreeSlot, ...]
    relaxed: tuple[Relaxed, ...] = ()

    @property
    def exact(self) -> bool:
        return not self.relaxed


def _minutes(value: dt.time) -> int:
    return value.hour * 60 + value.minute


class SlotFinder:
    """Searches the clinic for one request; ``now`` is aware and in the patient's time zone."""

    def __init__(self, scheduling: SchedulingClient, directory: ClinicDirectory, tz: dt.tzinfo) -> None:
        self.scheduling = scheduling
        self.directory = directory
        self.tz = tz

    def find(
        self,
        request: SlotRequest,
        now: dt.datetime,
        *,
        exclude: Collection[str] = (),
        service: str | None = None,
        count: int = OFFERS,
    ) -> Found:
        """The best ``count`` offers for ``request``; ``service`` (an id or ``system|code`` token)
        is used when the request names no topic (a move keeps the appointment's service)."""
        attempts: list[tuple[SlotRequest, tuple[Relaxed, ...]]] = [(request, ())]
        if request.has_time:
            attempts.append((request.without_time(), ("time",)))
        if request.has_who:
            attempts.append((request.without_who(), ("who",)))
        if request.has_time and request.has_who:
            attempts.append((request.without_time().without_who(), ("time", "who")))
        for attempt, relaxed in attempts:
            query = self._query(attempt, service)
            if query is None:
                continue
            near = self._nearness(request) if "time" in relaxed else self._nearness(attempt)
            found = self._within(attempt, query, now, exclude, near, count, strict_clock=not relaxed)
            if found:
                return Found(tuple(found), relaxed)
            if attempt.has_days:
                found = self._around(attempt, query, now, exclude, near, count)
                if found:
                    return Found(tuple(found), (*relaxed, "days"))
        return Found(())

    # -- the query ---------------------------------------------------------------------------------

    def _query(self, request: SlotRequest, service: str | None) -> SlotQuery | None:
        """The FHIR side of a request (None when it cannot match: no clinician of that gender)."""
        practitioners: tuple[str, ...] = ()
        service_id: str | None = None
        if request.clinician:
            practitioners = (request.clinician,)
        else:
            if request.topic:
                service_id = self.directory.service_for(request.topic)
            if service_id is None and service is None:
                service_id = self.directory.service_for("general")
            if request.gender:
                practitioners = self.directory.of_gender(request.gender, service_id)
                if not practitioners:
                    return None
        return SlotQuery(
            service=None if practitioners and request.clinician else (service_id or service),
            practitioners=practitioners,
            time_of_day=request.time_of_day,
            earliest=request.earliest,
            latest=request.latest,
            limit=_CANDIDATES,
            timezone=str(self.tz),
        )

    def _search(self, query: SlotQuery, start: dt.datetime, end: dt.datetime | None) -> list[FreeSlot]:
        if end is not None and end <= start:
            return []
        return self.scheduling.find_slots(
            SlotQuery(
                service=query.service,
                practitioners=query.practitioners,
                start=start,
                end=end,
                time_of_day=query.time_of_day,
                earliest=query.earliest,
                latest=query.latest,
                limit=query.limit,
                timezone=query.timezone,
            )
        )

    def _midnight(self, day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(0, 0), self.tz)

    # -- ordering ----------------------------------------------------------------------------------

    def _nearness(self, request: SlotRequest) -> Callable[[FreeSlot], int] | None:
        """Minutes between a slot's local time and the time asked for (None when no time was asked)."""
        if not request.has_time:
            return None
        low, high = 0, 24 * 60
        if request.time_of_day is not None:
            hours = TIME_OF_DAY_HOURS[request.time_of_day]
            low, high = hours[0] * 60, hours[1] * 60
        if request.earliest is not None:
            low = max(low, _minutes(request.earliest))
        if request.latest is not None:
            high = min(high, _minutes(request.latest))
        if request.clock is not None:
            low = high = _minutes(request.clock)

        def distance(slot: FreeSlot) -> int:
            local = _minutes(slot.start.astimezone(self.tz).time())
            return max(low - local, local - high, 0)

        return distance

    def _within(
        self,
        request: SlotRequest,
        query: SlotQuery,
        now: dt.datetime,
        exclude: Collection[str],
        near: Callable[[FreeSlot], int] | None,
        count: int,
        *,
        strict_clock: bool,
    ) -> list[FreeSlot]:
        start = max(now, self._midnight(request.first_day)) if request.first_day else now
        end = self._midnight(request.last_day) if request.last_day else None
        slots = [s for s in self._search(query, start, end) if s.id not in exclude]
        if request.clock is not None and strict_clock:
            wanted = _minutes(request.clock)
            slots = [
                s
                for s in slots
                if abs(_minutes(s.start.astimezone(self.tz).time()) - wanted) * 60
                <= _NEAR_CLOCK.total_seconds()
            ]
        if near is not None:
            slots.sort(key=lambda s: (near(s), s.start))
        return spread(slots, count, self.tz, by_half_day=request.clock is None)

    def _around(
        self,
        request: SlotRequest,
        query: SlotQuery,
        now: dt.datetime,
        exclude: Collection[str],
        near: Callable[[FreeSlot], int] | None,
        count: int,
    ) -> list[FreeSlot]:
        """The nearest free slots before and after the requested days: about half from each side
        when both have some (a patient asking for Saturday hears about Friday and Monday)."""
        assert request.first_day is not None and request.last_day is not None
        first, last = self._midnight(request.first_day), self._midnight(request.last_day)
        last_day = request.last_day
        before: list[FreeSlot] = []
        for back in range(1, _DAYS_BACK + 1):
            day_end = first - dt.timedelta(days=back - 1)
            if day_end <= now:
                break
            found = self._search(query, max(now, first - dt.timedelta(days=back)), day_end)
            before = [s for s in found if s.id not in exclude]
            if before:
                break
        after = [
            s
            for s in self._search(query, max(now, last), last + dt.timedelta(days=_DAYS_AHEAD))
            if s.id not in exclude
        ]

        def days_away(slot: FreeSlot) -> int:
            day = slot.start.astimezone(self.tz).date()
            return max(
                (request.first_day - day).days if request.first_day else 0, (day - last_day).days + 1, 0
            )

        def rank(slot: FreeSlot) -> tuple[int, int, float]:
            # nearest day first, then nearest to the time asked, then nearest to the requested days
            distance = abs((slot.start - (first if slot.start < first else last)).total_seconds())
            return (days_away(slot), near(slot) if near else 0, distance)

        before.sort(key=rank)
        after.sort(key=rank)
        by_half_day = request.clock is None
        early = spread(before, min(len(before), count // 2), self.tz, by_half_day=by_half_day)
        late = spread(after, count - len(early), self.tz, by_half_day=by_half_day)
        if len(early) + len(late) < count:
            early = spread(before, count - len(late), self.tz, by_half_day=by_half_day)
        return sorted([*early, *late], key=lambda s: s.start)
