"""Offers are spread, and the booking state is one typed model that survives the session as JSON.

``spread`` is a pure function over ``FreeSlot`` values, checked here with generated schedules
(hypothesis); the state round trip keeps every field, including an appointment's slot ids, which an
earlier untyped copy dropped (so "move it" could offer the appointment's own slot again).
"""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.booking import BookingState, SlotRequest
from assistant.booking.spread import spread
from assistant.booking.state import Completed, HeldAppointment, OfferedSlot
from fhir_client.scheduling import FreeSlot

PARIS = ZoneInfo("Europe/Paris")
MONDAY = dt.datetime(2026, 12, 7, 8, 30, tzinfo=PARIS)


def slot(minutes: int, who: str) -> FreeSlot:
    start = MONDAY + dt.timedelta(minutes=minutes)
    return FreeSlot(
        id=f"{who}-{minutes}",
        start=start,
        end=start + dt.timedelta(minutes=15),
        start_text=start.isoformat(),
        end_text=None,
        service="General practice",
        practitioner=f"Dr {who}",
        practitioner_ref=f"Practitioner/{who}",
    )


def day(who: str, first: int, last: int) -> list[FreeSlot]:
    return [slot(m, who) for m in range(first, last, 15)]


def test_four_quarter_hours_with_one_clinician_are_not_four_offers() -> None:
    candidates = sorted(
        [*day("martin", 0, 210), *day("nguyen", 30, 240), *day("martin", 330, 570)], key=lambda s: s.start
    )
    chosen = spread(candidates, 4, PARIS)
    assert chosen[0] == candidates[0]  # the soonest stays
    assert len({s.practitioner_ref for s in chosen}) == 2
    assert len({s.start.hour >= 13 for s in chosen}) == 2  # morning and afternoon
    for a in chosen:
        for b in chosen:
            if a is not b and a.practitioner_ref == b.practitioner_ref:
                assert abs(a.start - b.start) >= dt.timedelta(minutes=45)


def test_when_only_neighbours_are_left_they_are_still_offered() -> None:
    candidates = day("martin", 0, 60)  # one clinician, four consecutive quarter-hours
    assert [s.id for s in spread(candidates, 4, PARIS)] == [s.id for s in candidates]


slots_strategy = st.lists(
    st.builds(
        slot,
        st.integers(min_value=0, max_value=60 * 24 * 3).map(lambda m: m - m % 15),
        st.sampled_from(["a", "b", "c"]),
    ),
    max_size=40,
)


@settings(max_examples=150, deadline=None)
@given(slots_strategy, st.integers(min_value=0, max_value=6))
def test_spread_keeps_the_best_returns_in_order_and_never_invents(
    candidates: list[FreeSlot], count: int
) -> None:
    chosen = spread(candidates, count, PARIS)
    unique = list(dict.fromkeys(candidates))
    assert len(chosen) == min(count, len(unique))
    assert set(chosen) <= set(unique)
    assert [s.start for s in chosen] == sorted(s.start for s in chosen)
    if count and unique:
        assert unique[0] in chosen
    # no two offers with the same clinician closer than 45 minutes while a farther one was left out
    left_out = [s for s in unique if s not in chosen]
    for a in chosen:
        close = [
            b
            for b in chosen
            if b is not a
            and b.practitioner_ref == a.practitioner_ref
            and abs(a.start - b.start) < dt.timedelta(minutes=45)
        ]
        if close:
            assert all(
                any(
                    abs(o.start - c.start) < dt.timedelta(minutes=45)
                    and o.practitioner_ref == c.practitioner_ref
                    for c in chosen
                )
                for o in left_out
            )


def test_the_state_round_trips_through_the_session_json_with_every_field() -> None:
    held = HeldAppointment(
        id="a1",
        start=MONDAY.isoformat(),
        service="GP",
        practitioner_ref="Practitioner/x",
        slot_ids=("s1", "s2"),
    )
    offer = OfferedSlot(id="s9", start=(MONDAY + dt.timedelta(days=1)).isoformat(), service="GP")
    state = BookingState(
        step="confirm",
        operation="reschedule",
        language="fr",
        request=SlotRequest(
            topic="general",
            earliest=dt.time(14),
            first_day=MONDAY.date(),
            last_day=MONDAY.date() + dt.timedelta(days=1),
        ),
        offers=(offer,),
        slot=offer,
        appointment=held,
        token="t0k3n-abc",
        summary="?",
        done=Completed(token="old-t0k3n", operation="book", slot=offer),
    )
    stored = json.loads(json.dumps(state.dump()))
    again = BookingState.load(stored)
    assert again == state
    assert again.appointment is not None and again.appointment.slot_ids == ("s1", "s2")


def test_an_idle_state_stores_nothing_and_an_unreadable_one_starts_over() -> None:
    assert BookingState().dump() == {}
    assert BookingState(language="fr").dump() == {}
    assert BookingState.load({"step": "choose", "offers": [{"id": "x"}]}) == BookingState()  # no start
    assert BookingState.load({"step": "pick"}) == BookingState()
    assert BookingState.load(None) == BookingState()
    idle = BookingState(
        step="choose", offers=(OfferedSlot(id="s", start=MONDAY.isoformat()),), last_appointment="a1"
    ).idle()
    assert idle.step == "idle" and idle.offers == () and idle.last_appointment == "a1"
