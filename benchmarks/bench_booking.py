"""Booking latency on the demo clinic, on both paths: find slots, book + cancel, and a 20-way race;
and conversation turns of the booking flow at a frozen Friday 16:00 (the clinic seeded for that day).

Run: ``python -m benchmarks booking``. Prints a Markdown table (median and p95 over repetitions).
The race row is the wall time for 20 threads booking one slot (one wins, 19 get the next slots).
"""

from __future__ import annotations

import datetime as dt
import statistics
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from zoneinfo import ZoneInfo

from assistant.booking import BookingFlow, BookingState
from fhir_client import FhirClient
from fhir_client.scheduling import BookingFailed, SchedulingClient, SlotQuery
from health_assistant.clock import system_clock
from sandbox import Sandbox

REPEAT = 15
PATIENT = "7d27f180-98d6-456d-98c0-d91df32cd023"


def _timed(fn: Callable[[], object], repeat: int = REPEAT) -> list[float]:
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def _row(name: str, ms: list[float]) -> str:
    p95 = sorted(ms)[max(0, int(len(ms) * 0.95) - 1)]
    return f"| {name} | {statistics.median(ms):.1f} | {p95:.1f} |"


def _race(scheduling: SchedulingClient) -> float:
    slot = scheduling.find_slots(SlotQuery(service="hs-telehealth", limit=1))[0]
    barrier = threading.Barrier(20)

    def attempt(i: int) -> bool:
        barrier.wait()
        try:
            scheduling.book(slot.id, f"bench-{i}", idempotency_key=str(uuid.uuid4()))
            return True
        except BookingFailed:
            return False

    t0 = time.perf_counter()
    with ThreadPoolExecutor(20) as pool:
        wins = sum(pool.map(attempt, range(20)))
    assert wins == 1, wins
    return (time.perf_counter() - t0) * 1000


def _bench_path(sb: Sandbox, path: str) -> list[str]:
    sb.reset()
    sb.set_argonaut(path == "argonaut")
    rows = []
    with FhirClient(sb.base_url) as fhir:
        scheduling = SchedulingClient(fhir, clock=system_clock)
        assert scheduling.path == path
        query = SlotQuery(service="hs-diabetes", time_of_day="morning", limit=5)
        rows.append(
            _row(f"{path}: find 5 diabetes morning slots", _timed(lambda: scheduling.find_slots(query)))
        )

        def book_and_cancel() -> None:
            slot = scheduling.find_slots(SlotQuery(service="hs-general-practice", limit=1))[0]
            booked = scheduling.book(slot.id, PATIENT, idempotency_key=str(uuid.uuid4()))
            scheduling.cancel(booked.appointment_id, PATIENT)

        rows.append(_row(f"{path}: find + book + cancel", _timed(book_and_cancel)))
        races = [_race(scheduling) for _ in range(5)]
        rows.append(_row(f"{path}: 20 concurrent bookers of one slot (wall)", races))
    return rows


FRIDAY = dt.datetime(2026, 12, 4, 16, 0, tzinfo=ZoneInfo("Europe/Paris"))
TURNS = {
    "exact (diabetes, next week, mornings)": "I need to see someone about my sugar next week, mornings",
    "nearest around a Saturday (a GP tomorrow)": "Can I get an appointment with a GP tomorrow?",
    "nearest clinician's days (Dr Nguyen on Wednesday)": "Can I see Dr Nguyen on Wednesday?",
}


def _bench_conversation(sb: Sandbox) -> list[str]:
    """One booking turn (read + search + spread), the clinic directory already loaded."""
    sb.reset(today=FRIDAY.date().isoformat())
    sb.set_argonaut(False)
    rows = []
    with FhirClient(sb.base_url) as fhir:
        flow = BookingFlow(
            SchedulingClient(fhir, clock=lambda: FRIDAY), patient_id=PATIENT, clock=lambda: FRIDAY
        )
        flow.directory.clinicians()
        flow.directory.services()
        for name, text in TURNS.items():
            turn = lambda text=text: flow.handle(text, language="en", state=BookingState())  # noqa: E731
            assert turn().actions, name
            rows.append(_row(f"turn: {name}", _timed(turn)))
    return rows


def main() -> None:
    rows = ["| operation | median ms | p95 ms |", "|---|---|---|"]
    with Sandbox(port=0) as sb:
        for path in ("slot-appointment", "argonaut"):
            rows += _bench_path(sb, path)
        rows += _bench_conversation(sb)
    print("\n".join(rows))


if __name__ == "__main__":
    main()
